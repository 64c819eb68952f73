/**
 * Adaptive pooling layers: `AdaptiveAvgPool1d/2d/3d` and `AdaptiveMaxPool1d/2d/3d`
 * (`return_indices`), printed as PyTorch prints them (`AdaptiveAvgPool2d(output_size=(2, None))`).
 *
 * @category torch
 * @since 0.2.0
 */
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import type { AdaptiveSize } from './adaptive'
import { pyRepr } from './convUtils'
import * as F from './functional'
import { required } from './layers'
import { Module } from './module'
import { pyClass } from './pyclass'

/** An adaptive pooling layer (its `output_size`). */
abstract class AdaptivePool extends Module {
  readonly output_size: AdaptiveSize
  constructor(cls: string, a: Record<string, unknown>) {
    super()
    required(`${cls}.__init__`, a, ['output_size'])
    this.output_size = a.output_size as AdaptiveSize
  }
  override extra_repr(): string {
    return `output_size=${pyRepr(this.output_size)}`
  }
}

type AvgArgs = PyArgs<[output_size: AdaptiveSize], { readonly output_size?: AdaptiveSize }>

/** An adaptive average pooling layer over `nsp` axes. */
abstract class AdaptiveAvgPoolNd extends AdaptivePool {
  /** @internal The `F` function this layer applies. */
  abstract readonly _pool: typeof F.adaptive_avg_pool2d
  constructor(args: AvgArgs) {
    super('_AdaptiveAvgPoolNd', parseArgs('_AdaptiveAvgPoolNd.__init__', args, ['output_size']))
  }
  /** Adaptive average pooling of `input` to `output_size`. */
  forward(input: Tensor): Tensor {
    return this._pool(input, this.output_size)
  }
}

/** See {@link AdaptiveAvgPool1d}. */
class AdaptiveAvgPool1dImpl extends AdaptiveAvgPoolNd {
  readonly _pool = F.adaptive_avg_pool1d
  constructor(...args: AvgArgs) {
    super(args)
  }
}
/**
 * 1-D adaptive average pooling layer.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.AdaptiveAvgPool1d(1).call(torch.tensor([[1, 2, 6]])).tolist(), [[3]])
 * @category torch @since 0.2.0
 */
export const AdaptiveAvgPool1d = pyClass(AdaptiveAvgPool1dImpl, 'AdaptiveAvgPool1d')
/** An `nn.AdaptiveAvgPool1d` instance. @category torch @since 0.2.0 */
export type AdaptiveAvgPool1d = AdaptiveAvgPool1dImpl

/** See {@link AdaptiveAvgPool2d}. */
class AdaptiveAvgPool2dImpl extends AdaptiveAvgPoolNd {
  readonly _pool = F.adaptive_avg_pool2d
  constructor(...args: AvgArgs) {
    super(args)
  }
}
/**
 * 2-D adaptive average pooling layer (ResNet's `AdaptiveAvgPool2d((1, 1))`).
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.AdaptiveAvgPool2d([1, 1])
 * assert.strictEqual(String(pool.call(torch.ones(2, 8, 7, 7)).shape), 'torch.Size([2, 8, 1, 1])')
 * assert.strictEqual(String(pool), 'AdaptiveAvgPool2d(output_size=(1, 1))')
 * @category torch @since 0.2.0
 */
export const AdaptiveAvgPool2d = pyClass(AdaptiveAvgPool2dImpl, 'AdaptiveAvgPool2d')
/** An `nn.AdaptiveAvgPool2d` instance. @category torch @since 0.2.0 */
export type AdaptiveAvgPool2d = AdaptiveAvgPool2dImpl

/** See {@link AdaptiveAvgPool3d}. */
class AdaptiveAvgPool3dImpl extends AdaptiveAvgPoolNd {
  readonly _pool = F.adaptive_avg_pool3d
  constructor(...args: AvgArgs) {
    super(args)
  }
}
/**
 * 3-D adaptive average pooling layer.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.AdaptiveAvgPool3d(2).call(torch.ones(1, 3, 5, 5)).shape), 'torch.Size([1, 2, 2, 2])')
 * @category torch @since 0.2.0
 */
export const AdaptiveAvgPool3d = pyClass(AdaptiveAvgPool3dImpl, 'AdaptiveAvgPool3d')
/** An `nn.AdaptiveAvgPool3d` instance. @category torch @since 0.2.0 */
export type AdaptiveAvgPool3d = AdaptiveAvgPool3dImpl

type MaxArgs = PyArgs<
  [output_size: AdaptiveSize, return_indices: boolean],
  { readonly output_size?: AdaptiveSize; readonly return_indices?: boolean }
>

/** An adaptive max pooling layer; `forward` returns `[output, indices]` with `return_indices`. */
abstract class AdaptiveMaxPoolNd extends AdaptivePool {
  readonly return_indices: boolean
  /** @internal The `F` function this layer applies. */
  abstract readonly _pool: typeof F.adaptive_max_pool2d
  constructor(args: MaxArgs) {
    const a = parseArgs('_AdaptiveMaxPoolNd.__init__', args, ['output_size', 'return_indices'])
    super('_AdaptiveMaxPoolNd', a)
    this.return_indices = (a.return_indices as boolean | undefined) ?? false
  }
  /** Adaptive max pooling of `input` (and the indices of the maxima with `return_indices`). */
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return this.return_indices
      ? this._pool(input, this.output_size, { return_indices: true })
      : this._pool(input, this.output_size)
  }
}

/** See {@link AdaptiveMaxPool1d}. */
class AdaptiveMaxPool1dImpl extends AdaptiveMaxPoolNd {
  readonly _pool = F.adaptive_max_pool1d
  constructor(...args: MaxArgs) {
    super(args)
  }
}
/**
 * 1-D adaptive max pooling layer.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual((torch.nn.AdaptiveMaxPool1d(1).call(torch.tensor([[1, 7, 6]])) as torch.Tensor).tolist(), [[7]])
 * @category torch @since 0.2.0
 */
export const AdaptiveMaxPool1d = pyClass(AdaptiveMaxPool1dImpl, 'AdaptiveMaxPool1d')
/** An `nn.AdaptiveMaxPool1d` instance. @category torch @since 0.2.0 */
export type AdaptiveMaxPool1d = AdaptiveMaxPool1dImpl

/** See {@link AdaptiveMaxPool2d}. */
class AdaptiveMaxPool2dImpl extends AdaptiveMaxPoolNd {
  readonly _pool = F.adaptive_max_pool2d
  constructor(...args: MaxArgs) {
    super(args)
  }
}
/**
 * 2-D adaptive max pooling layer.
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.AdaptiveMaxPool2d(1)
 * assert.deepStrictEqual((pool.call(torch.tensor([[[1, 7], [9, 2]]])) as torch.Tensor).tolist(), [[[9]]])
 * assert.strictEqual(String(pool), 'AdaptiveMaxPool2d(output_size=1)')
 * @category torch @since 0.2.0
 */
export const AdaptiveMaxPool2d = pyClass(AdaptiveMaxPool2dImpl, 'AdaptiveMaxPool2d')
/** An `nn.AdaptiveMaxPool2d` instance. @category torch @since 0.2.0 */
export type AdaptiveMaxPool2d = AdaptiveMaxPool2dImpl

/** See {@link AdaptiveMaxPool3d}. */
class AdaptiveMaxPool3dImpl extends AdaptiveMaxPoolNd {
  readonly _pool = F.adaptive_max_pool3d
  constructor(...args: MaxArgs) {
    super(args)
  }
}
/**
 * 3-D adaptive max pooling layer.
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.AdaptiveMaxPool3d(1)
 * assert.deepStrictEqual((pool.call(torch.arange(8, { dtype: torch.float32 }).reshape(1, 2, 2, 2)) as torch.Tensor).tolist(), [[[[7]]]])
 * assert.strictEqual(String(pool), 'AdaptiveMaxPool3d(output_size=1)')
 * @category torch @since 0.2.0
 */
export const AdaptiveMaxPool3d = pyClass(AdaptiveMaxPool3dImpl, 'AdaptiveMaxPool3d')
/** An `nn.AdaptiveMaxPool3d` instance. @category torch @since 0.2.0 */
export type AdaptiveMaxPool3d = AdaptiveMaxPool3dImpl
