/**
 * Slices at start indices that may be traced (JAX's `lax.dynamic_slice`,
 * `lax.dynamic_update_slice`, `lax.dynamic_index_in_dim`): the sizes are static, the starts
 * are numbers or 0-d integer arrays. As in JAX, a negative start counts from the end and every
 * start is then clamped so the slice fits in the operand.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { iota } from '../core/primitives/matrixRules'
import { isInteger } from '../ndarray/dtype'
import { DTypeError, fmtTuple, ShapeError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxis } from '../ndarray/shape'
import { asArray, type ArrayLike } from './convert'

/** A start index: a JS integer or a 0-d integer array (possibly traced). */
export type StartIndex = number | NdArray

const i32 = (v: number): NdArray => lax.scalar(v, 'int32')

/** Start indices as JAX prints them: numbers as they are, arrays by dtype and shape. */
const startsText = (starts: ReadonlyArray<StartIndex>): string =>
  `[${starts.map((s) => (typeof s === 'number' ? String(s) : `${s.dtype}${fmtTuple(s.shape)}`)).join(', ')}]`

/** Flat positions of the block of `sizes` at `starts` (wrapped, clamped) in an array of `shape`. */
const blockPositions = (
  op: string,
  shape: ReadonlyArray<number>,
  starts: ReadonlyArray<StartIndex>,
  sizes: ReadonlyArray<number>,
): NdArray => {
  let flat = lax.broadcastInDim(i32(0), sizes, [])
  let stride = 1
  for (let k = shape.length - 1; k >= 0; k--) {
    const n = shape[k] as number
    const size = sizes[k] as number
    const s0 = starts[k] as StartIndex
    let s: NdArray
    if (typeof s0 === 'number') {
      if (!Number.isInteger(s0)) throw new DTypeError(`${op}: start indices must be integers, got ${s0}`)
      s = i32(s0)
    } else {
      if (!isInteger(s0.dtype) || s0.ndim !== 0)
        throw new DTypeError(`${op}: start indices must be integer scalars, got a ${s0.dtype} array of rank ${s0.ndim}`)
      s = lax.cast(s0, 'int32')
    }
    s = lax.select(lax.lt(s, i32(0)), lax.add(s, i32(n)), s)
    s = lax.select(lax.lt(s, i32(0)), i32(0), s)
    s = lax.select(lax.gt(s, i32(n - size)), i32(n - size), s)
    const c = lax.broadcastInDim(lax.add(iota(size), s), sizes, [k])
    flat = lax.add(flat, lax.mul(c, i32(stride)))
    stride *= n
  }
  return flat
}

/**
 * The block of `sliceSizes` at `startIndices` (JAX's `lax.dynamic_slice`).
 * @example
 * import { lax, arange, array } from 'wengert'
 * assert.deepStrictEqual(lax.dynamicSlice(arange(5), [1], [2]).toArray(), [1, 2])
 * assert.deepStrictEqual(lax.dynamicSlice(arange(5), [array(4, { dtype: 'int32' })], [2]).toArray(), [3, 4])
 * @category ops
 * @since 0.2.0
 */
export const dynamicSlice = (
  operand: ArrayLike,
  startIndices: ReadonlyArray<StartIndex>,
  sliceSizes: ReadonlyArray<number>,
): NdArray => {
  const x = asArray('dynamicSlice', operand)
  const fail = (msg: string): never => {
    throw new ShapeError(`dynamicSlice: ${msg}`)
  }
  const [sizes, sh] = [fmtTuple(sliceSizes), fmtTuple(x.shape)]
  if (startIndices.length !== x.ndim)
    fail(
      `dynamic_slice start_indices must have length equal to the number of dimensions of the operand, got indices ${startsText(startIndices)} for operand shape ${sh}`,
    )
  if (sliceSizes.length !== startIndices.length)
    fail(
      `dynamic_slice slice_sizes must have the same length as start_indices, got start_indices length ${startIndices.length} and slice_sizes ${sizes}.`,
    )
  if (!sliceSizes.every(Number.isInteger)) fail(`slice slice_sizes must be integers, got slice_sizes ${sizes}.`)
  if (sliceSizes.some((d, k) => d > (x.shape[k] as number)))
    fail(
      `slice slice_sizes must be less than or equal to operand shape, got slice_sizes ${sizes} for operand shape ${sh}.`,
    )
  if (sliceSizes.some((d) => d < 0))
    fail(`slice slice_sizes must be greater than or equal to zero, got slice_sizes ${sizes}.`)
  const pos = blockPositions('dynamicSlice', x.shape, startIndices, sliceSizes)
  return lax.gather(lax.reshape(x, [x.size]), pos, 0)
}

/**
 * `operand` with `update` written at `startIndices` (JAX's `lax.dynamic_update_slice`).
 * @example
 * import { lax, zeros, ones } from 'wengert'
 * assert.deepStrictEqual(lax.dynamicUpdateSlice(zeros([4]), ones([2]), [3]).toArray(), [0, 0, 1, 1])
 * @category ops
 * @since 0.2.0
 */
export const dynamicUpdateSlice = (
  operand: ArrayLike,
  update: ArrayLike,
  startIndices: ReadonlyArray<StartIndex>,
): NdArray => {
  const x = asArray('dynamicUpdateSlice', operand)
  const u = asArray('dynamicUpdateSlice', update, x.dtype)
  const [us, sh] = [fmtTuple(u.shape), fmtTuple(x.shape)]
  if (u.ndim !== x.ndim)
    throw new ShapeError(
      `dynamicUpdateSlice: dynamic_update_slice update must have the same rank as operand, got update shape ${us} for operand shape ${sh}.`,
    )
  if (startIndices.length !== x.ndim)
    throw new ShapeError(
      `dynamicUpdateSlice: dynamic_update_slice start_indices must have length equal to the number of dimensions of the operand, got indices ${startsText(startIndices)} for operand shape ${sh}.`,
    )
  if (u.shape.some((d, k) => d > (x.shape[k] as number)))
    throw new ShapeError(
      `dynamicUpdateSlice: dynamic_update_slice update shape must be smaller than operand shape, got update shape ${us} for operand shape ${sh}.`,
    )
  const pos = blockPositions('dynamicUpdateSlice', x.shape, startIndices, u.shape)
  return lax.reshape(lax.scatter(lax.reshape(x, [x.size]), pos, u, true), x.shape)
}

/**
 * The slice at `index` of `axis` (JAX's `lax.dynamic_index_in_dim`), kept as an axis of size 1
 * unless `keepdims` is false.
 * @example
 * import { lax, array } from 'wengert'
 * const m = array([[1, 2], [3, 4]])
 * assert.deepStrictEqual(lax.dynamicIndexInDim(m, 1, 1, false).toArray(), [2, 4])
 * assert.deepStrictEqual(lax.dynamicIndexInDim(m, -1).toArray(), [[3, 4]])
 * @category ops
 * @since 0.2.0
 */
export const dynamicIndexInDim = (operand: ArrayLike, index: StartIndex, axis = 0, keepdims = true): NdArray => {
  const x = asArray('dynamicIndexInDim', operand)
  const ax = normalizeAxis('dynamicIndexInDim', axis, x.ndim)
  const starts = x.shape.map((_, k) => (k === ax ? index : 0))
  const r = dynamicSlice(
    x,
    starts,
    x.shape.map((n, k) => (k === ax ? 1 : n)),
  )
  return keepdims ? r : lax.reshape(r, [...x.shape.slice(0, ax), ...x.shape.slice(ax + 1)])
}
