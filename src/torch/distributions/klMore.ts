/**
 * More of PyTorch's registered KL pairs: Gumbel, Geometric, HalfNormal, Pareto, Laplace, Poisson
 * and TransformedDistribution (the base distributions' KL when both use the same transforms), and
 * the cross-family pairs (Exponential–Gumbel/Normal/Gamma, Gamma–Exponential, Normal–Gumbel/
 * Laplace, Gumbel–Normal, Laplace–Normal, Uniform–Normal/Gumbel; infinite where the support of p
 * is not inside q's: Normal, Gumbel, Laplace against Beta, Exponential, Gamma, Pareto, Uniform).
 *
 * @category torch
 * @since 0.2.0
 */
import { NotImplementedError } from '../errors'
import { full_like } from '../creation'
import type { Tensor } from '../tensor'
import type { Distribution } from './distribution'
import { Beta, Exponential, Gamma } from './gamma'
import { Poisson } from './discrete'
import { ContinuousBernoulli } from './continuousBernoulli'
import { Geometric } from './discreteMore'
import { kl_divergence, register_kl, type DistributionClass } from './kl'
import { Laplace, Normal, Uniform } from './normal'
import { TransformedDistribution } from './transformed'
import { EULER, Gumbel, HalfNormal, Pareto } from './transformedFamilies'

type T = Tensor

register_kl(
  Gumbel,
  Gumbel,
)((p, q): T => {
  const ct1 = p.scale.div(q.scale)
  const ct2 = q.loc.div(q.scale)
  const ct3 = p.loc.div(q.scale)
  const t1 = ct1.log().neg().sub(ct2).add(ct3)
  const t3 = ct2.add(ct1.add(1).lgamma()).sub(ct3).exp()
  return t1
    .add(ct1.mul(EULER))
    .add(t3)
    .sub(1 + EULER)
})

register_kl(Geometric, Geometric)((p, q): T => p.entropy().neg().sub(q.probs.neg().log1p().div(p.probs)).sub(q.logits))

register_kl(HalfNormal, HalfNormal)((p, q): T => kl_divergence(p.base_dist as Normal, q.base_dist as Normal))

register_kl(
  Laplace,
  Laplace,
)((p, q): T => {
  const ratio = p.scale.div(q.scale)
  const diff = p.loc.sub(q.loc).abs()
  return ratio
    .log()
    .neg()
    .add(diff.div(q.scale))
    .add(ratio.mul(diff.neg().div(p.scale).exp()))
    .sub(1)
})

register_kl(
  Pareto,
  Pareto,
)((p, q): T => {
  const alphaRatio = q.alpha.div(p.alpha)
  const r = q.alpha.mul(p.scale.div(q.scale).log()).sub(alphaRatio.log()).add(alphaRatio).sub(1)
  return r.masked_fill(p.scale.lt(q.scale), Infinity)
})

register_kl(Poisson, Poisson)((p, q): T => p.rate.mul(p.rate.log().sub(q.rate.log())).sub(p.rate.sub(q.rate)))

register_kl(
  TransformedDistribution,
  TransformedDistribution,
)((p, q): T => {
  const same = p.transforms.length === q.transforms.length && p.transforms.every((t, i) => t.equals(q.transforms[i]!))
  const sameEvent =
    p.event_shape.length === q.event_shape.length && p.event_shape.every((d, i) => d === q.event_shape[i])
  if (!same || !sameEvent) throw new NotImplementedError('')
  return kl_divergence(p.base_dist, q.base_dist)
})

const LOG_2PI = Math.log(2 * Math.PI)

register_kl(
  Exponential,
  Gumbel,
)((p, q): T => {
  const prod = p.rate.mul(q.scale)
  const ratio = q.loc.div(q.scale)
  const t2 = ratio.exp().mul(prod).div(prod.add(1))
  return prod.log().sub(1).sub(ratio).add(t2).add(prod.reciprocal())
})

register_kl(
  Exponential,
  Normal,
)((p, q): T => {
  const varN = q.scale.pow(2)
  const rate2 = p.rate.pow(2)
  const t1 = rate2
    .mul(varN)
    .mul(2 * Math.PI)
    .log()
    .mul(0.5)
  const rest = rate2.reciprocal().sub(q.loc.div(p.rate)).add(q.loc.pow(2).mul(0.5))
  return t1.sub(1).add(rest.div(varN))
})

register_kl(
  Exponential,
  Gamma,
)((p, q): T => {
  const ratio = q.rate.div(p.rate)
  const t1 = q.concentration.mul(ratio.log()).neg()
  return t1
    .add(ratio)
    .add(q.concentration.lgamma())
    .add(q.concentration.mul(EULER))
    .sub(1 + EULER)
})

register_kl(
  Gamma,
  Exponential,
)((p, q): T =>
  p
    .entropy()
    .neg()
    .sub(q.rate.log())
    .add(q.rate.mul(p.concentration.div(p.rate))),
)

register_kl(
  Normal,
  Gumbel,
)((p, q): T => {
  const meanRatio = p.loc.div(q.scale)
  const varRatio = p.scale.div(q.scale).pow(2)
  const locRatio = q.loc.div(q.scale)
  const t3 = meanRatio.neg().add(varRatio.mul(0.5)).add(locRatio).exp()
  return varRatio
    .log()
    .mul(-0.5)
    .add(meanRatio.sub(locRatio))
    .add(t3)
    .sub(0.5 * (1 + LOG_2PI))
})

register_kl(
  Normal,
  Laplace,
)((p, q): T => {
  const diff = p.loc.sub(q.loc)
  const z = diff.div(p.scale)
  const t2 = p.scale.mul(Math.sqrt(2 / Math.PI)).mul(z.pow(2).mul(-0.5).exp())
  const t3 = diff.mul(z.mul(Math.SQRT1_2).erf())
  return p.scale
    .div(q.scale)
    .log()
    .neg()
    .add(t2.add(t3).div(q.scale))
    .sub(0.5 * (1 + Math.log(0.5 * Math.PI)))
})

register_kl(
  Gumbel,
  Normal,
)((p, q): T => {
  const r = p.scale.div(q.scale)
  const t1 = r.div(Math.sqrt(2 * Math.PI)).log()
  const t2 = r
    .mul(Math.PI * 0.5)
    .pow(2)
    .div(3)
  const t3 = p.loc.add(p.scale.mul(EULER)).sub(q.loc).div(q.scale).pow(2).mul(0.5)
  return t1
    .neg()
    .add(t2)
    .add(t3)
    .sub(EULER + 1)
})

register_kl(
  Laplace,
  Normal,
)((p, q): T => {
  const varN = q.scale.pow(2)
  const ratio = p.scale.pow(2).div(varN)
  const t1 = ratio
    .mul(2 / Math.PI)
    .log()
    .mul(0.5)
  const quad = p.loc.pow(2).mul(0.5).sub(p.loc.mul(q.loc)).add(q.loc.pow(2).mul(0.5))
  return t1.neg().add(ratio).add(quad.div(varN)).sub(1)
})

register_kl(
  Uniform,
  Normal,
)((p, q): T => {
  const width = p.high.sub(p.low)
  const t1 = q.scale
    .mul(Math.sqrt(2 * Math.PI))
    .div(width)
    .log()
  const t2 = width.pow(2).div(12)
  const t3 = p.high.add(p.low).sub(q.loc.mul(2)).div(2).pow(2)
  return t1.add(t2.add(t3).mul(0.5).div(q.scale.pow(2)))
})

register_kl(
  Uniform,
  Gumbel,
)((p, q): T => {
  const c = q.scale.div(p.high.sub(p.low))
  const hi = p.high.sub(q.loc).div(q.scale)
  const lo = p.low.sub(q.loc).div(q.scale)
  const t1 = c.log().add(hi.add(lo).mul(0.5))
  return t1.sub(c.mul(hi.neg().exp().sub(lo.neg().exp())))
})

/** +inf shaped like p's batch (PyTorch's `_infinite_like`: q gives zero density where p does not). */
const infinite = (p: Distribution): T => full_like(p.mean, Infinity)
const unbounded: DistributionClass[] = [Normal, Gumbel, Laplace]
const bounded: DistributionClass[] = [Beta, Exponential, Gamma, Pareto, Uniform]
for (const P of unbounded) for (const Q of bounded) register_kl(P, Q)(infinite)

// ContinuousBernoulli (support [0, 1]): its closed forms, and +inf against it from the unbounded families
register_kl(
  ContinuousBernoulli,
  ContinuousBernoulli,
)((p, q): T => {
  const t1 = p.mean.mul(p.logits.sub(q.logits))
  const t2 = p._cont_bern_log_norm().add(p.probs.neg().log1p())
  return t1.add(t2).sub(q._cont_bern_log_norm()).sub(q.probs.neg().log1p())
})
register_kl(ContinuousBernoulli, Exponential)((p, q): T => p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.mean)))
register_kl(
  ContinuousBernoulli,
  Normal,
)((p, q): T => {
  const t2 = q.loc
    .div(q.scale)
    .square()
    .add(Math.log(2 * Math.PI))
    .mul(0.5)
    .add(q.scale.log())
  const t3 = p.variance.add(p.mean.square()).sub(q.loc.mul(p.mean).mul(2)).div(q.scale.square().mul(2))
  return p.entropy().neg().add(t2).add(t3)
})
register_kl(
  ContinuousBernoulli,
  Uniform,
)((p, q): T => {
  const result = p.entropy().neg().add(q.high.sub(q.low).log())
  return result.masked_fill(q.low.ge(0).logical_or(q.high.le(1)), Infinity)
})
register_kl(
  Beta,
  ContinuousBernoulli,
)((p, q): T => p.entropy().neg().sub(p.mean.mul(q.logits)).sub(q.probs.neg().log1p()).sub(q._cont_bern_log_norm()))
register_kl(ContinuousBernoulli, Pareto)(infinite)
for (const P of [Exponential, Gamma, Gumbel, Laplace, Normal, Pareto] as DistributionClass[])
  register_kl(P, ContinuousBernoulli)(infinite)
