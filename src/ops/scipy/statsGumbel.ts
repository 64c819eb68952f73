/**
 * `jax.scipy.stats.gumbel_r` and `gumbel_l` (camelCase `gumbelR`, `gumbelL`), the right- and
 * left-skewed Gumbel distributions, composed from exp/log/expm1 (differentiable in data and
 * parameters). Re-exported by `./stats`, with its conventions (SciPy's argument order).
 *
 * @category scipy
 * @since 0.3.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import { asFloat, type ArrayLike } from '../convert'
import { add, div, mul, sub } from '../elementwise'
import { exp, expm1, log, log1p, neg } from '../unary'

type P = ArrayLike
const F = (x: ArrayLike): ArrayLike => (typeof x === 'number' ? x : asFloat('scipy.stats', x))
const std = (x: P, loc: P, scale: P): NdArray => div(sub(F(x), loc), scale)
const logOf = (scale: P): ArrayLike => (typeof scale === 'number' ? Math.log(scale) : log(F(scale)))
/** log(1 − e^(−t)) for t > 0, accurate near 0 and ∞. */
const log1mExpNeg = (t: NdArray): NdArray => log(neg(expm1(neg(t))))

/**
 * The right-skewed Gumbel distribution (`jax.scipy.stats.gumbel_r`): with z = (x − loc)/scale,
 * logpdf = −z − e^(−z) − log scale, cdf = exp(−e^(−z)), ppf(q) = loc − scale·log(−log q).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.gumbelR.cdf(0).item()) - Math.exp(-1)) < 1e-7)
 * @category scipy @since 0.3.0
 */
export const gumbelR = {
  logpdf: (x: P, loc: P = 0, scale: P = 1): NdArray => {
    const z = std(x, loc, scale)
    return sub(sub(neg(z), exp(neg(z))), logOf(scale))
  },
  pdf: (x: P, loc: P = 0, scale: P = 1): NdArray => exp(gumbelR.logpdf(x, loc, scale)),
  logcdf: (x: P, loc: P = 0, scale: P = 1): NdArray => neg(exp(neg(std(x, loc, scale)))),
  cdf: (x: P, loc: P = 0, scale: P = 1): NdArray => exp(gumbelR.logcdf(x, loc, scale)),
  logsf: (x: P, loc: P = 0, scale: P = 1): NdArray => log1mExpNeg(exp(neg(std(x, loc, scale)))),
  sf: (x: P, loc: P = 0, scale: P = 1): NdArray => neg(expm1(gumbelR.logcdf(x, loc, scale))),
  ppf: (q: P, loc: P = 0, scale: P = 1): NdArray => sub(loc, mul(log(neg(log(F(q)))), scale)),
}

/**
 * The left-skewed Gumbel distribution (`jax.scipy.stats.gumbel_l`), the mirror image of
 * {@link gumbelR}: logpdf = z − e^z − log scale, sf = exp(−e^z), ppf(q) = loc + scale·log(−log(1 − q)).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.stats.gumbelL.sf(0).item()) - Math.exp(-1)) < 1e-7)
 * @category scipy @since 0.3.0
 */
export const gumbelL = {
  logpdf: (x: P, loc: P = 0, scale: P = 1): NdArray => {
    const z = std(x, loc, scale)
    return sub(sub(z, exp(z)), logOf(scale))
  },
  pdf: (x: P, loc: P = 0, scale: P = 1): NdArray => exp(gumbelL.logpdf(x, loc, scale)),
  logsf: (x: P, loc: P = 0, scale: P = 1): NdArray => neg(exp(std(x, loc, scale))),
  sf: (x: P, loc: P = 0, scale: P = 1): NdArray => exp(gumbelL.logsf(x, loc, scale)),
  logcdf: (x: P, loc: P = 0, scale: P = 1): NdArray => log1mExpNeg(exp(std(x, loc, scale))),
  cdf: (x: P, loc: P = 0, scale: P = 1): NdArray => neg(expm1(gumbelL.logsf(x, loc, scale))),
  ppf: (q: P, loc: P = 0, scale: P = 1): NdArray => add(loc, mul(log(neg(log1p(neg(F(q))))), scale)),
}
