/**
 * `torch.distributions.Binomial(total_count=1, probs=None, logits=None)`: the number of successes
 * in `total_count` independent trials.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { arange } from '../creation'
import { NotImplementedError } from '../errors'
import type { PyArgs } from '../kwargs'
import { binomial } from '../randomCounts'
import { Tensor } from '../tensor'
import * as constraints from './constraints'
import { clampProbs, oneOf } from './discrete'
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

type T = Tensor

/** Keywords of Binomial. */
export interface BinomialKw extends ValidateKw {
  readonly total_count?: Param
  readonly probs?: Param | null
  readonly logits?: Param | null
}

/** See {@link Binomial}. */
class BinomialImpl extends Distribution {
  declare readonly total_count: T
  declare readonly probs: T
  declare readonly logits: T
  override readonly has_enumerate_support: boolean = true
  constructor(
    ...args: PyArgs<
      [total_count: Param, probs: Param | null, logits: Param | null, validate_args: boolean | null],
      BinomialKw
    >
  ) {
    super()
    const a = parseDistArgs(args, ['total_count', 'probs', 'logits', 'validate_args'], 0)
    const given = oneOf(a)
    const [n, p] = broadcastAll((a['total_count'] as Param | undefined) ?? 1, a[given] as Param) as [T, T]
    const total_count = n.type_as(p)
    if (given === 'probs') {
      const ps = clampProbs(p)
      Object.assign(this, { total_count, probs: p, logits: ps.log().sub(ps.neg().log1p()) })
    } else Object.assign(this, { total_count, logits: p, probs: p.sigmoid() })
    this._init(p.shape, [], validateOf(a), ['total_count', given])
    this._lazy(given === 'probs' ? 'logits' : 'probs')
  }
  get arg_constraints(): ArgConstraints {
    return {
      total_count: constraints.nonnegative_integer,
      probs: constraints.unit_interval,
      logits: constraints.real,
    }
  }
  get support(): constraints.Constraint {
    return constraints.integer_interval(0, this.total_count)
  }
  protected override _expandFields(): Readonly<Record<string, number>> {
    return { total_count: 0, probs: 0, logits: 0 }
  }
  override get mean(): T {
    return this.total_count.mul(this.probs)
  }
  override get mode(): T {
    return this.total_count.add(1).mul(this.probs).floor().clamp({ max: this.total_count })
  }
  override get variance(): T {
    return this.total_count.mul(this.probs).mul(this.probs.neg().add(1))
  }
  override sample(sample_shape: SampleShape = []): T {
    const shape = this._extended_shape(sample_shape)
    return binomial(this.total_count.detach().expand([...shape]), this.probs.detach().expand([...shape]))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const n = this.total_count
    const logits = this.logits
    // n·max(logits, 0) + n·log1p(e^−|logits|) = n·log(1 + e^logits), without overflow
    const clampByZero = logits.clamp_min(0).add(logits).sub(logits.clamp_max(0)).div(2)
    const norm = n.mul(clampByZero).add(n.mul(logits.abs().neg().exp().log1p())).sub(n.add(1).lgamma())
    return value.mul(logits).sub(value.add(1).lgamma()).sub(n.sub(value).add(1).lgamma()).sub(norm)
  }
  override entropy(): T {
    if ((this.total_count.min().item() as number) !== (this.total_count.max().item() as number))
      throw new NotImplementedError('Inhomogeneous total count not supported by `entropy`.')
    const lp = this.log_prob(this.enumerate_support(false))
    return lp.exp().mul(lp).sum(0).neg()
  }
  /** The counts 0…total_count (a homogeneous total_count only). */
  enumerate_support(expand = true): T {
    const top = this.total_count.max().item() as number
    if ((this.total_count.min().item() as number) !== top)
      throw new NotImplementedError('Inhomogeneous total count not supported by `enumerate_support`.')
    const values = arange(1 + top, { dtype: this.probs.dtype }).reshape(-1, ...this._batch_shape.map(() => 1))
    return expand ? values.expand(-1, ...this._batch_shape) : values
  }
}

/**
 * PyTorch's `torch.distributions.Binomial(total_count=1, probs=None, logits=None)`.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Binomial(4, torch.tensor(0.5))
 * assert.ok(Math.abs(d.log_prob(torch.tensor(2)).item() - Math.log(6 / 16)) < 1e-6)
 * assert.strictEqual(d.mean.item(), 2)
 * torch.manual_seed(0)
 * assert.ok(Math.abs(d.sample([4000]).mean().item() - 2) < 0.1)
 * @category torch
 * @since 0.2.0
 */
export const Binomial = pyClass(BinomialImpl, 'Binomial')
/** A `Binomial` instance. @category torch @since 0.2.0 */
export type Binomial = BinomialImpl
