/**
 * The Gamma family of `torch.distributions`: Gamma, Exponential, Beta, Dirichlet and StudentT.
 * Gamma and Dirichlet draws carry PyTorch's approximate pathwise derivatives (gammaDraws.ts:
 * nodes `StandardGammaBackward0`, `_DirichletBackward`), so `rsample` of Gamma, Beta, Dirichlet
 * and StudentT carries gradients to the concentrations.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { TorchValueError } from '../errors'
import { finfo } from '../finfo'
import type { PyArgs } from '../kwargs'
import { empty, zeros_like } from '../creation'
import { one_hot } from '../nn/functional'
import { stack } from '../ops/functions'
import { dirichletDraw, standardGamma } from './gammaDraws'
import * as special from '../special'
import type { Tensor } from '../tensor'
import * as constraints from './constraints'
import {
  asTensor,
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
import { ExponentialFamily } from './expFamily'
import { indexMask, indexPut } from './indexPut'

type T = Tensor

/**
 * Gamma draws clamped to the dtype's smallest normal number in place through a detached alias, as
 * PyTorch keeps samples positive: the draw keeps its DivBackward0 node (the clamp is not recorded)
 * and its version counter counts the clamp.
 */
const clampTiny = (x: T): T => {
  x.detach().clamp_(finfo(x.dtype).tiny)
  return x
}

/** Keywords of Gamma. */
export interface GammaKw extends ValidateKw {
  readonly concentration?: Param
  readonly rate?: Param
}

/** See {@link Gamma}. */
class GammaImpl extends ExponentialFamily {
  declare readonly concentration: T
  declare readonly rate: T
  override get _mean_carrier_measure(): number {
    return 0
  }
  /** (α − 1, −β). */
  override get _natural_params(): ReadonlyArray<T> {
    return [this.concentration.sub(1), this.rate.neg()]
  }
  override _log_normalizer(...[x, y]: ReadonlyArray<T>): T {
    return (x as T)
      .add(1)
      .lgamma()
      .add((x as T).add(1).mul((y as T).reciprocal().neg().log()))
  }
  override readonly has_rsample: boolean = true
  constructor(...args: PyArgs<[concentration: Param, rate: Param, validate_args: boolean | null], GammaKw>) {
    super()
    this._scalarParams(args, ['concentration', 'rate'])
  }
  get arg_constraints(): ArgConstraints {
    return { concentration: constraints.positive, rate: constraints.positive }
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative
  }
  override get mean(): T {
    return this.concentration.div(this.rate)
  }
  override get mode(): T {
    return this.concentration.sub(1).div(this.rate).clamp(0)
  }
  override get variance(): T {
    return this.concentration.div(this.rate.pow(2))
  }
  override rsample(sample_shape: SampleShape = []): T {
    const shape = this._extended_shape(sample_shape)
    return clampTiny(standardGamma(this.concentration.expand([...shape])).div(this.rate.expand([...shape])))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const c = this.concentration
    return c.xlogy(this.rate).add(c.sub(1).xlogy(value)).sub(this.rate.mul(value)).sub(c.lgamma())
  }
  override cdf(value: T): T {
    this._validate_sample(value)
    return special.gammainc(this.concentration, this.rate.mul(value))
  }
  override entropy(): T {
    const c = this.concentration
    return c.sub(this.rate.log()).add(c.lgamma()).add(c.neg().add(1).mul(c.digamma()))
  }
}

/** Keywords of Exponential. */
export interface ExponentialKw extends ValidateKw {
  readonly rate?: Param
}

/** See {@link Exponential}. */
class ExponentialImpl extends ExponentialFamily {
  declare readonly rate: T
  override get _mean_carrier_measure(): number {
    return 0
  }
  /** (−rate). */
  override get _natural_params(): ReadonlyArray<T> {
    return [this.rate.neg()]
  }
  override _log_normalizer(...[x]: ReadonlyArray<T>): T {
    return (x as T).neg().log().neg()
  }
  override readonly has_rsample: boolean = true
  constructor(...args: PyArgs<[rate: Param, validate_args: boolean | null], ExponentialKw>) {
    super()
    this._scalarParams(args, ['rate'])
  }
  get arg_constraints(): ArgConstraints {
    return { rate: constraints.positive }
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative
  }
  override get mean(): T {
    return this.rate.reciprocal()
  }
  override get mode(): T {
    return zeros_like(this.rate)
  }
  override get stddev(): T {
    return this.rate.reciprocal()
  }
  override get variance(): T {
    return this.rate.pow(-2)
  }
  override rsample(sample_shape: SampleShape = []): T {
    // PyTorch: rate.new(shape).exponential_() / rate
    return empty([...this._extended_shape(sample_shape)], { dtype: this.rate.dtype })
      .exponential_()
      .div(this.rate)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    return this.rate.log().sub(this.rate.mul(value))
  }
  override cdf(value: T): T {
    this._validate_sample(value)
    return this.rate.neg().mul(value).exp().rsub(1)
  }
  override icdf(value: T): T {
    return value.neg().log1p().neg().div(this.rate)
  }
  override entropy(): T {
    return this.rate.log().rsub(1)
  }
}

/** log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b). */
const lbeta = (a: T, b: T): T => a.lgamma().add(b.lgamma()).sub(a.add(b).lgamma())

/** Keywords of Beta. */
export interface BetaKw extends ValidateKw {
  readonly concentration1?: Param
  readonly concentration0?: Param
}

/** See {@link Beta}. */
class BetaImpl extends ExponentialFamily {
  declare readonly concentration1: T
  declare readonly concentration0: T
  /** (concentration1, concentration0). */
  override get _natural_params(): ReadonlyArray<T> {
    return [this.concentration1, this.concentration0]
  }
  override _log_normalizer(...[x, y]: ReadonlyArray<T>): T {
    return lbeta(x as T, y as T)
  }
  override readonly has_rsample: boolean = true
  constructor(...args: PyArgs<[concentration1: Param, concentration0: Param, validate_args: boolean | null], BetaKw>) {
    super()
    // PyTorch builds its Dirichlet of the stacked concentrations first: that one's validation
    // (and message) comes before Beta's own
    const a = parseDistArgs(args, ['concentration1', 'concentration0', 'validate_args'], 2)
    const [c1, c0] = broadcastAll(a['concentration1'] as Param, a['concentration0'] as Param) as [T, T]
    void new Dirichlet(stack([c1, c0], -1), { validate_args: validateOf(a) })
    this._scalarParams(args, ['concentration1', 'concentration0'])
    // PyTorch's Beta holds its concentrations in a Dirichlet (properties, not instance fields): its repr is `Beta()`
    this._given = []
  }
  get arg_constraints(): ArgConstraints {
    return { concentration1: constraints.positive, concentration0: constraints.positive }
  }
  get support(): constraints.Constraint {
    return constraints.unit_interval
  }
  override get mean(): T {
    return this.concentration1.div(this.concentration1.add(this.concentration0))
  }
  override get mode(): T {
    // PyTorch: the first coordinate of its Dirichlet's mode (a view: SelectBackward0)
    return new Dirichlet(stack([this.concentration1, this.concentration0], -1), { validate_args: false }).mode.select(
      -1,
      0,
    )
  }
  override get variance(): T {
    const total = this.concentration1.add(this.concentration0)
    return this.concentration1.mul(this.concentration0).div(total.pow(2).mul(total.add(1)))
  }
  override rsample(sample_shape: SampleShape = []): T {
    const shape = this._extended_shape(sample_shape)
    // PyTorch: Dirichlet(stack([c1, c0], -1)).rsample(shape).select(-1, 0)
    const both = stack([this.concentration1, this.concentration0], -1)
    return dirichletDraw(both.expand([...shape, 2])).select(-1, 0)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const [c1, c0] = [this.concentration1, this.concentration0]
    return c1
      .sub(1)
      .xlogy(value)
      .add(c0.sub(1).xlogy(value.neg().add(1)))
      .sub(lbeta(c1, c0))
  }
  override entropy(): T {
    const [c1, c0] = [this.concentration1, this.concentration0]
    const a0 = c1.add(c0)
    // the entropy of Dirichlet([c1, c0]) in PyTorch's order (its node is SubBackward0)
    return c1
      .lgamma()
      .add(c0.lgamma())
      .sub(a0.lgamma())
      .sub(a0.rsub(2).mul(a0.digamma()))
      .sub(c1.sub(1).mul(c1.digamma()).add(c0.sub(1).mul(c0.digamma())))
  }
}

/** Keywords of Dirichlet. */
export interface DirichletKw extends ValidateKw {
  readonly concentration?: T
}

/** See {@link Dirichlet}. */
class DirichletImpl extends ExponentialFamily {
  declare readonly concentration: T
  /** (concentration). */
  override get _natural_params(): ReadonlyArray<T> {
    return [this.concentration]
  }
  override _log_normalizer(...[x]: ReadonlyArray<T>): T {
    return (x as T)
      .lgamma()
      .sum(-1)
      .sub((x as T).sum(-1).lgamma())
  }
  override readonly has_rsample: boolean = true
  constructor(...args: PyArgs<[concentration: T, validate_args: boolean | null], DirichletKw>) {
    super()
    const a = parseDistArgs(args, ['concentration', 'validate_args'], 1)
    const concentration = a['concentration'] as T
    if (concentration.dim() < 1)
      throw new TorchValueError('`concentration` parameter must be at least one-dimensional.')
    Object.assign(this, { concentration })
    this._init(concentration.shape.slice(0, -1), concentration.shape.slice(-1), validateOf(a))
  }
  get arg_constraints(): ArgConstraints {
    return { concentration: constraints.independent(constraints.positive, 1) }
  }
  get support(): constraints.Constraint {
    return constraints.simplex
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { concentration: 1 }
  }
  override get mean(): T {
    return this.concentration.div(this.concentration.sum(-1, true))
  }
  override get mode(): T {
    const c = this.concentration
    const m = c.sub(1).clamp(0)
    const mode = m.div(m.sum(-1, true))
    // where every concentration is below 1: the one-hot of the largest coordinate, by index assignment
    const mask = c.lt(1).all(-1)
    const k = c.shape[c.dim() - 1] as number
    return indexPut(mode, mask, one_hot(indexMask(mode, mask).argmax(-1), k).to(mode.dtype))
  }
  override get variance(): T {
    const c = this.concentration
    const c0 = c.sum(-1, true)
    return c.mul(c0.sub(c)).div(c0.pow(2).mul(c0.add(1)))
  }
  override rsample(sample_shape: SampleShape = []): T {
    return dirichletDraw(this.concentration.expand([...this._extended_shape(sample_shape)]))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const c = this.concentration
    return c.sub(1).xlogy(value).sum(-1).add(c.sum(-1).lgamma()).sub(c.lgamma().sum(-1))
  }
  override entropy(): T {
    const c = this.concentration
    const k = c.shape[c.dim() - 1] as number
    const a0 = c.sum(-1)
    return c
      .lgamma()
      .sum(-1)
      .sub(a0.lgamma())
      .sub(a0.neg().add(k).mul(a0.digamma()))
      .sub(c.sub(1).mul(c.digamma()).sum(-1))
  }
}

/** Keywords of StudentT. */
export interface StudentTKw extends ValidateKw {
  readonly df?: Param
  readonly loc?: Param
  readonly scale?: Param
}

/** See {@link StudentT}. */
class StudentTImpl extends Distribution {
  declare readonly df: T
  declare readonly loc: T
  declare readonly scale: T
  override readonly has_rsample: boolean = true
  constructor(...args: PyArgs<[df: Param, loc: Param, scale: Param, validate_args: boolean | null], StudentTKw>) {
    super()
    const a = parseDistArgs(args, ['df', 'loc', 'scale', 'validate_args'], 1)
    const ps = broadcastAll(
      a['df'] as Param,
      (a['loc'] as Param | undefined) ?? 0,
      (a['scale'] as Param | undefined) ?? 1,
    )
    const [df, loc, scale] = ps as [T, T, T]
    Object.assign(this, { df, loc, scale })
    this._init(df.shape, [], validateOf(a))
  }
  get arg_constraints(): ArgConstraints {
    return { df: constraints.positive, loc: constraints.real, scale: constraints.positive }
  }
  get support(): constraints.Constraint {
    return constraints.real
  }
  override get mean(): T {
    // PyTorch writes NaN by index assignment into a clone (IndexPutBackward0, version 1)
    const m = this.loc.clone()
    return indexPut(m, this.df.le(1), NaN)
  }
  override get mode(): T {
    return this.loc
  }
  override get variance(): T {
    // three index assignments into a clone of df, as PyTorch (IndexPutBackward0, version 3)
    const df = this.df
    const m = df.clone()
    const big = df.gt(2)
    // Python indexes a 0-d tensor with a 0-d mask through a 1-element view
    const pick = (t: T): T => (t.dim() === 0 ? t.unsqueeze(0).index(big.unsqueeze(0)) : t.index(big))
    const dfBig = pick(df)
    indexPut(m, big, pick(this.scale).pow(2).mul(dfBig).div(dfBig.sub(2)))
    indexPut(m, df.le(2).logical_and(df.gt(1)), Infinity)
    return indexPut(m, df.le(1), NaN)
  }
  override rsample(sample_shape: SampleShape = []): T {
    const shape = this._extended_shape(sample_shape)
    const x = standardNormal(shape, this.df.dtype)
    const half = this.df.mul(0.5).expand([...shape])
    const chi2 = clampTiny(standardGamma(half).div(0.5)) // Chi2(df).rsample: Gamma(df/2, 1/2)
    return this.loc.add(this.scale.mul(x.mul(chi2.div(this.df).rsqrt())))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const df = this.df
    const y = value.sub(this.loc).div(this.scale)
    const z = this.scale
      .log()
      .add(df.log().mul(0.5))
      .add(0.5 * Math.log(Math.PI))
      .add(df.mul(0.5).lgamma())
      .sub(df.add(1).mul(0.5).lgamma())
    return df.add(1).mul(-0.5).mul(y.pow(2).div(df).log1p()).sub(z)
  }
  override entropy(): T {
    const df = this.df
    const lb = lbeta(df.mul(0.5), asTensor(0.5, df))
    const dig = df.add(1).mul(0.5).digamma().sub(df.mul(0.5).digamma())
    return this.scale.log().add(df.add(1).mul(0.5).mul(dig)).add(df.log().mul(0.5)).add(lb)
  }
}

/**
 * PyTorch's `torch.distributions.Gamma(concentration, rate)`: density ∝ x^(α−1)·e^(−βx).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Gamma(torch.tensor([2.0]), torch.tensor([3.0]))
 * assert.ok(Math.abs(d.mean.item() - 2 / 3) < 1e-6)
 * assert.ok(Math.abs(d.log_prob(torch.tensor([1])).item() - (2 * Math.log(3) - 3)) < 1e-5)
 * @category torch
 * @since 0.2.0
 */
export const Gamma = pyClass(GammaImpl, 'Gamma')
/** A `Gamma` instance. @category torch @since 0.2.0 */
export type Gamma = GammaImpl

/**
 * PyTorch's `torch.distributions.Exponential(rate)`: density rate·e^(−rate·x) on x ≥ 0.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Exponential(2)
 * assert.ok(Math.abs(d.cdf(torch.tensor(1)).item() - (1 - Math.exp(-2))) < 1e-6)
 * assert.ok(Math.abs(d.entropy().item() - (1 - Math.log(2))) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const Exponential = pyClass(ExponentialImpl, 'Exponential')
/** A `Exponential` instance. @category torch @since 0.2.0 */
export type Exponential = ExponentialImpl

/**
 * PyTorch's `torch.distributions.Beta(concentration1, concentration0)`: density ∝
 * x^(α−1)·(1 − x)^(β−1) on [0, 1].
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Beta(2, 2)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(0.5)).item() - Math.log(1.5)) < 1e-6)
 * assert.ok(Math.abs(d.variance.item() - 0.05) < 1e-7)
 * @category torch
 * @since 0.2.0
 */
export const Beta = pyClass(BetaImpl, 'Beta')
/** A `Beta` instance. @category torch @since 0.2.0 */
export type Beta = BetaImpl

/**
 * PyTorch's `torch.distributions.Dirichlet(concentration)`: a distribution on the simplex
 * (the last axis of `concentration` is the event).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Dirichlet(torch.tensor([1.0, 2.0, 3.0]))
 * assert.strictEqual(String(d.event_shape), 'torch.Size([3])')
 * torch.manual_seed(0)
 * const s = d.sample([4])
 * assert.ok((s.sum(-1).tolist() as number[]).every((v) => Math.abs(v - 1) < 1e-5))
 * @category torch
 * @since 0.2.0
 */
export const Dirichlet = pyClass(DirichletImpl, 'Dirichlet')
/** A `Dirichlet` instance. @category torch @since 0.2.0 */
export type Dirichlet = DirichletImpl

/**
 * PyTorch's `torch.distributions.StudentT(df, loc=0, scale=1)`: Student's t with `df` degrees of
 * freedom, shifted and scaled.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.StudentT(1)
 * // df = 1 is the Cauchy distribution
 * assert.ok(Math.abs(d.log_prob(torch.tensor(0)).item() + Math.log(Math.PI)) < 1e-6)
 * assert.ok(Number.isNaN(d.mean.item()))
 * @category torch
 * @since 0.2.0
 */
export const StudentT = pyClass(StudentTImpl, 'StudentT')
/** A `StudentT` instance. @category torch @since 0.2.0 */
export type StudentT = StudentTImpl
