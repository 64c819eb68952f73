/**
 * Gathers and scatters along an axis, written with `at(...)`: `takeAlongAxis`, `putAlongAxis`,
 * the segment reductions, `oneHot` and `bincount` (JAX's `jnp`/`jax.ops`/`jax.nn` names and
 * options). Index arrays may be traced unless a size must be read from their values.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { iota } from '../core/primitives/matrixRules'
import { refuseAbstract } from '../core/trace'
import { isFloat, isInteger, type DType } from '../ndarray/dtype'
import { DTypeError, ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxis } from '../ndarray/shape'
import { checkOptions } from '../internal/options'
import { at, type IndexMode } from './at'
import { asArray, type ArrayLike } from './convert'

const intIndices = (op: string, x: ArrayLike, what = 'indices'): NdArray => {
  const a = asArray(op, x)
  if (!isInteger(a.dtype)) throw new DTypeError(`${op}: ${what} must be an integer array, got dtype ${a.dtype}`)
  return a
}

/** For every axis but `axis`, an iota shaped to broadcast along that axis alone (an `at` index). */
const alongAxisIndex = (op: string, arr: NdArray, idx: NdArray, axis: number): NdArray[] => {
  if (idx.ndim !== arr.ndim)
    throw new ShapeError(`${op}: indices and arr must have the same number of dimensions; ${idx.ndim} vs. ${arr.ndim}`)
  return arr.shape.map((n, k) =>
    k === axis
      ? idx
      : lax.reshape(
          iota(n),
          arr.shape.map((m, j) => (j === k ? m : 1)),
        ),
  )
}

/** Options of {@link takeAlongAxis}. */
export interface TakeAlongAxisOptions {
  /** Out-of-bounds indices: 'fill' (default, `fillValue`: NaN for floats) or 'clip'. */
  readonly mode?: 'fill' | 'clip'
  readonly fillValue?: number
}

/**
 * Values of `arr` at `indices` along `axis` (JAX's `jnp.take_along_axis`): `indices` has
 * `arr`'s rank and broadcasts against it on the other axes; `axis` null flattens `arr` (then
 * `indices` is 1-D). Negative indices count from the end; out of bounds gives `fillValue`.
 * @example
 * import { takeAlongAxis, array } from 'wengert'
 * const x = array([[10, 30, 20], [60, 40, 50]])
 * const i = array([[0], [1]], { dtype: 'int32' })
 * assert.deepStrictEqual(takeAlongAxis(x, i, 1).toArray(), [[10], [40]])
 * assert.deepStrictEqual(takeAlongAxis(x, array([5, -1], { dtype: 'int32' }), null).toArray(), [50, 50])
 * @category ops
 * @since 0.2.0
 */
export const takeAlongAxis = (
  arr: ArrayLike,
  indices: ArrayLike,
  axis: number | null = -1,
  options?: TakeAlongAxisOptions,
): NdArray => {
  const o = checkOptions('takeAlongAxis', options, ['mode', 'fillValue'])
  if (o.mode !== undefined && o.mode !== 'fill' && o.mode !== 'clip')
    throw new ValueError(`takeAlongAxis: mode must be 'fill' or 'clip', got '${String(o.mode)}'`)
  const a = asArray('takeAlongAxis', arr)
  const idx = intIndices('takeAlongAxis', indices)
  const get = { mode: o.mode ?? 'fill', ...(o.fillValue === undefined ? {} : { fillValue: o.fillValue }) } as const
  if (axis === null) {
    if (idx.ndim !== 1) throw new ShapeError(`takeAlongAxis: when axis is None, indices must be 1-D, got ${idx.ndim}-D`)
    return at(lax.reshape(a, [a.size]), idx).get(get)
  }
  const ax = normalizeAxis('takeAlongAxis', axis, a.ndim)
  return at(a, ...alongAxisIndex('takeAlongAxis', a, idx, ax)).get(get)
}

/** Options of {@link putAlongAxis}. */
export interface PutAlongAxisOptions {
  /** JAX requires `inplace: false` (arrays are immutable); wengert defaults to it and refuses `true`. */
  readonly inplace?: boolean
  readonly mode?: IndexMode
}

/**
 * A copy of `arr` with `values` written at `indices` along `axis` (JAX's
 * `jnp.put_along_axis(..., inplace=False)`): the update form of {@link takeAlongAxis}.
 * @example
 * import { putAlongAxis, array } from 'wengert'
 * const x = array([[1, 2, 3], [4, 5, 6]])
 * const i = array([[2], [0]], { dtype: 'int32' })
 * assert.deepStrictEqual(putAlongAxis(x, i, 0, 1).toArray(), [[1, 2, 0], [0, 5, 6]])
 * @category ops
 * @since 0.2.0
 */
export const putAlongAxis = (
  arr: ArrayLike,
  indices: ArrayLike,
  values: ArrayLike,
  axis: number | null,
  options?: PutAlongAxisOptions,
): NdArray => {
  const o = checkOptions('putAlongAxis', options, ['inplace', 'mode'])
  if (o.inplace === true)
    throw new ValueError(
      'putAlongAxis cannot modify arrays in-place, because arrays are immutable. Pass inplace: false to instead return an updated array.',
    )
  const a = asArray('putAlongAxis', arr)
  const idx = intIndices('putAlongAxis', indices)
  const v = asArray('putAlongAxis', values, a.dtype)
  const set = o.mode === undefined ? {} : { mode: o.mode }
  if (axis === null) return lax.reshape(at(lax.reshape(a, [a.size]), lax.reshape(idx, [idx.size])).set(v, set), a.shape)
  const ax = normalizeAxis('putAlongAxis', axis, a.ndim)
  return at(a, ...alongAxisIndex('putAlongAxis', a, idx, ax)).set(v, set)
}

/** Options of the segment reductions (JAX's `jax.ops.segment_*`). */
export interface SegmentOptions {
  /** Number of segments (the result's leading size); default `max(segmentIds) + 1`, which needs concrete ids. */
  readonly numSegments?: number
  /** Accepted as in JAX (a promise about the ids); it does not change the result. */
  readonly indicesAreSorted?: boolean
  /** Accepted as in JAX; `segmentProd` needs it to be differentiable in `data`. */
  readonly uniqueIndices?: boolean
  /** Accepted as in JAX (XLA splits the scatter into buckets); it does not change the result. */
  readonly bucketSize?: number
  /** Out-of-range ids: dropped by default ('drop'), or clamped ('clip'). */
  readonly mode?: IndexMode
}

type SegmentKind = 'sum' | 'max' | 'min' | 'prod'

/** The identity of each reduction in `dtype` (JAX: −inf/+inf for floats, the int extremes). */
const identity = (kind: SegmentKind, dtype: DType): number => {
  if (kind === 'sum') return 0
  if (kind === 'prod') return 1
  const big = isFloat(dtype) ? Infinity : dtype === 'int32' ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER
  const small = isFloat(dtype) ? -Infinity : dtype === 'int32' ? -(2 ** 31) : Number.MIN_SAFE_INTEGER
  return kind === 'max' ? small : big
}

const segment =
  (kind: SegmentKind) =>
  (data: ArrayLike, segmentIds: ArrayLike, options?: SegmentOptions): NdArray => {
    const op = `segment${kind[0]?.toUpperCase()}${kind.slice(1)}`
    const o = checkOptions(op, options, ['numSegments', 'indicesAreSorted', 'uniqueIndices', 'bucketSize', 'mode'])
    const d = asArray(op, data)
    const ids = intIndices(op, segmentIds, 'segmentIds')
    if (d.ndim < 1 || ids.ndim !== 1 || ids.shape[0] !== d.shape[0])
      throw new ShapeError(
        `${op}: segmentIds must be 1-D with one id per row of data, got shapes [${ids.shape.join(', ')}] and [${d.shape.join(', ')}]`,
      )
    const n = o.numSegments ?? concreteMax(op, ids) + 1
    if (!Number.isInteger(n) || n < 0)
      throw new ValueError(`${op}: numSegments must be a non-negative integer, got ${n}`)
    const init = lax.broadcastInDim(lax.scalar(identity(kind, d.dtype), d.dtype), [n, ...d.shape.slice(1)], [])
    const ref = at(init, ids)
    const opts = { mode: o.mode ?? 'drop', uniqueIndices: o.uniqueIndices === true }
    if (kind === 'sum') return ref.add(d, opts)
    if (kind === 'prod') return ref.multiply(d, opts)
    return kind === 'max' ? ref.max(d, opts) : ref.min(d, opts)
  }

const concreteMax = (op: string, ids: NdArray): number => {
  refuseAbstract(ids, `${op}: numSegments not given (the result's size would depend on the ids' values)`)
  return Array.from(ids.toTypedArray()).reduce((a, b) => Math.max(a, b), -1)
}

/**
 * Sums the rows of `data` per segment id (JAX's `jax.ops.segment_sum`); ids outside
 * `[0, numSegments)` are dropped.
 * @example
 * import { segmentSum, array } from 'wengert'
 * const ids = array([0, 0, 2], { dtype: 'int32' })
 * assert.deepStrictEqual(segmentSum(array([1, 2, 3]), ids).toArray(), [3, 0, 3])
 * assert.deepStrictEqual(segmentSum(array([1, 2, 3]), ids, { numSegments: 2 }).toArray(), [3, 0])
 * @category ops
 * @since 0.2.0
 */
export const segmentSum: (data: ArrayLike, segmentIds: ArrayLike, options?: SegmentOptions) => NdArray = segment('sum')

/**
 * Maximum of the rows of `data` per segment (JAX's `segment_max`; an empty segment is −inf).
 * @example
 * import { segmentMax, array } from 'wengert'
 * const r = segmentMax(array([1, 5, 3]), array([0, 0, 2], { dtype: 'int32' })).toArray()
 * assert.deepStrictEqual(r, [5, -Infinity, 3])
 * @category ops
 * @since 0.2.0
 */
export const segmentMax: (data: ArrayLike, segmentIds: ArrayLike, options?: SegmentOptions) => NdArray = segment('max')

/**
 * Minimum of the rows of `data` per segment (JAX's `segment_min`; an empty segment is +inf).
 * @example
 * import { segmentMin, array } from 'wengert'
 * assert.deepStrictEqual(segmentMin(array([1, 5, 3]), array([1, 1, 0], { dtype: 'int32' })).toArray(), [3, 1])
 * @category ops
 * @since 0.2.0
 */
export const segmentMin: (data: ArrayLike, segmentIds: ArrayLike, options?: SegmentOptions) => NdArray = segment('min')

/**
 * Product of the rows of `data` per segment (JAX's `segment_prod`; an empty segment is 1).
 * @example
 * import { segmentProd, array } from 'wengert'
 * assert.deepStrictEqual(segmentProd(array([2, 5, 3]), array([1, 1, 0], { dtype: 'int32' })).toArray(), [3, 10])
 * @category ops
 * @since 0.2.0
 */
export const segmentProd: (data: ArrayLike, segmentIds: ArrayLike, options?: SegmentOptions) => NdArray =
  segment('prod')

/** Options of {@link oneHot}. */
export interface OneHotOptions {
  /** Default float32. */
  readonly dtype?: DType
  /** Where the class axis goes (default −1, last). */
  readonly axis?: number
}

/**
 * One-hot encoding (JAX's `jax.nn.one_hot`): 1 where the class equals `x`, along a new axis of
 * `numClasses`; out-of-range values give all zeros.
 * @example
 * import { oneHot, array } from 'wengert'
 * const x = array([2, 0, 5], { dtype: 'int32' })
 * assert.deepStrictEqual(oneHot(x, 3).toArray(), [[0, 0, 1], [1, 0, 0], [0, 0, 0]])
 * assert.deepStrictEqual(oneHot(x, 3, { axis: 0 }).shape, [3, 3])
 * @category ops
 * @since 0.2.0
 */
export const oneHot = (x: ArrayLike, numClasses: number, options?: OneHotOptions): NdArray => {
  const o = checkOptions('oneHot', options, ['dtype', 'axis'])
  if (!Number.isInteger(numClasses) || numClasses < 0)
    throw new ValueError(`oneHot: numClasses must be a non-negative integer, got ${numClasses}`)
  const a = asArray('oneHot', x)
  const ax = normalizeAxis('oneHot', o.axis ?? -1, a.ndim + 1)
  const shape = [...a.shape.slice(0, ax), numClasses, ...a.shape.slice(ax)]
  const dims = a.shape.map((_, i) => (i < ax ? i : i + 1))
  const xs = lax.broadcastInDim(a, shape, dims)
  const classes = lax.cast(lax.broadcastInDim(iota(numClasses), shape, [ax]), a.dtype)
  return lax.cast(lax.eq(xs, classes), o.dtype ?? 'float32')
}

/** Options of {@link bincount}. */
export interface BincountOptions {
  readonly weights?: ArrayLike
  /** At least this many bins. */
  readonly minlength?: number
  /** Exactly this many bins (values beyond are dropped); needed under `jit`. */
  readonly length?: number
}

/**
 * Counts of each value of the 1-D non-negative integer array `x` (JAX's `jnp.bincount`),
 * weighted by `weights`; negative values count as 0, values ≥ `length` are dropped.
 * @example
 * import { bincount, array } from 'wengert'
 * const x = array([1, 1, 3], { dtype: 'int32' })
 * assert.deepStrictEqual(bincount(x).toArray(), [0, 2, 0, 1])
 * assert.deepStrictEqual(bincount(x, { length: 2 }).toArray(), [0, 2])
 * assert.deepStrictEqual(bincount(x, { weights: array([0.5, 1, 2]), minlength: 5 }).toArray(), [0, 1.5, 0, 2, 0])
 * @category ops
 * @since 0.2.0
 */
export const bincount = (x: ArrayLike, options?: BincountOptions): NdArray => {
  const o = checkOptions('bincount', options, ['weights', 'minlength', 'length'])
  const a = intIndices('bincount', x, 'x')
  if (a.ndim !== 1) throw new ShapeError(`bincount only accepts 1-D arrays, got shape [${a.shape.join(', ')}]`)
  const minlength = o.minlength ?? 0
  if (!Number.isInteger(minlength) || minlength < 0)
    throw new ValueError(`minlength must be a non-negative integer, got ${minlength}`)
  const n = o.length ?? Math.max(minlength, concreteMax('bincount (without length)', a) + 1)
  const w = o.weights === undefined ? lax.scalar(1, 'int32') : asArray('bincount', o.weights)
  const clipped = lax.select(lax.lt(a, lax.scalar(0, a.dtype)), lax.scalar(0, a.dtype), a)
  return at(lax.broadcastInDim(lax.scalar(0, w.dtype), [n], []), clipped).add(w, { mode: 'drop' })
}
