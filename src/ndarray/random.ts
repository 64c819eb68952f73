/**
 * The PyTorch facade's random streams (src/torch/generator.ts): Threefry-2x32 keys as small
 * objects and engine-independent samplers on plain arrays. Internal since 0.2.0: the public
 * `random` namespace is JAX's API on key arrays (src/ops/random), which `jit` and `vmap` trace.
 *
 * @category random
 * @since 0.1.0
 */
import { checkDType, type DType } from './dtype'
import { DTypeError, ValueError } from './errors'
import { NdArray } from './NdArray'
import { checkShape, sizeOf } from './shape'

/**
 * A PRNG key: two 32-bit words. Keys are values; use `split` to get fresh ones.
 * @category random @since 0.1.0
 */
export class PRNGKey {
  /** @internal */
  constructor(
    readonly k0: number,
    readonly k1: number,
  ) {}
  toString(): string {
    return `PRNGKey(${this.k0}, ${this.k1})`
  }
}

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0
const R0 = [13, 15, 26, 6] as const
const R1 = [17, 29, 16, 24] as const

/** Threefry-2x32 of counter (x0, x1) under key (k0, k1); writes two words into out[o], out[o+1]. */
const threefry = (k0: number, k1: number, x0: number, x1: number, out: Uint32Array, o: number): void => {
  const k2 = (k0 ^ k1 ^ 0x1bd11bda) >>> 0
  const ks = [k0, k1, k2]
  x0 = (x0 + k0) >>> 0
  x1 = (x1 + k1) >>> 0
  for (let g = 0; g < 5; g++) {
    const rot = g % 2 === 0 ? R0 : R1
    for (let i = 0; i < 4; i++) {
      x0 = (x0 + x1) >>> 0
      x1 = rotl(x1, rot[i] as number)
      x1 = (x1 ^ x0) >>> 0
    }
    x0 = (x0 + (ks[(g + 1) % 3] as number)) >>> 0
    x1 = (x1 + (ks[(g + 2) % 3] as number) + g + 1) >>> 0
  }
  out[o] = x0
  out[o + 1] = x1
}

/**
 * The Threefry-2x32 block function (20 rounds) of counter (x0, x1) under key (k0, k1), as two
 * unsigned 32-bit words (JAX: `jax.random.threefry_2x32`). Every sampler is built on it.
 * @category random
 * @since 0.1.0
 */
export const threefry2x32 = (k0: number, k1: number, x0: number, x1: number): [number, number] => {
  const out = new Uint32Array(2)
  threefry(k0 >>> 0, k1 >>> 0, x0 >>> 0, x1 >>> 0, out, 0)
  return [out[0] as number, out[1] as number]
}

// -------------------------------------------------------------------------------------
// portable math
// -------------------------------------------------------------------------------------
// NOTE: ECMAScript leaves Math.log, Math.cos and Math.sin implementation-approximated, so
// samples built on them could differ in the last bit between engines. The samplers use these
// instead: only +, −, ×, ÷ (exactly rounded everywhere), Math.sqrt and bit access.

const bitsView = new DataView(new ArrayBuffer(8))
const LN2_HI = 6.9314718036912381649e-1 // high bits of ln 2 (fdlibm's split): e·LN2_HI is exact
const LN2_LO = 1.90821492927058770002e-10

/** ln x for finite x > 0. */
const portableLog = (x: number): number => {
  let e = 0
  if (x < 2 ** -1022) {
    x *= 2 ** 54
    e = -54
  }
  bitsView.setFloat64(0, x)
  const hi = bitsView.getUint32(0)
  e += ((hi >>> 20) & 0x7ff) - 1023
  bitsView.setUint32(0, (hi & 0x800fffff) | 0x3ff00000)
  let m = bitsView.getFloat64(0) // x = m·2^e, m in [1, 2)
  if (m > Math.SQRT2) {
    m /= 2
    e += 1
  }
  // ln m = 2 atanh(s) = 2(s + s³/3 + s⁵/5 + …), s = (m − 1)/(m + 1), |s| ≤ 0.1716
  const s = (m - 1) / (m + 1)
  const s2 = s * s
  let t = 0
  for (let k = 25; k >= 3; k -= 2) t = (t + 1 / k) * s2
  return e * LN2_HI + (e * LN2_LO + 2 * s * (1 + t))
}

/** [cos 2πu, sin 2πu] for u in [0, 1). */
const portableCosSin2Pi = (u: number): [number, number] => {
  const q = Math.floor(4 * u) // quadrant; 4u and 4u − q are exact
  let f = 4 * u - q
  const swap = f > 0.5
  if (swap) f = 1 - f // exact for f in (0.5, 1)
  const t = f * (Math.PI / 2) // in [0, π/4]
  const t2 = t * t
  // Taylor series in Horner form; the first omitted terms are below 1e-17 on [0, π/4]
  let sin = 1
  for (let k = 18; k >= 2; k -= 2) sin = 1 - (t2 / (k * (k + 1))) * sin
  sin *= t
  let cos = 1
  for (let k = 19; k >= 1; k -= 2) cos = 1 - (t2 / (k * (k + 1))) * cos
  let c = swap ? sin : cos
  let s = swap ? cos : sin
  for (let i = 0; i < q; i++) [c, s] = [-s, c] // rotate by a quarter turn
  return [c, s]
}

/** The largest value of the dtype below `x` (finite x). */
const nextDown = (x: number, f32: boolean): number => {
  if (f32) {
    const v = Math.fround(x)
    bitsView.setFloat32(0, v)
    const b = bitsView.getInt32(0)
    if (v === 0) bitsView.setInt32(0, 0x80000001)
    else bitsView.setInt32(0, v > 0 ? b - 1 : b + 1)
    return bitsView.getFloat32(0)
  }
  bitsView.setFloat64(0, x)
  const hi = bitsView.getUint32(0)
  const lo = bitsView.getUint32(4)
  if (x === 0) return -Number.MIN_VALUE
  if (x > 0) {
    bitsView.setUint32(4, (lo - 1) >>> 0)
    if (lo === 0) bitsView.setUint32(0, hi - 1)
  } else {
    bitsView.setUint32(4, (lo + 1) >>> 0)
    if (lo === 0xffffffff) bitsView.setUint32(0, hi + 1)
  }
  return bitsView.getFloat64(0)
}

/** `n` random 32-bit words from a key. */
const bits = (key: PRNGKey, n: number): Uint32Array => {
  const out = new Uint32Array(n + (n % 2))
  for (let i = 0; i < out.length; i += 2) threefry(key.k0, key.k1, 0, i / 2, out, i)
  return n % 2 ? out.subarray(0, n) : out
}

/**
 * A key from an integer seed.
 * @category random @since 0.1.0
 */
export const key = (seed: number): PRNGKey => {
  if (!Number.isInteger(seed)) throw new ValueError(`random.key: seed must be an integer, got ${seed}`)
  const hi = Math.floor(seed / 2 ** 32) >>> 0
  return new PRNGKey(hi, seed >>> 0)
}

/**
 * Splits a key into `num` (default 2) independent keys.
 * @category random @since 0.1.0
 */
export const split = (k: PRNGKey, num = 2): PRNGKey[] => {
  if (!Number.isInteger(num) || num < 1)
    throw new ValueError(`random.split: num must be a positive integer, got ${num}`)
  const out = new Uint32Array(2 * num)
  const buf = new Uint32Array(2)
  for (let i = 0; i < num; i++) {
    threefry(k.k0, k.k1, 1, i, buf, 0)
    out[2 * i] = buf[0] as number
    out[2 * i + 1] = buf[1] as number
  }
  return Array.from({ length: num }, (_, i) => new PRNGKey(out[2 * i] as number, out[2 * i + 1] as number))
}

/** Options of the samplers. */
export interface SampleOptions {
  /** float32 (default) or float64. */
  readonly dtype?: DType
}

const floatDType = (op: string, opts?: SampleOptions): 'float32' | 'float64' => {
  const d = checkDType(op, opts?.dtype ?? 'float32')
  if (d !== 'float32' && d !== 'float64') throw new DTypeError(`${op}: dtype must be float32 or float64, got ${d}`)
  return d
}

/** Uniform floats in [0, 1) with full mantissa resolution. */
const unitFloats = (k: PRNGKey, n: number, dtype: 'float32' | 'float64'): Float64Array => {
  const out = new Float64Array(n)
  if (dtype === 'float32') {
    const b = bits(k, n)
    for (let i = 0; i < n; i++) out[i] = ((b[i] as number) >>> 8) * 2 ** -24
  } else {
    const b = bits(k, 2 * n)
    for (let i = 0; i < n; i++)
      out[i] = (((b[2 * i] as number) >>> 5) * 2 ** 26 + ((b[2 * i + 1] as number) >>> 6)) * 2 ** -53
  }
  return out
}

const make = (shape: ReadonlyArray<number>, dtype: 'float32' | 'float64', vals: Float64Array): NdArray =>
  new NdArray(shape, dtype, dtype === 'float32' ? Float32Array.from(vals) : vals)

/**
 * Uniform samples in [minval, maxval).
 * @category random @since 0.1.0
 */
export const uniform = (
  k: PRNGKey,
  shape: ReadonlyArray<number> = [],
  opts: SampleOptions & { readonly minval?: number; readonly maxval?: number } = {},
): NdArray => {
  const s = checkShape('random.uniform', shape)
  const dtype = floatDType('random.uniform', opts)
  const lo = opts.minval ?? 0
  const hi = opts.maxval ?? 1
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) {
    throw new ValueError(`random.uniform: expected finite minval <= maxval, got ${lo} and ${hi}`)
  }
  const f32 = dtype === 'float32'
  // rounding lo + (hi − lo)·u to the dtype can reach hi; the interval is half-open
  const top = hi > lo ? nextDown(hi, f32) : hi
  const u = unitFloats(k, sizeOf(s), dtype)
  for (let i = 0; i < u.length; i++) {
    const v = lo + (hi - lo) * (u[i] as number)
    u[i] = (f32 ? Math.fround(v) : v) > top ? top : v
  }
  return make(s, dtype, u)
}

/**
 * Standard normal samples (Box–Muller on pairs of uniforms, with engine-independent log/cos/sin).
 * @category random @since 0.1.0
 */
export const normal = (k: PRNGKey, shape: ReadonlyArray<number> = [], opts: SampleOptions = {}): NdArray => {
  const s = checkShape('random.normal', shape)
  const dtype = floatDType('random.normal', opts)
  const n = sizeOf(s)
  const u = unitFloats(k, 2 * Math.ceil(n / 2), 'float64')
  const out = new Float64Array(n)
  for (let i = 0; i < n; i += 2) {
    // 1 − u is exact and in (0, 1], so the log is finite
    const r = Math.sqrt(-2 * portableLog(1 - (u[i] as number)))
    const [c, sn] = portableCosSin2Pi(u[i + 1] as number)
    out[i] = r * c
    if (i + 1 < n) out[i + 1] = r * sn
  }
  return make(s, dtype, out)
}

/**
 * Booleans that are true with probability `p`.
 * @category random @since 0.1.0
 */
export const bernoulli = (k: PRNGKey, p = 0.5, shape: ReadonlyArray<number> = []): NdArray => {
  const s = checkShape('random.bernoulli', shape)
  if (!(p >= 0 && p <= 1)) throw new ValueError(`random.bernoulli: p must be in [0, 1], got ${p}`)
  const u = unitFloats(k, sizeOf(s), 'float32')
  const out = new Uint8Array(u.length)
  for (let i = 0; i < u.length; i++) out[i] = (u[i] as number) < p ? 1 : 0
  return new NdArray(s, 'bool', out)
}

/**
 * Uniform integers in [minval, maxval).
 * @category random @since 0.1.0
 */
export const randint = (k: PRNGKey, shape: ReadonlyArray<number>, minval: number, maxval: number): NdArray => {
  const s = checkShape('random.randint', shape)
  if (!Number.isInteger(minval) || !Number.isInteger(maxval) || maxval <= minval) {
    throw new ValueError(`random.randint: expected integers minval < maxval, got ${minval} and ${maxval}`)
  }
  const u = unitFloats(k, sizeOf(s), 'float64')
  const out = new Int32Array(u.length)
  for (let i = 0; i < u.length; i++) out[i] = minval + Math.floor((u[i] as number) * (maxval - minval))
  return new NdArray(s, 'int32', out)
}

/**
 * A random permutation of 0..n-1 (Fisher–Yates).
 * @category random @since 0.1.0
 */
export const permutation = (k: PRNGKey, n: number): NdArray => {
  const u = unitFloats(k, n, 'float64')
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((u[i] as number) * (i + 1))
    const t = out[i] as number
    out[i] = out[j] as number
    out[j] = t
  }
  return new NdArray([n], 'int32', out)
}
