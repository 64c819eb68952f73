/**
 * More of `jax.lax`'s element-wise functions and reductions, with lax's strict dtypes (no
 * promotion; a float-only function refuses integers in JAX's words): `clz`, `exp2`, `cbrt`,
 * `isFinite`, `round` with a `RoundingMethod`, `reduceXor`, the inverse and hyperbolic
 * trigonometric functions, `erfc`/`erfInv`, `full`/`fullLike`. Composed from primitives, so they
 * differentiate, stage and export as their parts do.
 *
 * @category ops
 * @since 0.5.0
 */
import * as lax from '../core/lax'
import { isFloat, type DType } from '../ndarray/dtype'
import { DTypeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, type ArrayLike } from './convert'
import { laxBitwiseOr, populationCount, shiftRightLogical } from './bitwise'
import { BIT_WIDTH } from '../ndarray/kernels/bitwise'
import { acos, acosh, asin, asinh, atan, atanh, cosh, isfinite, sinh } from './unary'
import { cbrt as jnpCbrt, exp2 as jnpExp2 } from './numpyExtra/math'
import { erfc as jnpErfc, erfinv } from './scipy/special'
import { full as fullOf } from '../ndarray/create'
import { checkShape } from '../ndarray/shape'

/** The operand of a float-only lax function (JAX's dtype rule and message). */
const floating = (name: string, x: ArrayLike): NdArray => {
  const a = asArray(`lax.${name}`, x)
  if (!isFloat(a.dtype))
    throw new DTypeError(
      `${name} does not accept dtype ${a.dtype}. Accepted dtypes are subtypes of floating, complexfloating.`,
    )
  return a
}

/** The operand of an integer-only lax function. */
const integral = (name: string, x: ArrayLike): NdArray => {
  const a = asArray(`lax.${name}`, x)
  if (isFloat(a.dtype) || a.dtype === 'bool')
    throw new DTypeError(`${name} does not accept dtype ${a.dtype}. Accepted dtypes are subtypes of integer.`)
  return a
}

/**
 * The number of leading zero bits in each integer's two's complement (JAX's `lax.clz`): the bits
 * below the highest set one are smeared down, then `bits − popcount` (0 for a negative value).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.clz(array([0, 1, 255, -1], { dtype: 'int32' })).toArray(), [32, 31, 24, 0])
 * @category ops
 * @since 0.5.0
 */
export const clz = (x: ArrayLike): NdArray => {
  const a = integral('clz', x)
  const bits = BIT_WIDTH[a.dtype]
  // a negative value has its top bit set: no leading zeros (and int64's bit pattern is not smeared)
  const neg = lax.lt(a, lax.scalarLike(0, a))
  let v = lax.select(neg, lax.scalarLike(0, a), a)
  for (let s = 1; s < bits; s *= 2) v = laxBitwiseOr(v, shiftRightLogical(v, lax.scalarLike(s, v)))
  return lax.select(neg, lax.scalarLike(0, a), lax.sub(lax.scalarLike(bits, a), populationCount(v)))
}

/**
 * `2ˣ` on a float operand (JAX's `lax.exp2`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.exp2(array([3, -1], { dtype: 'float64' })).toArray(), [8, 0.5])
 * @category ops
 * @since 0.5.0
 */
export const exp2 = (x: ArrayLike): NdArray => jnpExp2(floating('exp2', x))

/**
 * Real cube root of a float operand (JAX's `lax.cbrt`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.ok(Math.abs(Number(lax.cbrt(array(-8, { dtype: 'float64' })).item()) + 2) < 1e-15)
 * @category ops
 * @since 0.5.0
 */
export const cbrt = (x: ArrayLike): NdArray => jnpCbrt(floating('cbrt', x))

/**
 * True where a float operand is neither infinite nor NaN (JAX's `lax.is_finite`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.isFinite(array([1, Infinity, NaN])).toArray(), [true, false, false])
 * @category ops
 * @since 0.5.0
 */
export const isFinite = (x: ArrayLike): NdArray => isfinite(floating('is_finite', x))

/** JAX's `lax.RoundingMethod`: halves away from zero (0, the default) or to the even neighbour (1). */
export const RoundingMethod = { AWAY_FROM_ZERO: 0, TO_NEAREST_EVEN: 1 } as const
/** A member of {@link RoundingMethod}. */
export type RoundingMethod = (typeof RoundingMethod)[keyof typeof RoundingMethod]

/**
 * Rounds a float operand to an integer value (JAX's `lax.round`): halves go away from zero by
 * default, or to the even neighbour with `RoundingMethod.TO_NEAREST_EVEN`. Zero derivative.
 * @example
 * import { lax, array } from 'wengert'
 * const x = array([0.5, 1.5, 2.5, -0.5, -2.7], { dtype: 'float64' })
 * assert.deepStrictEqual(lax.round(x).toArray(), [1, 2, 3, -1, -3])
 * assert.deepStrictEqual(lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN).toArray(), [0, 2, 2, -0, -3])
 * @category ops
 * @since 0.5.0
 */
export const round = (x: ArrayLike, roundingMethod: RoundingMethod = RoundingMethod.AWAY_FROM_ZERO): NdArray => {
  const a = floating('round', x)
  if (roundingMethod === RoundingMethod.TO_NEAREST_EVEN) return lax.round(a)
  if (roundingMethod !== RoundingMethod.AWAY_FROM_ZERO)
    throw new ValueError(`lax.round: Unknown rounding method ${String(roundingMethod)}`)
  // trunc(x) + sign(x) where the dropped part is at least one half: exact, unlike floor(x + 0.5)
  const t = lax.mul(lax.sign(a), lax.floor(lax.abs(a)))
  const half = lax.ge(lax.abs(lax.sub(a, t)), lax.scalarLike(0.5, a))
  return lax.select(half, lax.add(t, lax.sign(a)), t)
}

/**
 * Exclusive-or reduction over `axes` (JAX's `lax.reduce_xor`): parity on bool; on integers, bit
 * `k` of the result is the parity of the count of operands with bit `k` set.
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.reduceXor(array([[1, 2], [3, 7]], { dtype: 'int32' }), [0]).toArray(), [2, 5])
 * assert.deepStrictEqual(lax.reduceXor(array([true, true, true]), [0]).toArray(), true)
 * @category ops
 * @since 0.5.0
 */
export const reduceXor = (operand: ArrayLike, axes: ReadonlyArray<number>): NdArray => {
  const a = asArray('lax.reduce_xor', operand)
  if (isFloat(a.dtype))
    throw new DTypeError(`reduce_xor does not accept dtype ${a.dtype}. Accepted dtypes are subtypes of integer, bool.`)
  const ax = [...new Set(axes)].sort((p, q) => p - q)
  if (ax.some((d) => !Number.isInteger(d) || d < 0 || d >= a.ndim))
    throw new ValueError(`lax.reduce_xor: axes ${JSON.stringify(axes)} out of range for an operand of rank ${a.ndim}`)
  const parity = (bitsSet: NdArray): NdArray => {
    const count = lax.reduceSum(lax.cast(bitsSet, 'int32'), ax)
    return lax.ne(
      lax.sub(count, lax.mul(lax.div(count, lax.scalar(2, 'int32')), lax.scalar(2, 'int32'))),
      lax.scalar(0, 'int32'),
    )
  }
  if (a.dtype === 'bool') return parity(a)
  const bits = BIT_WIDTH[a.dtype]
  let out = lax.zerosLike({ shape: a.shape.filter((_, k) => !ax.includes(k)), dtype: a.dtype })
  for (let k = 0; k < bits; k++) {
    const bit = lax.bitwiseAnd(shiftRightLogical(a, lax.scalarLike(k, a)), lax.scalarLike(1, a))
    const p = lax.cast(parity(lax.ne(bit, lax.scalarLike(0, a))), a.dtype)
    out = laxBitwiseOr(out, lax.shiftLeft(p, lax.scalarLike(k, a)))
  }
  return out
}

/**
 * Complementary error function `1 − erf(x)` of a float operand (JAX's `lax.erfc`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.strictEqual(lax.erfc(array(0, { dtype: 'float64' })).item(), 1)
 * @category ops
 * @since 0.5.0
 */
export const erfc = (x: ArrayLike): NdArray => jnpErfc(floating('erfc', x))

/**
 * Inverse error function of a float operand (JAX's `lax.erf_inv`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.strictEqual(lax.erfInv(array(0, { dtype: 'float64' })).item(), 0)
 * @category ops
 * @since 0.5.0
 */
export const erfInv = (x: ArrayLike): NdArray => erfinv(floating('erf_inv', x))

/** The float-only trigonometric and hyperbolic lax functions (JAX's `lax.asin` …). */
const floatOnly =
  (name: string, f: (x: NdArray) => NdArray) =>
  (x: ArrayLike): NdArray =>
    f(floating(name, x))

/** Arc sine of a float operand (JAX's `lax.asin`). @category ops @since 0.5.0 */
export const asinF = floatOnly('asin', asin)
/** Arc cosine of a float operand (JAX's `lax.acos`). @category ops @since 0.5.0 */
export const acosF = floatOnly('acos', acos)
/** Arc tangent of a float operand (JAX's `lax.atan`). @category ops @since 0.5.0 */
export const atanF = floatOnly('atan', atan)
/** Hyperbolic sine of a float operand (JAX's `lax.sinh`). @category ops @since 0.5.0 */
export const sinhF = floatOnly('sinh', sinh)
/** Hyperbolic cosine of a float operand (JAX's `lax.cosh`). @category ops @since 0.5.0 */
export const coshF = floatOnly('cosh', cosh)
/** Inverse hyperbolic sine of a float operand (JAX's `lax.asinh`). @category ops @since 0.5.0 */
export const asinhF = floatOnly('asinh', asinh)
/** Inverse hyperbolic cosine of a float operand (JAX's `lax.acosh`). @category ops @since 0.5.0 */
export const acoshF = floatOnly('acosh', acosh)
/** Inverse hyperbolic tangent of a float operand (JAX's `lax.atanh`). @category ops @since 0.5.0 */
export const atanhF = floatOnly('atanh', atanh)

/**
 * An array of `shape` filled with the scalar `fillValue` (JAX's `lax.full`; float32 for a number
 * without `dtype`, as JAX's weak float).
 * @example
 * import { lax } from 'wengert'
 * assert.deepStrictEqual(lax.full([2], 3, 'int32').toArray(), [3, 3])
 * @category ops
 * @since 0.5.0
 */
export const full = (shape: ReadonlyArray<number>, fillValue: ArrayLike, dtype?: DType): NdArray => {
  const s = checkShape('lax.full', shape)
  if (typeof fillValue === 'number') return fullOf(s, fillValue, dtype === undefined ? {} : { dtype })
  if (fillValue.ndim !== 0)
    throw new ValueError(
      `full must be called with scalar fill_value, got fill_value.shape ${JSON.stringify(fillValue.shape)}.`,
    )
  return lax.broadcastTo(dtype === undefined ? fillValue : lax.cast(fillValue, dtype), s)
}

/**
 * An array like `x` (its shape and dtype unless given) filled with `fillValue` (JAX's `lax.full_like`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.fullLike(array([1, 2], { dtype: 'int32' }), 7).toArray(), [7, 7])
 * @category ops
 * @since 0.5.0
 */
export const fullLike = (x: ArrayLike, fillValue: ArrayLike, dtype?: DType, shape?: ReadonlyArray<number>): NdArray => {
  const a = asArray('lax.full_like', x)
  return full(shape ?? a.shape, fillValue, dtype ?? a.dtype)
}
