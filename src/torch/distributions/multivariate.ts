/**
 * `torch.distributions.MultivariateNormal` and `Independent`.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import * as lax from '../../core/lax'
import { op } from '../autograd/op'
import { TorchValueError } from '../errors'
import type { PyArgs } from '../kwargs'
import { cholesky, inv } from '../linalg'
import { broadcastShape } from '../ops/convert'
import { makeSize, type Tensor } from '../tensor'
import * as constraints from './constraints'
import {
  Distribution,
  type ArgConstraints,
  parseDistArgs,
  standardNormal,
  sumRightmost,
  validateOf,
  type SampleShape,
  type ValidateKw,
} from './distribution'

type T = Tensor
const LOG_2PI = Math.log(2 * Math.PI)
const LOWER = { leftSide: true, lower: true, transposeA: false, unitDiagonal: false } as const

/** X with L·X = B, L lower triangular (batch axes must already agree). */
export const solveLower = (l: T, b: T): T =>
  op('LinalgSolveTriangularBackward0', [l, b], (a, rhs) => lax.triangularSolve(a, rhs, LOWER), { saves: [0, 1] })

/** Keywords of MultivariateNormal. */
export interface MultivariateNormalKw extends ValidateKw {
  readonly loc?: T
  readonly covariance_matrix?: T | null
  readonly precision_matrix?: T | null
  readonly scale_tril?: T | null
}

const MATRICES = ['covariance_matrix', 'precision_matrix', 'scale_tril'] as const

/** See {@link MultivariateNormal}. */
class MultivariateNormalImpl extends Distribution {
  declare readonly loc: T
  /** The lower Cholesky factor of the covariance, broadcast to batch_shape. */
  declare readonly scale_tril: T
  override readonly has_rsample: boolean = true
  constructor(
    ...args: PyArgs<
      [
        loc: T,
        covariance_matrix: T | null,
        precision_matrix: T | null,
        scale_tril: T | null,
        validate_args: boolean | null,
      ],
      MultivariateNormalKw
    >
  ) {
    super()
    const a = parseDistArgs(args, ['loc', ...MATRICES, 'validate_args'], 1)
    const loc = a['loc'] as T
    if (loc.dim() < 1) throw new TorchValueError('loc must be at least one-dimensional.')
    const given = MATRICES.filter((m) => a[m] !== undefined && a[m] !== null)
    if (given.length !== 1)
      throw new TorchValueError('Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.')
    const name = given[0] as (typeof MATRICES)[number]
    const m = a[name] as T
    if (m.dim() < 2)
      throw new TorchValueError(
        `${name}${name === 'scale_tril' ? ' matrix' : ''} must be at least two-dimensional, with optional leading batch dimensions`,
      )
    const batch = broadcastShape(m.shape.slice(0, -2), loc.shape.slice(0, -1))
    const n = loc.shape[loc.dim() - 1] as number
    const given_m = m.expand([...batch, -1, -1])
    const l = name === 'scale_tril' ? m : name === 'covariance_matrix' ? cholesky(m) : cholesky(inv(m))
    Object.assign(this, { loc: loc.expand([...batch, n]), [name]: given_m })
    this._init(batch, [n], validateOf(a), ['loc', name])
    Object.assign(this, { scale_tril: l.expand([...batch, n, n]), _unbroadcasted_scale_tril: l })
  }
  get arg_constraints(): ArgConstraints {
    return {
      loc: constraints.real_vector,
      covariance_matrix: constraints.positive_definite,
      precision_matrix: constraints.positive_definite,
      scale_tril: constraints.lower_cholesky,
    }
  }
  get support(): constraints.Constraint {
    return constraints.real_vector
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { loc: 1, scale_tril: 2, covariance_matrix: 2, precision_matrix: 2 }
  }
  /** L·Lᵀ. */
  get covariance_matrix(): T {
    const own = (this as unknown as { _cov?: T })._cov
    return own ?? this.scale_tril.matmul(this.scale_tril.transpose(-2, -1))
  }
  set covariance_matrix(v: T) {
    ;(this as unknown as { _cov?: T })._cov = v
  }
  /** The inverse of the covariance. */
  get precision_matrix(): T {
    const own = (this as unknown as { _prec?: T })._prec
    return own ?? inv(this.covariance_matrix)
  }
  set precision_matrix(v: T) {
    ;(this as unknown as { _prec?: T })._prec = v
  }
  override get mean(): T {
    return this.loc
  }
  override get mode(): T {
    return this.loc
  }
  /** @internal The Cholesky factor before broadcasting to the batch shape (PyTorch's field of this name). */
  declare readonly _unbroadcasted_scale_tril: T
  override get variance(): T {
    // PyTorch squares the unbroadcast factor and expands the result (ExpandBackward0)
    return this._unbroadcasted_scale_tril
      .pow(2)
      .sum(-1)
      .expand([...this._batch_shape, ...this._event_shape])
  }
  override rsample(sample_shape: SampleShape = []): T {
    const eps = standardNormal(this._extended_shape(sample_shape), this.loc.dtype)
    return this.loc.add(this.scale_tril.matmul(eps.unsqueeze(-1)).squeeze(-1))
  }
  /** log|det L| = Σ log diag(L). */
  _half_log_det(): T {
    return this.scale_tril.diagonal(0, -2, -1).log().sum(-1)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const diff = value.sub(this.loc)
    const n = this._event_shape[0] as number
    const shape = broadcastShape(diff.shape.slice(0, -1), this._batch_shape)
    const x = solveLower(this.scale_tril.expand([...shape, n, n]), diff.expand([...shape, n]).unsqueeze(-1))
    const m = x.pow(2).sum([-2, -1])
    return m
      .add(n * LOG_2PI)
      .mul(-0.5)
      .sub(this._half_log_det())
  }
  override entropy(): T {
    const n = this._event_shape[0] as number
    const h = this._half_log_det().add(0.5 * n * (1 + LOG_2PI))
    // PyTorch expands the unbroadcasted entropy to the batch shape (ExpandBackward0) when batched
    return this._batch_shape.length === 0 ? h : h.expand([...this._batch_shape])
  }
}

/** Keywords of Independent. */
export interface IndependentKw extends ValidateKw {
  readonly base_distribution?: Distribution
  readonly reinterpreted_batch_ndims?: number
}

/** See {@link Independent}. */
class IndependentImpl extends Distribution {
  readonly base_dist: Distribution
  readonly reinterpreted_batch_ndims: number
  declare readonly has_rsample: boolean
  constructor(
    ...args: PyArgs<
      [base_distribution: Distribution, reinterpreted_batch_ndims: number, validate_args: boolean | null],
      IndependentKw
    >
  ) {
    super()
    const a = parseDistArgs(args, ['base_distribution', 'reinterpreted_batch_ndims', 'validate_args'], 2)
    const base = a['base_distribution'] as Distribution
    const k = a['reinterpreted_batch_ndims'] as number
    const bs = base.batch_shape
    if (k > bs.length)
      throw new TorchValueError(
        `Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual ${k} vs ${bs.length}`,
      )
    this.base_dist = base
    Object.assign(this, { has_rsample: base.has_rsample })
    this.reinterpreted_batch_ndims = k
    const cut = bs.length - k
    this._init(bs.slice(0, cut), [...bs.slice(cut), ...base.event_shape], validateOf(a), [])
  }
  get arg_constraints(): ArgConstraints {
    return {}
  }
  get support(): constraints.Constraint {
    const s = this.base_dist.support
    return this.reinterpreted_batch_ndims === 0 ? s : constraints.independent(s, this.reinterpreted_batch_ndims)
  }
  override expand(batch_shape: ReadonlyArray<number>): this {
    const out = Object.create(Object.getPrototypeOf(this) as object) as this
    const tail = this._event_shape.slice(0, this.reinterpreted_batch_ndims)
    Object.assign(out, this, { base_dist: this.base_dist.expand([...batch_shape, ...tail]) })
    out._batch_shape = makeSize(batch_shape)
    return out
  }
  override get mean(): T {
    return this.base_dist.mean
  }
  override get mode(): T {
    return this.base_dist.mode
  }
  override get variance(): T {
    return this.base_dist.variance
  }
  override sample(sample_shape: SampleShape = []): T {
    return this.base_dist.sample(sample_shape)
  }
  override rsample(sample_shape: SampleShape = []): T {
    return this.base_dist.rsample(sample_shape)
  }
  override log_prob(value: T): T {
    return sumRightmost(this.base_dist.log_prob(value), this.reinterpreted_batch_ndims)
  }
  override entropy(): T {
    return sumRightmost(this.base_dist.entropy(), this.reinterpreted_batch_ndims)
  }
  override toString(): string {
    return `Independent(${String(this.base_dist)}, ${this.reinterpreted_batch_ndims})`
  }
}

/**
 * PyTorch's `torch.distributions.MultivariateNormal(loc, covariance_matrix=None,
 * precision_matrix=None, scale_tril=None)`: the Gaussian with mean `loc` and one of the three
 * matrix parameters (exactly one), stored as the lower Cholesky factor `scale_tril`.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.MultivariateNormal(torch.zeros(2), { covariance_matrix: torch.eye(2).mul(4) })
 * assert.ok(Math.abs(d.log_prob(torch.zeros(2)).item() - (-Math.log(2 * Math.PI) - Math.log(4))) < 1e-5)
 * assert.deepStrictEqual(d.variance.tolist(), [4, 4])
 * @category torch
 * @since 0.2.0
 */
export const MultivariateNormal = pyClass(MultivariateNormalImpl, 'MultivariateNormal')
/** A `MultivariateNormal` instance. @category torch @since 0.2.0 */
export type MultivariateNormal = MultivariateNormalImpl

/**
 * PyTorch's `torch.distributions.Independent(base_distribution, reinterpreted_batch_ndims)`:
 * the rightmost batch axes of `base_distribution` made event axes (log_prob and entropy summed
 * over them), e.g. a diagonal Gaussian from a batch of Normals.
 * @example
 * import * as torch from 'wengert/torch'
 * const base = new torch.distributions.Normal(torch.zeros(3), torch.ones(3))
 * const d = new torch.distributions.Independent(base, 1)
 * assert.strictEqual(String(d.event_shape), 'torch.Size([3])')
 * assert.ok(Math.abs(d.log_prob(torch.zeros(3)).item() + 1.5 * Math.log(2 * Math.PI)) < 1e-5)
 * @category torch
 * @since 0.2.0
 */
export const Independent = pyClass(IndependentImpl, 'Independent')
/** A `Independent` instance. @category torch @since 0.2.0 */
export type Independent = IndependentImpl
