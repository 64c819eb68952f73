/**
 * `torch.*` forms ported code calls directly that had no facade entry: `detach_copy`,
 * `narrow_copy`, `rrelu` / `rrelu_` (ATen's signature: `training` defaults to false),
 * `channel_shuffle` / `native_channel_shuffle`, `embedding_renorm_` and `index_put_`. Each computes
 * what the matching method or functional form does.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(6, { dtype: torch.float32 }).reshape(2, 3)
 * assert.deepStrictEqual(torch.narrow_copy(x, 1, 1, 2).tolist(), [[1, 2], [4, 5]])
 * assert.strictEqual(torch.detach_copy(x.requires_grad_()).requires_grad, false)
 * const w = torch.tensor([[3, 4], [1, 0]])
 * torch.embedding_renorm_(w, torch.tensor([0], { dtype: torch.int64 }), 1, 2)
 * assert.ok(Math.abs((w.tolist() as number[][])[0]![0]! - 0.6) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
import { no_grad } from './autograd/grad_mode'
import { atenArgs } from './atenArgs'
import { RuntimeError } from './errors'
import type { PyArgs } from './kwargs'
import { renormRows } from './nn/embedding'
import * as F from './nn/functional'
import * as Fm from './nn/functionalMore'
import type { Tensor } from './tensor'
import type { TensorOrScalar } from './ops/convert'
import type { NarrowArgs } from './methods/tensorExtras'
import { requireTensorArgs } from './pyTypeName'

type T = Tensor

export { channel_shuffle, native_channel_shuffle } from './nn/functionalMore'

/**
 * `torch.detach_copy(input)`: a copy of `input` outside the graph (PyTorch 2.x's `detach_copy`,
 * not differentiable like `detach`; PyTorch 1.13 gives it a node without a derivative).
 * @category torch @since 0.2.0
 */
export const detach_copy = (input: T): T => {
  requireTensorArgs('detach_copy', ['input'], [input])
  return no_grad(() => input.detach().clone())
}

/**
 * `torch.narrow_copy(input, dim, start, length)`: a copy of `input.narrow(dim, start, length)`.
 * PyTorch has no derivative for it: a backward through it raises, as PyTorch's does.
 * @category torch @since 0.2.0
 */
export const narrow_copy = (input: T, ...rest: NarrowArgs): T => {
  requireTensorArgs('narrow_copy', ['input'], [input])
  return input.narrow_copy(...rest)
}

type RReLU = PyArgs<
  [lower: number, upper: number, training: boolean],
  { readonly lower?: number; readonly upper?: number; readonly training?: boolean }
>

/**
 * `torch.rrelu(input, lower=1/8, upper=1/3, training=False)`: ATen's form (training off by default,
 * so negative inputs are scaled by `(lower + upper) / 2`).
 * @category torch @since 0.2.0
 */
export const rrelu = (input: T, ...rest: RReLU): T => {
  const a = atenArgs('rrelu', rest, ['lower', 'upper', 'training'], 0)
  return Fm.rrelu(input, {
    lower: (a.lower as number | undefined) ?? 1 / 8,
    upper: (a.upper as number | undefined) ?? 1 / 3,
    training: (a.training as boolean | undefined) ?? false,
  })
}

/** `torch.rrelu_(input, lower=1/8, upper=1/3, training=False)`: {@link rrelu} in place. @category torch @since 0.2.0 */
export const rrelu_ = (input: T, ...rest: RReLU): T => {
  requireTensorArgs('rrelu_', ['input'], [input])
  const a = atenArgs('rrelu_', rest, ['lower', 'upper', 'training'], 0)
  return Fm.rrelu_(input, {
    lower: (a.lower as number | undefined) ?? 1 / 8,
    upper: (a.upper as number | undefined) ?? 1 / 3,
    training: (a.training as boolean | undefined) ?? false,
  })
}

/**
 * `torch.embedding_renorm_(weight, indices, max_norm, norm_type)`: rescales in place the rows of
 * `weight` that `indices` uses whose `norm_type`-norm exceeds `max_norm` (to `max_norm`), and
 * returns `weight`.
 * @category torch @since 0.2.0
 */
export const embedding_renorm_ = (
  weight: T,
  ...rest: PyArgs<
    [indices: T, max_norm: number, norm_type: number],
    { readonly indices?: T; readonly max_norm?: number; readonly norm_type?: number }
  >
): T => {
  const a = atenArgs('embedding_renorm_', rest, ['indices', 'max_norm', 'norm_type'], 3)
  if (weight.dim() !== 2) throw new RuntimeError(`embedding_renorm_: weight must be 2-D, but got ${weight.dim()}-D`)
  renormRows(weight, (a.indices as T)._value(), a.max_norm as number, a.norm_type as number)
  return weight
}

/**
 * `torch.index_put_(input, indices, values, accumulate=False)`: `input[indices] = values` (or `+=`
 * with `accumulate`) in place, returning `input`.
 * @category torch @since 0.2.0
 */
export const index_put_ = (
  input: T,
  ...rest: PyArgs<
    [indices: ReadonlyArray<T>, values: TensorOrScalar, accumulate: boolean],
    { readonly indices?: ReadonlyArray<T>; readonly values?: TensorOrScalar; readonly accumulate?: boolean }
  >
): T => {
  const a = atenArgs('index_put_', rest, ['indices', 'values', 'accumulate'], 2)
  return input.index_put_(
    a.indices as ReadonlyArray<T>,
    a.values as TensorOrScalar,
    (a.accumulate as boolean | undefined) ?? false,
  )
}

/**
 * `torch.convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
 * groups)`: ATen's convolution entry point (every argument required), the convolution or transposed
 * convolution of `input.dim() − 2` spatial dimensions (ConvolutionBackward0).
 * @category torch @since 0.2.0
 */
export const convolution = (
  input: T,
  weight: T,
  ...rest: PyArgs<
    [
      bias: T | null,
      stride: number | ReadonlyArray<number>,
      padding: number | ReadonlyArray<number>,
      dilation: number | ReadonlyArray<number>,
      transposed: boolean,
      output_padding: number | ReadonlyArray<number>,
      groups: number,
    ],
    {
      readonly bias?: T | null
      readonly stride?: number | ReadonlyArray<number>
      readonly padding?: number | ReadonlyArray<number>
      readonly dilation?: number | ReadonlyArray<number>
      readonly transposed?: boolean
      readonly output_padding?: number | ReadonlyArray<number>
      readonly groups?: number
    }
  >
): T => {
  const names = ['bias', 'stride', 'padding', 'dilation', 'transposed', 'output_padding', 'groups']
  const a = atenArgs('convolution', rest, names, 7, 2)
  const nd = input.dim() - 2
  if (nd < 1 || nd > 3)
    throw new RuntimeError(
      `convolution: expected a 3-D, 4-D or 5-D input, but got input of size [${input.shape.join(', ')}]`,
    )
  const bias = a.bias as T | null
  const [stride, padding, dilation, groups] = [a.stride, a.padding, a.dilation, a.groups] as [
    number | ReadonlyArray<number>,
    number | ReadonlyArray<number>,
    number | ReadonlyArray<number>,
    number,
  ]
  if (a.transposed === true) {
    const f = [F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d][nd - 1] as typeof F.conv_transpose1d
    return f(input, weight, {
      bias,
      stride,
      padding,
      output_padding: a.output_padding as number | ReadonlyArray<number>,
      groups,
      dilation,
    })
  }
  const f = [F.conv1d, F.conv2d, F.conv3d][nd - 1] as typeof F.conv1d
  return f(input, weight, { bias, stride, padding, dilation, groups })
}
