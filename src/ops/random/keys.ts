/**
 * JAX's key API: raw keys are int64 arrays of shape [..., 2] holding the two uint32 words of a
 * threefry2x32 key (JAX: `uint32[2]`; wengert has no uint32 dtype, and int64 holds every uint32
 * exactly and prints the same numbers). Keys are ordinary arrays, so they pass through `jit`,
 * `vmap` and pytrees; every function here is a primitive or built from them.
 *
 * @category random
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { DTypeError, ShapeError, ValueError } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { keyArray } from '../../ndarray/random/batched'
import { seedKey } from '../../ndarray/random/threefry'
import { checkShape, type Shape } from '../../ndarray/shape'
import { asArray, type ArrayLike } from '../convert'

/**
 * A raw PRNG key (or an array of keys): an int64 array of shape [..., 2].
 * @category random @since 0.2.0
 */
export type KeyArray = NdArray

/** Checks raw key data: integer dtype and a last axis of 2 (as JAX's key validation). */
export const checkKey = (op: string, key: unknown): NdArray => {
  if (!(key instanceof NdArray))
    throw new ValueError(
      `random.${op}: expected a PRNG key array (from random.key or random.PRNGKey), got ${String(key)}`,
    )
  if (key.dtype !== 'int64' && key.dtype !== 'int32')
    throw new DTypeError(`random.${op}: expected raw key data of an integer dtype, got ${key.dtype}`)
  if (key.shape[key.shape.length - 1] !== 2)
    throw new ShapeError(
      `random.${op}: invalid PRNG key data: expected key_data.shape to end with (2,); got shape [${key.shape.join(',')}]`,
    )
  return key.dtype === 'int64' ? key : lax.cast(key, 'int64')
}

/** Checks a single key (shape [2]), as JAX's samplers require. */
export const checkSingleKey = (op: string, key: unknown): NdArray => {
  const k = checkKey(op, key)
  if (k.ndim !== 1)
    throw new ShapeError(
      `random.${op}: expected a single PRNG key of shape [2], got shape [${k.shape.join(',')}] (use vmap over an array of keys)`,
    )
  return k
}

/**
 * A PRNG key from an integer seed (JAX: `jax.random.key`; wengert's keys are raw key data, the
 * same as {@link PRNGKey}). As JAX without x64, the seed is taken modulo 2³²; bigints are accepted.
 * @example
 * import { random } from 'wengert'
 * const k = random.key(0)
 * assert.deepStrictEqual([k.shape, k.dtype, k.toArray()], [[2], 'int64', [0, 0]])
 * assert.deepStrictEqual(random.key(-1).toArray(), [0, 4294967295])
 * @category random @since 0.2.0
 */
export const key = (seed: number | bigint): KeyArray => {
  if (typeof seed !== 'number' && typeof seed !== 'bigint')
    throw new ValueError(`random.key: seed must be an integer (a concrete number or bigint), got ${String(seed)}`)
  return keyArray([], seedKey(seed))
}

/**
 * A raw PRNG key from an integer seed (JAX: `jax.random.PRNGKey`), callable without `new`.
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.PRNGKey(42).toArray(), [0, 42])
 * @category random @since 0.2.0
 */
export const PRNGKey = (seed: number | bigint): KeyArray => key(seed)

/** Row i of a [n, 2] key array, as lax ops (works on traced arrays). */
const row = (keys: NdArray, i: number): NdArray => lax.reshape(lax.slice(keys, [i, 0], [i + 1, 2], [1, 1]), [2])

/**
 * What {@link split} returns: the key array, which also iterates over its rows so that
 * `const [k1, k2] = split(key)` works in JavaScript.
 * @category random @since 0.2.0
 */
export type SplitKeys = KeyArray & Iterable<KeyArray>

/**
 * {@link SplitKeys} of a count: destructurable into exactly that many keys when the count is a
 * literal 2, 3 or 4; indexable (`keys[i]`, possibly undefined) for any count.
 * @category random @since 0.2.0
 */
export type SplitKeysOf<N extends number> = SplitKeys &
  (N extends 2
    ? readonly [KeyArray, KeyArray]
    : N extends 3
      ? readonly [KeyArray, KeyArray, KeyArray]
      : N extends 4
        ? readonly [KeyArray, KeyArray, KeyArray, KeyArray]
        : { readonly [i: number]: KeyArray })

/** Makes a [n, 2] key array destructurable in JavaScript (`const [k1, k2] = split(key)`). */
const iterableRows = (keys: NdArray): SplitKeys => {
  if (keys.ndim !== 2) return keys as SplitKeys
  for (let i = 0; i < (keys.shape[0] as number); i++)
    Object.defineProperty(keys, i, { get: () => row(keys, i), enumerable: false })
  Object.defineProperty(keys, Symbol.iterator, {
    value: function* (): Generator<NdArray> {
      for (let i = 0; i < (keys.shape[0] as number); i++) yield row(keys, i)
    },
    enumerable: false,
  })
  return keys as SplitKeys
}

/**
 * Splits a key into `num` new keys (JAX: `jax.random.split`), an array of shape [num, 2] (or
 * [...shape, 2] for a shape). The result is an array, so `vmap` maps over it, and it also
 * destructures and indexes: `const [k1, k2] = split(key)`, `split(key, 3)[2]`.
 * @example
 * import { random, vmap, type NdArray } from 'wengert'
 * const [k1, k2] = random.split(random.key(0))
 * assert.notDeepStrictEqual(k1.toArray(), k2.toArray())
 * const keys = random.split(random.key(0), 3)
 * assert.deepStrictEqual(keys.shape, [3, 2])
 * const draws = vmap((k: NdArray) => random.uniform(k))(keys)
 * assert.strictEqual(draws.shape[0], 3)
 * @category random @since 0.2.0
 */
export function split(key: KeyArray): SplitKeysOf<2>
export function split<N extends number>(key: KeyArray, num: N): SplitKeysOf<N>
export function split(key: KeyArray, num: ReadonlyArray<number>): KeyArray
export function split(key: KeyArray, num: number | ReadonlyArray<number> = 2): SplitKeys {
  const k = checkSingleKey('split', key)
  const shape: Shape = typeof num === 'number' ? [num] : num
  checkShape('random.split', shape)
  return iterableRows(lax.randomSplit(k, shape))
}

/**
 * A new key from a key and an integer (JAX: `jax.random.fold_in`), e.g. a step counter.
 * @example
 * import { random } from 'wengert'
 * const k = random.key(0)
 * assert.notDeepStrictEqual(random.foldIn(k, 1).toArray(), random.foldIn(k, 2).toArray())
 * // split(key, n)[i] is fold_in(key, i) in JAX's default (partitionable) layout
 * assert.deepStrictEqual(random.foldIn(k, 1).toArray(), [...random.split(k, 2)][1]!.toArray())
 * @category random @since 0.2.0
 */
export const foldIn = (key: KeyArray, data: ArrayLike): KeyArray => {
  const k = checkSingleKey('foldIn', key)
  if (typeof data === 'number' && (!Number.isInteger(data) || data < -(2 ** 31) || data > 0xffffffff))
    throw new ValueError(`random.foldIn: data must be an integer that fits in 32 bits, got ${data}`)
  const d = asArray('random.foldIn', data, typeof data === 'number' ? 'int64' : undefined)
  if (d.ndim !== 0 || (d.dtype !== 'int32' && d.dtype !== 'int64'))
    throw new ValueError(`random.foldIn: data must be an integer scalar, got ${d.dtype}[${d.shape.join(',')}]`)
  return lax.randomFoldIn(k, d)
}

/**
 * Random 32-bit words (JAX: `jax.random.bits` with the default uint32), as int64 values in
 * [0, 2³²).
 * @example
 * import { random } from 'wengert'
 * const b = random.bits(random.key(0), [4])
 * assert.ok((b.toArray() as number[]).every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32))
 * @category random @since 0.2.0
 */
export const bits = (key: KeyArray, shape: ReadonlyArray<number> = []): NdArray =>
  lax.randomBits(checkSingleKey('bits', key), checkShape('random.bits', shape))

/**
 * The raw words of a key (JAX: `jax.random.key_data`); wengert's keys already are key data, so
 * this checks the key and returns it.
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.keyData(random.key(3)).toArray(), [0, 3])
 * @category random @since 0.2.0
 */
export const keyData = (key: KeyArray): NdArray => checkKey('keyData', key)
