/**
 * `scipy.stats` as JAX has it (`jax.scipy.stats`, camelCase): log-densities, densities, CDFs and
 * quantiles composed from the special-function primitives, so they are differentiable in the
 * data and the parameters. Arguments follow SciPy's order (`x, loc = 0, scale = 1`, shape
 * parameters before loc); outside the support log-densities are −inf, as JAX.
 *
 * @category scipy
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import type { ArrayLike } from '../convert'
import { add, clip, div, greaterEqual, less, lessEqual, logicalAnd, mul, sub, where } from '../elementwise'
import { exp, log, log1p, neg, square, abs, tan, atan } from '../unary'
import { sum } from '../reduce'
import { cholesky } from '../linalg/decompositions'
import { slogdet, solveTriangular } from '../linalg/solve'
import { betainc, betaln, gammaln, logNdtr, ndtr, ndtri, xlog1py, xlogy } from './special'
import { F, FA, FL, inSupport, sameShape } from './statsCommon'

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)
/** (x − loc)/scale. */
const std = (x: ArrayLike, loc: ArrayLike, scale: ArrayLike): NdArray => div(sub(F(x), loc), scale)
/**
 * log(scale) + c; a JS number stays a JS number (a weak scalar), so float64 data are not
 * rounded through a float32 constant.
 */
const logPlus = (scale: ArrayLike, c = 0): ArrayLike =>
  typeof scale === 'number' ? Math.log(scale) + c : add(log(F(scale)), c)

/**
 * The normal distribution (`jax.scipy.stats.norm`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.norm.logpdf(0).item()) + 0.9189385) < 1e-6)
 * assert.ok(Math.abs(Number(scipy.stats.norm.ppf(0.975).item()) - 1.959964) < 1e-5)
 * @category scipy @since 0.2.0
 */
export const norm = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    sub(mul(square(std(x, loc, scale)), -0.5), logPlus(scale, LOG_SQRT_2PI)),
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => exp(norm.logpdf(x, loc, scale)),
  cdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => ndtr(std(x, loc, scale)),
  logcdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => logNdtr(std(x, loc, scale)),
  sf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => ndtr(neg(std(x, loc, scale))),
  logsf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => logNdtr(neg(std(x, loc, scale))),
  ppf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => add(mul(ndtri(q), scale), loc),
  isf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => sub(loc, mul(ndtri(q), scale)),
}

/**
 * The exponential distribution (`jax.scipy.stats.expon`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.expon.cdf(1).item()) - (1 - Math.exp(-1))) < 1e-6)
 * assert.strictEqual(Number(scipy.stats.expon.logpdf(-1).item()), -Infinity)
 * @category scipy @since 0.2.0
 */
export const expon = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    return inSupport(greaterEqual(z, 0), sub(neg(z), logPlus(scale)))
  },
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => exp(expon.logpdf(x, loc, scale)),
  cdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    return where(greaterEqual(z, 0), neg(lax.expm1(neg(z))), 0)
  },
  sf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    return where(greaterEqual(z, 0), exp(neg(z)), 1)
  },
  ppf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => add(mul(neg(log1p(neg(F(q)))), scale), loc),
  isf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => sub(loc, mul(log(F(q)), scale)),
  logcdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => log(expon.cdf(x, loc, scale)),
  logsf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    return where(greaterEqual(z, 0), neg(z), 0)
  },
}

/**
 * The Laplace distribution (`jax.scipy.stats.laplace`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.laplace.logpdf(0).item()) + Math.LN2) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const laplace = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    sub(neg(abs(std(x, loc, scale))), logPlus(scale, Math.LN2)),
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => exp(laplace.logpdf(x, loc, scale)),
  cdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    return where(less(z, 0), mul(exp(z), 0.5), sub(1, mul(exp(neg(z)), 0.5)))
  },
}

/**
 * The logistic distribution (`jax.scipy.stats.logistic`).
 * @example
 * import { scipy } from 'wengert'
 * assert.strictEqual(Number(scipy.stats.logistic.cdf(0).item()), 0.5)
 * @category scipy @since 0.2.0
 */
export const logistic = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    // −|z| − 2·log1p(e^(−|z|)) − log scale (symmetric, no overflow)
    const a = abs(z)
    return sub(sub(neg(a), mul(log1p(exp(neg(a))), 2)), logPlus(scale))
  },
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => exp(logistic.logpdf(x, loc, scale)),
  cdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => lax.logistic(std(x, loc, scale)),
  sf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => lax.logistic(neg(std(x, loc, scale))),
  ppf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => add(mul(lax.logit(FA(q)), scale), loc),
  isf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => sub(loc, mul(lax.logit(FA(q)), scale)),
}

/**
 * The Cauchy distribution (`jax.scipy.stats.cauchy`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.cauchy.pdf(0).item()) - 1 / Math.PI) < 1e-7)
 * @category scipy @since 0.2.0
 */
export const cauchy = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    neg(add(log1p(square(std(x, loc, scale))), logPlus(scale, Math.log(Math.PI)))),
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => exp(cauchy.logpdf(x, loc, scale)),
  cdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    add(mul(atan(std(x, loc, scale)), 1 / Math.PI), 0.5),
  ppf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    add(mul(tan(mul(sub(F(q), 0.5), Math.PI)), scale), loc),
  isf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    sub(loc, mul(tan(mul(sub(F(q), 0.5), Math.PI)), scale)),
  sf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    sub(0.5, mul(atan(std(x, loc, scale)), 1 / Math.PI)),
  logcdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => log(cauchy.cdf(x, loc, scale)),
  logsf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => log(cauchy.sf(x, loc, scale)),
}

/**
 * The uniform distribution on [loc, loc + scale] (`jax.scipy.stats.uniform`).
 * @example
 * import { scipy } from 'wengert'
 * assert.strictEqual(Number(scipy.stats.uniform.pdf(0.5).item()), 1)
 * assert.strictEqual(Number(scipy.stats.uniform.logpdf(2).item()), -Infinity)
 * @category scipy @since 0.2.0
 */
export const uniform = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    return inSupport(logicalAnd(greaterEqual(z, 0), lessEqual(z, 1)), neg(logPlus(scale)))
  },
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => exp(uniform.logpdf(x, loc, scale)),
  cdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    return where(less(z, 0), 0, where(less(z, 1), z, 1))
  },
  ppf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => add(mul(F(q), scale), loc),
}

/**
 * The gamma distribution with shape a (`jax.scipy.stats.gamma`); differentiable in a, also
 * through its CDF (the igamma primitive's a-derivative).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.gamma.logpdf(1, 1).item()) + 1) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const gamma = {
  logpdf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    const A = F(a)
    const v = sub(sub(sub(xlogy(sub(A, 1), z), z), gammaln(A)), logPlus(scale))
    return inSupport(greaterEqual(z, 0), v)
  },
  pdf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    exp(gamma.logpdf(x, a, loc, scale)),
  cdf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    return lax.igamma(...sameShape(FL(a, z), where(greaterEqual(z, 0), z, 0)))
  },
  sf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    return lax.igammac(...sameShape(FL(a, z), where(greaterEqual(z, 0), z, 0)))
  },
  logcdf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    log(gamma.cdf(x, a, loc, scale)),
  logsf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    log(gamma.sf(x, a, loc, scale)),
}

/**
 * The beta distribution (`jax.scipy.stats.beta`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.beta.pdf(0.5, 2, 2).item()) - 1.5) < 1e-6)
 * assert.ok(Math.abs(Number(scipy.stats.beta.cdf(0.5, 2, 2).item()) - 0.5) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const beta = {
  logpdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    const v = sub(sub(add(xlogy(sub(a, 1), z), xlog1py(sub(b, 1), neg(z))), betaln(a, b)), logPlus(scale))
    return inSupport(logicalAnd(greaterEqual(z, 0), lessEqual(z, 1)), v)
  },
  pdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    exp(beta.logpdf(x, a, b, loc, scale)),
  /** I_z(a, b) with z = (x − loc)/scale clipped to [0, 1]; differentiable in x, loc and scale. */
  cdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    betainc(a, b, clip(std(x, loc, scale), 0, 1)),
  logcdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    log(beta.cdf(x, a, b, loc, scale)),
  /** 1 − cdf, as I_{1−z}(b, a) (accurate in the upper tail). */
  sf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    betainc(b, a, sub(1, clip(std(x, loc, scale), 0, 1))),
  logsf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    log(beta.sf(x, a, b, loc, scale)),
}

/**
 * Student's t distribution with df degrees of freedom (`jax.scipy.stats.t`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.t.pdf(0, 1).item()) - 1 / Math.PI) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const t = {
  logpdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    const d = F(df)
    const half = mul(add(d, 1), 0.5)
    const norm0 = sub(sub(gammaln(half), gammaln(mul(d, 0.5))), mul(log(mul(d, Math.PI)), 0.5))
    return sub(sub(norm0, mul(half, log1p(div(square(z), d)))), logPlus(scale))
  },
  pdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    exp(t.logpdf(x, df, loc, scale)),
}

/**
 * The Dirichlet distribution (`jax.scipy.stats.dirichlet`) over the last axis of x.
 * @example
 * import { scipy, array } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.dirichlet.pdf(array([0.2, 0.8]), array([1, 1])).item()) - 1) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const dirichlet = {
  logpdf: (x: ArrayLike, alpha: ArrayLike): NdArray => {
    const al = F(alpha)
    const norm0 = sub(sum(gammaln(al), -1), gammaln(sum(al, -1)))
    return sub(sum(xlogy(sub(al, 1), F(x)), -1), norm0)
  },
  pdf: (x: ArrayLike, alpha: ArrayLike): NdArray => exp(dirichlet.logpdf(x, alpha)),
}

/**
 * The multivariate normal distribution (`jax.scipy.stats.multivariate_normal`) over the last
 * axis, through the Cholesky factor of cov.
 * @example
 * import { scipy, array } from 'wengert'
 * const v = scipy.stats.multivariateNormal.logpdf(array([0, 0]), array([0, 0]), array([[1, 0], [0, 1]]))
 * assert.ok(Math.abs(Number(v.item()) + Math.log(2 * Math.PI)) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const multivariateNormal = {
  logpdf: (x: ArrayLike, mean: ArrayLike, cov: ArrayLike): NdArray => {
    const d = sub(F(x), mean)
    const c = FA(cov)
    const n = c.shape[c.ndim - 1] as number
    const l = cholesky(c)
    const y = solveTriangular(l, lax.reshape(d, [...d.shape, 1]), { lower: true })
    const maha = sum(square(y), [-2, -1])
    const [, logdet] = slogdet(c)
    return mul(add(add(maha, logdet), n * Math.log(2 * Math.PI)), -0.5)
  },
  pdf: (x: ArrayLike, mean: ArrayLike, cov: ArrayLike): NdArray => exp(multivariateNormal.logpdf(x, mean, cov)),
}

/**
 * The normal distribution truncated to [a, b] in standard units (`jax.scipy.stats.truncnorm`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.truncnorm.pdf(0.5, 0, 1).item()) - 1.031404) < 1e-5)
 * @category scipy @since 0.2.0
 */
export const truncnorm = {
  logpdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray => {
    const z = std(x, loc, scale)
    const mass = log(sub(ndtr(b), ndtr(a)))
    const v = sub(sub(norm.logpdf(z), mass), logPlus(scale))
    return inSupport(logicalAnd(greaterEqual(z, a), lessEqual(z, b)), v)
  },
  pdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    exp(truncnorm.logpdf(x, a, b, loc, scale)),
  /** (Φ(z) − Φ(a))/(Φ(b) − Φ(a)) with z clipped to [a, b]. */
  cdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    div(sub(ndtr(clip(std(x, loc, scale), a, b)), ndtr(a)), sub(ndtr(b), ndtr(a))),
  logcdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    log(truncnorm.cdf(x, a, b, loc, scale)),
  sf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    div(sub(ndtr(b), ndtr(clip(std(x, loc, scale), a, b))), sub(ndtr(b), ndtr(a))),
  logsf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NdArray =>
    log(truncnorm.sf(x, a, b, loc, scale)),
}
export * from './statsDiscrete'
export * from './statsMore'
export * from './statsGumbel'
export * from './statsExtra'
export * from './statsSummary'
export * from './statsKde'
