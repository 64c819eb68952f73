/**
 * JAX's `jax.scipy` (camelCase): `scipy.special` (special functions as differentiable
 * primitives) and `scipy.stats` (log-densities, CDFs and quantiles composed from them).
 *
 * @example
 * import { scipy, grad, array, type NdArray } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.gammaln(4).item()) - Math.log(6)) < 1e-6)
 * const dmu = grad((mu: NdArray) => scipy.stats.norm.logpdf(1, mu))(array(0, { dtype: 'float64' }))
 * assert.ok(Math.abs(Number(dmu.item()) - 1) < 1e-6)
 * @category scipy
 * @since 0.2.0
 */
export * as special from './special'
export * as stats from './stats'
export * as linalg from './linalg'
export * as optimize from './optimize'
export * as signal from './signal'
export * as integrate from './integrate'
