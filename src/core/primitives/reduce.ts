/**
 * Reduction primitives over canonical (sorted, non-negative) axes; outputs drop the reduced
 * axes (`src/ops` adds keepdims). Adjoint pairs: reduce_sum ↔ broadcast_in_dim, cumsum ↔
 * cumsum reversed (a running sum keeps the axis).
 *
 * @category primitives
 * @since 0.1.0
 */
import { argReduce, cumsum as cumsumKernel, reduce } from '../../ndarray/kernels/reduce'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import type { OnnxContext, OnnxEmitter } from '../onnxRule'
import { bound, definePrimitive, leading, shiftAxes, type BoundPrimitive } from '../primitive'

type X = readonly [NdArray]
/** Params of reductions. */
export interface AxesParams {
  readonly axes: ReadonlyArray<number>
}

/** Params of argmax/argmin. */
export interface AxisParams {
  readonly axis: number
}

const reducedShape = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number[] =>
  shape.filter((_, i) => !axes.includes(i))

/** A reduction batches with its axes shifted past the batch axis. */
const shiftedAxes = leading((p: AxesParams) => ({ axes: shiftAxes(p.axes) }))
/** An index reduction batches with its axis shifted past the batch axis. */
const shiftedAxis = leading((p: AxisParams) => ({ axis: p.axis + 1 }))

/** The output axes kept by a reduction, as broadcast_in_dim dims. */
const keptDims = (ndim: number, axes: ReadonlyArray<number>): number[] =>
  Array.from({ length: ndim }, (_, i) => i).filter((i) => !axes.includes(i))

/** Weights of reduce_max's inputs: [x = max] divided by the number of ties. */
const tieWeights = (x: NdArray, output: NdArray, axes: ReadonlyArray<number>): NdArray => {
  const kept = keptDims(x.ndim, axes)
  const ind = lax.cast(lax.eq(x, lax.broadcastInDim(output, x.shape, kept)), x.dtype)
  return lax.div(ind, lax.broadcastInDim(lax.reduceSum(ind, axes), x.shape, kept))
}

/** Sum over axes. Linear; adjoint of broadcast_in_dim. @category primitives @since 0.1.0 */
export const reduceSum: BoundPrimitive<
  'reduce_sum',
  X,
  AxesParams,
  (x: NdArray, axes: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'reduce_sum',
    batch: shiftedAxes,
    onnx: ({ inputs: [x], params: { axes }, emit }) => emit.reduce('ReduceSum', x as string, axes),
    impl: ([x], { axes }) => reduce('sum', x, axes),
    shape: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: x.dtype }),
    linear: true,
    // ẏ = Σ ẋ
    jvp: ({ params: { axes } }, [xDot]) => lax.reduceSum(xDot as NdArray, axes),
    // x̄ = broadcast(ȳ) back over the reduced axes
    vjp: ({ inputs: [x], params: { axes } }, yBar) => [lax.broadcastInDim(yBar, x.shape, keptDims(x.ndim, axes))],
  }),
  (bind) => (x, axes) => (axes.length === 0 ? x : bind([x], { axes })),
)

/**
 * Maximum over axes. The derivative is shared equally among tied maxima (JAX's convention).
 * @category primitives @since 0.1.0
 */
export const reduceMax: BoundPrimitive<
  'reduce_max',
  X,
  AxesParams,
  (x: NdArray, axes: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'reduce_max',
    batch: shiftedAxes,
    onnx: ({ inputs: [x], params: { axes }, emit }) => emit.reduce('ReduceMax', x as string, axes),
    impl: ([x], { axes }) => reduce('max', x, axes),
    shape: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: x.dtype }),
    // ẏ = Σ ẋ·[x = y] / #ties
    jvp: ({ inputs: [x], output, params: { axes } }, [xDot]) => {
      const w = tieWeights(x, output, axes)
      return lax.reduceSum(lax.mul(xDot as NdArray, w), axes)
    },
    // x̄ = ȳ·[x = y] / #ties
    vjp: ({ inputs: [x], output, params: { axes } }, yBar) => {
      const w = tieWeights(x, output, axes)
      return [lax.mul(lax.broadcastInDim(yBar, x.shape, keptDims(x.ndim, axes)), w)]
    },
  }),
  (bind) => (x, axes) => (axes.length === 0 ? x : bind([x], { axes })),
)

/** Logical and over axes (bool). @category primitives @since 0.1.0 */
export const reduceAnd: BoundPrimitive<
  'reduce_and',
  X,
  AxesParams,
  (x: NdArray, axes: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'reduce_and',
    batch: shiftedAxes,
    // all = not any(not x) (ONNX reduces no bools at opset 17)
    onnx: ({ inputs: [x], params: { axes }, emit }) =>
      emit.op('Not', [anyOnnx(emit, emit.op('Not', [x as string]), axes)]),
    impl: ([x], { axes }) => reduce('all', x, axes, 'bool'),
    shape: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: 'bool' }),
    derivative: 'none',
  }),
  (bind) => (x, axes) => bind([x], { axes }),
)

/** Logical or over axes (bool). @category primitives @since 0.1.0 */
export const reduceOr: BoundPrimitive<
  'reduce_or',
  X,
  AxesParams,
  (x: NdArray, axes: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'reduce_or',
    batch: shiftedAxes,
    onnx: ({ inputs: [x], params: { axes }, emit }) => anyOnnx(emit, x as string, axes),
    impl: ([x], { axes }) => reduce('any', x, axes, 'bool'),
    shape: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: 'bool' }),
    derivative: 'none',
  }),
  (bind) => (x, axes) => bind([x], { axes }),
)

/** Index of the maximum along an axis (int32; first occurrence). @category primitives @since 0.1.0 */
export const argmax: BoundPrimitive<'argmax', X, AxisParams, (x: NdArray, axis: number) => NdArray> = bound(
  definePrimitive({
    name: 'argmax',
    onnx: argOnnx('ArgMax'),
    batch: shiftedAxis,
    impl: ([x], { axis }) => argReduce('argmax', x, axis),
    shape: ([x], { axis }) => ({ shape: reducedShape(x.shape, [axis]), dtype: 'int32' }),
    derivative: 'none',
  }),
  (bind) => (x, axis) => bind([x], { axis }),
)

/** Index of the minimum along an axis (int32; first occurrence). @category primitives @since 0.1.0 */
export const argmin: BoundPrimitive<'argmin', X, AxisParams, (x: NdArray, axis: number) => NdArray> = bound(
  definePrimitive({
    name: 'argmin',
    onnx: argOnnx('ArgMin'),
    batch: shiftedAxis,
    impl: ([x], { axis }) => argReduce('argmin', x, axis),
    shape: ([x], { axis }) => ({ shape: reducedShape(x.shape, [axis]), dtype: 'int32' }),
    derivative: 'none',
  }),
  (bind) => (x, axis) => bind([x], { axis }),
)

/** Params of cumsum: the axis, and whether the sums run from its end. */
export interface CumsumParams {
  readonly axis: number
  readonly reverse: boolean
}

/**
 * Running sum along an axis (JAX: `lax.cumsum`), from the end of the axis with `reverse`.
 * Linear; its adjoint is the running sum in the other direction (xⱼ enters every yᵢ with i ≥ j,
 * so x̄ⱼ sums ȳᵢ over i ≥ j).
 * @category primitives @since 0.2.0
 */
export const cumsum: BoundPrimitive<
  'cumsum',
  X,
  CumsumParams,
  (x: NdArray, axis: number, reverse?: boolean) => NdArray
> = bound(
  definePrimitive({
    name: 'cumsum',
    onnx: ({ inputs: [x], params: { axis, reverse }, emit }) =>
      emit.op('CumSum', [x as string, emit.scalar(axis, 'int32')], {
        exclusive: { int: 0 },
        reverse: { int: reverse ? 1 : 0 },
      }),
    batch: leading((p: CumsumParams) => ({ axis: p.axis + 1, reverse: p.reverse })),
    impl: ([x], { axis, reverse }) => cumsumKernel(x, axis, reverse),
    shape: ([x]) => x,
    linear: true,
    // ẏ = cumsum(ẋ)
    jvp: ({ params: { axis, reverse } }, [xDot]) => lax.cumsum(xDot as NdArray, axis, reverse),
    // x̄ = cumsum(ȳ) the other way
    vjp: ({ params: { axis, reverse } }, yBar) => [lax.cumsum(yBar, axis, !reverse)],
  }),
  (bind) =>
    (x, axis, reverse = false) =>
      bind([x], { axis, reverse }),
)

// -------------------------------------------------------------------------------------
// export rules
// -------------------------------------------------------------------------------------

/** Any over axes of a bool value: the count of true entries is positive (an empty axis is false). */
const anyOnnx = (emit: OnnxEmitter, x: string, axes: ReadonlyArray<number>): string =>
  emit.cast(emit.reduce('ReduceSum', emit.cast(x, 'int32'), axes), 'bool')

/** ArgMax/ArgMin (first occurrence, int64 in ONNX) cast to wengert's int32. */
function argOnnx(op: 'ArgMax' | 'ArgMin') {
  return ({ inputs: [x], params: { axis }, emit }: OnnxContext<AxisParams>): string =>
    emit.cast(
      emit.op(op, [x as string], { axis: { int: axis }, keepdims: { int: 0 }, select_last_index: { int: 0 } }),
      'int32',
    )
}
