/**
 * PyTorch's `torch.distributions` on the facade's ops: parameters are tensors, so `log_prob`,
 * `entropy`, `cdf` and `kl_divergence` are differentiable, and `rsample` (Normal, LogNormal,
 * Laplace, Cauchy, Uniform, Exponential, Gamma, Beta, Dirichlet, StudentT, MultivariateNormal,
 * Independent of those) reparameterises its draws so gradients reach the parameters. Draws come
 * from the facade's generator (`torch.manual_seed` governs them; the numbers differ from
 * PyTorch's, the distributions are the same). Arguments and `log_prob` values are validated as in
 * PyTorch (on by default; `validate_args: false` or `Distribution.set_default_validate_args(false)`
 * turns it off), with PyTorch's ValueError texts.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const { Normal, Categorical, kl_divergence } = torch.distributions
 * const mu = torch.tensor([0.0, 1.0], { requires_grad: true })
 * const p = new Normal(mu, 1)
 * kl_divergence(p, new Normal(torch.zeros(2), 1)).sum().backward()
 * assert.deepStrictEqual(mu.grad!.tolist(), [0, 1])
 * const c = new Categorical({ logits: torch.tensor([0.0, 0.0]) })
 * assert.ok(Math.abs(c.entropy().item() - Math.LN2) < 1e-6)
 * assert.throws(() => new Normal(0, -1), /to satisfy the constraint GreaterThan\(lower_bound=0\.0\)/)
 * @category torch
 * @since 0.2.0
 */
export * as constraints from './constraints'
export { Distribution, type ArgConstraints, type Param, type SampleShape, type ValidateKw } from './distribution'
export { ExponentialFamily } from './expFamily'
export { Normal, Laplace, Cauchy, Uniform, type LocScaleKw, type UniformKw } from './normal'
export { LogNormal } from './logNormal'
export {
  Gamma,
  Exponential,
  Beta,
  Dirichlet,
  StudentT,
  type GammaKw,
  type ExponentialKw,
  type BetaKw,
  type DirichletKw,
  type StudentTKw,
} from './gamma'
export {
  Bernoulli,
  Categorical,
  OneHotCategorical,
  Poisson,
  type BernoulliKw,
  type CategoricalKw,
  type PoissonKw,
} from './discrete'
export { Binomial, type BinomialKw } from './binomial'
export { MultivariateNormal, Independent, type MultivariateNormalKw, type IndependentKw } from './multivariate'
export { kl_divergence, register_kl, type KLFn, type DistributionClass } from './kl'
// the transform classes (the same names as the `transforms` namespace), and their keyword types
export * from './transformsNamespace'
export type { CacheKw, Sign, IndependentTransformKw, ReshapeTransformKw } from './transforms'
export type { AffineTransformKw, PowerTransformKw, CumulativeDistributionTransformKw } from './transformsAffine'
export type { CatTransformKw, StackTransformKw } from './transformsVector'
export * as transforms from './transformsNamespace'
export { TransformedDistribution, type TransformedDistributionKw } from './transformed'
export {
  ConstraintRegistry,
  biject_to,
  transform_to,
  type Registry,
  type TransformFactory,
  type ConstraintKey,
} from './constraintRegistry'
export {
  Gumbel,
  HalfNormal,
  HalfCauchy,
  Pareto,
  Weibull,
  Kumaraswamy,
  LogisticNormal,
  type LocScaleTKw,
  type ScaleKw,
  type ParetoKw,
  type WeibullKw,
  type KumaraswamyKw,
} from './transformedFamilies'
export {
  Geometric,
  NegativeBinomial,
  Multinomial,
  OneHotCategoricalStraightThrough,
  Chi2,
  type GeometricKw,
  type NegativeBinomialKw,
  type MultinomialKw,
  type Chi2Kw,
} from './discreteMore'
export {
  LogitRelaxedBernoulli,
  RelaxedBernoulli,
  ExpRelaxedCategorical,
  RelaxedOneHotCategorical,
  type RelaxedKw,
} from './relaxed'
export * from './klMore'
export * from './klCross'
export { LowRankMultivariateNormal, type LowRankMultivariateNormalKw } from './lowRank'
export { MixtureSameFamily, type MixtureSameFamilyKw } from './mixture'
export { FisherSnedecor, type FisherSnedecorKw } from './fisherSnedecor'
export { ContinuousBernoulli, type ContinuousBernoulliKw } from './continuousBernoulli'
export { VonMises, type VonMisesKw } from './vonMises'
export { LKJCholesky, type LKJCholeskyKw } from './lkjCholesky'
export { Wishart, type WishartKw } from './wishart'
