/**
 * `jax.numpy`'s selection and out-of-place update functions: `compress`, `extract`, `choose`,
 * `place` and `put` (the last two only with `inplace: false`, as JAX's arrays are immutable), and
 * the array API's `uniqueValues`/`uniqueCounts`/`uniqueInverse`/`uniqueAll`. Built on `nonzero`,
 * `takeAlongAxis` and `at(…).set`, so the values are differentiable and a static `size` stages
 * under `jit`.
 *
 * @category ops
 * @since 0.5.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { isFloat } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { at, type IndexMode } from '../at'
import { asArray, type ArrayLike } from '../convert'
import { notEqual, where } from '../elementwise'
import { remainder } from '../integer'
import { clamp, iota } from '../laxNamed'
import { flatten, reshape, stack } from '../layout'
import { any } from '../reduce'
import { takeAlongAxis } from '../scatterOps'
import { nonzero, unique } from '../sets'
import { broadcastArrays, moveaxis } from './shape'

/** Options of {@link compress} and {@link extract}. */
export interface CompressOptions {
  /** Axis to select along; by default the flattened array. */
  readonly axis?: number
  /** Static number of results (needed under `jit`): extra ones dropped, missing ones `fillValue`. */
  readonly size?: number
  /** Value of the padded results. @defaultValue 0 */
  readonly fillValue?: number
}

/** `v` tiled (cycled) to `n` entries. */
const tiledTo = (v: NdArray, n: number): NdArray => {
  const flat = flatten(v)
  if (flat.size === n) return flat
  const idx = remainder(iota('int32', n), flat.size)
  return lax.gather(flat, idx, 0)
}

/** The truth values of `x` as bool. */
const truth = (x: NdArray): NdArray => (x.dtype === 'bool' ? x : notEqual(x, lax.scalarLike(0, x)))

/**
 * The slices of `a` along `axis` (the flattened array by default) where the 1-D `condition` is
 * true (JAX's `jnp.compress`). A shorter condition counts as false beyond its end; a longer one
 * may hold only false there. With `size`, the result has that length, padded with `fillValue`.
 * @example
 * import { compress, array } from 'wengert'
 * const a = array([[1, 2], [3, 4], [5, 6]])
 * assert.deepStrictEqual(compress(array([false, true, true]), a, { axis: 0 }).toArray(), [[3, 4], [5, 6]])
 * assert.deepStrictEqual(compress(array([1, 0, 1]), a, { size: 3, fillValue: -1 }).toArray(), [1, 3, -1])
 * @category ops
 * @since 0.5.0
 */
export const compress = (condition: ArrayLike, a: ArrayLike, options?: CompressOptions): NdArray => {
  const opts = checkOptions('compress', options, ['axis', 'size', 'fillValue'])
  const cond0 = asArray('compress', condition)
  if (cond0.ndim !== 1) throw new ValueError('condition must be a 1D array')
  const x = asArray('compress', a)
  const arr = opts.axis === undefined ? flatten(x) : moveaxis(x, opts.axis, 0)
  const n = arr.shape[0] as number
  let cond = truth(cond0)
  if (cond.size > n) {
    const extra = lax.slice(cond, [n], [cond.size], [1])
    if (any(extra).item() === true) throw new ValueError('condition contains entries that are out of bounds')
    cond = lax.slice(cond, [0], [n], [1])
  }
  const used = lax.slice(
    arr,
    [0, ...arr.shape.slice(1).map(() => 0)],
    [cond.size, ...arr.shape.slice(1)],
    arr.shape.map(() => 1),
  )
  const idx = (opts.size === undefined ? nonzero(cond) : nonzero(cond, { size: opts.size, fillValue: 0 }))[0] as NdArray
  const k = idx.shape[0] as number
  const gatherIdx = lax.broadcastInDim(idx, [k, ...used.shape.slice(1)], [0])
  let out =
    k === 0 || used.shape[0] === 0
      ? lax.zerosLike({ shape: [k, ...used.shape.slice(1)], dtype: used.dtype })
      : takeAlongAxis(used, gatherIdx, 0)
  if (opts.size !== undefined) {
    const count = lax.reduceSum(lax.cast(cond, 'int32'), [0])
    const ok = lax.lt(iota('int32', k), count)
    out = where(lax.broadcastInDim(ok, out.shape, [0]), out, lax.scalarLike(opts.fillValue ?? 0, out))
  }
  return opts.axis === undefined ? out : moveaxis(out, 0, opts.axis)
}

/**
 * The entries of `arr` where `condition` is true, both flattened (JAX's `jnp.extract`), with
 * `compress`'s `size` and `fillValue`.
 * @example
 * import { extract, array } from 'wengert'
 * assert.deepStrictEqual(extract(array([[true, false], [false, true]]), array([[1, 2], [3, 4]])).toArray(), [1, 4])
 * @category ops
 * @since 0.5.0
 */
export const extract = (condition: ArrayLike, arr: ArrayLike, options?: Omit<CompressOptions, 'axis'>): NdArray => {
  const opts = checkOptions('extract', options, ['size', 'fillValue'])
  return compress(flatten(asArray('extract', condition)), flatten(asArray('extract', arr)), opts)
}

/** Options of {@link choose}. */
export interface ChooseOptions {
  /** Out-of-range indices: an error ('raise', eager only), taken modulo ('wrap') or clamped ('clip'). @defaultValue 'raise' */
  readonly mode?: 'raise' | 'wrap' | 'clip'
}

/**
 * Element-wise selection `out[i] = choices[a[i]][i]` from a list of arrays, all broadcast
 * together (JAX's `jnp.choose`). Differentiable in the choices.
 * @example
 * import { choose, array } from 'wengert'
 * const c = [array([10, 11, 12]), array([20, 21, 22])]
 * assert.deepStrictEqual(choose(array([1, 0, 1], { dtype: 'int32' }), c).toArray(), [20, 11, 22])
 * assert.deepStrictEqual(choose(array([3, -1, 1], { dtype: 'int32' }), c, { mode: 'clip' }).toArray(), [20, 11, 22])
 * @category ops
 * @since 0.5.0
 */
export const choose = (a: ArrayLike, choices: ReadonlyArray<ArrayLike>, options?: ChooseOptions): NdArray => {
  const opts = checkOptions('choose', options, ['mode'])
  const idx0 = asArray('choose', a)
  if (isFloat(idx0.dtype) || idx0.dtype === 'bool') throw new ValueError('`a` array must be integer typed')
  const n = choices.length
  if (n === 0) throw new ValueError('choose: choices must hold at least one array')
  const mode = opts.mode ?? 'raise'
  let idx = lax.cast(idx0, 'int32')
  if (mode === 'raise') {
    const bad = lax.or(lax.lt(idx, lax.scalar(0, 'int32')), lax.ge(idx, lax.scalar(n, 'int32')))
    let anyBad: unknown
    try {
      anyBad = any(bad).item()
    } catch (e) {
      throw new ValueError(
        `choose: The error occurred because jnp.choose was jit-compiled with mode='raise'. Use mode='wrap' or mode='clip' instead. (${(e as Error).message})`,
      )
    }
    if (anyBad === true) throw new ValueError('invalid entry in choice array')
  } else if (mode === 'wrap') idx = remainder(idx, n)
  else if (mode === 'clip') idx = clamp(lax.scalar(0, 'int32'), idx, lax.scalar(n - 1, 'int32'))
  else throw new ValueError(`mode=${JSON.stringify(mode)} not understood. Must be 'raise', 'wrap', or 'clip'`)
  const [i, ...cs] = broadcastArrays(idx, ...choices)
  const stacked = stack(cs, 0)
  return lax.reshape(
    takeAlongAxis(stacked, lax.reshape(i as NdArray, [1, ...stacked.shape.slice(1)]), 0),
    stacked.shape.slice(1),
  )
}

/** The `inplace` option of {@link place} and {@link put}: JAX requires it to be false. */
export interface InplaceOption {
  /** Must be `false`: arrays are immutable, so the updated copy is returned. */
  readonly inplace?: boolean
}

const refuseInplace = (op: string, inplace: boolean | undefined): void => {
  if (inplace !== false)
    throw new ValueError(
      `jax.numpy.${op} cannot modify arrays in-place, because JAX arrays are immutable. Pass inplace=False to instead return an updated array.`,
    )
}

/**
 * A copy of `arr` whose entries where `mask` is true take the values `vals` in order, cycled
 * (JAX's `jnp.place` with `inplace: false`). Stages under `jit`; differentiable in both arrays.
 * @example
 * import { place, array } from 'wengert'
 * const r = place(array([1, 2, 3, 4, 5]), array([true, false, true, true, false]), array([10, 20]), { inplace: false })
 * assert.deepStrictEqual(r.toArray(), [10, 2, 20, 10, 5])
 * @category ops
 * @since 0.5.0
 */
export const place = (arr: ArrayLike, mask: ArrayLike, vals: ArrayLike, options?: InplaceOption): NdArray => {
  const opts = checkOptions('place', options, ['inplace'])
  refuseInplace('place', opts.inplace)
  const a = asArray('place', arr)
  const data = flatten(a)
  const m = flatten(truth(asArray('place', mask)))
  if (m.size !== data.size)
    throw new ValueError(`place: mask and data must be the same size, got ${m.size} and ${data.size}`)
  const n = data.size
  const v = asArray('place', vals)
  if (n === 0 || v.size === 0) return a
  const idx = nonzero(m, { size: n, fillValue: n })[0] as NdArray
  return reshape(at(data, idx).set(lax.cast(tiledTo(v, n), a.dtype), { mode: 'drop' }), a.shape)
}

/** Options of {@link put}. */
export interface PutOptions extends InplaceOption {
  /** Out-of-range indices: dropped (default), clamped ('clip') or taken modulo the size ('wrap'). */
  readonly mode?: 'clip' | 'wrap'
}

/**
 * A copy of `a` (flattened positions) with `a.flat[ind] = v`, `v` cycled to the length of `ind`
 * (JAX's `jnp.put` with `inplace: false`; out-of-range indices are dropped unless `mode` says
 * otherwise).
 * @example
 * import { put, array } from 'wengert'
 * const r = put(array([[1, 2], [3, 4]]), array([0, 3], { dtype: 'int32' }), array([9, 8]), { inplace: false })
 * assert.deepStrictEqual(r.toArray(), [[9, 2], [3, 8]])
 * assert.deepStrictEqual(put(array([1, 2, 3]), array([5], { dtype: 'int32' }), 0, { inplace: false, mode: 'wrap' }).toArray(), [1, 2, 0])
 * @category ops
 * @since 0.5.0
 */
export const put = (a: ArrayLike, ind: ArrayLike, v: ArrayLike, options?: PutOptions): NdArray => {
  const opts = checkOptions('put', options, ['inplace', 'mode'])
  refuseInplace('put', opts.inplace)
  const arr = asArray('put', a)
  const i0 = flatten(asArray('put', ind))
  const vals = asArray('put', v)
  const mode = opts.mode as string | undefined
  if (mode === 'raise') throw new ValueError("The 'raise' mode to jnp.put is not supported.")
  if (mode !== undefined && mode !== 'clip' && mode !== 'wrap')
    throw new ValueError(`mode should be one of 'wrap' or 'clip'; got mode=${JSON.stringify(mode)}`)
  if (isFloat(i0.dtype) || i0.dtype === 'bool') throw new ValueError(`put: indices must be integers, got ${i0.dtype}`)
  if (arr.size === 0 || i0.size === 0 || vals.size === 0) return arr
  let idx = lax.cast(i0, 'int32')
  let scatter: IndexMode = 'drop'
  if (mode === 'clip') {
    idx = clamp(lax.scalar(0, 'int32'), idx, lax.scalar(arr.size - 1, 'int32'))
    scatter = 'clip'
  } else if (mode === 'wrap') idx = remainder(idx, arr.size)
  const flat = at(flatten(arr), idx).set(lax.cast(tiledTo(vals, idx.size), arr.dtype), { mode: scatter })
  return reshape(flat, arr.shape)
}

/** Options of the array API's unique functions. */
export interface UniqueSizeOptions {
  /** Static number of unique values (needed under `jit`): extra ones dropped, missing ones filled. */
  readonly size?: number
  /** Value of the padded unique values; default the smallest value. */
  readonly fillValue?: number
}

const uniqueOpts = (op: string, options: UniqueSizeOptions | undefined): UniqueSizeOptions => {
  const o = checkOptions(op, options, ['size', 'fillValue'])
  return {
    ...(o.size === undefined ? {} : { size: o.size }),
    ...(o.fillValue === undefined ? {} : { fillValue: o.fillValue }),
  }
}

/**
 * The sorted distinct values, NaNs counted separately (the array API's `unique_values`; JAX's
 * `jnp.unique_values`, which is `unique` with `equal_nan=False`).
 * @example
 * import { uniqueValues, array } from 'wengert'
 * assert.deepStrictEqual(uniqueValues(array([3, 4, 1, 3, 1])).toArray(), [1, 3, 4])
 * assert.deepStrictEqual(uniqueValues(array([3, 3]), { size: 2, fillValue: 0 }).toArray(), [3, 0])
 * @category ops
 * @since 0.5.0
 */
export const uniqueValues = (x: ArrayLike, options?: UniqueSizeOptions): NdArray =>
  unique(x, { ...uniqueOpts('uniqueValues', options), equalNan: false })

/** The distinct values with their counts (also readable as a pair). */
export type UniqueCountsResult = readonly [NdArray, NdArray] & { readonly values: NdArray; readonly counts: NdArray }
/** The distinct values with each input entry's index among them, in the input's shape. */
export type UniqueInverseResult = readonly [NdArray, NdArray] & {
  readonly values: NdArray
  readonly inverseIndices: NdArray
}
/** The distinct values, first-occurrence indices, inverse indices (input's shape) and counts. */
export type UniqueAllResult = readonly [NdArray, NdArray, NdArray, NdArray] & {
  readonly values: NdArray
  readonly indices: NdArray
  readonly inverseIndices: NdArray
  readonly counts: NdArray
}

/**
 * The sorted distinct values and how often each occurs (JAX's `jnp.unique_counts`).
 * @example
 * import { uniqueCounts, array } from 'wengert'
 * const { values, counts } = uniqueCounts(array([3, 4, 1, 3, 1]))
 * assert.deepStrictEqual([values.toArray(), counts.toArray()], [[1, 3, 4], [2, 2, 1]])
 * @category ops
 * @since 0.5.0
 */
export const uniqueCounts = (x: ArrayLike, options?: UniqueSizeOptions): UniqueCountsResult => {
  const [values, counts] = unique(x, {
    ...uniqueOpts('uniqueCounts', options),
    equalNan: false,
    returnCounts: true,
  }) as [NdArray, NdArray]
  return Object.assign([values, counts] as const, { values, counts })
}

/**
 * The sorted distinct values and, for each input entry, the index of its value among them, in the
 * input's shape (JAX's `jnp.unique_inverse`).
 * @example
 * import { uniqueInverse, array } from 'wengert'
 * const { values, inverseIndices } = uniqueInverse(array([[3, 4], [1, 3]]))
 * assert.deepStrictEqual([values.toArray(), inverseIndices.toArray()], [[1, 3, 4], [[1, 2], [0, 1]]])
 * @category ops
 * @since 0.5.0
 */
export const uniqueInverse = (x: ArrayLike, options?: UniqueSizeOptions): UniqueInverseResult => {
  const a = asArray('uniqueInverse', x)
  const [values, inv] = unique(a, {
    ...uniqueOpts('uniqueInverse', options),
    equalNan: false,
    returnInverse: true,
  }) as [NdArray, NdArray]
  const inverseIndices = lax.reshape(inv, a.shape)
  return Object.assign([values, inverseIndices] as const, { values, inverseIndices })
}

/**
 * The sorted distinct values, the index of each one's first occurrence (flat), each entry's index
 * among them (input's shape) and the counts (JAX's `jnp.unique_all`).
 * @example
 * import { uniqueAll, array } from 'wengert'
 * const r = uniqueAll(array([3, 4, 1, 3, 1]))
 * assert.deepStrictEqual([r.values, r.indices, r.inverseIndices, r.counts].map((v) => v.toArray()), [[1, 3, 4], [2, 0, 1], [1, 2, 0, 1, 0], [2, 2, 1]])
 * @category ops
 * @since 0.5.0
 */
export const uniqueAll = (x: ArrayLike, options?: UniqueSizeOptions): UniqueAllResult => {
  const a = asArray('uniqueAll', x)
  const [values, indices, inv, counts] = unique(a, {
    ...uniqueOpts('uniqueAll', options),
    equalNan: false,
    returnIndex: true,
    returnInverse: true,
    returnCounts: true,
  }) as [NdArray, NdArray, NdArray, NdArray]
  const inverseIndices = lax.reshape(inv, a.shape)
  return Object.assign([values, indices, inverseIndices, counts] as const, { values, indices, inverseIndices, counts })
}
