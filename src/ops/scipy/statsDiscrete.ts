/**
 * The discrete distributions of `jax.scipy.stats` with a closed-form pmf: poisson, bernoulli,
 * geom and binom (−inf log-pmf off the non-negative integers of the support). Re-exported by
 * `./stats`.
 *
 * @category scipy
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import type { ArrayLike } from '../convert'
import { add, greaterEqual, less, lessEqual, logicalAnd, sub, where } from '../elementwise'
import { exp, log, neg } from '../unary'
import { gammaln, xlog1py, xlogy } from './special'
import { F, FL, inSupport, sameShape } from './statsCommon'

/** True where k is a non-negative integer. */
const isCount = (k: NdArray): NdArray => logicalAnd(greaterEqual(k, 0), lax.eq(lax.floor(k), k))

/**
 * The Poisson distribution (`jax.scipy.stats.poisson`): logpmf, pmf and cdf.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.poisson.pmf(0, 2).item()) - Math.exp(-2)) < 1e-7)
 * @category scipy @since 0.2.0
 */
export const poisson = {
  logpmf: (k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): NdArray => {
    const x = sub(F(k), loc)
    return inSupport(isCount(x), sub(sub(xlogy(x, mu), mu), gammaln(add(x, 1))))
  },
  pmf: (k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): NdArray => exp(poisson.logpmf(k, mu, loc)),
  cdf: (k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): NdArray => {
    const x = lax.floor(sub(F(k), loc))
    return where(less(x, 0), 0, lax.igammac(...sameShape(add(where(less(x, 0), 0, x), 1), FL(mu, x))))
  },
}

/**
 * The Bernoulli distribution (`jax.scipy.stats.bernoulli`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.bernoulli.pmf(1, 0.3).item()) - 0.3) < 1e-7)
 * @category scipy @since 0.2.0
 */
export const bernoulli = {
  logpmf: (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NdArray => {
    const x = sub(F(k), loc)
    const v = add(xlogy(x, p), xlog1py(sub(1, x), neg(F(p))))
    return inSupport(logicalAnd(isCount(x), lessEqual(x, 1)), v)
  },
  pmf: (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NdArray => exp(bernoulli.logpmf(k, p, loc)),
  /** 0 below 0, 1 − p on [0, 1), 1 from 1 on. */
  cdf: (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NdArray => {
    const x = sub(F(k), loc)
    return where(less(x, 0), 0, where(less(x, 1), sub(1, p), 1))
  },
  /** 0 for q ≤ 1 − p, else 1 (also 0 at q = 0, as JAX; SciPy gives −1); NaN for q or p outside [0, 1]. */
  ppf: (q: ArrayLike, p: ArrayLike): NdArray => {
    const unit = (v: ArrayLike): NdArray => logicalAnd(greaterEqual(v, 0), lessEqual(v, 1))
    return where(logicalAnd(unit(q), unit(p)), where(lessEqual(q, sub(1, p)), 0, 1), NaN)
  },
}

/**
 * The geometric distribution on 1, 2, … (`jax.scipy.stats.geom`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.geom.pmf(2, 0.5).item()) - 0.25) < 1e-7)
 * @category scipy @since 0.2.0
 */
export const geom = {
  logpmf: (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NdArray => {
    const x = sub(F(k), loc)
    return inSupport(logicalAnd(isCount(x), greaterEqual(x, 1)), add(xlog1py(sub(x, 1), neg(F(p))), log(F(p))))
  },
  pmf: (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NdArray => exp(geom.logpmf(k, p, loc)),
}

/**
 * The binomial distribution (`jax.scipy.stats.binom`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.binom.pmf(1, 2, 0.5).item()) - 0.5) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const binom = {
  logpmf: (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NdArray => {
    const x = sub(F(k), loc)
    const comb = sub(sub(gammaln(add(n, 1)), gammaln(add(x, 1))), gammaln(add(sub(n, x), 1)))
    const v = add(comb, add(xlogy(x, p), xlog1py(sub(n, x), neg(F(p)))))
    return inSupport(logicalAnd(isCount(x), lessEqual(x, n)), v)
  },
  pmf: (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NdArray => exp(binom.logpmf(k, n, p, loc)),
}
