/**
 * More of `jax.scipy.stats`: chi2, pareto, vonmises, nbinom and gennorm, composed from the
 * special-function primitives (so differentiable in data and parameters). Re-exported by
 * `./stats`; the conventions are those of `./stats` (SciPy's argument order, −inf outside the
 * support).
 *
 * @category scipy
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { array } from '../../ndarray/create'
import { asFloat, type ArrayLike } from '../convert'
import { add, div, equal, greater, greaterEqual, logicalAnd, mul, pow, sub, where } from '../elementwise'
import { abs, cos, exp, log, log1p, neg, sign } from '../unary'
import { gammainc, gammaln, xlog1py, xlogy } from './special'

/** A float operand; a JS number stays weak (it takes the dtype of the arrays it meets). */
const F = (x: ArrayLike): ArrayLike => (typeof x === 'number' ? x : asFloat('scipy.stats', x))
/** A float array (a JS number becomes float32). */
const FA = (x: ArrayLike): NdArray => asFloat('scipy.stats', x)
/** A float array to combine with `like` (a JS number takes its dtype). */
const FL = (x: ArrayLike, like: NdArray): NdArray =>
  asFloat('scipy.stats', typeof x === 'number' ? array(x, { dtype: like.dtype }) : x)
/**
 * Two float arrays; a JS number takes the other operand's dtype (two numbers: float32), so a
 * number parameter next to float64 data is not rounded through float32.
 */
const pairUp = (a: ArrayLike, b: ArrayLike): [NdArray, NdArray] => {
  if (typeof a === 'number' && typeof b !== 'number') return [FL(a, FA(b)), FA(b)]
  const A = FA(a)
  return [A, FL(b, A)]
}
/** (x − loc)/scale. */
const std = (x: ArrayLike, loc: ArrayLike, scale: ArrayLike): NdArray => div(sub(F(x), loc), scale)
/** log(scale); a JS number stays a JS number. */
const logOf = (scale: ArrayLike): ArrayLike => (typeof scale === 'number' ? Math.log(scale) : log(F(scale)))
/** −inf where `ok` is false. */
const inSupport = (ok: NdArray, v: NdArray): NdArray => where(ok, v, -Infinity)
/** Two float arrays in one dtype (the wider). */
const sameDtype = (a: NdArray, b: NdArray): [NdArray, NdArray] => {
  const d = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32'
  return [lax.cast(a, d), lax.cast(b, d)]
}
/** z/2 clipped below at 0 and df/2, in one dtype, for the regularised incomplete gammas. */
const chi2Args = (x: ArrayLike, df: ArrayLike, loc: ArrayLike, scale: ArrayLike): [NdArray, NdArray] => {
  const z = std(x, loc, scale)
  const h = mul(where(greaterEqual(z, 0), z, 0), 0.5)
  return sameDtype(mul(FL(df, h), 0.5), h)
}

/**
 * The chi-squared distribution with df degrees of freedom (`jax.scipy.stats.chi2`): the gamma
 * distribution with shape df/2 and scale 2.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.chi2.cdf(2, 2).item()) - (1 - Math.exp(-1))) < 1e-6)
 * assert.strictEqual(Number(scipy.stats.chi2.logpdf(-1, 2).item()), -Infinity)
 * @category scipy @since 0.2.0
 */
export const chi2 = {
  logpdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    const k = mul(FL(df, z), 0.5)
    const v = sub(sub(sub(xlogy(sub(k, 1), z), mul(z, 0.5)), add(gammaln(k), mul(k, Math.LN2))), logOf(scale))
    return inSupport(greaterEqual(z, 0), v)
  },
  pdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    exp(chi2.logpdf(x, df, loc, scale)),
  cdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    lax.igamma(...chi2Args(x, df, loc, scale)),
  logcdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    log(chi2.cdf(x, df, loc, scale)),
  sf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    lax.igammac(...chi2Args(x, df, loc, scale)),
  logsf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    log(chi2.sf(x, df, loc, scale)),
}

/** z = (x − loc)/scale, whether z ≥ 1, and log z (0 outside the support, so gradients stay finite). */
const paretoZ = (x: ArrayLike, loc: ArrayLike, scale: ArrayLike): [NdArray, NdArray] => {
  const z = std(x, loc, scale)
  const ok = greaterEqual(z, 1)
  return [ok, log(where(ok, z, 1))]
}

/**
 * The Pareto distribution with shape b on z = (x − loc)/scale ≥ 1 (`jax.scipy.stats.pareto`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.pareto.cdf(2, 1).item()) - 0.5) < 1e-6)
 * assert.ok(Math.abs(Number(scipy.stats.pareto.ppf(0.75, 2).item()) - 2) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const pareto = {
  logpdf: (x: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const [ok, lz] = paretoZ(x, loc, scale)
    return inSupport(ok, sub(sub(logOf(b), mul(add(b, 1), lz)), logOf(scale)))
  },
  pdf: (x: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    exp(pareto.logpdf(x, b, loc, scale)),
  cdf: (x: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const [ok, lz] = paretoZ(x, loc, scale)
    return where(ok, neg(lax.expm1(mul(neg(F(b)), lz))), 0)
  },
  logcdf: (x: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    log(pareto.cdf(x, b, loc, scale)),
  sf: (x: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const [ok, lz] = paretoZ(x, loc, scale)
    return where(ok, exp(mul(neg(F(b)), lz)), 1)
  },
  logsf: (x: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const [ok, lz] = paretoZ(x, loc, scale)
    return where(ok, mul(neg(F(b)), lz), 0)
  },
  /** loc + scale·(1 − q)^(−1/b). */
  ppf: (q: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    add(mul(exp(div(neg(log1p(neg(F(q)))), b)), scale), loc),
}

/**
 * The von Mises distribution with concentration kappa (`jax.scipy.stats.vonmises`):
 * κ(cos x − 1) − log(2π·i0e(κ)). As JAX, x is not restricted to [−π, π] (the density is
 * periodic) and κ ≤ 0 gives NaN.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.vonmises.pdf(0, 1e-8).item()) - 1 / (2 * Math.PI)) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const vonmises = {
  logpdf: (x: ArrayLike, kappa: ArrayLike): NdArray => {
    const [xs, k] = pairUp(x, kappa)
    const v = sub(mul(k, sub(cos(xs), 1)), log(mul(lax.besselI0e(k), 2 * Math.PI)))
    return where(greater(k, 0), v, NaN)
  },
  pdf: (x: ArrayLike, kappa: ArrayLike): NdArray => exp(vonmises.logpdf(x, kappa)),
}

/** True where k is a non-negative integer. */
const isCount = (k: NdArray): NdArray => logicalAnd(greaterEqual(k, 0), equal(lax.floor(k), k))

/**
 * The negative binomial distribution: failures before the n-th success with success probability p
 * (`jax.scipy.stats.nbinom`); −inf off the non-negative integers, as SciPy.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.nbinom.pmf(0, 2, 0.5).item()) - 0.25) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const nbinom = {
  logpmf: (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NdArray => {
    const x = sub(F(k), loc)
    const [N, P] = [FL(n, x), FL(p, x)]
    const comb = sub(sub(gammaln(add(N, x)), gammaln(add(x, 1))), gammaln(N))
    return inSupport(isCount(x), add(add(comb, xlogy(N, P)), xlog1py(x, neg(P))))
  },
  pmf: (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NdArray => exp(nbinom.logpmf(k, n, p, loc)),
}

/**
 * The generalised normal distribution with shape β, density β/(2Γ(1/β))·exp(−|x|^β)
 * (`jax.scipy.stats.gennorm`, which has no loc or scale).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.gennorm.logpdf(0, 1).item()) + Math.LN2) < 1e-6)
 * assert.strictEqual(Number(scipy.stats.gennorm.cdf(0, 2).item()), 0.5)
 * @category scipy @since 0.2.0
 */
export const gennorm = {
  logpdf: (x: ArrayLike, beta: ArrayLike): NdArray => {
    const [xs, b] = pairUp(x, beta)
    return sub(sub(log(b), add(gammaln(div(1, b)), Math.LN2)), pow(abs(xs), b))
  },
  pdf: (x: ArrayLike, beta: ArrayLike): NdArray => exp(gennorm.logpdf(x, beta)),
  /** ½ + sign(x)·½·P(1/β, |x|^β). */
  cdf: (x: ArrayLike, beta: ArrayLike): NdArray => {
    const [xs, b] = pairUp(x, beta)
    return add(mul(mul(sign(xs), gammainc(div(1, b), pow(abs(xs), b))), 0.5), 0.5)
  },
}
