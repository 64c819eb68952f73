/**
 * JAX `jax.lax` shape operations and the remaining common names, with JAX's canonical, explicit
 * arguments: `reshape` (with `dimensions`), `transpose`, `squeeze`, `expand_dims`, `broadcast`,
 * `collapse`, `select_n`, the `reduce_*` reductions, `argmax`/`argmin` with an index dtype, the
 * comparisons `eq`…`ge` and `rem`. All are differentiable wherever the underlying primitives are.
 *
 * @category ops
 * @since 0.4.0
 */
import * as lax from '../core/lax'
import type { DType } from '../ndarray/dtype'
import { isInteger } from '../ndarray/dtype'
import { DTypeError, fmtTuple, ShapeError, ValueError } from '../ndarray/errors'
import { isNdArray, type NdArray } from '../ndarray/NdArray'
import { normalizeAxis, withUnitAxes } from '../ndarray/shape'
import { asArray, type ArrayLike } from './convert'
import * as E from './elementwise'
import { remainder } from './integer'
import { min, prod } from './reduce'
import { binary } from './laxNamed'

const shapeText = (s: ReadonlyArray<number>): string => `[${s.join(', ')}]`

/** Checks that `perm` is a permutation of 0…n−1. */
const checkPermutation = (
  op: string,
  perm: ReadonlyArray<number>,
  shape: ReadonlyArray<number>,
  what: string,
): void => {
  const sorted = [...perm].sort((a, b) => a - b)
  if (perm.length !== shape.length || sorted.some((v, i) => v !== i))
    throw new ShapeError(
      `lax.${op}: ${op} ${what} isn't a permutation of operand dimensions, got ${what} ${fmtTuple(perm)} for operand shape ${fmtTuple(shape)}`,
    )
}

/** Sorted, distinct, normalised axes (negative ones counted from `ndim`). */
const axesOf = (op: string, dims: ReadonlyArray<number>, ndim: number): number[] => {
  const out = dims.map((d) => normalizeAxis(`lax.${op}`, d, ndim)).sort((a, b) => a - b)
  if (out.some((d, i) => i > 0 && d === out[i - 1]))
    throw new ValueError(`lax.${op}: dimensions must be unique, got ${shapeText(dims)}`)
  return out
}

// -------------------------------------------------------------------------------------
// shape
// -------------------------------------------------------------------------------------

/**
 * `operand` with the shape `newSizes` (JAX's `lax.reshape(operand, new_sizes, dimensions=None)`);
 * with `dimensions` the axes are first permuted into that order (row-major reading order).
 * @example
 * import { lax, arange } from 'wengert'
 * const x = arange(6).reshape([2, 3])
 * assert.deepStrictEqual(lax.reshape(x, [3, 2]).toArray(), [[0, 1], [2, 3], [4, 5]])
 * assert.deepStrictEqual(lax.reshape(x, [6], [1, 0]).toArray(), [0, 3, 1, 4, 2, 5])
 * @category ops @since 0.4.0
 */
export const reshape = (
  operand: ArrayLike,
  newSizes: ReadonlyArray<number>,
  dimensions?: ReadonlyArray<number> | null,
): NdArray => {
  const x = asArray('lax.reshape', operand)
  if (!newSizes.every((d) => Number.isInteger(d) && d >= 0) || newSizes.reduce((a, b) => a * b, 1) !== x.size)
    throw new ShapeError(
      `lax.reshape: reshape total size must be unchanged, got new_sizes ${fmtTuple(newSizes)} (of total size ${newSizes.reduce((a, b) => a * b, 1)}) for shape ${fmtTuple(x.shape)} (of total size ${x.size})`,
    )
  const dims = dimensions ?? null
  if (dims !== null) checkPermutation('reshape', dims, x.shape, 'dimensions')
  const ordered = dims === null || dims.every((d, i) => d === i) ? x : lax.transpose(x, dims)
  return lax.reshape(ordered, newSizes)
}

/**
 * The axes of `operand` permuted: output axis i is input axis `permutation[i]` (JAX's
 * `lax.transpose(operand, permutation)`).
 * @example
 * import { lax, arange } from 'wengert'
 * assert.deepStrictEqual(lax.transpose(arange(6).reshape([2, 3]), [1, 0]).shape, [3, 2])
 * @category ops @since 0.4.0
 */
export const transpose = (operand: ArrayLike, permutation: ReadonlyArray<number>): NdArray => {
  const x = asArray('lax.transpose', operand)
  checkPermutation('transpose', permutation, x.shape, 'permutation')
  return lax.transpose(x, permutation)
}

/**
 * `array` without the listed axes, which must have size 1 (JAX's `lax.squeeze(array, dimensions)`).
 * @example
 * import { lax, zeros } from 'wengert'
 * assert.deepStrictEqual(lax.squeeze(zeros([1, 3, 1]), [0, -1]).shape, [3])
 * @category ops @since 0.4.0
 */
export const squeeze = (array: ArrayLike, dimensions: ReadonlyArray<number>): NdArray => {
  const x = asArray('lax.squeeze', array)
  const axes = axesOf('squeeze', dimensions, x.ndim)
  const bad = axes.filter((d) => x.shape[d] !== 1)
  if (bad.length > 0)
    throw new ShapeError(
      `lax.squeeze: cannot select an axis to squeeze out which has size not equal to one, got shape=${fmtTuple(x.shape)} and dimensions=${fmtTuple(dimensions)}`,
    )
  return lax.reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  )
}

/**
 * `array` with new axes of size 1 at the listed positions of the result (JAX's
 * `lax.expand_dims(array, dimensions)`; negative positions count from the result's rank).
 * @example
 * import { lax, zeros } from 'wengert'
 * assert.deepStrictEqual(lax.expandDims(zeros([3]), [0, -1]).shape, [1, 3, 1])
 * @category ops @since 0.4.0
 */
export const expandDims = (array: ArrayLike, dimensions: ReadonlyArray<number>): NdArray => {
  const x = asArray('lax.expandDims', array)
  const rank = x.ndim + dimensions.length
  const axes = axesOf('expandDims', dimensions, rank)
  return lax.reshape(x, withUnitAxes(x.shape, axes, rank))
}

/**
 * `operand` broadcast with new leading axes `sizes` (JAX's `lax.broadcast(operand, sizes)`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.broadcast(array([1, 2]), [2]).toArray(), [[1, 2], [1, 2]])
 * @category ops @since 0.4.0
 */
export const broadcast = (operand: ArrayLike, sizes: ReadonlyArray<number>): NdArray => {
  const x = asArray('lax.broadcast', operand)
  if (!sizes.every((d) => Number.isInteger(d) && d >= 0))
    throw new ShapeError(`lax.broadcast: sizes must be non-negative integers, got ${shapeText(sizes)}`)
  const dims = x.shape.map((_, i) => i + sizes.length)
  return lax.broadcastInDim(x, [...sizes, ...x.shape], dims)
}

/**
 * `operand` with the axes `startDimension` up to (excluding) `stopDimension` merged into one
 * (JAX's `lax.collapse(operand, start_dimension, stop_dimension=None)`; default: to the end).
 * @example
 * import { lax, zeros } from 'wengert'
 * assert.deepStrictEqual(lax.collapse(zeros([2, 3, 4]), 1).shape, [2, 12])
 * assert.deepStrictEqual(lax.collapse(zeros([2, 3, 4]), 0, 2).shape, [6, 4])
 * @category ops @since 0.4.0
 */
export const collapse = (operand: ArrayLike, startDimension: number, stopDimension?: number | null): NdArray => {
  const x = asArray('lax.collapse', operand)
  const start = startDimension < 0 ? startDimension + x.ndim : startDimension
  const stop = stopDimension === undefined || stopDimension === null ? x.ndim : stopDimension
  const end = stop < 0 ? stop + x.ndim : stop
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > x.ndim || start > end)
    throw new ShapeError(
      `lax.collapse: need 0 <= start_dimension <= stop_dimension <= ${x.ndim}, got ${String(startDimension)} and ${String(stopDimension)}`,
    )
  const merged = x.shape.slice(start, end).reduce((a, b) => a * b, 1)
  return lax.reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end)])
}

// -------------------------------------------------------------------------------------
// selection
// -------------------------------------------------------------------------------------

/**
 * Element-wise choice among `cases` by `which` (JAX's `lax.select_n(which, *cases)`): a bool
 * `which` picks `cases[1]` where true (so it needs two cases), an integer `which` picks
 * `cases[which]`. `which` is a scalar or has the cases' common shape; the cases share one dtype.
 * @example
 * import { lax, array } from 'wengert'
 * const r = lax.selectN(array([0, 2, 1], { dtype: 'int32' }), array([1, 1, 1]), array([2, 2, 2]), array([3, 3, 3]))
 * assert.deepStrictEqual(r.toArray(), [1, 3, 2])
 * assert.deepStrictEqual(lax.selectN(array([true, false]), array([1, 2]), array([3, 4])).toArray(), [3, 2])
 * @category ops @since 0.4.0
 */
export const selectN = (which: ArrayLike | boolean, ...cases: ReadonlyArray<ArrayLike>): NdArray => {
  if (cases.length === 0) throw new ValueError('lax.selectN: select_n called with no cases')
  const w = typeof which === 'boolean' ? lax.scalar(which ? 1 : 0, 'bool') : asArray('lax.selectN', which)
  const first = cases.find(isNdArray)
  const cs = cases.map((c) => asArray('lax.selectN', c, first?.dtype))
  const c0 = cs[0] as NdArray
  if (cs.some((c) => c.shape.join() !== c0.shape.join()))
    throw new ShapeError(
      `lax.selectN: select cases must have the same shapes, got [${cs.map((c) => fmtTuple(c.shape)).join(', ')}].`,
    )
  if (cs.some((c) => c.dtype !== c0.dtype))
    throw new DTypeError(
      `lax.selectN: select cases must have the same dtypes, got [${cs.map((c) => c.dtype).join(', ')}].`,
    )
  if (w.dtype !== 'bool' && !isInteger(w.dtype))
    throw new DTypeError(`lax.selectN: which must be boolean or integer type, got ${w.dtype}`)
  if (w.dtype === 'bool' && cs.length > 2)
    throw new ValueError(`lax.selectN: select_n with boolean which cannot have > 2 cases, got ${cs.length}`)
  if (w.ndim !== 0 && w.shape.join() !== c0.shape.join())
    throw new ShapeError(
      `lax.selectN: which must be scalar or have the same shape as cases, got which shape ${shapeText(w.shape)} but case shape ${shapeText(c0.shape)}`,
    )
  const wb = lax.broadcastTo(w, c0.shape)
  if (w.dtype === 'bool') return cs.length === 1 ? c0 : lax.select(wb, cs[1] as NdArray, c0)
  // cases[i] where which == i; out-of-range which takes the last case (JAX leaves it unspecified)
  return cs
    .slice(0, -1)
    .reduceRight<NdArray>(
      (acc, c, i) => lax.select(lax.eq(wb, lax.scalarLike(i, wb)), c, acc),
      cs[cs.length - 1] as NdArray,
    )
}

// -------------------------------------------------------------------------------------
// reductions
// -------------------------------------------------------------------------------------

type Reducer = (x: NdArray, axes: ReadonlyArray<number>) => NdArray

const reduceOver =
  (op: string, f: Reducer, check?: (x: NdArray) => void) =>
  (operand: ArrayLike, axes: ReadonlyArray<number>): NdArray => {
    const x = asArray(`lax.${op}`, operand)
    check?.(x)
    return f(x, axesOf(op, axes, x.ndim))
  }

const needBool = (op: string) => (x: NdArray) => {
  if (x.dtype !== 'bool' && !isInteger(x.dtype))
    throw new DTypeError(`lax.${op}: operand must be boolean or integer, got ${x.dtype}`)
}

/** Sum over `axes` (JAX's `lax.reduce_sum(operand, axes)`). @example
 * import { lax, arange } from 'wengert'
 * assert.deepStrictEqual(lax.reduceSum(arange(6).reshape([2, 3]), [1]).toArray(), [3, 12])
 * @category ops @since 0.4.0 */
export const reduceSum = reduceOver('reduceSum', lax.reduceSum)
/** Maximum over `axes` (JAX's `lax.reduce_max`). @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.reduceMax(array([[1, 5], [7, 2]]), [0]).toArray(), [7, 5])
 * @category ops @since 0.4.0 */
export const reduceMax = reduceOver('reduceMax', lax.reduceMax)
/** Minimum over `axes` (JAX's `lax.reduce_min`). @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.reduceMin(array([[1, 5], [7, 2]]), [0]).toArray(), [1, 2])
 * @category ops @since 0.4.0 */
export const reduceMin = reduceOver('reduceMin', (x, axes) => min(x, { axis: axes }))
/** Product over `axes` (JAX's `lax.reduce_prod`). @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.reduceProd(array([[1, 5], [7, 2]]), [1]).toArray(), [5, 14])
 * @category ops @since 0.4.0 */
export const reduceProd = reduceOver('reduceProd', (x, axes) => lax.cast(prod(x, { axis: axes }), x.dtype))
/** Logical AND over `axes` (JAX's `lax.reduce_and`). @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.reduceAnd(array([[true, false], [true, true]]), [1]).toArray(), [false, true])
 * @category ops @since 0.4.0 */
export const reduceAnd = reduceOver(
  'reduceAnd',
  (x, axes) => lax.reduceAnd(lax.cast(x, 'bool'), axes),
  needBool('reduceAnd'),
)
/** Logical OR over `axes` (JAX's `lax.reduce_or`). @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.reduceOr(array([[true, false], [false, false]]), [1]).toArray(), [true, false])
 * @category ops @since 0.4.0 */
export const reduceOr = reduceOver(
  'reduceOr',
  (x, axes) => lax.reduceOr(lax.cast(x, 'bool'), axes),
  needBool('reduceOr'),
)

const argReduce =
  (op: 'argmax' | 'argmin', f: (x: NdArray, axis: number) => NdArray) =>
  (operand: ArrayLike, axis: number, indexDtype: DType): NdArray => {
    const x = asArray(`lax.${op}`, operand)
    if (!isInteger(indexDtype))
      throw new DTypeError(`lax.${op}: index_dtype must be an integer type, but got ${String(indexDtype)}`)
    const r = f(x, normalizeAxis(`lax.${op}`, axis, x.ndim))
    return r.dtype === indexDtype ? r : lax.cast(r, indexDtype)
  }

/** Index of the first maximum along `axis` (JAX's `lax.argmax(operand, axis, index_dtype)`). @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.argmax(array([[1, 5], [7, 2]]), 1, 'int32').toArray(), [1, 0])
 * @category ops @since 0.4.0 */
export const argmax = argReduce('argmax', lax.argmax)
/** Index of the first minimum along `axis` (JAX's `lax.argmin(operand, axis, index_dtype)`). @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.argmin(array([[1, 5], [7, 2]]), 1, 'int32').toArray(), [0, 1])
 * @category ops @since 0.4.0 */
export const argmin = argReduce('argmin', lax.argmin)

// -------------------------------------------------------------------------------------
// comparisons and remainder (no promotion: one dtype)
// -------------------------------------------------------------------------------------

/** `x == y` element-wise (JAX's `lax.eq`). @category ops @since 0.4.0 */
export const eq = binary('eq', lax.eq)
/** `x != y` element-wise (JAX's `lax.ne`). @category ops @since 0.4.0 */
export const ne = binary('ne', lax.ne)
/** `x < y` element-wise (JAX's `lax.lt`). @category ops @since 0.4.0 */
export const lt = binary('lt', lax.lt)
/** `x <= y` element-wise (JAX's `lax.le`). @category ops @since 0.4.0 */
export const le = binary('le', lax.le)
/** `x > y` element-wise (JAX's `lax.gt`). @category ops @since 0.4.0 */
export const gt = binary('gt', lax.gt)
/**
 * `x >= y` element-wise (JAX's `lax.ge`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.ge(array([1, 2, 3]), 2).toArray(), [false, true, true])
 * @category ops @since 0.4.0
 */
export const ge = binary('ge', lax.ge)
/**
 * The remainder with the sign of the dividend, `x − y·trunc(x/y)` (JAX's `lax.rem`, C's `fmod`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.rem(array([5, -5]), 3).toArray(), [2, -2])
 * @category ops @since 0.4.0
 */
export const rem = binary('rem', (x, y) => {
  // NumPy's remainder has the divisor's sign; shift it back where the signs differ
  const r = remainder(x, y)
  const fix = E.logicalAnd(E.notEqual(r, 0), E.notEqual(E.less(x, 0), E.less(y, 0)))
  return E.where(fix, E.sub(r, y), r)
})
