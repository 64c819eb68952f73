/**
 * `torch.distributions.transforms`: invertible maps with a log-Jacobian, the building blocks of
 * {@link TransformedDistribution} and of `biject_to`/`transform_to`. A transform is callable
 * (`t(x)` is PyTorch's `t(x)`), `t.inv` is its inverse (`t.inv.inv` is `t`), and a transform
 * made `with_cache(1)` remembers its last pair so `t.inv(t(x))` returns `x` itself.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { zeros_like } from '../creation'
import { NotImplementedError, TorchValueError } from '../errors'
import { finfo } from '../finfo'
import { parseArgs, type PyArgs } from '../kwargs'
import { softplus } from '../nn/activation_functional'
import { makeSize, Size, Tensor } from '../tensor'
import * as constraints from './constraints'
import { sumRightmost } from './distribution'

type T = Tensor
/** The sign of a univariate bijection's derivative: ±1 (or 0), or a tensor of signs. */
export type Sign = number | T

/** The `cache_size` keyword every transform takes. */
export interface CacheKw {
  /** 0: no caching; 1: the last (x, y) pair is remembered (default 0). */
  readonly cache_size?: number
}

const checkCache = (cache_size: number): number => {
  if (cache_size !== 0 && cache_size !== 1) throw new TorchValueError('cache_size must be 0 or 1')
  return cache_size
}

/** `cache_size` from a transform's arguments bound to `names` (the last name is `cache_size`). */
export const parseTransformArgs = (
  args: ReadonlyArray<unknown>,
  names: ReadonlyArray<string>,
): Record<string, unknown> => parseArgs('__init__', args, names)

export interface Transform {
  /** PyTorch's `t(x)`: the forward map (cached when `cache_size` is 1). */
  (x: T): T
}

/**
 * PyTorch's `torch.distributions.transforms.Transform`: the base class of invertible maps with
 * a computable log |det J|. Subclasses define `_call` and/or `_inverse`, the constraints
 * `domain` and `codomain`, and (when bijective) `log_abs_det_jacobian`.
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.ExpTransform()
 * const x = torch.tensor([0.0, 1.0])
 * assert.deepStrictEqual(t.inv(t(x)).tolist(), [0, 1])
 * assert.strictEqual(t.inv.inv, t)
 * assert.strictEqual(String(t.inv), '_InverseTransform(ExpTransform())')
 * @category torch
 * @since 0.2.0
 */
export class Transform {
  /** @internal */
  declare _cache_size: number
  /** @internal The last (x, y) pair when caching. */
  declare _cached: [T | null, T | null]
  /** @internal The inverse, once made. */
  declare _inv: Transform | null

  constructor(...args: PyArgs<[cache_size: number], CacheKw>) {
    const self = ((x: T): T => self.call(x)) as unknown as Transform
    delete (self as { length?: number }).length
    delete (self as { name?: string }).name
    Object.setPrototypeOf(self, new.target.prototype)
    const a = parseArgs('__init__', args, ['cache_size'])
    self._cache_size = checkCache((a['cache_size'] as number | undefined) ?? 0)
    self._cached = [null, null]
    self._inv = null
    // eslint-disable-next-line no-constructor-return
    return self
  }

  /** True when `t.inv(t(x)) == x` and `t(t.inv(y)) == y`. */
  get bijective(): boolean {
    return false
  }
  /** The set of valid inputs. */
  get domain(): constraints.Constraint {
    throw new NotImplementedError(`${this.constructor.name} does not define domain`)
  }
  /** The set of outputs (the inverse's inputs). */
  get codomain(): constraints.Constraint {
    throw new NotImplementedError(`${this.constructor.name} does not define codomain`)
  }
  /** The number of rightmost axes forming one event (domain's and codomain's, when they agree). */
  get event_dim(): number {
    if (this.domain.event_dim === this.codomain.event_dim) return this.domain.event_dim
    throw new TorchValueError('Please use either .domain.event_dim or .codomain.event_dim')
  }
  /** The sign of the Jacobian's determinant (univariate bijections). */
  get sign(): Sign {
    throw new NotImplementedError('')
  }
  /** The inverse transform (`t.inv.inv === t`). */
  get inv(): Transform {
    if (this._inv === null) this._inv = new InverseTransform(this)
    return this._inv
  }
  /** This transform with `cache_size` (a new one when it differs). */
  with_cache(cache_size = 1): Transform {
    if (this._cache_size === cache_size) return this
    const ctor = this.constructor as new (...a: PyArgs<[cache_size: number], CacheKw>) => Transform
    if (this._plain()) return new ctor({ cache_size })
    throw new NotImplementedError(`${String(ctor.name)}.with_cache is not implemented`)
  }
  /** @internal True for transforms whose only argument is cache_size. */
  _plain(): boolean {
    return false
  }
  /** PyTorch's `__eq__`: the same transform (value equality for parameterless kinds). */
  equals(other: Transform): boolean {
    return this === other
  }
  /** The forward map (PyTorch's `__call__`). */
  call(x: T): T {
    if (this._cache_size === 0) return this._call(x)
    const [xOld, yOld] = this._cached
    if (x === xOld && yOld !== null) return yOld
    const y = this._call(x)
    this._cached = [x, y]
    return y
  }
  /** @internal The inverse map through the cache. */
  _inv_call(y: T): T {
    if (this._cache_size === 0) return this._inverse(y)
    const [xOld, yOld] = this._cached
    if (y === yOld && xOld !== null) return xOld
    const x = this._inverse(y)
    this._cached = [x, y]
    return x
  }
  /** @internal The forward computation. */
  _call(x: T): T {
    void x
    throw new NotImplementedError('')
  }
  /** @internal The inverse computation. */
  _inverse(y: T): T {
    void y
    throw new NotImplementedError('')
  }
  /** log |dy/dx| at the pair (x, y = t(x)). */
  log_abs_det_jacobian(x: T, y: T): T {
    void [x, y]
    throw new NotImplementedError('')
  }
  /** The output shape for an input of `shape`. */
  forward_shape(shape: ReadonlyArray<number>): Size {
    return makeSize(shape)
  }
  /** The input shape for an output of `shape`. */
  inverse_shape(shape: ReadonlyArray<number>): Size {
    return makeSize(shape)
  }
  /** PyTorch's repr (`ExpTransform()`). */
  toString(): string {
    return `${this.constructor.name}()`
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}
// Instances are functions (see the constructor): give them Function's members; `name`/`length` writable.
Object.setPrototypeOf(Transform.prototype, Function.prototype)
for (const key of ['name', 'length'])
  Object.defineProperty(Transform.prototype, key, { value: undefined, writable: true, configurable: true })

/** The inverse of a transform (PyTorch's `_InverseTransform`, made by `t.inv`). */
class InverseTransform extends Transform {
  constructor(readonly base: Transform) {
    super({ cache_size: base._cache_size })
    this._inv = base
  }
  override get domain(): constraints.Constraint {
    return this.base.codomain
  }
  override get codomain(): constraints.Constraint {
    return this.base.domain
  }
  override get bijective(): boolean {
    return this.base.bijective
  }
  override get sign(): Sign {
    return this.base.sign
  }
  override get inv(): Transform {
    return this.base
  }
  override with_cache(cache_size = 1): Transform {
    return this.base.with_cache(cache_size).inv
  }
  override equals(other: Transform): boolean {
    return other instanceof InverseTransform && this.base.equals(other.base)
  }
  override call(x: T): T {
    return this.base._inv_call(x)
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    return this.base.log_abs_det_jacobian(y, x).neg()
  }
  override forward_shape(shape: ReadonlyArray<number>): Size {
    return this.base.inverse_shape(shape)
  }
  override inverse_shape(shape: ReadonlyArray<number>): Size {
    return this.base.forward_shape(shape)
  }
  override toString(): string {
    return `_InverseTransform(${String(this.base)})`
  }
}

/** Multiplies two signs (numbers stay numbers). */
export const mulSign = (a: Sign, b: Sign): Sign =>
  typeof a === 'number' && typeof b === 'number' ? a * b : a instanceof Tensor ? a.mul(b) : (b as T).mul(a)

/** See {@link ComposeTransform}. */
class ComposeTransformImpl extends Transform {
  readonly parts: ReadonlyArray<Transform>
  constructor(...args: PyArgs<[parts: ReadonlyArray<Transform>, cache_size: number], CacheKw>) {
    const a = parseTransformArgs(args, ['parts', 'cache_size'])
    const cache_size = (a['cache_size'] as number | undefined) ?? 0
    super({ cache_size })
    const parts = (a['parts'] as ReadonlyArray<Transform> | undefined) ?? []
    this.parts = cache_size !== 0 ? parts.map((p) => p.with_cache(cache_size)) : parts
  }
  override equals(other: Transform): boolean {
    return (
      other instanceof ComposeTransform &&
      other.parts.length === this.parts.length &&
      this.parts.every((p, i) => p.equals(other.parts[i] as Transform))
    )
  }
  override get domain(): constraints.Constraint {
    const first = this.parts[0]
    if (first === undefined) return constraints.real
    let ev = (this.parts[this.parts.length - 1] as Transform).codomain.event_dim
    for (const p of [...this.parts].reverse())
      ev = Math.max(ev + p.domain.event_dim - p.codomain.event_dim, p.domain.event_dim)
    const d = first.domain
    return ev > d.event_dim ? constraints.independent(d, ev - d.event_dim) : d
  }
  override get codomain(): constraints.Constraint {
    const last = this.parts[this.parts.length - 1]
    if (last === undefined) return constraints.real
    let ev = (this.parts[0] as Transform).domain.event_dim
    for (const p of this.parts) ev = Math.max(ev + p.codomain.event_dim - p.domain.event_dim, p.codomain.event_dim)
    const c = last.codomain
    return ev > c.event_dim ? constraints.independent(c, ev - c.event_dim) : c
  }
  override get bijective(): boolean {
    return this.parts.every((p) => p.bijective)
  }
  override get sign(): Sign {
    return this.parts.reduce<Sign>((s, p) => mulSign(s, p.sign), 1)
  }
  override get inv(): Transform {
    if (this._inv === null) {
      const inv = new ComposeTransform([...this.parts].reverse().map((p) => p.inv))
      inv._inv = this
      this._inv = inv
    }
    return this._inv
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new ComposeTransform(this.parts, { cache_size })
  }
  override call(x: T): T {
    return this.parts.reduce((v, p) => p(v), x)
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    if (this.parts.length === 0) return zeros_like(x)
    const xs = [x]
    for (const p of this.parts.slice(0, -1)) xs.push(p(xs[xs.length - 1] as T))
    xs.push(y)
    let ev = this.domain.event_dim
    const terms = this.parts.map((p, i) => {
      const term = sumRightmost(p.log_abs_det_jacobian(xs[i] as T, xs[i + 1] as T), ev - p.domain.event_dim)
      ev += p.codomain.event_dim - p.domain.event_dim
      return term
    })
    return terms.reduce((s, t) => s.add(t))
  }
  override forward_shape(shape: ReadonlyArray<number>): Size {
    return this.parts.reduce((s, p) => p.forward_shape(s), makeSize(shape))
  }
  override inverse_shape(shape: ReadonlyArray<number>): Size {
    return [...this.parts].reverse().reduce((s, p) => p.inverse_shape(s), makeSize(shape))
  }
  override toString(): string {
    return `ComposeTransform(\n    ${this.parts.map(String).join(',\n    ')}\n)`
  }
}

/**
 * PyTorch's `identity_transform`: the empty {@link ComposeTransform}.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1.5])
 * assert.strictEqual(torch.distributions.identity_transform(x), x)
 * @category torch
 * @since 0.2.0
 */
export const identity_transform: ComposeTransform = new ComposeTransformImpl([])

/** Keywords of IndependentTransform. */
export interface IndependentTransformKw extends CacheKw {
  readonly base_transform?: Transform
  readonly reinterpreted_batch_ndims?: number
}

/** See {@link IndependentTransform}. */
class IndependentTransformImpl extends Transform {
  readonly base_transform: Transform
  readonly reinterpreted_batch_ndims: number
  constructor(
    ...args: PyArgs<
      [base_transform: Transform, reinterpreted_batch_ndims: number, cache_size: number],
      IndependentTransformKw
    >
  ) {
    const a = parseTransformArgs(args, ['base_transform', 'reinterpreted_batch_ndims', 'cache_size'])
    const cache_size = (a['cache_size'] as number | undefined) ?? 0
    super({ cache_size })
    this.base_transform = (a['base_transform'] as Transform).with_cache(cache_size)
    this.reinterpreted_batch_ndims = a['reinterpreted_batch_ndims'] as number
  }
  override with_cache(cache_size = 1): Transform {
    if (this._cache_size === cache_size) return this
    return new IndependentTransform(this.base_transform, this.reinterpreted_batch_ndims, { cache_size })
  }
  override get domain(): constraints.Constraint {
    return constraints.independent(this.base_transform.domain, this.reinterpreted_batch_ndims)
  }
  override get codomain(): constraints.Constraint {
    return constraints.independent(this.base_transform.codomain, this.reinterpreted_batch_ndims)
  }
  override get bijective(): boolean {
    return this.base_transform.bijective
  }
  override get sign(): Sign {
    return this.base_transform.sign
  }
  override _call(x: T): T {
    if (x.dim() < this.domain.event_dim) throw new TorchValueError('Too few dimensions on input')
    return this.base_transform(x)
  }
  override _inverse(y: T): T {
    if (y.dim() < this.codomain.event_dim) throw new TorchValueError('Too few dimensions on input')
    return this.base_transform.inv(y)
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    return sumRightmost(this.base_transform.log_abs_det_jacobian(x, y), this.reinterpreted_batch_ndims)
  }
  override forward_shape(shape: ReadonlyArray<number>): Size {
    return this.base_transform.forward_shape(shape)
  }
  override inverse_shape(shape: ReadonlyArray<number>): Size {
    return this.base_transform.inverse_shape(shape)
  }
  override toString(): string {
    return `IndependentTransform(${String(this.base_transform)}, ${this.reinterpreted_batch_ndims})`
  }
}

/** Keywords of ReshapeTransform. */
export interface ReshapeTransformKw extends CacheKw {
  readonly in_shape?: ReadonlyArray<number>
  readonly out_shape?: ReadonlyArray<number>
}

const prod = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

/** The leading part of `shape` before an event of `event` axes, checked ("Shape mismatch" otherwise). */
const splitEvent = (shape: ReadonlyArray<number>, event: ReadonlyArray<number>): ReadonlyArray<number> => {
  if (shape.length < event.length) throw new TorchValueError('Too few dimensions on input')
  const cut = shape.length - event.length
  const tail = shape.slice(cut)
  // Python prints the slice of a list as a list and of a torch.Size as a Size
  const shown = shape instanceof Size ? String(makeSize(tail)) : `[${tail.join(', ')}]`
  if (!tail.every((d, i) => d === event[i]))
    throw new TorchValueError(`Shape mismatch: expected ${shown} but got ${String(makeSize(event))}`)
  return shape.slice(0, cut)
}

/** See {@link ReshapeTransform}. */
class ReshapeTransformImpl extends Transform {
  readonly in_shape: Size
  readonly out_shape: Size
  constructor(
    ...args: PyArgs<
      [in_shape: ReadonlyArray<number>, out_shape: ReadonlyArray<number>, cache_size: number],
      ReshapeTransformKw
    >
  ) {
    const a = parseTransformArgs(args, ['in_shape', 'out_shape', 'cache_size'])
    const [ins, outs] = [
      makeSize(a['in_shape'] as ReadonlyArray<number>),
      makeSize(a['out_shape'] as ReadonlyArray<number>),
    ]
    if (prod(ins) !== prod(outs)) throw new TorchValueError('in_shape, out_shape have different numbers of elements')
    super({ cache_size: (a['cache_size'] as number | undefined) ?? 0 })
    this.in_shape = ins
    this.out_shape = outs
  }
  override get bijective(): boolean {
    return true
  }
  override get domain(): constraints.Constraint {
    return constraints.independent(constraints.real, this.in_shape.length)
  }
  override get codomain(): constraints.Constraint {
    return constraints.independent(constraints.real, this.out_shape.length)
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new ReshapeTransform(this.in_shape, this.out_shape, { cache_size })
  }
  override _call(x: T): T {
    return x.reshape([...x.shape.slice(0, x.dim() - this.in_shape.length), ...this.out_shape])
  }
  override _inverse(y: T): T {
    return y.reshape([...y.shape.slice(0, y.dim() - this.out_shape.length), ...this.in_shape])
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return x.new_zeros([...x.shape.slice(0, x.dim() - this.in_shape.length)])
  }
  override forward_shape(shape: ReadonlyArray<number>): Size {
    return makeSize([...splitEvent(shape, this.in_shape), ...this.out_shape])
  }
  override inverse_shape(shape: ReadonlyArray<number>): Size {
    return makeSize([...splitEvent(shape, this.out_shape), ...this.in_shape])
  }
}

/** A transform whose only argument is `cache_size`, equal to any other of its class. */
abstract class PlainTransform extends Transform {
  override _plain(): boolean {
    return true
  }
  override equals(other: Transform): boolean {
    return other.constructor === this.constructor
  }
  override get bijective(): boolean {
    return true
  }
  override get sign(): Sign {
    return 1
  }
}

/** See {@link ExpTransform}. */
class ExpTransformImpl extends PlainTransform {
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive
  }
  override _call(x: T): T {
    return x.exp()
  }
  override _inverse(y: T): T {
    return y.log()
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return x
  }
}

/** sigmoid clamped to [tiny, 1 − eps] (PyTorch's `_clipped_sigmoid`). */
export const clippedSigmoid = (x: T): T => {
  const fi = finfo(x.dtype)
  return x.sigmoid().clamp(fi.tiny, 1 - fi.eps)
}

/** See {@link SigmoidTransform}. */
class SigmoidTransformImpl extends PlainTransform {
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.unit_interval
  }
  override _call(x: T): T {
    return clippedSigmoid(x)
  }
  override _inverse(y: T): T {
    const fi = finfo(y.dtype)
    const c = y.clamp(fi.tiny, 1 - fi.eps)
    return c.log().sub(c.neg().log1p())
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return softplus(x.neg()).neg().sub(softplus(x))
  }
}

/** See {@link SoftplusTransform}. */
class SoftplusTransformImpl extends PlainTransform {
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive
  }
  override _call(x: T): T {
    return softplus(x)
  }
  override _inverse(y: T): T {
    return y.neg().expm1().neg().log().add(y)
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return softplus(x.neg()).neg()
  }
}

/** See {@link TanhTransform}. */
class TanhTransformImpl extends PlainTransform {
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.interval(-1, 1)
  }
  override _call(x: T): T {
    return x.tanh()
  }
  override _inverse(y: T): T {
    return y.atanh()
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return x
      .neg()
      .add(Math.LN2)
      .sub(softplus(x.mul(-2)))
      .mul(2)
  }
}

/** See {@link AbsTransform}. */
class AbsTransformImpl extends PlainTransform {
  override get bijective(): boolean {
    return false
  }
  override get sign(): Sign {
    throw new NotImplementedError('')
  }
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive
  }
  override _call(x: T): T {
    return x.abs()
  }
  override _inverse(y: T): T {
    return y
  }
}

/**
 * PyTorch's `ComposeTransform(parts, cache_size=0)`: the parts applied in order; its
 * log-Jacobian sums theirs (over the axes each part's event does not cover).
 * @example
 * import * as torch from 'wengert/torch'
 * const { ComposeTransform, ExpTransform, AffineTransform } = torch.distributions
 * const t = new ComposeTransform([new ExpTransform(), new AffineTransform(1, 2)])
 * const x = torch.tensor([0.0])
 * assert.deepStrictEqual(t(x).tolist(), [3])
 * assert.ok(Math.abs(t.log_abs_det_jacobian(x, t(x)).item() - Math.LN2) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const ComposeTransform = pyClass(ComposeTransformImpl, 'ComposeTransform')
/** A `ComposeTransform` instance. @category torch @since 0.2.0 */
export type ComposeTransform = ComposeTransformImpl

/**
 * PyTorch's `IndependentTransform(base_transform, reinterpreted_batch_ndims, cache_size=0)`:
 * `base_transform` with its log-Jacobian summed over `reinterpreted_batch_ndims` more axes.
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.IndependentTransform(new torch.distributions.ExpTransform(), 1)
 * const x = torch.tensor([1.0, 2.0])
 * assert.strictEqual(t.log_abs_det_jacobian(x, t(x)).item(), 3)
 * assert.strictEqual(t.event_dim, 1)
 * @category torch
 * @since 0.2.0
 */
export const IndependentTransform = pyClass(IndependentTransformImpl, 'IndependentTransform')
/** A `IndependentTransform` instance. @category torch @since 0.2.0 */
export type IndependentTransform = IndependentTransformImpl

/**
 * PyTorch's `ReshapeTransform(in_shape, out_shape, cache_size=0)`: reshapes the rightmost
 * `in_shape` axes to `out_shape` (log-Jacobian 0).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.ReshapeTransform([4], [2, 2])
 * assert.deepStrictEqual([...t(torch.arange(4)).shape], [2, 2])
 * assert.throws(() => new torch.distributions.ReshapeTransform([2], [3]), /different numbers of elements/)
 * @category torch
 * @since 0.2.0
 */
export const ReshapeTransform = pyClass(ReshapeTransformImpl, 'ReshapeTransform')
/** A `ReshapeTransform` instance. @category torch @since 0.2.0 */
export type ReshapeTransform = ReshapeTransformImpl

/**
 * PyTorch's `ExpTransform()`: y = exp(x).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.ExpTransform()
 * assert.strictEqual(t(torch.tensor(0)).item(), 1)
 * @category torch
 * @since 0.2.0
 */
export const ExpTransform = pyClass(ExpTransformImpl, 'ExpTransform')
/** A `ExpTransform` instance. @category torch @since 0.2.0 */
export type ExpTransform = ExpTransformImpl

/**
 * PyTorch's `SigmoidTransform()`: y = σ(x), clamped inside (0, 1).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.SigmoidTransform()
 * assert.strictEqual(t(torch.tensor(0)).item(), 0.5)
 * @category torch
 * @since 0.2.0
 */
export const SigmoidTransform = pyClass(SigmoidTransformImpl, 'SigmoidTransform')
/** A `SigmoidTransform` instance. @category torch @since 0.2.0 */
export type SigmoidTransform = SigmoidTransformImpl

/**
 * PyTorch's `SoftplusTransform()`: y = log(1 + eˣ).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.SoftplusTransform()
 * assert.ok(Math.abs(t(torch.tensor(0)).item() - Math.LN2) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const SoftplusTransform = pyClass(SoftplusTransformImpl, 'SoftplusTransform')
/** A `SoftplusTransform` instance. @category torch @since 0.2.0 */
export type SoftplusTransform = SoftplusTransformImpl

/**
 * PyTorch's `TanhTransform()`: y = tanh(x) (used to squash Gaussian policies in SAC).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.TanhTransform()
 * assert.strictEqual(t.log_abs_det_jacobian(torch.tensor(0), torch.tensor(0)).item(), 0)
 * @category torch
 * @since 0.2.0
 */
export const TanhTransform = pyClass(TanhTransformImpl, 'TanhTransform')
/** A `TanhTransform` instance. @category torch @since 0.2.0 */
export type TanhTransform = TanhTransformImpl

/**
 * PyTorch's `AbsTransform()`: y = |x| (not bijective; its inverse is the identity).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.AbsTransform()
 * assert.deepStrictEqual(t(torch.tensor([-2, 3])).tolist(), [2, 3])
 * assert.strictEqual(t.bijective, false)
 * @category torch
 * @since 0.2.0
 */
export const AbsTransform = pyClass(AbsTransformImpl, 'AbsTransform')
/** A `AbsTransform` instance. @category torch @since 0.2.0 */
export type AbsTransform = AbsTransformImpl
