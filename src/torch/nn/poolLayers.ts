/**
 * Pooling layers: `MaxPool1d/2d/3d`, `AvgPool1d/2d/3d`, `AdaptiveAvgPool1d/2d/3d` and
 * `AdaptiveMaxPool1d/2d`, with PyTorch's arguments, defaults (`stride` = `kernel_size`) and
 * printed form; each forward calls the matching `F.*` function.
 *
 * @category torch
 * @since 0.2.0
 */
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { pyRepr, type IntOrTuple } from './convUtils'
import * as F from './functional'
import { required } from './layers'
import { Module } from './module'
import { pyClass } from './pyclass'

/** Keyword arguments of `MaxPool1d/2d/3d`. */
export interface MaxPoolOptions {
  readonly kernel_size?: IntOrTuple
  readonly stride?: IntOrTuple | null
  readonly padding?: IntOrTuple
  readonly dilation?: IntOrTuple
  readonly return_indices?: boolean
  readonly ceil_mode?: boolean
}

/** Arguments of `MaxPool1d/2d/3d` (PyTorch's order). */
export type MaxPoolArgs = PyArgs<
  [
    kernel_size: IntOrTuple,
    stride: IntOrTuple | null,
    padding: IntOrTuple,
    dilation: IntOrTuple,
    return_indices: boolean,
    ceil_mode: boolean,
  ],
  MaxPoolOptions
>

/** A max pooling layer; `forward` returns `[output, indices]` when `return_indices` is set. */
abstract class MaxPoolNd extends Module {
  readonly kernel_size: IntOrTuple
  readonly stride: IntOrTuple
  readonly padding: IntOrTuple
  readonly dilation: IntOrTuple
  readonly return_indices: boolean
  readonly ceil_mode: boolean
  /** @internal The `F` function this layer applies. */
  abstract readonly _pool: typeof F.max_pool2d
  constructor(args: MaxPoolArgs) {
    super()
    const a = parseArgs('_MaxPoolNd.__init__', args, [
      'kernel_size',
      'stride',
      'padding',
      'dilation',
      'return_indices',
      'ceil_mode',
    ])
    required('_MaxPoolNd.__init__', a, ['kernel_size'])
    this.kernel_size = a.kernel_size as IntOrTuple
    this.stride = (a.stride as IntOrTuple | null | undefined) ?? this.kernel_size
    this.padding = (a.padding as IntOrTuple | undefined) ?? 0
    this.dilation = (a.dilation as IntOrTuple | undefined) ?? 1
    this.return_indices = (a.return_indices as boolean | undefined) ?? false
    this.ceil_mode = (a.ceil_mode as boolean | undefined) ?? false
  }
  /** Max pooling of `input` (and the indices of the maxima with `return_indices`). */
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return this._pool(input, this.kernel_size, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceil_mode: this.ceil_mode,
      return_indices: this.return_indices,
    })
  }
  override extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}, dilation=${pyRepr(this.dilation)}, ceil_mode=${pyRepr(this.ceil_mode)}`
  }
}

/** See {@link MaxPool1d}. */
class MaxPool1dImpl extends MaxPoolNd {
  readonly _pool = F.max_pool1d
  constructor(...args: MaxPoolArgs) {
    super(args)
  }
}
/**
 * 1-D max pooling layer over [N, C, L] (or [C, L]).
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.MaxPool1d(2)
 * assert.deepStrictEqual((pool.call(torch.tensor([[1, 3, 2, 0]])) as torch.Tensor).tolist(), [[3, 2]])
 * assert.strictEqual(String(pool), 'MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)')
 * @category torch @since 0.2.0
 */
export const MaxPool1d = pyClass(MaxPool1dImpl, 'MaxPool1d')
/** An `nn.MaxPool1d` instance. @category torch @since 0.2.0 */
export type MaxPool1d = MaxPool1dImpl

/** See {@link MaxPool2d}. */
class MaxPool2dImpl extends MaxPoolNd {
  readonly _pool = F.max_pool2d
  constructor(...args: MaxPoolArgs) {
    super(args)
  }
}
/**
 * 2-D max pooling layer over [N, C, H, W] (or [C, H, W]); `stride` defaults to `kernel_size`.
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.MaxPool2d(2, { return_indices: true })
 * const [y, idx] = pool.call(torch.arange(16, { dtype: torch.float32 }).reshape(1, 4, 4)) as [torch.Tensor, torch.Tensor]
 * assert.deepStrictEqual(y.tolist(), [[[5, 7], [13, 15]]])
 * assert.deepStrictEqual(idx.tolist(), [[[5, 7], [13, 15]]])
 * @category torch @since 0.2.0
 */
export const MaxPool2d = pyClass(MaxPool2dImpl, 'MaxPool2d')
/** An `nn.MaxPool2d` instance. @category torch @since 0.2.0 */
export type MaxPool2d = MaxPool2dImpl

/** See {@link MaxPool3d}. */
class MaxPool3dImpl extends MaxPoolNd {
  readonly _pool = F.max_pool3d
  constructor(...args: MaxPoolArgs) {
    super(args)
  }
}
/**
 * 3-D max pooling layer over [N, C, D, H, W] (or [C, D, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.MaxPool3d(2).call(torch.ones(1, 1, 4, 4, 4)) as torch.Tensor
 * assert.strictEqual(String(y.shape), 'torch.Size([1, 1, 2, 2, 2])')
 * @category torch @since 0.2.0
 */
export const MaxPool3d = pyClass(MaxPool3dImpl, 'MaxPool3d')
/** An `nn.MaxPool3d` instance. @category torch @since 0.2.0 */
export type MaxPool3d = MaxPool3dImpl

/** Keyword arguments of `AvgPool1d/2d/3d`. */
export interface AvgPoolOptions {
  readonly kernel_size?: IntOrTuple
  readonly stride?: IntOrTuple | null
  readonly padding?: IntOrTuple
  readonly ceil_mode?: boolean
  readonly count_include_pad?: boolean
  readonly divisor_override?: number | null
}

/** Arguments of `AvgPool2d/3d` (`AvgPool1d` has no `divisor_override`, as in PyTorch). */
export type AvgPoolArgs = PyArgs<
  [
    kernel_size: IntOrTuple,
    stride: IntOrTuple | null,
    padding: IntOrTuple,
    ceil_mode: boolean,
    count_include_pad: boolean,
    divisor_override: number | null,
  ],
  AvgPoolOptions
>

/** An average pooling layer. */
abstract class AvgPoolNd extends Module {
  readonly kernel_size: IntOrTuple
  readonly stride: IntOrTuple
  readonly padding: IntOrTuple
  readonly ceil_mode: boolean
  readonly count_include_pad: boolean
  readonly divisor_override: number | null
  /** @internal The `F` function this layer applies. */
  abstract readonly _pool: typeof F.avg_pool2d
  constructor(cls: string, args: ReadonlyArray<unknown>, single: boolean) {
    super()
    const names = ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad']
    const a = parseArgs(`${cls}.__init__`, args, single ? names : [...names, 'divisor_override'])
    required(`${cls}.__init__`, a, ['kernel_size'])
    // AvgPool1d keeps 1-tuples, as PyTorch's _single does
    const one = (v: IntOrTuple): IntOrTuple => (single && typeof v === 'number' ? [v] : v)
    this.kernel_size = one(a.kernel_size as IntOrTuple)
    this.stride = one((a.stride as IntOrTuple | null | undefined) ?? (a.kernel_size as IntOrTuple))
    this.padding = one((a.padding as IntOrTuple | undefined) ?? 0)
    this.ceil_mode = (a.ceil_mode as boolean | undefined) ?? false
    this.count_include_pad = (a.count_include_pad as boolean | undefined) ?? true
    this.divisor_override = (a.divisor_override as number | null | undefined) ?? null
  }
  /** Average pooling of `input`. */
  forward(input: Tensor): Tensor {
    const kw = { stride: this.stride, padding: this.padding, ceil_mode: this.ceil_mode }
    return this._pool(input, this.kernel_size, {
      ...kw,
      count_include_pad: this.count_include_pad,
      ...(this.divisor_override === null ? {} : { divisor_override: this.divisor_override }),
    })
  }
  override extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`
  }
}

/** See {@link AvgPool1d}. */
class AvgPool1dImpl extends AvgPoolNd {
  readonly _pool = F.avg_pool1d
  constructor(
    ...args: PyArgs<
      [
        kernel_size: IntOrTuple,
        stride: IntOrTuple | null,
        padding: IntOrTuple,
        ceil_mode: boolean,
        count_include_pad: boolean,
      ],
      Omit<AvgPoolOptions, 'divisor_override'>
    >
  ) {
    super('AvgPool1d', args, true)
  }
}
/**
 * 1-D average pooling layer over [N, C, L] (or [C, L]).
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.AvgPool1d(2)
 * assert.deepStrictEqual(pool.call(torch.tensor([[1, 3, 2, 0]])).tolist(), [[2, 1]])
 * assert.strictEqual(String(pool), 'AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))')
 * @category torch @since 0.2.0
 */
export const AvgPool1d = pyClass(AvgPool1dImpl, 'AvgPool1d')
/** An `nn.AvgPool1d` instance. @category torch @since 0.2.0 */
export type AvgPool1d = AvgPool1dImpl

/** See {@link AvgPool2d}. */
class AvgPool2dImpl extends AvgPoolNd {
  readonly _pool = F.avg_pool2d
  constructor(...args: AvgPoolArgs) {
    super('AvgPool2d', args, false)
  }
}
/**
 * 2-D average pooling layer over [N, C, H, W] (or [C, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.AvgPool2d(2)
 * assert.deepStrictEqual(pool.call(torch.ones(1, 1, 4, 4)).tolist(), [[[[1, 1], [1, 1]]]])
 * assert.strictEqual(String(pool), 'AvgPool2d(kernel_size=2, stride=2, padding=0)')
 * @category torch @since 0.2.0
 */
export const AvgPool2d = pyClass(AvgPool2dImpl, 'AvgPool2d')
/** An `nn.AvgPool2d` instance. @category torch @since 0.2.0 */
export type AvgPool2d = AvgPool2dImpl

/** See {@link AvgPool3d}. */
class AvgPool3dImpl extends AvgPoolNd {
  readonly _pool = F.avg_pool3d
  constructor(...args: AvgPoolArgs) {
    super('AvgPool3d', args, false)
  }
}
/**
 * 3-D average pooling layer over [N, C, D, H, W] (or [C, D, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.AvgPool3d(2).call(torch.ones(1, 2, 2, 2)).tolist(), [[[[1]]]])
 * @category torch @since 0.2.0
 */
export const AvgPool3d = pyClass(AvgPool3dImpl, 'AvgPool3d')
/** An `nn.AvgPool3d` instance. @category torch @since 0.2.0 */
export type AvgPool3d = AvgPool3dImpl

export * from './adaptiveLayers'
