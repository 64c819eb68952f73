/**
 * More of PyTorch's registered KL pairs: Gumbel, Geometric, HalfNormal, Pareto, Laplace, Poisson
 * and TransformedDistribution (the base distributions' KL when both use the same transforms).
 *
 * @category torch
 * @since 0.2.0
 */
import { NotImplementedError } from '../errors'
import type { Tensor } from '../tensor'
import { Poisson } from './discrete'
import { Geometric } from './discreteMore'
import { kl_divergence, register_kl } from './kl'
import { Laplace, type Normal } from './normal'
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
