/**
 * Reduction primitives over canonical (sorted, non-negative) axes; outputs drop the reduced
 * axes (`src/ops` adds keepdims). Adjoint pair: reduce_sum ↔ broadcast_in_dim.
 *
 * @category primitives
 * @since 0.1.0
 */
import { argReduce, reduce } from '../../ndarray/kernels/reduce'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import { definePrimitive } from '../primitive'

type X = readonly [NdArray]
/** Params of reductions. */
export interface AxesParams {
  readonly axes: ReadonlyArray<number>
}

const reducedShape = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number[] =>
  shape.filter((_, i) => !axes.includes(i))

/** The output axes kept by a reduction, as broadcast_in_dim dims. */
const keptDims = (ndim: number, axes: ReadonlyArray<number>): number[] =>
  Array.from({ length: ndim }, (_, i) => i).filter((i) => !axes.includes(i))

/** Sum over axes. Linear; adjoint of broadcast_in_dim. @category primitives @since 0.1.0 */
export const reduce_sum = definePrimitive<'reduce_sum', X, AxesParams>({
  name: 'reduce_sum',
  impl: ([x], { axes }) => reduce('sum', x, axes),
  shape: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: x.dtype }),
  linear: true,
  // ẏ = Σ ẋ
  jvp: ({ params: { axes } }, [xDot]) => lax.reduceSum(xDot as NdArray, axes),
  // x̄ = broadcast(ȳ) back over the reduced axes
  vjp: ({ inputs: [x], params: { axes } }, yBar) => [lax.broadcastInDim(yBar, x.shape, keptDims(x.ndim, axes))],
})

/**
 * Maximum over axes. The derivative is shared equally among tied maxima (JAX's convention).
 * @category primitives @since 0.1.0
 */
export const reduce_max = definePrimitive<'reduce_max', X, AxesParams>({
  name: 'reduce_max',
  impl: ([x], { axes }) => reduce('max', x, axes),
  shape: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: x.dtype }),
  // ẏ = Σ ẋ·[x = y] / #ties
  jvp: ({ inputs: [x], output, params: { axes } }, [xDot]) => {
    const w = lax.tieWeights(x, output, axes)
    return lax.reduceSum(lax.mul(xDot as NdArray, w), axes)
  },
  // x̄ = ȳ·[x = y] / #ties
  vjp: ({ inputs: [x], output, params: { axes } }, yBar) => {
    const w = lax.tieWeights(x, output, axes)
    return [lax.mul(lax.broadcastInDim(yBar, x.shape, keptDims(x.ndim, axes)), w)]
  },
})

/** Logical and over axes (bool). @category primitives @since 0.1.0 */
export const reduce_and = definePrimitive<'reduce_and', X, AxesParams>({
  name: 'reduce_and',
  impl: ([x], { axes }) => reduce('all', x, axes, 'bool'),
  shape: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: 'bool' }),
  derivative: 'none',
})

/** Logical or over axes (bool). @category primitives @since 0.1.0 */
export const reduce_or = definePrimitive<'reduce_or', X, AxesParams>({
  name: 'reduce_or',
  impl: ([x], { axes }) => reduce('any', x, axes, 'bool'),
  shape: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: 'bool' }),
  derivative: 'none',
})

/** Params of argmax/argmin. */
export interface AxisParams {
  readonly axis: number
}

/** Index of the maximum along an axis (int32; first occurrence). @category primitives @since 0.1.0 */
export const argmax = definePrimitive<'argmax', X, AxisParams>({
  name: 'argmax',
  impl: ([x], { axis }) => argReduce('argmax', x, axis),
  shape: ([x], { axis }) => ({ shape: reducedShape(x.shape, [axis]), dtype: 'int32' }),
  derivative: 'none',
})

/** Index of the minimum along an axis (int32; first occurrence). @category primitives @since 0.1.0 */
export const argmin = definePrimitive<'argmin', X, AxisParams>({
  name: 'argmin',
  impl: ([x], { axis }) => argReduce('argmin', x, axis),
  shape: ([x], { axis }) => ({ shape: reducedShape(x.shape, [axis]), dtype: 'int32' }),
  derivative: 'none',
})
