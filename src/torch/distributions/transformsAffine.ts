/**
 * Parameterised univariate transforms of `torch.distributions`: AffineTransform, PowerTransform
 * and CumulativeDistributionTransform.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { full_like } from '../creation'
import type { PyArgs } from '../kwargs'
import { broadcastShape } from '../ops/convert'
import { makeSize, Tensor, type Size } from '../tensor'
import * as constraints from './constraints'
import { broadcastAll, type Distribution, type Param } from './distribution'
import { parseTransformArgs, Transform, type CacheKw, type Sign } from './transforms'

type T = Tensor

const shapeOf = (p: Param): ReadonlyArray<number> => (p instanceof Tensor ? p.shape : [])
const cacheOf = (a: Record<string, unknown>): number => (a['cache_size'] as number | undefined) ?? 0
const sameParam = (a: Param, b: Param): boolean =>
  typeof a === 'number' && typeof b === 'number'
    ? a === b
    : ((a instanceof Tensor ? a.eq(b) : (b as T).eq(a)).all().item() as boolean)

/** Keywords of AffineTransform. */
export interface AffineTransformKw extends CacheKw {
  readonly loc?: Param
  readonly scale?: Param
  readonly event_dim?: number
}

/** See {@link AffineTransform}. */
class AffineTransformImpl extends Transform {
  readonly loc: Param
  readonly scale: Param
  /** @internal */
  readonly _event_dim: number
  constructor(...args: PyArgs<[loc: Param, scale: Param, event_dim: number, cache_size: number], AffineTransformKw>) {
    const a = parseTransformArgs(args, ['loc', 'scale', 'event_dim', 'cache_size'])
    super({ cache_size: cacheOf(a) })
    this.loc = a['loc'] as Param
    this.scale = a['scale'] as Param
    this._event_dim = (a['event_dim'] as number | undefined) ?? 0
  }
  override get event_dim(): number {
    return this._event_dim
  }
  override get bijective(): boolean {
    return true
  }
  override get domain(): constraints.Constraint {
    return this._event_dim === 0 ? constraints.real : constraints.independent(constraints.real, this._event_dim)
  }
  override get codomain(): constraints.Constraint {
    return this.domain
  }
  override with_cache(cache_size = 1): Transform {
    if (this._cache_size === cache_size) return this
    return new AffineTransform(this.loc, this.scale, this._event_dim, { cache_size })
  }
  override equals(other: Transform): boolean {
    return other instanceof AffineTransform && sameParam(this.loc, other.loc) && sameParam(this.scale, other.scale)
  }
  override get sign(): Sign {
    const s = this.scale
    return s instanceof Tensor ? s.sign() : s > 0 ? 1 : s < 0 ? -1 : 0
  }
  override _call(x: T): T {
    const sx = this.scale instanceof Tensor ? this.scale.mul(x) : x.mul(this.scale)
    return this.loc instanceof Tensor ? this.loc.add(sx) : sx.add(this.loc)
  }
  override _inverse(y: T): T {
    return y.sub(this.loc).div(this.scale)
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    const s = this.scale
    let r = s instanceof Tensor ? s.abs().log() : full_like(x, Math.log(Math.abs(s)))
    let shape: ReadonlyArray<number> = x.shape
    const e = this._event_dim
    if (e > 0) {
      r = r.reshape(...r.shape.slice(0, r.dim() - e), -1).sum(-1)
      shape = shape.slice(0, shape.length - e)
    }
    return r.expand([...shape])
  }
  override forward_shape(shape: ReadonlyArray<number>): Size {
    return makeSize(broadcastShape(broadcastShape(shape, shapeOf(this.loc)), shapeOf(this.scale)))
  }
  override inverse_shape(shape: ReadonlyArray<number>): Size {
    return this.forward_shape(shape)
  }
}

/** Keywords of PowerTransform. */
export interface PowerTransformKw extends CacheKw {
  readonly exponent?: Param
}

/** See {@link PowerTransform}. */
class PowerTransformImpl extends Transform {
  readonly exponent: T
  constructor(...args: PyArgs<[exponent: Param, cache_size: number], PowerTransformKw>) {
    const a = parseTransformArgs(args, ['exponent', 'cache_size'])
    super({ cache_size: cacheOf(a) })
    this.exponent = broadcastAll(a['exponent'] as Param)[0] as T
  }
  override get bijective(): boolean {
    return true
  }
  override get sign(): Sign {
    return this.exponent.sign()
  }
  override get domain(): constraints.Constraint {
    return constraints.positive
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new PowerTransform(this.exponent, { cache_size })
  }
  override equals(other: Transform): boolean {
    return other instanceof PowerTransform && sameParam(this.exponent, other.exponent)
  }
  override _call(x: T): T {
    return x.pow(this.exponent)
  }
  override _inverse(y: T): T {
    return y.pow(this.exponent.reciprocal())
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    return this.exponent.mul(y).div(x).abs().log()
  }
  override forward_shape(shape: ReadonlyArray<number>): Size {
    return makeSize(broadcastShape(shape, this.exponent.shape))
  }
  override inverse_shape(shape: ReadonlyArray<number>): Size {
    return this.forward_shape(shape)
  }
}

/** Keywords of CumulativeDistributionTransform. */
export interface CumulativeDistributionTransformKw extends CacheKw {
  readonly distribution?: Distribution
}

/** See {@link CumulativeDistributionTransform}. */
class CumulativeDistributionTransformImpl extends Transform {
  readonly distribution: Distribution
  constructor(...args: PyArgs<[distribution: Distribution, cache_size: number], CumulativeDistributionTransformKw>) {
    const a = parseTransformArgs(args, ['distribution', 'cache_size'])
    super({ cache_size: cacheOf(a) })
    this.distribution = a['distribution'] as Distribution
  }
  override get bijective(): boolean {
    return true
  }
  override get sign(): Sign {
    return 1
  }
  override get domain(): constraints.Constraint {
    return this.distribution.support
  }
  override get codomain(): constraints.Constraint {
    return constraints.unit_interval
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size
      ? this
      : new CumulativeDistributionTransform(this.distribution, { cache_size })
  }
  override _call(x: T): T {
    return this.distribution.cdf(x)
  }
  override _inverse(y: T): T {
    return this.distribution.icdf(y)
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return this.distribution.log_prob(x)
  }
}

/**
 * PyTorch's `AffineTransform(loc, scale, event_dim=0, cache_size=0)`: y = loc + scale·x (numbers
 * or tensors); `event_dim` rightmost axes form one event of the log-Jacobian.
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.AffineTransform(1, -2)
 * const x = torch.tensor([0.5])
 * assert.deepStrictEqual(t(x).tolist(), [0])
 * assert.deepStrictEqual(t.inv(t(x)).tolist(), [0.5])
 * assert.strictEqual(t.sign, -1)
 * assert.ok(Math.abs(t.log_abs_det_jacobian(x, t(x)).item() - Math.LN2) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const AffineTransform = pyClass(AffineTransformImpl, 'AffineTransform')
/** A `AffineTransform` instance. @category torch @since 0.2.0 */
export type AffineTransform = AffineTransformImpl

/**
 * PyTorch's `PowerTransform(exponent, cache_size=0)`: y = x^exponent on x > 0.
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.PowerTransform(2)
 * assert.deepStrictEqual(t(torch.tensor([3.0])).tolist(), [9])
 * assert.deepStrictEqual(t.inv(torch.tensor([4.0])).tolist(), [2])
 * @category torch
 * @since 0.2.0
 */
export const PowerTransform = pyClass(PowerTransformImpl, 'PowerTransform')
/** A `PowerTransform` instance. @category torch @since 0.2.0 */
export type PowerTransform = PowerTransformImpl

/**
 * PyTorch's `CumulativeDistributionTransform(distribution, cache_size=0)`: y = cdf(x) of a
 * univariate distribution (its inverse is the icdf, its log-Jacobian the log-density).
 * @example
 * import * as torch from 'wengert/torch'
 * const { CumulativeDistributionTransform, Normal } = torch.distributions
 * const t = new CumulativeDistributionTransform(new Normal(0, 1))
 * assert.strictEqual(t(torch.tensor(0)).item(), 0.5)
 * @category torch
 * @since 0.2.0
 */
export const CumulativeDistributionTransform = pyClass(
  CumulativeDistributionTransformImpl,
  'CumulativeDistributionTransform',
)
/** A `CumulativeDistributionTransform` instance. @category torch @since 0.2.0 */
export type CumulativeDistributionTransform = CumulativeDistributionTransformImpl
