/**
 * `torch.distributions.FisherSnedecor`: the F distribution, reparameterised through the ratio of
 * two Gamma draws.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { finfo } from '../finfo'
import type { PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import * as constraints from './constraints'
import {
  broadcastAll,
  Distribution,
  parseDistArgs,
  validateOf,
  type ArgConstraints,
  type Param,
  type SampleShape,
  type ValidateKw,
} from './distribution'
import { Gamma } from './gamma'

type T = Tensor

/** Keywords of FisherSnedecor. */
export interface FisherSnedecorKw extends ValidateKw {
  readonly df1?: Param
  readonly df2?: Param
}

/** See {@link FisherSnedecor}. */
class FisherSnedecorImpl extends Distribution {
  declare readonly df1: T
  declare readonly df2: T
  override readonly has_rsample: boolean = true
  /** @internal Gamma(df1/2, df1). */
  declare _gamma1: Gamma
  /** @internal Gamma(df2/2, df2). */
  declare _gamma2: Gamma
  constructor(...args: PyArgs<[df1: Param, df2: Param, validate_args: boolean | null], FisherSnedecorKw>) {
    super()
    const a = parseDistArgs(args, ['df1', 'df2', 'validate_args'], 2)
    const [df1, df2] = broadcastAll(a['df1'] as Param, a['df2'] as Param) as [T, T]
    // as in PyTorch, the Gammas are built (and validate) before the distribution itself
    const _gamma1 = new Gamma(df1.mul(0.5), df1)
    const _gamma2 = new Gamma(df2.mul(0.5), df2)
    Object.assign(this, { df1, df2, _gamma1, _gamma2 })
    this._init(df1.shape, [], validateOf(a))
  }
  get arg_constraints(): ArgConstraints {
    return { df1: constraints.positive, df2: constraints.positive }
  }
  get support(): constraints.Constraint {
    return constraints.positive
  }
  override expand(batch_shape: ReadonlyArray<number>): this {
    const out = super.expand(batch_shape)
    return Object.assign(out, { _gamma1: this._gamma1.expand(batch_shape), _gamma2: this._gamma2.expand(batch_shape) })
  }
  override get mean(): T {
    const df2 = this.df2.masked_fill(this.df2.le(2), NaN)
    return df2.div(df2.sub(2))
  }
  override get mode(): T {
    const m = this.df1
      .sub(2)
      .div(this.df1)
      .mul(this.df2.div(this.df2.add(2)))
    return m.masked_fill(this.df1.le(2), NaN)
  }
  override get variance(): T {
    const df2 = this.df2.masked_fill(this.df2.le(4), NaN)
    const num = df2.pow(2).mul(2).mul(this.df1.add(df2).sub(2))
    return num.div(this.df1.mul(df2.sub(2).pow(2)).mul(df2.sub(4)))
  }
  override rsample(sample_shape: SampleShape = []): T {
    const shape = [...this._extended_shape(sample_shape)]
    const x1 = this._gamma1.rsample(sample_shape).view(shape)
    const x2 = this._gamma2.rsample(sample_shape).view(shape)
    const tiny = finfo(x2.dtype).tiny
    return x1.div(x2.clamp_min(tiny)).clamp_min(tiny)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const ct1 = this.df1.mul(0.5)
    const ct2 = this.df2.mul(0.5)
    const ct3 = this.df1.div(this.df2)
    const t1 = ct1.add(ct2).lgamma().sub(ct1.lgamma()).sub(ct2.lgamma())
    const t2 = ct1.mul(ct3.log()).add(ct1.sub(1).mul(value.log()))
    const t3 = ct1.add(ct2).mul(ct3.mul(value).log1p())
    return t1.add(t2).sub(t3)
  }
}

/**
 * PyTorch's `torch.distributions.FisherSnedecor(df1, df2)`: the F distribution with `df1` and
 * `df2` degrees of freedom (mean, mode and variance are nan where they do not exist).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.FisherSnedecor(torch.tensor([4.0]), torch.tensor([6.0]))
 * assert.ok(Math.abs(d.mean.item() - 1.5) < 1e-6)
 * assert.ok(Number.isNaN(new torch.distributions.FisherSnedecor(1, 2).mean.item()))
 * @category torch
 * @since 0.2.0
 */
export const FisherSnedecor = pyClass(FisherSnedecorImpl, 'FisherSnedecor')
/** A `FisherSnedecor` instance. @category torch @since 0.2.0 */
export type FisherSnedecor = FisherSnedecorImpl
