/**
 * Convolution layers: `Conv1d/2d/3d` (`stride`, `padding` incl. `'same'`/`'valid'`, `dilation`,
 * `groups`, `bias`, `padding_mode` `'zeros'|'reflect'|'replicate'|'circular'`) and
 * `ConvTranspose1d/2d/3d` (`output_padding`, `groups`, `dilation`, `output_size` in forward),
 * with PyTorch's weight shapes and names, initialisation (`reset_parameters`: kaiming-uniform
 * with a = √5, bias U(−1/√fan_in, 1/√fan_in)) and printed form.
 *
 * @category torch
 * @since 0.2.0
 */
import { empty } from '../creation'
import { get_default_dtype, type TorchDType } from '../dtype'
import { TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { expand, pyRepr, type IntOrTuple } from './convUtils'
import * as F from './functional'
import * as init from './init'
import { required } from './layers'
import { Module } from './module'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'

/** `padding_mode` of a convolution layer. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular'

/** Keyword arguments of `Conv1d/2d/3d`. */
export interface ConvOptions {
  readonly in_channels?: number
  readonly out_channels?: number
  readonly kernel_size?: IntOrTuple
  readonly stride?: IntOrTuple
  readonly padding?: IntOrTuple | 'same' | 'valid'
  readonly dilation?: IntOrTuple
  readonly groups?: number
  readonly bias?: boolean
  readonly padding_mode?: PaddingMode
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}

/** Positional and keyword arguments of `Conv1d/2d/3d`. */
export type ConvArgs = PyArgs<
  [
    in_channels: number,
    out_channels: number,
    kernel_size: IntOrTuple,
    stride: IntOrTuple,
    padding: IntOrTuple | 'same' | 'valid',
    dilation: IntOrTuple,
    groups: number,
    bias: boolean,
    padding_mode: PaddingMode,
    device: string | null,
    dtype: TorchDType | null,
  ],
  ConvOptions
>

export const CONV_NAMES = [
  'in_channels',
  'out_channels',
  'kernel_size',
  'stride',
  'padding',
  'dilation',
  'groups',
  'bias',
  'padding_mode',
  'device',
  'dtype',
] as const

const MODES: ReadonlyArray<string> = ['zeros', 'reflect', 'replicate', 'circular']

/** What `_ConvNd.__init__` checks and stores, shared by plain and transposed layers. */
export abstract class ConvBase extends Module {
  readonly in_channels: number
  readonly out_channels: number
  readonly kernel_size: number[]
  readonly stride: number[]
  readonly padding: number[] | 'same' | 'valid'
  readonly dilation: number[]
  readonly transposed: boolean
  readonly output_padding: number[]
  readonly groups: number
  readonly padding_mode: PaddingMode
  /** The weight: [out, in/groups, k…] (transposed: [in, out/groups, k…]). */
  weight: Parameter
  /** [out_channels], or null with `bias: false`. */
  bias: Parameter | null

  constructor(nsp: number, cls: string, a: Record<string, unknown>, transposed: boolean) {
    super()
    required(`${cls}.__init__`, a, ['in_channels', 'out_channels', 'kernel_size'])
    const fn = cls
    this.in_channels = a.in_channels as number
    this.out_channels = a.out_channels as number
    this.groups = (a.groups as number | undefined) ?? 1
    if (!Number.isInteger(this.groups) || this.groups <= 0)
      throw new TorchValueError('groups must be a positive integer')
    if (this.in_channels % this.groups !== 0) throw new TorchValueError('in_channels must be divisible by groups')
    if (this.out_channels % this.groups !== 0) throw new TorchValueError('out_channels must be divisible by groups')
    this.kernel_size = expand(fn, 'kernel_size', a.kernel_size as IntOrTuple, nsp)
    this.stride = expand(fn, 'stride', (a.stride as IntOrTuple | undefined) ?? 1, nsp)
    this.dilation = expand(fn, 'dilation', (a.dilation as IntOrTuple | undefined) ?? 1, nsp)
    this.output_padding = expand(fn, 'output_padding', (a.output_padding as IntOrTuple | undefined) ?? 0, nsp)
    const p = (a.padding as IntOrTuple | string | undefined) ?? 0
    if (typeof p === 'string') {
      if (p !== 'same' && p !== 'valid') {
        throw new TorchValueError(`Invalid padding string '${p}', should be one of {'valid', 'same'}`)
      }
      if (p === 'same' && this.stride.some((s) => s !== 1)) {
        throw new TorchValueError("padding='same' is not supported for strided convolutions")
      }
      this.padding = p
    } else {
      this.padding = expand(fn, 'padding', p, nsp)
    }
    const mode = (a.padding_mode as string | undefined) ?? 'zeros'
    if (!MODES.includes(mode)) {
      throw new TorchValueError(
        `padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${mode}'`,
      )
    }
    this.padding_mode = mode as PaddingMode
    this.transposed = transposed
    const dtype = (a.dtype as TorchDType | null | undefined) ?? get_default_dtype()
    const [o, i] = transposed ? [this.in_channels, this.out_channels] : [this.out_channels, this.in_channels]
    this.weight = new Parameter(empty([o, i / this.groups, ...this.kernel_size], { dtype }))
    this.bias = (a.bias ?? true) ? new Parameter(empty([this.out_channels], { dtype })) : null
    this.reset_parameters()
  }

  /** PyTorch's initialisation: kaiming_uniform_(a = √5) for the weight, U(−1/√fan_in, 1/√fan_in) for the bias. */
  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) })
    if (this.bias !== null) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight)
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0
      init.uniform_(this.bias, -bound, bound)
    }
  }

  /** The padding in F.pad's order (last axis first, each twice; 'same' puts the odd element last). */
  get _reversed_padding_repeated_twice(): number[] {
    const out: number[] = []
    for (let i = this.kernel_size.length - 1; i >= 0; i--) {
      if (this.padding === 'valid') out.push(0, 0)
      else if (this.padding === 'same') {
        const total = (this.dilation[i] as number) * ((this.kernel_size[i] as number) - 1)
        out.push(Math.floor(total / 2), total - Math.floor(total / 2))
      } else out.push(this.padding[i] as number, this.padding[i] as number)
    }
    return out
  }

  override extra_repr(): string {
    const all = (xs: ReadonlyArray<number>, v: number): boolean => xs.every((x) => x === v)
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}`
    if (typeof this.padding === 'string' || !all(this.padding, 0)) s += `, padding=${pyRepr(this.padding)}`
    if (!all(this.dilation, 1)) s += `, dilation=${pyRepr(this.dilation)}`
    if (!all(this.output_padding, 0)) s += `, output_padding=${pyRepr(this.output_padding)}`
    if (this.groups !== 1) s += `, groups=${this.groups}`
    if (this.bias === null) s += ', bias=False'
    if (this.padding_mode !== 'zeros') s += `, padding_mode=${this.padding_mode}`
    return s
  }
}

type ConvFn = typeof F.conv1d

/** A convolution layer of `nsp` spatial axes. */
abstract class ConvNd extends ConvBase {
  /** @internal The `F` function this layer applies. */
  abstract readonly _conv: ConvFn
  constructor(nsp: number, cls: string, args: ConvArgs) {
    super(nsp, cls, parseArgs(`${cls}.__init__`, args, CONV_NAMES), false)
  }
  /** The convolution of `input` (after `padding_mode` padding when that is not `'zeros'`). */
  forward(input: Tensor): Tensor {
    const kw = { bias: this.bias, stride: this.stride, dilation: this.dilation, groups: this.groups }
    if (this.padding_mode === 'zeros') return this._conv(input, this.weight, { ...kw, padding: this.padding })
    const padded = F.pad(input, this._reversed_padding_repeated_twice, this.padding_mode)
    return this._conv(padded, this.weight, { ...kw, padding: 0 })
  }
}

/** See {@link Conv1d}. */
class Conv1dImpl extends ConvNd {
  readonly _conv: ConvFn = F.conv1d
  constructor(...args: ConvArgs) {
    super(1, 'Conv1d', args)
  }
}
/**
 * 1-D convolution layer over [N, C, L] (or [C, L]); weight [out, in/groups, k].
 * @example
 * import * as torch from 'wengert/torch'
 * const conv = torch.nn.Conv1d(2, 4, 3, { padding: 'same', padding_mode: 'reflect' })
 * assert.strictEqual(String(conv.call(torch.ones(1, 2, 5)).shape), 'torch.Size([1, 4, 5])')
 * assert.strictEqual(String(conv), 'Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=same, padding_mode=reflect)')
 * @category torch @since 0.2.0
 */
export const Conv1d = pyClass(Conv1dImpl, 'Conv1d')
/** An `nn.Conv1d` instance. @category torch @since 0.2.0 */
export type Conv1d = Conv1dImpl

/** See {@link Conv2d}. */
class Conv2dImpl extends ConvNd {
  readonly _conv: ConvFn = F.conv2d
  constructor(...args: ConvArgs) {
    super(2, 'Conv2d', args)
  }
}
/**
 * 2-D convolution layer over [N, C, H, W] (or [C, H, W]); weight [out, in/groups, kH, kW].
 * @example
 * import * as torch from 'wengert/torch'
 * const conv = torch.nn.Conv2d(1, 32, 3, 1)
 * assert.strictEqual(String(conv.weight.shape), 'torch.Size([32, 1, 3, 3])')
 * assert.strictEqual(String(conv.call(torch.ones(2, 1, 28, 28)).shape), 'torch.Size([2, 32, 26, 26])')
 * assert.strictEqual(String(conv), 'Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))')
 * @category torch @since 0.2.0
 */
export const Conv2d = pyClass(Conv2dImpl, 'Conv2d')
/** An `nn.Conv2d` instance. @category torch @since 0.2.0 */
export type Conv2d = Conv2dImpl

/** See {@link Conv3d}. */
class Conv3dImpl extends ConvNd {
  readonly _conv: ConvFn = F.conv3d
  constructor(...args: ConvArgs) {
    super(3, 'Conv3d', args)
  }
}
/**
 * 3-D convolution layer over [N, C, D, H, W] (or [C, D, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const conv = torch.nn.Conv3d(2, 3, [1, 2, 2], { bias: false })
 * assert.strictEqual(String(conv.call(torch.ones(2, 3, 4, 4)).shape), 'torch.Size([3, 3, 3, 3])')
 * assert.strictEqual(conv.bias, null)
 * @category torch @since 0.2.0
 */
export const Conv3d = pyClass(Conv3dImpl, 'Conv3d')
/** An `nn.Conv3d` instance. @category torch @since 0.2.0 */
export type Conv3d = Conv3dImpl
