/**
 * `torch.distributions.LKJCholesky`: the LKJ distribution over lower Cholesky factors of
 * correlation matrices (density of L·Lᵀ ∝ det^(η−1)), sampled by the onion method of
 * Lewandowski, Kurowicka and Joe (2009) as PyTorch does (one Beta draw per row, then a uniform
 * direction from normal draws).
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { no_grad } from '../autograd/grad_mode'
import { arange } from '../creation'
import { TorchValueError } from '../errors'
import { finfo } from '../finfo'
import type { PyArgs } from '../kwargs'
import { makeSize, type Tensor } from '../tensor'
import * as constraints from './constraints'
import {
  broadcastAll,
  Distribution,
  parseDistArgs,
  standardNormal,
  validateOf,
  type ArgConstraints,
  type Param,
  type SampleShape,
  type ValidateKw,
} from './distribution'
import { Beta } from './gamma'

type T = Tensor

/** Keywords of LKJCholesky. */
export interface LKJCholeskyKw extends ValidateKw {
  readonly dim?: number
  readonly concentration?: Param
}

/** See {@link LKJCholesky}. */
class LKJCholeskyImpl extends Distribution {
  declare readonly dim: number
  declare readonly concentration: T
  /** @internal The Beta distribution of the squared row norms (Sec. 3.2 of the onion method). */
  declare _beta: Beta
  constructor(...args: PyArgs<[dim: number, concentration: Param, validate_args: boolean | null], LKJCholeskyKw>) {
    super()
    const a = parseDistArgs(args, ['dim', 'concentration', 'validate_args'], 1)
    const dim = a['dim'] as number
    if (dim < 2)
      throw new TorchValueError(`Expected dim to be an integer greater than or equal to 2. Found dim=${dim}.`)
    const [concentration] = broadcastAll((a['concentration'] as Param | undefined) ?? 1) as [T]
    const marginal = concentration.add(0.5 * (dim - 2))
    // [0, 0, 1, …, dim − 2]
    const offset = arange(dim, { dtype: concentration.dtype }).sub(1).clamp_min(0)
    const beta = new Beta(offset.add(0.5), marginal.unsqueeze(-1).sub(offset.mul(0.5)))
    Object.assign(this, { dim, concentration, _beta: beta })
    this._init(concentration.shape, [dim, dim], validateOf(a), ['concentration'])
  }
  get arg_constraints(): ArgConstraints {
    return { concentration: constraints.positive }
  }
  get support(): constraints.Constraint {
    return constraints.corr_cholesky
  }
  override expand(batch_shape: ReadonlyArray<number>): this {
    const out = super.expand(batch_shape)
    out._beta = this._beta.expand([...batch_shape, this.dim])
    out._batch_shape = makeSize(batch_shape)
    return out
  }
  override sample(sample_shape: SampleShape = []): T {
    return no_grad(() => {
      const y = this._beta.sample(sample_shape).unsqueeze(-1)
      const normal = standardNormal(this._extended_shape(sample_shape), y.dtype).tril(-1)
      // the first row of the strictly lower part is zero (0/0): PyTorch zeroes it
      const firstRow = arange(this.dim).eq(0).unsqueeze(-1)
      const direction = normal.div(normal.norm(2, -1, true)).masked_fill(firstRow, 0)
      const w = y.sqrt().mul(direction)
      const diag = w.pow(2).sum(-1).neg().add(1).clamp_min(finfo(w.dtype).tiny).sqrt()
      return w.add(diag.diag_embed())
    })
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const dim = this.dim
    const diag = value.diagonal(0, -2, -1).narrow(-1, 1, dim - 1)
    const order = this.concentration
      .sub(1)
      .unsqueeze(-1)
      .mul(2)
      .add(dim)
      .sub(arange(2, dim + 1, { dtype: this.concentration.dtype }))
    const unnormalized = order.mul(diag.log()).sum(-1)
    const dm1 = dim - 1
    const alpha = this.concentration.add(0.5 * dm1)
    const normalize = alpha
      .sub(0.5)
      .mvlgamma(dm1)
      .sub(alpha.lgamma().mul(dm1))
      .add(0.5 * dm1 * Math.log(Math.PI))
    return unnormalized.sub(normalize)
  }
}

/**
 * PyTorch's `torch.distributions.LKJCholesky(dim, concentration=1.0)`: lower Cholesky factors
 * L of dim×dim correlation matrices, with L·Lᵀ distributed as LKJ(η = concentration) (uniform
 * over correlation matrices when η = 1).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.LKJCholesky(3, 0.5)
 * torch.manual_seed(0)
 * const l = d.sample()
 * const c = l.matmul(l.mT)
 * assert.ok((c.diagonal().tolist() as number[]).every((v) => Math.abs(v - 1) < 1e-5))
 * // η = 1, dim = 2: the correlation is uniform on (−1, 1), so log p(I) = log(1/2)
 * const u = new torch.distributions.LKJCholesky(2, 1)
 * assert.ok(Math.abs(u.log_prob(torch.eye(2)).item() - Math.log(0.5)) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const LKJCholesky = pyClass(LKJCholeskyImpl, 'LKJCholesky')
/** A `LKJCholesky` instance. @category torch @since 0.2.0 */
export type LKJCholesky = LKJCholeskyImpl
