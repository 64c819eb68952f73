/**
 * `torch.tensordot`, composed of facade ops as PyTorch 2.x composes it (`tensordot`,
 * aten/src/ATen/native/Linear.cpp): a contracted dimension of size 1 on one side is summed away
 * on the other (`SumBackward1`, keepdim), each operand is permuted (free dimensions, then the
 * contracted ones; `PermuteBackward0`) and reshaped to a matrix (a view, or a contiguous copy
 * and `_unsafe_view`), the matrices are multiplied by `mm` (`MmBackward0`) and the product is
 * reshaped to the result's sizes (`ViewBackward0`). So the graph, the saved tensors, the layout
 * of the gradients (and so `.grad`'s `_version`) and the nodes an in-place write sees are
 * PyTorch's. PyTorch 1.13 composes it the same way, but its reshapes of viewable operands are
 * `_reshape_alias` nodes (ReshapeAliasBackward0; scripts/difftest/harness.py RENAMES).
 *
 * @category torch
 * @since 0.2.0
 */
import { requirePyTensorArgs } from './pyTypeName'
import { RuntimeError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import type { Tensor } from './install'
import { normDim } from './ops/convert'

/** `tensordot`'s `dims`: a count, or the dims of `a` and of `b` to contract. */
export type TensordotDims = number | readonly [number | ReadonlyArray<number>, number | ReadonlyArray<number>]

const list = (d: number | ReadonlyArray<number>): number[] => (typeof d === 'number' ? [d] : [...d])

/** The dims of `a` and of `b` that `dims` names (PyTorch's Python wrapper, torch/functional.py). */
const dimLists = (a: Tensor, b: Tensor, dims: TensordotDims): [number[], number[]] => {
  if (typeof dims !== 'number') return [list(dims[0]), list(dims[1])]
  if (dims < 0) throw new RuntimeError(`tensordot expects dims >= 0, but got dims=${dims}`)
  if (dims > Math.min(a.dim(), b.dim()))
    throw new RuntimeError(`tensordot expects dims < ndim_a or ndim_b, but got dims=${dims}`)
  return [Array.from({ length: dims }, (_, i) => i - dims), Array.from({ length: dims }, (_, i) => i)]
}

/** The set of dims a list names, refusing repeats (ATen's `dim_list_to_bitset`). */
const dimSet = (dims: ReadonlyArray<number>, ndim: number): Set<number> => {
  const seen = new Set<number>()
  for (const d of dims) {
    const k = normDim(d, ndim)
    if (seen.has(k)) throw new RuntimeError(`dim ${k} appears multiple times in the list of dims`)
    seen.add(k)
  }
  return seen
}

/**
 * `torch.tensordot(a, b, dims=2)`: contracts the last `dims` dims of `a` with the first of `b`,
 * or the dims of a pair of lists.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 })
 * assert.strictEqual(torch.tensordot(a, a).item(), 30)
 * assert.deepStrictEqual(torch.tensordot(a, a, [[0], [0]]).tolist(), [[10, 14], [14, 20]])
 * @category torch @since 0.2.0
 */
export const tensordot = (
  a: Tensor,
  b: Tensor,
  ...args: PyArgs<[dims: TensordotDims], { readonly dims?: TensordotDims }>
): Tensor => {
  requirePyTensorArgs('tensordot', ['a', 'b'], [a, b])
  const dims = (parseArgs('tensordot', args, ['dims']).dims as TensordotDims | undefined) ?? 2
  const [dimsA, dimsB] = dimLists(a, b, dims)
  if (dimsA.length !== dimsB.length) throw new RuntimeError('both dimension lists should have same length')
  if (a.dtype !== b.dtype) throw new RuntimeError('both inputs should have same dtype')
  let t1 = a
  let t2 = b
  let csize = 1
  dimsA.forEach((dA, i) => {
    const dB = dimsB[i] as number
    const s1 = a.shape[normDim(dA, a.dim())] as number
    const s2 = b.shape[normDim(dB, b.dim())] as number
    if (s2 === 1) t1 = t1.sum(dA, true)
    else if (s1 === 1) t2 = t2.sum(dB, true)
    else if (s1 !== s2)
      throw new RuntimeError(
        `contracted dimensions need to match, but first has size ${s1} in dim ${dA} and second has size ${s2} in dim ${dB}`,
      )
    else csize *= s1
  })
  const [setA, setB] = [dimSet(dimsA, a.dim()), dimSet(dimsB, b.dim())]
  const freeA = [...Array(a.dim()).keys()].filter((i) => !setA.has(i))
  const freeB = [...Array(b.dim()).keys()].filter((i) => !setB.has(i))
  const sizesA = freeA.map((i) => t1.shape[i] as number)
  const sizesB = freeB.map((i) => t2.shape[i] as number)
  const size = (s: ReadonlyArray<number>): number => s.reduce((p, n) => p * n, 1)
  const m1 = t1.permute([...freeA, ...dimsA]).reshape(size(sizesA), csize)
  const m2 = t2.permute([...dimsB, ...freeB]).reshape(csize, size(sizesB))
  return m1.mm(m2).reshape([...sizesA, ...sizesB])
}
