/**
 * Discrete distributions of `torch.distributions`: Bernoulli, Categorical, OneHotCategorical,
 * Poisson and Binomial. Bernoulli, Categorical and Binomial take `probs` or `logits` (exactly
 * one); the other is derived as PyTorch derives it (probabilities clamped to [eps, 1 − eps]
 * before their logarithm). Samples come from the facade's generator and carry no gradient.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { arange, full } from '../creation'
import { int64 } from '../dtype'
import { TorchValueError } from '../errors'
import { finfo } from '../finfo'
import type { PyArgs } from '../kwargs'
import { bernoulli, multinomial } from '../methods/randomFns'
import { binary_cross_entropy_with_logits as bceLogits, one_hot } from '../nn/functional'
import { poisson } from '../randomCounts'
import { Tensor } from '../tensor'
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
import { ExponentialFamily } from './expFamily'
import { indexPut } from './indexPut'

type T = Tensor

/** Probabilities clamped to [eps, 1 − eps] (PyTorch's `clamp_probs`). */
export const clampProbs = (p: T): T => {
  const eps = finfo(p.dtype).eps
  return p.clamp(eps, 1 - eps)
}

/** Exactly one of probs and logits (PyTorch's message otherwise). */
export const oneOf = (a: Record<string, unknown>): 'probs' | 'logits' => {
  const hasP = a['probs'] !== undefined && a['probs'] !== null
  const hasL = a['logits'] !== undefined && a['logits'] !== null
  if (hasP === hasL) throw new TorchValueError('Either `probs` or `logits` must be specified, but not both.')
  return hasP ? 'probs' : 'logits'
}

/** Keywords of Bernoulli. */
export interface BernoulliKw extends ValidateKw {
  readonly probs?: Param | null
  readonly logits?: Param | null
}

/** See {@link Bernoulli}. */
class BernoulliImpl extends ExponentialFamily {
  declare readonly probs: T
  declare readonly logits: T
  override get _mean_carrier_measure(): number {
    return 0
  }
  /** (log(p / (1 − p))). */
  override get _natural_params(): ReadonlyArray<T> {
    return [this.probs.div(this.probs.neg().add(1)).log()]
  }
  override _log_normalizer(...[x]: ReadonlyArray<T>): T {
    return (x as T).exp().add(1).log()
  }
  override readonly has_enumerate_support: boolean = true
  constructor(
    ...args: PyArgs<[probs: Param | null, logits: Param | null, validate_args: boolean | null], BernoulliKw>
  ) {
    super()
    const a = parseDistArgs(args, ['probs', 'logits', 'validate_args'], 0)
    const given = oneOf(a)
    const [p] = broadcastAll(a[given] as Param) as [T]
    if (given === 'probs') {
      const ps = clampProbs(p)
      Object.assign(this, { probs: p, logits: ps.log().sub(ps.neg().log1p()) })
    } else Object.assign(this, { logits: p, probs: p.sigmoid() })
    this._init(p.shape, [], validateOf(a), [given])
    this._lazy(given === 'probs' ? 'logits' : 'probs')
  }
  get arg_constraints(): ArgConstraints {
    return { probs: constraints.unit_interval, logits: constraints.real }
  }
  get support(): constraints.Constraint {
    return constraints.boolean
  }
  override get mean(): T {
    return this.probs
  }
  override get mode(): T {
    // NaN at p = 0.5 by index assignment, as PyTorch (version 1)
    return indexPut(this.probs.ge(0.5).to(this.probs.dtype), this.probs.eq(0.5), NaN)
  }
  override get variance(): T {
    return this.probs.mul(this.probs.neg().add(1))
  }
  override sample(sample_shape: SampleShape = []): T {
    return bernoulli(this.probs.detach().expand([...this._extended_shape(sample_shape)]))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const [logits, v] = broadcastAll(this.logits, value) as [T, T]
    return bceLogits(logits, v, { reduction: 'none' }).neg()
  }
  override entropy(): T {
    return bceLogits(this.logits, this.probs, { reduction: 'none' })
  }
  /** The support's values ([2, ...batch_shape] when `expand`, else [2, 1, ...]). */
  enumerate_support(expand = true): T {
    const values = arange(2, { dtype: this.probs.dtype }).reshape(-1, ...this._batch_shape.map(() => 1))
    return expand ? values.expand(2, ...this._batch_shape) : values
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { probs: 0, logits: 0 }
  }
}

/** Keywords of Categorical and OneHotCategorical. */
export interface CategoricalKw extends ValidateKw {
  readonly probs?: T | null
  readonly logits?: T | null
}
/** Arguments of Categorical and OneHotCategorical. */
export type CategoricalArgs = PyArgs<[probs: T | null, logits: T | null, validate_args: boolean | null], CategoricalKw>

/** See {@link Categorical}. */
class CategoricalImpl extends Distribution {
  declare readonly probs: T
  declare readonly logits: T
  override readonly has_enumerate_support: boolean = true
  /** @internal The number of categories K. */
  readonly _num_events: number
  constructor(...args: CategoricalArgs) {
    super()
    const a = parseDistArgs(args, ['probs', 'logits', 'validate_args'], 0)
    const given = oneOf(a)
    const p = a[given] as T
    if (p.dim() < 1) throw new TorchValueError(`\`${given}\` parameter must be at least one-dimensional.`)
    if (given === 'probs') {
      const probs = p.div(p.sum(-1, true))
      Object.assign(this, { probs, logits: clampProbs(probs).log() })
    } else {
      const logits = p.sub(p.logsumexp(-1, true))
      Object.assign(this, { logits, probs: logits.softmax(-1) })
    }
    this._num_events = p.shape[p.dim() - 1] as number
    this._init(p.shape.slice(0, -1), [], validateOf(a), [given])
    this._lazy(given === 'probs' ? 'logits' : 'probs')
  }
  get arg_constraints(): ArgConstraints {
    return { probs: constraints.simplex, logits: constraints.independent(constraints.real, 1) }
  }
  get support(): constraints.Constraint {
    return constraints.integer_interval(0, this._num_events - 1)
  }
  /** The parameter as given (probs or logits). */
  get param(): T {
    return this._given[0] === 'logits' ? this.logits : this.probs
  }
  override get mean(): T {
    return full([...this._extended_shape()], NaN, { dtype: this.probs.dtype })
  }
  override get mode(): T {
    return this.probs.argmax(-1)
  }
  override get variance(): T {
    return full([...this._extended_shape()], NaN, { dtype: this.probs.dtype })
  }
  override sample(sample_shape: SampleShape = []): T {
    const n = sample_shape.reduce((x, y) => x * y, 1)
    const probs2d = this.probs.detach().reshape(-1, this._num_events)
    return multinomial(probs2d, n, true)
      .t()
      .reshape([...this._extended_shape(sample_shape)])
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const idx = value.to(int64).unsqueeze(-1)
    const shape = [...broadcastAll(idx, this.logits)[0]!.shape]
    const logPmf = this.logits.expand([...shape.slice(0, -1), this._num_events])
    return logPmf.gather(-1, idx.expand([...shape.slice(0, -1), 1])).squeeze(-1)
  }
  override entropy(): T {
    const logits = this.logits.clamp_min(finfo(this.logits.dtype).min)
    return logits.mul(this.probs).sum(-1).neg()
  }
  /** The categories 0…K−1 ([K, ...batch_shape] when `expand`, else [K, 1, ...]). */
  enumerate_support(expand = true): T {
    const values = arange(this._num_events, { dtype: int64 }).reshape(-1, ...this._batch_shape.map(() => 1))
    return expand ? values.expand(this._num_events, ...this._batch_shape) : values
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { probs: 1, logits: 1 }
  }
}

/**
 * A distribution parametrised by a Categorical over its last dimension (OneHotCategorical,
 * Multinomial, the relaxed categoricals): its probs, logits and their constraints come from it.
 */
export abstract class CategoricalBacked extends Distribution {
  /** @internal The Categorical over the indices. */
  _categorical!: Categorical
  /** The normalised probabilities. */
  get probs(): T {
    return this._categorical.probs
  }
  /** The normalised logits. */
  get logits(): T {
    return this._categorical.logits
  }
  get arg_constraints(): ArgConstraints {
    return { probs: constraints.simplex, logits: constraints.real_vector }
  }
  override _param(name: string): T | undefined {
    return name === 'probs' ? this.probs : name === 'logits' ? this.logits : super._param(name)
  }
}

/** See {@link OneHotCategorical}. */
class OneHotCategoricalImpl extends CategoricalBacked {
  override readonly has_enumerate_support: boolean = true
  constructor(...args: CategoricalArgs) {
    super()
    this._categorical = new Categorical(...args)
    const c = this._categorical
    this._init(c.batch_shape, [c._num_events], c._validate_args, [])
    this._given = c._given
  }
  override get arg_constraints(): ArgConstraints {
    return this._categorical.arg_constraints
  }
  get support(): constraints.Constraint {
    return constraints.one_hot
  }
  override expand(batch_shape: ReadonlyArray<number>): this {
    const out = Object.create(Object.getPrototypeOf(this) as object) as this
    Object.assign(out, this, { _categorical: this._categorical.expand(batch_shape) })
    out._batch_shape = out._categorical.batch_shape
    return out
  }
  override get mean(): T {
    return this.probs
  }
  override get mode(): T {
    return one_hot(this.probs.argmax(-1), this._categorical._num_events).type_as(this.probs)
  }
  override get variance(): T {
    return this.probs.mul(this.probs.neg().add(1))
  }
  override sample(sample_shape: SampleShape = []): T {
    return one_hot(this._categorical.sample(sample_shape), this._categorical._num_events).type_as(this.probs)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    return this._categorical.log_prob(value.argmax(-1))
  }
  override entropy(): T {
    return this._categorical.entropy()
  }
  /** The K one-hot vectors ([K, ...batch_shape, K] when `expand`). */
  enumerate_support(expand = true): T {
    const k = this._categorical._num_events
    const values = one_hot(arange(k, { dtype: int64 }), k).type_as(this.probs)
    const v = values.reshape(k, ...this._batch_shape.map(() => 1), k)
    return expand ? v.expand(k, ...this._batch_shape, k) : v
  }
}

/** Keywords of Poisson. */
export interface PoissonKw extends ValidateKw {
  readonly rate?: Param
}

/** See {@link Poisson}. */
class PoissonImpl extends ExponentialFamily {
  declare readonly rate: T
  /** (log rate). */
  override get _natural_params(): ReadonlyArray<T> {
    return [this.rate.log()]
  }
  override _log_normalizer(...[x]: ReadonlyArray<T>): T {
    return (x as T).exp()
  }
  constructor(...args: PyArgs<[rate: Param, validate_args: boolean | null], PoissonKw>) {
    super()
    this._scalarParams(args, ['rate'])
  }
  get arg_constraints(): ArgConstraints {
    return { rate: constraints.nonnegative }
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative_integer
  }
  override get mean(): T {
    return this.rate
  }
  override get mode(): T {
    return this.rate.floor()
  }
  override get variance(): T {
    return this.rate
  }
  override sample(sample_shape: SampleShape = []): T {
    return poisson(this.rate.detach().expand([...this._extended_shape(sample_shape)]))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const [rate, v] = broadcastAll(this.rate, value) as [T, T]
    return v.xlogy(rate).sub(rate).sub(v.add(1).lgamma())
  }
}

/**
 * PyTorch's `torch.distributions.Bernoulli(probs=None, logits=None)`: 1 with probability
 * `probs` (or sigmoid(`logits`)), else 0.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Bernoulli(torch.tensor([0.25]))
 * assert.ok(Math.abs(d.log_prob(torch.tensor([1])).item() - Math.log(0.25)) < 1e-6)
 * const l = new torch.distributions.Bernoulli({ logits: torch.tensor([0.0]) })
 * assert.deepStrictEqual(l.probs.tolist(), [0.5])
 * @category torch
 * @since 0.2.0
 */
export const Bernoulli = pyClass(BernoulliImpl, 'Bernoulli')
/** A `Bernoulli` instance. @category torch @since 0.2.0 */
export type Bernoulli = BernoulliImpl

/**
 * PyTorch's `torch.distributions.Categorical(probs=None, logits=None)`: an index in
 * [0, K) drawn with weights `probs` (normalised over the last axis) or softmax(`logits`).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Categorical(torch.tensor([1.0, 1.0, 2.0]))
 * assert.ok(Math.abs(d.log_prob(torch.tensor(2)).item() - Math.log(0.5)) < 1e-6)
 * assert.ok(Math.abs(d.entropy().item() - 1.5 * Math.LN2) < 1e-6)
 * torch.manual_seed(0)
 * assert.strictEqual(d.sample([5]).dtype, torch.int64)
 * @category torch
 * @since 0.2.0
 */
export const Categorical = pyClass(CategoricalImpl, 'Categorical')
/** A `Categorical` instance. @category torch @since 0.2.0 */
export type Categorical = CategoricalImpl

/**
 * PyTorch's `torch.distributions.OneHotCategorical(probs=None, logits=None)`: a Categorical
 * whose samples are one-hot vectors (event shape [K]).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.OneHotCategorical(torch.tensor([0.25, 0.75]))
 * assert.ok(Math.abs(d.log_prob(torch.tensor([0, 1])).item() - Math.log(0.75)) < 1e-6)
 * torch.manual_seed(0)
 * assert.deepStrictEqual(d.sample([3]).sum(-1).tolist(), [1, 1, 1])
 * @category torch
 * @since 0.2.0
 */
export const OneHotCategorical = pyClass(OneHotCategoricalImpl, 'OneHotCategorical')
/** A `OneHotCategorical` instance. @category torch @since 0.2.0 */
export type OneHotCategorical = OneHotCategoricalImpl

/**
 * PyTorch's `torch.distributions.Poisson(rate)`: counts k ≥ 0 with mass rateᵏ·e^(−rate)/k!.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Poisson(torch.tensor([2.0]))
 * assert.ok(Math.abs(d.log_prob(torch.tensor([3])).item() - (3 * Math.log(2) - 2 - Math.log(6))) < 1e-5)
 * torch.manual_seed(0)
 * assert.ok(Math.abs(d.sample([4000]).mean().item() - 2) < 0.1)
 * @category torch
 * @since 0.2.0
 */
export const Poisson = pyClass(PoissonImpl, 'Poisson')
/** A `Poisson` instance. @category torch @since 0.2.0 */
export type Poisson = PoissonImpl
