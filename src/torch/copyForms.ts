/**
 * The `*_copy` forms of the view ops (`torch.view_copy`, `expand_copy`, `permute_copy`,
 * `transpose_copy`, `t_copy`, `squeeze_copy`, `unsqueeze_copy`, `select_copy`, `slice_copy`,
 * `diagonal_copy`, `alias_copy`, `unfold_copy`, `split_copy`, `split_with_sizes_copy`,
 * `unbind_copy`, `as_strided_copy`): the view's values in new storage, under PyTorch's node `<ViewNode>_copy`
 * (`ViewBackward0_copy`, …). Each view is taken of the input's contiguous values (so its shape
 * checks and error texts are the view op's), and the copy gathers the elements the view's strides
 * address: its gradient scatters back, as the view's would.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { NdArray } from '../ndarray/NdArray'
import { take } from '../ops/layout'
import { op, opMulti } from './autograd/op'
import { RuntimeError } from './errors'
import { givenArgs, opFunctionName, overloads, requireInput, signature } from './pyTypeName'
import type { TorchDType } from './dtype'
import type { Tensor } from './install'
import { asStridedArgs, asStridedAt, geometry, type AsStridedArgs } from './methods/asStrided'

/** The flat positions (in `base`'s row-major order) of the elements of `view`, a view of `base`. */
const addressed = (base: Tensor, view: Tensor): NdArray => {
  const shape = view.shape
  const strides = view.stride()
  const n = shape.reduce((p, d) => p * d, 1)
  const out = new Int32Array(n)
  const start = view.storage_offset() - base.storage_offset()
  for (let k = 0; k < n; k++) {
    let [rest, pos] = [k, start]
    for (let d = shape.length - 1; d >= 0; d--) {
      const size = shape[d] as number
      pos += (rest % size) * (strides[d] as number)
      rest = Math.floor(rest / size)
    }
    out[k] = pos
  }
  return new NdArray([n], 'int32', out)
}

const gather = (x: NdArray, idx: NdArray, shape: ReadonlyArray<number>): NdArray =>
  lax.reshape(take(lax.reshape(x, [x.shape.reduce((p, d) => p * d, 1)]), idx), [...shape])

/** A copy of the view `f` makes of `x`, under `name`. */
const copyOf = (name: string, x: Tensor, f: (base: Tensor) => Tensor): Tensor => {
  requireInput(opFunctionName(name), x)
  const base = x.detach().contiguous()
  const v = f(base)
  const idx = addressed(base, v)
  return op(name, [x], (xv) => gather(xv, idx, v.shape))
}

/** Copies of the views `f` makes of `x`, under one node `name`. */
const copiesOf = (name: string, x: Tensor, f: (base: Tensor) => Tensor[]): Tensor[] => {
  requireInput(opFunctionName(name), x)
  const base = x.detach().contiguous()
  const vs = f(base)
  const idx = vs.map((v) => addressed(base, v))
  return opMulti(name, [x], (xv) => vs.map((v, i) => gather(xv, idx[i] as NdArray, v.shape)))
}

// the argument checks of the copy forms with non-tensor parameters (PyTorch 2.x's signatures)
const CHECKS = {
  view_copy: overloads('view_copy', [
    '(Tensor input, torch.dtype dtype, *, Tensor out = None)',
    '(Tensor input, tuple of ints size, *, Tensor out = None)',
  ]),
  expand_copy: signature('expand_copy', '(Tensor input, tuple of ints size, *, bool implicit = False)'),
  permute_copy: signature('permute_copy', '(Tensor input, tuple of ints dims)'),
  transpose_copy: signature('transpose_copy', '(Tensor input, int dim0, int dim1)'),
  squeeze_copy: overloads('squeeze_copy', [
    '(Tensor input, *, Tensor out = None)',
    '(Tensor input, int dim, *, Tensor out = None)',
    '(Tensor input, tuple of ints dim, *, Tensor out = None)',
  ]),
  unsqueeze_copy: signature('unsqueeze_copy', '(Tensor input, int dim)'),
  select_copy: signature('select_copy', '(Tensor input, int dim, int index)'),
  diagonal_copy: signature('diagonal_copy', '(Tensor input, int offset = 0, int dim1 = 0, int dim2 = 1)'),
  unfold_copy: signature('unfold_copy', '(Tensor input, int dimension, int size, int step)'),
} as const

/** A `tuple of ints` argument as a list (one int stands for a 1-tuple). */
const ints = (u: number | ReadonlyArray<number>): ReadonlyArray<number> => (typeof u === 'number' ? [u] : u)

/**
 * `torch.view_copy(input, size)`: `input.view(size)` in new storage (`ViewBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(6, { dtype: torch.float64, requires_grad: true })
 * const y = torch.view_copy(x, [2, 3])
 * assert.deepStrictEqual([[...y.shape], y.grad_fn?.name()], [[2, 3], 'ViewBackward0_copy'])
 * @category torch @since 0.2.0
 */
export const view_copy = (input: Tensor, size: ReadonlyArray<number> | TorchDType): Tensor => {
  CHECKS.view_copy(givenArgs(input, size))
  return copyOf('ViewBackward0_copy', input, (b) =>
    Array.isArray(size) ? b.view(...size) : b.view(size as TorchDType),
  )
}

/**
 * `torch.expand_copy(input, size)` (`ExpandBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.expand_copy(torch.tensor([1, 2]), [2, 2]).tolist(), [[1, 2], [1, 2]])
 * @category torch @since 0.2.0
 */
export const expand_copy = (input: Tensor, size: ReadonlyArray<number>): Tensor => {
  CHECKS.expand_copy(givenArgs(input, size))
  return copyOf('ExpandBackward0_copy', input, (b) => b.expand(...ints(size)))
}

/**
 * `torch.permute_copy(input, dims)` (`PermuteBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.permute_copy(torch.tensor([[1, 2]]), [1, 0]).tolist(), [[1], [2]])
 * @category torch @since 0.2.0
 */
export const permute_copy = (input: Tensor, dims: ReadonlyArray<number>): Tensor => {
  CHECKS.permute_copy(givenArgs(input, dims))
  return copyOf('PermuteBackward0_copy', input, (b) => b.permute(...ints(dims)))
}

/**
 * `torch.transpose_copy(input, dim0, dim1)` (`TransposeBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.transpose_copy(torch.tensor([[1, 2]]), 0, 1).tolist(), [[1], [2]])
 * @category torch @since 0.2.0
 */
export const transpose_copy = (input: Tensor, dim0: number, dim1: number): Tensor => {
  CHECKS.transpose_copy(givenArgs(input, dim0, dim1))
  return copyOf('TransposeBackward0_copy', input, (b) => b.transpose(dim0, dim1))
}

/**
 * `torch.t_copy(input)` (`TBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.t_copy(torch.tensor([[1, 2]])).tolist(), [[1], [2]])
 * @category torch @since 0.2.0
 */
export const t_copy = (input: Tensor): Tensor => copyOf('TBackward0_copy', input, (b) => b.t())

/**
 * `torch.squeeze_copy(input, dim?)` (`SqueezeBackward0_copy`, or `SqueezeBackward1_copy` with a dim).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual([...torch.squeeze_copy(torch.zeros(1, 2, 1)).shape], [2])
 * @category torch @since 0.2.0
 */
export const squeeze_copy = (input: Tensor, dim?: number): Tensor => {
  CHECKS.squeeze_copy(givenArgs(input, dim))
  return dim === undefined
    ? copyOf('SqueezeBackward0_copy', input, (b) => b.squeeze())
    : copyOf('SqueezeBackward1_copy', input, (b) => b.squeeze(dim))
}

/**
 * `torch.unsqueeze_copy(input, dim)` (`UnsqueezeBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual([...torch.unsqueeze_copy(torch.zeros(2), 0).shape], [1, 2])
 * @category torch @since 0.2.0
 */
export const unsqueeze_copy = (input: Tensor, dim: number): Tensor => {
  CHECKS.unsqueeze_copy(givenArgs(input, dim))
  return copyOf('UnsqueezeBackward0_copy', input, (b) => b.unsqueeze(dim))
}

/**
 * `torch.select_copy(input, dim, index)` (`SelectBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.select_copy(torch.tensor([[1, 2], [3, 4]]), 1, 0).tolist(), [1, 3])
 * @category torch @since 0.2.0
 */
export const select_copy = (input: Tensor, dim: number, index: number): Tensor => {
  CHECKS.select_copy(givenArgs(input, dim, index))
  return copyOf('SelectBackward0_copy', input, (b) => b.select(dim, index))
}

/**
 * `torch.diagonal_copy(input, offset=0, dim1=0, dim2=1)` (`DiagonalBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.diagonal_copy(torch.tensor([[1, 2], [3, 4]])).tolist(), [1, 4])
 * @category torch @since 0.2.0
 */
export const diagonal_copy = (input: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor => {
  CHECKS.diagonal_copy([input, offset, dim1, dim2])
  return copyOf('DiagonalBackward0_copy', input, (b) => b.diagonal(offset, dim1, dim2))
}

/**
 * `torch.alias_copy(input)`: a copy (`AliasBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2])
 * assert.deepStrictEqual(torch.alias_copy(x).tolist(), [1, 2])
 * @category torch @since 0.2.0
 */
export const alias_copy = (input: Tensor): Tensor => copyOf('AliasBackward0_copy', input, (b) => b.view(...b.shape))

/**
 * `torch.unfold_copy(input, dimension, size, step)` (`UnfoldBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.unfold_copy(torch.tensor([1, 2, 3]), 0, 2, 1).tolist(), [[1, 2], [2, 3]])
 * @category torch @since 0.2.0
 */
export const unfold_copy = (input: Tensor, dimension: number, size: number, step: number): Tensor => {
  CHECKS.unfold_copy(givenArgs(input, dimension, size, step))
  return copyOf('UnfoldBackward0_copy', input, (b) => b.unfold(dimension, size, step))
}

/**
 * `torch.slice_copy(input, dim=0, start=None, end=None, step=1)` (`SliceBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.slice_copy(torch.tensor([1, 2, 3, 4]), 0, 1, null, 2).tolist(), [2, 4])
 * @category torch @since 0.2.0
 */
export const slice_copy = (
  input: Tensor,
  dim = 0,
  start: number | null = null,
  end: number | null = null,
  step = 1,
): Tensor => {
  if (step <= 0) throw new RuntimeError('slice step must be positive')
  return copyOf('SliceBackward0_copy', input, (b) => {
    const d = dim < 0 ? dim + b.dim() : dim
    const n = b.shape[d] as number
    const clamp = (v: number | null, dflt: number): number =>
      v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n)
    const [s, e] = [clamp(start, 0), clamp(end, n)]
    const len = Math.max(0, e - s)
    const picked = b.narrow(d, s, len)
    return step === 1 ? picked : picked.unfold(d, 1, step).squeeze(-1)
  })
}

/**
 * `torch.split_copy(input, split_size, dim=0)`: copies of `split`'s parts (one `SplitBackward0_copy` node).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.split_copy(torch.tensor([1, 2, 3]), 2).map((t) => t.tolist()), [[1, 2], [3]])
 * @category torch @since 0.2.0
 */
export const split_copy = (input: Tensor, split_size: number, dim = 0): Tensor[] =>
  copiesOf('SplitBackward0_copy', input, (b) => b.split(split_size, dim))

/**
 * `torch.split_with_sizes_copy(input, split_sizes, dim=0)` (`SplitWithSizesBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.split_with_sizes_copy(torch.tensor([1, 2, 3]), [1, 2])[1]?.tolist(), [2, 3])
 * @category torch @since 0.2.0
 */
export const split_with_sizes_copy = (input: Tensor, split_sizes: ReadonlyArray<number>, dim = 0): Tensor[] =>
  copiesOf('SplitWithSizesBackward0_copy', input, (b) => b.split_with_sizes(split_sizes, dim))

/**
 * `torch.unbind_copy(input, dim=0)` (`UnbindBackward0_copy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.unbind_copy(torch.tensor([[1, 2], [3, 4]]), 1)[0]?.tolist(), [1, 3])
 * @category torch @since 0.2.0
 */
export const unbind_copy = (input: Tensor, dim = 0): Tensor[] =>
  copiesOf('UnbindBackward0_copy', input, (b) => b.unbind(dim))

/**
 * `torch.as_strided_copy(input, size, stride, storage_offset=None)`: `as_strided`'s view of the
 * input's storage in new storage (`AsStridedBackward0_copy`); keywords as `as_strided`'s.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(6, { dtype: torch.float32, requires_grad: true })
 * const y = torch.as_strided_copy(x, { size: [2, 2], stride: [1, 2], storage_offset: 1 })
 * assert.deepStrictEqual([y.tolist(), y.grad_fn?.name()], [[[1, 3], [2, 4]], 'AsStridedBackward0_copy'])
 * @category torch @since 0.2.0
 */
export const as_strided_copy = (input: Tensor, ...args: AsStridedArgs): Tensor => {
  const [size, stride, storage_offset] = asStridedArgs('as_strided_copy', args)
  const at = asStridedAt(input, size, stride, geometry(input, size, stride, storage_offset))
  const idx = new NdArray([at.length], 'int32', Int32Array.from(at))
  return op('AsStridedBackward0_copy', [input], (xv) => gather(xv, idx, size))
}
