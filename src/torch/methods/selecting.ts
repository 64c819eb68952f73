/**
 * Element-wise functions of the facade written as selections, so NaN behaves as in PyTorch:
 * PyTorch's kernels propagate a NaN input (`relu(nan)` is nan), define `sign(nan)` as 0 and
 * `pow(1, nan)` as 1, and its backward formulas select (`masked_fill`, `where`) rather than
 * multiply by a 0/1 mask, so a NaN or infinite gradient never reaches the input not taken
 * (`minimum(x, −1).sqrt()` gives x a gradient of 0, not NaN).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import * as ew from '../../ops/elementwise'
import * as un from '../../ops/unary'
import { valuesBelow } from '../../core/trace'
import { broadcastShape } from '../ops/convert'

const zeroLike = (x: NdArray): NdArray => lax.scalarLike(0, x)
const oneLike = (x: NdArray): NdArray => lax.scalarLike(1, x)
const isNan = (x: NdArray): NdArray => lax.ne(x, x)

/** `relu`: +0 where x < 0, else x (−0 and NaN stay; the gradient passes where x > 0 or NaN, as threshold_backward). */
export const reluFn = (x: NdArray): NdArray =>
  // PyTorch's CPU relu is clamp_min(x, 0) (`max(0, x)` keeps x when both are zeros): −0 stays −0 and
  // NaN propagates; the gradient is threshold_backward's (0 wherever x ≤ 0)
  lax.select(lax.le(x, zeroLike(x)), lax.stopGradient(lax.select(lax.lt(x, zeroLike(x)), zeroLike(x), x)), x)

/**
 * relu's value on a concrete float array in one selection: +0 where x < 0, else x (the bits of
 * {@link reluFn}: −0 and NaN stay). Any other value (a tracer of a transform, a meta or an integer
 * array) takes reluFn, whose nested selection carries the derivative convention into the
 * transforms that differentiate it; a recorded relu's gradient is {@link reluGrad}.
 */
export const reluValue = (x: NdArray): NdArray =>
  isFloat(x.dtype) && Object.getPrototypeOf(x) === NdArray.prototype
    ? lax.select(lax.lt(x, zeroLike(x)), zeroLike(x), x)
    : reluFn(x)

/**
 * The gradient reluFn's rule gives for incoming gradient `g` (of the output's dtype) at input x:
 * +0 where x ≤ 0, else g (a NaN x passes g), as threshold_backward(grad, result, 0).
 */
export const reluGrad = (g: NdArray, x: NdArray): NdArray => lax.select(lax.le(x, zeroLike(x)), zeroLike(g), g)

/** `sign`: −1, +0 or 1, and +0 for NaN and for −0 (PyTorch's sign kernel: `(0 < x) − (x < 0)`). */
export const signFn = (x: NdArray): NdArray =>
  isFloat(x.dtype)
    ? lax.select(isNan(x), zeroLike(x), lax.select(lax.eq(x, zeroLike(x)), zeroLike(x), lax.sign(x)))
    : lax.sign(x)

/**
 * Integer `x ** y` as PyTorch's CPU kernel (`powi`): a negative exponent gives 1 for a base of 1,
 * ±1 for −1 (by the exponent's parity) and 0 for every other base, 0 included.
 */
const intPowFn = (x: NdArray, y: NdArray): NdArray => {
  const shape = broadcastShape(x.shape, y.shape)
  const xb = lax.broadcastTo(x, shape)
  const yb = lax.broadcastTo(y, shape)
  const negative = lax.lt(yb, zeroLike(yb))
  const p = lax.pow(xb, lax.select(negative, zeroLike(yb), yb))
  const yf = lax.cast(yb, 'float64')
  const odd = lax.ne(lax.sub(yf, lax.mulScalar(lax.floor(lax.mulScalar(yf, 0.5)), 2)), zeroLike(yf))
  const minusOne = lax.select(odd, lax.neg(oneLike(xb)), oneLike(xb))
  const unit = lax.select(lax.eq(xb, oneLike(xb)), oneLike(xb), zeroLike(xb))
  const small = lax.select(lax.eq(xb, lax.neg(oneLike(xb))), minusOne, unit)
  return lax.select(negative, small, p)
}

/** `pow`: `1 ** y` is 1 for every y, NaN included (C's pow, which PyTorch follows; JavaScript gives NaN). */
export const powFn = (x: NdArray, y: NdArray): NdArray => {
  if (!isFloat(x.dtype) && !isFloat(y.dtype) && x.dtype !== 'bool') return intPowFn(x, y)
  const p = lax.pow(x, y)
  if (!isFloat(p.dtype) || !isFloat(y.dtype)) return p
  const yb = lax.broadcastTo(y, p.shape)
  const one = lax.and(lax.eq(lax.broadcastTo(x, p.shape), oneLike(p)), isNan(yb))
  // 1 ** 0 there, so neither the value nor the exponent's gradient (p·log 1 = 0) sees the NaN
  return lax.pow(x, lax.select(one, lax.scalarLike(0, yb), yb))
}

/**
 * `pow` with a Python-number exponent as PyTorch's CPU kernel computes it: exponent 0.5 is `sqrt`
 * and −0.5 `rsqrt` (so `(−inf) ** 0.5` is NaN and `(−0) ** 0.5` is −0, where C's pow gives +inf
 * and +0); other exponents are `powFn` (2, 3 and −2 are products there, equal up to rounding).
 */
export const powScalarFn = (x: NdArray, y: NdArray): NdArray => {
  const e = y.ndim === 0 && isFloat(x.dtype) ? valuesBelow(y)?.[0] : undefined
  if (e === 0.5) return lax.sqrt(x)
  if (e === -0.5) return un.rsqrt(x)
  return powFn(x, y)
}

/**
 * `maximum` (`'max'`) or `minimum` (`'min'`): the larger (smaller) input is selected, NaN wins,
 * and a tie splits the gradient in halves (PyTorch's max/min backward).
 */
export const extremumFn =
  (which: 'max' | 'min') =>
  (x: NdArray, y: NdArray): NdArray => {
    if (!isFloat(x.dtype)) return which === 'max' ? ew.maximum(x, y) : ew.minimum(x, y)
    const s = broadcastShape(x.shape, y.shape)
    const a = lax.broadcastTo(x, s)
    const b = lax.broadcastTo(y, s)
    const [aWins, bWins] = which === 'max' ? [lax.gt(a, b), lax.lt(a, b)] : [lax.lt(a, b), lax.gt(a, b)]
    // a tie: the mean (which is a), so each input gets half the gradient; a NaN compares false
    // every way: a + b (NaN), so each input gets all of it
    const tie = lax.add(lax.mulScalar(a, 0.5), lax.mulScalar(b, 0.5))
    return lax.select(aWins, a, lax.select(bWins, b, lax.select(lax.eq(a, b), tie, lax.add(a, b))))
  }

/** `sqrt` whose derivative at 0 is 0 (PyTorch's std/norm backward masks where the result is 0). */
export const sqrtMasked = (v: NdArray): NdArray => {
  const z = lax.eq(v, zeroLike(v))
  return lax.select(z, zeroLike(v), lax.sqrt(lax.select(z, oneLike(v), v)))
}

/**
 * The result of `clamp` where `x` is NaN: NaN, with no gradient to `x` or the bounds (PyTorch's
 * clamp backward passes the gradient only where `min ≤ x ≤ max`).
 */
export const clampNan = (x: NdArray, y: NdArray): NdArray => {
  if (!isFloat(x.dtype)) return y
  const xb = lax.broadcastTo(x, y.shape)
  return lax.select(isNan(xb), lax.stopGradient(xb), y)
}
