/**
 * More of `jax.scipy.special`: Γ, its sign, the beta function, poch and factorial, the unscaled Bessel functions i0 and i1, softmax
 * and logSoftmax over axes, multigammaln, relEntr and klDiv. Each is a composite of the
 * special-function primitives, so its derivatives come from theirs. Re-exported by `./special`.
 *
 * @category scipy
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxes } from '../../ndarray/shape'
import { asFloat, coerceBroadcast, type ArrayLike } from '../convert'
import { abs, exp, log } from '../unary'
import { add, div, equal, greater, greaterEqual, less, lessEqual, logicalAnd, mul, sub, where } from '../elementwise'
import { max, sum } from '../reduce'

const f1 = (op: string, x: ArrayLike): NdArray => asFloat(`scipy.special.${op}`, x)
/** Two float operands broadcast together; a JS number takes the other operand's dtype. */
const f2 = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const name = `scipy.special.${op}`
  const weak = (v: ArrayLike): ArrayLike => (typeof v === 'number' ? v : asFloat(name, v))
  const [a, b] = coerceBroadcast(name, weak(x), weak(y))
  return [a, b]
}

/** True where x is a non-positive integer (a pole of Γ). */
const isPole = (x: NdArray): NdArray => logicalAnd(lessEqual(x, 0), equal(lax.floor(x), x))

/** The sign of Γ(a): 1 for a > 0, ±1 alternating on the negative intervals, 0 at the poles. */
const signOfGamma = (a: NdArray): NdArray => {
  const fl = lax.floor(a)
  const odd = greater(abs(sub(fl, mul(lax.floor(mul(fl, 0.5)), 2))), 0.5)
  const sgn = where(logicalAnd(less(a, 0), odd), -1, 1)
  return where(lax.isNan(a), a, where(isPole(a), 0, sgn))
}

/**
 * The sign of Γ(x): 1 for x > 0, −1 on the intervals (−2k−1, −2k), 1 on (−2k−2, −2k−1), 0 at the
 * poles (0, −1, −2, …) and NaN for NaN, as SciPy 1.10. Piecewise constant: its derivative is 0.
 * @example
 * import { scipy, array } from 'wengert'
 * assert.deepStrictEqual(scipy.special.gammasgn(array([2, -0.5, -1.5, -1])).toArray(), [1, -1, 1, 0])
 * @category scipy @since 0.2.0
 */
export const gammasgn = (x: ArrayLike): NdArray => signOfGamma(lax.stopGradient(f1('gammasgn', x)))

/**
 * Γ(x) = sign(Γ(x))·exp(gammaln(x)); the sign is −1 on the intervals (−2k−1, −2k). At the poles
 * (0, −1, −2, …) the value is +inf, as SciPy 1.10.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.gamma(5).item()) - 24) < 1e-4)
 * assert.ok(Math.abs(Number(scipy.special.gamma(-0.5).item()) + 2 * Math.sqrt(Math.PI)) < 1e-5)
 * @category scipy @since 0.2.0
 */
export const gamma = (x: ArrayLike): NdArray => {
  const a = f1('gamma', x)
  return where(isPole(a), Infinity, mul(signOfGamma(lax.stopGradient(a)), exp(lax.lgamma(a))))
}

/**
 * The beta function B(a, b) = Γ(a)Γ(b)/Γ(a + b), as the product of the three gamma signs and
 * exp(log|B(a, b)|).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.beta(2, 3).item()) - 1 / 12) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const beta = (a: ArrayLike, b: ArrayLike): NdArray => {
  const [x, y] = f2('beta', a, b)
  const s = add(x, y)
  const sgn = mul(
    mul(signOfGamma(lax.stopGradient(x)), signOfGamma(lax.stopGradient(y))),
    signOfGamma(lax.stopGradient(s)),
  )
  return mul(sgn, exp(sub(add(lax.lgamma(x), lax.lgamma(y)), lax.lgamma(s))))
}

/**
 * The Pochhammer symbol (rising factorial) (z)ₘ = Γ(z + m)/Γ(z), as the product of the gamma
 * signs and exp(gammaln(z + m) − gammaln(z)); 1 for m = 0. Where z or z + m is a pole of Γ the
 * quotient is not formed (the result is NaN or 0), where SciPy takes the limit.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.poch(3, 2).item()) - 12) < 1e-4)
 * @category scipy @since 0.2.0
 */
export const poch = (z: ArrayLike, m: ArrayLike): NdArray => {
  const [x, n] = f2('poch', z, m)
  const s = add(x, n)
  const sgn = mul(signOfGamma(lax.stopGradient(s)), signOfGamma(lax.stopGradient(x)))
  return where(equal(n, 0), 1, mul(sgn, exp(sub(lax.lgamma(s), lax.lgamma(x)))))
}

/**
 * n! = Γ(n + 1) in floating point, 0 for n < 0 (JAX: `factorial(n, exact=False)`). JAX has no
 * exact (integer) form: `exact: true` raises.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.factorial(4).item()) - 24) < 1e-4)
 * assert.strictEqual(Number(scipy.special.factorial(-1).item()), 0)
 * @category scipy @since 0.2.0
 */
export const factorial = (n: ArrayLike, exact = false): NdArray => {
  if (exact) throw new ValueError('scipy.special.factorial: exact=true is not supported (JAX has only exact=False)')
  const a = f1('factorial', n)
  return where(less(a, 0), 0, exp(lax.lgamma(add(a, 1))))
}

/**
 * The modified Bessel function of the first kind of order 0, I₀(x) = e^|x|·i0e(x).
 * @example
 * import { scipy } from 'wengert'
 * assert.strictEqual(Number(scipy.special.i0(0).item()), 1)
 * @category scipy @since 0.2.0
 */
export const i0 = (x: ArrayLike): NdArray => {
  const a = f1('i0', x)
  return mul(exp(abs(a)), lax.besselI0e(a))
}

/**
 * The modified Bessel function of the first kind of order 1, I₁(x) = e^|x|·i1e(x).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.i1(1).item()) - 0.5651591) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const i1 = (x: ArrayLike): NdArray => {
  const a = f1('i1', x)
  return mul(exp(abs(a)), lax.besselI1e(a))
}

/** Options of {@link softmax} and {@link logSoftmax}. @category scipy @since 0.2.0 */
export interface SpecialSoftmaxOptions {
  /** Axis or axes to normalise over (default all: JAX's `axis=None`). */
  readonly axis?: number | ReadonlyArray<number>
}

/** The float input, its axes and x − stopGradient(max x) over them. */
const shiftedIn = (op: string, x: ArrayLike, opts: SpecialSoftmaxOptions | undefined): [NdArray, number[]] => {
  const o = checkOptions(`scipy.special.${op}`, opts, ['axis'])
  const a = f1(op, x)
  const axes = normalizeAxes(`scipy.special.${op}`, o.axis, a.ndim)
  return [sub(a, lax.stopGradient(max(a, { axis: axes, keepdims: true }))), axes]
}

/**
 * eˣ / Σ eˣ over `axis` (all axes by default), computed after subtracting the maximum (JAX:
 * `jax.scipy.special.softmax(x, *, axis=None)`).
 * @example
 * import { scipy, array } from 'wengert'
 * const p = scipy.special.softmax(array([[1000, 1000], [1000, 1000]]))
 * assert.deepStrictEqual(p.toArray(), [[0.25, 0.25], [0.25, 0.25]])
 * assert.deepStrictEqual(scipy.special.softmax(array([[0, 0]]), { axis: 1 }).toArray(), [[0.5, 0.5]])
 * @category scipy @since 0.2.0
 */
export const softmax = (x: ArrayLike, opts?: SpecialSoftmaxOptions): NdArray => {
  const [s, axes] = shiftedIn('softmax', x, opts)
  const e = exp(s)
  return div(e, sum(e, { axis: axes, keepdims: true }))
}

/**
 * x − log Σ eˣ over `axis` (all axes by default; JAX: `jax.scipy.special.log_softmax`).
 * @example
 * import { scipy, array } from 'wengert'
 * const l = scipy.special.logSoftmax(array([5000, 5000]))
 * assert.ok(Math.abs((l.toArray() as number[])[0]! + Math.LN2) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const logSoftmax = (x: ArrayLike, opts?: SpecialSoftmaxOptions): NdArray => {
  const [s, axes] = shiftedIn('logSoftmax', x, opts)
  return sub(s, log(sum(exp(s), { axis: axes, keepdims: true })))
}

/**
 * The log of the multivariate gamma function of dimension d:
 * d(d−1)/4·log π + Σ_{j=0}^{d−1} gammaln(a − j/2). Like JAX, a is not checked against (d−1)/2.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.multigammaln(3, 1).item()) - Math.log(2)) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const multigammaln = (a: ArrayLike, d: number): NdArray => {
  if (!Number.isInteger(d) || d < 1)
    throw new ValueError(`scipy.special.multigammaln: d must be a positive integer, got ${d}`)
  const x = f1('multigammaln', a)
  let out = lax.lgamma(x)
  for (let j = 1; j < d; j++) out = add(out, lax.lgamma(sub(x, j / 2)))
  return add(out, ((d * (d - 1)) / 4) * Math.log(Math.PI))
}

/**
 * Elementwise relative entropy: p·log(p/q) for p, q > 0; 0 for p = 0 ≤ q; +inf otherwise.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.relEntr(1, 2).item()) + Math.LN2) < 1e-6)
 * assert.strictEqual(Number(scipy.special.relEntr(1, 0).item()), Infinity)
 * @category scipy @since 0.2.0
 */
export const relEntr = (p: ArrayLike, q: ArrayLike): NdArray => {
  const [x, y] = f2('relEntr', p, q)
  const both = logicalAnd(greater(x, 0), greater(y, 0))
  const safeX = where(both, x, 1)
  const v = mul(safeX, log(div(safeX, where(both, y, 1))))
  return where(both, v, where(logicalAnd(equal(x, 0), greaterEqual(y, 0)), 0, Infinity))
}

/**
 * Elementwise Kullback–Leibler divergence term: p·log(p/q) − p + q for p, q > 0; q for
 * p = 0 ≤ q; +inf otherwise.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.klDiv(1, 2).item()) - (1 - Math.LN2)) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const klDiv = (p: ArrayLike, q: ArrayLike): NdArray => {
  const [x, y] = f2('klDiv', p, q)
  const both = logicalAnd(greater(x, 0), greater(y, 0))
  const r = relEntr(x, y)
  return where(both, add(sub(r, x), y), where(logicalAnd(equal(x, 0), greaterEqual(y, 0)), y, Infinity))
}
