/**
 * `torch.distributions.TransformedDistribution`: a base distribution pushed through a chain of
 * transforms (normalising flows, squashed Gaussian policies, LogNormal, …). `log_prob` inverts
 * the chain and subtracts each transform's log-Jacobian; `rsample` is differentiable when the
 * base distribution's is.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { no_grad } from '../autograd/grad_mode'
import { TorchValueError } from '../errors'
import type { PyArgs } from '../kwargs'
import { makeSize, type Tensor } from '../tensor'
import * as constraints from './constraints'
import {
  Distribution,
  parseDistArgs,
  sumRightmost,
  validateOf,
  type ArgConstraints,
  type SampleShape,
  type ValidateKw,
} from './distribution'
import { Independent } from './multivariate'
import { ComposeTransform, mulSign, Transform, type Sign } from './transforms'

type T = Tensor

/** Keywords of TransformedDistribution. */
export interface TransformedDistributionKw extends ValidateKw {
  readonly base_distribution?: Distribution
  readonly transforms?: Transform | ReadonlyArray<Transform>
}

/** The transforms argument as a list (PyTorch's ValueError texts otherwise). */
const transformList = (ts: unknown): Transform[] => {
  if (ts instanceof Transform) return [ts]
  if (Array.isArray(ts)) {
    if (!ts.every((t) => t instanceof Transform))
      throw new TorchValueError('transforms must be a Transform or a list of Transforms')
    return [...(ts as Transform[])]
  }
  throw new TorchValueError(`transforms must be a Transform or list, but was ${String(ts)}`)
}

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

/** See {@link TransformedDistribution}. */
class TransformedDistributionImpl extends Distribution {
  /** The base distribution (made Independent over the axes the transforms' events cover). */
  declare base_dist: Distribution
  /** The transforms, applied in order. */
  declare transforms: ReadonlyArray<Transform>
  declare readonly has_rsample: boolean
  constructor(
    ...args: PyArgs<
      [
        base_distribution: Distribution,
        transforms: Transform | ReadonlyArray<Transform>,
        validate_args: boolean | null,
      ],
      TransformedDistributionKw
    >
  ) {
    super()
    const a = parseDistArgs(args, ['base_distribution', 'transforms', 'validate_args'], 2)
    this._setup(a['base_distribution'] as Distribution, transformList(a['transforms']), validateOf(a))
  }

  /** @internal PyTorch's `__init__` body (subclasses call it with their base and transforms). */
  protected _setup(base: Distribution, transforms: Transform[], validate_args: boolean | null): void {
    this.transforms = transforms
    const baseShape = [...base.batch_shape, ...base.event_shape]
    const baseEvent = base.event_shape.length
    const t = new ComposeTransform(transforms)
    const domainEvent = t.domain.event_dim
    if (baseShape.length < domainEvent)
      throw new TorchValueError(
        `base_distribution needs to have shape with size at least ${domainEvent}, but got ${String(makeSize(baseShape))}.`,
      )
    const shape = t.forward_shape(baseShape)
    const expanded = t.inverse_shape(shape)
    let b = base
    if (!sameShape(baseShape, expanded)) b = b.expand(expanded.slice(0, expanded.length - baseEvent))
    const reinterpreted = domainEvent - baseEvent
    if (reinterpreted > 0) b = new Independent(b, reinterpreted)
    this.base_dist = b
    Object.assign(this, { has_rsample: b.has_rsample })
    const eventDim = t.codomain.event_dim + Math.max(baseEvent - domainEvent, 0)
    const cut = shape.length - eventDim
    // arg_constraints are checked (subclasses' parameters); the repr lists the parameters stored on the instance
    const names = Object.keys(this.arg_constraints)
    const own = names.filter((k) => Object.prototype.hasOwnProperty.call(this, k))
    this._init(shape.slice(0, cut), shape.slice(cut), validate_args, names, own)
  }
  get arg_constraints(): ArgConstraints {
    return {}
  }
  get support(): constraints.Constraint {
    const last = this.transforms[this.transforms.length - 1]
    if (last === undefined) return this.base_dist.support
    const s = last.codomain
    const extra = this._event_shape.length - s.event_dim
    return extra > 0 ? constraints.independent(s, extra) : s
  }
  override expand(batch_shape: ReadonlyArray<number>): this {
    let shape = makeSize([...batch_shape, ...this._event_shape])
    for (const t of [...this.transforms].reverse()) shape = t.inverse_shape(shape)
    const baseBatch = shape.slice(0, shape.length - this.base_dist.event_shape.length)
    const out = Object.create(Object.getPrototypeOf(this) as object) as this
    Object.assign(out, this, { base_dist: this.base_dist.expand(baseBatch) })
    // a subclass's own parameters (Gumbel's loc and scale) are expanded too
    for (const [name, extra] of Object.entries(this._expandFields())) {
      const v = this._param(name)
      if (v === undefined || !Object.prototype.hasOwnProperty.call(this, name)) continue
      ;(out as unknown as Record<string, T>)[name] = v.expand([...batch_shape, ...v.shape.slice(v.dim() - extra)])
    }
    out._batch_shape = makeSize(batch_shape)
    return out
  }
  override sample(sample_shape: SampleShape = []): T {
    return no_grad(() => this.transforms.reduce((x, t) => t(x), this.base_dist.sample(sample_shape)))
  }
  override rsample(sample_shape: SampleShape = []): T {
    return this.transforms.reduce((x, t) => t(x), this.base_dist.rsample(sample_shape))
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    let ev = this._event_shape.length
    let lp: T | number = 0
    let y = value
    for (const t of [...this.transforms].reverse()) {
      const x = t.inv(y)
      ev += t.domain.event_dim - t.codomain.event_dim
      const term = sumRightmost(t.log_abs_det_jacobian(x, y), ev - t.domain.event_dim)
      lp = typeof lp === 'number' ? term.neg().add(lp) : lp.sub(term)
      y = x
    }
    const base = sumRightmost(this.base_dist.log_prob(y), ev - this.base_dist.event_shape.length)
    return typeof lp === 'number' ? base.add(lp) : lp.add(base)
  }
  /** cdf values turned around when the chain is decreasing (PyTorch's `_monotonize_cdf`). */
  protected _monotonize_cdf(value: T): T {
    const sign = this.transforms.reduce<Sign>((s, t) => mulSign(s, t.sign), 1)
    if (sign === 1) return value
    return typeof sign === 'number' ? value.sub(0.5).mul(sign).add(0.5) : sign.mul(value.sub(0.5)).add(0.5)
  }
  override cdf(value: T): T {
    let v = value
    for (const t of [...this.transforms].reverse()) v = t.inv(v)
    if (this._validate_args) (this.base_dist as unknown as { _validate_sample(v: T): void })._validate_sample(v)
    return this._monotonize_cdf(this.base_dist.cdf(v))
  }
  override icdf(value: T): T {
    return this.transforms.reduce((x, t) => t(x), this.base_dist.icdf(this._monotonize_cdf(value)))
  }
}

/**
 * PyTorch's `TransformedDistribution(base_distribution, transforms, validate_args=None)`: the
 * distribution of `transforms(x)` for x drawn from `base_distribution`.
 * @example
 * import * as torch from 'wengert/torch'
 * const { TransformedDistribution, Normal, ExpTransform, LogNormal } = torch.distributions
 * const d = new TransformedDistribution(new Normal(0, 1), [new ExpTransform()])
 * const x = torch.tensor(2.0)
 * assert.ok(Math.abs(d.log_prob(x).item() - new LogNormal(0, 1).log_prob(x).item()) < 1e-6)
 * assert.strictEqual(String(d.support), 'GreaterThan(lower_bound=0.0)')
 * @category torch
 * @since 0.2.0
 */
export const TransformedDistribution = pyClass(TransformedDistributionImpl, 'TransformedDistribution')
/** A `TransformedDistribution` instance. @category torch @since 0.2.0 */
export type TransformedDistribution = TransformedDistributionImpl
