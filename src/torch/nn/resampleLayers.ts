/**
 * Resampling and rearranging layers: `Upsample` (with `UpsamplingNearest2d` and
 * `UpsamplingBilinear2d`), `PixelShuffle`/`PixelUnshuffle`, `Unfold`/`Fold`, and the
 * channel-wise dropouts `Dropout1d/2d/3d` and `AlphaDropout`; each forward is the `F.*` function.
 *
 * @category torch
 * @since 0.2.0
 */
import { leadingKeywords, parseArgs, pyParams, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { pyRepr, type IntOrTuple } from './convUtils'
import * as F from './functional'
import type { InterpolateMode } from './interpolate'
import { Dropout, pyFloat, required } from './layers'
import { Module } from './module'
import { pyClass } from './pyclass'

type Sizes = number | ReadonlyArray<number>

/** Keyword arguments of `Upsample`. */
export interface UpsampleOptions {
  readonly size?: Sizes | null
  readonly scale_factor?: Sizes | null
  readonly mode?: InterpolateMode
  readonly align_corners?: boolean | null
  readonly recompute_scale_factor?: boolean | null
}

/** See {@link Upsample}. */
class UpsampleImpl extends Module {
  readonly size: Sizes | null
  readonly scale_factor: Sizes | null
  readonly mode: InterpolateMode
  readonly align_corners: boolean | null
  readonly recompute_scale_factor: boolean | null
  constructor(
    ...args: PyArgs<
      [
        size: Sizes | null,
        scale_factor: Sizes | null,
        mode: InterpolateMode,
        align_corners: boolean | null,
        recompute_scale_factor: boolean | null,
      ],
      UpsampleOptions
    >
  ) {
    super()
    const a = parseArgs('Upsample.__init__', args, [
      'size',
      'scale_factor',
      'mode',
      'align_corners',
      'recompute_scale_factor',
    ])
    this.size = (a.size as Sizes | null | undefined) ?? null
    this.scale_factor = (a.scale_factor as Sizes | null | undefined) ?? null
    this.mode = (a.mode as InterpolateMode | undefined) ?? 'nearest'
    this.align_corners = (a.align_corners as boolean | null | undefined) ?? null
    this.recompute_scale_factor = (a.recompute_scale_factor as boolean | null | undefined) ?? null
  }
  /** `F.interpolate` with this layer's settings. */
  forward(input: Tensor): Tensor {
    return F.interpolate(input, {
      size: this.size,
      scale_factor: this.scale_factor,
      mode: this.mode,
      align_corners: this.align_corners,
      recompute_scale_factor: this.recompute_scale_factor,
    })
  }
  override extra_repr(): string {
    const floats = (v: Sizes): string => (typeof v === 'number' ? pyFloat(v) : `(${v.map(pyFloat).join(', ')})`)
    const info = this.scale_factor !== null ? `scale_factor=${floats(this.scale_factor)}` : `size=${pyRepr(this.size)}`
    return `${info}, mode=${this.mode}`
  }
}
/**
 * Upsampling layer: `F.interpolate(input, size | scale_factor, mode, align_corners)`.
 * @example
 * import * as torch from 'wengert/torch'
 * const up = torch.nn.Upsample({ scale_factor: 2, mode: 'bilinear' })
 * assert.strictEqual(String(up.call(torch.ones(1, 1, 2, 3)).shape), 'torch.Size([1, 1, 4, 6])')
 * assert.strictEqual(String(up), 'Upsample(scale_factor=2.0, mode=bilinear)')
 * @category torch @since 0.2.0
 */
export const Upsample = pyClass(UpsampleImpl, 'Upsample')
/** An `nn.Upsample` instance. @category torch @since 0.2.0 */
export type Upsample = UpsampleImpl

/** See {@link PixelShuffle}. */
class PixelShuffleImpl extends Module {
  readonly upscale_factor: number
  constructor(upscale_factor: number) {
    super()
    this.upscale_factor = upscale_factor
  }
  /** `F.pixel_shuffle(input, upscale_factor)`. */
  forward(input: Tensor): Tensor {
    return F.pixel_shuffle(input, this.upscale_factor)
  }
  override extra_repr(): string {
    return `upscale_factor=${this.upscale_factor}`
  }
}
/**
 * [*, C·r², H, W] → [*, C, H·r, W·r] as a layer.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.PixelShuffle(3).call(torch.ones(1, 9, 4, 4)).shape), 'torch.Size([1, 1, 12, 12])')
 * @category torch @since 0.2.0
 */
export const PixelShuffle = pyClass(
  PixelShuffleImpl,
  'PixelShuffle',
  pyParams('PixelShuffle.__init__', ['upscale_factor'], 1, 1),
)
/** An `nn.PixelShuffle` instance. @category torch @since 0.2.0 */
export type PixelShuffle = PixelShuffleImpl

/** See {@link PixelUnshuffle}. */
class PixelUnshuffleImpl extends Module {
  readonly downscale_factor: number
  constructor(downscale_factor: number) {
    super()
    this.downscale_factor = downscale_factor
  }
  /** `F.pixel_unshuffle(input, downscale_factor)`. */
  forward(input: Tensor): Tensor {
    return F.pixel_unshuffle(input, this.downscale_factor)
  }
  override extra_repr(): string {
    return `downscale_factor=${this.downscale_factor}`
  }
}
/**
 * [*, C, H·r, W·r] → [*, C·r², H, W] as a layer.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.PixelUnshuffle(2).call(torch.ones(1, 1, 4, 4)).shape), 'torch.Size([1, 4, 2, 2])')
 * @category torch @since 0.2.0
 */
export const PixelUnshuffle = pyClass(
  PixelUnshuffleImpl,
  'PixelUnshuffle',
  pyParams('PixelUnshuffle.__init__', ['downscale_factor'], 1, 1),
)
/** An `nn.PixelUnshuffle` instance. @category torch @since 0.2.0 */
export type PixelUnshuffle = PixelUnshuffleImpl

type BlockKw = {
  readonly kernel_size?: IntOrTuple
  readonly dilation?: IntOrTuple
  readonly padding?: IntOrTuple
  readonly stride?: IntOrTuple
}
type BlockArgs = PyArgs<
  [kernel_size: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple],
  BlockKw
>

/** The sliding-block settings shared by `Unfold` and `Fold`. */
abstract class Blocks extends Module {
  readonly kernel_size: IntOrTuple
  readonly dilation: IntOrTuple
  readonly padding: IntOrTuple
  readonly stride: IntOrTuple
  /** `bound`: the positional arguments taken before these (Fold's output_size), for arity messages. */
  constructor(cls: string, args: BlockArgs, bound = 0) {
    super()
    const a = parseArgs(`${cls}.__init__`, args, ['kernel_size', 'dilation', 'padding', 'stride'], 4, bound)
    required(`${cls}.__init__`, a, ['kernel_size'])
    this.kernel_size = a.kernel_size as IntOrTuple
    this.dilation = (a.dilation as IntOrTuple | undefined) ?? 1
    this.padding = (a.padding as IntOrTuple | undefined) ?? 0
    this.stride = (a.stride as IntOrTuple | undefined) ?? 1
  }
  protected get kw(): Required<BlockKw> {
    return { kernel_size: this.kernel_size, dilation: this.dilation, padding: this.padding, stride: this.stride }
  }
  override extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, dilation=${pyRepr(this.dilation)}, padding=${pyRepr(this.padding)}, stride=${pyRepr(this.stride)}`
  }
}

/** See {@link Unfold}. */
class UnfoldImpl extends Blocks {
  constructor(...args: BlockArgs) {
    super('Unfold', args)
  }
  /** `F.unfold(input, …)`. */
  forward(input: Tensor): Tensor {
    return F.unfold(input, this.kw)
  }
}
/**
 * Sliding-block extraction (im2col) as a layer.
 * @example
 * import * as torch from 'wengert/torch'
 * const unfold = torch.nn.Unfold([2, 3])
 * assert.strictEqual(String(unfold.call(torch.ones(2, 5, 3, 4)).shape), 'torch.Size([2, 30, 4])')
 * assert.strictEqual(String(unfold), 'Unfold(kernel_size=(2, 3), dilation=1, padding=0, stride=1)')
 * @category torch @since 0.2.0
 */
export const Unfold = pyClass(UnfoldImpl, 'Unfold')
/** An `nn.Unfold` instance. @category torch @since 0.2.0 */
export type Unfold = UnfoldImpl

/** See {@link Fold}. */
class FoldImpl extends Blocks {
  readonly output_size: IntOrTuple
  constructor(output_size: IntOrTuple, ...args: BlockArgs) {
    super('Fold', args, 1)
    this.output_size = output_size
  }
  /** `F.fold(input, output_size, …)`. */
  forward(input: Tensor): Tensor {
    return F.fold(input, this.output_size, this.kw)
  }
  override extra_repr(): string {
    return `output_size=${pyRepr(this.output_size)}, ${super.extra_repr()}`
  }
}
/**
 * Sums sliding blocks into an image (col2im) as a layer.
 * @example
 * import * as torch from 'wengert/torch'
 * const fold = torch.nn.Fold([4, 5], 2)
 * assert.strictEqual(String(fold.call(torch.ones(1, 12, 12)).shape), 'torch.Size([1, 3, 4, 5])')
 * @category torch @since 0.2.0
 */
export const Fold = pyClass(FoldImpl, 'Fold', leadingKeywords('Fold.__init__', ['output_size']))
/** An `nn.Fold` instance. @category torch @since 0.2.0 */
export type Fold = FoldImpl

/** Builds a channel dropout layer class (Dropout's arguments and repr, another forward). */
const dropoutClass = (fn: (x: Tensor, p: number, training: boolean, inplace: boolean) => Tensor) =>
  class ChannelDropoutLayer extends Dropout {
    override forward(input: Tensor): Tensor {
      return fn(input, this.p, this.training, this.inplace)
    }
  }

/**
 * Zeroes whole channels of [N, C, L] with probability `p` in training mode.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.Dropout1d(0.3)), 'Dropout1d(p=0.3, inplace=False)')
 * @category torch @since 0.2.0
 */
export const Dropout1d = pyClass(dropoutClass(F.dropout1d), 'Dropout1d')
/**
 * Zeroes whole channels of [N, C, H, W] with probability `p` in training mode.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = torch.nn.Dropout2d()
 * d.eval()
 * assert.strictEqual(d.call(torch.ones(1, 2, 2, 2)).sum().item(), 8)
 * @category torch @since 0.2.0
 */
export const Dropout2d = pyClass(dropoutClass(F.dropout2d), 'Dropout2d')
/** Zeroes whole channels of [N, C, D, H, W] with probability `p` in training mode. @category torch @since 0.2.0 */
export const Dropout3d = pyClass(dropoutClass(F.dropout3d), 'Dropout3d')
/** Alpha dropout (keeps SELU's mean and variance) in training mode. @category torch @since 0.2.0 */
export const AlphaDropout = pyClass(dropoutClass(F.alpha_dropout), 'AlphaDropout')
