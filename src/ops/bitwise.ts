/**
 * Bit operations of `jnp` (`bitwise_and/or/xor/not`, `invert`, `left_shift`, `right_shift`,
 * `bitwise_count` and their aliases) and of `lax` (`bitwise_*`, `shift_left`,
 * `shift_right_arithmetic`, `shift_right_logical`, `population_count`). The `jnp` forms promote
 * their operands as JAX does (a JS number takes the array's dtype); shifts and `bitwiseCount`
 * promote bool to int32 (JAX's `promote_args_numeric`). Floats raise JAX's DTypeError ("and does
 * not accept dtype float32 …"). Staged under `jit`, batched under `vmap`, zero derivatives.
 *
 * @category ops
 * @since 0.4.0
 */
import * as P from '../core/primitives/bitwise'
import { checkBitDType } from '../core/primitives/bitwise'
import { isNdArray, type NdArray } from '../ndarray/NdArray'
import * as lax from '../core/lax'
import { asArray, coerceBroadcast, type ArrayLike } from './convert'
import { abs } from './unary'

/** `x` as an array; an integer JS number becomes int32 (JAX's weak int), a boolean bool. */
const operand = (op: string, x: ArrayLike): NdArray =>
  isNdArray(x)
    ? x
    : typeof x === 'number' && Number.isInteger(x)
      ? asArray(op, x, 'int32')
      : typeof x === 'boolean'
        ? asArray(op, x, 'bool')
        : asArray(op, x)

/** Both operands promoted to one dtype (integer JS numbers adopt the other operand's dtype). */
const promoted = (op: string, prim: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const [a, b] = coerceBroadcast(op, isNdArray(x) || isNdArray(y) ? x : operand(op, x), y)
  checkBitDType(prim, a.dtype, 0)
  checkBitDType(prim, b.dtype, 1)
  return [a, b]
}

/** Like `promoted`, with bool promoted to int32 (JAX's `promote_args_numeric`). */
const numeric = (op: string, prim: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const [a, b] = promoted(op, prim, x, y)
  return a.dtype === 'bool' ? [lax.cast(a, 'int32'), lax.cast(b, 'int32')] : [a, b]
}

// -------------------------------------------------------------------------------------
// jnp
// -------------------------------------------------------------------------------------

/**
 * `x & y` element-wise on integer or bool arrays (NumPy's `bitwise_and`).
 * @example
 * import { array, bitwiseAnd } from 'wengert'
 * assert.deepStrictEqual(bitwiseAnd(array([12, -3], { dtype: 'int32' }), 10).toArray(), [8, 8])
 * assert.throws(() => bitwiseAnd(array([1.5]), 1), /and does not accept dtype float32/)
 * @category ops @since 0.4.0
 */
export const bitwiseAnd = (x: ArrayLike, y: ArrayLike): NdArray => P.bitwiseAnd(...promoted('bitwiseAnd', 'and', x, y))

/**
 * `x | y` element-wise on integer or bool arrays (NumPy's `bitwise_or`).
 * @example
 * import { array, bitwiseOr } from 'wengert'
 * assert.deepStrictEqual(bitwiseOr(array([12, -3], { dtype: 'int32' }), 10).toArray(), [14, -1])
 * @category ops @since 0.4.0
 */
export const bitwiseOr = (x: ArrayLike, y: ArrayLike): NdArray => P.bitwiseOr(...promoted('bitwiseOr', 'or', x, y))

/**
 * `x ^ y` element-wise on integer or bool arrays (NumPy's `bitwise_xor`).
 * @example
 * import { array, bitwiseXor } from 'wengert'
 * assert.deepStrictEqual(bitwiseXor(array([12, -3], { dtype: 'int32' }), 10).toArray(), [6, -9])
 * assert.deepStrictEqual(bitwiseXor(array([true, false]), array(true)).toArray(), [false, true])
 * @category ops @since 0.4.0
 */
export const bitwiseXor = (x: ArrayLike, y: ArrayLike): NdArray => P.bitwiseXor(...promoted('bitwiseXor', 'xor', x, y))

/**
 * `~x` element-wise: `−x − 1` on signed integers, `255 − x` on uint8, logical not on bool (NumPy's
 * `invert`; `bitwiseNot` and `bitwiseInvert` are its other names).
 * @example
 * import { array, invert } from 'wengert'
 * assert.deepStrictEqual(invert(array([0, 5, -3], { dtype: 'int8' })).toArray(), [-1, -6, 2])
 * assert.deepStrictEqual(invert(array([3], { dtype: 'uint8' })).toArray(), [252])
 * @category ops @since 0.4.0
 */
export const invert = (x: ArrayLike): NdArray => {
  const a = operand('invert', x)
  checkBitDType('not', a.dtype)
  return P.bitwiseNot(a)
}
/** NumPy's `bitwise_not`: {@link invert}. @category ops @since 0.4.0 */
export const bitwiseNot = invert
/** NumPy 2's `bitwise_invert`: {@link invert}. @category ops @since 0.4.0 */
export const bitwiseInvert = invert

/**
 * `x << y` element-wise (NumPy's `left_shift`; `bitwiseLeftShift` is its other name): wraps to
 * the dtype, and a shift outside [0, bits) gives 0, as XLA (and so JAX) does.
 * @example
 * import { array, leftShift } from 'wengert'
 * assert.deepStrictEqual(leftShift(array([1, -3], { dtype: 'int32' }), 4).toArray(), [16, -48])
 * assert.deepStrictEqual(leftShift(array([1], { dtype: 'int8' }), array([7], { dtype: 'int8' })).toArray(), [-128])
 * @category ops @since 0.4.0
 */
export const leftShift = (x: ArrayLike, y: ArrayLike): NdArray =>
  P.shiftLeft(...numeric('leftShift', 'shift_left', x, y))
/** NumPy 2's `bitwise_left_shift`: {@link leftShift}. @category ops @since 0.4.0 */
export const bitwiseLeftShift = leftShift

/**
 * `x >> y` element-wise (NumPy's `right_shift`; `bitwiseRightShift` is its other name):
 * arithmetic on signed dtypes, logical on uint8; a shift outside [0, bits) gives 0 (−1 for a
 * negative value), as XLA does.
 * @example
 * import { array, rightShift } from 'wengert'
 * assert.deepStrictEqual(rightShift(array([16, -16], { dtype: 'int32' }), 2).toArray(), [4, -4])
 * @category ops @since 0.4.0
 */
export const rightShift = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = numeric('rightShift', 'shift_right_arithmetic', x, y)
  return a.dtype === 'uint8' ? P.shiftRightLogical(a, b) : P.shiftRightArithmetic(a, b)
}
/** NumPy 2's `bitwise_right_shift`: {@link rightShift}. @category ops @since 0.4.0 */
export const bitwiseRightShift = rightShift

/**
 * The number of 1 bits in `|x|`, as uint8 (NumPy 2's `bitwise_count`; JAX takes the absolute
 * value too).
 * @example
 * import { array, bitwiseCount } from 'wengert'
 * const r = bitwiseCount(array([0, 7, -8, 1023], { dtype: 'int32' }))
 * assert.deepStrictEqual(r.toArray(), [0, 3, 1, 10])
 * assert.strictEqual(r.dtype, 'uint8')
 * @category ops @since 0.4.0
 */
export const bitwiseCount = (x: ArrayLike): NdArray => {
  const a0 = operand('bitwiseCount', x)
  checkBitDType('population_count', a0.dtype)
  const a = a0.dtype === 'bool' ? lax.cast(a0, 'int32') : a0
  return lax.cast(P.populationCount(a.dtype === 'uint8' ? a : abs(a)), 'uint8')
}

// -------------------------------------------------------------------------------------
// lax (no promotion: operands share a dtype)
// -------------------------------------------------------------------------------------

/** Both operands as arrays of one dtype, as `lax` requires. */
const same = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const a = operand(op, x)
  const b = isNdArray(y) ? y : asArray(op, y, a.dtype)
  return [isNdArray(x) || !isNdArray(y) ? a : asArray(op, x, b.dtype), b]
}

/** JAX's `lax.bitwise_and(x, y)`. @category ops @since 0.4.0 */
export const laxBitwiseAnd = (x: ArrayLike, y: ArrayLike): NdArray => P.bitwiseAnd(...same('lax.bitwise_and', x, y))
/** JAX's `lax.bitwise_or(x, y)`. @category ops @since 0.4.0 */
export const laxBitwiseOr = (x: ArrayLike, y: ArrayLike): NdArray => P.bitwiseOr(...same('lax.bitwise_or', x, y))
/** JAX's `lax.bitwise_xor(x, y)`. @category ops @since 0.4.0 */
export const laxBitwiseXor = (x: ArrayLike, y: ArrayLike): NdArray => P.bitwiseXor(...same('lax.bitwise_xor', x, y))
/** JAX's `lax.bitwise_not(x)`. @category ops @since 0.4.0 */
export const laxBitwiseNot = (x: ArrayLike): NdArray => P.bitwiseNot(operand('lax.bitwise_not', x))
/** JAX's `lax.shift_left(x, y)`. @category ops @since 0.4.0 */
export const shiftLeft = (x: ArrayLike, y: ArrayLike): NdArray => P.shiftLeft(...same('lax.shift_left', x, y))
/** JAX's `lax.shift_right_arithmetic(x, y)`. @category ops @since 0.4.0 */
export const shiftRightArithmetic = (x: ArrayLike, y: ArrayLike): NdArray =>
  P.shiftRightArithmetic(...same('lax.shift_right_arithmetic', x, y))
/** JAX's `lax.shift_right_logical(x, y)`. @category ops @since 0.4.0 */
export const shiftRightLogical = (x: ArrayLike, y: ArrayLike): NdArray =>
  P.shiftRightLogical(...same('lax.shift_right_logical', x, y))
/** JAX's `lax.population_count(x)`. @category ops @since 0.4.0 */
export const populationCount = (x: ArrayLike): NdArray => P.populationCount(operand('lax.population_count', x))
