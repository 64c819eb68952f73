/**
 * `jax.numpy`'s set operations on flattened arrays: `union1d`, `intersect1d`, `setdiff1d` and
 * `setxor1d`, sorted and unique, built on {@link unique}, {@link isin} and {@link nonzero}.
 * Without `size` the result length depends on the values, so they need concrete input (as in
 * JAX); with `size` (and `fillValue`) the length is static and they stage under `jit`.
 *
 * @category ops
 * @since 0.4.0
 */
import * as lax from '../core/lax'
import { checkOptions } from '../internal/options'
import { arange } from '../ndarray/create'
import { ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, type ArrayLike } from './convert'
import { less, logicalNot, minimum, where } from './elementwise'
import { concat } from './layout'
import { isin } from './numpyExtra/edit'
import { sum } from './reduce'
import { nonzero, unique } from './sets'
import { argsort, searchsorted, sort } from './sorting'

/** Options of the set operations. @category ops @since 0.4.0 */
export interface SetOpOptions {
  /** Static result length (needed under `jit`): extra values are dropped, missing ones filled. */
  readonly size?: number
  /** Value of the filled entries; default the result's smallest value (the input's smallest when the result is empty). */
  readonly fillValue?: number
  /** The inputs are already unique (skips their `unique`; results are wrong if they are not). */
  readonly assumeUnique?: boolean
}

const KEYS: ReadonlyArray<keyof SetOpOptions> = ['size', 'fillValue', 'assumeUnique']

/** The flattened array made unique (or sorted, when told it is unique) and which entries are real. */
const uniq = (op: string, x: ArrayLike, o: SetOpOptions): [NdArray, NdArray] => {
  const a = asArray(op, x)
  const flat = lax.reshape(a, [a.size])
  const all = (u: NdArray): NdArray => lax.broadcastTo(lax.scalar(1, 'bool'), u.shape)
  if (o.assumeUnique === true) return [sort(flat), all(flat)]
  // NOTE: with a static size the unique values are padded (a static length under jit); counts mark the real ones
  if (o.size === undefined || a.size === 0) {
    const u = unique(flat)
    return [u, all(u)]
  }
  const [u, counts] = unique(flat, { size: a.size, returnCounts: true }) as [NdArray, NdArray]
  return [u, lax.gt(counts, lax.scalarLike(0, counts))]
}

/** Whether each element of x equals a real entry of u. */
const member = (x: NdArray, u: NdArray, valid: NdArray): NdArray =>
  lax.reduceOr(
    lax.and(lax.eq(lax.reshape(x, [x.size, 1]), lax.reshape(u, [1, u.size])), lax.reshape(valid, [1, u.size])),
    [1],
  )

/** The entries of sorted `u` where `keep`, padded or cut to `size` when given. */
const kept = (u: NdArray, keep: NdArray, o: SetOpOptions): NdArray => {
  const size = o.size
  const [idx] = nonzero(keep, size === undefined ? {} : { size }) as [NdArray]
  const vals = u.size === 0 ? u : lax.gather(u, idx, 0)
  if (size === undefined) return vals
  const count = sum(lax.cast(keep, 'int32'))
  const ok = less(arange(size), count)
  const fill = o.fillValue ?? (size === 0 || u.size === 0 ? 0 : lax.slice(vals, [0], [1], [1]))
  return size === 0
    ? vals
    : where(ok, vals, typeof fill === 'number' ? lax.scalarLike(fill, vals) : lax.reshape(fill, []))
}

/**
 * The sorted unique values found in either array (jnp.union1d(ar1, ar2, *, size=None, fill_value=None)).
 * @example
 * import { union1d, array } from 'wengert'
 * assert.deepStrictEqual(union1d(array([3, 1, 3]), array([2, 1])).toArray(), [1, 2, 3])
 * assert.deepStrictEqual(union1d(array([3, 1]), array([1]), { size: 4, fillValue: -1 }).toArray(), [1, 3, -1, -1])
 * @category ops @since 0.4.0
 */
export const union1d = (ar1: ArrayLike, ar2: ArrayLike, options?: Omit<SetOpOptions, 'assumeUnique'>): NdArray => {
  const o = checkOptions('union1d', options, ['size', 'fillValue'])
  const [a, b] = [asArray('union1d', ar1), asArray('union1d', ar2)]
  const [u, valid] = uniq('union1d', concat([lax.reshape(a, [a.size]), lax.reshape(b, [b.size])], 0), o)
  return kept(u, valid, o)
}

/** Options of {@link intersect1d}. @category ops @since 0.4.0 */
export interface Intersect1dOptions extends SetOpOptions {
  /**
   * Also return where each common value first occurs in the flattened `ar1` and `ar2` (int32);
   * with `size`, the padded entries hold the out-of-bounds index `ar1.size` / `ar2.size`.
   */
  readonly returnIndices?: boolean
}

/** Index of the first occurrence of each of `v` in the flattened `x`, out of bounds where not `ok`. */
const firstIndex = (x: NdArray, v: NdArray, ok: NdArray | undefined): NdArray => {
  const flat = lax.reshape(x, [x.size])
  if (v.size === 0 || flat.size === 0)
    return lax.cast(lax.broadcastTo(lax.scalar(flat.size, 'int32'), v.shape), 'int32')
  // a stable argsort keeps equal values in input order, so the leftmost match is the first occurrence
  const perm = lax.cast(argsort(flat), 'int32')
  const at = lax.cast(minimum(searchsorted(lax.gather(flat, perm, 0), v), flat.size - 1), 'int32')
  const idx = lax.gather(perm, at, 0)
  return ok === undefined ? idx : where(ok, idx, lax.scalar(flat.size, 'int32'))
}

/**
 * The sorted unique values found in both arrays (jnp.intersect1d(ar1, ar2, assume_unique=False,
 * return_indices=False, *, size=None, fill_value=None)); with `returnIndices`, also the index of
 * each value's first occurrence in the flattened `ar1` and `ar2`.
 * @example
 * import { intersect1d, array, type NdArray } from 'wengert'
 * assert.deepStrictEqual(intersect1d(array([1, 3, 4, 3]), array([3, 1, 2, 1])).toArray(), [1, 3])
 * const [v, i1, i2] = intersect1d(array([4, 3, 3, 1]), array([1, 5, 3, 1]), { returnIndices: true }) as NdArray[]
 * assert.deepStrictEqual([v!.toArray(), i1!.toArray(), i2!.toArray()], [[1, 3], [3, 1], [0, 2]])
 * @category ops @since 0.4.0
 */
export function intersect1d(
  ar1: ArrayLike,
  ar2: ArrayLike,
  options?: Intersect1dOptions & { readonly returnIndices?: false },
): NdArray
/** With `returnIndices: true`: `[values, ar1Indices, ar2Indices]`. */
export function intersect1d(
  ar1: ArrayLike,
  ar2: ArrayLike,
  options: Intersect1dOptions & { readonly returnIndices: true },
): [NdArray, NdArray, NdArray]
/** Either form, as `options.returnIndices` says. */
export function intersect1d(ar1: ArrayLike, ar2: ArrayLike, options?: Intersect1dOptions): NdArray | NdArray[]
export function intersect1d(ar1: ArrayLike, ar2: ArrayLike, options?: Intersect1dOptions): NdArray | NdArray[] {
  const o = checkOptions('intersect1d', options, [...KEYS, 'returnIndices'])
  if (o.returnIndices !== undefined && typeof o.returnIndices !== 'boolean')
    throw new ValueError(`intersect1d: returnIndices must be a boolean, got ${typeof o.returnIndices}`)
  const [u, valid] = uniq('intersect1d', ar1, o)
  const b = asArray('intersect1d', ar2)
  const keep = lax.and(valid, isin(u, b))
  const vals = kept(u, keep, o)
  if (o.returnIndices !== true) return vals
  const ok = o.size === undefined ? undefined : less(arange(o.size), sum(lax.cast(keep, 'int32')))
  return [vals, firstIndex(asArray('intersect1d', ar1), vals, ok), firstIndex(b, vals, ok)]
}

/**
 * The sorted unique values of `ar1` not in `ar2` (jnp.setdiff1d(ar1, ar2, assume_unique=False, *,
 * size=None, fill_value=None)).
 * @example
 * import { setdiff1d, array } from 'wengert'
 * assert.deepStrictEqual(setdiff1d(array([1, 2, 3, 2, 4, 1]), array([3, 4, 5, 6])).toArray(), [1, 2])
 * @category ops @since 0.4.0
 */
export const setdiff1d = (ar1: ArrayLike, ar2: ArrayLike, options?: SetOpOptions): NdArray => {
  const o = checkOptions('setdiff1d', options, KEYS)
  const [u, valid] = uniq('setdiff1d', ar1, o)
  return kept(u, lax.and(valid, logicalNot(isin(u, asArray('setdiff1d', ar2)))), o)
}

/**
 * The sorted unique values in exactly one of the arrays (jnp.setxor1d(ar1, ar2,
 * assume_unique=False, *, size=None, fill_value=None)).
 * @example
 * import { setxor1d, array } from 'wengert'
 * assert.deepStrictEqual(setxor1d(array([1, 2, 3, 2, 4]), array([2, 3, 5, 7, 5])).toArray(), [1, 4, 5, 7])
 * @category ops @since 0.4.0
 */
export const setxor1d = (ar1: ArrayLike, ar2: ArrayLike, options?: SetOpOptions): NdArray => {
  const o = checkOptions('setxor1d', options, KEYS)
  const [a, va] = uniq('setxor1d', ar1, o)
  const [b, vb] = uniq('setxor1d', ar2, o)
  const joined = concat([a, b], 0)
  const perm = argsort(joined)
  const both = lax.gather(joined, perm, 0)
  const valid = lax.gather(concat([va, vb], 0), perm, 0)
  // a value is in exactly one array when it is a real entry of only one of the unique halves
  return kept(both, lax.and(valid, lax.ne(member(both, a, va), member(both, b, vb))), o)
}
