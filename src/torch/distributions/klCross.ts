/**
 * The rest of PyTorch's registered cross-family KL pairs (the difftest's dist kind found
 * `kl_divergence` raising NotImplementedError for them): Beta against Normal, Gamma, Exponential,
 * Uniform; Gamma against Normal, Gumbel; Uniform against Beta, Exponential, Gamma, Pareto; Pareto
 * against Normal, Gamma, Exponential; Bernoulli–Poisson, Binomial–Binomial, Cauchy–Cauchy,
 * OneHotCategorical–OneHotCategorical (the Categorical pair's KL); and +inf
 * where q gives zero density on part of p's support (Gamma, Exponential, Beta, Gumbel, Pareto,
 * Poisson against bounded or discrete families). Entries PyTorch sets to +inf by index assignment
 * are set so here too (`IndexPutBackward0`, version 1). Closed forms: Gil, Alajaji & Linder,
 * "Rényi divergence measures for commonly used univariate continuous distributions" (2013), and
 * Chyzak & Nielsen, "A closed-form formula for the Kullback-Leibler divergence between Cauchy
 * distributions" (2019).
 *
 * @category torch
 * @since 0.2.0
 */
import { full_like } from '../creation'
import { NotImplementedError } from '../errors'
import type { Tensor } from '../tensor'
import { Binomial } from './binomial'
import { Bernoulli, OneHotCategorical, Poisson } from './discrete'
import type { Distribution } from './distribution'
import { Beta, Exponential, Gamma } from './gamma'
import { kl_divergence, register_kl, type DistributionClass } from './kl'
import { Cauchy, Normal, Uniform } from './normal'
import { Gumbel, Pareto } from './transformedFamilies'
import { indexPut } from './indexPut'

type T = Tensor

/** `t · log t`. */
const xlogx = (t: T): T => t.mul(t.log())
/** `r[mask] = inf` in place (PyTorch's index assignment), returning r. */
const infAt = (r: T, mask: T): T => indexPut(r, mask, Infinity)
/** +inf shaped like `t`. */
const inf = (t: T): T => full_like(t, Infinity)

const infinite = (param: (p: Distribution) => T) => (p: Distribution) => inf(param(p))
const pairs: ReadonlyArray<readonly [DistributionClass, DistributionClass[], (p: Distribution) => T]> = [
  [Beta, [Pareto], infinite((p) => (p as InstanceType<typeof Beta>).concentration1)],
  [Exponential, [Beta, Pareto, Uniform], infinite((p) => (p as InstanceType<typeof Exponential>).rate)],
  [Gamma, [Beta, Pareto, Uniform], infinite((p) => (p as InstanceType<typeof Gamma>).concentration)],
  [Gumbel, [Beta, Exponential, Gamma, Pareto, Uniform], infinite((p) => (p as InstanceType<typeof Gumbel>).loc)],
  [Pareto, [Beta, Uniform], infinite((p) => (p as InstanceType<typeof Pareto>).scale)],
  [Poisson, [Bernoulli, Binomial], infinite((p) => (p as InstanceType<typeof Poisson>).rate)],
]
for (const [P, Qs, fn] of pairs) for (const Q of Qs) register_kl(P, Q)(fn)

register_kl(
  Beta,
  Exponential,
)((p, q): T => {
  const mean = p.concentration1.div(p.concentration1.add(p.concentration0))
  return p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(mean))
})

register_kl(
  Beta,
  Gamma,
)((p, q): T => {
  const [a, b] = [p.concentration1, p.concentration0]
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()))
  const t3 = q.concentration.sub(1).mul(a.digamma().sub(a.add(b).digamma()))
  const t4 = q.rate.mul(a).div(a.add(b))
  return p.entropy().neg().add(t2).sub(t3).add(t4)
})

register_kl(
  Beta,
  Normal,
)((p, q): T => {
  const [a, b] = [p.concentration1, p.concentration0]
  const e = a.div(a.add(b))
  const v = q.scale.pow(2)
  const t2 = v
    .mul(2 * Math.PI)
    .log()
    .mul(0.5)
  const t3 = e.mul(e.neg().add(1)).div(a.add(b).add(1)).add(e.pow(2)).mul(0.5)
  const t4 = q.loc.mul(e)
  const t5 = q.loc.pow(2).mul(0.5)
  return p.entropy().neg().add(t2).add(t3.sub(t4).add(t5).div(v))
})

register_kl(
  Beta,
  Uniform,
)((p, q): T => {
  const r = p.entropy().neg().add(q.high.sub(q.low).log())
  return infAt(r, q.low.gt(0).logical_or(q.high.lt(1)))
})

register_kl(
  Gamma,
  Normal,
)((p, q): T => {
  const [a, rate] = [p.concentration, p.rate]
  const v = q.scale.pow(2)
  const b2 = rate.pow(2)
  const t1 = b2
    .mul(v)
    .mul(2 * Math.PI)
    .log()
    .mul(0.5)
    .sub(a)
    .sub(a.lgamma())
  const t2 = a.pow(2).add(a).mul(0.5).div(b2)
  const t3 = q.loc.mul(a).div(rate)
  const t4 = q.loc.pow(2).mul(0.5)
  return t1.add(a.sub(1).mul(a.digamma())).add(t2.sub(t3).add(t4).div(v))
})

register_kl(
  Gamma,
  Gumbel,
)((p, q): T => {
  const [a, rate] = [p.concentration, p.rate]
  const bs = rate.mul(q.scale)
  const ls = q.loc.div(q.scale)
  const t1 = a.sub(1).mul(a.digamma()).sub(a.lgamma()).sub(a)
  const t2 = bs.log().add(a.div(bs))
  const t3 = ls.exp().mul(bs.reciprocal().add(1).pow(a.neg())).sub(ls)
  return t1.add(t2).add(t3)
})

register_kl(
  Uniform,
  Beta,
)((p, q): T => {
  const w = p.high.sub(p.low)
  const [a, b] = [q.concentration1, q.concentration0]
  const t1 = w.log()
  const t2 = a
    .sub(1)
    .mul(xlogx(p.high).sub(xlogx(p.low)).sub(w))
    .div(w)
  const t3 = b
    .sub(1)
    .mul(
      xlogx(p.high.neg().add(1))
        .sub(xlogx(p.low.neg().add(1)))
        .add(w),
    )
    .div(w)
  const t4 = a.lgamma().add(b.lgamma()).sub(a.add(b).lgamma())
  return infAt(t3.add(t4).sub(t1).sub(t2), p.high.gt(1).logical_or(p.low.lt(0)))
})

register_kl(
  Uniform,
  Exponential,
)((p, q): T => {
  const r = q.rate.mul(p.high.add(p.low)).div(2).sub(p.high.sub(p.low).mul(q.rate).log())
  return infAt(r, p.low.lt(0))
})

register_kl(
  Uniform,
  Gamma,
)((p, q): T => {
  const w = p.high.sub(p.low)
  const [a, rate] = [q.concentration, q.rate]
  const t2 = a.lgamma().sub(a.mul(rate.log()))
  const t3 = a
    .neg()
    .add(1)
    .mul(xlogx(p.high).sub(xlogx(p.low)).sub(w))
    .div(w)
  const t4 = rate.mul(p.high.add(p.low)).div(2)
  return infAt(w.log().neg().add(t2).add(t3).add(t4), p.low.lt(0))
})

register_kl(
  Uniform,
  Pareto,
)((p, q): T => {
  const w = p.high.sub(p.low)
  const t1 = q.alpha.mul(q.scale.pow(q.alpha)).mul(w).log()
  const t2 = xlogx(p.high).sub(xlogx(p.low)).sub(w).div(w)
  return infAt(t2.mul(q.alpha.add(1)).sub(t1), p.low.lt(q.scale))
})

register_kl(
  Pareto,
  Exponential,
)((p, q): T => {
  const t1 = p.alpha.div(p.scale.mul(q.rate)).log()
  const t3 = q.rate.mul(p.alpha).mul(p.scale).div(p.alpha.sub(1))
  return infAt(t1.sub(p.alpha.reciprocal()).add(t3).sub(1), p.alpha.le(1))
})

register_kl(
  Pareto,
  Gamma,
)((p, q): T => {
  const common = p.scale.log().add(p.alpha.reciprocal())
  const t1 = p.alpha.log().sub(common)
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()))
  const t3 = q.concentration.neg().add(1).mul(common)
  const t4 = q.rate.mul(p.alpha).mul(p.scale).div(p.alpha.sub(1))
  return infAt(t1.add(t2).add(t3).add(t4).sub(1), p.alpha.le(1))
})

register_kl(
  Pareto,
  Normal,
)((p, q): T => {
  const v = q.scale.pow(2).mul(2)
  const common = p.scale.div(p.alpha.sub(1))
  const t1 = q.scale
    .mul(Math.sqrt(2 * Math.PI))
    .mul(p.alpha)
    .div(p.scale)
    .log()
  const t3 = p.alpha.mul(common.pow(2)).div(p.alpha.sub(2))
  const t4 = p.alpha.mul(common).sub(q.loc).pow(2)
  return infAt(t1.sub(p.alpha.reciprocal()).add(t3.add(t4).div(v)).sub(1), p.alpha.le(2))
})

register_kl(Bernoulli, Poisson)((p, q): T => p.entropy().neg().sub(p.probs.mul(q.rate.log()).sub(q.rate)))

register_kl(
  Binomial,
  Binomial,
)((p, q): T => {
  if (p.total_count.lt(q.total_count).any().item())
    throw new NotImplementedError('KL between Binomials where q.total_count > p.total_count is not implemented')
  const kl = p.total_count.mul(
    p.probs.mul(p.logits.sub(q.logits)).add(p.probs.neg().log1p()).sub(q.probs.neg().log1p()),
  )
  return infAt(kl, p.total_count.gt(q.total_count))
})

register_kl(
  Cauchy,
  Cauchy,
)((p, q): T => {
  const t1 = p.scale.add(q.scale).pow(2).add(p.loc.sub(q.loc).pow(2)).log()
  return t1.sub(p.scale.mul(4).mul(q.scale).log())
})

register_kl(OneHotCategorical, OneHotCategorical)((p, q): T => kl_divergence(p._categorical, q._categorical))
