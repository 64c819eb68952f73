/**
 * The discrete Fourier transform of complex sequences held as split real and imaginary
 * Float64Arrays, in O(n log n) for every length: an iterative radix-2 Cooley–Tukey transform
 * (J. W. Cooley and J. W. Tukey, "An algorithm for the machine calculation of complex Fourier
 * series", Math. Comp. 19, 1965) for powers of two, its mixed-radix form for lengths whose prime
 * factors are at most 31 (exact on symmetric data, as PyTorch's pocketfft: a constant sequence
 * gives exact zeros), and Bluestein's chirp-z re-expression of any
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
    for (let k = 0; k < half; k++) {
      // no twiddle on bin 0 (a product by 1 would turn −0 into +0), exact roots elsewhere
      const [wr, w] = unitRoot(k, len)
      const wi = sign * w
      for (let s = k; s < n; s += len) {
        const t = s + half
        const xr = re[t] as number
        const xi = im[t] as number
        const vr = k === 0 ? xr : xr * wr - xi * wi
        const vi = k === 0 ? xi : xr * wi + xi * wr
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

/** The largest prime factor handled by {@link mixedRadix}'s direct butterflies (larger ones: Bluestein). */
const MAX_RADIX = 31

/** The smallest prime factor of n > 1. */
const smallestFactor = (n: number): number => {
  if (n % 2 === 0) return 2
  for (let p = 3; p * p <= n; p += 2) if (n % p === 0) return p
  return n
}

/** True when every prime factor of n is at most {@link MAX_RADIX}. */
const smooth = (n: number): boolean => {
  let m = n
  while (m > 1) {
    const p = smallestFactor(m)
    if (p > MAX_RADIX) return false
    m /= p
  }
  return true
}

/** π as the sum of two doubles. */
const PI_HI = Math.PI
const PI_LO = 1.2246467991473532e-16

/** The exact product a·b as the sum of two doubles (Dekker's splitting). */
const twoProduct = (a: number, b: number): [number, number] => {
  const p = a * b
  const split = (x: number): [number, number] => {
    const c = 134217729 * x
    const hi = c - (c - x)
    return [hi, x - hi]
  }
  const [ah, al] = split(a)
  const [bh, bl] = split(b)
  return [p, ah * bh - p + ah * bl + al * bh + al * bl]
}

/** cos and sin of (π/4)·(r/n), 0 ≤ r ≤ n, to about half an ulp: the rounded angle and its remainder. */
const octantRoot = (r: number, n: number): [number, number] => {
  if (r === 0) return [1, 0]
  const [ph, pl] = twoProduct(PI_HI, r)
  const x = ph / (4 * n)
  const [qh, ql] = twoProduct(x, 4 * n)
  const d = (ph - qh - ql + pl + PI_LO * r) / (4 * n)
  const c = Math.cos(x)
  const s = Math.sin(x)
  return [c - d * s, s + d * c]
}

/**
 * cos and sin of 2π·k/n, the angle reduced to the first octant and computed there to about half
 * an ulp (so cos(2π/3) is exactly −0.5 and the quarter turns exactly 0 and ±1).
 */
const unitRoot = (k: number, n: number): [number, number] => {
  // the angle in units of (π/4)/n: a = 8k mod 8n; octant o = ⌊a/n⌋, r = a − o·n past its start
  let a = (8 * k) % (8 * n)
  if (a < 0) a += 8 * n
  const oct = Math.floor(a / n)
  const r = a - oct * n
  // octant o covers [o·π/4, (o+1)·π/4): measured from its nearer multiple of π/2
  const [c, s] = octantRoot(oct % 2 === 0 ? r : n - r, n)
  switch (oct) {
    case 0:
      return [c, s]
    case 1:
      return [s, c]
    case 2:
      return [-s, c]
    case 3:
      return [-c, s]
    case 4:
      return [-c, -s]
    case 5:
      return [-s, -c]
    case 6:
      return [s, -c]
    default:
      return [c, -s]
  }
}

/**
 * A mixed-radix Cooley–Tukey transform (decimation in time, the smallest prime factor p first):
 * the p interleaved subsequences are transformed, twiddled (not for bin 0) and combined by a
 * p-point butterfly that pairs r with p−r, so symmetric data gives exact zeros (a constant
 * sequence transforms to exactly (n·c, 0, …, 0), as in PyTorch's pocketfft).
 */
const mixedRadix = (re: Float64Array, im: Float64Array, sign: number): void => {
  const n = re.length
  if (n <= 1) return
  const p = smallestFactor(n)
  const m = n / p
  const subR: Float64Array[] = []
  const subI: Float64Array[] = []
  for (let r = 0; r < p; r++) {
    const sr = new Float64Array(m)
    const si = new Float64Array(m)
    for (let j = 0; j < m; j++) {
      sr[j] = re[j * p + r] as number
      si[j] = im[j * p + r] as number
    }
    mixedRadix(sr, si, sign)
    subR.push(sr)
    subI.push(si)
  }
  const ar = new Float64Array(p)
  const ai = new Float64Array(p)
  const roots = Array.from({ length: p }, (_, q) => unitRoot(q, p))
  for (let k = 0; k < m; k++) {
    for (let r = 0; r < p; r++) {
      const xr = (subR[r] as Float64Array)[k] as number
      const xi = (subI[r] as Float64Array)[k] as number
      if (k === 0 || r === 0) {
        ar[r] = xr
        ai[r] = xi
      } else {
        const [wr, w] = unitRoot(r * k, n)
        const wi = sign * w
        ar[r] = xr * wr - xi * wi
        ai[r] = xr * wi + xi * wr
      }
    }
    butterfly(ar, ai, p, sign, roots)
    for (let q = 0; q < p; q++) {
      re[k + q * m] = ar[q] as number
      im[k + q * m] = ai[q] as number
    }
  }
}

/** The p-point transform of (ar, ai) in place, r paired with p−r (sums and differences first). */
const butterfly = (
  ar: Float64Array,
  ai: Float64Array,
  p: number,
  sign: number,
  roots: ReadonlyArray<[number, number]>,
): void => {
  const a0r = ar[0] as number
  const a0i = ai[0] as number
  if (p === 2) {
    const br = ar[1] as number
    const bi = ai[1] as number
    ar[0] = a0r + br
    ai[0] = a0i + bi
    ar[1] = a0r - br
    ai[1] = a0i - bi
    return
  }
  const h = (p - 1) / 2
  const sr: number[] = []
  const si: number[] = []
  const dr: number[] = []
  const di: number[] = []
  for (let r = 1; r <= h; r++) {
    const xr = ar[r] as number
    const xi = ai[r] as number
    const yr = ar[p - r] as number
    const yi = ai[p - r] as number
    sr.push(xr + yr)
    si.push(xi + yi)
    dr.push(xr - yr)
    di.push(xi - yi)
  }
  let y0r = a0r
  let y0i = a0i
  for (let r = 0; r < h; r++) {
    y0r += sr[r] as number
    y0i += si[r] as number
  }
  for (let q = 1; q <= h; q++) {
    let car = a0r
    let cai = a0i
    let cbr = 0
    let cbi = 0
    for (let r = 1; r <= h; r++) {
      const [c, s] = roots[(r * q) % p] as [number, number]
      car += c * (sr[r - 1] as number)
      cai += c * (si[r - 1] as number)
      const t = sign * s
      cbr = r === 1 ? t * (dr[0] as number) : cbr + t * (dr[r - 1] as number)
      cbi = r === 1 ? t * (di[0] as number) : cbi + t * (di[r - 1] as number)
    }
    // y_q = ca + i·cb, y_{p−q} = ca − i·cb
    ar[q] = car - cbi
    ai[q] = cai + cbr
    ar[p - q] = car + cbi
    ai[p - q] = cai - cbr
  }
  ar[0] = y0r
  ai[0] = y0i
}

/** The unnormalized transform of one sequence, in place. */
export const transform1d = (re: Float64Array, im: Float64Array, sign: number): void => {
  const n = re.length
  if (n <= 1) return
  if (isPow2(n)) radix2(re, im, sign)
  else if (smooth(n)) mixedRadix(re, im, sign)
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
