/**
 * Location-scale distributions of `torch.distributions`: Normal, Laplace, Cauchy and
 * Uniform, all reparameterised (`rsample` is `loc + scale·ε` of standard noise from the facade's
 * generator, so `torch.manual_seed` governs it and gradients reach the parameters).
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { empty, full } from '../creation'
import { TorchValueError } from '../errors'
import { finfo } from '../finfo'
import type { PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import * as constraints from './constraints'
import {
  Distribution,
  standardNormal,
  standardUniform,
  type ArgConstraints,
  type Param,
  type SampleShape,
  type ValidateKw,
} from './distribution'
import { ExponentialFamily } from './expFamily'

type T = Tensor
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)

/** Keywords of Normal, LogNormal, Laplace and Cauchy. */
export interface LocScaleKw extends ValidateKw {
  readonly loc?: Param
  readonly scale?: Param
}
/** Arguments of Normal, LogNormal, Laplace and Cauchy: `(loc, scale, validate_args?)` or keywords. */
export type LocScaleArgs = PyArgs<[loc: Param, scale: Param, validate_args: boolean | null], LocScaleKw>

/** The shared part of the location-scale families: parameters, shapes, validation. */
abstract class LocScale extends Distribution {
  declare readonly loc: T
  declare readonly scale: T
  override readonly has_rsample: boolean = true
  constructor(args: LocScaleArgs) {
    super()
    this._scalarParams(args, ['loc', 'scale'])
  }
  get arg_constraints(): ArgConstraints {
    return LOC_SCALE
  }
  get support(): constraints.Constraint {
    return constraints.real
  }
  override get mode(): T {
    return this.loc
  }
}
const LOC_SCALE: ArgConstraints = { loc: constraints.real, scale: constraints.positive }

/** See {@link Normal}. */
class NormalImpl extends ExponentialFamily {
  declare readonly loc: T
  declare readonly scale: T
  override readonly has_rsample: boolean = true
  constructor(...args: LocScaleArgs) {
    super()
    this._scalarParams(args, ['loc', 'scale'])
  }
  get arg_constraints(): ArgConstraints {
    return LOC_SCALE
  }
  get support(): constraints.Constraint {
    return constraints.real
  }
  override get mode(): T {
    return this.loc
  }
  override get _mean_carrier_measure(): number {
    return 0
  }
  /** (loc / scale², −1 / (2·scale²)). */
  override get _natural_params(): ReadonlyArray<T> {
    const s2 = this.scale.pow(2)
    return [this.loc.div(s2), s2.reciprocal().mul(-0.5)]
  }
  override _log_normalizer(...[x, y]: ReadonlyArray<T>): T {
    const [a, b] = [x as T, y as T]
    return a.pow(2).mul(-0.25).div(b).add(b.reciprocal().mul(-Math.PI).log().mul(0.5))
  }
  override get mean(): T {
    return this.loc
  }
  override get stddev(): T {
    return this.scale
  }
  override get variance(): T {
    return this.scale.pow(2)
  }
  override rsample(sample_shape: SampleShape = []): T {
    const eps = standardNormal(this._extended_shape(sample_shape), this.loc.dtype)
    return this.loc.add(eps.mul(this.scale))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    return value.sub(this.loc).pow(2).div(this.scale.pow(2).mul(2)).neg().sub(this.scale.log()).sub(HALF_LOG_2PI)
  }
  override cdf(value: T): T {
    this._validate_sample(value)
    return value.sub(this.loc).mul(this.scale.reciprocal()).div(Math.SQRT2).erf().add(1).mul(0.5)
  }
  override icdf(value: T): T {
    return this.loc.add(this.scale.mul(value.mul(2).sub(1).erfinv()).mul(Math.SQRT2))
  }
  override entropy(): T {
    return this.scale.log().add(0.5 + HALF_LOG_2PI)
  }
}

/** See {@link Laplace}. */
class LaplaceImpl extends LocScale {
  constructor(...args: LocScaleArgs) {
    super(args)
  }
  override get mean(): T {
    return this.loc
  }
  override get stddev(): T {
    return this.scale.mul(Math.SQRT2)
  }
  override get variance(): T {
    return this.scale.pow(2).mul(2)
  }
  override rsample(sample_shape: SampleShape = []): T {
    const eps = finfo(this.loc.dtype).eps
    // u uniform on [eps − 1, 1): |u| < 1, so log1p(−|u|) is finite
    const u = empty([...this._extended_shape(sample_shape)], { dtype: this.loc.dtype }).uniform_(eps - 1, 1)
    return this.loc.sub(this.scale.mul(u.sign()).mul(u.abs().neg().log1p()))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    return this.scale.mul(2).log().neg().sub(value.sub(this.loc).abs().div(this.scale))
  }
  override cdf(value: T): T {
    this._validate_sample(value)
    const z = value.sub(this.loc)
    return z.sign().mul(0.5).mul(z.abs().neg().div(this.scale).expm1()).rsub(0.5)
  }
  override icdf(value: T): T {
    const term = value.sub(0.5)
    return this.loc.sub(this.scale.mul(term.sign()).mul(term.abs().mul(-2).log1p()))
  }
  override entropy(): T {
    return this.scale.mul(2).log().add(1)
  }
}

/** See {@link Cauchy}. */
class CauchyImpl extends LocScale {
  constructor(...args: LocScaleArgs) {
    super(args)
  }
  override get mean(): T {
    return full([...this._extended_shape()], NaN, { dtype: this.loc.dtype })
  }
  override get variance(): T {
    return full([...this._extended_shape()], Infinity, { dtype: this.loc.dtype })
  }
  override rsample(sample_shape: SampleShape = []): T {
    // PyTorch: loc + loc.new(shape).cauchy_() * scale
    const eps = empty([...this._extended_shape(sample_shape)], { dtype: this.loc.dtype }).cauchy_()
    return this.loc.add(eps.mul(this.scale))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    // −log π − log scale − log1p(z²), in PyTorch's order (its node is SubBackward0)
    return this.scale.log().rsub(-Math.log(Math.PI)).sub(value.sub(this.loc).div(this.scale).pow(2).log1p())
  }
  override cdf(value: T): T {
    this._validate_sample(value)
    return value.sub(this.loc).div(this.scale).atan().div(Math.PI).add(0.5)
  }
  override icdf(value: T): T {
    return value.sub(0.5).mul(Math.PI).tan().mul(this.scale).add(this.loc)
  }
  override entropy(): T {
    return this.scale.log().add(Math.log(4 * Math.PI))
  }
}

/** Keywords of Uniform. */
export interface UniformKw extends ValidateKw {
  readonly low?: Param
  readonly high?: Param
}

/** See {@link Uniform}. */
class UniformImpl extends Distribution {
  declare readonly low: T
  declare readonly high: T
  override readonly has_rsample: boolean = true
  constructor(...args: PyArgs<[low: Param, high: Param, validate_args: boolean | null], UniformKw>) {
    super()
    const [low, high] = this._scalarParams(args, ['low', 'high']) as [T, T]
    if (this._validate_args && !(low.lt(high).all().item() as boolean))
      throw new TorchValueError('Uniform is not defined when low>= high')
  }
  get arg_constraints(): ArgConstraints {
    return { low: constraints.dependent, high: constraints.dependent }
  }
  get support(): constraints.Constraint {
    return constraints.interval(this.low, this.high)
  }
  override get mean(): T {
    return this.high.add(this.low).div(2)
  }
  override get mode(): T {
    return full([...this._extended_shape()], NaN, { dtype: this.low.dtype })
  }
  override get stddev(): T {
    return this.high.sub(this.low).div(Math.sqrt(12))
  }
  override get variance(): T {
    return this.high.sub(this.low).pow(2).div(12)
  }
  override rsample(sample_shape: SampleShape = []): T {
    const u = standardUniform(this._extended_shape(sample_shape), this.low.dtype)
    return this.low.add(u.mul(this.high.sub(this.low)))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const inside = this.low.le(value).type_as(this.low).mul(this.high.gt(value).type_as(this.low))
    return inside.log().sub(this.high.sub(this.low).log())
  }
  override cdf(value: T): T {
    this._validate_sample(value)
    return value.sub(this.low).div(this.high.sub(this.low)).clamp(0, 1)
  }
  override icdf(value: T): T {
    return value.mul(this.high.sub(this.low)).add(this.low)
  }
  override entropy(): T {
    return this.high.sub(this.low).log()
  }
}

/**
 * PyTorch's `torch.distributions.Normal(loc, scale)`: the Gaussian N(loc, scale²).
 * @example
 * import * as torch from 'wengert/torch'
 * const loc = torch.tensor([0.5], { requires_grad: true })
 * const d = new torch.distributions.Normal(loc, 2)
 * assert.ok(Math.abs(d.log_prob(torch.tensor([0.5])).item() - (-Math.log(2) - 0.5 * Math.log(2 * Math.PI))) < 1e-6)
 * torch.manual_seed(0)
 * d.rsample([1000]).mean().backward()
 * assert.ok(Math.abs(loc.grad!.item() - 1) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const Normal = pyClass(NormalImpl, 'Normal')
/** A `Normal` instance. @category torch @since 0.2.0 */
export type Normal = NormalImpl

/**
 * PyTorch's `torch.distributions.Laplace(loc, scale)`: density exp(−|x − loc|/scale)/(2·scale).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Laplace(0, 1)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(1)).item() - (-1 - Math.LN2)) < 1e-6)
 * assert.ok(Math.abs(d.cdf(torch.tensor(0)).item() - 0.5) < 1e-7)
 * @category torch
 * @since 0.2.0
 */
export const Laplace = pyClass(LaplaceImpl, 'Laplace')
/** A `Laplace` instance. @category torch @since 0.2.0 */
export type Laplace = LaplaceImpl

/**
 * PyTorch's `torch.distributions.Cauchy(loc, scale)` (the Lorentz distribution; its mean is NaN
 * and its variance infinite).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Cauchy(0, 1)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(0)).item() + Math.log(Math.PI)) < 1e-6)
 * assert.ok(Number.isNaN(d.mean.item()))
 * @category torch
 * @since 0.2.0
 */
export const Cauchy = pyClass(CauchyImpl, 'Cauchy')
/** A `Cauchy` instance. @category torch @since 0.2.0 */
export type Cauchy = CauchyImpl

/**
 * PyTorch's `torch.distributions.Uniform(low, high)`: uniform on [low, high).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Uniform(torch.tensor([0.0]), torch.tensor([4.0]))
 * assert.ok(Math.abs(d.log_prob(torch.tensor([1])).item() + Math.log(4)) < 1e-6)
 * assert.deepStrictEqual(d.cdf(torch.tensor([1])).tolist(), [0.25])
 * assert.throws(() => new torch.distributions.Uniform(1, 0), /Uniform is not defined when low>= high/)
 * @category torch
 * @since 0.2.0
 */
export const Uniform = pyClass(UniformImpl, 'Uniform')
/** A `Uniform` instance. @category torch @since 0.2.0 */
export type Uniform = UniformImpl
