/**
 * Floor division and remainder with Python's (and PyTorch's) sign rules: `floorDivide` rounds the
 * quotient toward −∞ and `remainder` takes the sign of the divisor, so `x == floorDivide(x, y)·y +
 * remainder(x, y)`. Integer operands are exact (int64 too: see `DType`) and raise
 * ZeroDivisionError on a zero divisor, as PyTorch does for integer tensors; floats follow IEEE
 * (a zero divisor gives ±inf or NaN).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { isAbstract, Tracer } from '../core/trace'
import { isFloat } from '../ndarray/dtype'
import { ZeroDivisionError } from '../ndarray/errors'
import { intDivMod } from '../ndarray/kernels/int64'
import { NdArray } from '../ndarray/NdArray'
import { broadcastShapes } from '../ndarray/shape'
import { coerceBroadcast, requireNumeric, type ArrayLike } from './convert'

/** Quotient and remainder of two integer arrays of one dtype, exact; `mode` rounds the quotient. */
const intQuotient = (op: string, a: NdArray, b: NdArray, mode: 'floor' | 'trunc'): [NdArray, NdArray] => {
  if (!(a instanceof Tracer) && !(b instanceof Tracer)) {
    const shape = broadcastShapes(op, a.shape, b.shape)
    const x = lax.broadcastTo(a, shape)._values(op)
    const y = lax.broadcastTo(b, shape)._values(op)
    const q = new Float64Array(x.length)
    const r = new Float64Array(x.length)
    intDivMod(op, x, y, mode, q, r)
    return [lax.cast(new NdArray(shape, 'int64', q), a.dtype), lax.cast(new NdArray(shape, 'int64', r), a.dtype)]
  }
  // traced: the same correction with primitives (exact while |x| + |y| ≤ 2⁵³ − 1)
  if (!isAbstract(b) && b._values(op).some((v) => v === 0))
    throw new ZeroDivisionError(`${op}: integer division by zero (ZeroDivisionError)`)
  const x = lax.cast(a, 'float64')
  const y = lax.cast(b, 'float64')
  const t = lax.div(x, y)
  const q0 =
    mode === 'floor' ? lax.floor(t) : lax.select(lax.lt(t, lax.scalar(0, 'float64')), lax.ceil(t), lax.floor(t))
  const r0 = lax.sub(x, lax.mul(q0, y))
  const zero = lax.scalar(0, 'float64')
  const ref = mode === 'floor' ? y : x
  const off = lax.and(lax.ne(r0, zero), lax.ne(lax.lt(r0, zero), lax.lt(ref, zero)))
  // q0 passed the true quotient: step back toward it
  const step = lax.select(
    off,
    lax.select(lax.eq(lax.gt(lax.mul(q0, y), x), lax.gt(y, zero)), lax.scalar(-1, 'float64'), lax.scalar(1, 'float64')),
    zero,
  )
  const q = lax.add(q0, step)
  return [lax.cast(q, a.dtype), lax.cast(lax.sub(x, lax.mul(q, y)), a.dtype)]
}

/**
 * `⌊x / y⌋` element-wise with broadcasting (NumPy's `floor_divide`, Python's `//`).
 * @example
 * import { array, floorDivide } from 'wengert'
 * assert.deepStrictEqual(floorDivide(array([7, -7], { dtype: 'int64' }), 2).toArray(), [3, -4])
 * assert.throws(() => floorDivide(array([1], { dtype: 'int64' }), 0), /division by zero/)
 * @category ops @since 0.2.0
 */
export const floorDivide = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('floorDivide', x, y)
  requireNumeric('floorDivide', a)
  return isFloat(a.dtype) ? lax.floor(lax.div(a, b)) : intQuotient('floorDivide', a, b, 'floor')[0]
}

/**
 * `x / y` rounded toward zero (PyTorch's `div(rounding_mode='trunc')`).
 * @example
 * import { array, truncDivide } from 'wengert'
 * assert.deepStrictEqual(truncDivide(array([7, -7], { dtype: 'int64' }), 2).toArray(), [3, -3])
 * @category ops @since 0.2.0
 */
export const truncDivide = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('truncDivide', x, y)
  requireNumeric('truncDivide', a)
  if (!isFloat(a.dtype)) return intQuotient('truncDivide', a, b, 'trunc')[0]
  const t = lax.div(a, b)
  return lax.select(lax.lt(t, lax.scalar(0, t.dtype)), lax.ceil(t), lax.floor(t))
}

/**
 * `x − ⌊x / y⌋·y`: the remainder with the sign of the divisor (Python's `%`, PyTorch's `remainder`).
 * @example
 * import { array, remainder } from 'wengert'
 * assert.deepStrictEqual(remainder(array([7, -7, 7, -7], { dtype: 'int64' }), array([2, 2, -2, -2], { dtype: 'int64' })).toArray(), [1, 1, -1, -1])
 * assert.deepStrictEqual(remainder(array([-1.5]), 1).toArray(), [0.5])
 * @category ops @since 0.2.0
 */
export const remainder = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('remainder', x, y)
  requireNumeric('remainder', a)
  return isFloat(a.dtype)
    ? lax.sub(a, lax.mul(lax.floor(lax.div(a, b)), b))
    : intQuotient('remainder', a, b, 'floor')[1]
}
