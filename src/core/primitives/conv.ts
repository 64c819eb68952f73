/**
 * Convolution and windowed reductions (JAX: `conv_general_dilated`, `reduce_window_sum`,
 * `reduce_window_max`/`min`, `select_and_scatter_add`, `select_and_gather_add`), in the
 * canonical layout lhs [N, C, spatial…], rhs [O, I, spatial…]; the op layer transposes other
 * dimension numbers to it.
 *
 * Closure under transposition: conv's cotangents are convolutions (the lhs one with the flipped,
 * in/out-swapped kernel, lhs-dilated by the strides; the rhs one of lhs and the cotangent with
 * feature and batch groups exchanged — JAX's `_conv_general_dilated_transpose_lhs`/`_rhs`);
 * reduce_window_sum's cotangent is a reduce_window_sum of the cotangent dilated by the strides;
 * the max/min pools' rules use the adjoint pair select_and_scatter_add ↔ select_and_gather_add
 * (scatter each value to / gather each value from its window's first maximum).
 *
 * @category primitives
 * @since 0.2.0
 */
import { convGeneralDilated as convKernel, type ConvParams } from '../../ndarray/kernels/conv/convGeneral'
import {
  reduceWindow as reduceWindowKernel,
  selectAndGatherAdd as gatherKernel,
  selectAndScatterAdd as scatterKernel,
  type ReduceWindowParams,
} from '../../ndarray/kernels/conv/reduceWindow'
import { windowOutSize } from '../../ndarray/kernels/conv/window'
import { ShapeError, fmtShape } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import type { Aval } from '../equation'
import * as lax from '../lax'
import { bound, definePrimitive, leading, type BoundPrimitive } from '../primitive'
import { isZero, Zero, type Linear } from '../zero'
import { convOnnx, poolOnnx, sumPoolOnnx } from './onnxConv'
import { gatherPoolOnnx, scatterPoolOnnx } from './onnxPoolSelect'
import { convBatch, convLhsTranspose, convRhsTranspose, vjpLhsPadding } from './convRules'

export type { ConvParams, ReduceWindowParams }

type X = readonly [NdArray]
type XY = readonly [NdArray, NdArray]

// -------------------------------------------------------------------------------------
// conv_general_dilated
// -------------------------------------------------------------------------------------

/** Output aval of a canonical convolution (checked: the kernel repeats these checks). */
const convShape = ([lhs, rhs]: readonly [Aval, Aval], p: ConvParams): Aval => {
  const [n = 0, c = 0, ...inSp] = lhs.shape
  const [o = 0, i = 0, ...kSp] = rhs.shape
  const g = p.featureGroupCount
  const b = p.batchGroupCount
  if (lhs.shape.length !== rhs.shape.length || lhs.shape.length < 2 || c !== i * g || n % b !== 0 || o % (g * b)) {
    throw new ShapeError(
      `conv_general_dilated: inconsistent lhs ${fmtShape(lhs.shape)} and rhs ${fmtShape(rhs.shape)} for ` +
        `feature_group_count=${g}, batch_group_count=${b}`,
    )
  }
  const out = inSp.map((d, k) => {
    const [lo, hi] = p.padding[k] as readonly [number, number]
    const s = p.windowStrides[k] as number
    return windowOutSize(d, kSp[k] as number, s, lo, hi, p.lhsDilation[k] as number, p.rhsDilation[k] as number)
  })
  return { shape: [n / b, o, ...out], dtype: lhs.dtype }
}

/**
 * General dilated convolution in the canonical layout (XLA ConvGeneralDilated). Bilinear: each
 * argument's tangent is a convolution with the other.
 * @category primitives @since 0.2.0
 */
export const convGeneralDilated: BoundPrimitive<
  'conv_general_dilated',
  XY,
  ConvParams,
  (lhs: NdArray, rhs: NdArray, params: ConvParams) => NdArray
> = bound(
  definePrimitive({
    name: 'conv_general_dilated',
    onnx: convOnnx,
    impl: ([lhs, rhs]: XY, p: ConvParams) => convKernel(lhs, rhs, p),
    shape: convShape,
    batch: (_, [lhs, rhs], [lb, rb], p, size) =>
      convBatch(lhs as NdArray, lb ?? null, rhs as NdArray, rb ?? null, p, size),
    // (lhs ⊛ rhs)' = lhs' ⊛ rhs + lhs ⊛ rhs'
    jvp: ({ inputs: [lhs, rhs], params }, [lhsDot, rhsDot]: readonly [Linear, Linear]) => {
      const l = isZero(lhsDot) ? undefined : lax.convGeneralDilated(lhsDot, rhs, params)
      const r = isZero(rhsDot) ? undefined : lax.convGeneralDilated(lhs, rhsDot, params)
      return l === undefined ? (r as NdArray) : r === undefined ? l : lax.add(l, r)
    },
    // transposes of the two linear maps (see ./convRules)
    vjp: ({ inputs: [lhs, rhs], params, needs }, yBar) => [
      needs[0] ? convLhsTranspose(yBar, lhs, rhs, params) : Zero.like(lhs),
      needs[1] ? convRhsTranspose(yBar, lhs, rhs, params) : Zero.like(rhs),
    ],
  }),
  (bind) => (lhs, rhs, params) => bind([lhs, rhs], params),
)

// -------------------------------------------------------------------------------------
// windowed reductions
// -------------------------------------------------------------------------------------

const windowShape = ([x]: ReadonlyArray<Aval>, p: ReduceWindowParams): Aval => {
  const v = x as Aval
  return {
    shape: v.shape.map((d, k) => {
      const [lo, hi] = p.padding[k] as readonly [number, number]
      const s = p.strides[k] as number
      const w = p.windowDimensions[k] as number
      return windowOutSize(d, w, s, lo, hi, p.baseDilation[k] as number, p.windowDilation[k] as number)
    }),
    dtype: v.dtype,
  }
}

/** Window params with a size-1 window over a new leading (batch) axis. */
const batchWindow = (p: ReduceWindowParams): ReduceWindowParams => ({
  windowDimensions: [1, ...p.windowDimensions],
  strides: [1, ...p.strides],
  padding: [[0, 0], ...p.padding],
  baseDilation: [1, ...p.baseDilation],
  windowDilation: [1, ...p.windowDilation],
})

/**
 * Sum over each window (XLA ReduceWindow with add). Linear; its transpose is a windowed sum of
 * the cotangent dilated by the strides.
 * @category primitives @since 0.2.0
 */
export const reduceWindowSum: BoundPrimitive<
  'reduce_window_sum',
  X,
  ReduceWindowParams,
  (x: NdArray, params: ReduceWindowParams) => NdArray
> = bound(
  definePrimitive({
    name: 'reduce_window_sum',
    onnx: sumPoolOnnx,
    impl: ([x]: X, p: ReduceWindowParams) => reduceWindowKernel('sum', x, p),
    shape: windowShape,
    batch: leading(batchWindow),
    linear: true,
    jvp: ({ params }, [xDot]) => lax.reduceWindowSum(xDot as NdArray, params),
    // x̄ = windowed sum of ȳ with holes of stride − 1, padded so each input sums the windows holding it
    vjp: ({ inputs: [x], params: p }, yBar) => {
      const pads = vjpLhsPadding(
        x.shape,
        p.windowDimensions,
        p.strides,
        yBar.shape,
        p.padding,
        p.baseDilation,
        p.windowDilation,
      )
      return [
        lax.reduceWindowSum(yBar, {
          windowDimensions: p.windowDimensions,
          strides: p.baseDilation,
          padding: pads,
          baseDilation: p.strides,
          windowDilation: p.windowDilation,
        }),
      ]
    },
  }),
  (bind) => (x, params) => bind([x], params),
)

/** A max or min pool: the tangent and the cotangent follow each window's chosen element. */
const chooser = <N extends 'reduce_window_max' | 'reduce_window_min'>(name: N, sign: 1 | -1) =>
  definePrimitive({
    name,
    onnx: poolOnnx(sign),
    impl: ([x]: X, p: ReduceWindowParams) => reduceWindowKernel(sign > 0 ? 'max' : 'min', x, p),
    shape: windowShape,
    batch: leading(batchWindow),
    // ẏ = ẋ at each window's first maximum (of −x for min)
    jvp: ({ inputs: [x], params }, [xDot]) => lax.selectAndGatherAdd(xDot as NdArray, chosen(x, sign), params),
    vjp: ({ inputs: [x], params }, yBar) => [lax.selectAndScatterAdd(yBar, chosen(x, sign), params)],
  })

/** The operand whose window maxima are the chosen elements. */
const chosen = (x: NdArray, sign: 1 | -1): NdArray => (sign > 0 ? x : lax.neg(x))

/** Maximum over each window (padding is −∞). @category primitives @since 0.2.0 */
export const reduceWindowMax: BoundPrimitive<
  'reduce_window_max',
  X,
  ReduceWindowParams,
  (x: NdArray, params: ReduceWindowParams) => NdArray
> = bound(chooser('reduce_window_max', 1), (bind) => (x, params) => bind([x], params))

/** Minimum over each window (padding is +∞). @category primitives @since 0.2.0 */
export const reduceWindowMin: BoundPrimitive<
  'reduce_window_min',
  X,
  ReduceWindowParams,
  (x: NdArray, params: ReduceWindowParams) => NdArray
> = bound(chooser('reduce_window_min', -1), (bind) => (x, params) => bind([x], params))

// -------------------------------------------------------------------------------------
// the adjoint pair behind max pooling
// -------------------------------------------------------------------------------------

/**
 * Zeros of `operand`'s shape with each `source` element added at its window's first maximum of
 * `operand` (XLA SelectAndScatter with `ge`). Linear in `source`; piecewise constant in
 * `operand`. Adjoint: select_and_gather_add.
 * @category primitives @since 0.2.0
 */
export const selectAndScatterAdd: BoundPrimitive<
  'select_and_scatter_add',
  XY,
  ReduceWindowParams,
  (source: NdArray, operand: NdArray, params: ReduceWindowParams) => NdArray
> = bound(
  definePrimitive({
    name: 'select_and_scatter_add',
    onnx: scatterPoolOnnx,
    impl: ([source, operand]: XY, p: ReduceWindowParams) => scatterKernel(source, operand, p),
    shape: ([, operand]) => operand,
    batch: leading(batchWindow, true),
    jvp: ({ inputs: [, operand], params, output }, [sourceDot]) =>
      isZero(sourceDot) ? Zero.like(output) : lax.selectAndScatterAdd(sourceDot, operand, params),
    vjp: ({ inputs: [, operand], params }, yBar) => [lax.selectAndGatherAdd(yBar, operand, params), Zero.like(operand)],
  }),
  (bind) => (source, operand, params) => bind([source, operand], params),
)

/**
 * Each window's value of `tangents` at the window's first maximum of `operand` (0 for a window
 * of padding only). JAX: `_select_and_gather_add`. Linear in `tangents`; piecewise constant in
 * `operand`. Adjoint: select_and_scatter_add.
 * @category primitives @since 0.2.0
 */
export const selectAndGatherAdd: BoundPrimitive<
  'select_and_gather_add',
  XY,
  ReduceWindowParams,
  (tangents: NdArray, operand: NdArray, params: ReduceWindowParams) => NdArray
> = bound(
  definePrimitive({
    name: 'select_and_gather_add',
    onnx: gatherPoolOnnx,
    impl: ([tangents, operand]: XY, p: ReduceWindowParams) => gatherKernel(tangents, operand, p),
    shape: ([tangents, operand], p) => ({ shape: windowShape([operand], p).shape, dtype: tangents.dtype }),
    batch: leading(batchWindow, true),
    jvp: ({ inputs: [, operand], params, output }, [tDot]) =>
      isZero(tDot) ? Zero.like(output) : lax.selectAndGatherAdd(tDot, operand, params),
    vjp: ({ inputs: [, operand], params }, yBar) => [
      lax.selectAndScatterAdd(yBar, operand, params),
      Zero.like(operand),
    ],
  }),
  (bind) => (tangents, operand, params) => bind([tangents, operand], params),
)
