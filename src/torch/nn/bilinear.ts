/**
 * `nn.Bilinear` (`y = x1ᵀ A x2 + b` per output feature, by `F.bilinear`) and `nn.Unflatten`,
 * with PyTorch's argument checks, initialisation and reprs.
 *
 * @category torch
 * @since 0.2.0
 */
import { empty } from '../creation'
import { get_default_dtype, type TorchDType } from '../dtype'
import { NotImplementedError, TorchTypeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { bilinear } from './functionalExtra'
import * as init from './init'
import { required } from './layers'
import { Module } from './module'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'

type T = Tensor

/** The keyword arguments of {@link Bilinear}. @category torch @since 0.2.0 */
export type BilinearKw = {
  readonly in1_features?: number
  readonly in2_features?: number
  readonly out_features?: number
  readonly bias?: boolean
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}

/** See {@link Bilinear}. */
class BilinearImpl extends Module {
  readonly in1_features: number
  readonly in2_features: number
  readonly out_features: number
  /** `[out_features, in1_features, in2_features]`, initialised U(−1/√in1, 1/√in1). */
  weight: Parameter
  /** `[out_features]`, initialised U(−1/√in1, 1/√in1); null with `bias: false`. */
  bias: Parameter | null

  constructor(
    ...args: PyArgs<
      [
        in1_features: number,
        in2_features: number,
        out_features: number,
        bias: boolean,
        device: string | null,
        dtype: TorchDType | null,
      ],
      BilinearKw
    >
  ) {
    super()
    const names = ['in1_features', 'in2_features', 'out_features', 'bias', 'device', 'dtype']
    const a = parseArgs('Bilinear.__init__', args, names)
    required('Bilinear.__init__', a, names.slice(0, 3))
    this.in1_features = a.in1_features as number
    this.in2_features = a.in2_features as number
    this.out_features = a.out_features as number
    const dtype = (a.dtype as TorchDType | null | undefined) ?? get_default_dtype()
    this.weight = new Parameter(empty([this.out_features, this.in1_features, this.in2_features], { dtype }))
    this.bias = (a.bias ?? true) ? new Parameter(empty([this.out_features], { dtype })) : null
    this.reset_parameters()
  }

  /** PyTorch's initialisation: weight and bias U(−1/√in1, 1/√in1). */
  reset_parameters(): void {
    const bound = 1 / Math.sqrt(this.in1_features)
    init.uniform_(this.weight, -bound, bound)
    if (this.bias !== null) init.uniform_(this.bias, -bound, bound)
  }

  /** `F.bilinear(input1, input2, weight, bias)`. */
  forward(input1: T, input2: T): T {
    return bilinear(input1, input2, this.weight, this.bias)
  }

  override extra_repr(): string {
    const b = this.bias !== null ? 'True' : 'False'
    return `in1_features=${this.in1_features}, in2_features=${this.in2_features}, out_features=${this.out_features}, bias=${b}`
  }
}

/**
 * Bilinear layer `y = x1ᵀ A x2 + b` (PyTorch's `nn.Bilinear(in1, in2, out, bias=True)`).
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.Bilinear(2, 3, 4)
 * assert.strictEqual(String(m.weight.shape), 'torch.Size([4, 2, 3])')
 * assert.strictEqual(String(m.call(torch.ones(5, 2), torch.ones(5, 3)).shape), 'torch.Size([5, 4])')
 * assert.strictEqual(String(m), 'Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)')
 * @category torch @since 0.2.0
 */
export const Bilinear = pyClass(BilinearImpl, 'Bilinear')
/** An `nn.Bilinear` instance. @category torch @since 0.2.0 */
export type Bilinear = BilinearImpl

const pyTypeName = (u: unknown): string =>
  typeof u === 'number' ? (Number.isInteger(u) ? 'int' : 'float') : typeof u === 'string' ? 'str' : typeof u

/** See {@link Unflatten}. */
class UnflattenImpl extends Module {
  readonly dim: number
  readonly unflattened_size: ReadonlyArray<number>
  constructor(
    ...args: PyArgs<
      [dim: number, unflattened_size: ReadonlyArray<number>],
      { readonly dim?: number; readonly unflattened_size?: ReadonlyArray<number> }
    >
  ) {
    super()
    const a = parseArgs('Unflatten.__init__', args, ['dim', 'unflattened_size'])
    required('Unflatten.__init__', a, ['dim', 'unflattened_size'])
    const { dim, unflattened_size: size } = a
    if (typeof dim === 'string')
      throw new NotImplementedError('Unflatten: a named dim needs named tensors, which the facade does not support')
    if (typeof dim !== 'number' || !Number.isInteger(dim))
      throw new TorchTypeError('invalid argument type for dim parameter')
    if (!Array.isArray(size))
      throw new TorchTypeError(`unflattened_size must be a tuple of ints, but found type ${pyTypeName(size)}`)
    size.forEach((e: unknown, i) => {
      if (!Number.isInteger(e))
        throw new TorchTypeError(
          `unflattened_size must be tuple of ints, but found element of type ${pyTypeName(e)} at pos ${i}`,
        )
    })
    this.dim = dim
    this.unflattened_size = [...(size as number[])]
  }
  /** `input.unflatten(dim, unflattened_size)`. */
  forward(input: T): T {
    return input.unflatten(this.dim, this.unflattened_size)
  }
  override extra_repr(): string {
    const s = this.unflattened_size
    return `dim=${this.dim}, unflattened_size=${s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`}`
  }
}

/**
 * Splits dimension `dim` into `unflattened_size` (the inverse of `nn.Flatten`); a `-1` size is
 * inferred. Named dims (a string `dim`) need named tensors and raise NotImplementedError.
 * @example
 * import * as torch from 'wengert/torch'
 * const u = torch.nn.Unflatten(1, [2, 3])
 * assert.strictEqual(String(u.call(torch.zeros(4, 6)).shape), 'torch.Size([4, 2, 3])')
 * assert.strictEqual(String(u), 'Unflatten(dim=1, unflattened_size=(2, 3))')
 * @category torch @since 0.2.0
 */
export const Unflatten = pyClass(UnflattenImpl, 'Unflatten')
/** An `nn.Unflatten` instance. @category torch @since 0.2.0 */
export type Unflatten = UnflattenImpl
