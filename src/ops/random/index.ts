/**
 * JAX's `jax.random` (camelCase): counter-based, splittable random numbers on raw threefry2x32
 * keys. A key is an int64 array of shape [2] (`random.key(seed)`, `random.PRNGKey(seed)`), split
 * with `split`/`foldIn`; every sampler's result depends only on its key, so it is the same
 * eagerly, under `jit` and under `vmap` (mapping over `split(key, n)` gives per-example draws).
 * The bits are JAX's, bit for bit (default partitionable layout, JAX ≥ 0.5.0), and `uniform`,
 * `bits`, `split`, `foldIn`, `randint` and `permutation` give JAX's numbers; samplers built on
 * transcendental functions (`normal`, …) agree with JAX to float rounding.
 *
 * @example
 * import { random, jit, vmap, type NdArray } from 'wengert'
 * const key = random.key(0)
 * const [k1, k2] = random.split(key)
 * const a = random.normal(k1, [3])
 * assert.deepStrictEqual(a.toArray(), random.normal(k1, [3]).toArray())
 * assert.deepStrictEqual(jit((k: NdArray) => random.normal(k, [3]))(k1).toArray(), a.toArray())
 * assert.notDeepStrictEqual(a.toArray(), random.normal(k2, [3]).toArray())
 * const perExample = vmap((k: NdArray) => random.normal(k, [3]))(random.split(key, 4))
 * assert.deepStrictEqual(perExample.shape, [4, 3])
 * @category random
 * @since 0.1.0
 */
export { PRNGKey, bits, foldIn, key, keyData, split, type KeyArray, type SplitKeys, type SplitKeysOf } from './keys'
export type { DTypeOption, FloatDType } from './common'
export {
  bernoulli,
  cauchy,
  exponential,
  gumbel,
  laplace,
  logistic,
  normal,
  rademacher,
  truncatedNormal,
  uniform,
  type RademacherOptions,
  type UniformOptions,
} from './samplers'
export {
  categorical,
  choice,
  permutation,
  randint,
  type CategoricalOptions,
  type ChoiceOptions,
  type PermutationOptions,
  type RandintOptions,
} from './discrete'
export { beta, dirichlet, gamma, poisson, t, type PoissonOptions } from './gamma'
export { ball, generalizedNormal } from './ball'
export { binomial, multinomial, type MultinomialOptions } from './binomial'
export { multivariateNormal, orthogonal, type MultivariateNormalOptions, type OrthogonalOptions } from './multivariate'
export {
  chisquare,
  geometric,
  loggamma,
  lognormal,
  maxwell,
  pareto,
  shuffle,
  triangular,
  weibullMin,
  type GeometricOptions,
} from './more'
export { clone, doubleSidedMaxwell, f, keyImpl, rayleigh, wald, wrapKeyData, type WrapKeyDataOptions } from './extra'
