/**
 * The relaxed (Concrete / Gumbel-softmax) distributions of `torch.distributions`:
 * LogitRelaxedBernoulli and RelaxedBernoulli, ExpRelaxedCategorical and RelaxedOneHotCategorical,
 * all reparameterised.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { full_like } from '../creation'
import type { PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import * as constraints from './constraints'
import { Categorical, CategoricalBacked, clampProbs, oneOf } from './discrete'
import { binaryLogits } from './discreteMore'
import {
  asTensor,
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
import { TransformedDistribution } from './transformed'
import { ExpTransform, SigmoidTransform } from './transformsElementwise'

type T = Tensor

/** Keywords of the relaxed distributions. */
export interface RelaxedKw extends ValidateKw {
  readonly temperature?: Param
  readonly probs?: Param | null
  readonly logits?: Param | null
}
/** Arguments of the relaxed distributions: `(temperature, probs=None, logits=None, validate_args=None)`. */
export type RelaxedArgs = PyArgs<
  [temperature: Param, probs: Param | null, logits: Param | null, validate_args: boolean | null],
  RelaxedKw
>
const NAMES = ['temperature', 'probs', 'logits', 'validate_args']

/** See {@link LogitRelaxedBernoulli}. */
class LogitRelaxedBernoulliImpl extends Distribution {
  declare readonly temperature: T
  declare readonly probs: T
  declare readonly logits: T
  constructor(...args: RelaxedArgs) {
    super()
    const a = parseDistArgs(args, NAMES, 1)
    const given = oneOf(a)
    const [p] = broadcastAll(a[given] as Param) as [T]
    const temperature = asTensor(a['temperature'] as Param, p)
    if (given === 'probs') Object.assign(this, { temperature, probs: p, logits: binaryLogits(p) })
    else Object.assign(this, { temperature, logits: p, probs: p.sigmoid() })
    this._init(p.shape, [], validateOf(a), [given])
    this._lazy(given === 'probs' ? 'logits' : 'probs')
  }
  get arg_constraints(): ArgConstraints {
    return { probs: constraints.unit_interval, logits: constraints.real }
  }
  get support(): constraints.Constraint {
    return constraints.real
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { probs: 0, logits: 0 }
  }
  override rsample(sample_shape: SampleShape = []): T {
    const shape = this._extended_shape(sample_shape)
    const probs = clampProbs(this.probs.expand([...shape]))
    const u = clampProbs(standardUniform(shape, probs.dtype))
    return u.log().sub(u.neg().log1p()).add(probs.log()).sub(probs.neg().log1p()).div(this.temperature)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const [logits, v] = broadcastAll(this.logits, value) as [T, T]
    const diff = logits.sub(v.mul(this.temperature))
    return this.temperature.log().add(diff).sub(diff.exp().log1p().mul(2))
  }
}

/** See {@link RelaxedBernoulli}. */
class RelaxedBernoulliImpl extends TransformedDistribution {
  constructor(...args: RelaxedArgs) {
    const a = parseDistArgs(args, NAMES, 1)
    const base = new LogitRelaxedBernoulli(a['temperature'] as Param, {
      probs: a['probs'] as Param | null,
      logits: a['logits'] as Param | null,
    })
    super(base, new SigmoidTransform(), validateOf(a))
    // PyTorch's LogitRelaxedBernoulli says has_rsample false (though it has rsample); RelaxedBernoulli true
    Object.assign(this, { has_rsample: true })
  }
  private get _base(): LogitRelaxedBernoulli {
    return this.base_dist as LogitRelaxedBernoulli
  }
  /** The temperature. */
  get temperature(): T {
    return this._base.temperature
  }
  /** The probabilities. */
  get probs(): T {
    return this._base.probs
  }
  /** The logits. */
  get logits(): T {
    return this._base.logits
  }
  override get arg_constraints(): ArgConstraints {
    return { probs: constraints.unit_interval, logits: constraints.real }
  }
  override get support(): constraints.Constraint {
    return constraints.unit_interval
  }
}

/** See {@link ExpRelaxedCategorical}. */
class ExpRelaxedCategoricalImpl extends CategoricalBacked {
  declare readonly temperature: T
  override readonly has_rsample: boolean = true
  constructor(...args: RelaxedArgs) {
    super()
    const a = parseDistArgs(args, NAMES, 1)
    this._categorical = new Categorical({ probs: a['probs'] as T | null, logits: a['logits'] as T | null })
    const c = this._categorical
    Object.assign(this, { temperature: asTensor(a['temperature'] as Param, c.probs) })
    this._init(c.batch_shape, [c._num_events], validateOf(a), ['probs'], [])
  }
  get support(): constraints.Constraint {
    return constraints.real_vector
  }
  override expand(batch_shape: ReadonlyArray<number>): this {
    const out = Object.create(Object.getPrototypeOf(this) as object) as this
    Object.assign(out, this, { _categorical: this._categorical.expand(batch_shape) })
    out._batch_shape = out._categorical.batch_shape
    return out
  }
  override rsample(sample_shape: SampleShape = []): T {
    const u = clampProbs(standardUniform(this._extended_shape(sample_shape), this.logits.dtype))
    const gumbels = u.log().neg().log().neg()
    const scores = this.logits.add(gumbels).div(this.temperature)
    return scores.sub(scores.logsumexp(-1, true))
  }
  override log_prob(value: T): T {
    const k = this._categorical._num_events
    this._validate_sample(value)
    const [logits, v] = broadcastAll(this.logits, value) as [T, T]
    const logScale = full_like(this.temperature, k)
      .lgamma()
      .sub(this.temperature.log().mul(-(k - 1)))
    const score = logits.sub(v.mul(this.temperature))
    return score.sub(score.logsumexp(-1, true)).sum(-1).add(logScale)
  }
}

/** See {@link RelaxedOneHotCategorical}. */
class RelaxedOneHotCategoricalImpl extends TransformedDistribution {
  constructor(...args: RelaxedArgs) {
    const a = parseDistArgs(args, NAMES, 1)
    const base = new ExpRelaxedCategorical(a['temperature'] as Param, {
      probs: a['probs'] as T | null,
      logits: a['logits'] as T | null,
      validate_args: validateOf(a),
    })
    super(base, new ExpTransform(), validateOf(a))
  }
  private get _base(): ExpRelaxedCategorical {
    return this.base_dist as ExpRelaxedCategorical
  }
  /** The temperature. */
  get temperature(): T {
    return this._base.temperature
  }
  /** The probabilities. */
  get probs(): T {
    return this._base.probs
  }
  /** The logits. */
  get logits(): T {
    return this._base.logits
  }
  override get arg_constraints(): ArgConstraints {
    return { probs: constraints.simplex, logits: constraints.real_vector }
  }
  override get support(): constraints.Constraint {
    return constraints.simplex
  }
}

/**
 * PyTorch's `LogitRelaxedBernoulli(temperature, probs=None, logits=None)`: the logit of a
 * RelaxedBernoulli sample.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.LogitRelaxedBernoulli(torch.tensor(0.5), torch.tensor(0.3))
 * assert.strictEqual(d.rsample([4]).shape.length, 1)
 * @category torch
 * @since 0.2.0
 */
export const LogitRelaxedBernoulli = pyClass(LogitRelaxedBernoulliImpl, 'LogitRelaxedBernoulli')
/** A `LogitRelaxedBernoulli` instance. @category torch @since 0.2.0 */
export type LogitRelaxedBernoulli = LogitRelaxedBernoulliImpl

/**
 * PyTorch's `RelaxedBernoulli(temperature, probs=None, logits=None)`: a continuous relaxation
 * of Bernoulli on (0, 1), the sigmoid of a LogitRelaxedBernoulli.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.RelaxedBernoulli(torch.tensor(0.5), torch.tensor([0.3]))
 * torch.manual_seed(0)
 * const s = d.rsample([5])
 * assert.ok((s.tolist() as number[][]).every(([v]) => v! > 0 && v! < 1))
 * @category torch
 * @since 0.2.0
 */
export const RelaxedBernoulli = pyClass(RelaxedBernoulliImpl, 'RelaxedBernoulli')
/** A `RelaxedBernoulli` instance. @category torch @since 0.2.0 */
export type RelaxedBernoulli = RelaxedBernoulliImpl

/**
 * PyTorch's `ExpRelaxedCategorical(temperature, probs=None, logits=None)`: the log of a
 * RelaxedOneHotCategorical sample (event shape [K]).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.ExpRelaxedCategorical(torch.tensor(1.0), torch.tensor([0.5, 0.5]))
 * torch.manual_seed(0)
 * assert.ok(Math.abs(d.rsample().exp().sum().item() - 1) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const ExpRelaxedCategorical = pyClass(ExpRelaxedCategoricalImpl, 'ExpRelaxedCategorical')
/** A `ExpRelaxedCategorical` instance. @category torch @since 0.2.0 */
export type ExpRelaxedCategorical = ExpRelaxedCategoricalImpl

/**
 * PyTorch's `RelaxedOneHotCategorical(temperature, probs=None, logits=None)`: the Concrete /
 * Gumbel-softmax distribution on the simplex (exp of an ExpRelaxedCategorical).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.RelaxedOneHotCategorical(torch.tensor(0.5), torch.tensor([0.2, 0.8]))
 * torch.manual_seed(0)
 * assert.ok(Math.abs(d.rsample().sum().item() - 1) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const RelaxedOneHotCategorical = pyClass(RelaxedOneHotCategoricalImpl, 'RelaxedOneHotCategorical')
/** A `RelaxedOneHotCategorical` instance. @category torch @since 0.2.0 */
export type RelaxedOneHotCategorical = RelaxedOneHotCategoricalImpl
