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
import { parseArgs, type PyArgs } from '../kwargs'
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

export type { IndependentTransformKw, ReshapeTransformKw } from './transformsStructural'
