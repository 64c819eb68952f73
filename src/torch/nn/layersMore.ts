/**
 * More layers: `Softmax2d`, `UpsamplingNearest2d`/`UpsamplingBilinear2d` (`Upsample` with a
 * fixed mode), `MaxUnpool1d/2d/3d` and `LPPool1d/2d`, with PyTorch's
 * arguments, defaults and printed forms; each forward calls the matching `F.*` function.
 *
 * @category torch
 * @since 0.2.0
 */
import { AssertionError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { expand, pyRepr, type IntOrTuple } from './convUtils'
import * as F from './functional'
import { required } from './layers'
import { Module } from './module'
import { pyClass } from './pyclass'
import { Upsample } from './resampleLayers'

/** See {@link Softmax2d}. */
class Softmax2dImpl extends Module {
  constructor(...args: PyArgs<[], Record<string, never>>) {
    super()
    parseArgs('Softmax2d.__init__', args, [])
  }
  /** Softmax over the channel axis (−3) of [N, C, H, W] or [C, H, W]. */
  forward(input: Tensor): Tensor {
    if (input.dim() !== 3 && input.dim() !== 4)
      throw new AssertionError('Softmax2d requires a 3D or 4D tensor as input')
    return F.softmax(input, -3)
  }
}
/**
 * Softmax over the channels at every spatial location.
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.Softmax2d().call(torch.zeros(1, 2, 1, 1))
 * assert.deepStrictEqual(y.tolist(), [[[[0.5]], [[0.5]]]])
 * @category torch @since 0.2.0
 */
export const Softmax2d = pyClass(Softmax2dImpl, 'Softmax2d')
/** An `nn.Softmax2d` instance. @category torch @since 0.2.0 */
export type Softmax2d = Softmax2dImpl

type Sizes = number | ReadonlyArray<number> | null
type UpArgs = PyArgs<[size: Sizes, scale_factor: Sizes], { readonly size?: Sizes; readonly scale_factor?: Sizes }>

/** See {@link UpsamplingNearest2d}. */
class UpsamplingNearest2dImpl extends Upsample {
  constructor(...args: UpArgs) {
    const a = parseArgs('UpsamplingNearest2d.__init__', args, ['size', 'scale_factor'])
    super({ size: (a.size as Sizes | undefined) ?? null, scale_factor: (a.scale_factor as Sizes | undefined) ?? null })
  }
}
/**
 * Nearest-neighbour 2-D upsampling (`Upsample` with mode `'nearest'`).
 * @example
 * import * as torch from 'wengert/torch'
 * const up = torch.nn.UpsamplingNearest2d({ scale_factor: 2 })
 * assert.strictEqual(String(up.call(torch.ones(1, 1, 2, 3)).shape), 'torch.Size([1, 1, 4, 6])')
 * assert.strictEqual(String(up), 'UpsamplingNearest2d(scale_factor=2.0, mode=nearest)')
 * @category torch @since 0.2.0
 */
export const UpsamplingNearest2d = pyClass(UpsamplingNearest2dImpl, 'UpsamplingNearest2d')
/** An `nn.UpsamplingNearest2d` instance. @category torch @since 0.2.0 */
export type UpsamplingNearest2d = UpsamplingNearest2dImpl

/** See {@link UpsamplingBilinear2d}. */
class UpsamplingBilinear2dImpl extends Upsample {
  constructor(...args: UpArgs) {
    const a = parseArgs('UpsamplingBilinear2d.__init__', args, ['size', 'scale_factor'])
    super({
      size: (a.size as Sizes | undefined) ?? null,
      scale_factor: (a.scale_factor as Sizes | undefined) ?? null,
      mode: 'bilinear',
      align_corners: true,
    })
  }
}
/**
 * Bilinear 2-D upsampling with `align_corners=True`.
 * @example
 * import * as torch from 'wengert/torch'
 * const up = torch.nn.UpsamplingBilinear2d({ size: [1, 3] })
 * assert.deepStrictEqual(up.call(torch.tensor([[[[0, 2]]]])).tolist(), [[[[0, 1, 2]]]])
 * @category torch @since 0.2.0
 */
export const UpsamplingBilinear2d = pyClass(UpsamplingBilinear2dImpl, 'UpsamplingBilinear2d')
/** An `nn.UpsamplingBilinear2d` instance. @category torch @since 0.2.0 */
export type UpsamplingBilinear2d = UpsamplingBilinear2dImpl

/** Keyword arguments of `MaxUnpool1d/2d/3d`. */
export interface MaxUnpoolOptions {
  readonly kernel_size?: IntOrTuple
  readonly stride?: IntOrTuple | null
  readonly padding?: IntOrTuple
}
type UnpoolArgs = PyArgs<[kernel_size: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple], MaxUnpoolOptions>

/** A max unpooling layer over `d` spatial axes (its sizes kept as d-tuples, as PyTorch's). */
abstract class MaxUnpoolNd extends Module {
  readonly kernel_size: number[]
  readonly stride: number[]
  readonly padding: number[]
  /** @internal The `F` function this layer applies. */
  abstract readonly _unpool: typeof F.max_unpool2d
  constructor(cls: string, args: UnpoolArgs, d: number) {
    super()
    const fn = `${cls}.__init__`
    const a = parseArgs(fn, args, ['kernel_size', 'stride', 'padding'])
    required(fn, a, ['kernel_size'])
    this.kernel_size = expand(fn, 'kernel_size', a.kernel_size as IntOrTuple, d)
    const s = a.stride as IntOrTuple | null | undefined
    this.stride = s === undefined || s === null ? this.kernel_size : expand(fn, 'stride', s, d)
    this.padding = expand(fn, 'padding', (a.padding as IntOrTuple | undefined) ?? 0, d)
  }
  /** Writes `input` at `indices` into zeros (of `output_size` when given). */
  forward(input: Tensor, indices: Tensor, output_size: ReadonlyArray<number> | null = null): Tensor {
    return this._unpool(input, indices, this.kernel_size, this.stride, this.padding, output_size)
  }
  override extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`
  }
}

/** See {@link MaxUnpool1d}. */
class MaxUnpool1dImpl extends MaxUnpoolNd {
  readonly _unpool = F.max_unpool1d
  constructor(...args: UnpoolArgs) {
    super('MaxUnpool1d', args, 1)
  }
}
/**
 * Inverse of `MaxPool1d` (its `return_indices` output).
 * @example
 * import * as torch from 'wengert/torch'
 * const [y, i] = torch.nn.MaxPool1d(2, { return_indices: true }).call(torch.tensor([[[1, 3, 2, 0]]])) as [torch.Tensor, torch.Tensor]
 * assert.deepStrictEqual(torch.nn.MaxUnpool1d(2).call(y, i).tolist(), [[[0, 3, 2, 0]]])
 * assert.strictEqual(String(torch.nn.MaxUnpool1d(2)), 'MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))')
 * @category torch @since 0.2.0
 */
export const MaxUnpool1d = pyClass(MaxUnpool1dImpl, 'MaxUnpool1d')
/** An `nn.MaxUnpool1d` instance. @category torch @since 0.2.0 */
export type MaxUnpool1d = MaxUnpool1dImpl

/** See {@link MaxUnpool2d}. */
class MaxUnpool2dImpl extends MaxUnpoolNd {
  readonly _unpool = F.max_unpool2d
  constructor(...args: UnpoolArgs) {
    super('MaxUnpool2d', args, 2)
  }
}
/**
 * Inverse of `MaxPool2d` (its `return_indices` output).
 * @example
 * import * as torch from 'wengert/torch'
 * const [y, i] = torch.nn.MaxPool2d(2, { return_indices: true }).call(torch.tensor([[[[1, 2], [4, 3]]]])) as [torch.Tensor, torch.Tensor]
 * assert.deepStrictEqual(torch.nn.MaxUnpool2d(2).call(y, i).tolist(), [[[[0, 0], [4, 0]]]])
 * @category torch @since 0.2.0
 */
export const MaxUnpool2d = pyClass(MaxUnpool2dImpl, 'MaxUnpool2d')
/** An `nn.MaxUnpool2d` instance. @category torch @since 0.2.0 */
export type MaxUnpool2d = MaxUnpool2dImpl

/** See {@link MaxUnpool3d}. */
class MaxUnpool3dImpl extends MaxUnpoolNd {
  readonly _unpool = F.max_unpool3d
  constructor(...args: UnpoolArgs) {
    super('MaxUnpool3d', args, 3)
  }
}
/**
 * Inverse of `MaxPool3d` (its `return_indices` output).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.MaxUnpool3d(2)), 'MaxUnpool3d(kernel_size=(2, 2, 2), stride=(2, 2, 2), padding=(0, 0, 0))')
 * @category torch @since 0.2.0
 */
export const MaxUnpool3d = pyClass(MaxUnpool3dImpl, 'MaxUnpool3d')
/** An `nn.MaxUnpool3d` instance. @category torch @since 0.2.0 */
export type MaxUnpool3d = MaxUnpool3dImpl

/** Keyword arguments of `LPPool1d/2d`. */
export interface LPPoolOptions {
  readonly norm_type?: number
  readonly kernel_size?: IntOrTuple
  readonly stride?: IntOrTuple | null
  readonly ceil_mode?: boolean
}
type LPArgs = PyArgs<
  [norm_type: number, kernel_size: IntOrTuple, stride: IntOrTuple | null, ceil_mode: boolean],
  LPPoolOptions
>

/** A power-average pooling layer. */
abstract class LPPoolNd extends Module {
  readonly norm_type: number
  readonly kernel_size: IntOrTuple
  readonly stride: IntOrTuple | null
  readonly ceil_mode: boolean
  constructor(args: LPArgs) {
    super()
    const a = parseArgs('_LPPoolNd.__init__', args, ['norm_type', 'kernel_size', 'stride', 'ceil_mode'])
    required('_LPPoolNd.__init__', a, ['norm_type', 'kernel_size'])
    this.norm_type = a.norm_type as number
    this.kernel_size = a.kernel_size as IntOrTuple
    this.stride = (a.stride as IntOrTuple | null | undefined) ?? null
    this.ceil_mode = (a.ceil_mode as boolean | undefined) ?? false
  }
  override extra_repr(): string {
    return `norm_type=${pyRepr(this.norm_type)}, kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, ceil_mode=${pyRepr(this.ceil_mode)}`
  }
}

/** See {@link LPPool1d}. */
class LPPool1dImpl extends LPPoolNd {
  constructor(...args: LPArgs) {
    super(args)
  }
  /** `F.lp_pool1d` with this layer's settings. */
  forward(input: Tensor): Tensor {
    const k = this.kernel_size
    return F.lp_pool1d(input, this.norm_type, typeof k === 'number' ? k : (k[0] as number), this.stride, this.ceil_mode)
  }
}
/**
 * 1-D power-average pooling layer.
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.LPPool1d(1, 2)
 * assert.deepStrictEqual(pool.call(torch.tensor([[3, 4, 1, 1]])).tolist(), [[7, 2]])
 * assert.strictEqual(String(pool), 'LPPool1d(norm_type=1, kernel_size=2, stride=None, ceil_mode=False)')
 * @category torch @since 0.2.0
 */
export const LPPool1d = pyClass(LPPool1dImpl, 'LPPool1d')
/** An `nn.LPPool1d` instance. @category torch @since 0.2.0 */
export type LPPool1d = LPPool1dImpl

/** See {@link LPPool2d}. */
class LPPool2dImpl extends LPPoolNd {
  constructor(...args: LPArgs) {
    super(args)
  }
  /** `F.lp_pool2d` with this layer's settings. */
  forward(input: Tensor): Tensor {
    return F.lp_pool2d(input, this.norm_type, this.kernel_size, this.stride, this.ceil_mode)
  }
}
/**
 * 2-D power-average pooling layer.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.LPPool2d(2, 2).call(torch.tensor([[[[3, 4], [0, 0]]]])).tolist(), [[[[5]]]])
 * @category torch @since 0.2.0
 */
export const LPPool2d = pyClass(LPPool2dImpl, 'LPPool2d')
/** An `nn.LPPool2d` instance. @category torch @since 0.2.0 */
export type LPPool2d = LPPool2dImpl
