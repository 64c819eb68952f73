/**
 * Distributions PyTorch defines as a {@link TransformedDistribution} of a simpler one: Gumbel,
 * HalfNormal, HalfCauchy, Pareto, Weibull, Kumaraswamy and LogisticNormal (each is an instance of
 * TransformedDistribution, with its `base_dist` and `transforms`, and PyTorch's closed forms
 * where PyTorch has them).
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { full, full_like, ones_like, zeros_like } from '../creation'
import { finfo } from '../finfo'
import type { PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import * as constraints from './constraints'
import {
  broadcastAll,
  parseDistArgs,
  validateOf,
  type ArgConstraints,
  type Param,
  type ValidateKw,
} from './distribution'
import { Exponential } from './gamma'
import { Cauchy, Normal, Uniform } from './normal'
import { TransformedDistribution } from './transformed'
import { AbsTransform, ExpTransform } from './transformsElementwise'
import { AffineTransform, PowerTransform } from './transformsAffine'
import { StickBreakingTransform } from './transformsVector'

type T = Tensor
/** The Euler–Mascheroni constant γ. */
export const EULER = 0.5772156649015329

/** Keywords of Gumbel (and LogisticNormal). */
export interface LocScaleTKw extends ValidateKw {
  readonly loc?: Param
  readonly scale?: Param
}

/** See {@link Gumbel}. */
class GumbelImpl extends TransformedDistribution {
  declare readonly loc: T
  declare readonly scale: T
  constructor(...args: PyArgs<[loc: Param, scale: Param, validate_args: boolean | null], LocScaleTKw>) {
    const a = parseDistArgs(args, ['loc', 'scale', 'validate_args'], 2)
    const [loc, scale] = broadcastAll(a['loc'] as Param, a['scale'] as Param) as [T, T]
    const fi = finfo(loc.dtype)
    const base = new Uniform(full_like(loc, fi.tiny), full_like(loc, 1 - fi.eps))
    const ts = [
      new ExpTransform().inv,
      new AffineTransform(0, ones_like(scale).neg()),
      new ExpTransform().inv,
      new AffineTransform(loc, scale.neg()),
    ]
    super(base, ts, validateOf(a))
    Object.assign(this, { loc, scale })
    this._setup(base, ts, validateOf(a))
  }
  override get arg_constraints(): ArgConstraints {
    return { loc: constraints.real, scale: constraints.positive }
  }
  override get support(): constraints.Constraint {
    return constraints.real
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const y = this.loc.sub(value).div(this.scale)
    return y.sub(y.exp()).sub(this.scale.log())
  }
  override get mean(): T {
    return this.loc.add(this.scale.mul(EULER))
  }
  override get mode(): T {
    return this.loc
  }
  override get stddev(): T {
    return this.scale.mul(Math.PI / Math.sqrt(6))
  }
  override get variance(): T {
    return this.stddev.pow(2)
  }
  override entropy(): T {
    return this.scale.log().add(1 + EULER)
  }
}

/** Keywords of HalfNormal and HalfCauchy. */
export interface ScaleKw extends ValidateKw {
  readonly scale?: Param
}

/** |X| of a symmetric location-0 distribution: log_prob, cdf, icdf, entropy from the base. */
abstract class Folded extends TransformedDistribution {
  /** The scale (the base distribution's). */
  get scale(): T {
    return (this.base_dist as Normal | Cauchy).scale
  }
  override get arg_constraints(): ArgConstraints {
    return { scale: constraints.positive }
  }
  override get support(): constraints.Constraint {
    return constraints.nonnegative
  }
  override get mode(): T {
    return zeros_like(this.scale)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const lp = this.base_dist.log_prob(value).add(Math.LN2)
    return lp.masked_fill(value.lt(0), -Infinity)
  }
  override cdf(value: T): T {
    this._validate_sample(value)
    return this.base_dist.cdf(value).mul(2).sub(1)
  }
  override icdf(prob: T): T {
    return this.base_dist.icdf(prob.add(1).div(2))
  }
  override entropy(): T {
    return this.base_dist.entropy().sub(Math.LN2)
  }
}

/** See {@link HalfNormal}. */
class HalfNormalImpl extends Folded {
  constructor(...args: PyArgs<[scale: Param, validate_args: boolean | null], ScaleKw>) {
    const a = parseDistArgs(args, ['scale', 'validate_args'], 1)
    super(new Normal(0, a['scale'] as Param, { validate_args: false }), new AbsTransform(), validateOf(a))
  }
  override get mean(): T {
    return this.scale.mul(Math.sqrt(2 / Math.PI))
  }
  override get variance(): T {
    return this.scale.pow(2).mul(1 - 2 / Math.PI)
  }
}

/** See {@link HalfCauchy}. */
class HalfCauchyImpl extends Folded {
  constructor(...args: PyArgs<[scale: Param, validate_args: boolean | null], ScaleKw>) {
    const a = parseDistArgs(args, ['scale', 'validate_args'], 1)
    super(new Cauchy(0, a['scale'] as Param, { validate_args: false }), new AbsTransform(), validateOf(a))
  }
  override get mean(): T {
    return full([...this._extended_shape()], Infinity, { dtype: this.scale.dtype })
  }
  override get variance(): T {
    return this.base_dist.variance
  }
}

/** Keywords of Pareto. */
export interface ParetoKw extends ValidateKw {
  readonly scale?: Param
  readonly alpha?: Param
}

/** See {@link Pareto}. */
class ParetoImpl extends TransformedDistribution {
  declare readonly scale: T
  declare readonly alpha: T
  constructor(...args: PyArgs<[scale: Param, alpha: Param, validate_args: boolean | null], ParetoKw>) {
    const a = parseDistArgs(args, ['scale', 'alpha', 'validate_args'], 2)
    const [scale, alpha] = broadcastAll(a['scale'] as Param, a['alpha'] as Param) as [T, T]
    const base = new Exponential(alpha, validateOf(a))
    const ts = [new ExpTransform(), new AffineTransform(0, scale)]
    super(base, ts, validateOf(a))
    Object.assign(this, { scale, alpha })
    this._setup(base, ts, validateOf(a))
  }
  override get arg_constraints(): ArgConstraints {
    return { alpha: constraints.positive, scale: constraints.positive }
  }
  override get support(): constraints.Constraint {
    return constraints.greater_than_eq(this.scale)
  }
  override get mean(): T {
    const a = this.alpha.clamp_min(1)
    return a.mul(this.scale).div(a.sub(1))
  }
  override get mode(): T {
    return this.scale
  }
  override get variance(): T {
    const a = this.alpha.clamp_min(2)
    return this.scale
      .pow(2)
      .mul(a)
      .div(a.sub(1).pow(2).mul(a.sub(2)))
  }
  override entropy(): T {
    return this.scale.div(this.alpha).log().add(this.alpha.reciprocal().add(1))
  }
}

/** Keywords of Weibull. */
export interface WeibullKw extends ValidateKw {
  readonly scale?: Param
  readonly concentration?: Param
}

/** See {@link Weibull}. */
class WeibullImpl extends TransformedDistribution {
  declare readonly scale: T
  declare readonly concentration: T
  declare readonly concentration_reciprocal: T
  constructor(...args: PyArgs<[scale: Param, concentration: Param, validate_args: boolean | null], WeibullKw>) {
    const a = parseDistArgs(args, ['scale', 'concentration', 'validate_args'], 2)
    const [scale, concentration] = broadcastAll(a['scale'] as Param, a['concentration'] as Param) as [T, T]
    const concentration_reciprocal = concentration.reciprocal()
    const base = new Exponential(ones_like(scale), validateOf(a))
    const ts = [new PowerTransform({ exponent: concentration_reciprocal }), new AffineTransform(0, scale)]
    super(base, ts, validateOf(a))
    Object.assign(this, { scale, concentration, concentration_reciprocal })
    this._setup(base, ts, validateOf(a))
  }
  override get arg_constraints(): ArgConstraints {
    return { scale: constraints.positive, concentration: constraints.positive }
  }
  override get support(): constraints.Constraint {
    return constraints.positive
  }
  override get mean(): T {
    return this.scale.mul(this.concentration_reciprocal.add(1).lgamma().exp())
  }
  override get mode(): T {
    const k = this.concentration
    return this.scale.mul(k.sub(1).div(k).pow(k.reciprocal()))
  }
  override get variance(): T {
    const r = this.concentration_reciprocal
    return this.scale.pow(2).mul(r.mul(2).add(1).lgamma().exp().sub(r.add(1).lgamma().mul(2).exp()))
  }
  override entropy(): T {
    const r = this.concentration_reciprocal
    return r.neg().add(1).mul(EULER).add(this.scale.mul(r).log()).add(1)
  }
}

/** Keywords of Kumaraswamy. */
export interface KumaraswamyKw extends ValidateKw {
  readonly concentration1?: Param
  readonly concentration0?: Param
}

/** E[Xⁿ] of Kumaraswamy(a, b) = b·B(1 + n/a, b). */
const kumaMoment = (a: T, b: T, n: number): T => {
  const arg1 = a.reciprocal().mul(n).add(1)
  return b.mul(arg1.lgamma().add(b.lgamma()).sub(arg1.add(b).lgamma()).exp())
}

/** See {@link Kumaraswamy}. */
class KumaraswamyImpl extends TransformedDistribution {
  declare readonly concentration1: T
  declare readonly concentration0: T
  constructor(
    ...args: PyArgs<[concentration1: Param, concentration0: Param, validate_args: boolean | null], KumaraswamyKw>
  ) {
    const a = parseDistArgs(args, ['concentration1', 'concentration0', 'validate_args'], 2)
    const [c1, c0] = broadcastAll(a['concentration1'] as Param, a['concentration0'] as Param) as [T, T]
    const base = new Uniform(full_like(c0, 0), full_like(c0, 1), validateOf(a))
    const ts = [
      new PowerTransform({ exponent: c0.reciprocal() }),
      new AffineTransform(1, -1),
      new PowerTransform({ exponent: c1.reciprocal() }),
    ]
    super(base, ts, validateOf(a))
    Object.assign(this, { concentration1: c1, concentration0: c0 })
    this._setup(base, ts, validateOf(a))
  }
  override get arg_constraints(): ArgConstraints {
    return { concentration1: constraints.positive, concentration0: constraints.positive }
  }
  override get support(): constraints.Constraint {
    return constraints.unit_interval
  }
  override get mean(): T {
    return kumaMoment(this.concentration1, this.concentration0, 1)
  }
  override get mode(): T {
    const [c1, c0] = [this.concentration1, this.concentration0]
    const logMode = c0.reciprocal().mul(c0.neg().log1p()).sub(c0.neg().mul(c1).log1p())
    return logMode.masked_fill(c0.lt(1).logical_or(c1.lt(1)), NaN).exp()
  }
  override get variance(): T {
    return kumaMoment(this.concentration1, this.concentration0, 2).sub(this.mean.pow(2))
  }
  override entropy(): T {
    const [c1, c0] = [this.concentration1, this.concentration0]
    const t1 = c1.reciprocal().neg().add(1)
    const t0 = c0.reciprocal().neg().add(1)
    const h0 = c0.add(1).digamma().add(EULER)
    return t0.add(t1.mul(h0)).sub(c1.log()).sub(c0.log())
  }
}

/** See {@link LogisticNormal}. */
class LogisticNormalImpl extends TransformedDistribution {
  constructor(...args: PyArgs<[loc: Param, scale: Param, validate_args: boolean | null], LocScaleTKw>) {
    const a = parseDistArgs(args, ['loc', 'scale', 'validate_args'], 2)
    let base: Normal = new Normal(a['loc'] as Param, a['scale'] as Param, validateOf(a))
    if (base.batch_shape.length === 0) base = base.expand([1])
    super(base, new StickBreakingTransform(), validateOf(a))
  }
  /** The location of the base Normal. */
  get loc(): T {
    return ((this.base_dist as unknown as { base_dist: Normal }).base_dist as Normal).loc
  }
  /** The scale of the base Normal. */
  get scale(): T {
    return ((this.base_dist as unknown as { base_dist: Normal }).base_dist as Normal).scale
  }
  override get arg_constraints(): ArgConstraints {
    return { loc: constraints.real, scale: constraints.positive }
  }
  override get support(): constraints.Constraint {
    return constraints.simplex
  }
}

/**
 * PyTorch's `Gumbel(loc, scale)`: the type-I extreme value distribution,
 * log p(x) = −(z + e^(−z)) − log scale with z = (x − loc)/scale.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Gumbel(0, 1)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(0)).item() + 1) < 1e-6)
 * assert.ok(d instanceof torch.distributions.TransformedDistribution)
 * @category torch
 * @since 0.2.0
 */
export const Gumbel = pyClass(GumbelImpl, 'Gumbel')
/** A `Gumbel` instance. @category torch @since 0.2.0 */
export type Gumbel = GumbelImpl

/**
 * PyTorch's `HalfNormal(scale)`: |X| for X ~ Normal(0, scale).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.HalfNormal(1)
 * assert.ok(Math.abs(d.mean.item() - Math.sqrt(2 / Math.PI)) < 1e-6)
 * // outside the support: an error, unless validation is off
 * assert.throws(() => d.log_prob(torch.tensor(-1)), /to be within the support/)
 * const u = new torch.distributions.HalfNormal(1, { validate_args: false })
 * assert.strictEqual(u.log_prob(torch.tensor(-1)).item(), -Infinity)
 * @category torch
 * @since 0.2.0
 */
export const HalfNormal = pyClass(HalfNormalImpl, 'HalfNormal')
/** A `HalfNormal` instance. @category torch @since 0.2.0 */
export type HalfNormal = HalfNormalImpl

/**
 * PyTorch's `HalfCauchy(scale)`: |X| for X ~ Cauchy(0, scale).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.HalfCauchy(1)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(0)).item() - Math.log(2 / Math.PI)) < 1e-6)
 * assert.strictEqual(d.mean.item(), Infinity)
 * @category torch
 * @since 0.2.0
 */
export const HalfCauchy = pyClass(HalfCauchyImpl, 'HalfCauchy')
/** A `HalfCauchy` instance. @category torch @since 0.2.0 */
export type HalfCauchy = HalfCauchyImpl

/**
 * PyTorch's `Pareto(scale, alpha)`: density α·scale^α / x^(α+1) on x ≥ scale.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Pareto(1, 3)
 * assert.ok(Math.abs(d.mean.item() - 1.5) < 1e-6)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(2)).item() - Math.log(3 / 16)) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const Pareto = pyClass(ParetoImpl, 'Pareto')
/** A `Pareto` instance. @category torch @since 0.2.0 */
export type Pareto = ParetoImpl

/**
 * PyTorch's `Weibull(scale, concentration)`: scale·E^(1/concentration) for E ~ Exponential(1).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Weibull(1, 1)
 * // concentration 1 is Exponential(1)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(2)).item() + 2) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const Weibull = pyClass(WeibullImpl, 'Weibull')
/** A `Weibull` instance. @category torch @since 0.2.0 */
export type Weibull = WeibullImpl

/**
 * PyTorch's `Kumaraswamy(concentration1, concentration0)`: density a·b·x^(a−1)·(1 − xᵃ)^(b−1) on
 * [0, 1], reparameterised through uniform noise.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Kumaraswamy(1, 1)
 * assert.ok(Math.abs(d.mean.item() - 0.5) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const Kumaraswamy = pyClass(KumaraswamyImpl, 'Kumaraswamy')
/** A `Kumaraswamy` instance. @category torch @since 0.2.0 */
export type Kumaraswamy = KumaraswamyImpl

/**
 * PyTorch's `LogisticNormal(loc, scale)`: stick-breaking of a Normal(loc, scale) vector, a
 * distribution on the simplex with one more entry than `loc`.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.LogisticNormal(torch.zeros(2), torch.ones(2))
 * assert.deepStrictEqual([...d.event_shape], [3])
 * @category torch
 * @since 0.2.0
 */
export const LogisticNormal = pyClass(LogisticNormalImpl, 'LogisticNormal')
/** A `LogisticNormal` instance. @category torch @since 0.2.0 */
export type LogisticNormal = LogisticNormalImpl
