/**
 * The structural transforms of `torch.distributions.transforms`: `IndependentTransform` (a base
 * transform with its log-Jacobian summed over more event axes) and `ReshapeTransform` (the
 * base class and `ComposeTransform` are in ./transforms.ts).
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { TorchValueError } from '../errors'
import { type PyArgs } from '../kwargs'
import { makeSize, Size, Tensor } from '../tensor'
import * as constraints from './constraints'
import { sumRightmost } from './distribution'
import { parseTransformArgs, Transform, type CacheKw, type Sign } from './transforms'

type T = Tensor

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
