/**
 * JAX `jax.lax` names over the numeric API: `stop_gradient` (of a pytree), `select`, `clamp`,
 * `iota`, the `*_in_dim` slicing helpers and the structural operations with explicit,
 * canonical arguments (`broadcast_in_dim`, `slice`, `rev`, `concatenate`, …). As in JAX, the
 * binary element-wise operations do not promote: two arrays must have the same dtype (a JS
 * number is weakly typed and takes the array's dtype).
 *
 * @category ops
 * @since 0.3.0
 */
import * as lax from '../core/lax'
import { iota as iotaPrim } from '../core/primitives/matrixRules'
import type { DType } from '../ndarray/dtype'
import { isInteger } from '../ndarray/dtype'
import { DTypeError, fmtTuple, ShapeError, ValueError } from '../ndarray/errors'
import { isNdArray, type NdArray } from '../ndarray/NdArray'
import * as O from 'fp-ts/Option'
import { normalizeAxis, tryBroadcastShapes } from '../ndarray/shape'
import * as tree from '../tree'
import { asArray, type ArrayLike } from './convert'
import { dynamicSlice, dynamicUpdateSlice, type StartIndex } from './dynamic'
import * as E from './elementwise'
import * as I from './integer'

const shapeText = (s: ReadonlyArray<number>): string => `[${s.join(', ')}]`

/**
 * Blocks gradients through every array leaf of a pytree (JAX's `lax.stop_gradient`); other
 * leaves are returned unchanged.
 * @example
 * import { lax, grad, mul, array, type NdArray } from 'wengert'
 * const f = (x: NdArray) => mul(x, lax.stopGradient(x))
 * assert.strictEqual(grad(f)(array(3, { dtype: 'float64' })).item(), 3)
 * const t = lax.stopGradient({ a: array([1, 2]), n: 3 })
 * assert.strictEqual(t.n, 3)
 * @category ops
 * @since 0.3.0
 */
export const stopGradient = <T>(x: T): T =>
  tree.map((l: unknown) => (isNdArray(l) ? lax.stopGradient(l) : l), x) as unknown as T

/** Both operands as arrays, which must have one dtype when both are arrays (lax does not promote). */
export const sameDtype = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  if (isNdArray(x) && isNdArray(y) && x.dtype !== y.dtype)
    throw new DTypeError(`lax.${op} requires arguments to have the same dtypes, got ${x.dtype}, ${y.dtype}`)
  const a = isNdArray(x) ? x : asArray(`lax.${op}`, x, isNdArray(y) ? y.dtype : undefined)
  const b = asArray(`lax.${op}`, y, a.dtype)
  if (O.isNone(tryBroadcastShapes(a.shape, b.shape)))
    throw new ShapeError(
      `lax.${op}: ${op} got incompatible shapes for broadcasting: ${fmtTuple(a.shape)}, ${fmtTuple(b.shape)}.`,
    )
  return [a, b]
}

/** A lax binary operation over {@link sameDtype} operands. */
export const binary =
  (op: string, f: (x: NdArray, y: NdArray) => NdArray) =>
  (x: ArrayLike, y: ArrayLike): NdArray =>
    f(...sameDtype(op, x, y))

/** `x + y` without promotion (JAX's `lax.add`). @category ops @since 0.3.0 */
export const add = binary('add', E.add)
/** `x − y` without promotion (JAX's `lax.sub`). @category ops @since 0.3.0 */
export const sub = binary('sub', E.sub)
/** `x · y` without promotion (JAX's `lax.mul`). @category ops @since 0.3.0 */
export const mul = binary('mul', E.mul)
/** The element-wise maximum without promotion (JAX's `lax.max`). @category ops @since 0.3.0 */
export const max = binary('max', E.maximum)
/** The element-wise minimum without promotion (JAX's `lax.min`). @category ops @since 0.3.0 */
export const min = binary('min', E.minimum)
/** `xʸ` without promotion (JAX's `lax.pow`). @category ops @since 0.3.0 */
export const pow = binary('pow', E.pow)
/** `atan2(x, y)` without promotion (JAX's `lax.atan2`). @category ops @since 0.3.0 */
export const atan2 = binary('atan2', E.atan2)

/**
 * `x / y` without promotion (JAX's `lax.div`): for integers the quotient is rounded toward zero
 * (C's division, unlike `floorDivide`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.div(array([7, -7], { dtype: 'int32' }), 2).toArray(), [3, -3])
 * @category ops
 * @since 0.3.0
 */
export const div = binary('div', (x, y) => {
  if (!isInteger(x.dtype)) return E.div(x, y)
  // floor division, then one step toward zero where the remainder is nonzero and the signs differ
  const q = I.floorDivide(x, y)
  const r = I.remainder(x, y)
  const signsDiffer = lax.ne(lax.lt(x, lax.scalarLike(0, x)), lax.lt(y, lax.scalarLike(0, y)))
  const fix = lax.and(lax.ne(r, lax.scalarLike(0, r)), signsDiffer)
  return lax.select(fix, lax.add(q, lax.scalarLike(1, q)), q)
})

/**
 * `onTrue` where `pred` holds, else `onFalse` (JAX's `lax.select`): `pred` is boolean, of the
 * operands' shape or a scalar, and the operands have one shape and dtype.
 * @example
 * import { lax, array } from 'wengert'
 * const r = lax.select(array([true, false]), array([1, 2]), array([3, 4]))
 * assert.deepStrictEqual(r.toArray(), [1, 4])
 * @category ops
 * @since 0.3.0
 */
export const select = (pred: ArrayLike | boolean, onTrue: ArrayLike, onFalse: ArrayLike): NdArray => {
  const p = typeof pred === 'boolean' ? lax.scalar(pred ? 1 : 0, 'bool') : asArray('lax.select', pred)
  const [t, f] = sameDtype('select', onTrue, onFalse)
  if (p.dtype !== 'bool') throw new DTypeError(`lax.select: pred must be boolean, got ${p.dtype}`)
  if (t.shape.join() !== f.shape.join() || (p.ndim !== 0 && p.shape.join() !== t.shape.join()))
    throw new ShapeError(
      `lax.select: pred ${shapeText(p.shape)} must be a scalar or have the operands' shape; ` +
        `on_true ${shapeText(t.shape)} and on_false ${shapeText(f.shape)} must match`,
    )
  return lax.select(lax.broadcastTo(p, t.shape), t, f)
}

/**
 * `x` clamped to `[min, max]` (JAX's `lax.clamp(min, x, max)`; the bounds are scalars or of
 * `x`'s shape, of its dtype).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.clamp(0, array([-1, 0.5, 2]), 1).toArray(), [0, 0.5, 1])
 * @category ops
 * @since 0.3.0
 */
export const clamp = (minVal: ArrayLike, x: ArrayLike, maxVal: ArrayLike): NdArray => {
  const [a, lo] = sameDtype('clamp', x, minVal)
  const [, hi] = sameDtype('clamp', a, maxVal)
  for (const b of [lo, hi])
    if (b.ndim !== 0 && b.shape.join() !== a.shape.join())
      throw new ShapeError(
        `lax.clamp: a bound of shape ${shapeText(b.shape)} must be a scalar or have x's shape ${shapeText(a.shape)}`,
      )
  return E.minimum(E.maximum(a, lo), hi)
}

/**
 * `[0, 1, …, size − 1]` of `dtype` (JAX's `lax.iota(dtype, size)`).
 * @example
 * import { lax } from 'wengert'
 * assert.deepStrictEqual(lax.iota('int32', 3).toArray(), [0, 1, 2])
 * @category ops
 * @since 0.3.0
 */
export const iota = (dtype: DType, size: number): NdArray => {
  if (!Number.isInteger(size) || size < 0)
    throw new ValueError(`lax.iota: size must be a non-negative integer, got ${size}`)
  return lax.cast(iotaPrim(size), dtype)
}

/**
 * `operand` cast to `newDtype` (JAX's `lax.convert_element_type`; float → int truncates).
 * @category ops
 * @since 0.3.0
 */
export const convertElementType = (operand: ArrayLike, newDtype: DType): NdArray =>
  lax.cast(asArray('lax.convertElementType', operand), newDtype)

/** JAX's checks of `lax.broadcast_in_dim`, in its order and words (TypeError: ShapeError here). */
const checkBroadcastInDim = (
  operand: ReadonlyArray<number>,
  shape: ReadonlyArray<number>,
  dims: ReadonlyArray<number>,
): void => {
  const fail = (msg: string): never => {
    throw new ShapeError(`lax.broadcastInDim: broadcast_in_dim ${msg}`)
  }
  const [d, op, sh] = [fmtTuple(dims), fmtTuple(operand), fmtTuple(shape)]
  if (dims.length !== operand.length)
    fail(
      `broadcast_dimensions must have length equal to operand ndim; got broadcast_dimensions ${d} for operand ndim ${operand.length}.`,
    )
  if (shape.length < operand.length)
    fail(
      `target broadcast shape must have equal or higher rank to the operand shape; got operand ndim ${operand.length} and target broadcast ndim ${shape.length}.`,
    )
  if (!dims.every((k) => Number.isInteger(k) && k >= 0 && k < shape.length))
    fail(
      `broadcast_dimensions must be a subset of output dimensions, got ${d} for operand ndim ${operand.length} and shape ${sh}.`,
    )
  if (!operand.every((n, i) => n === 1 || n === shape[dims[i] as number]))
    fail(
      `operand dimension sizes must either be 1, or be equal to their corresponding dimensions in the target broadcast shape; got operand of shape ${op}, target broadcast shape ${sh}, broadcast_dimensions ${d}`,
    )
  if (!dims.every((k, i) => i === 0 || k > (dims[i - 1] as number)))
    fail(`broadcast_dimensions must be strictly increasing; got broadcast_dimensions ${d}`)
}

/**
 * `operand` broadcast to `shape`, its axis `i` going to axis `broadcastDimensions[i]` (JAX's
 * `lax.broadcast_in_dim`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.broadcastInDim(array([1, 2]), [2, 3], [0]).toArray(), [[1, 1, 1], [2, 2, 2]])
 * @category ops
 * @since 0.3.0
 */
export const broadcastInDim = (
  operand: ArrayLike,
  shape: ReadonlyArray<number>,
  broadcastDimensions: ReadonlyArray<number>,
): NdArray => {
  const x = asArray('lax.broadcastInDim', operand)
  checkBroadcastInDim(x.shape, shape, broadcastDimensions)
  const squeezed = broadcastDimensions.filter((d, i) => x.shape[i] === shape[d])
  const kept = lax.reshape(
    x,
    x.shape.filter((n, i) => n === shape[broadcastDimensions[i] as number]),
  )
  return lax.broadcastInDim(kept, shape, squeezed)
}

/** JAX's checks of `lax.slice`'s indices, in its order and words (TypeError: ShapeError here). */
const checkSliceIndices = (
  shape: ReadonlyArray<number>,
  start: ReadonlyArray<number>,
  limit: ReadonlyArray<number>,
  strides: ReadonlyArray<number>,
): void => {
  const fail = (msg: string): never => {
    throw new ShapeError(`lax.slice: slice ${msg}`)
  }
  const [s, l, st, sh] = [fmtTuple(start), fmtTuple(limit), fmtTuple(strides), fmtTuple(shape)]
  if (start.length !== shape.length)
    fail(
      `start_indices must have length equal to the number of dimensions of the operand, got indices ${s} for operand shape ${sh}`,
    )
  if (limit.length !== start.length)
    fail(`limit_indices must have the same length as start_indices, got start_indices ${s} and limit_indices ${l}`)
  if (![...start, ...limit, ...strides].every(Number.isInteger))
    fail(`indices must be integers, got start_indices ${s}, limit_indices ${l} and strides ${st}`)
  if (limit.some((v, k) => v > (shape[k] as number)))
    fail(`limit_indices must be less than or equal to operand shape, got limit_indices ${l} for operand shape ${sh}`)
  if (start.some((v) => v < 0)) fail(`start_indices must be greater than or equal to zero, got start_indices ${s}`)
  if (limit.some((v, k) => v < (start[k] as number)))
    fail(`limit_indices must be greater than or equal to start_indices, got start_indices ${s} and limit_indices ${l}`)
  if (strides.length !== shape.length)
    fail(
      `strides must have length equal to the number of dimensions of the operand, got strides ${st} for operand shape ${sh}`,
    )
  if (strides.some((v) => v <= 0)) fail(`strides must be positive, got ${st}`)
}

/**
 * The elements from `startIndices` up to (excluding) `limitIndices` with `strides` (JAX's
 * `lax.slice`; all static).
 * @example
 * import { lax, arange } from 'wengert'
 * assert.deepStrictEqual(lax.slice(arange(6), [1], [6], [2]).toArray(), [1, 3, 5])
 * @category ops
 * @since 0.3.0
 */
export const slice = (
  operand: ArrayLike,
  startIndices: ReadonlyArray<number>,
  limitIndices: ReadonlyArray<number>,
  strides?: ReadonlyArray<number> | null,
): NdArray => {
  const x = asArray('lax.slice', operand)
  const st = strides ?? x.shape.map(() => 1)
  checkSliceIndices(x.shape, startIndices, limitIndices, st)
  return lax.slice(x, startIndices, limitIndices, st)
}

/**
 * `lax.slice` along one axis (JAX's `lax.slice_in_dim(operand, start_index, limit_index, stride=1, axis=0)`;
 * `null` bounds mean the axis' ends, negative ones count from the end).
 * @category ops
 * @since 0.3.0
 */
export const sliceInDim = (
  operand: ArrayLike,
  startIndex: number | null,
  limitIndex: number | null,
  stride = 1,
  axis = 0,
): NdArray => {
  const x = asArray('lax.sliceInDim', operand)
  const ax = normalizeAxis('lax.sliceInDim', axis, x.ndim)
  const n = x.shape[ax] as number
  const wrap = (v: number | null, dflt: number): number => (v === null ? dflt : v < 0 ? v + n : v)
  return slice(
    x,
    x.shape.map((_, k) => (k === ax ? wrap(startIndex, 0) : 0)),
    x.shape.map((m, k) => (k === ax ? wrap(limitIndex, n) : m)),
    x.shape.map((_, k) => (k === ax ? stride : 1)),
  )
}

/**
 * `sliceSize` elements of `axis` from a (possibly traced) `startIndex` (JAX's
 * `lax.dynamic_slice_in_dim`; the start is clamped so the slice fits).
 * @example
 * import { lax, arange } from 'wengert'
 * assert.deepStrictEqual(lax.dynamicSliceInDim(arange(5), 3, 3).toArray(), [2, 3, 4])
 * @category ops
 * @since 0.3.0
 */
export const dynamicSliceInDim = (operand: ArrayLike, startIndex: StartIndex, sliceSize: number, axis = 0): NdArray => {
  const x = asArray('lax.dynamicSliceInDim', operand)
  const ax = normalizeAxis('lax.dynamicSliceInDim', axis, x.ndim)
  return dynamicSlice(
    x,
    x.shape.map((_, k) => (k === ax ? startIndex : 0)),
    x.shape.map((n, k) => (k === ax ? sliceSize : n)),
  )
}

/**
 * `operand` with `update` written along `axis` from `startIndex` (JAX's
 * `lax.dynamic_update_slice_in_dim`).
 * @example
 * import { lax, zeros, ones } from 'wengert'
 * assert.deepStrictEqual(lax.dynamicUpdateSliceInDim(zeros([2, 3]), ones([2, 1]), 2, 1).toArray(), [[0, 0, 1], [0, 0, 1]])
 * @category ops
 * @since 0.3.0
 */
export const dynamicUpdateSliceInDim = (
  operand: ArrayLike,
  update: ArrayLike,
  startIndex: StartIndex,
  axis: number,
): NdArray => {
  const x = asArray('lax.dynamicUpdateSliceInDim', operand)
  const ax = normalizeAxis('lax.dynamicUpdateSliceInDim', axis, x.ndim)
  return dynamicUpdateSlice(
    x,
    update,
    x.shape.map((_, k) => (k === ax ? startIndex : 0)),
  )
}

/**
 * `operand` with `update` written at `index` of `axis` (JAX's `lax.dynamic_update_index_in_dim`;
 * `update` may lack that axis).
 * @example
 * import { lax, zeros, array } from 'wengert'
 * assert.deepStrictEqual(lax.dynamicUpdateIndexInDim(zeros([2, 2]), array([1, 2]), 1, 0).toArray(), [[0, 0], [1, 2]])
 * @category ops
 * @since 0.3.0
 */
export const dynamicUpdateIndexInDim = (
  operand: ArrayLike,
  update: ArrayLike,
  index: StartIndex,
  axis: number,
): NdArray => {
  const x = asArray('lax.dynamicUpdateIndexInDim', operand)
  const ax = normalizeAxis('lax.dynamicUpdateIndexInDim', axis, x.ndim)
  const u = asArray('lax.dynamicUpdateIndexInDim', update, x.dtype)
  const full = u.ndim === x.ndim ? u : lax.reshape(u, [...u.shape.slice(0, ax), 1, ...u.shape.slice(ax)])
  return dynamicUpdateSliceInDim(x, full, index, ax)
}

/**
 * `xʸ` for a static integer `y` (JAX's `lax.integer_pow`), by repeated squaring; a negative `y`
 * gives the reciprocal.
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.integerPow(array([1, 2, 3]), 3).toArray(), [1, 8, 27])
 * @category ops
 * @since 0.3.0
 */
export const integerPow = (x: ArrayLike, y: number): NdArray => {
  if (!Number.isInteger(y)) throw new ValueError(`lax.integerPow: the exponent must be an integer, got ${y}`)
  const a = asArray('lax.integerPow', x)
  let acc: NdArray | null = null
  let base = a
  for (let k = Math.abs(y); k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) acc = acc === null ? base : lax.mul(acc, base)
    if (k > 1) base = lax.mul(base, base)
  }
  const p = acc ?? lax.broadcastTo(lax.scalarLike(1, a), a.shape)
  return y < 0 ? E.div(1, p) : p
}
