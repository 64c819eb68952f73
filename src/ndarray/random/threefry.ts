/**
 * JAX's counter-based PRNG, bit for bit: the Threefry-2x32 block cipher (20 rounds; Salmon,
 * Moraes, Dror and Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3") and the key
 * functions JAX builds on it in `jax/_src/prng.py` (`threefry_seed`, `threefry_split`,
 * `threefry_fold_in`, `threefry_random_bits`), plus `jax.random.uniform`'s bits-to-float step.
 *
 * JAX has two counter layouts, chosen by its `jax_threefry_partitionable` flag: the flag is on by
 * default since JAX 0.5.0 (January 2025) and off before. Every function that depends on the
 * layout takes it as an option and defaults to today's JAX. The layout does not change
 * `threefry2x32`, `seed` or `foldIn`.
 *
 * Plain numbers and typed arrays only: this is the kernel layer below the public `random` API.
 */
import { ValueError } from '../errors'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The two uint32 words of a threefry key (JAX: `random.key_data(key)`). */
export type KeyData = readonly [number, number]

/** How JAX lays counters out; see the module comment. */
export interface LayoutOptions {
  /** JAX's `jax_threefry_partitionable` (default true, as in JAX ≥ 0.5.0). */
  readonly partitionable?: boolean
}

/** How JAX turns an integer seed into a key. */
export interface SeedOptions {
  /** JAX's `jax_enable_x64` (default false, as in JAX): without it the seed's high word is dropped. */
  readonly x64?: boolean
}

// -------------------------------------------------------------------------------------
// the block cipher
// -------------------------------------------------------------------------------------

const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const
const PARITY = 0x1bd11bda // Skein's key-schedule parity constant

/**
 * Threefry-2x32-20 of the counters (x0[i], x1[i]) under key (k0, k1), written to y0[i], y1[i]
 * (JAX: `threefry2x32_p`). 5 groups of 4 rounds (add, rotate, xor), a key injection after each.
 */
export const threefryBlocks = (
  k0: number,
  k1: number,
  x0: Uint32Array,
  x1: Uint32Array,
  y0: Uint32Array,
  y1: Uint32Array,
): void => {
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ PARITY) >>> 0] as const
  for (let i = 0; i < x0.length; i++) {
    let a = ((x0[i] ?? 0) + ks[0]) >>> 0
    let b = ((x1[i] ?? 0) + ks[1]) >>> 0
    for (let g = 0; g < 5; g++) {
      for (const r of ROTATIONS[g % 2] ?? []) {
        a = (a + b) >>> 0
        b = ((b << r) | (b >>> (32 - r))) ^ a
      }
      a = (a + (ks[(g + 1) % 3] ?? 0)) >>> 0
      b = (b + (ks[(g + 2) % 3] ?? 0) + g + 1) >>> 0
    }
    y0[i] = a
    y1[i] = b
  }
}

/** Threefry-2x32-20 of one counter pair (x0, x1) under key (k0, k1), as two uint32 words. */
export const threefry2x32 = (k0: number, k1: number, x0: number, x1: number): [number, number] => {
  const y0 = new Uint32Array(1)
  const y1 = new Uint32Array(1)
  threefryBlocks(k0, k1, Uint32Array.of(x0 >>> 0), Uint32Array.of(x1 >>> 0), y0, y1)
  return [y0[0] ?? 0, y1[0] ?? 0]
}

/**
 * JAX's `threefry_2x32(key, count)` over a flat uint32 `count`: pad to even length with one 0,
 * hash the first half against the second half, concatenate both output halves, drop the pad.
 */
export const threefryCounts = (key: KeyData, count: Uint32Array): Uint32Array => {
  const n = count.length
  const half = (n + (n % 2)) / 2
  const x0 = count.slice(0, half)
  const x1 = new Uint32Array(half) // the pad, if any, stays 0
  x1.set(count.subarray(half))
  const out = new Uint32Array(2 * half)
  threefryBlocks(key[0], key[1], x0, x1, out.subarray(0, half), out.subarray(half))
  return n % 2 ? out.slice(0, n) : out
}

/** 0, 1, …, n − 1 as uint32 (JAX: `lax.iota(uint32, n)`). */
const iota = (n: number): Uint32Array => {
  const out = new Uint32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  return out
}

/** Hashes the 64-bit counters 0 … n − 1 (high word, low word), as the partitionable layout does. */
const hashIota64 = (key: KeyData, n: number): [Uint32Array, Uint32Array] => {
  const hi = new Uint32Array(n)
  const lo = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    hi[i] = Math.floor(i / 2 ** 32)
    lo[i] = i >>> 0
  }
  const y0 = new Uint32Array(n)
  const y1 = new Uint32Array(n)
  threefryBlocks(key[0], key[1], hi, lo, y0, y1)
  return [y0, y1]
}

// -------------------------------------------------------------------------------------
// keys
// -------------------------------------------------------------------------------------

const checkCount = (op: string, what: string, n: number): void => {
  // NOTE: JAX's original layout switches to a block scheme past 2³² − 1 counters; arrays that
  // large do not fit a JS typed array, so the kernel refuses them instead.
  if (!Number.isSafeInteger(n) || n < 0 || n >= 0xffffffff) {
    throw new ValueError(`${op}: ${what} must be an integer in [0, 2**32 - 1), got ${n}`)
  }
}

/**
 * JAX's `threefry_seed`: a seed becomes the key [high 32 bits, low 32 bits] of its 64-bit two's
 * complement. JAX takes a Python int as int64 (outside that range it raises OverflowError) and,
 * without x64, narrows it to int32 first, so the key is [0, seed mod 2³²]: PRNGKey(-1) is
 * [0, 4294967295], and [4294967295, 4294967295] with x64.
 */
export const seedKey = (seed: number | bigint, opts: SeedOptions = {}): [number, number] => {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new ValueError(`PRNGKey: seed must be an integer (a bigint past 2**53), got ${seed}`)
  }
  const s = BigInt(seed)
  if (s < -(2n ** 63n) || s >= 2n ** 63n) {
    throw new ValueError(`PRNGKey: seed ${s} does not fit in int64`)
  }
  const bits = BigInt.asUintN(64, s)
  const lo = Number(bits & 0xffffffffn)
  return [opts.x64 === true ? Number(bits >> 32n) : 0, lo]
}

/**
 * JAX's `threefry_split`: `num` new keys as a flat uint32 array of 2·num words (key i at 2i, 2i+1).
 * Partitionable: key i is the hash of the 64-bit counter i. Original: the key data are
 * `threefry_2x32(key, iota(2·num))` read in pairs.
 */
export const splitKey = (key: KeyData, num: number, opts: LayoutOptions = {}): Uint32Array => {
  checkCount('random.split', 'num', num)
  checkCount('random.split', '2·num', 2 * num)
  if (opts.partitionable === false) return threefryCounts(key, iota(2 * num))
  const [y0, y1] = hashIota64(key, num)
  const out = new Uint32Array(2 * num)
  for (let i = 0; i < num; i++) {
    out[2 * i] = y0[i] ?? 0
    out[2 * i + 1] = y1[i] ?? 0
  }
  return out
}

/** JAX's `threefry_fold_in`: the key hashed with the counter [0, data] (data a uint32). Same in both layouts. */
export const foldIn = (key: KeyData, data: number): [number, number] => {
  if (!Number.isInteger(data) || data < 0 || data > 0xffffffff) {
    throw new ValueError(`random.fold_in: data must be an integer in [0, 2**32), got ${data}`)
  }
  return threefry2x32(key[0], key[1], 0, data)
}

// -------------------------------------------------------------------------------------
// bits
// -------------------------------------------------------------------------------------

/** The bit widths `random_bits` produces below 64. */
export type BitWidth = 8 | 16 | 32

/**
 * JAX's `threefry_random_bits` for 8, 16 or 32 bits: `size` unsigned words, in row-major order.
 * Partitionable: element i is y0 ^ y1 of counter i, truncated to the width. Original: the words
 * of `threefry_2x32(key, iota(⌈width·size/32⌉))`, viewed as smaller words little-end first.
 */
export const randomBits = (
  key: KeyData,
  bitWidth: BitWidth,
  size: number,
  opts: LayoutOptions = {},
): Uint8Array | Uint16Array | Uint32Array => {
  checkCount('random.bits', 'size', size)
  const View = bitWidth === 8 ? Uint8Array : bitWidth === 16 ? Uint16Array : Uint32Array
  if (opts.partitionable === false) {
    const words = threefryCounts(key, iota(Math.ceil((bitWidth * size) / 32)))
    // NOTE: JAX extracts the small words with shifts (little-end first), the same as this view on
    // a little-endian host; on a big-endian one the view would differ, so copy by shifts.
    const out = new View(size)
    const per = 32 / bitWidth
    const mask = 2 ** bitWidth - 1
    for (let i = 0; i < size; i++) out[i] = ((words[Math.floor(i / per)] ?? 0) >>> (bitWidth * (i % per))) & mask
    return out
  }
  const [y0, y1] = hashIota64(key, size)
  const out = new View(size)
  for (let i = 0; i < size; i++) out[i] = (y0[i] ?? 0) ^ (y1[i] ?? 0) // typed-array stores truncate
  return out
}

/**
 * JAX's `threefry_random_bits` for 64 bits (as with `jax_enable_x64`), as the high and low words.
 * Partitionable: (y0, y1) of counter i. Original: the first and second halves of
 * `threefry_2x32(key, iota(2·size))`.
 */
export const randomBits64 = (key: KeyData, size: number, opts: LayoutOptions = {}): [Uint32Array, Uint32Array] => {
  checkCount('random.bits', 'size', 2 * size)
  if (opts.partitionable === false) {
    const words = threefryCounts(key, iota(2 * size))
    return [words.slice(0, size), words.slice(size)]
  }
  return hashIota64(key, size)
}

// -------------------------------------------------------------------------------------
// bits to floats
// -------------------------------------------------------------------------------------

/**
 * `jax.random.uniform`'s float32 step: keep the top 23 bits as the mantissa of a float in
 * [1, 2) and subtract 1, i.e. (bits >>> 9)·2⁻²³ in [0, 1) (exact in float32).
 */
export const unitFloat32 = (bits: Uint32Array): Float32Array => {
  const out = new Float32Array(bits.length)
  for (let i = 0; i < bits.length; i++) out[i] = ((bits[i] ?? 0) >>> 9) * 2 ** -23
  return out
}

/**
 * The float64 step from 64-bit words (high, low): the top 52 bits as the mantissa of [1, 2),
 * minus 1, i.e. (high·2²⁰ + (low >>> 12))·2⁻⁵² in [0, 1) (exact).
 */
export const unitFloat64 = (hi: Uint32Array, lo: Uint32Array): Float64Array => {
  const out = new Float64Array(hi.length)
  for (let i = 0; i < hi.length; i++) out[i] = ((hi[i] ?? 0) * 2 ** 20 + ((lo[i] ?? 0) >>> 12)) * 2 ** -52
  return out
}

/**
 * `jax.random.uniform(key, (size,), dtype, minval, maxval)` as JAX computes it:
 * max(minval, u·(maxval − minval) + minval) with u from the steps above, rounded in the dtype.
 */
export const uniform = (
  key: KeyData,
  size: number,
  dtype: 'float32' | 'float64',
  minval = 0,
  maxval = 1,
  opts: LayoutOptions = {},
): Float32Array | Float64Array => {
  if (dtype === 'float64') {
    const [hi, lo] = randomBits64(key, size, opts)
    const u = unitFloat64(hi, lo)
    for (let i = 0; i < size; i++) u[i] = Math.max(minval, (u[i] ?? 0) * (maxval - minval) + minval)
    return u
  }
  const f = Math.fround
  const u = unitFloat32(randomBits(key, 32, size, opts) as Uint32Array)
  const [lo32, span] = [f(minval), f(f(maxval) - f(minval))]
  for (let i = 0; i < size; i++) u[i] = Math.max(lo32, f(f((u[i] ?? 0) * span) + lo32))
  return u
}
