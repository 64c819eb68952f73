/**
 * `torch.searchsorted`: insertion indices into a sorted last dimension (batched over leading
 * dimensions that `values` shares), int64 unless `out_int32`.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { takeAlong } from '../core/primitives/alongAxis'
import { countBefore } from '../ops/searchCount'
import { op } from './autograd/op'
import { RuntimeError } from './errors'
import { parseArgs } from './kwargs'
import { asTensor, type TensorOrScalar } from './ops/convert'
import { Tensor } from './tensor'
import { invalidCombination } from './pyTypeName'

/** Keyword options of {@link searchsorted}. @category torch @since 0.2.0 */
export interface SearchsortedKw {
  /** int32 indices instead of int64. Default false. */
  readonly out_int32?: boolean
  /** The last fitting index instead of the first (as `side: 'right'`). Default false. */
  readonly right?: boolean
  /** 'left' or 'right'; must agree with `right` when both are given. */
  readonly side?: 'left' | 'right' | null
  /** Indices that sort `sorted_sequence` along its last dimension. */
  readonly sorter?: Tensor | null
}

/**
 * Indices where `values` would be inserted into the sorted last dimension of `sorted_sequence`
 * (PyTorch's `torch.searchsorted`; NaN sorts last). A 1-D sequence serves every value; an N-D one
 * has the leading dimensions of `values`.
 * @example
 * import * as torch from 'wengert/torch'
 * const seq = torch.tensor([[1, 3, 5, 7], [2, 4, 6, 8]])
 * const v = torch.tensor([[3, 6, 9], [1, 4, 8]])
 * assert.deepStrictEqual(torch.searchsorted(seq, v).tolist(), [[1, 3, 4], [0, 1, 3]])
 * assert.deepStrictEqual(torch.searchsorted(seq, v, { right: true }).tolist(), [[2, 3, 4], [0, 2, 4]])
 * assert.strictEqual(torch.searchsorted(seq, v).dtype, torch.int64)
 * @category torch @since 0.2.0
 */
export const searchsorted = (sorted_sequence: Tensor, input: TensorOrScalar, kw: SearchsortedKw = {}): Tensor => {
  if (!(sorted_sequence instanceof Tensor) || !(input instanceof Tensor || typeof input === 'number'))
    throw invalidCombination(
      'searchsorted',
      [sorted_sequence, input, kw].filter((u) => u !== undefined),
      [],
    )
  const a = parseArgs('searchsorted', [kw], ['out_int32', 'right', 'side', 'sorter'])
  const right = (a.right as boolean | undefined) ?? false
  const side = a.side as 'left' | 'right' | null | undefined
  if (side !== undefined && side !== null && side !== 'left' && side !== 'right')
    throw new RuntimeError(`torch.searchsorted(): side can only be 'left' or 'right' but got ${String(side)}`)
  if (side === 'left' && right)
    throw new RuntimeError(
      "torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True",
    )
  const seq = sorted_sequence._value()
  const values = asTensor(input)
  const v = values._value()
  if (seq.ndim === 0)
    throw new RuntimeError(
      'torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension',
    )
  const lead = seq.shape.slice(0, -1)
  if (seq.ndim > 1 && (v.ndim !== seq.ndim || lead.some((d, i) => d !== v.shape[i])))
    throw new RuntimeError(
      `torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor [${seq.shape.join(', ')}] and input value tensor [${v.shape.join(', ')}]`,
    )
  const sorter = a.sorter as Tensor | null | undefined
  const sorted =
    sorter === undefined || sorter === null ? seq : takeAlong(seq, lax.cast(sorter._value(), 'int32'), seq.ndim - 1)
  const dtype = (a.out_int32 as boolean | undefined) === true ? 'int32' : 'int64'
  const useRight = right || side === 'right'
  return op(
    'searchsorted',
    [values],
    (x) => lax.cast(countBefore(sorted, x.ndim === 0 ? lax.reshape(x, [1]) : x, useRight ? 'right' : 'left'), dtype),
    { differentiable: false },
  ).reshape(v.shape)
}
