/**
 * PyTorch's CPU sampling kernels over the Mersenne Twister (mt19937.ts): the same draws in the
 * same order, so that a seed gives PyTorch's numbers. Each function fills `n` values in memory
 * order for one dtype.
 *
 * - uniform: 24 random bits for float32, 53 for float64, scaled to [from, to);
 * - normal: Box–Muller (Box & Muller, "A note on the generation of random normal deviates",
 *   Ann. Math. Statist. 29(2), 1958). Sixteen or more contiguous values are first filled with
 *   uniforms and transformed in blocks of 16 (the last block recomputed from fresh uniforms
 *   when 16 does not divide n); fewer, or strided ones, draw pairs in double precision one by
 *   one, the second of each pair cached in the generator for the next draw;
 * - integers in [from, to): one 32-bit word modulo the range, or 64 bits past 2³²;
 * - Bernoulli(p): a double uniform below p (a float uniform for a tensor of probabilities);
 * - exponential, Cauchy, log-normal, geometric: inverse transforms of one double uniform;
 * - permutations: Fisher–Yates from the front, one word modulo the remaining count per step.
 *
 * @category torch
 * @since 0.2.0
 */
import { fma32, logAvx32, sincosAvx32 } from './avxMath32'
import type { MT19937 } from './mt19937'

const TWO_POW_M24 = 2 ** -24
const TWO_POW_M53 = 2 ** -53

/** A float32 uniform in [0, 1): the low 24 bits of one word. */
const unit32 = (g: MT19937): number => (g.random() & 0xffffff) * TWO_POW_M24
/** A float64 uniform in [0, 1): 53 bits of two words. */
const unit64 = (g: MT19937): number => g.random53() * TWO_POW_M53

/** The high and low halves of a double (Dekker's split: each half has at most 26 significant bits). */
const split = (x: number): [number, number] => {
  const t = 134217729 * x
  const hi = t - (t - x)
  return [hi, x - hi]
}

/**
 * a·b + c with one rounding (a fused multiply-add, as PyTorch's compiled kernel computes
 * `u·(to − from) + from`): Dekker's exact product, then a compensated sum (Dekker, "A
 * floating-point technique for extending the available precision", Numer. Math. 18, 1971).
 */
export const fma64 = (a: number, b: number, c: number): number => {
  const p = a * b
  const [ah, al] = split(a)
  const [bh, bl] = split(b)
  const e = ah * bh - p + ah * bl + al * bh + al * bl
  const s = p + c
  const v = s - p
  return s + (p - (s - v) + (c - v) + e)
}

/** `n` uniforms in [from, to) for float32 or float64 (PyTorch's `uniform_`). */
export const uniformFill = (g: MT19937, n: number, f32: boolean, from: number, to: number): Float64Array => {
  const out = new Float64Array(n)
  if (f32) {
    // a 24-bit uniform times a float span is exact in double: one rounding to float32 is the fma's
    const lo = Math.fround(from)
    const span = Math.fround(Math.fround(to) - lo)
    for (let i = 0; i < n; i++) out[i] = Math.fround(unit32(g) * span + lo)
  } else {
    for (let i = 0; i < n; i++) out[i] = fma64(unit64(g), to - from, from)
  }
  return out
}

/** One standard normal in double precision (PyTorch's `normal_distribution<double>`), using and refilling the generator's cached pair. */
export const normalDouble = (g: MT19937): number => {
  const cached = g.nextDoubleNormal
  if (cached !== null) {
    g.nextDoubleNormal = null
    return cached
  }
  const u1 = unit64(g)
  const u2 = unit64(g)
  const r = Math.sqrt(-2 * Math.log1p(-u2))
  const theta = 2 * Math.PI * u1
  g.nextDoubleNormal = r * Math.sin(theta)
  return r * Math.cos(theta)
}

const TWO_PI_32 = Math.fround(2 * Math.PI)

/**
 * The Box–Muller transform of 16 uniforms in place: pairs (j, j + 8). Float32 as PyTorch's AVX2
 * kernel (approximate log/sin/cos, avxMath32.ts), float64 with the C library's functions; the
 * scaling `z·std + mean` is one fused multiply-add in both (contracted by the compiler in double).
 */
const normal16 = (d: Float64Array, at: number, mean: number, std: number, f32: boolean): void => {
  const F = Math.fround
  for (let j = 0; j < 8; j++) {
    const u2 = d[at + j + 8] as number
    if (f32) {
      const radius = F(Math.sqrt(F(-2 * logAvx32(F(1 - (d[at + j] as number))))))
      const [sin, cos] = sincosAvx32(F(TWO_PI_32 * u2))
      d[at + j] = fma32(F(radius * cos), F(std), F(mean))
      d[at + j + 8] = fma32(F(radius * sin), F(std), F(mean))
    } else {
      const radius = Math.sqrt(-2 * Math.log(1 - (d[at + j] as number)))
      const theta = 2 * Math.PI * u2
      d[at + j] = fma64(radius * Math.cos(theta), std, mean)
      d[at + j + 8] = fma64(radius * Math.sin(theta), std, mean)
    }
  }
}

/** `n` normals (PyTorch's `normal_`); `blocked` when the tensor is contiguous (see the module doc). */
export const normalFill = (
  g: MT19937,
  n: number,
  f32: boolean,
  mean: number,
  std: number,
  contiguous: boolean,
): Float64Array => {
  const out = new Float64Array(n)
  if (n >= 16 && contiguous) {
    const unit = f32 ? unit32 : unit64
    for (let i = 0; i < n; i++) out[i] = unit(g)
    for (let i = 0; i + 16 <= n; i += 16) normal16(out, i, mean, std, f32)
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = unit(g)
      normal16(out, n - 16, mean, std, f32)
    }
    return out
  }
  for (let i = 0; i < n; i++) out[i] = fma64(normalDouble(g), std, mean)
  return out
}

/** `n` integers in [from, to) (PyTorch's `random_(from, to)` and `randint`). */
export const integerFill = (g: MT19937, n: number, from: number, to: number): Float64Array => {
  const range = to - from
  const out = new Float64Array(n)
  if (range >= 2 ** 32) {
    const r = BigInt(range)
    for (let i = 0; i < n; i++) out[i] = Number(g.random64() % r) + from
  } else {
    for (let i = 0; i < n; i++) out[i] = (g.random() % range) + from
  }
  return out
}

/** `n` Bernoulli(p) draws of a scalar p (double uniforms, PyTorch's `bernoulli_(p)`). */
export const bernoulliFill = (g: MT19937, n: number, p: number): Float64Array => {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = unit64(g) < p ? 1 : 0
  return out
}

/**
 * Bernoulli draws of per-element probabilities (PyTorch's `bernoulli(p_tensor)`): float uniforms
 * for float32 probabilities, double ones (a 64-bit draw each) for float64 probabilities, as
 * PyTorch's CPU kernel picks its uniform's precision by the probabilities' dtype.
 */
export const bernoulliEach = (g: MT19937, p: ArrayLike<number>, double = false): Float64Array => {
  const out = new Float64Array(p.length)
  const unit = double ? unit64 : unit32
  for (let i = 0; i < p.length; i++) out[i] = unit(g) < (p[i] as number) ? 1 : 0
  return out
}

/** `n` draws of `transform(u)` for double uniforms u (the inverse-transform samplers). */
export const inverseFill = (g: MT19937, n: number, transform: (u: number) => number): Float64Array => {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = transform(unit64(g))
  return out
}

/** `n` log-normal draws: exp of double-precision normals (they share the normal cache). */
export const logNormalFill = (g: MT19937, n: number, mean: number, std: number): Float64Array => {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = Math.exp(fma64(normalDouble(g), std, mean))
  return out
}

/** A random permutation of 0..n-1 (PyTorch's `randperm`). */
export const permutation = (g: MT19937, n: number): Float64Array => {
  const r = new Float64Array(n)
  for (let i = 0; i < n; i++) r[i] = i
  for (let i = 0; i < n - 1; i++) {
    const z = g.random() % (n - i)
    const t = r[i] as number
    r[i] = r[i + z] as number
    r[i + z] = t
  }
  return r
}

/** A double uniform in [0, 1) (for samplers composed of several draws). */
export const uniformDouble = unit64

/**
 * PyTorch's `multinomial` of rows of weights `w` (CPU). Without replacement, or for one sample:
 * q ~ Exp(1) for every weight in memory order (a double uniform each), then the `k` largest of
 * w/q per row (argmax for one sample, first index on ties). With replacement: each row's running
 * sum divided by the total (in the weights' precision, the last entry set to 1), then one double
 * uniform per sample located by binary search (the first slot whose cumulative value is ≥ u).
 */
export const multinomialDraw = (
  g: MT19937,
  w: ReadonlyArray<ReadonlyArray<number>>,
  k: number,
  replacement: boolean,
  f32: boolean,
): number[][] => {
  const r = f32 ? Math.fround : (x: number): number => x
  if (!replacement || k === 1) {
    const keys = w.map((row) => row.map((wi) => r(wi / r(-Math.log1p(-unit64(g))))))
    return keys.map((row) => {
      const order = row.map((_, i) => i)
      if (k === 1) return [order.reduce((best, i) => ((row[i] as number) > (row[best] as number) ? i : best), 0)]
      return order.sort((i, j) => (row[j] as number) - (row[i] as number) || i - j).slice(0, k)
    })
  }
  return w.map((row) => {
    let sum = 0
    const cum = row.map((wi) => (sum = r(sum + wi)))
    for (let j = 0; j < cum.length; j++) cum[j] = r((cum[j] as number) / sum)
    cum[cum.length - 1] = 1
    return Array.from({ length: k }, () => {
      const u = unit64(g)
      let [lo, hi] = [0, cum.length]
      while (hi > lo) {
        const mid = lo + ((hi - lo) >> 1)
        if ((cum[mid] as number) < u) lo = mid + 1
        else hi = mid
      }
      return lo
    })
  })
}
