/**
 * The kernels of the random primitives: JAX's key functions and samplers applied to arrays of
 * raw keys. A key array has shape [...K, 2]: the last axis holds the two uint32 words (stored as
 * int64, exact), every leading index is one key, and each key's draw fills its own block of the
 * output, so a batch of keys gives the same numbers as the keys one at a time (`vmap` relies on
 * it).
 *
 * @category kernels
 * @since 0.2.0
 */
import { erfinv } from '../kernels/special'
import { NdArray } from '../NdArray'
import { sizeOf, type Shape } from '../shape'
import { foldIn, randomBits, splitKey, uniform as uniformKernel, type KeyData } from './threefry'

/** The float dtypes the samplers produce. */
export type FloatDType = 'float32' | 'float64'

/** The number of keys in a key array and the key i. */
const keyCount = (keys: NdArray): number => keys.size / 2
const keyAt = (keys: NdArray, i: number): KeyData => [keys._data[2 * i] as number, keys._data[2 * i + 1] as number]

/** Key data (pairs of words) as an int64 array of shape [...lead, 2]. */
export const keyArray = (lead: Shape, words: ArrayLike<number>): NdArray =>
  new NdArray([...lead, 2], 'int64', Float64Array.from(words))

/** JAX's `split(key, shape)` for every key: [...K, 2] → [...K, ...shape, 2]. */
export const splitKeys = (keys: NdArray, shape: Shape): NdArray => {
  const m = sizeOf(shape)
  const out = new Float64Array(keyCount(keys) * m * 2)
  for (let i = 0; i < keyCount(keys); i++) out.set(splitKey(keyAt(keys, i), m), 2 * m * i)
  return new NdArray([...keys.shape.slice(0, -1), ...shape, 2], 'int64', out)
}

/** JAX's `fold_in` for every key with its own datum (data holds one integer per key, as uint32). */
export const foldInKeys = (keys: NdArray, data: NdArray): NdArray => {
  const out = new Float64Array(keys.size)
  for (let i = 0; i < keyCount(keys); i++) out.set(foldIn(keyAt(keys, i), (data._data[i] as number) >>> 0), 2 * i)
  return new NdArray(keys.shape, 'int64', out)
}

/** 32 random bits per element (JAX: `random.bits`), as int64: [...K, 2] → [...K, ...shape]. */
export const bitsKeys = (keys: NdArray, shape: Shape): NdArray => {
  const m = sizeOf(shape)
  const out = new Float64Array(keyCount(keys) * m)
  for (let i = 0; i < keyCount(keys); i++) out.set(randomBits(keyAt(keys, i), 32, m), m * i)
  return new NdArray([...keys.shape.slice(0, -1), ...shape], 'int64', out)
}

/** Floats in [0, 1) from the bits as `jax.random.uniform` makes them: [...K, 2] → [...K, ...shape]. */
export const unitKeys = (keys: NdArray, shape: Shape, dtype: FloatDType): NdArray => {
  const m = sizeOf(shape)
  const out = dtype === 'float32' ? new Float32Array(keyCount(keys) * m) : new Float64Array(keyCount(keys) * m)
  for (let i = 0; i < keyCount(keys); i++) out.set(uniformKernel(keyAt(keys, i), m, dtype), m * i)
  return new NdArray([...keys.shape.slice(0, -1), ...shape], dtype, out)
}

/** (a·b) mod 2³² for uint32 a, b. */
const mulU32 = (a: number, b: number): number => Math.imul(a, b) >>> 0

/**
 * `jax.random.randint` for every key: two 32-bit draws (from split(key)) combined as
 * (hi mod span)·(2³² mod span) + lo mod span, all in uint32 arithmetic, as JAX does, so the
 * integers are uniform up to a bias below 2⁻³². lo/hi hold one bound per output element.
 */
export const randintKeys = (
  keys: NdArray,
  lo: NdArray,
  hi: NdArray,
  shape: Shape,
  dtype: 'int32' | 'int64',
): NdArray => {
  const m = sizeOf(shape)
  const out = dtype === 'int32' ? new Int32Array(keyCount(keys) * m) : new Float64Array(keyCount(keys) * m)
  for (let i = 0; i < keyCount(keys); i++) {
    const sub = splitKey(keyAt(keys, i), 2)
    const high = randomBits([sub[0] as number, sub[1] as number], 32, m)
    const low = randomBits([sub[2] as number, sub[3] as number], 32, m)
    for (let j = 0; j < m; j++) {
      const [a, b] = [lo._data[m * i + j] as number, hi._data[m * i + j] as number]
      // span = 1 when maxval <= minval, so minval is returned (JAX's convention)
      const span = b <= a ? 1 : Math.min(b - a, 0xffffffff)
      let mult = 2 ** 16 % span
      mult = mulU32(mult, mult) % span
      const offset = ((mulU32((high[j] as number) % span, mult) + ((low[j] as number) % span)) >>> 0) % span
      out[m * i + j] = a + offset
    }
  }
  return new NdArray([...keys.shape.slice(0, -1), ...shape], dtype, out)
}

/**
 * The permutation of `shape`'s indices along `axis` that JAX's `_shuffle` applies: each round
 * splits the key, draws 32-bit sort keys of the whole shape and sorts along the axis by them;
 * ⌈3·ln(size)/ln(2³² − 1)⌉ rounds. Returns the int32 source index of every output element.
 */
export const shuffleKeys = (keys: NdArray, shape: Shape, axis: number): NdArray => {
  const m = sizeOf(shape)
  const n = shape[axis] ?? 1
  const inner = sizeOf(shape.slice(axis + 1))
  const rounds = Math.ceil((3 * Math.log(Math.max(1, m))) / Math.log(0xffffffff))
  const out = new Int32Array(keyCount(keys) * m)
  const col = new Array<number>(n)
  for (let i = 0; i < keyCount(keys); i++) {
    const idx = new Int32Array(m)
    for (let j = 0; j < m; j++) idx[j] = Math.floor(j / inner) % n
    let key = keyAt(keys, i)
    for (let r = 0; r < rounds; r++) {
      const s = splitKey(key, 2)
      key = [s[0] as number, s[1] as number]
      const sortKeys = randomBits([s[2] as number, s[3] as number], 32, m)
      for (let base = 0; base < m; base += n * inner) {
        for (let t = 0; t < inner; t++) {
          const at = (p: number): number => base + p * inner + t
          for (let p = 0; p < n; p++) col[p] = p
          col.sort((u, v) => (sortKeys[at(u)] as number) - (sortKeys[at(v)] as number) || u - v)
          const vals = col.map((p) => idx[at(p)] as number)
          vals.forEach((v, p) => (idx[at(p)] = v))
        }
      }
    }
    out.set(idx, m * i)
  }
  return new NdArray([...keys.shape.slice(0, -1), ...shape], 'int32', out)
}

/** One standard normal draw from a key, as `jax.random.normal(key, ())`: √2·erfinv(u), u ∈ (−1, 1). */
const normalOne = (key: KeyData, dtype: FloatDType): number => {
  const lo = dtype === 'float32' ? Math.fround(-1 + 2 ** -24) : -1 + 2 ** -53
  const u = uniformKernel(key, 1, dtype, lo, 1)[0] as number
  return Math.SQRT2 * erfinv(u)
}

const unitOne = (key: KeyData, dtype: FloatDType): number => uniformKernel(key, 1, dtype)[0] as number
const pair = (w: Uint32Array, i: number): KeyData => [w[2 * i] as number, w[2 * i + 1] as number]

/**
 * One Gamma(α, 1) draw (JAX's `_gamma_one`): Marsaglia and Tsang's squeeze-and-reject method
 * (2000, "A simple method for generating gamma variables"), α < 1 boosted to α + 1 and the draw
 * multiplied by U^(1/α). Evaluated in float64 (JAX evaluates in the dtype).
 */
export const gammaOne = (key: KeyData, alpha: number, dtype: FloatDType): number => {
  if (!(alpha > 0)) return alpha === 0 ? 0 : NaN
  const boost = alpha < 1
  const a = boost ? alpha + 1 : alpha
  const d = a - 1 / 3
  const c = 1 / 3 / Math.sqrt(d)
  const top = splitKey(key, 2)
  let k: KeyData = pair(top, 0)
  const subkey = pair(top, 1)
  let V = 1
  for (;;) {
    const s = splitKey(k, 3)
    k = pair(s, 0)
    let xk = pair(s, 1)
    let x = 0
    let v = -1
    while (v <= 0) {
      const t = splitKey(xk, 2)
      xk = pair(t, 0)
      x = normalOne(pair(t, 1), dtype)
      v = 1 + x * c
    }
    const X = x * x
    V = v * v * v
    const U = unitOne(pair(s, 2), dtype)
    if (U < 1 - 0.0331 * X * X || Math.log(U) < X / 2 + d * (1 - V + Math.log(V))) break
  }
  const scale = boost ? (1 - unitOne(subkey, dtype)) ** (1 / alpha) : 1
  return d * V * scale
}

/** A Gamma(a, 1) draw per element of `a` ([...K, ...S]); key i is split into one key per element of its block. */
export const gammaKeys = (keys: NdArray, a: NdArray): NdArray => {
  const n = keyCount(keys)
  const m = n === 0 ? 0 : a.size / n
  const dtype = a.dtype === 'float32' ? 'float32' : 'float64'
  const out = dtype === 'float32' ? new Float32Array(a.size) : new Float64Array(a.size)
  for (let i = 0; i < n; i++) {
    const sub = splitKey(keyAt(keys, i), m)
    for (let j = 0; j < m; j++) out[m * i + j] = gammaOne(pair(sub, j), a._data[m * i + j] as number, dtype)
  }
  return new NdArray(a.shape, dtype, out)
}

/**
 * One Poisson(λ) draw: Knuth's product of uniforms for λ < 10, Hörmann's transformed rejection
 * with squeeze (PTRS, 1993, "The transformed rejection method for generating Poisson random
 * variables") above, as JAX chooses.
 */
export const poissonOne = (key: KeyData, lam: number): number => {
  if (!(lam >= 0) || lam === Infinity) return -1
  if (lam === 0) return 0
  let k = key
  if (lam < 10) {
    const limit = Math.exp(-lam)
    let prod = 1
    let count = -1
    do {
      const s = splitKey(k, 2)
      k = pair(s, 0)
      prod *= unitOne(pair(s, 1), 'float64')
      count++
    } while (prod > limit)
    return count
  }
  const logLam = Math.log(lam)
  const b = 0.931 + 2.53 * Math.sqrt(lam)
  const a = -0.059 + 0.02483 * b
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4)
  const vr = 0.9277 - 3.6224 / (b - 2)
  for (;;) {
    const s = splitKey(k, 3)
    k = pair(s, 0)
    const u = unitOne(pair(s, 1), 'float64') - 0.5
    const v = unitOne(pair(s, 2), 'float64')
    const us = 0.5 - Math.abs(u)
    const kk = Math.floor(((2 * a) / us + b) * u + lam + 0.43)
    if (us >= 0.07 && v <= vr) return kk
    if (kk < 0 || (us < 0.013 && v > us)) continue
    const logV = Math.log((v * invAlpha) / (a / (us * us) + b))
    if (logV <= -lam + kk * logLam - lgammaInt(kk + 1)) return kk
  }
}

/** log Γ(n) for the integer counts of the Poisson sampler. */
const lgammaInt = (n: number): number => {
  if (n < 30) {
    let s = 0
    for (let i = 2; i < n; i++) s += Math.log(i)
    return s
  }
  const x = n
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3)
}

/** A Poisson(λ) draw per element of `lam` ([...K, ...S]), as int32; keys as in {@link gammaKeys}. */
export const poissonKeys = (keys: NdArray, lam: NdArray): NdArray => {
  const n = keyCount(keys)
  const m = n === 0 ? 0 : lam.size / n
  const out = new Int32Array(lam.size)
  for (let i = 0; i < n; i++) {
    const sub = splitKey(keyAt(keys, i), m)
    for (let j = 0; j < m; j++) out[m * i + j] = poissonOne(pair(sub, j), lam._data[m * i + j] as number)
  }
  return new NdArray(lam.shape, 'int32', out)
}
