/**
 * Transposed convolution layers `ConvTranspose1d/2d/3d` (`output_padding`, `groups`,
 * `dilation`; `forward(input, output_size)` picks the output padding that yields a requested
 * size), with PyTorch's weight shape [in, out/groups, k…], initialisation and printed form.
 *
 * @category torch
 * @since 0.2.0
 */
import type { TorchDType } from '../dtype'
import { TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { ConvBase, type PaddingMode } from './convLayers'
import { pyRepr, type IntOrTuple } from './convUtils'
import * as F from './functional'
import { pyClass } from './pyclass'

/** Keyword arguments of `ConvTranspose1d/2d/3d`. */
export interface ConvTransposeOptions {
  readonly in_channels?: number
  readonly out_channels?: number
  readonly kernel_size?: IntOrTuple
  readonly stride?: IntOrTuple
  readonly padding?: IntOrTuple
  readonly output_padding?: IntOrTuple
  readonly groups?: number
  readonly bias?: boolean
  readonly dilation?: IntOrTuple
  readonly padding_mode?: PaddingMode
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}

/** Positional and keyword arguments of `ConvTranspose1d/2d/3d` (PyTorch's order: groups, bias, dilation). */
export type ConvTransposeArgs = PyArgs<
  [
    in_channels: number,
    out_channels: number,
    kernel_size: IntOrTuple,
    stride: IntOrTuple,
    padding: IntOrTuple,
    output_padding: IntOrTuple,
    groups: number,
    bias: boolean,
    dilation: IntOrTuple,
    padding_mode: PaddingMode,
    device: string | null,
    dtype: TorchDType | null,
  ],
  ConvTransposeOptions
>

const NAMES = [
  'in_channels',
  'out_channels',
  'kernel_size',
  'stride',
  'padding',
  'output_padding',
  'groups',
  'bias',
  'dilation',
  'padding_mode',
  'device',
  'dtype',
] as const

type ConvTFn = typeof F.conv_transpose1d

/** A transposed convolution layer of `nsp` spatial axes. */
abstract class ConvTransposeNd extends ConvBase {
  /** @internal The `F` function this layer applies. */
  abstract readonly _conv: ConvTFn
  constructor(nsp: number, cls: string, args: ConvTransposeArgs) {
    const a = parseArgs(`${cls}.__init__`, args, NAMES)
    if (a.padding_mode !== undefined && a.padding_mode !== 'zeros') {
      throw new TorchValueError(`Only "zeros" padding mode is supported for ${cls}`)
    }
    super(nsp, cls, a, true)
  }

  /** The output padding that makes the output `output_size` (spatial sizes, or with the leading N, C). */
  _output_padding(input: Tensor, output_size: ReadonlyArray<number> | null): number[] {
    if (output_size === null) return this.output_padding
    const nsp = this.kernel_size.length
    const shape = input._value().shape
    const nonSpatial = shape.length === nsp + 2 ? 2 : 1
    const size = output_size.length === nonSpatial + nsp ? output_size.slice(nonSpatial) : output_size
    if (size.length !== nsp) {
      throw new TorchValueError(
        `ConvTranspose${nsp}D: for ${shape.length}D input, output_size must have ${nsp} or ${nonSpatial + nsp} elements (got ${output_size.length})`,
      )
    }
    const pad = this.padding as number[]
    const mins = size.map(
      (_, d) =>
        ((shape[d + nonSpatial] as number) - 1) * (this.stride[d] as number) -
        2 * (pad[d] as number) +
        (this.dilation[d] as number) * ((this.kernel_size[d] as number) - 1) +
        1,
    )
    const maxs = mins.map((m, d) => m + (this.stride[d] as number) - 1)
    size.forEach((s, d) => {
      if (s < (mins[d] as number) || s > (maxs[d] as number)) {
        throw new TorchValueError(
          `requested an output size of ${pyRepr(size)}, but valid sizes range from ${pyRepr(mins)} to ${pyRepr(maxs)} (for an input of ${pyRepr(shape.slice(nonSpatial))})`,
        )
      }
    })
    return size.map((s, d) => s - (mins[d] as number))
  }

  /** The transposed convolution of `input`, optionally to a given `output_size`. */
  forward(input: Tensor, output_size: ReadonlyArray<number> | null = null): Tensor {
    return this._conv(input, this.weight, {
      bias: this.bias,
      stride: this.stride,
      padding: this.padding as number[],
      output_padding: this._output_padding(input, output_size),
      groups: this.groups,
      dilation: this.dilation,
    })
  }
}

/** See {@link ConvTranspose1d}. */
class ConvTranspose1dImpl extends ConvTransposeNd {
  readonly _conv: ConvTFn = F.conv_transpose1d
  constructor(...args: ConvTransposeArgs) {
    super(1, 'ConvTranspose1d', args)
  }
}
/**
 * 1-D transposed convolution layer; weight [in, out/groups, k].
 * @example
 * import * as torch from 'wengert/torch'
 * const up = torch.nn.ConvTranspose1d(2, 3, 3, { stride: 2 })
 * assert.strictEqual(String(up.weight.shape), 'torch.Size([2, 3, 3])')
 * assert.strictEqual(String(up.call(torch.ones(1, 2, 4)).shape), 'torch.Size([1, 3, 9])')
 * assert.strictEqual(String(up.call(torch.ones(1, 2, 4), [10]).shape), 'torch.Size([1, 3, 10])')
 * @category torch @since 0.2.0
 */
export const ConvTranspose1d = pyClass(ConvTranspose1dImpl, 'ConvTranspose1d')
/** An `nn.ConvTranspose1d` instance. @category torch @since 0.2.0 */
export type ConvTranspose1d = ConvTranspose1dImpl

/** See {@link ConvTranspose2d}. */
class ConvTranspose2dImpl extends ConvTransposeNd {
  readonly _conv: ConvTFn = F.conv_transpose2d
  constructor(...args: ConvTransposeArgs) {
    super(2, 'ConvTranspose2d', args)
  }
}
/**
 * 2-D transposed convolution layer; weight [in, out/groups, kH, kW].
 * @example
 * import * as torch from 'wengert/torch'
 * const up = torch.nn.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, output_padding: 1 })
 * assert.strictEqual(String(up.call(torch.ones(1, 4, 5, 5)).shape), 'torch.Size([1, 2, 10, 10])')
 * assert.strictEqual(String(up), 'ConvTranspose2d(4, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))')
 * @category torch @since 0.2.0
 */
export const ConvTranspose2d = pyClass(ConvTranspose2dImpl, 'ConvTranspose2d')
/** An `nn.ConvTranspose2d` instance. @category torch @since 0.2.0 */
export type ConvTranspose2d = ConvTranspose2dImpl

/** See {@link ConvTranspose3d}. */
class ConvTranspose3dImpl extends ConvTransposeNd {
  readonly _conv: ConvTFn = F.conv_transpose3d
  constructor(...args: ConvTransposeArgs) {
    super(3, 'ConvTranspose3d', args)
  }
}
/**
 * 3-D transposed convolution layer; weight [in, out/groups, kD, kH, kW].
 * @example
 * import * as torch from 'wengert/torch'
 * const up = torch.nn.ConvTranspose3d(1, 1, 2, { stride: 2 })
 * assert.strictEqual(String(up.call(torch.ones(1, 1, 2, 2, 2)).shape), 'torch.Size([1, 1, 4, 4, 4])')
 * @category torch @since 0.2.0
 */
export const ConvTranspose3d = pyClass(ConvTranspose3dImpl, 'ConvTranspose3d')
/** An `nn.ConvTranspose3d` instance. @category torch @since 0.2.0 */
export type ConvTranspose3d = ConvTranspose3dImpl
