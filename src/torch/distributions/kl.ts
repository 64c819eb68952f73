/**
 * `torch.distributions.kl_divergence(p, q)` and `register_kl(type_p, type_q)`: KL(p ‖ q) looked
 * up in a table by the classes of p and q (the most specific registered pair along both
 * prototype chains), with PyTorch's closed forms for the common pairs; an unregistered pair
 * raises NotImplementedError as PyTorch does.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyFunction } from '../kwargs'
import { classBehind } from '../nn/pyclass'
import { NotImplementedError, TorchTypeError, TorchValueError } from '../errors'
import { broadcastShape } from '../ops/convert'
import { softplus } from '../nn/activation_functional'
import type { Tensor } from '../tensor'
import { Distribution, sumRightmost } from './distribution'
import { Bernoulli, Categorical } from './discrete'
import { Beta, Dirichlet, Exponential, Gamma } from './gamma'
import { ExponentialFamily, klExpFamily } from './expFamily'
import { Independent, MultivariateNormal, solveLower } from './multivariate'
import { Normal, Uniform } from './normal'
import { indexPut } from './indexPut'

type T = Tensor
/** A distribution class (abstract classes included). */
export type DistributionClass<D extends Distribution = Distribution> = abstract new (...args: never) => D
/** A KL rule: KL(p ‖ q) batched over the batch shape. */
export type KLFn<P extends Distribution = Distribution, Q extends Distribution = Distribution> = (p: P, q: Q) => T

const table = new Map<DistributionClass, Map<DistributionClass, KLFn>>()

/**
 * Registers `fn` as KL(p ‖ q) for p an instance of `type_p` and q of `type_q` (PyTorch's
 * decorator `@register_kl(P, Q)`): `register_kl(P, Q)(fn)` returns `fn`.
 * @example
 * import * as torch from 'wengert/torch'
 * const { register_kl, kl_divergence, Normal } = torch.distributions
 * class Shifted extends Normal {}
 * register_kl(Shifted, Shifted)(() => torch.tensor(42))
 * assert.strictEqual(kl_divergence(new Shifted(0, 1), new Shifted(1, 1)).item(), 42)
 * @category torch
 * @since 0.2.0
 */
export const register_kl = pyFunction(
  'register_kl',
  ['type_p', 'type_q'],
  2,
  <P extends Distribution, Q extends Distribution>(type_p: DistributionClass<P>, type_q: DistributionClass<Q>) =>
    (fn: KLFn<P, Q>): KLFn<P, Q> => {
      for (const [t, which] of [
        [type_p, 'type_p'],
        [type_q, 'type_q'],
      ] as const)
        if (typeof t !== 'function' || !(t.prototype instanceof Distribution || (t as unknown) === Distribution))
          throw new TorchTypeError(`Expected ${which} to be a Distribution subclass but got ${String(t)}`)
      const [kp, kq] = [classBehind(type_p) as DistributionClass, classBehind(type_q) as DistributionClass]
      const row = table.get(kp) ?? new Map<DistributionClass, KLFn>()
      row.set(kq, fn as KLFn)
      table.set(kp, row)
      return fn
    },
)

/** The classes of `d` from the most to the least specific. */
const chain = (d: Distribution): DistributionClass[] => {
  const out: DistributionClass[] = []
  for (let p = Object.getPrototypeOf(d) as object | null; p !== null && p !== Object.prototype;)
    (out.push((p as { constructor: DistributionClass }).constructor), (p = Object.getPrototypeOf(p) as object | null))
  return out
}

/**
 * KL(p ‖ q) = E_p[log p − log q], batched over the batch shape.
 * @example
 * import * as torch from 'wengert/torch'
 * const { kl_divergence, Normal } = torch.distributions
 * const kl = kl_divergence(new Normal(0, 1), new Normal(1, 1))
 * assert.ok(Math.abs(kl.item() - 0.5) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const kl_divergence = (p: Distribution, q: Distribution): T => {
  const cp = chain(p)
  const cq = chain(q)
  let best: { fn: KLFn; rank: number } | undefined
  cp.forEach((a, i) =>
    cq.forEach((b, j) => {
      const fn = table.get(a)?.get(b)
      if (fn !== undefined && (best === undefined || i + j < best.rank)) best = { fn, rank: i + j }
    }),
  )
  if (best === undefined)
    throw new NotImplementedError(
      `No KL(p || q) is implemented for p type ${p.constructor.name} and q type ${q.constructor.name}`,
    )
  return best.fn(p, q)
}

// -------------------------------------------------------------------------------------
// closed forms (PyTorch's formulas)
// -------------------------------------------------------------------------------------

// two members of one exponential family without a closed form: the Bregman divergence of F
register_kl(ExponentialFamily, ExponentialFamily)(klExpFamily)

register_kl(
  Normal,
  Normal,
)((p, q) => {
  const varRatio = p.scale.div(q.scale).pow(2)
  const t1 = p.loc.sub(q.loc).div(q.scale).pow(2)
  return varRatio.add(t1).sub(1).sub(varRatio.log()).mul(0.5)
})

register_kl(
  Bernoulli,
  Bernoulli,
)((p, q) => {
  const t1 = p.probs
    .mul(softplus(q.logits.neg()).sub(softplus(p.logits.neg())))
    .masked_fill(q.probs.eq(0), Infinity)
    .masked_fill(p.probs.eq(0), 0)
  const t2 = p.probs
    .neg()
    .add(1)
    .mul(softplus(q.logits).sub(softplus(p.logits)))
    .masked_fill(q.probs.eq(1), Infinity)
    .masked_fill(p.probs.eq(1), 0)
  return t1.add(t2)
})

register_kl(
  Categorical,
  Categorical,
)((p, q) => {
  const t = p.probs.mul(p.logits.sub(q.logits))
  return t.masked_fill(q.probs.eq(0), Infinity).masked_fill(p.probs.eq(0), 0).sum(-1)
})

register_kl(
  Uniform,
  Uniform,
)((p, q) => {
  const r = q.high.sub(q.low).div(p.high.sub(p.low)).log()
  // +inf by index assignment, as PyTorch (IndexPutBackward0, version 1)
  return indexPut(r, q.low.gt(p.low).logical_or(q.high.lt(p.high)), Infinity)
})

register_kl(
  Exponential,
  Exponential,
)((p, q) => {
  const ratio = q.rate.div(p.rate)
  return ratio.sub(ratio.log()).sub(1)
})

register_kl(
  Gamma,
  Gamma,
)((p, q) => {
  const [pc, qc, pr, qr] = [p.concentration, q.concentration, p.rate, q.rate]
  const t1 = qc.mul(pr.div(qr).log())
  const t2 = qc.lgamma().sub(pc.lgamma())
  const t3 = pc.sub(qc).mul(pc.digamma())
  const t4 = qr.sub(pr).mul(pc.div(pr))
  return t1.add(t2).add(t3).add(t4)
})

register_kl(
  Beta,
  Beta,
)((p, q) => {
  const [a1, b1, a2, b2] = [p.concentration1, p.concentration0, q.concentration1, q.concentration0]
  const s1 = a1.add(b1)
  const t1 = a2.lgamma().add(b2.lgamma()).add(s1.lgamma())
  const t2 = a1.lgamma().add(b1.lgamma()).add(a2.add(b2).lgamma())
  const t3 = a1.sub(a2).mul(a1.digamma())
  const t4 = b1.sub(b2).mul(b1.digamma())
  const t5 = a2.add(b2).sub(s1).mul(s1.digamma())
  return t1.sub(t2).add(t3).add(t4).add(t5)
})

register_kl(
  Dirichlet,
  Dirichlet,
)((p, q) => {
  const [pc, qc] = [p.concentration, q.concentration]
  const s = pc.sum(-1)
  const sq = qc.sum(-1)
  const t1 = s.lgamma().sub(sq.lgamma())
  const t2 = pc.lgamma().sub(qc.lgamma()).sum(-1)
  const t3 = pc
    .sub(qc)
    .mul(pc.digamma().sub(s.unsqueeze(-1).digamma()))
    .sum(-1)
  return t1.sub(t2).add(t3)
})

register_kl(
  MultivariateNormal,
  MultivariateNormal,
)((p, q) => {
  const n = p.event_shape[0] as number
  if (q.event_shape[0] !== n)
    throw new TorchValueError(
      'KL-divergence between two Multivariate Normals with                          different event shapes cannot be computed',
    )
  const shape = broadcastShape(p.batch_shape, q.batch_shape)
  const lq = q.scale_tril.expand([...shape, n, n])
  const half = q._half_log_det().sub(p._half_log_det())
  const t2 = solveLower(lq, p.scale_tril.expand([...shape, n, n]))
    .pow(2)
    .sum([-2, -1])
  const t3 = solveLower(
    lq,
    q.loc
      .sub(p.loc)
      .expand([...shape, n])
      .unsqueeze(-1),
  )
    .pow(2)
    .sum([-2, -1])
  return half.add(t2.add(t3).sub(n).mul(0.5))
})

register_kl(
  Independent,
  Independent,
)((p, q) => {
  if (p.reinterpreted_batch_ndims !== q.reinterpreted_batch_ndims) throw new NotImplementedError('')
  return sumRightmost(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims)
})
