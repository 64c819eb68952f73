/**
 * `torch.distributions.LogNormal`: as in PyTorch, a {@link TransformedDistribution} of a Normal
 * by an ExpTransform (so it is an instance of TransformedDistribution, and KL(LogNormal ‖
 * LogNormal) is the KL of the base Normals).
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import type { Tensor } from '../tensor'
import * as constraints from './constraints'
import { parseDistArgs, validateOf, type ArgConstraints, type Param } from './distribution'
import { Normal, type LocScaleArgs } from './normal'
import { TransformedDistribution } from './transformed'
import { ExpTransform } from './transformsElementwise'

type T = Tensor

/** See {@link LogNormal}. */
class LogNormalImpl extends TransformedDistribution {
  constructor(...args: LocScaleArgs) {
    const a = parseDistArgs(args, ['loc', 'scale', 'validate_args'], 2)
    const validate = validateOf(a)
    const base = new Normal(a['loc'] as Param, a['scale'] as Param, { validate_args: validate })
    super(base, [new ExpTransform()], validate)
  }
  /** The base Normal's mean. */
  get loc(): T {
    return (this.base_dist as Normal).loc
  }
  /** The base Normal's standard deviation. */
  get scale(): T {
    return (this.base_dist as Normal).scale
  }
  override get arg_constraints(): ArgConstraints {
    return { loc: constraints.real, scale: constraints.positive }
  }
  override get support(): constraints.Constraint {
    return constraints.positive
  }
  override get mean(): T {
    return this.loc.add(this.scale.pow(2).div(2)).exp()
  }
  override get mode(): T {
    return this.loc.sub(this.scale.pow(2)).exp()
  }
  override get variance(): T {
    const s2 = this.scale.pow(2)
    return s2.expm1().mul(this.loc.mul(2).add(s2).exp())
  }
  override entropy(): T {
    return this.base_dist.entropy().add(this.loc)
  }
}

/**
 * PyTorch's `torch.distributions.LogNormal(loc, scale)`: exp of a Normal(loc, scale) (its
 * `base_dist`); `loc` and `scale` are the base distribution's.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.LogNormal(0, 1)
 * assert.ok(Math.abs(d.mean.item() - Math.exp(0.5)) < 1e-6)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(1)).item() + 0.5 * Math.log(2 * Math.PI)) < 1e-6)
 * assert.ok(d instanceof torch.distributions.TransformedDistribution)
 * @category torch
 * @since 0.2.0
 */
export const LogNormal = pyClass(LogNormalImpl, 'LogNormal')
/** A `LogNormal` instance. @category torch @since 0.2.0 */
export type LogNormal = LogNormalImpl
