/**
 * `torch.distributions.Binomial(total_count=1, probs=None, logits=None)`: the number of successes
 * in `total_count` independent trials.
 *
 * @category torch
 * @since 0.2.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { arange } from '../creation'
import { NotImplementedError } from '../errors'
import type { PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import * as constraints from './constraints'
import { clampProbs, oneOf } from './discrete'
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

type T = Tensor

/**
 * One Binomial(n, p) draw from the uniform u by inversion: the cdf is summed from k = 0 with the
 * mass recursion kept in log space (so a mass at 0 that underflows does not stop the walk), on
 * p ≤ 1/2 (the other half by symmetry).
 */
const binomialDraw = (n: number, p: number, u: number): number => {
  if (n === 0 || p === 0) return 0
  if (p === 1) return n
  if (p > 0.5) return n - binomialDraw(n, 1 - p, 1 - u)
  const logRatio = Math.log(p) - Math.log1p(-p)
  let logPmf = n * Math.log1p(-p)
  let cdf = Math.exp(logPmf)
  let k = 0
  while (cdf <= u && k < n) {
    k++
    logPmf += Math.log((n - k + 1) / k) + logRatio
    cdf += Math.exp(logPmf)
  }
  return k
}

/** Keywords of Binomial. */
export interface BinomialKw extends ValidateKw {
  readonly total_count?: Param
  readonly probs?: Param | null
  readonly logits?: Param | null
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
export class Binomial extends Distribution {
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
    return this.total_count.add(1).mul(this.probs).floor().minimum(this.total_count)
  }
  override get variance(): T {
    return this.total_count.mul(this.probs).mul(this.probs.neg().add(1))
  }
  override sample(sample_shape: SampleShape = []): T {
    const shape = this._extended_shape(sample_shape)
    const n = this.total_count
      .detach()
      .expand([...shape])
      .contiguous()
      ._value()
      .toTypedArray()
    const p = this.probs
      .detach()
      .expand([...shape])
      .contiguous()
      ._value()
      .toTypedArray()
    const u = standardUniform(shape, this.probs.dtype)._value().toTypedArray()
    const out = Float64Array.from(u, (ui, i) => binomialDraw(Number(n[i]), Number(p[i]), Number(ui)))
    return Tensor._fromValue(new NdArray([...shape], 'float64', out)).type_as(this.probs)
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
