/**
 * The discrete Fourier transform of complex sequences held as split real and imaginary
 * Float64Arrays, in O(n log n) for every length: an iterative radix-2 Cooley–Tukey transform
 * (J. W. Cooley and J. W. Tukey, "An algorithm for the machine calculation of complex Fourier
 * series", Math. Comp. 19, 1965) for powers of two, and Bluestein's chirp-z re-expression of any
 * other length as a circular convolution of power-of-two length ≥ 2n−1 (L. I. Bluestein, "A
 * linear filtering approach to the computation of discrete Fourier transform", IEEE Trans. Audio
 * Electroacoustics 18(4), 1970). Unnormalized: `sign` −1 is the forward transform
 * `X_k = Σ_j x_j e^{−2πi jk/n}`, +1 the inverse without its 1/n.
 *
 * @category torch
 * @since 0.7.0
 */

const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0

/** In place radix-2 transform of a power-of-two length (bit-reversal permutation, then butterflies). */
const radix2 = (re: Float64Array, im: Float64Array, sign: number): void => {
  const n = re.length
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; (j & bit) !== 0; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      const tr = re[i] as number
      re[i] = re[j] as number
      re[j] = tr
      const ti = im[i] as number
      im[i] = im[j] as number
      im[j] = ti
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1
    const ang = (sign * 2 * Math.PI) / len
    for (let k = 0; k < half; k++) {
      const wr = Math.cos(ang * k)
      const wi = Math.sin(ang * k)
      for (let s = k; s < n; s += len) {
        const t = s + half
        const xr = re[t] as number
        const xi = im[t] as number
        const vr = xr * wr - xi * wi
        const vi = xr * wi + xi * wr
        const ur = re[s] as number
        const ui = im[s] as number
        re[s] = ur + vr
        im[s] = ui + vi
        re[t] = ur - vr
        im[t] = ui - vi
      }
    }
  }
}

/** Bluestein's transform of any length n: x_j·w_j convolved with conj(w), times w_k, w_j = e^{sign·πi j²/n}. */
const bluestein = (re: Float64Array, im: Float64Array, sign: number): void => {
  const n = re.length
  let m = 1
  while (m < 2 * n - 1) m <<= 1
  const cr = new Float64Array(n)
  const ci = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    // j² mod 2n keeps the angle exact for large j
    const a = (sign * Math.PI * ((j * j) % (2 * n))) / n
    cr[j] = Math.cos(a)
    ci[j] = Math.sin(a)
  }
  const ar = new Float64Array(m)
  const ai = new Float64Array(m)
  const br = new Float64Array(m)
  const bi = new Float64Array(m)
  multiplyInto(ar, ai, re, im, cr, ci, n)
  br[0] = cr[0] as number
  bi[0] = -(ci[0] as number)
  for (let j = 1; j < n; j++) {
    br[j] = br[m - j] = cr[j] as number
    bi[j] = bi[m - j] = -(ci[j] as number)
  }
  radix2(ar, ai, -1)
  radix2(br, bi, -1)
  multiplyInto(ar, ai, ar, ai, br, bi, m)
  radix2(ar, ai, 1)
  for (let k = 0; k < n; k++) {
    const xr = (ar[k] as number) / m
    const xi = (ai[k] as number) / m
    const wr = cr[k] as number
    const wi = ci[k] as number
    re[k] = xr * wr - xi * wi
    im[k] = xr * wi + xi * wr
  }
}

/** The unnormalized transform of one sequence, in place. */
export const transform1d = (re: Float64Array, im: Float64Array, sign: number): void => {
  const n = re.length
  if (n <= 1) return
  if (isPow2(n)) radix2(re, im, sign)
  else bluestein(re, im, sign)
}

/**
 * The transform along `axis` of an interleaved complex array (`data[2·e]` real, `data[2·e+1]`
 * imaginary, element e row-major over `shape`), in place, each sequence scaled by `scale`.
 */
export const transformAxis = (
  data: Float64Array,
  shape: ReadonlyArray<number>,
  axis: number,
  sign: number,
  scale: number,
): void => {
  const n = shape[axis] as number
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1)
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1)
  const re = new Float64Array(n)
  const im = new Float64Array(n)
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      for (let j = 0; j < n; j++) {
        const e = 2 * (base + j * inner)
        re[j] = data[e] as number
        im[j] = data[e + 1] as number
      }
      transform1d(re, im, sign)
      for (let j = 0; j < n; j++) {
        const e = 2 * (base + j * inner)
        data[e] = (re[j] as number) * scale
        data[e + 1] = (im[j] as number) * scale
      }
    }
}

type Parts = { readonly [i: number]: number }

/** out[k] = x[k]·y[k] for k < n, complex, on split real/imaginary arrays (out may be x). */
const multiplyInto = (
  outR: Float64Array,
  outI: Float64Array,
  xR: Parts,
  xI: Parts,
  yR: Parts,
  yI: Parts,
  n: number,
): void => {
  for (let k = 0; k < n; k++) {
    const xr = xR[k] as number
    const xi = xI[k] as number
    const yr = yR[k] as number
    const yi = yI[k] as number
    outR[k] = xr * yr - xi * yi
    outI[k] = xr * yi + xi * yr
  }
}
