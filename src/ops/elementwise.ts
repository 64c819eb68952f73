/**
 * Element-wise binary ops with NumPy broadcasting: arithmetic, comparisons, logic, where and clip
 * (the unary ones are in `./unary`). Primitives are used directly where one exists;
 * the rest are composites whose derivatives come from their parts.
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import type { NdArray } from '../ndarray/NdArray'
import {
  asArray,
  checkBroadcast,
  coerceBroadcast,
  requireNumeric,
  toFloat,
  withCoerced,
  type ArrayLike,
} from './convert'
import { nonzero, type NonzeroOptions } from './sets'
import { ValueError } from '../ndarray/errors'

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
export const add = (x: ArrayLike, y: ArrayLike): NdArray => withCoerced('add', x, y, addCoerced)
// NumPy: `+` on two bool arrays is logical or (a bool add would store 1 + 1 = 2 in a bool)
const addCoerced = (a: NdArray, b: NdArray): NdArray => (a.dtype === 'bool' ? lax.or(a, b) : lax.add(a, b))

/**
 * `x − y` (bool arrays are rejected, as NumPy does).
 * @example
 * import { sub, array } from 'wengert'
 * assert.deepStrictEqual(sub(array([5, 7]), 2).toArray(), [3, 5])
 * @category ops @since 0.1.0
 */
export const sub = (x: ArrayLike, y: ArrayLike): NdArray => withCoerced('sub', x, y, subCoerced)
const subCoerced = (a: NdArray, b: NdArray): NdArray => lax.sub(requireNumeric('sub', a), b)

/**
 * `x · y`.
 * @example
 * import { mul, array } from 'wengert'
 * const y = mul(array([1.5, 2]), 2)
 * assert.deepStrictEqual(y.toArray(), [3, 4])
 * assert.strictEqual(y.dtype, 'float32') // the number takes the array's dtype
 * @category ops @since 0.1.0
 */
export const mul = (x: ArrayLike, y: ArrayLike): NdArray => withCoerced('mul', x, y, lax.mul)

/**
 * True division `x / y` (integers promote to float32).
 * @example
 * import { div, array } from 'wengert'
 * assert.deepStrictEqual(div(array([1, 3]), array([2, 4])).toArray(), [0.5, 0.75])
 * assert.strictEqual(div(array([1], { dtype: 'int32' }), 2).dtype, 'float32')
 * @category ops @since 0.1.0
 */
export const div = (x: ArrayLike, y: ArrayLike): NdArray => withCoerced('div', x, y, divCoerced)
const divCoerced = (a: NdArray, b: NdArray): NdArray => lax.div(toFloat(a), toFloat(b))

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
 * `atan2(y, x)`, the angle of (x, y).
 * @example
 * import { atan2, array } from 'wengert'
 * assert.ok(Math.abs((atan2(array(1, { dtype: 'float64' }), -1).item() as number) - (3 * Math.PI) / 4) < 1e-15)
 * @category ops @since 0.1.0
 */
export const atan2 = (y: ArrayLike, x: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('atan2', y, x)
  return lax.atan2(toFloat(a), toFloat(b))
}

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
 * branch taken (NaN in the other branch does not leak). With `cond` alone (optionally with
 * `{ size, fillValue }`), the indices of its nonzero entries, one int32 array per axis: JAX's
 * one-argument `where`, the same as {@link nonzero}.
 * @example
 * import { where, array, greater } from 'wengert'
 * const x = array([-1, 2])
 * assert.deepStrictEqual(where(greater(x, 0), x, 0).toArray(), [0, 2])
 * assert.deepStrictEqual(where(array([0, 3, 0, 4]))[0]!.toArray(), [1, 3])
 * @category ops @since 0.1.0
 */
export function where(cond: ArrayLike, options?: NonzeroOptions): NdArray[]
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): NdArray
export function where(cond: ArrayLike, x?: ArrayLike | NonzeroOptions, y?: ArrayLike): NdArray | NdArray[] {
  if (y === undefined && (x === undefined || isOptions(x))) return nonzero(cond, x as NonzeroOptions | undefined)
  if (x === undefined || y === undefined)
    throw new ValueError(
      `Either both or neither of the x and y arguments should be provided to jax.numpy.where, got ${shown(x)} and ${shown(y)}.`,
    )
  const c = asBool('where', cond)
  const [a, b] = coerceBroadcast('where', x as ArrayLike, y)
  return lax.select(c, a, b)
}

/** A plain options object (not an array, an NdArray or a number). */
const isOptions = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !('shape' in v)

/** `None` for an absent argument, else the value's text (JAX prints the array). */
const shown = (v: unknown): string => (v === undefined ? 'None' : String(v))
