/**
 * The hyperbolic functions and their inverses as primitives: one kernel pass each, exact where a
 * composite of `exp`/`log` is not (sinh = (eˣ − e⁻ˣ)/2 cancels to zero for |x| below float32's
 * ε, and cosh overflows at |x| > 88.7 in float32 although cosh itself is finite up to 89.4).
 * Derivatives are the textbook ones (Abramowitz & Stegun 4.5.77–4.5.86; 4.6.39–4.6.41).
 *
 * @category primitives
 * @since 0.2.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import { onnxOp } from '../onnxRule'
import type { BoundPrimitive } from '../primitive'
import { smoothUnary } from './elementwise'

/** A bound unary primitive without params. */
type Unary<N extends string> = BoundPrimitive<N, readonly [NdArray]>

/** `√(x − 1)·√(x + 1)`: x² − 1 without cancelling near x = 1. */
const sqrtXSquaredMinusOne = (x: NdArray): NdArray =>
  lax.mul(lax.sqrt(lax.addScalar(x, -1)), lax.sqrt(lax.addScalar(x, 1)))

/** Hyperbolic sine: d = cosh x. @category primitives @since 0.2.0 */
export const sinh: Unary<'sinh'> = smoothUnary('sinh', 'sinh', (x) => lax.cosh(x), onnxOp('Sinh'))
/** Hyperbolic cosine: d = sinh x. @category primitives @since 0.2.0 */
export const cosh: Unary<'cosh'> = smoothUnary('cosh', 'cosh', (x) => lax.sinh(x), onnxOp('Cosh'))
/** Inverse hyperbolic sine: d = 1/√(x² + 1). @category primitives @since 0.2.0 */
export const asinh: Unary<'asinh'> = smoothUnary(
  'asinh',
  'asinh',
  (x) => lax.reciprocal(lax.sqrt(lax.addScalar(lax.mul(x, x), 1))),
  onnxOp('Asinh'),
)
/**
 * Inverse hyperbolic cosine, real for x ≥ 1 (NaN below): d = 1/(√(x − 1)·√(x + 1)).
 * @category primitives @since 0.2.0
 */
export const acosh: Unary<'acosh'> = smoothUnary(
  'acosh',
  'acosh',
  (x) => lax.reciprocal(sqrtXSquaredMinusOne(x)),
  onnxOp('Acosh'),
)
/**
 * Inverse hyperbolic tangent, real for |x| < 1 (±∞ at ±1, NaN beyond): d = 1/((1 − x)(1 + x)).
 * @category primitives @since 0.2.0
 */
export const atanh: Unary<'atanh'> = smoothUnary(
  'atanh',
  'atanh',
  (x) => lax.reciprocal(lax.mul(lax.addScalar(lax.neg(x), 1), lax.addScalar(x, 1))),
  onnxOp('Atanh'),
)
