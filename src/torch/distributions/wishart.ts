/**
 * `torch.distributions.Wishart`: the distribution of Σᵢ xᵢxᵢᵀ for ν draws xᵢ ~ N(0, Σ) (real ν >
 * p − 1), an exponential family. Parameterised by `df` and one of `covariance_matrix`,
 * `precision_matrix`, `scale_tril` (kept as the lower Cholesky factor of Σ); `rsample` uses the
 * Bartlett decomposition (χ² diagonal, normal lower part), so gradients reach `df` (through
 * the Gamma draws) and the matrix.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { arange } from '../creation'
import { AssertionError, TorchValueError } from '../errors'
import { finfo } from '../finfo'
import type { PyArgs } from '../kwargs'
import { cholesky, inv, solve } from '../linalg'
import { slogdet } from '../linalgDecompositions'
import { broadcastShape } from '../ops/convert'
import { makeSize, Tensor } from '../tensor'
import { warn } from '../warnings'
import * as constraints from './constraints'
import { Chi2 } from './discreteMore'
import {
  asTensor,
  parseDistArgs,
  standardNormal,
  validateOf,
  type ArgConstraints,
  type Param,
  type SampleShape,
  type ValidateKw,
} from './distribution'
import { ExponentialFamily } from './expFamily'

type T = Tensor
const MATRICES = ['covariance_matrix', 'precision_matrix', 'scale_tril'] as const
type MatrixName = (typeof MATRICES)[number]

/** Keywords of Wishart. */
export interface WishartKw extends ValidateKw {
  readonly df?: Param
  readonly covariance_matrix?: T | null
  readonly precision_matrix?: T | null
  readonly scale_tril?: T | null
}

/** The multivariate digamma Σ_{i<p} ψ(x − i/2). */
const mvdigamma = (x: T, p: number): T =>
  x
    .unsqueeze(-1)
    .sub(arange(p, { dtype: x.dtype }).div(2))
    .digamma()
    .sum(-1)

/** log 2·p/2 + Σ log diag(L): half the log-determinant of 2Σ. */
const halfLogDet2 = (l: T, p: number): T =>
  l
    .diagonal(0, -2, -1)
    .log()
    .sum(-1)
    .add((p * Math.LN2) / 2)

/**
 * tr((L·Lᵀ)⁻¹·V) as PyTorch's `cholesky_solve(V, L)` computes it: solved against L·Lᵀ as a full
 * matrix, so L's gradient is PyTorch's (−(A⁻¹ḠXᵀ + XḠᵀA⁻¹)·L, upper triangle included).
 */
const traceSolve = (l: T, v: T): T => solve(l.matmul(l.mT), v).diagonal(0, -2, -1).sum(-1)

/** See {@link Wishart}. */
class WishartImpl extends ExponentialFamily {
  declare readonly df: T
  override readonly has_rsample: boolean = true
  /** @internal The lower Cholesky factor of Σ, not broadcast. */
  declare _unbroadcasted_scale_tril: T
  /** @internal The given matrix parameter (broadcast to the batch shape). */
  declare _given_matrix: { readonly name: MatrixName; readonly value: T }
  /** @internal The χ² distributions of the Bartlett diagonal (df − i for row i). */
  declare _dist_chi2: Chi2
  constructor(
    ...args: PyArgs<
      [
        df: Param,
        covariance_matrix: T | null,
        precision_matrix: T | null,
        scale_tril: T | null,
        validate_args: boolean | null,
      ],
      WishartKw
    >
  ) {
    super()
    const a = parseDistArgs(args, ['df', ...MATRICES, 'validate_args'], 1)
    const given = MATRICES.filter((m) => a[m] !== undefined && a[m] !== null)
    if (given.length !== 1)
      throw new AssertionError('Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.')
    const name = given[0] as MatrixName
    const param = a[name] as T
    if (param.dim() < 2)
      throw new TorchValueError('scale_tril must be at least two-dimensional, with optional leading batch dimensions')
    const dfArg = a['df'] as Param
    const batch =
      dfArg instanceof Tensor ? broadcastShape(param.shape.slice(0, -2), dfArg.shape) : param.shape.slice(0, -2)
    const df = dfArg instanceof Tensor ? dfArg.expand([...batch]) : asTensor(dfArg, param)
    const p = param.shape[param.dim() - 1] as number
    if (
      df
        .le(p - 1)
        .any()
        .item() as boolean
    )
      throw new TorchValueError(`Value of df=${String(dfArg)} expected to be greater than ndim - 1 = ${p - 1}.`)
    if (df.lt(p).any().item() as boolean)
      warn('Low df values detected. Singular samples are highly likely to occur for ndim - 1 < df < ndim.')
    Object.assign(this, { df, _given_matrix: { name, value: param.expand([...batch, -1, -1]) } })
    this._init(batch, param.shape.slice(-2), validateOf(a), ['df', name], [name, 'df'])
    const l = name === 'scale_tril' ? param : name === 'covariance_matrix' ? cholesky(param) : cholesky(inv(param))
    this._setFactor(l)
  }
  /** @internal Sets the Cholesky factor and the χ² distributions the sampler uses. */
  _setFactor(l: T): void {
    const p = this._event_shape[1] as number
    this._unbroadcasted_scale_tril = l
    const dfs = this.df.unsqueeze(-1).sub(arange(p, { dtype: l.dtype }).expand([...this._batch_shape, -1]))
    this._dist_chi2 = new Chi2(dfs)
  }
  get arg_constraints(): ArgConstraints {
    return {
      covariance_matrix: constraints.positive_definite,
      precision_matrix: constraints.positive_definite,
      scale_tril: constraints.lower_cholesky,
      df: constraints.greater_than((this._event_shape[1] ?? 1) - 1),
    }
  }
  get support(): constraints.Constraint {
    return constraints.positive_definite
  }
  override _param(name: string): T | undefined {
    if (name === this._given_matrix.name) return this._given_matrix.value
    return super._param(name)
  }
  override expand(batch_shape: ReadonlyArray<number>): this {
    const out = Object.create(Object.getPrototypeOf(this) as object) as this
    Object.assign(out, this)
    const cov = [...batch_shape, ...this._event_shape]
    out._batch_shape = makeSize(batch_shape)
    Object.assign(out, {
      df: this.df.expand([...batch_shape]),
      _given_matrix: { name: this._given_matrix.name, value: this._given_matrix.value.expand(cov) },
    })
    out._setFactor(this._unbroadcasted_scale_tril.expand(cov))
    return out
  }
  /** The lower Cholesky factor of the covariance, broadcast to the batch shape. */
  get scale_tril(): T {
    const g = this._given_matrix
    return g.name === 'scale_tril' ? g.value : this._unbroadcasted_scale_tril.expand(this._fullShape())
  }
  /** The scale matrix Σ = L·Lᵀ. */
  get covariance_matrix(): T {
    const g = this._given_matrix
    if (g.name === 'covariance_matrix') return g.value
    const l = this._unbroadcasted_scale_tril
    return l.matmul(l.mT).expand(this._fullShape())
  }
  /** Σ⁻¹. */
  get precision_matrix(): T {
    const g = this._given_matrix
    if (g.name === 'precision_matrix') return g.value
    // PyTorch: cholesky_solve(I, L), whose gradient treats L·Lᵀ as a full matrix (as inv does)
    const l = this._unbroadcasted_scale_tril
    return inv(l.matmul(l.mT)).expand(this._fullShape())
  }
  private _fullShape(): number[] {
    return [...this._batch_shape, ...this._event_shape]
  }
  private _dfMatrix(): T {
    return this.df.view(...this._batch_shape, 1, 1)
  }
  override get mean(): T {
    return this._dfMatrix().mul(this.covariance_matrix)
  }
  override get mode(): T {
    const factor = this.df.sub((this._event_shape[1] as number) + 1)
    return factor
      .masked_fill(factor.le(0), NaN)
      .view(...this._batch_shape, 1, 1)
      .mul(this.covariance_matrix)
  }
  override get variance(): T {
    const v = this.covariance_matrix
    const d = v.diagonal(0, -2, -1)
    return this._dfMatrix().mul(v.pow(2).add(d.unsqueeze(-1).mul(d.unsqueeze(-2))))
  }
  /** One Bartlett draw: L·A·Aᵀ·Lᵀ with A lower triangular, χ² square roots on its diagonal and normals below it. */
  private _bartlett(sample_shape: SampleShape): T {
    const p = this._event_shape[1] as number
    const diag = this._dist_chi2.rsample(sample_shape).sqrt()
    const noise = diag.clamp_min(finfo(diag.dtype).eps).diag_embed()
    const lower = standardNormal([...sample_shape, ...this._batch_shape, p, p], diag.dtype).tril(-1)
    const chol = this._unbroadcasted_scale_tril.matmul(noise.add(lower))
    return chol.matmul(chol.mT)
  }
  /**
   * Reparameterised samples. As PyTorch, draws flagged by its positive-definiteness check are
   * drawn again up to `max_try_correction` times (default 10), with the warning "Singular sample
   * detected." (PyTorch's check flags the samples that pass it, so it warns and redraws at the
   * first try: the law is unchanged).
   */
  override rsample(sample_shape: SampleShape = [], max_try_correction: number | null = null): T {
    const tries = max_try_correction ?? 10
    const n = sample_shape.reduce((x, y) => x * y, 1)
    const rest = [...this._batch_shape, ...this._event_shape]
    let sample = this._bartlett(sample_shape).reshape(n, ...rest)
    const flag = (s: T): T => {
      const c = this.support.check(s)
      return this._batch_shape.length === 0 ? c : c.flatten(1).amax(-1)
    }
    let flagged = flag(sample)
    if (flagged.any().item() as boolean) {
      warn('Singular sample detected.')
      for (let k = 0; k < tries; k++) {
        const m = flagged.sum().item() as number
        const fresh = this._bartlett([m])
        sample = sample.index_put([flagged], fresh)
        const again = flag(fresh).logical_not()
        flagged = flagged.index_put([flagged], again)
        if (!(flagged.any().item() as boolean)) break
      }
    }
    return sample.reshape(...sample_shape, ...rest)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const nu = this.df
    const p = this._event_shape[1] as number
    const l = this._unbroadcasted_scale_tril
    return nu
      .neg()
      .mul(halfLogDet2(l, p))
      .sub(nu.div(2).mvlgamma(p))
      .add(
        nu
          .sub(p + 1)
          .div(2)
          .mul(slogdet(value).logabsdet),
      )
      .sub(traceSolve(l, value).div(2))
  }
  override entropy(): T {
    const nu = this.df
    const p = this._event_shape[1] as number
    return halfLogDet2(this._unbroadcasted_scale_tril, p)
      .mul(p + 1)
      .add(nu.div(2).mvlgamma(p))
      .sub(
        nu
          .sub(p + 1)
          .div(2)
          .mul(mvdigamma(nu.div(2), p)),
      )
      .add(nu.mul(p / 2))
  }
  override get _mean_carrier_measure(): number {
    return 0
  }
  /** (−Σ⁻¹/2, (ν − p − 1)/2). */
  override get _natural_params(): ReadonlyArray<T> {
    const p = this._event_shape[1] as number
    return [this.precision_matrix.div(-2), this.df.sub(p + 1).div(2)]
  }
  override _log_normalizer(...[x, y]: ReadonlyArray<T>): T {
    const p = this._event_shape[1] as number
    const a = (y as T).add((p + 1) / 2)
    return a
      .mul(
        slogdet((x as T).mul(-2))
          .logabsdet.neg()
          .add(Math.LN2 * p),
      )
      .add(a.mvlgamma(p))
  }
}

/**
 * PyTorch's `torch.distributions.Wishart(df, covariance_matrix=None, precision_matrix=None,
 * scale_tril=None)`: a distribution over p×p positive definite matrices with mean df·Σ.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Wishart(torch.tensor(4.0), { covariance_matrix: torch.eye(2) })
 * assert.deepStrictEqual(d.mean.tolist(), [[4, 0], [0, 4]])
 * assert.deepStrictEqual(d.variance.tolist(), [[8, 4], [4, 8]])
 * torch.manual_seed(0)
 * const s = d.rsample([2])
 * assert.strictEqual(String(s.shape), 'torch.Size([2, 2, 2])')
 * assert.ok(Number.isFinite(d.log_prob(s).sum().item()))
 * @category torch
 * @since 0.2.0
 */
export const Wishart = pyClass(WishartImpl, 'Wishart')
/** A `Wishart` instance. @category torch @since 0.2.0 */
export type Wishart = WishartImpl
