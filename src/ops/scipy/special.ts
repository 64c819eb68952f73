/**
 * `scipy.special` as JAX has it (`jax.scipy.special`, camelCase): each function is a primitive
 * with closed-form derivative rules (src/core/primitives/special.ts) or a short composite of
 * them, evaluated by float64 kernels accurate to about 1e-15 (src/ndarray/kernels/special.ts).
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
import { abs, log, sign } from '../unary'
import { add, mul, sub } from '../elementwise'
import { max, sum } from '../reduce'

const f1 = (op: string, x: ArrayLike): NdArray => asFloat(`scipy.special.${op}`, x)
/**
 * Two float operands: a JS number stays weak (it takes the other operand's dtype, so `0.7` next to
 * a float64 array is the float64 0.7, not float32's 0.699999988…), arrays become float.
 */
const f2 = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const name = `scipy.special.${op}`
  const weak = (v: ArrayLike): ArrayLike => (typeof v === 'number' ? v : asFloat(name, v))
  const [a, b] = coerceBroadcast(name, weak(x), weak(y))
  return [a, b]
}

/**
 * log|Γ(x)|.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.gammaln(5).item()) - Math.log(24)) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const gammaln = (x: ArrayLike): NdArray => lax.lgamma(f1('gammaln', x))

/**
 * ψ(x) = d/dx log Γ(x).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.digamma(1).item()) + 0.5772157) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const digamma = (x: ArrayLike): NdArray => lax.digamma(f1('digamma', x))

/**
 * ψ⁽ⁿ⁾(x), for a non-negative integer order n.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.polygamma(1, 1).item()) - Math.PI ** 2 / 6) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const polygamma = (n: number, x: ArrayLike): NdArray => {
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError(`scipy.special.polygamma: n must be a non-negative integer, got ${n}`)
  return lax.polygamma(f1('polygamma', x), n)
}

/**
 * log|B(a, b)| = gammaln(a) + gammaln(b) − gammaln(a + b).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.betaln(2, 3).item()) - Math.log(1 / 12)) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const betaln = (a: ArrayLike, b: ArrayLike): NdArray => {
  const [x, y] = f2('betaln', a, b)
  return lax.sub(lax.add(lax.lgamma(x), lax.lgamma(y)), lax.lgamma(lax.add(x, y)))
}

/**
 * The error function.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.erf(1).item()) - 0.8427008) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const erf = (x: ArrayLike): NdArray => lax.erf(f1('erf', x))

/**
 * 1 − erf(x), accurate in the upper tail.
 * @example
 * import { scipy, array } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.erfc(array(10, { dtype: 'float64' })).item()) / 2.088487583762545e-45 - 1) < 1e-14)
 * @category scipy @since 0.2.0
 */
export const erfc = (x: ArrayLike): NdArray => lax.erfc(f1('erfc', x))

/**
 * The inverse error function on (−1, 1).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.erfinv(0.5).item()) - 0.4769363) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const erfinv = (x: ArrayLike): NdArray => lax.erfInv(f1('erfinv', x))

/**
 * The standard normal CDF Φ(x) = erfc(−x/√2)/2.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.ndtr(0).item()) - 0.5) < 1e-7)
 * @category scipy @since 0.2.0
 */
export const ndtr = (x: ArrayLike): NdArray => lax.mulScalar(lax.erfc(lax.mulScalar(f1('ndtr', x), -Math.SQRT1_2)), 0.5)

/**
 * The standard normal quantile Φ⁻¹(p).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.ndtri(0.975).item()) - 1.959964) < 1e-5)
 * @category scipy @since 0.2.0
 */
export const ndtri = (p: ArrayLike): NdArray => lax.ndtri(f1('ndtri', p))

/**
 * log Φ(x), accurate far into both tails (JAX: `log_ndtr`).
 * @example
 * import { scipy, array } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.logNdtr(array(-40, { dtype: 'float64' })).item()) + 804.6084420137538) < 1e-9)
 * @category scipy @since 0.2.0
 */
export const logNdtr = (x: ArrayLike): NdArray => lax.logNdtr(f1('logNdtr', x))

/**
 * log(p/(1 − p)).
 * @example
 * import { scipy } from 'wengert'
 * assert.strictEqual(Number(scipy.special.logit(0.5).item()), 0)
 * @category scipy @since 0.2.0
 */
export const logit = (p: ArrayLike): NdArray => lax.logit(f1('logit', p))

/**
 * The logistic sigmoid 1/(1 + e⁻ˣ).
 * @example
 * import { scipy } from 'wengert'
 * assert.strictEqual(Number(scipy.special.expit(0).item()), 0.5)
 * @category scipy @since 0.2.0
 */
export const expit = (x: ArrayLike): NdArray => lax.logistic(f1('expit', x))

/**
 * x·log y, 0 where x = 0.
 * @example
 * import { scipy } from 'wengert'
 * assert.strictEqual(Number(scipy.special.xlogy(0, 0).item()), 0)
 * @category scipy @since 0.2.0
 */
export const xlogy = (x: ArrayLike, y: ArrayLike): NdArray => lax.xlogy(...f2('xlogy', x, y))

/**
 * x·log(1 + y), 0 where x = 0.
 * @example
 * import { scipy } from 'wengert'
 * assert.strictEqual(Number(scipy.special.xlog1py(0, -1).item()), 0)
 * @category scipy @since 0.2.0
 */
export const xlog1py = (x: ArrayLike, y: ArrayLike): NdArray => lax.xlog1py(...f2('xlog1py', x, y))

/**
 * The entropy term −x·log x (0 at 0, −inf below).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.entr(0.5).item()) - 0.5 * Math.LN2) < 1e-7)
 * @category scipy @since 0.2.0
 */
export const entr = (x: ArrayLike): NdArray => lax.entr(f1('entr', x))

/**
 * e^(−|x|)·I₀(x), the exponentially scaled modified Bessel function of order 0.
 * @example
 * import { scipy } from 'wengert'
 * assert.strictEqual(Number(scipy.special.i0e(0).item()), 1)
 * @category scipy @since 0.2.0
 */
export const i0e = (x: ArrayLike): NdArray => lax.besselI0e(f1('i0e', x))

/**
 * e^(−|x|)·I₁(x), the exponentially scaled modified Bessel function of order 1.
 * @example
 * import { scipy } from 'wengert'
 * assert.strictEqual(Number(scipy.special.i1e(0).item()), 0)
 * @category scipy @since 0.2.0
 */
export const i1e = (x: ArrayLike): NdArray => lax.besselI1e(f1('i1e', x))

/**
 * The regularised lower incomplete gamma function P(a, x); differentiable in both.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.gammainc(1, 2).item()) - (1 - Math.exp(-2))) < 1e-7)
 * @category scipy @since 0.2.0
 */
export const gammainc = (a: ArrayLike, x: ArrayLike): NdArray => lax.igamma(...f2('gammainc', a, x))

/**
 * The regularised incomplete beta function I_x(a, b) = B(x; a, b)/B(a, b) (JAX:
 * `jax.scipy.special.betainc(a, b, x)`; inputs broadcast): differentiable in x (the beta
 * density); differentiating in a or b raises NotDifferentiableError, as JAX does.
 * @example
 * import { scipy, grad, array, type NdArray } from 'wengert'
 * // I_x(1, b) = 1 − (1 − x)ᵇ
 * assert.ok(Math.abs(Number(scipy.special.betainc(1, 3, 0.5).item()) - 0.875) < 1e-7)
 * const d = grad((x: NdArray) => scipy.special.betainc(2, 2, x))(array(0.5, { dtype: 'float64' }))
 * assert.ok(Math.abs(Number(d.item()) - 1.5) < 1e-12)
 * @category scipy @since 0.2.0
 */
export const betainc = (a: ArrayLike, b: ArrayLike, x: ArrayLike): NdArray => {
  // one dtype for the three (JS numbers take the arrays' dtype, as weak scalars), then float
  const op = 'scipy.special.betainc'
  const [a1, x1] = coerceBroadcast(op, a, x)
  const [b1, x2] = coerceBroadcast(op, b, x1)
  const [a2, b2] = coerceBroadcast(op, a1, b1)
  const [x3] = coerceBroadcast(op, x2, a2)
  return lax.betainc(asFloat(op, a2), asFloat(op, b2), asFloat(op, x3))
}

/**
 * The regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.gammaincc(1, 2).item()) - Math.exp(-2)) < 1e-7)
 * @category scipy @since 0.2.0
 */
export const gammaincc = (a: ArrayLike, x: ArrayLike): NdArray => lax.igammac(...f2('gammaincc', a, x))

/**
 * The Hurwitz zeta function ζ(x, q) (Riemann's for q = 1); differentiable in q only, as JAX.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.zeta(2, 1).item()) - Math.PI ** 2 / 6) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const zeta = (x: ArrayLike, q: ArrayLike = 1): NdArray => lax.zeta(...f2('zeta', x, q))

/** Options of {@link logsumexp}. @category scipy @since 0.2.0 */
export interface LogsumexpOptions {
  /** Axes to reduce (default all). */
  readonly axis?: number | ReadonlyArray<number>
  /** Weights: log Σ b·eᵃ (default 1). */
  readonly b?: ArrayLike
  /** Keep the reduced axes with length 1. */
  readonly keepdims?: boolean
  /** Return [log|Σ b·eᵃ|, sign] instead of NaN for a negative sum. */
  readonly returnSign?: boolean
}

/**
 * log Σ b·eᵃ over axes, without overflow (JAX: `jax.scipy.special.logsumexp` with `b`,
 * `return_sign`, `axis`, `keepdims`). With `returnSign`, returns [log|s|, sign(s)].
 * @example
 * import { scipy, array } from 'wengert'
 * const a = array([1000, 1000], { dtype: 'float64' })
 * assert.ok(Math.abs(Number(scipy.special.logsumexp(a).item()) - (1000 + Math.LN2)) < 1e-9)
 * const [v, s] = scipy.special.logsumexp(a, { b: array([1, -2], { dtype: 'float64' }), returnSign: true })
 * assert.deepStrictEqual([Number(v.item()), Number(s.item())], [1000, -1])
 * @category scipy @since 0.2.0
 */
export function logsumexp(
  a: ArrayLike,
  opts: LogsumexpOptions & { readonly returnSign: true },
): readonly [NdArray, NdArray]
export function logsumexp(a: ArrayLike, opts?: LogsumexpOptions): NdArray
export function logsumexp(a: ArrayLike, opts?: LogsumexpOptions): NdArray | readonly [NdArray, NdArray] {
  const o = checkOptions('scipy.special.logsumexp', opts, ['axis', 'b', 'keepdims', 'returnSign'])
  let x = f1('logsumexp', a)
  let w: NdArray | undefined
  if (o.b !== undefined) [x, w] = coerceBroadcast('scipy.special.logsumexp', x, asFloat('logsumexp', o.b))
  const axes = normalizeAxes('scipy.special.logsumexp', o.axis, x.ndim)
  const m = lax.stopGradient(max(x, { axis: axes, keepdims: true }))
  const safe = lax.select(lax.isFinite(m), m, lax.scalarLike(0, m))
  const e = lax.exp(sub(x, safe))
  const s = sum(w === undefined ? e : mul(w, e), { axis: axes, keepdims: true })
  const out = add(log(abs(s)), safe)
  const squeeze = (v: NdArray): NdArray => (o.keepdims === true ? v : sum(v, { axis: axes }))
  if (o.returnSign === true) return [squeeze(out), squeeze(sign(s))]
  // a negative sum has no real logarithm: NaN, as SciPy
  return squeeze(lax.select(lax.lt(s, lax.scalarLike(0, s)), lax.scalarLike(NaN, out), out))
}
export * from './specialMore'
export * from './specialExpint'
export * from './specialDilog'
export * from './specialHyp'
export * from './specialHyp2f1'
export * from './specialFresnel'
export * from './specialLegendre'
export * from './specialBernoulli'
