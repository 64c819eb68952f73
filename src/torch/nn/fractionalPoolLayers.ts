/**
 * `nn.FractionalMaxPool2d/3d`: PyTorch's arguments and checks (`output_size` or `output_ratio`
 * in (0, 1), `return_indices`, `_random_samples`); forward is `F.fractional_max_pool2d/3d`.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { expand, pyRepr, type IntOrTuple } from './convUtils'
import { fractional_max_pool2d, fractional_max_pool3d, type FractionalMaxPoolKw } from './fractionalPool'
import { required } from './layers'
import { Module } from './module'
import { pyClass } from './pyclass'

type FracArgs = PyArgs<
  [
    kernel_size: IntOrTuple,
    output_size: IntOrTuple | null,
    output_ratio: number | ReadonlyArray<number> | null,
    return_indices: boolean,
    _random_samples: Tensor | null,
  ],
  FractionalMaxPoolKw & { readonly kernel_size?: IntOrTuple }
>

/** A fractional max pooling layer over `d` axes. */
abstract class FractionalMaxPoolNd extends Module {
  readonly kernel_size: number[]
  readonly output_size: number[] | null
  readonly output_ratio: number[] | null
  readonly return_indices: boolean
  /** @internal */
  abstract readonly _d: number
  constructor(cls: string, args: FracArgs, d: number) {
    super()
    const fn = `${cls}.__init__`
    const a = parseArgs(fn, args, ['kernel_size', 'output_size', 'output_ratio', 'return_indices', '_random_samples'])
    required(fn, a, ['kernel_size'])
    this.kernel_size = expand(fn, 'kernel_size', a.kernel_size as IntOrTuple, d)
    this.return_indices = (a.return_indices as boolean | undefined) ?? false
    this.register_buffer('_random_samples', (a._random_samples as Tensor | null | undefined) ?? null)
    const size = a.output_size as IntOrTuple | null | undefined
    const ratio = a.output_ratio as number | ReadonlyArray<number> | null | undefined
    this.output_size = size === undefined || size === null ? null : expand(fn, 'output_size', size, d)
    this.output_ratio =
      ratio === undefined || ratio === null
        ? null
        : typeof ratio === 'number'
          ? new Array<number>(d).fill(ratio)
          : [...ratio]
    if (this.output_size === null && this.output_ratio === null)
      throw new TorchValueError(`${cls} requires specifying either an output size, or a pooling ratio`)
    if (this.output_size !== null && this.output_ratio !== null)
      throw new TorchValueError('only one of output_size and output_ratio may be specified')
    if (this.output_ratio !== null && !this.output_ratio.every((r) => r > 0 && r < 1))
      throw new TorchValueError(`output_ratio must be between 0 and 1 (got ${pyRepr(ratio)})`)
  }
  /** Fractional max pooling of `input` (and the indices of the maxima with `return_indices`). */
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    const pool = this._d === 2 ? fractional_max_pool2d : fractional_max_pool3d
    const samples = (this as unknown as { _random_samples: Tensor | null })._random_samples
    return pool(input, this.kernel_size, {
      output_size: this.output_size,
      output_ratio: this.output_ratio,
      return_indices: this.return_indices,
      _random_samples: samples,
    })
  }
}

/** See {@link FractionalMaxPool2d}. */
class FractionalMaxPool2dImpl extends FractionalMaxPoolNd {
  readonly _d = 2
  constructor(...args: FracArgs) {
    super('FractionalMaxPool2d', args, 2)
  }
}
/**
 * 2-D fractional max pooling layer.
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.FractionalMaxPool2d(2, { output_ratio: 0.5 })
 * assert.strictEqual(String((pool.call(torch.ones(1, 3, 8, 8)) as torch.Tensor).shape), 'torch.Size([1, 3, 4, 4])')
 * assert.strictEqual(String(pool), 'FractionalMaxPool2d()')
 * @category torch @since 0.2.0
 */
export const FractionalMaxPool2d = pyClass(FractionalMaxPool2dImpl, 'FractionalMaxPool2d')
/** An `nn.FractionalMaxPool2d` instance. @category torch @since 0.2.0 */
export type FractionalMaxPool2d = FractionalMaxPool2dImpl

/** See {@link FractionalMaxPool3d}. */
class FractionalMaxPool3dImpl extends FractionalMaxPoolNd {
  readonly _d = 3
  constructor(...args: FracArgs) {
    super('FractionalMaxPool3d', args, 3)
  }
}
/**
 * 3-D fractional max pooling layer.
 * @example
 * import * as torch from 'wengert/torch'
 * const pool = torch.nn.FractionalMaxPool3d(2, { output_size: 3 })
 * assert.strictEqual(String((pool.call(torch.ones(1, 5, 5, 5)) as torch.Tensor).shape), 'torch.Size([1, 3, 3, 3])')
 * @category torch @since 0.2.0
 */
export const FractionalMaxPool3d = pyClass(FractionalMaxPool3dImpl, 'FractionalMaxPool3d')
/** An `nn.FractionalMaxPool3d` instance. @category torch @since 0.2.0 */
export type FractionalMaxPool3d = FractionalMaxPool3dImpl
