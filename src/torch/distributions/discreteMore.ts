/**
 * More discrete distributions of `torch.distributions`: Geometric, NegativeBinomial, Multinomial
 * and OneHotCategoricalStraightThrough, plus Chi2 (a Gamma with concentration df/2 and rate 1/2).
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { tensor, zeros_like } from '../creation'
import { NotImplementedError, TorchValueError } from '../errors'
import { finfo } from '../finfo'
import { pyTuple } from '../format'
import type { PyArgs } from '../kwargs'
import { logsigmoid } from '../nn/activation_functional'
import { binary_cross_entropy_with_logits as bceLogits, one_hot } from '../nn/functional'
import type { Tensor } from '../tensor'
import { Binomial } from './binomial'
import * as constraints from './constraints'
import {
  Categorical,
  CategoricalBacked,
  clampProbs,
  OneHotCategorical,
  oneOf,
  Poisson,
  type CategoricalArgs,
} from './discrete'
import {
  broadcastAll,
  Distribution,
  parseDistArgs,
  standardUniform,
  validateOf,
  type ArgConstraints,
  type Param,
  type SampleShape,
  type ValidateKw,
} from './distribution'
import { Gamma } from './gamma'

type T = Tensor

/** logits of binary probabilities (PyTorch's `probs_to_logits(p, is_binary=True)`). */
export const binaryLogits = (p: T): T => {
  const ps = clampProbs(p)
  return ps.log().sub(ps.neg().log1p())
}

/** Keywords of Geometric. */
export interface GeometricKw extends ValidateKw {
  readonly probs?: Param | null
  readonly logits?: Param | null
}

/** See {@link Geometric}. */
class GeometricImpl extends Distribution {
  declare readonly probs: T
  declare readonly logits: T
  constructor(
    ...args: PyArgs<[probs: Param | null, logits: Param | null, validate_args: boolean | null], GeometricKw>
  ) {
    super()
    const a = parseDistArgs(args, ['probs', 'logits', 'validate_args'], 0)
    const given = oneOf(a)
    const [p] = broadcastAll(a[given] as Param) as [T]
    if (given === 'probs') Object.assign(this, { probs: p, logits: binaryLogits(p) })
    else Object.assign(this, { logits: p, probs: p.sigmoid() })
    this._init(p.shape, [], validateOf(a), [given])
    this._lazy(given === 'probs' ? 'logits' : 'probs')
    const valid = p.gt(0)
    if (this._validate_args && given === 'probs' && !(valid.all().item() as boolean))
      throw new TorchValueError(
        `Expected parameter probs (Tensor of shape ${pyTuple(p.shape)}) of distribution ${String(this)} ` +
          `to be positive but found invalid values:\n${String(p.detach().masked_select(valid.logical_not()))}`,
      )
  }
  get arg_constraints(): ArgConstraints {
    return { probs: constraints.unit_interval, logits: constraints.real }
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative_integer
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { probs: 0, logits: 0 }
  }
  override get mean(): T {
    return this.probs.reciprocal().sub(1)
  }
  override get mode(): T {
    return zeros_like(this.probs)
  }
  override get variance(): T {
    return this.probs.reciprocal().sub(1).div(this.probs)
  }
  override sample(sample_shape: SampleShape = []): T {
    const p = this.probs.detach()
    const tiny = finfo(p.dtype).tiny
    const u = standardUniform(this._extended_shape(sample_shape), p.dtype)
      .mul(1 - tiny)
      .add(tiny)
    return u.log().div(p.neg().log1p()).floor()
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const [v, p] = broadcastAll(value, this.probs) as [T, T]
    const q = p.masked_fill(p.eq(1).logical_and(v.eq(0)), 0)
    return v.mul(q.neg().log1p()).add(this.probs.log())
  }
  override entropy(): T {
    return bceLogits(this.logits, this.probs, { reduction: 'none' }).div(this.probs)
  }
}

/** Keywords of NegativeBinomial. */
export interface NegativeBinomialKw extends GeometricKw {
  readonly total_count?: Param
}

/** See {@link NegativeBinomial}. */
class NegativeBinomialImpl extends Distribution {
  declare readonly total_count: T
  declare readonly probs: T
  declare readonly logits: T
  constructor(
    ...args: PyArgs<
      [total_count: Param, probs: Param | null, logits: Param | null, validate_args: boolean | null],
      NegativeBinomialKw
    >
  ) {
    super()
    const a = parseDistArgs(args, ['total_count', 'probs', 'logits', 'validate_args'], 1)
    const given = oneOf(a)
    const [n, p] = broadcastAll(a['total_count'] as Param, a[given] as Param) as [T, T]
    const total_count = n.type_as(p)
    if (given === 'probs') Object.assign(this, { total_count, probs: p, logits: binaryLogits(p) })
    else Object.assign(this, { total_count, logits: p, probs: p.sigmoid() })
    this._init(p.shape, [], validateOf(a), ['total_count', given])
    this._lazy(given === 'probs' ? 'logits' : 'probs')
  }
  get arg_constraints(): ArgConstraints {
    return {
      total_count: constraints.greater_than_eq(0),
      probs: constraints.half_open_interval(0, 1),
      logits: constraints.real,
    }
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative_integer
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { total_count: 0, probs: 0, logits: 0 }
  }
  override get mean(): T {
    return this.total_count.mul(this.logits.exp())
  }
  override get mode(): T {
    return this.total_count.sub(1).mul(this.logits.exp()).floor().clamp_min(0)
  }
  override get variance(): T {
    return this.mean.div(this.logits.neg().sigmoid())
  }
  override sample(sample_shape: SampleShape = []): T {
    const g = new Gamma(this.total_count.detach(), this.logits.detach().neg().exp(), { validate_args: false })
    return new Poisson(g.sample(sample_shape), { validate_args: false }).sample()
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const n = this.total_count
    const unnorm = n.mul(logsigmoid(this.logits.neg())).add(value.mul(logsigmoid(this.logits)))
    const norm = n.add(value).lgamma().neg().add(value.add(1).lgamma()).add(n.lgamma())
    return unnorm.sub(norm.masked_fill(n.add(value).eq(0), 0))
  }
}

/** Keywords of Multinomial. */
export interface MultinomialKw extends ValidateKw {
  readonly total_count?: number
  readonly probs?: T | null
  readonly logits?: T | null
}

/** See {@link Multinomial}. */
class MultinomialImpl extends CategoricalBacked {
  readonly total_count: number
  /** @internal */
  readonly _binomial: Binomial
  constructor(
    ...args: PyArgs<
      [total_count: number, probs: T | null, logits: T | null, validate_args: boolean | null],
      MultinomialKw
    >
  ) {
    super()
    const a = parseDistArgs(args, ['total_count', 'probs', 'logits', 'validate_args'], 0)
    const n = (a['total_count'] as number | undefined) ?? 1
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw new NotImplementedError('inhomogeneous total_count is not supported')
    this.total_count = n
    this._categorical = new Categorical({ probs: a['probs'] as T | null, logits: a['logits'] as T | null })
    this._binomial = new Binomial(n, { probs: this.probs })
    const c = this._categorical
    this._init(c.batch_shape, [c._num_events], validateOf(a), ['probs'], [])
  }
  get support(): constraints.Constraint {
    return constraints.multinomial(this.total_count)
  }
  override expand(batch_shape: ReadonlyArray<number>): this {
    const out = Object.create(Object.getPrototypeOf(this) as object) as this
    const cat = this._categorical.expand(batch_shape)
    Object.assign(out, this, { _categorical: cat, _binomial: new Binomial(this.total_count, { probs: cat.probs }) })
    out._batch_shape = cat.batch_shape
    return out
  }
  override get mean(): T {
    return this.probs.mul(this.total_count)
  }
  override get variance(): T {
    return this.probs.mul(this.probs.neg().add(1)).mul(this.total_count)
  }
  override sample(sample_shape: SampleShape = []): T {
    const k = this._categorical._num_events
    const s = this._categorical.sample([this.total_count, ...sample_shape])
    return one_hot(s, k).sum(0).type_as(this.probs)
  }
  override entropy(): T {
    const n = tensor(this.total_count, { dtype: this.probs.dtype })
    const term1 = this._categorical.entropy().mul(n).sub(n.add(1).lgamma())
    const support = this._binomial.enumerate_support(false).narrow(0, 1, this.total_count)
    const binProbs = this._binomial.log_prob(support).exp()
    const term2 = binProbs.mul(support.add(1).lgamma()).sum([0, -1])
    return term1.add(term2)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const [logits, v] = broadcastAll(this.logits, value) as [T, T]
    const l = logits.masked_fill(v.eq(0).logical_and(logits.eq(-Infinity)), 0)
    return v.sum(-1).add(1).lgamma().sub(v.add(1).lgamma().sum(-1)).add(l.mul(v).sum(-1))
  }
}

/** See {@link OneHotCategoricalStraightThrough}. */
class OneHotCategoricalStraightThroughImpl extends OneHotCategorical {
  override readonly has_rsample: boolean = true
  constructor(...args: CategoricalArgs) {
    super(...args)
  }
  override rsample(sample_shape: SampleShape = []): T {
    const s = this.sample(sample_shape)
    const probs = this._categorical.probs
    return s.add(probs.sub(probs.detach()))
  }
}

/** Keywords of Chi2. */
export interface Chi2Kw extends ValidateKw {
  readonly df?: Param
}

/** See {@link Chi2}. */
class Chi2Impl extends Gamma {
  constructor(...args: PyArgs<[df: Param, validate_args: boolean | null], Chi2Kw>) {
    const a = parseDistArgs(args, ['df', 'validate_args'], 1)
    const df = a['df'] as Param
    // validated as df, and (as PyTorch's) its repr lists no parameter: df is not stored
    super(typeof df === 'number' ? 0.5 * df : df.mul(0.5), 0.5, { validate_args: false })
    this._init(this.concentration.shape, [], validateOf(a), ['df'], [])
  }
  /** The degrees of freedom (2·concentration). */
  get df(): T {
    return this.concentration.mul(2)
  }
  override get arg_constraints(): ArgConstraints {
    return { df: constraints.positive }
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { concentration: 0, rate: 0 }
  }
}

/**
 * PyTorch's `Geometric(probs=None, logits=None)`: the number of failures before the first
 * success, P(k) = (1 − p)ᵏ·p.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Geometric(torch.tensor(0.25))
 * assert.strictEqual(d.mean.item(), 3)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(2)).item() - Math.log(0.75 * 0.75 * 0.25)) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const Geometric = pyClass(GeometricImpl, 'Geometric')
/** A `Geometric` instance. @category torch @since 0.2.0 */
export type Geometric = GeometricImpl

/**
 * PyTorch's `NegativeBinomial(total_count, probs=None, logits=None)`: the number of successes
 * before `total_count` failures, each trial succeeding with probability `probs`.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.NegativeBinomial(3, torch.tensor(0.5))
 * assert.ok(Math.abs(d.mean.item() - 3) < 1e-6)
 * assert.ok(Math.abs(d.log_prob(torch.tensor(0)).item() - 3 * Math.log(0.5)) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const NegativeBinomial = pyClass(NegativeBinomialImpl, 'NegativeBinomial')
/** A `NegativeBinomial` instance. @category torch @since 0.2.0 */
export type NegativeBinomial = NegativeBinomialImpl

/**
 * PyTorch's `Multinomial(total_count=1, probs=None, logits=None)`: the counts of each of K
 * categories in `total_count` independent Categorical draws.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Multinomial(2, torch.tensor([0.5, 0.5]))
 * assert.ok(Math.abs(d.log_prob(torch.tensor([1, 1])).item() - Math.log(0.5)) < 1e-6)
 * torch.manual_seed(0)
 * assert.deepStrictEqual(d.sample([3]).sum(-1).tolist(), [2, 2, 2])
 * @category torch
 * @since 0.2.0
 */
export const Multinomial = pyClass(MultinomialImpl, 'Multinomial')
/** A `Multinomial` instance. @category torch @since 0.2.0 */
export type Multinomial = MultinomialImpl

/**
 * PyTorch's `OneHotCategoricalStraightThrough(probs=None, logits=None)`: a OneHotCategorical
 * whose `rsample` passes gradients straight through (sample + probs − probs.detach()).
 * @example
 * import * as torch from 'wengert/torch'
 * const p = torch.tensor([0.25, 0.75], { requires_grad: true })
 * const d = new torch.distributions.OneHotCategoricalStraightThrough(p)
 * torch.manual_seed(0)
 * d.rsample().mul(torch.tensor([1, 2])).sum().backward()
 * // d/dp of Σ (p/Σp)·w is w − Σ (p/Σp)·w
 * assert.deepStrictEqual(p.grad!.tolist(), [-0.75, 0.25])
 * @category torch
 * @since 0.2.0
 */
export const OneHotCategoricalStraightThrough = pyClass(
  OneHotCategoricalStraightThroughImpl,
  'OneHotCategoricalStraightThrough',
)
/** A `OneHotCategoricalStraightThrough` instance. @category torch @since 0.2.0 */
export type OneHotCategoricalStraightThrough = OneHotCategoricalStraightThroughImpl

/**
 * PyTorch's `Chi2(df)`: the chi-squared distribution, Gamma(df/2, 1/2).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Chi2(torch.tensor(2.0))
 * assert.ok(Math.abs(d.log_prob(torch.tensor(2)).item() - (-1 - Math.LN2)) < 1e-6)
 * assert.strictEqual(d.df.item(), 2)
 * @category torch
 * @since 0.2.0
 */
export const Chi2 = pyClass(Chi2Impl, 'Chi2')
/** A `Chi2` instance. @category torch @since 0.2.0 */
export type Chi2 = Chi2Impl
