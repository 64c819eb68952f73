/**
 * Primitives on the bits of floating-point values: `nextafter` (the representable neighbour
 * towards a second value; piecewise constant with jumps at every representable value, so it
 * has no derivative: differentiating it raises, as in JAX) and `reduce_precision` (round to a
 * narrower float format and store back; its tangent and cotangent are rounded the same way, as
 * JAX's rule does — exact where the format holds the values).
 *
 * @category primitives
 * @since 0.5.0
 */
import { NotDifferentiableError } from '../../ndarray/errors'
import { nextafterScalar, reducePrecisionScalar } from '../../ndarray/kernels/floatBits'
import { mapBinary, mapUnary } from '../../ndarray/kernels/specialMap'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import * as lax from '../lax'
import { bound, definePrimitive, leading, vectorized, type BoundPrimitive, type NoParams } from '../primitive'
import { bitcast, bitcastShape } from '../../ndarray/kernels/bitcast'
import type { DType } from '../../ndarray/dtype'
import { isZero, type Aval } from '../zero'

type XY = readonly [NdArray, NdArray]

/** JAX's refusal: nextafter has no differentiation rule. */
const noRule = (): never => {
  throw new NotDifferentiableError("Differentiation rule for 'nextafter' not implemented")
}

/**
 * The next representable value after `x` towards `y`, in their (shared) float dtype; broadcasts.
 * Differentiating it raises {@link NotDifferentiableError}.
 * @category primitives @since 0.5.0
 */
export const nextafter: BoundPrimitive<'nextafter', XY> = bound(
  definePrimitive<'nextafter', XY, NoParams>({
    name: 'nextafter',
    impl: ([x, y]) => mapBinary('nextafter', (a, b) => nextafterScalar(a, b, x.dtype === 'float32'), x, y),
    shape: ([x, y]): Aval => ({ shape: broadcastShapes('nextafter', x.shape, y.shape), dtype: x.dtype }),
    batch: vectorized,
    jvp: ({ output }, [xDot, yDot]) => (isZero(xDot) && isZero(yDot) ? lax.zeroOf(output) : noRule()),
    vjp: ({ inputs: [x, y], needs }) => (needs[0] || needs[1] ? noRule() : [lax.zeroOf(x), lax.zeroOf(y)]),
  }),
)

/** Parameters of {@link reducePrecision}: the narrow format's bit counts. */
export interface ReducePrecisionParams {
  readonly exponentBits: number
  readonly mantissaBits: number
}

/**
 * `x` rounded to a float format with `exponentBits` exponent and `mantissaBits` mantissa bits
 * (XLA's ReducePrecision: ties to even, overflow to ±∞, the narrow format's subnormals to ±0),
 * in `x`'s dtype. Tangents and cotangents are rounded alike.
 * @category primitives @since 0.5.0
 */
export const reducePrecision: BoundPrimitive<
  'reduce_precision',
  readonly [NdArray],
  ReducePrecisionParams,
  (x: NdArray, exponentBits: number, mantissaBits: number) => NdArray
> = bound(
  definePrimitive<'reduce_precision', readonly [NdArray], ReducePrecisionParams>({
    name: 'reduce_precision',
    impl: ([x], { exponentBits: e, mantissaBits: m }) =>
      mapUnary((v) => reducePrecisionScalar(v, e, m, x.dtype === 'float32'), x),
    shape: ([x]) => x,
    batch: vectorized,
    // ẏ = rp(ẋ), x̄ = rp(ȳ)
    jvp: ({ params: p }, [xDot]) => lax.reducePrecision(xDot as NdArray, p.exponentBits, p.mantissaBits),
    vjp: ({ params: p }, yBar) => [lax.reducePrecision(yBar, p.exponentBits, p.mantissaBits)],
  }),
  (bind) => (x, exponentBits, mantissaBits) => bind([x], { exponentBits, mantissaBits }),
)

/** Parameters of {@link bitcastConvertType}: the dtype the bytes are read as. */
export interface BitcastParams {
  readonly newDtype: DType
}

/**
 * The bytes of `x` reinterpreted as `newDtype` (XLA's BitcastConvertType); a size-changing cast
 * adds or removes a trailing axis. Its derivative is zero (JAX: `defjvp_zero`).
 * @category primitives @since 0.7.0
 */
export const bitcastConvertType: BoundPrimitive<
  'bitcast_convert_type',
  readonly [NdArray],
  BitcastParams,
  (x: NdArray, newDtype: DType) => NdArray
> = bound(
  definePrimitive<'bitcast_convert_type', readonly [NdArray], BitcastParams>({
    name: 'bitcast_convert_type',
    derivative: 'none',
    impl: ([x], { newDtype }) => bitcast(x, newDtype),
    shape: ([x], { newDtype }): Aval => ({ shape: bitcastShape(x.shape, x.dtype, newDtype), dtype: newDtype }),
    batch: leading((p: BitcastParams) => p),
  }),
  (bind) => (x, newDtype) => bind([x], { newDtype }),
)
