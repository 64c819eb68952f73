/**
 * Element-wise unary ops: the float functions (ints promote to float32), rounding and tests.
 * Primitives are used directly where one exists; the rest are composites whose derivatives come
 * from their parts.
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import { isFloat } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, asFloat, requireNumeric, type ArrayLike } from './convert'

// -------------------------------------------------------------------------------------
// unary
// -------------------------------------------------------------------------------------

/**
 * `−x`.
 * @example
 * import { neg, array } from 'wengert'
 * assert.deepStrictEqual(neg(array([1, -2])).toArray(), [-1, 2])
 * @category ops @since 0.1.0
 */
export const neg = (x: ArrayLike): NdArray => lax.neg(requireNumeric('neg', asArray('neg', x)))
/**
 * `|x|` (|−0| = 0, as NumPy); its derivative at 0 is 1 (JAX's convention; the torch facade uses 0).
 * @example
 * import { abs, array, grad } from 'wengert'
 * assert.deepStrictEqual(abs(array([-1.5, 2])).toArray(), [1.5, 2])
 * assert.ok(Object.is(abs(array(-0)).item(), 0))
 * assert.strictEqual(grad(abs)(array(0)).item(), 1)
 * @category ops @since 0.1.0
 */
export const abs = (x: ArrayLike): NdArray => lax.abs(requireNumeric('abs', asArray('abs', x)))
/**
 * Sign: −1, 0 or 1 (derivative zero).
 * @example
 * import { sign, array } from 'wengert'
 * assert.deepStrictEqual(sign(array([-3, 0, 2])).toArray(), [-1, 0, 1])
 * @category ops @since 0.1.0
 */
export const sign = (x: ArrayLike): NdArray => lax.sign(requireNumeric('sign', asArray('sign', x)))
/**
 * `eˣ`.
 * @example
 * import { exp, array } from 'wengert'
 * assert.ok(Math.abs((exp(array(1, { dtype: 'float64' })).item() as number) - Math.E) < 1e-15)
 * assert.strictEqual(exp(array([1], { dtype: 'int32' })).dtype, 'float32')
 * @category ops @since 0.1.0
 */
export const exp = (x: ArrayLike): NdArray => lax.exp(asFloat('exp', x))
/**
 * `eˣ − 1`, accurate for small x.
 * @example
 * import { expm1, array } from 'wengert'
 * // e^x − 1 computed directly would keep only 8 of these digits
 * assert.ok(Math.abs((expm1(array(1e-10, { dtype: 'float64' })).item() as number) - 1.00000000005e-10) < 1e-25)
 * @category ops @since 0.1.0
 */
export const expm1 = (x: ArrayLike): NdArray => lax.expm1(asFloat('expm1', x))
/**
 * Natural logarithm.
 * @example
 * import { log, array } from 'wengert'
 * assert.deepStrictEqual(log(array([1, Math.E], { dtype: 'float64' })).toArray(), [0, 1])
 * @category ops @since 0.1.0
 */
export const log = (x: ArrayLike): NdArray => lax.log(asFloat('log', x))
/**
 * `log(1 + x)`, accurate for small x.
 * @example
 * import { log1p, array } from 'wengert'
 * assert.ok(Math.abs((log1p(array(1e-10, { dtype: 'float64' })).item() as number) - 9.9999999995e-11) < 1e-25)
 * @category ops @since 0.1.0
 */
export const log1p = (x: ArrayLike): NdArray => lax.log1p(asFloat('log1p', x))
/**
 * Square root (derivative +∞ at 0, as JAX).
 * @example
 * import { sqrt, array } from 'wengert'
 * assert.deepStrictEqual(sqrt(array([4, 9])).toArray(), [2, 3])
 * @category ops @since 0.1.0
 */
export const sqrt = (x: ArrayLike): NdArray => lax.sqrt(asFloat('sqrt', x))
/**
 * `1/√x`.
 * @example
 * import { rsqrt, array } from 'wengert'
 * assert.deepStrictEqual(rsqrt(array([4, 0.25])).toArray(), [0.5, 2])
 * @category ops @since 0.1.0
 */
export const rsqrt = (x: ArrayLike): NdArray => lax.reciprocal(lax.sqrt(asFloat('rsqrt', x)))
/**
 * `x²`.
 * @example
 * import { square, array } from 'wengert'
 * assert.deepStrictEqual(square(array([-3, 0.5])).toArray(), [9, 0.25])
 * @category ops @since 0.1.0
 */
export const square = (x: ArrayLike): NdArray => {
  const a = requireNumeric('square', asArray('square', x))
  return lax.mul(a, a)
}
/**
 * `1/x`.
 * @example
 * import { reciprocal, array } from 'wengert'
 * assert.deepStrictEqual(reciprocal(array([4, -0.5])).toArray(), [0.25, -2])
 * @category ops @since 0.1.0
 */
export const reciprocal = (x: ArrayLike): NdArray => lax.reciprocal(asFloat('reciprocal', x))
/**
 * Sine.
 * @example
 * import { sin, array } from 'wengert'
 * assert.ok(Math.abs((sin(array(Math.PI / 6, { dtype: 'float64' })).item() as number) - 0.5) < 1e-15)
 * @category ops @since 0.1.0
 */
export const sin = (x: ArrayLike): NdArray => lax.sin(asFloat('sin', x))
/**
 * Cosine.
 * @example
 * import { cos, array } from 'wengert'
 * assert.ok(Math.abs((cos(array(Math.PI / 3, { dtype: 'float64' })).item() as number) - 0.5) < 1e-15)
 * @category ops @since 0.1.0
 */
export const cos = (x: ArrayLike): NdArray => lax.cos(asFloat('cos', x))
/**
 * Tangent = sin/cos.
 * @example
 * import { tan, array } from 'wengert'
 * assert.ok(Math.abs((tan(array(Math.PI / 4, { dtype: 'float64' })).item() as number) - 1) < 1e-15)
 * @category ops @since 0.1.0
 */
export const tan = (x: ArrayLike): NdArray => {
  const a = asFloat('tan', x)
  return lax.div(lax.sin(a), lax.cos(a))
}
/**
 * Arcsine = atan2(x, √(1 − x²)).
 * @example
 * import { asin, array } from 'wengert'
 * assert.ok(Math.abs((asin(array(0.5, { dtype: 'float64' })).item() as number) - Math.PI / 6) < 1e-15)
 * @category ops @since 0.1.0
 */
export const asin = (x: ArrayLike): NdArray => {
  const a = asFloat('asin', x)
  return lax.atan2(a, lax.sqrt(oneMinusSq(a)))
}
/**
 * Arccosine = atan2(√(1 − x²), x).
 * @example
 * import { acos, array } from 'wengert'
 * assert.ok(Math.abs((acos(array(-1, { dtype: 'float64' })).item() as number) - Math.PI) < 1e-15)
 * @category ops @since 0.1.0
 */
export const acos = (x: ArrayLike): NdArray => {
  const a = asFloat('acos', x)
  return lax.atan2(lax.sqrt(oneMinusSq(a)), a)
}
/**
 * Arctangent = atan2(x, 1).
 * @example
 * import { atan, array } from 'wengert'
 * assert.ok(Math.abs((atan(array(1, { dtype: 'float64' })).item() as number) - Math.PI / 4) < 1e-15)
 * @category ops @since 0.1.0
 */
export const atan = (x: ArrayLike): NdArray => {
  const a = asFloat('atan', x)
  return lax.atan2(a, lax.scalarLike(1, a))
}
const oneMinusSq = (a: NdArray): NdArray => lax.addScalar(lax.neg(lax.mul(a, a)), 1)
/**
 * Hyperbolic sine, exact near 0 (where (eˣ − e⁻ˣ)/2 would cancel); its derivative is `cosh x`.
 * @example
 * import { sinh, array } from 'wengert'
 * assert.ok(Math.abs((sinh(array(1, { dtype: 'float64' })).item() as number) - (Math.E - 1 / Math.E) / 2) < 1e-15)
 * assert.strictEqual(sinh(array(1e-10, { dtype: 'float32' })).item(), Math.fround(1e-10))
 * @category ops @since 0.1.0
 */
export const sinh = (x: ArrayLike): NdArray => lax.sinh(asFloat('sinh', x))
/**
 * Hyperbolic cosine, finite wherever its value is (float32: up to |x| ≈ 89.4); its derivative is `sinh x`.
 * @example
 * import { cosh, array } from 'wengert'
 * assert.ok(Math.abs((cosh(array(1, { dtype: 'float64' })).item() as number) - (Math.E + 1 / Math.E) / 2) < 1e-15)
 * assert.ok(Number.isFinite(cosh(array(89, { dtype: 'float32' })).item()))
 * @category ops @since 0.1.0
 */
export const cosh = (x: ArrayLike): NdArray => lax.cosh(asFloat('cosh', x))
/**
 * Inverse hyperbolic sine `log(x + √(x² + 1))` (NumPy: `arcsinh`); its derivative is `1/√(x² + 1)`.
 * @example
 * import { asinh, array, grad } from 'wengert'
 * assert.ok(Math.abs((asinh(array(1, { dtype: 'float64' })).item() as number) - Math.log(1 + Math.SQRT2)) < 1e-15)
 * assert.strictEqual(asinh(array([2], { dtype: 'int32' })).dtype, 'float32')
 * assert.ok(Math.abs((grad(asinh)(array(1, { dtype: 'float64' })).item() as number) - Math.SQRT1_2) < 1e-15)
 * @category ops @since 0.2.0
 */
export const asinh = (x: ArrayLike): NdArray => lax.asinh(asFloat('asinh', x))
/**
 * Inverse hyperbolic cosine `log(x + √(x² − 1))` (NumPy: `arccosh`), real for x ≥ 1 and NaN below;
 * its derivative is `1/√(x² − 1)`.
 * @example
 * import { acosh, array, grad } from 'wengert'
 * assert.ok(Math.abs((acosh(array(2, { dtype: 'float64' })).item() as number) - Math.log(2 + Math.sqrt(3))) < 1e-15)
 * assert.ok(Number.isNaN(acosh(array(0.5)).item()))
 * assert.ok(Math.abs((grad(acosh)(array(2, { dtype: 'float64' })).item() as number) - 1 / Math.sqrt(3)) < 1e-15)
 * @category ops @since 0.2.0
 */
export const acosh = (x: ArrayLike): NdArray => lax.acosh(asFloat('acosh', x))
/**
 * Inverse hyperbolic tangent `½·log((1 + x)/(1 − x))` (NumPy: `arctanh`), real for |x| < 1, ±∞
 * at ±1 and NaN beyond; its derivative is `1/(1 − x²)`.
 * @example
 * import { atanh, array, grad } from 'wengert'
 * assert.ok(Math.abs((atanh(array(0.5, { dtype: 'float64' })).item() as number) - Math.log(3) / 2) < 1e-15)
 * assert.strictEqual(atanh(array(1)).item(), Infinity)
 * assert.ok(Math.abs((grad(atanh)(array(0.5, { dtype: 'float64' })).item() as number) - 4 / 3) < 1e-15)
 * @category ops @since 0.2.0
 */
export const atanh = (x: ArrayLike): NdArray => lax.atanh(asFloat('atanh', x))
/**
 * Hyperbolic tangent.
 * @example
 * import { tanh, array } from 'wengert'
 * assert.deepStrictEqual(tanh(array([0, 1000, -1000])).toArray(), [0, 1, -1])
 * @category ops @since 0.1.0
 */
export const tanh = (x: ArrayLike): NdArray => lax.tanh(asFloat('tanh', x))
/**
 * Logistic sigmoid `1/(1 + e⁻ˣ)`, stable for large |x|.
 * @example
 * import { sigmoid, array } from 'wengert'
 * assert.deepStrictEqual(sigmoid(array([0, 1000, -1000])).toArray(), [0.5, 1, 0])
 * @category ops @since 0.1.0
 */
export const sigmoid = (x: ArrayLike): NdArray => lax.logistic(asFloat('sigmoid', x))
/**
 * `max(x, 0)`; derivative 0 at 0 (JAX's convention).
 * @example
 * import { relu, array } from 'wengert'
 * assert.deepStrictEqual(relu(array([-1, 0, 2])).toArray(), [0, 0, 2])
 * @category ops @since 0.1.0
 */
export const relu = (x: ArrayLike): NdArray => {
  const a = requireNumeric('relu', asArray('relu', x))
  return lax.select(lax.gt(a, lax.scalarLike(0, a)), a, lax.scalarLike(0, a))
}
/**
 * `log(1 + eˣ)`, stable: max(x, 0) + log1p(e^−|x|).
 * @example
 * import { softplus, array } from 'wengert'
 * assert.ok(Math.abs((softplus(array(0, { dtype: 'float64' })).item() as number) - Math.LN2) < 1e-15)
 * assert.deepStrictEqual(softplus(array([1000])).toArray(), [1000])
 * @category ops @since 0.1.0
 */
export const softplus = (x: ArrayLike): NdArray => {
  const a = asFloat('softplus', x)
  // NOTE: x + log1p(e⁻ˣ) for x > 0 and log1p(eˣ) otherwise, each branch fed only the inputs
  // it is taken for (the "double where"), so neither overflows and no NaN reaches the
  // derivative of the branch not taken. The derivative at 0 is σ(0) = ½, as JAX's.
  const zero = lax.scalarLike(0, a)
  const pos = lax.gt(a, zero)
  const xp = lax.select(pos, a, zero)
  const xn = lax.select(pos, zero, a)
  return lax.select(pos, lax.add(xp, lax.log1p(lax.exp(lax.neg(xp)))), lax.log1p(lax.exp(xn)))
}
/**
 * Error function.
 * @example
 * import { erf, array } from 'wengert'
 * assert.ok(Math.abs((erf(array(1, { dtype: 'float64' })).item() as number) - 0.8427007929497149) < 1e-15)
 * @category ops @since 0.1.0
 */
export const erf = (x: ArrayLike): NdArray => lax.erf(asFloat('erf', x))
/**
 * Floor (derivative zero).
 * @example
 * import { floor, array } from 'wengert'
 * assert.deepStrictEqual(floor(array([-1.5, 1.5])).toArray(), [-2, 1])
 * @category ops @since 0.1.0
 */
export const floor = (x: ArrayLike): NdArray => roundingOp('floor', x, lax.floor)
/**
 * Ceiling (derivative zero).
 * @example
 * import { ceil, array } from 'wengert'
 * assert.deepStrictEqual(ceil(array([-1.5, 1.5])).toArray(), [-1, 2])
 * @category ops @since 0.1.0
 */
export const ceil = (x: ArrayLike): NdArray => roundingOp('ceil', x, lax.ceil)
/**
 * Round half to even (derivative zero).
 * @example
 * import { round, array } from 'wengert'
 * assert.deepStrictEqual(round(array([0.5, 1.5, 2.5])).toArray(), [0, 2, 2])
 * @category ops @since 0.1.0
 */
export const round = (x: ArrayLike): NdArray => roundingOp('round', x, lax.round)
const roundingOp = (op: string, x: ArrayLike, f: (a: NdArray) => NdArray): NdArray => {
  const a = requireNumeric(op, asArray(op, x))
  return isFloat(a.dtype) ? f(a) : a
}

/**
 * NaN test (bool).
 * @example
 * import { isnan, array } from 'wengert'
 * assert.deepStrictEqual(isnan(array([NaN, 1])).toArray(), [true, false])
 * @category ops @since 0.1.0
 */
export const isnan = (x: ArrayLike): NdArray => {
  const a = asArray('isnan', x)
  return isFloat(a.dtype) ? lax.isNan(a) : lax.ne(a, a)
}
/**
 * Finite test (bool).
 * @example
 * import { isfinite, array } from 'wengert'
 * assert.deepStrictEqual(isfinite(array([Infinity, NaN, 1])).toArray(), [false, false, true])
 * @category ops @since 0.1.0
 */
export const isfinite = (x: ArrayLike): NdArray => {
  const a = asArray('isfinite', x)
  return isFloat(a.dtype) ? lax.isFinite(a) : lax.eq(a, a)
}

/**
 * Stops derivatives: the value passes, every derivative through it is zero.
 * @example
 * import { stopGradient, grad, mul, array } from 'wengert'
 * // d/dx [stopGradient(x)·x] = stopGradient(x): only the second factor is differentiated
 * assert.strictEqual(grad((x: import('wengert').NdArray) => mul(stopGradient(x), x))(array(3, { dtype: 'float64' })).item(), 3)
 * @category transforms @since 0.1.0
 */
export const stopGradient = (x: ArrayLike): NdArray => lax.stopGradient(asArray('stopGradient', x))
