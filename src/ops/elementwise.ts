/**
 * Element-wise ops with NumPy broadcasting. Primitives are used directly where one exists;
 * the rest are composites whose derivatives come from their parts.
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import { isFloat } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, asFloat, checkBroadcast, coerceBroadcast, requireNumeric, type ArrayLike } from './convert'

// -------------------------------------------------------------------------------------
// binary arithmetic
// -------------------------------------------------------------------------------------

/**
 * `x + y` with broadcasting.
 * @example
 * import { add, array } from 'wengert'
 * assert.deepStrictEqual(add(array([[1], [2]]), array([10, 20])).toArray(), [[11, 21], [12, 22]])
 * @category ops @since 0.1.0
 */
export const add = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('add', x, y)
  // NumPy: `+` on two bool arrays is logical or (a bool add would store 1 + 1 = 2 in a bool)
  return a.dtype === 'bool' ? lax.or(a, b) : lax.add(a, b)
}

/**
 * `x − y` (bool arrays are rejected, as NumPy does).
 * @example
 * import { sub, array } from 'wengert'
 * assert.deepStrictEqual(sub(array([5, 7]), 2).toArray(), [3, 5])
 * @category ops @since 0.1.0
 */
export const sub = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('sub', x, y)
  return lax.sub(requireNumeric('sub', a), b)
}

/**
 * `x · y`.
 * @example
 * import { mul, array } from 'wengert'
 * const y = mul(array([1.5, 2]), 2)
 * assert.deepStrictEqual(y.toArray(), [3, 4])
 * assert.strictEqual(y.dtype, 'float32') // the number takes the array's dtype
 * @category ops @since 0.1.0
 */
export const mul = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('mul', x, y)
  return lax.mul(a, b)
}

/**
 * True division `x / y` (integers promote to float32).
 * @example
 * import { div, array } from 'wengert'
 * assert.deepStrictEqual(div(array([1, 3]), array([2, 4])).toArray(), [0.5, 0.75])
 * assert.strictEqual(div(array([1], { dtype: 'int32' }), 2).dtype, 'float32')
 * @category ops @since 0.1.0
 */
export const div = (x: ArrayLike, y: ArrayLike): NdArray => {
  let [a, b] = coerceBroadcast('div', x, y)
  if (!isFloat(a.dtype)) {
    a = lax.cast(a, 'float32')
    b = lax.cast(b, 'float32')
  }
  return lax.div(a, b)
}

/**
 * `xʸ`. For a constant integer exponent the derivative is exact everywhere (including x ≤ 0).
 * @example
 * import { pow, array } from 'wengert'
 * assert.deepStrictEqual(pow(array([2, 3]), 2).toArray(), [4, 9])
 * @category ops @since 0.1.0
 */
export const pow = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('pow', x, y)
  return lax.pow(requireNumeric('pow', a), b)
}

/**
 * Element-wise maximum (NaN propagates; ties split the derivative).
 * @example
 * import { maximum, array } from 'wengert'
 * assert.deepStrictEqual(maximum(array([1, 5, NaN]), array([3, 2, 0])).toArray(), [3, 5, NaN])
 * @category ops @since 0.1.0
 */
export const maximum = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('maximum', x, y)
  return lax.max(a, b)
}

/**
 * Element-wise minimum: −max(−x, −y) (for bool: logical and).
 * @example
 * import { minimum, array } from 'wengert'
 * assert.deepStrictEqual(minimum(array([1, 5]), array([3, 2])).toArray(), [1, 2])
 * @category ops @since 0.1.0
 */
export const minimum = (x: ArrayLike, y: ArrayLike): NdArray => {
  return minOf(...coerceBroadcast('minimum', x, y))
}
const minOf = (a: NdArray, b: NdArray): NdArray =>
  // NOTE: negating a bool array is not defined (it would wrap around in the byte storage)
  a.dtype === 'bool' ? lax.and(a, b) : lax.neg(lax.max(lax.neg(a), lax.neg(b)))

/**
 * `atan2(y, x)`, the angle of (x, y).
 * @example
 * import { atan2, array } from 'wengert'
 * assert.ok(Math.abs((atan2(array(1, { dtype: 'float64' }), -1).item() as number) - (3 * Math.PI) / 4) < 1e-15)
 * @category ops @since 0.1.0
 */
export const atan2 = (y: ArrayLike, x: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('atan2', y, x)
  return lax.atan2(floatOf(a), floatOf(b))
}

const floatOf = (x: NdArray): NdArray => (isFloat(x.dtype) ? x : lax.cast(x, 'float32'))

// -------------------------------------------------------------------------------------
// comparisons and logic
// -------------------------------------------------------------------------------------

/**
 * `x == y` (bool).
 * @example
 * import { equal, array } from 'wengert'
 * assert.deepStrictEqual(equal(array([1, 2]), 2).toArray(), [false, true])
 * @category ops @since 0.1.0
 */
export const equal = (x: ArrayLike, y: ArrayLike): NdArray => lax.eq(...coerceBroadcast('equal', x, y))
/**
 * `x != y` (bool).
 * @example
 * import { notEqual, array } from 'wengert'
 * assert.deepStrictEqual(notEqual(array([1, 2]), 2).toArray(), [true, false])
 * @category ops @since 0.1.0
 */
export const notEqual = (x: ArrayLike, y: ArrayLike): NdArray => lax.ne(...coerceBroadcast('notEqual', x, y))
/**
 * `x > y` (bool).
 * @example
 * import { greater, array } from 'wengert'
 * assert.deepStrictEqual(greater(array([1, 3]), 2).toArray(), [false, true])
 * @category ops @since 0.1.0
 */
export const greater = (x: ArrayLike, y: ArrayLike): NdArray => lax.gt(...coerceBroadcast('greater', x, y))
/**
 * `x >= y` (bool).
 * @example
 * import { greaterEqual, array } from 'wengert'
 * assert.deepStrictEqual(greaterEqual(array([1, 2]), 2).toArray(), [false, true])
 * @category ops @since 0.1.0
 */
export const greaterEqual = (x: ArrayLike, y: ArrayLike): NdArray => lax.ge(...coerceBroadcast('greaterEqual', x, y))
/**
 * `x < y` (bool).
 * @example
 * import { less, array } from 'wengert'
 * assert.deepStrictEqual(less(array([1, 3]), 2).toArray(), [true, false])
 * @category ops @since 0.1.0
 */
export const less = (x: ArrayLike, y: ArrayLike): NdArray => lax.lt(...coerceBroadcast('less', x, y))
/**
 * `x <= y` (bool).
 * @example
 * import { lessEqual, array } from 'wengert'
 * assert.deepStrictEqual(lessEqual(array([2, 3]), 2).toArray(), [true, false])
 * @category ops @since 0.1.0
 */
export const lessEqual = (x: ArrayLike, y: ArrayLike): NdArray => lax.le(...coerceBroadcast('lessEqual', x, y))

const asBool = (op: string, x: ArrayLike): NdArray => lax.cast(asArray(op, x), 'bool')
/**
 * Logical and (inputs cast to bool).
 * @example
 * import { logicalAnd, array } from 'wengert'
 * assert.deepStrictEqual(logicalAnd(array([true, true]), array([1, 0])).toArray(), [true, false])
 * @category ops @since 0.1.0
 */
export const logicalAnd = (x: ArrayLike, y: ArrayLike): NdArray => lax.and(...bools('logicalAnd', x, y))
/**
 * Logical or (inputs cast to bool).
 * @example
 * import { logicalOr, array } from 'wengert'
 * assert.deepStrictEqual(logicalOr(array([false, false]), array([true, false])).toArray(), [true, false])
 * @category ops @since 0.1.0
 */
export const logicalOr = (x: ArrayLike, y: ArrayLike): NdArray => lax.or(...bools('logicalOr', x, y))
const bools = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const a = asBool(op, x)
  const b = asBool(op, y)
  checkBroadcast(op, a, b)
  return [a, b]
}
/**
 * Logical not (input cast to bool).
 * @example
 * import { logicalNot, array } from 'wengert'
 * assert.deepStrictEqual(logicalNot(array([0, 2])).toArray(), [true, false])
 * @category ops @since 0.1.0
 */
export const logicalNot = (x: ArrayLike): NdArray => lax.not(asBool('logicalNot', x))

/**
 * `cond ? x : y` element-wise, broadcasting all three. The derivative flows only into the
 * branch taken (NaN in the other branch does not leak).
 * @example
 * import { where, array, greater } from 'wengert'
 * const x = array([-1, 2])
 * assert.deepStrictEqual(where(greater(x, 0), x, 0).toArray(), [0, 2])
 * @category ops @since 0.1.0
 */
export const where = (cond: ArrayLike, x: ArrayLike, y: ArrayLike): NdArray => {
  const c = asBool('where', cond)
  const [a, b] = coerceBroadcast('where', x, y)
  return lax.select(c, a, b)
}

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
 * Hyperbolic sine = (eˣ − e⁻ˣ)/2.
 * @example
 * import { sinh, array } from 'wengert'
 * assert.ok(Math.abs((sinh(array(1, { dtype: 'float64' })).item() as number) - (Math.E - 1 / Math.E) / 2) < 1e-15)
 * @category ops @since 0.1.0
 */
export const sinh = (x: ArrayLike): NdArray => {
  const a = asFloat('sinh', x)
  return lax.mulScalar(lax.add(lax.exp(a), lax.neg(lax.exp(lax.neg(a)))), 0.5)
}
/**
 * Hyperbolic cosine = (eˣ + e⁻ˣ)/2.
 * @example
 * import { cosh, array } from 'wengert'
 * assert.ok(Math.abs((cosh(array(1, { dtype: 'float64' })).item() as number) - (Math.E + 1 / Math.E) / 2) < 1e-15)
 * @category ops @since 0.1.0
 */
export const cosh = (x: ArrayLike): NdArray => {
  const a = asFloat('cosh', x)
  return lax.mulScalar(lax.add(lax.exp(a), lax.exp(lax.neg(a))), 0.5)
}
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
 * Clips to [lo, hi] (either may be undefined): minimum(maximum(x, lo), hi).
 * @example
 * import { clip, array } from 'wengert'
 * assert.deepStrictEqual(clip(array([-2, 0.5, 3]), 0, 1).toArray(), [0, 0.5, 1])
 * @category ops @since 0.1.0
 */
export const clip = (x: ArrayLike, lo?: ArrayLike, hi?: ArrayLike): NdArray => {
  let a = requireNumeric('clip', asArray('clip', x))
  if (lo !== undefined) a = lax.max(...coerceBroadcast('clip', a, lo))
  if (hi !== undefined) a = minOf(...coerceBroadcast('clip', a, hi))
  return a
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
