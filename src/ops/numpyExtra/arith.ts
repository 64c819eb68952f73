/**
 * More of `jax.numpy`'s arithmetic, composed from existing ops (derivatives come from the parts):
 * `gcd`/`lcm` (Euclid's algorithm as a `whileLoop`, so they stage under `jit`), `ldexp`/`frexp`,
 * `modf`, `divmod`, the NaN-ignoring `fmax`/`fmin`, `logicalXor`, `floatPower`, and the array-API
 * scans `cumulativeSum`/`cumulativeProd` with `includeInitial`, and `nextafter` (its own
 * primitive: bit arithmetic, no derivative).
 *
 * @category ops
 * @since 0.5.0
 */
import * as lax from '../../core/lax'
import { axisOptions } from '../../internal/options'
import { isFloat, type DType } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import { asArray, coerceBroadcast, toFloat, type ArrayLike } from '../convert'
import { whileLoop } from '../control/loops'
import { greater, less, mul, notEqual, pow, sub, where } from '../elementwise'
import { floorDivide, remainder } from '../integer'
import { concat } from '../layout'
import { any, cumsum } from '../reduce'
import { cumprod } from '../scans'
import { abs, floor, isnan } from '../unary'
import { log2 } from './math'
import { trunc } from './rounding'

/** Both operands of an integer-only function, promoted and broadcast; JAX's ValueError otherwise. */
const integers = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const [a, b] = coerceBroadcast(op, x, y)
  if (isFloat(a.dtype) || a.dtype === 'bool') throw new ValueError(`Arguments to jax.numpy.${op} must be integers.`)
  const shape = broadcastShapes(op, a.shape, b.shape)
  return [lax.broadcastTo(a, shape), lax.broadcastTo(b, shape)]
}

/**
 * Greatest common divisor of integers, element-wise with broadcasting (`gcd(0, 0) = 0`), by
 * Euclid's algorithm run as one `whileLoop` over the whole array (JAX's `jnp.gcd`).
 * @example
 * import { gcd, array } from 'wengert'
 * assert.deepStrictEqual(gcd(array([12, -18, 0, 7], { dtype: 'int32' }), 8).toArray(), [4, 2, 8, 1])
 * @category ops
 * @since 0.5.0
 */
export const gcd = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = integers('gcd', x, y)
  const zero = lax.scalarLike(0, a)
  const [g] = whileLoop(
    ([, q]: readonly [NdArray, NdArray]) => any(notEqual(q, zero)),
    ([p, q]: readonly [NdArray, NdArray]): readonly [NdArray, NdArray] => {
      const live = notEqual(q, zero)
      const safe = where(live, q, lax.scalarLike(1, q))
      // (p, q) → (q, p mod q) where q ≠ 0; finished entries stay
      return [where(live, q, p), where(live, remainder(p, safe), zero)]
    },
    [abs(a), abs(b)] as const,
  )
  return g
}

/**
 * Least common multiple of integers, element-wise with broadcasting (`|x·y| / gcd(x, y)`, 0 when
 * either is 0; JAX's `jnp.lcm`).
 * @example
 * import { lcm, array } from 'wengert'
 * assert.deepStrictEqual(lcm(array([4, -6, 0], { dtype: 'int32' }), 6).toArray(), [12, 6, 0])
 * @category ops
 * @since 0.5.0
 */
export const lcm = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = integers('lcm', x, y)
  const d = gcd(a, b)
  const zero = lax.scalarLike(0, d)
  return where(lax.eq(d, zero), zero, abs(mul(a, floorDivide(b, where(lax.eq(d, zero), lax.scalarLike(1, d), d)))))
}

/**
 * `x · 2ᵉ` for an integer exponent array `e` (JAX's `jnp.ldexp`); integer `x` computes in
 * float32. Differentiable in `x`.
 * @example
 * import { ldexp, array } from 'wengert'
 * assert.deepStrictEqual(ldexp(array([1.5, -3], { dtype: 'float64' }), array([3, -1], { dtype: 'int32' })).toArray(), [12, -1.5])
 * @category ops
 * @since 0.5.0
 */
export const ldexp = (x: ArrayLike, e: ArrayLike): NdArray => {
  const m = toFloat(asArray('ldexp', x))
  const ex = asArray('ldexp', e)
  if (isFloat(ex.dtype)) throw new ValueError(`ldexp not supported for input types (${m.dtype}, ${ex.dtype})`)
  return mul(m, pow(2, lax.cast(ex, m.dtype)))
}

/**
 * Mantissa and exponent with `x = m · 2ᵉ`, `0.5 ≤ |m| < 1` (JAX's `jnp.frexp`): `m` has `x`'s
 * float dtype (float32 for integers), `e` is int32; zero, ±∞ and NaN give `(x, 0)`.
 * @example
 * import { frexp, array } from 'wengert'
 * const [m, e] = frexp(array([8, 0.3, -5, 0], { dtype: 'float64' }))
 * assert.deepStrictEqual(e.toArray(), [4, -1, 3, 0])
 * assert.deepStrictEqual(m.toArray(), [0.5, 0.6, -0.625, 0])
 * @category ops
 * @since 0.5.0
 */
export const frexp = (x: ArrayLike): [NdArray, NdArray] => {
  const a = toFloat(asArray('frexp', x))
  const ax = abs(a)
  const plain = lax.or(lax.eq(ax, lax.scalarLike(0, ax)), lax.or(isnan(a), lax.eq(ax, lax.scalarLike(Infinity, ax))))
  const safe = where(plain, lax.scalarLike(1, ax), ax)
  // log2 may round across a power of two: one correction step each way brings |m| into [0.5, 1)
  let e = lax.addScalar(floor(log2(safe)), 1)
  const scaled = (k: NdArray): NdArray => {
    // 2^k as two halves, so that 2^1024 (x near the float64 maximum) does not overflow
    const h = floor(lax.mulScalar(k, 0.5))
    return mul(mul(a, pow(2, lax.neg(h))), pow(2, lax.neg(sub(k, h))))
  }
  let m = scaled(e)
  const big = lax.ge(abs(m), lax.scalarLike(1, m))
  e = where(big, lax.addScalar(e, 1), e)
  const small = less(abs(scaled(e)), 0.5)
  e = where(small, lax.addScalar(e, -1), e)
  m = scaled(e)
  return [where(plain, a, m), lax.cast(where(plain, lax.scalarLike(0, e), e), 'int32')]
}

/**
 * Fractional and integral parts, both with `x`'s sign (JAX's `jnp.modf`: `(x − trunc(x), trunc(x))`).
 * @example
 * import { modf, array } from 'wengert'
 * const [f, i] = modf(array([2.5, -1.25], { dtype: 'float64' }))
 * assert.deepStrictEqual([f.toArray(), i.toArray()], [[0.5, -0.25], [2, -1]])
 * @category ops
 * @since 0.5.0
 */
export const modf = (x: ArrayLike): [NdArray, NdArray] => {
  const a = toFloat(asArray('modf', x))
  const whole = trunc(a)
  return [sub(a, whole), whole]
}

/**
 * Floor quotient and remainder together (JAX's `jnp.divmod`: `(floorDivide(x, y), remainder(x, y))`).
 * @example
 * import { divmod, array } from 'wengert'
 * const [q, r] = divmod(array([7, -7], { dtype: 'int32' }), 3)
 * assert.deepStrictEqual([q.toArray(), r.toArray()], [[2, -3], [1, 2]])
 * @category ops
 * @since 0.5.0
 */
export const divmod = (x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => [floorDivide(x, y), remainder(x, y)]

/**
 * Element-wise maximum that ignores NaN: the other operand where one is NaN (JAX's `jnp.fmax`).
 * @example
 * import { fmax, array } from 'wengert'
 * assert.deepStrictEqual(fmax(array([1, NaN, 5]), array([NaN, 2, 3])).toArray(), [1, 2, 5])
 * @category ops
 * @since 0.5.0
 */
export const fmax = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('fmax', x, y)
  return where(lax.or(greater(a, b), isnan(b)), a, b)
}

/**
 * Element-wise minimum that ignores NaN: the other operand where one is NaN (JAX's `jnp.fmin`).
 * @example
 * import { fmin, array } from 'wengert'
 * assert.deepStrictEqual(fmin(array([1, NaN, 5]), array([NaN, 2, 3])).toArray(), [1, 2, 3])
 * @category ops
 * @since 0.5.0
 */
export const fmin = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('fmin', x, y)
  return where(lax.or(less(a, b), isnan(b)), a, b)
}

/**
 * Logical exclusive or of the truth values (JAX's `jnp.logical_xor`), bool.
 * @example
 * import { logicalXor, array } from 'wengert'
 * assert.deepStrictEqual(logicalXor(array([true, true, false]), array([1, 0, 0])).toArray(), [false, true, false])
 * @category ops
 * @since 0.5.0
 */
export const logicalXor = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('logicalXor', x, y)
  const truth = (v: NdArray): NdArray => (v.dtype === 'bool' ? v : notEqual(v, lax.scalarLike(0, v)))
  return notEqual(truth(a), truth(b))
}

/**
 * `xʸ` computed in floating point (JAX's `jnp.float_power`: the operands promoted to an inexact
 * dtype, float32 for integers, then `power`).
 * @example
 * import { floatPower, array } from 'wengert'
 * const r = floatPower(array([2, 4], { dtype: 'int32' }), -1)
 * assert.deepStrictEqual([r.dtype, r.toArray()], ['float32', [0.5, 0.25]])
 * @category ops
 * @since 0.5.0
 */
export const floatPower = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('floatPower', x, y)
  return pow(toFloat(a), toFloat(b))
}

/**
 * The next representable value after `x` towards `y`, element-wise (JAX's `jnp.nextafter`): the
 * operands promoted to one inexact dtype (float32 for integers), then broadcast. Subnormals are
 * returned as computed (`nextafter(0, 1)` is the smallest subnormal). Not differentiable.
 * @example
 * import { nextafter, array } from 'wengert'
 * assert.deepStrictEqual(nextafter(array([1, 1]), array([2, 0])).toArray(), [1 + 2 ** -23, 1 - 2 ** -24])
 * assert.strictEqual(nextafter(array(0, { dtype: 'float64' }), 1).item(), Number.MIN_VALUE)
 * @category ops
 * @since 0.5.0
 */
export const nextafter = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerceBroadcast('nextafter', x, y)
  return lax.nextafter(toFloat(a), toFloat(b))
}

/** Options of {@link cumulativeSum} and {@link cumulativeProd}. */
export interface CumulativeOptions {
  /** The axis to scan; optional only for 1-D input. */
  readonly axis?: number
  /** Accumulator and result dtype. */
  readonly dtype?: DType
  /** Start the result with the identity (0 or 1), so it is one longer along `axis`. @defaultValue false */
  readonly includeInitial?: boolean
}
const CUMULATIVE_KEYS: ReadonlyArray<keyof CumulativeOptions> = ['axis', 'dtype', 'includeInitial']

/** The shared body of the array-API scans. */
const cumulative = (
  op: 'cumulativeSum' | 'cumulativeProd',
  x: ArrayLike,
  options: number | CumulativeOptions | undefined,
): NdArray => {
  const opts = axisOptions(op, options, CUMULATIVE_KEYS) as CumulativeOptions
  const a = asArray(op, x)
  const what = op === 'cumulativeSum' ? 'sum' : 'product'
  if (a.ndim === 0)
    throw new ValueError(
      `The input must be non-scalar to take a cumulative ${what}, however a scalar value or scalar array was given.`,
    )
  if (opts.axis === undefined && a.ndim > 1)
    throw new ValueError(
      `The input array has rank ${a.ndim}, however axis was not set to an explicit value. The axis argument is only optional for one-dimensional arrays.`,
    )
  const axis = opts.axis ?? 0
  const scanOpts = opts.dtype === undefined ? { axis } : { axis, dtype: opts.dtype }
  const out = op === 'cumulativeSum' ? cumsum(a, scanOpts) : cumprod(a, scanOpts)
  if (opts.includeInitial !== true) return out
  const ax = axis < 0 ? axis + out.ndim : axis
  const shape = out.shape.map((d, k) => (k === ax ? 1 : d))
  const init = lax.broadcastTo(lax.scalarLike(op === 'cumulativeSum' ? 0 : 1, out), shape)
  return concat([init, out], ax)
}

/**
 * Cumulative sum along `axis` (the array API's `cumulative_sum`, JAX's `jnp.cumulative_sum`):
 * `axis` may be left out only for 1-D input; `includeInitial` prepends a 0.
 * @example
 * import { cumulativeSum, array } from 'wengert'
 * assert.deepStrictEqual(cumulativeSum(array([1, 2, 3])).toArray(), [1, 3, 6])
 * assert.deepStrictEqual(cumulativeSum(array([[1, 2], [3, 4]]), { axis: 1, includeInitial: true }).toArray(), [[0, 1, 3], [0, 3, 7]])
 * @category ops
 * @since 0.5.0
 */
export const cumulativeSum = (x: ArrayLike, options?: number | CumulativeOptions): NdArray =>
  cumulative('cumulativeSum', x, options)

/**
 * Cumulative product along `axis` (JAX's `jnp.cumulative_prod`): `axis` may be left out only for
 * 1-D input; `includeInitial` prepends a 1.
 * @example
 * import { cumulativeProd, array } from 'wengert'
 * assert.deepStrictEqual(cumulativeProd(array([1, 2, 3]), { includeInitial: true }).toArray(), [1, 1, 2, 6])
 * @category ops
 * @since 0.5.0
 */
export const cumulativeProd = (x: ArrayLike, options?: number | CumulativeOptions): NdArray =>
  cumulative('cumulativeProd', x, options)
