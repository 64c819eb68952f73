/**
 * `torch.distributions.ExponentialFamily`: the base of the families whose density is
 * exp(⟨t(x), θ⟩ − F(θ) + k(x)), with the entropy and the KL divergence between two members of the
 * same family computed from the log normalizer F by automatic differentiation (Bregman
 * divergences, as PyTorch does).
 *
 * @category torch
 * @since 0.2.0
 */
import { grad } from '../autograd/grad'
import { NotImplementedError } from '../errors'
import type { Tensor } from '../tensor'
import { Distribution, sumRightmost } from './distribution'

type T = Tensor

/** The natural parameters made fresh leaves that require gradients (PyTorch's `detach().requires_grad_()`). */
const freshLeaves = (ps: ReadonlyArray<T>): T[] => ps.map((p) => p.detach().requires_grad_())

/** ∇F at the natural parameters `ps` (with a graph, so the result stays differentiable in the parameters). */
const gradF = (d: ExponentialFamily, ps: ReadonlyArray<T>): { lg: T; gs: T[] } => {
  const lg = d._log_normalizer(...ps)
  const gs = grad(lg.sum(), [...ps], { create_graph: true }) as T[]
  return { lg, gs }
}

/**
 * PyTorch's `torch.distributions.ExponentialFamily`: the abstract base of the exponential families
 * (Normal, Gamma, Beta, Dirichlet, Bernoulli, Exponential, Poisson, ContinuousBernoulli, Chi2,
 * Wishart). A subclass gives `_natural_params` (θ), `_log_normalizer(...θ)` (F) and
 * `_mean_carrier_measure` (E[k(x)]); `entropy` is then F(θ) − ⟨θ, ∇F(θ)⟩ − E[k(x)], and
 * `kl_divergence` of two members of one family is the Bregman divergence of F.
 * @example
 * import * as torch from 'wengert/torch'
 * const { ExponentialFamily, Normal, Gamma, kl_divergence } = torch.distributions
 * const p = new Normal(0, 1)
 * assert.ok(p instanceof ExponentialFamily)
 * // the Bregman entropy equals the closed form
 * const h = ExponentialFamily.prototype.entropy.call(p)
 * assert.ok(Math.abs(h.item() - p.entropy().item()) < 1e-6)
 * assert.ok(Math.abs(kl_divergence(new Gamma(2, 1), new Gamma(2, 1)).item()) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export abstract class ExponentialFamily extends Distribution {
  /** The natural parameters θ (a tuple of tensors in PyTorch). */
  get _natural_params(): ReadonlyArray<T> {
    throw new NotImplementedError('')
  }
  /** The log normalizer F(θ) at the given natural parameters. */
  _log_normalizer(...natural_params: ReadonlyArray<T>): T {
    void natural_params
    throw new NotImplementedError('')
  }
  /** The expected carrier measure E[k(x)] (a number for the families where it is constant). */
  get _mean_carrier_measure(): T | number {
    throw new NotImplementedError('')
  }
  /** The entropy from the Bregman divergence of the log normalizer. */
  override entropy(): T {
    const carrier = this._mean_carrier_measure
    const ps = freshLeaves(this._natural_params)
    const { lg, gs } = gradF(this, ps)
    let result = lg.sub(carrier)
    ps.forEach((p, i) => {
      result = result.sub(
        p
          .mul(gs[i] as T)
          .reshape(...this._batch_shape, -1)
          .sum(-1),
      )
    })
    return result
  }
}

/** KL(p ‖ q) for p and q of the same exponential family, from the Bregman divergence of F. */
export const klExpFamily = (p: ExponentialFamily, q: ExponentialFamily): T => {
  if (p.constructor !== q.constructor)
    throw new NotImplementedError(
      // PyTorch's text keeps the indentation of its source line continuation
      `The cross KL-divergence between different exponential families cannot${' '.repeat(29)}be computed using Bregman divergences`,
    )
  const pn = freshLeaves(p._natural_params)
  const qn = q._natural_params
  const { lg, gs } = gradF(p, pn)
  let result = q._log_normalizer(...qn).sub(lg)
  pn.forEach((pp, i) => {
    result = result.sub(sumRightmost((qn[i] as T).sub(pp).mul(gs[i] as T), q.event_shape.length))
  })
  return result
}
