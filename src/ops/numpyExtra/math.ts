/**
 * More of `jax.numpy`'s element-wise functions, composed from existing ops (their derivatives
 * come from the parts), and NumPy's alternative names of existing ones.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { isFloat } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { shapesEqual } from '../../ndarray/shape'
import { asArray, asFloat, coerceBroadcast, toFloat, type ArrayLike } from '../convert'
import * as ew from '../elementwise'
import {
  add,
  div,
  equal,
  greater,
  less,
  logicalAnd,
  logicalOr,
  maximum,
  minimum,
  mul,
  pow,
  sub,
  where,
} from '../elementwise'
import { truncDivide } from '../integer'
import { all } from '../reduce'
import { abs, exp, expm1, isnan, log, log1p, neg, sign, sin, sqrt, square } from '../unary'

/** Both operands as floats of one dtype, broadcast-checked. */
const floats2 = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const [a, b] = coerceBroadcast(op, x, y)
  return [toFloat(a), toFloat(b)]
}

/**
 * `2ˣ` (jnp.exp2).
 * @example
 * import { exp2, array } from 'wengert'
 * assert.deepStrictEqual(exp2(array([3, -1], { dtype: 'float64' })).toArray(), [8, 0.5])
 * @category ops
 * @since 0.2.0
 */
export const exp2 = (x: ArrayLike): NdArray => pow(2, asFloat('exp2', x))
/**
 * Base-2 logarithm (jnp.log2).
 * @example
 * import { log2, array } from 'wengert'
 * assert.ok(Math.abs(Number(log2(array(8, { dtype: 'float64' })).item()) - 3) < 1e-15)
 * @category ops
 * @since 0.2.0
 */
export const log2 = (x: ArrayLike): NdArray => div(log(asFloat('log2', x)), Math.LN2)
/**
 * Base-10 logarithm (jnp.log10).
 * @example
 * import { log10, array } from 'wengert'
 * assert.ok(Math.abs(Number(log10(array(1000, { dtype: 'float64' })).item()) - 3) < 1e-15)
 * @category ops
 * @since 0.2.0
 */
export const log10 = (x: ArrayLike): NdArray => div(log(asFloat('log10', x)), Math.LN10)
/**
 * Real cube root, negative for negative x (jnp.cbrt).
 * @example
 * import { cbrt, array } from 'wengert'
 * assert.ok(Math.abs(Number(cbrt(array(-27, { dtype: 'float64' })).item()) + 3) < 1e-14)
 * @category ops
 * @since 0.2.0
 */
export const cbrt = (x: ArrayLike): NdArray => {
  const a = asFloat('cbrt', x)
  return mul(sign(a), pow(abs(a), 1 / 3))
}
/**
 * `√(x² + y²)` without overflow or underflow in the squares (jnp.hypot).
 * @example
 * import { hypot, array } from 'wengert'
 * assert.ok(Math.abs(Number(hypot(array(3e200, { dtype: 'float64' }), 4e200).item()) / 5e200 - 1) < 1e-15)
 * @category ops
 * @since 0.2.0
 */
export const hypot = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a0, b0] = floats2('hypot', x, y)
  const [a, b] = [abs(a0), abs(b0)]
  const big = maximum(a, b)
  const small = minimum(a, b)
  const zero = equal(big, 0)
  const safe = where(zero, 1, big)
  const r = div(small, safe)
  const out = where(zero, 0, mul(big, sqrt(add(1, square(r)))))
  return where(logicalOr(isinf(a), isinf(b)), Infinity, out)
}
/**
 * `sin(πx)/(πx)`, 1 at 0 (jnp.sinc); its derivatives at 0 are the Maclaurin series' (JAX's).
 * @example
 * import { sinc, array, grad } from 'wengert'
 * assert.strictEqual(sinc(array(0)).item(), 1)
 * assert.strictEqual(grad(sinc)(array(0)).item(), 0)
 * @category ops
 * @since 0.2.0
 */
export const sinc = (x: ArrayLike): NdArray => {
  const a = asFloat('sinc', x)
  const zero = equal(a, 0)
  const px = mul(Math.PI, where(zero, 1, a))
  const p0 = square(mul(Math.PI, where(zero, a, 0)))
  // at 0: 1 − (πx)²/6 + (πx)⁴/120, whose derivatives at 0 are sinc's up to the fifth
  const series = add(sub(1, div(p0, 6)), div(square(p0), 120))
  return where(zero, series, div(sin(px), px))
}
/**
 * Degrees to radians (jnp.deg2rad, jnp.radians).
 * @example
 * import { deg2rad, array } from 'wengert'
 * assert.strictEqual(deg2rad(array(180, { dtype: 'float64' })).item(), Math.PI)
 * @category ops
 * @since 0.2.0
 */
export const deg2rad = (x: ArrayLike): NdArray => mul(asFloat('deg2rad', x), Math.PI / 180)
/**
 * Radians to degrees (jnp.rad2deg, jnp.degrees).
 * @example
 * import { rad2deg, array } from 'wengert'
 * assert.strictEqual(rad2deg(array(Math.PI, { dtype: 'float64' })).item(), 180)
 * @category ops
 * @since 0.2.0
 */
export const rad2deg = (x: ArrayLike): NdArray => mul(asFloat('rad2deg', x), 180 / Math.PI)
/**
 * `log(eˣ + eʸ)` without overflow (jnp.logaddexp); derivative ½ each at x = y.
 * @example
 * import { logaddexp, array } from 'wengert'
 * assert.strictEqual(logaddexp(array(1000, { dtype: 'float64' }), 1000).item(), 1000 + Math.LN2)
 * @category ops
 * @since 0.2.0
 */
export const logaddexp = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = floats2('logaddexp', x, y)
  const first = ew.greaterEqual(a, b)
  const hi = where(first, a, b)
  const fin = lax.isFinite(hi)
  // m + log(e^(hi−m) + e^(lo−m)) with m = stopGradient(hi): the derivative in each input is
  // e^(input − out), ½ each at a tie (JAX's rule); expm1(hi − m) = 0 keeps log1p's precision.
  // Infinite or NaN hi gives hi itself, and the branch not taken sees only finite inputs.
  const hs = where(fin, hi, 0)
  const ls = where(fin, where(first, b, a), 0)
  const m = lax.stopGradient(hs)
  const out = add(m, log1p(add(expm1(sub(hs, m)), exp(sub(ls, m)))))
  return where(fin, out, hi)
}
/**
 * `log₂(2ˣ + 2ʸ)` without overflow (jnp.logaddexp2).
 * @example
 * import { logaddexp2, array } from 'wengert'
 * assert.ok(Math.abs(Number(logaddexp2(array(3, { dtype: 'float64' }), 3).item()) - 4) < 1e-15)
 * @category ops
 * @since 0.2.0
 */
export const logaddexp2 = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = floats2('logaddexp2', x, y)
  return div(logaddexp(mul(a, Math.LN2), mul(b, Math.LN2)), Math.LN2)
}
/**
 * True where x is ±∞ (jnp.isinf); false for ints.
 * @example
 * import { isinf, array } from 'wengert'
 * assert.deepStrictEqual(isinf(array([1, Infinity, -Infinity, NaN])).toArray(), [false, true, true, false])
 * @category ops
 * @since 0.2.0
 */
export const isinf = (x: ArrayLike): NdArray => {
  const a = asArray('isinf', x)
  return isFloat(a.dtype) ? equal(abs(a), Infinity) : ew.notEqual(a, a)
}
/**
 * True where x is +∞ (jnp.isposinf).
 * @example
 * import { isposinf, array } from 'wengert'
 * assert.deepStrictEqual(isposinf(array([Infinity, -Infinity])).toArray(), [true, false])
 * @category ops
 * @since 0.2.0
 */
export const isposinf = (x: ArrayLike): NdArray => logicalAnd(isinf(x), greater(asArray('isposinf', x), 0))
/**
 * True where x is −∞ (jnp.isneginf).
 * @example
 * import { isneginf, array } from 'wengert'
 * assert.deepStrictEqual(isneginf(array([Infinity, -Infinity])).toArray(), [false, true])
 * @category ops
 * @since 0.2.0
 */
export const isneginf = (x: ArrayLike): NdArray => logicalAnd(isinf(x), less(asArray('isneginf', x), 0))

/** Options of {@link isclose} and {@link allclose}. @category ops @since 0.2.0 */
export interface IscloseOptions {
  /** Relative tolerance (default 1e-5). */
  readonly rtol?: number
  /** Absolute tolerance (default 1e-8). */
  readonly atol?: number
  /** NaN equals NaN (default false). */
  readonly equalNan?: boolean
}

/**
 * `|a − b| ≤ atol + rtol·|b|` element-wise, equal infinities close (jnp.isclose).
 * @example
 * import { isclose, array } from 'wengert'
 * assert.deepStrictEqual(isclose(array([1, 1, NaN]), array([1 + 1e-7, 1.1, NaN])).toArray(), [true, false, false])
 * @category ops
 * @since 0.2.0
 */
export const isclose = (a: ArrayLike, b: ArrayLike, options?: IscloseOptions): NdArray => {
  const o = checkOptions('isclose', options, ['rtol', 'atol', 'equalNan'])
  const [x, y] = coerceBroadcast('isclose', a, b)
  if (!isFloat(x.dtype)) return equal(x, y)
  const tol = add(o.atol ?? 1e-8, mul(o.rtol ?? 1e-5, abs(y)))
  const finite = logicalAnd(lax.isFinite(x), lax.isFinite(y))
  const close = where(finite, ew.lessEqual(abs(sub(x, y)), tol), equal(x, y))
  return o.equalNan === true ? logicalOr(close, logicalAnd(isnan(x), isnan(y))) : close
}
/**
 * True (a 0-d bool array) when {@link isclose} holds everywhere (jnp.allclose).
 * @example
 * import { allclose, array } from 'wengert'
 * assert.strictEqual(allclose(array([1, 2]), array([1, 2 + 1e-6])).item(), true)
 * @category ops
 * @since 0.2.0
 */
export const allclose = (a: ArrayLike, b: ArrayLike, options?: IscloseOptions): NdArray => all(isclose(a, b, options))

/**
 * True (a 0-d bool array) when the shapes match and all elements are equal (jnp.array_equal).
 * @example
 * import { arrayEqual, array } from 'wengert'
 * assert.strictEqual(arrayEqual(array([1, 2]), array([1, 2])).item(), true)
 * assert.strictEqual(arrayEqual(array([1, 2]), array([1, 2, 3])).item(), false)
 * @category ops
 * @since 0.2.0
 */
export const arrayEqual = (a1: ArrayLike, a2: ArrayLike, options?: { readonly equalNan?: boolean }): NdArray => {
  const o = checkOptions('arrayEqual', options, ['equalNan'])
  const x = asArray('arrayEqual', a1)
  const y = asArray('arrayEqual', a2)
  if (!shapesEqual(x.shape, y.shape)) return lax.cast(lax.scalarLike(0, lax.reshape(x, [x.size])), 'bool')
  const eq = equal(x, y)
  return all(o.equalNan === true ? logicalOr(eq, logicalAnd(isnan(x), isnan(y))) : eq)
}

/** Options of {@link nanToNum}. @category ops @since 0.2.0 */
export interface NanToNumOptions {
  /** Replaces NaN (default 0). */
  readonly nan?: number
  /** Replaces +∞ (default the dtype's largest finite value). */
  readonly posinf?: number
  /** Replaces −∞ (default the dtype's most negative finite value). */
  readonly neginf?: number
}

/**
 * NaN → 0 and ±∞ → the largest finite values, or the given ones (jnp.nan_to_num).
 * @example
 * import { nanToNum, array } from 'wengert'
 * assert.deepStrictEqual(nanToNum(array([NaN, -Infinity, 1], { dtype: 'float64' })).toArray(), [0, -Number.MAX_VALUE, 1])
 * @category ops
 * @since 0.2.0
 */
export const nanToNum = (x: ArrayLike, options?: NanToNumOptions): NdArray => {
  const o = checkOptions('nanToNum', options, ['nan', 'posinf', 'neginf'])
  const a = asArray('nanToNum', x)
  if (!isFloat(a.dtype)) return a
  const big = a.dtype === 'float64' ? Number.MAX_VALUE : 3.4028234663852886e38
  const y = where(isnan(a), o.nan ?? 0, a)
  return where(isposinf(a), o.posinf ?? big, where(isneginf(a), o.neginf ?? -big, y))
}
/**
 * 0 for x < 0, `x2` at 0, 1 for x > 0 (jnp.heaviside).
 * @example
 * import { heaviside, array } from 'wengert'
 * assert.deepStrictEqual(heaviside(array([-1, 0, 2]), 0.5).toArray(), [0, 0.5, 1])
 * @category ops
 * @since 0.2.0
 */
export const heaviside = (x1: ArrayLike, x2: ArrayLike): NdArray => {
  const [a, b] = floats2('heaviside', x1, x2)
  return where(less(a, 0), 0, where(greater(a, 0), 1, b))
}
/**
 * True where the sign bit is set: x < 0 and −0 (jnp.signbit).
 * @example
 * import { signbit, array } from 'wengert'
 * assert.deepStrictEqual(signbit(array([-1, -0, 0, 2])).toArray(), [true, true, false, false])
 * @category ops
 * @since 0.2.0
 */
export const signbit = (x: ArrayLike): NdArray => {
  const a = asArray('signbit', x)
  if (!isFloat(a.dtype)) return less(a, 0)
  // −0 is the zero whose reciprocal is −∞
  return logicalOr(less(a, 0), logicalAnd(equal(a, 0), less(lax.reciprocal(a), 0)))
}
/**
 * |x1| with the sign of x2 (jnp.copysign).
 * @example
 * import { copysign, array } from 'wengert'
 * assert.deepStrictEqual(copysign(array([1, -2, 3]), array([-1, 1, -0])).toArray(), [-1, 2, -3])
 * @category ops
 * @since 0.2.0
 */
export const copysign = (x1: ArrayLike, x2: ArrayLike): NdArray => {
  const [a, b] = floats2('copysign', x1, x2)
  const m = abs(a)
  return where(signbit(b), neg(m), m)
}
/**
 * Remainder with the sign of the dividend, `x1 − trunc(x1/x2)·x2` (jnp.fmod; C's fmod).
 * @example
 * import { fmod, array } from 'wengert'
 * assert.deepStrictEqual(fmod(array([-7, 7]), 3).toArray(), [-1, 1])
 * @category ops
 * @since 0.2.0
 */
export const fmod = (x1: ArrayLike, x2: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('fmod', x1, x2)
  return sub(a, mul(truncDivide(a, b), b))
}
