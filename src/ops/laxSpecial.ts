/**
 * `jax.lax` names whose computations the project already has (as scipy.special functions or
 * primitives), exported in lax's form: JAX's argument order, no promotion (two arrays must share
 * a float dtype; a JS number takes the array's), and `split`/`optimizationBarrier`.
 *
 * @category ops
 * @since 0.5.0
 */
import * as lax from '../core/lax'
import { isFloat } from '../ndarray/dtype'
import { DTypeError, ValueError } from '../ndarray/errors'
import { isNdArray, type NdArray } from '../ndarray/NdArray'
import { normalizeAxis } from '../ndarray/shape'
import * as tree from '../tree'
import { asArray, type ArrayLike } from './convert'
import { sameDtype } from './laxNamed'

/** JAX's refusal of a non-float operand. */
const requireFloat = (name: string, a: NdArray): NdArray => {
  if (!isFloat(a.dtype))
    throw new DTypeError(`${name} does not accept dtype ${a.dtype}. Accepted dtypes are subtypes of floating.`)
  return a
}

/** Two float operands of one dtype, broadcast-compatible (lax's rule). */
const floats2 = (name: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const [a, b] = sameDtype(name, x, y)
  return [requireFloat(name, a), requireFloat(name, b)]
}

/**
 * The regularised lower incomplete gamma P(a, x) (JAX's `lax.igamma`); differentiable in both.
 * @example
 * import { lax, array } from 'wengert'
 * // P(1, x) = 1 − e⁻ˣ
 * const p = lax.igamma(array(1, { dtype: 'float64' }), array(2, { dtype: 'float64' }))
 * assert.ok(Math.abs(Number(p.item()) - (1 - Math.exp(-2))) < 1e-12)
 * @category ops
 * @since 0.5.0
 */
export const igamma = (a: ArrayLike, x: ArrayLike): NdArray => lax.igamma(...floats2('igamma', a, x))

/**
 * The regularised upper incomplete gamma Q(a, x) = 1 − P(a, x) (JAX's `lax.igammac`).
 * @example
 * import { lax, array } from 'wengert'
 * const q = lax.igammac(array(1, { dtype: 'float64' }), 2)
 * assert.ok(Math.abs(Number(q.item()) - Math.exp(-2)) < 1e-12)
 * @category ops
 * @since 0.5.0
 */
export const igammac = (a: ArrayLike, x: ArrayLike): NdArray => lax.igammac(...floats2('igammac', a, x))

/**
 * ∂P(a, x)/∂a, the derivative of the regularised lower incomplete gamma in its first argument
 * (JAX's `lax.igamma_grad_a`); differentiable in `x` only, as JAX's.
 * @example
 * import { lax, array } from 'wengert'
 * // ∂P/∂a at (1, 1), as a central difference of SciPy's gammainc gives
 * const g = lax.igammaGradA(array(1, { dtype: 'float64' }), array(1, { dtype: 'float64' }))
 * assert.ok(Math.abs((g.item() as number) + 0.4317297) < 1e-6)
 * @category ops
 * @since 0.7.0
 */
export const igammaGradA = (a: ArrayLike, x: ArrayLike): NdArray => lax.igammaGradA(...floats2('igamma_grad_a', a, x))

/**
 * The implicit reparameterisation gradient dx/da of a Gamma(a, 1) sample x (JAX's
 * `lax.random_gamma_grad(a, x)`): −(∂P/∂a)/(∂P/∂x) at (a, x); differentiable in `x` only.
 * @example
 * import { lax, array } from 'wengert'
 * // −(∂P/∂a)/(∂P/∂x) at (1, 1), with ∂P/∂x = e⁻¹ there
 * const r = lax.randomGammaGrad(array(1, { dtype: 'float64' }), array(1, { dtype: 'float64' }))
 * assert.ok(Math.abs((r.item() as number) - 0.4317297 * Math.E) < 1e-6)
 * @category ops
 * @since 0.7.0
 */
export const randomGammaGrad = (a: ArrayLike, x: ArrayLike): NdArray =>
  lax.randomGammaGrad(...floats2('random_gamma_grad', a, x))

/**
 * ψ⁽ᵐ⁾(x), the m-th derivative of the digamma function (JAX's `lax.polygamma(m, x)`); `m` is a
 * non-negative integer (an array of orders is not supported: the order is a parameter here).
 * @example
 * import { lax, array } from 'wengert'
 * const t = lax.polygamma(1, array(1, { dtype: 'float64' }))
 * assert.ok(Math.abs(Number(t.item()) - Math.PI ** 2 / 6) < 1e-10)
 * @category ops
 * @since 0.5.0
 */
export const polygamma = (m: number, x: ArrayLike): NdArray => {
  if (isNdArray(m as unknown))
    throw new ValueError('lax.polygamma: an array of orders m is not supported; pass m as a number')
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 0)
    throw new ValueError(`lax.polygamma: m must be a non-negative integer, got ${String(m)}`)
  return lax.polygamma(requireFloat('polygamma', asArray('lax.polygamma', x)), m)
}

/**
 * The Hurwitz zeta ζ(x, q) (JAX's `lax.zeta`); differentiable in q.
 * @example
 * import { lax, array } from 'wengert'
 * const z = lax.zeta(array(2, { dtype: 'float64' }), 1)
 * assert.ok(Math.abs(Number(z.item()) - Math.PI ** 2 / 6) < 1e-10)
 * @category ops
 * @since 0.5.0
 */
export const zeta = (x: ArrayLike, q: ArrayLike): NdArray => lax.zeta(...floats2('zeta', x, q))

/**
 * e^−|x|·I₀(x), the exponentially scaled modified Bessel function of order 0 (JAX's
 * `lax.bessel_i0e`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.strictEqual(Number(lax.besselI0e(array(0, { dtype: 'float64' })).item()), 1)
 * @category ops
 * @since 0.5.0
 */
export const besselI0e = (x: ArrayLike): NdArray =>
  lax.besselI0e(requireFloat('bessel_i0e', asArray('lax.bessel_i0e', x)))

/**
 * e^−|x|·I₁(x), the exponentially scaled modified Bessel function of order 1 (JAX's
 * `lax.bessel_i1e`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.strictEqual(Number(lax.besselI1e(array(0, { dtype: 'float64' })).item()), 0)
 * @category ops
 * @since 0.5.0
 */
export const besselI1e = (x: ArrayLike): NdArray =>
  lax.besselI1e(requireFloat('bessel_i1e', asArray('lax.bessel_i1e', x)))

/**
 * The regularised incomplete beta I_x(a, b) (JAX's `lax.betainc(a, b, x)`): the three share a
 * float dtype and broadcast; differentiable in x.
 * @example
 * import { lax, array } from 'wengert'
 * // I_x(1, b) = 1 − (1 − x)ᵇ
 * const v = lax.betainc(1, 3, array(0.5, { dtype: 'float64' }))
 * assert.ok(Math.abs(Number(v.item()) - 0.875) < 1e-12)
 * @category ops
 * @since 0.5.0
 */
export const betainc = (a: ArrayLike, b: ArrayLike, x: ArrayLike): NdArray => {
  const arrays = [a, b, x].filter(isNdArray)
  const dts = [...new Set(arrays.map((t) => t.dtype))]
  if (dts.length > 1)
    throw new DTypeError(
      `lax.regularized_incomplete_beta requires arguments to have the same dtypes, got ${dts.join(', ')}`,
    )
  const like = arrays[0]?.dtype
  const [a1, b1, x1] = [a, b, x].map((v) =>
    requireFloat('regularized_incomplete_beta', asArray('lax.betainc', v, like)),
  ) as [NdArray, NdArray, NdArray]
  sameDtype('betainc', a1, x1)
  sameDtype('betainc', b1, x1)
  sameDtype('betainc', a1, b1)
  return lax.betainc(a1, b1, x1)
}

/**
 * Its argument, unchanged (JAX's `lax.optimization_barrier`): a pytree is returned as given, with
 * identity gradients. JAX uses it to stop the compiler moving computations across it; this
 * project's jit does not reorder across calls, so nothing more is needed.
 * @example
 * import { lax, array } from 'wengert'
 * const t = { a: array([1, 2]), n: 3 }
 * assert.strictEqual(lax.optimizationBarrier(t).n, 3)
 * @category ops
 * @since 0.5.0
 */
export const optimizationBarrier = <T>(operand: T): T => {
  tree.leaves(operand).forEach((l) => {
    if (!isNdArray(l) && typeof l !== 'number' && typeof l !== 'boolean')
      throw new DTypeError(`lax.optimization_barrier: leaves must be arrays or numbers, got ${typeof l}`)
  })
  return operand
}

/**
 * The next representable value after `x` towards `y` (JAX's `lax.nextafter`): two float
 * operands of one dtype (a JS number takes the array's), broadcast. Not differentiable.
 * @example
 * import { lax, array } from 'wengert'
 * assert.strictEqual(lax.nextafter(array(1, { dtype: 'float64' }), 2).item(), 1 + 2 ** -52)
 * @category ops
 * @since 0.5.0
 */
export const nextafter = (x: ArrayLike, y: ArrayLike): NdArray => lax.nextafter(...floats2('nextafter', x, y))

/** A non-negative integer bit count of reduce_precision, or the op's TypeError/ValueError. */
const bitCount = (name: string, v: number, min: number): number => {
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new TypeError(`${name} argument of lax.reduce_precision must be an integer, got ${String(v)}`)
  if (v < min) throw new ValueError(`lax.reduce_precision: ${name} must be at least ${min}, got ${v}`)
  return v
}

/**
 * `operand` rounded to a float format with `exponentBits` exponent and `mantissaBits` mantissa
 * bits and stored back in its own dtype (JAX's `lax.reduce_precision`, XLA's ReducePrecision):
 * the mantissa rounds to nearest, ties to even; values beyond the format's range become ±∞ and
 * values below its smallest normal ±0; NaN stays NaN (becomes +∞ with no mantissa bits).
 * `(5, 10)` emulates float16 and `(8, 7)` bfloat16 without their subnormals. Tangents and
 * cotangents are rounded the same way.
 * @example
 * import { lax, array } from 'wengert'
 * const x = array([1 + 2 ** -11, 1 + 3 * 2 ** -11, 70000, 1e-6], { dtype: 'float64' })
 * assert.deepStrictEqual(lax.reducePrecision(x, 5, 10).toArray(), [1, 1 + 2 ** -9, Infinity, 0])
 * @category ops
 * @since 0.5.0
 */
export const reducePrecision = (operand: ArrayLike, exponentBits: number, mantissaBits: number): NdArray => {
  const e = bitCount('exponent_bits', exponentBits, 1)
  const m = bitCount('mantissa_bits', mantissaBits, 0)
  return lax.reducePrecision(requireFloat('reduce_precision', asArray('lax.reduce_precision', operand)), e, m)
}

/**
 * Splits an array along `axis` into pieces of the given `sizes` (JAX's `lax.split`): the sizes
 * are non-negative and sum to the axis' length.
 * @example
 * import { lax, arange } from 'wengert'
 * assert.deepStrictEqual(lax.split(arange(6), [1, 3, 2]).map((p) => p.toArray()), [[0], [1, 2, 3], [4, 5]])
 * @category ops
 * @since 0.5.0
 */
export const split = (operand: ArrayLike, sizes: ReadonlyArray<number>, axis = 0): NdArray[] => {
  const a = asArray('lax.split', operand)
  if (!Array.isArray(sizes) || sizes.some((s) => !Number.isInteger(s)))
    throw new ValueError(`lax.split: sizes must be a sequence of integers, got ${String(sizes)}`)
  if (sizes.some((s) => s < 0))
    throw new ValueError(`Sizes passed to split must be nonnegative, got [${sizes.join(', ')}]`)
  const ax = normalizeAxis('lax.split', axis, a.ndim)
  const total = sizes.reduce((s, v) => s + v, 0)
  if (total !== a.shape[ax])
    throw new ValueError(
      `Sum of sizes ${total} must be equal to dimension ${ax} of the operand shape [${a.shape.join(', ')}]`,
    )
  let start = 0
  return sizes.map((s) => {
    const lo = a.shape.map((_, i) => (i === ax ? start : 0))
    const hi = a.shape.map((n, i) => (i === ax ? start + s : n))
    start += s
    return lax.slice(
      a,
      lo,
      hi,
      a.shape.map(() => 1),
    )
  })
}
