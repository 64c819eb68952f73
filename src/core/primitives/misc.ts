/**
 * Select, cast and stop_gradient.
 *
 * @category primitives
 * @since 0.1.0
 */
import { isFloat, type DType } from '../../ndarray/dtype'
import { cast as castKernel, select as selectKernel } from '../../ndarray/kernels/elementwise'
import { reshape as reshapeKernel } from '../../ndarray/kernels/movement'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import * as lax from '../lax'
import { onnxOp } from '../onnxRule'
import { bound, definePrimitive, vectorized, type BoundPrimitive, type NoParams } from '../primitive'
import { isZero, Zero } from '../zero'

/**
 * `cond ? x : y` element-wise, with three-way broadcasting. The branch not taken gets a zero
 * cotangent, even where its value is NaN (JAX's convention: NaN in the unused branch does not
 * leak into the derivative of `where`).
 * @category primitives @since 0.1.0
 */
export const select: BoundPrimitive<'select', readonly [NdArray, NdArray, NdArray]> = bound(
  definePrimitive<'select', readonly [NdArray, NdArray, NdArray], NoParams>({
    name: 'select',
    batch: vectorized,
    onnx: onnxOp('Where'),
    impl: ([c, x, y]) => selectKernel(c, x, y),
    shape: ([c, x, y]) => ({
      shape: broadcastShapes('where', broadcastShapes('where', c.shape, x.shape), y.shape),
      dtype: x.dtype,
    }),
    // ẏ = select(c, ẋ, ẏ₂)
    jvp: ({ inputs: [c, x, y], output }, [, xDot, yDot]) =>
      lax.broadcastLike(
        lax.select(c, isZero(xDot) ? lax.scalarLike(0, x) : xDot, isZero(yDot) ? lax.scalarLike(0, y) : yDot),
        output,
      ),
    // x̄ = select(c, ȳ, 0), ȳ₂ = select(c, 0, ȳ)
    vjp: ({ inputs: [c, x, y], needs }, yBar) => {
      const zero = lax.scalarLike(0, yBar)
      return [
        Zero.like(c),
        needs[1] ? lax.unbroadcast(lax.select(c, yBar, zero), x.shape) : lax.zeroOf(x),
        needs[2] ? lax.unbroadcast(lax.select(c, zero, yBar), y.shape) : lax.zeroOf(y),
      ]
    },
  }),
)

/**
 * Convert dtype. Between float dtypes the derivative is the cast back; to or from int/bool it
 * is zero.
 * @category primitives @since 0.1.0
 */
export const convertElementType: BoundPrimitive<
  'convert_element_type',
  readonly [NdArray],
  { readonly dtype: DType },
  (x: NdArray, dtype: DType) => NdArray
> = bound(
  definePrimitive({
    name: 'convert_element_type',
    batch: vectorized,
    // ONNX Cast: float → int truncates toward zero and nonzero (NaN too) → true, as the kernel
    onnx: ({ inputs: [x], params: { dtype }, emit }) => emit.cast(x as string, dtype),
    impl: ([x], { dtype }) => castKernel(x, dtype),
    shape: ([x], { dtype }) => ({ shape: x.shape, dtype }),
    linear: true,
    jvp: ({ inputs: [x], output, params: { dtype } }, [xDot]) =>
      isFloat(x.dtype) && isFloat(dtype) ? lax.cast(xDot as NdArray, dtype) : Zero.like(output),
    vjp: ({ inputs: [x], params: { dtype } }, yBar) => [
      isFloat(x.dtype) && isFloat(dtype) ? lax.cast(yBar, x.dtype) : Zero.like(x),
    ],
  }),
  (bind) => (x, dtype) => (x.dtype === dtype ? x : bind([x], { dtype })),
)

/** Identity whose derivative is zero: blocks gradients, keeps values. @category primitives @since 0.1.0 */
export const stopGradient: BoundPrimitive<'stop_gradient', readonly [NdArray]> = bound(
  definePrimitive<'stop_gradient', readonly [NdArray], NoParams>({
    name: 'stop_gradient',
    batch: vectorized,
    onnx: onnxOp('Identity'),
    impl: ([x]) => reshapeKernel(x, x.shape),
    shape: ([x]) => x,
    derivative: 'none',
  }),
)
