/**
 * `torch.distributions.ContinuousBernoulli`: the continuous relaxation of the Bernoulli on [0, 1]
 * (Loaiza-Ganem & Cunningham, 2019), with PyTorch's Taylor expansions inside the unstable region
 * around probs = 0.5 (`lims`).
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { TorchValueError } from '../errors'
import type { PyArgs } from '../kwargs'
import { binary_cross_entropy_with_logits as bceLogits } from '../nn/functional'
import type { Tensor } from '../tensor'
import * as constraints from './constraints'
import { clampProbs, oneOf } from './discrete'
import {
  broadcastAll,
  parseDistArgs,
  standardUniform,
  validateOf,
  type ArgConstraints,
  type Param,
  type SampleShape,
  type ValidateKw,
} from './distribution'
import { ExponentialFamily } from './expFamily'

type T = Tensor

/** Keywords of ContinuousBernoulli. */
export interface ContinuousBernoulliKw extends ValidateKw {
  readonly probs?: Param | null
  readonly logits?: Param | null
  readonly lims?: readonly [number, number]
}

/** See {@link ContinuousBernoulli}. */
class ContinuousBernoulliImpl extends ExponentialFamily {
  declare readonly probs: T
  declare readonly logits: T
  override readonly has_rsample: boolean = true
  /** @internal */
  declare readonly _lims: readonly [number, number]
  constructor(
    ...args: PyArgs<
      [probs: Param | null, logits: Param | null, lims: readonly [number, number], validate_args: boolean | null],
      ContinuousBernoulliKw
    >
  ) {
    super()
    const a = parseDistArgs(args, ['probs', 'logits', 'lims', 'validate_args'], 0)
    const given = oneOf(a)
    const [p] = broadcastAll(a[given] as Param) as [T]
    if (given === 'probs') {
      // checked before clamping, as PyTorch does when validate_args is given
      if (a['validate_args'] !== undefined && a['validate_args'] !== null)
        if (!(constraints.unit_interval.check(p).all().item() as boolean))
          throw new TorchValueError('The parameter probs has invalid values')
      const ps = clampProbs(p)
      Object.assign(this, { probs: ps, logits: ps.log().sub(ps.neg().log1p()) })
    } else Object.assign(this, { logits: p, probs: clampProbs(p.sigmoid()) })
    Object.assign(this, { _lims: (a['lims'] as readonly [number, number] | undefined) ?? [0.499, 0.501] })
    this._init(p.shape, [], validateOf(a), [given])
    this._lazy(given === 'probs' ? 'logits' : 'probs')
  }
  get arg_constraints(): ArgConstraints {
    return { probs: constraints.unit_interval, logits: constraints.real }
  }
  get support(): constraints.Constraint {
    return constraints.unit_interval
  }
  private _outside(): T {
    return this.probs.le(this._lims[0]).logical_or(this.probs.gt(this._lims[1]))
  }
  private _cut(): T {
    return this.probs.where(this._outside(), this.probs.mul(0).add(this._lims[0]))
  }
  override get _mean_carrier_measure(): number {
    return 0
  }
  /** (logits). */
  override get _natural_params(): ReadonlyArray<T> {
    return [this.logits]
  }
  /** The log normaliser at natural parameter x (its Taylor series where x is within `lims` − 0.5 of 0, as PyTorch). */
  override _log_normalizer(...[x]: ReadonlyArray<T>): T {
    const n = x as T
    const outside = n.le(this._lims[0] - 0.5).logical_or(n.gt(this._lims[1] - 0.5))
    const cut = n.where(outside, n.mul(0).add(this._lims[0] - 0.5))
    const logNorm = cut.exp().sub(1).abs().log().sub(cut.abs().log())
    const taylor = n.mul(0.5).add(n.pow(2).div(24)).sub(n.pow(4).div(2880))
    return logNorm.where(outside, taylor)
  }
  /** log of the normalising constant. */
  _cont_bern_log_norm(): T {
    const c = this._cut()
    const le = c.le(0.5)
    const below = c.where(le, c.mul(0))
    const above = c.where(c.ge(0.5), c.mul(0).add(1))
    const logNorm = c
      .neg()
      .log1p()
      .sub(c.log())
      .abs()
      .log()
      .sub(below.mul(-2).log1p().where(le, above.mul(2).sub(1).log()))
    const x = this.probs.sub(0.5).pow(2)
    const taylor = x
      .mul(104 / 45)
      .add(4 / 3)
      .mul(x)
      .add(Math.LN2)
    return logNorm.where(this._outside(), taylor)
  }
  override get mean(): T {
    const c = this._cut()
    const mus = c.div(c.mul(2).sub(1)).add(c.neg().log1p().sub(c.log()).reciprocal())
    const x = this.probs.sub(0.5)
    const taylor = x
      .pow(2)
      .mul(16 / 45)
      .add(1 / 3)
      .mul(x)
      .add(0.5)
    return mus.where(this._outside(), taylor)
  }
  override get variance(): T {
    const c = this._cut()
    const vars = c.mul(c.sub(1)).div(c.mul(-2).add(1).pow(2)).add(c.neg().log1p().sub(c.log()).pow(2).reciprocal())
    const x = this.probs.sub(0.5).pow(2)
    const taylor = x
      .mul(128 / 945)
      .neg()
      .add(1 / 15)
      .mul(x)
      .neg()
      .add(1 / 12)
    return vars.where(this._outside(), taylor)
  }
  override rsample(sample_shape: SampleShape = []): T {
    return this.icdf(standardUniform(this._extended_shape(sample_shape), this.probs.dtype))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const [logits, v] = broadcastAll(this.logits, value) as [T, T]
    return bceLogits(logits, v, { reduction: 'none' }).neg().add(this._cont_bern_log_norm())
  }
  override cdf(value: T): T {
    const c = this._cut()
    const cdfs = c
      .pow(value)
      .mul(c.neg().add(1).pow(value.neg().add(1)))
      .add(c)
      .sub(1)
      .div(c.mul(2).sub(1))
    const unbounded = cdfs.where(this._outside(), value)
    return unbounded.where(value.lt(1), value.mul(0).add(1)).where(value.gt(0), value.mul(0))
  }
  override icdf(value: T): T {
    const c = this._cut()
    const num = c
      .neg()
      .add(value.mul(c.mul(2).sub(1)))
      .log1p()
      .sub(c.neg().log1p())
    return num.div(c.log().sub(c.neg().log1p())).where(this._outside(), value)
  }
  override entropy(): T {
    const lp0 = this.probs.neg().log1p()
    const lp1 = this.probs.log()
    return this.mean.mul(lp0.sub(lp1)).sub(this._cont_bern_log_norm()).sub(lp0)
  }
}

/**
 * PyTorch's `torch.distributions.ContinuousBernoulli(probs=None, logits=None, lims=(0.499, 0.501))`:
 * density ∝ probs^x·(1 − probs)^(1−x) on [0, 1], reparameterised through its inverse cdf.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.ContinuousBernoulli(torch.tensor([0.2]))
 * const c = Math.log(4) / 0.6 // the normaliser 2·atanh(1 − 2p)/(1 − 2p)
 * assert.ok(Math.abs(d.log_prob(torch.tensor([1])).item() - Math.log(0.2 * c)) < 1e-5)
 * assert.ok(Math.abs(new torch.distributions.ContinuousBernoulli(0.5).mean.item() - 0.5) < 1e-7)
 * @category torch
 * @since 0.2.0
 */
export const ContinuousBernoulli = pyClass(ContinuousBernoulliImpl, 'ContinuousBernoulli')
/** A `ContinuousBernoulli` instance. @category torch @since 0.2.0 */
export type ContinuousBernoulli = ContinuousBernoulliImpl
