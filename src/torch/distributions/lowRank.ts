/**
 * `torch.distributions.LowRankMultivariateNormal`: a Gaussian whose covariance is
 * W·Wᵀ + diag(D); log_prob and entropy go through the m×m capacitance matrix I + Wᵀ·D⁻¹·W (the
 * Woodbury identity and the matrix determinant lemma), as PyTorch computes them.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { eye } from '../creation'
import { TorchValueError } from '../errors'
import type { PyArgs } from '../kwargs'
import { cholesky } from '../linalg'
import { broadcastShape } from '../ops/convert'
import type { Tensor } from '../tensor'
import * as constraints from './constraints'
import {
  Distribution,
  parseDistArgs,
  standardNormal,
  validateOf,
  type ArgConstraints,
  type SampleShape,
  type ValidateKw,
} from './distribution'
import { solveLower } from './multivariate'

type T = Tensor
const LOG_2PI = Math.log(2 * Math.PI)

/** Keywords of LowRankMultivariateNormal. */
export interface LowRankMultivariateNormalKw extends ValidateKw {
  readonly loc?: T
  readonly cov_factor?: T
  readonly cov_diag?: T
}

/** The lower Cholesky factor of I + Wᵀ·D⁻¹·W (PyTorch's `_batch_capacitance_tril`). */
const capacitanceTril = (w: T, d: T): T => {
  const m = w.shape[w.dim() - 1] as number
  const wtDinv = w.transpose(-2, -1).div(d.unsqueeze(-2))
  return cholesky(wtDinv.matmul(w).add(eye(m, { dtype: w.dtype })))
}

/** Σ over the last axis of (L⁻¹x)², L and x broadcast over their batch axes. */
const mahalanobis = (l: T, x: T): T => {
  const n = l.shape[l.dim() - 1] as number
  const batch = broadcastShape(l.shape.slice(0, -2), x.shape.slice(0, -1))
  const y = solveLower(l.expand([...batch, n, n]), x.expand([...batch, n]).unsqueeze(-1))
  return y.pow(2).sum([-2, -1])
}

/** See {@link LowRankMultivariateNormal}. */
class LowRankMultivariateNormalImpl extends Distribution {
  declare readonly loc: T
  declare readonly cov_factor: T
  declare readonly cov_diag: T
  override readonly has_rsample: boolean = true
  /** @internal The parameters as given (before broadcasting). */
  declare _unbroadcasted_cov_factor: T
  /** @internal */
  declare _unbroadcasted_cov_diag: T
  /** @internal The Cholesky factor of the capacitance matrix. */
  declare _capacitance_tril: T
  constructor(
    ...args: PyArgs<[loc: T, cov_factor: T, cov_diag: T, validate_args: boolean | null], LowRankMultivariateNormalKw>
  ) {
    super()
    const a = parseDistArgs(args, ['loc', 'cov_factor', 'cov_diag', 'validate_args'], 3)
    const [loc, w, d] = [a['loc'] as T, a['cov_factor'] as T, a['cov_diag'] as T]
    if (loc.dim() < 1) throw new TorchValueError('loc must be at least one-dimensional.')
    const n = loc.shape[loc.dim() - 1] as number
    if (w.dim() < 2)
      throw new TorchValueError('cov_factor must be at least two-dimensional, with optional leading batch dimensions')
    if (w.shape[w.dim() - 2] !== n)
      throw new TorchValueError(`cov_factor must be a batch of matrices with shape ${n} x m`)
    if (d.dim() < 1 || d.shape[d.dim() - 1] !== n)
      throw new TorchValueError(`cov_diag must be a batch of vectors with shape torch.Size([${n}])`)
    let shape: ReadonlyArray<number>
    try {
      shape = broadcastShape(broadcastShape(loc.unsqueeze(-1).shape, w.shape), d.unsqueeze(-1).shape)
    } catch {
      throw new TorchValueError(
        `Incompatible batch shapes: loc ${String(loc.shape)}, cov_factor ${String(w.shape)}, cov_diag ${String(d.shape)}`,
      )
    }
    const vec = [...shape.slice(0, -1)]
    Object.assign(this, {
      loc: loc.expand(vec),
      cov_factor: w.expand([...shape]),
      cov_diag: d.expand(vec),
      _unbroadcasted_cov_factor: w,
      _unbroadcasted_cov_diag: d,
      _capacitance_tril: capacitanceTril(w, d),
    })
    this._init(vec.slice(0, -1), [n], validateOf(a))
  }
  get arg_constraints(): ArgConstraints {
    return {
      loc: constraints.real_vector,
      cov_factor: constraints.independent(constraints.real, 2),
      cov_diag: constraints.independent(constraints.positive, 1),
    }
  }
  get support(): constraints.Constraint {
    return constraints.real_vector
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { loc: 1, cov_factor: 2, cov_diag: 1 }
  }
  private _full(extra: number[]): number[] {
    return [...this._batch_shape, ...this._event_shape, ...extra]
  }
  override get mean(): T {
    return this.loc
  }
  override get mode(): T {
    return this.loc
  }
  override get variance(): T {
    return this._unbroadcasted_cov_factor.pow(2).sum(-1).add(this._unbroadcasted_cov_diag).expand(this._full([]))
  }
  /** The lower Cholesky factor of the covariance (via D^½·chol(I + D^-½·W·Wᵀ·D^-½)). */
  get scale_tril(): T {
    const n = this._event_shape[0] as number
    const sqrtD = this._unbroadcasted_cov_diag.sqrt().unsqueeze(-1)
    const dw = this._unbroadcasted_cov_factor.div(sqrtD)
    const k = dw.matmul(dw.transpose(-2, -1)).add(eye(n, { dtype: dw.dtype }))
    return sqrtD.mul(cholesky(k)).expand(this._full([n]))
  }
  /** W·Wᵀ + diag(D). */
  get covariance_matrix(): T {
    const w = this._unbroadcasted_cov_factor
    const n = this._event_shape[0] as number
    return w
      .matmul(w.transpose(-2, -1))
      .add(this._unbroadcasted_cov_diag.diag_embed())
      .expand(this._full([n]))
  }
  /** The inverse covariance by the Woodbury identity. */
  get precision_matrix(): T {
    const d = this._unbroadcasted_cov_diag
    const wtDinv = this._unbroadcasted_cov_factor.transpose(-2, -1).div(d.unsqueeze(-2))
    const c = this._capacitance_tril
    const batch = broadcastShape(c.shape.slice(0, -2), wtDinv.shape.slice(0, -2))
    const m = c.shape[c.dim() - 1] as number
    const x = solveLower(c.expand([...batch, m, m]), wtDinv.expand([...batch, ...wtDinv.shape.slice(-2)]))
    const n = this._event_shape[0] as number
    return d
      .reciprocal()
      .diag_embed()
      .sub(x.transpose(-2, -1).matmul(x))
      .expand(this._full([n]))
  }
  override rsample(sample_shape: SampleShape = []): T {
    const shape = this._extended_shape(sample_shape)
    const w = this._unbroadcasted_cov_factor
    const epsW = standardNormal([...shape.slice(0, -1), w.shape[w.dim() - 1] as number], this.loc.dtype)
    const epsD = standardNormal(shape, this.loc.dtype)
    const mv = w.matmul(epsW.unsqueeze(-1)).squeeze(-1)
    return this.loc.add(mv).add(this._unbroadcasted_cov_diag.sqrt().mul(epsD))
  }
  /** log det(W·Wᵀ + D) = 2·Σ log diag(capacitance_tril) + Σ log D. */
  private _logdet(): T {
    const c = this._capacitance_tril.diagonal(0, -2, -1).log().sum(-1).mul(2)
    return c.add(this._unbroadcasted_cov_diag.log().sum(-1))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const diff = value.sub(this.loc)
    const w = this._unbroadcasted_cov_factor
    const d = this._unbroadcasted_cov_diag
    const wtDinvX = w.transpose(-2, -1).div(d.unsqueeze(-2)).matmul(diff.unsqueeze(-1)).squeeze(-1)
    const m = diff.pow(2).div(d).sum(-1).sub(mahalanobis(this._capacitance_tril, wtDinvX))
    const n = this._event_shape[0] as number
    return m
      .add(this._logdet())
      .add(n * LOG_2PI)
      .mul(-0.5)
  }
  override entropy(): T {
    const n = this._event_shape[0] as number
    const h = this._logdet()
      .add(n * (1 + LOG_2PI))
      .mul(0.5)
    return this._batch_shape.length === 0 ? h : h.expand([...this._batch_shape])
  }
}

/**
 * PyTorch's `torch.distributions.LowRankMultivariateNormal(loc, cov_factor, cov_diag)`: the
 * Gaussian with mean `loc` and covariance `cov_factor @ cov_factor.mT + diag(cov_diag)`
 * (`cov_factor` is n×m with m usually much smaller than n), reparameterised.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.LowRankMultivariateNormal(torch.zeros(2), torch.tensor([[1.0], [0.0]]), torch.ones(2))
 * assert.deepStrictEqual(d.covariance_matrix.tolist(), [[2, 0], [0, 1]])
 * const want = -Math.log(2 * Math.PI) - 0.5 * Math.log(2)
 * assert.ok(Math.abs(d.log_prob(torch.zeros(2)).item() - want) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const LowRankMultivariateNormal = pyClass(LowRankMultivariateNormalImpl, 'LowRankMultivariateNormal')
/** A `LowRankMultivariateNormal` instance. @category torch @since 0.2.0 */
export type LowRankMultivariateNormal = LowRankMultivariateNormalImpl
