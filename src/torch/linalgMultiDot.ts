/**
 * `torch.linalg.multi_dot`: a chain of matrix products in the cheapest order (the core
 * `linalg.multiDot`, whose order is the matrix-chain optimum PyTorch also computes), with
 * PyTorch's argument checks and messages; the result's node is `ViewBackward0`, as PyTorch's
 * (it reshapes the product of the 2-D operands back), and a column-major operand gets a
 * column-major gradient, as from PyTorch's `mm` nodes.
 *
 * @category torch
 * @since 0.2.0
 */
import { multiDot } from '../ops/linalg/multiDot'
import { op } from './autograd/op'
import { markColumnMajor } from './autograd/gradLayout'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import { requireTensor } from './pyTypeName'
import { linalgEntry } from './namespaceSignatures'

const sizes = (t: Tensor): string => `[${t.shape.join(', ')}]`

/** PyTorch's checks, in its order: count, end ranks, middle ranks, then dtype and shape pair by pair. */
const checkChain = (tensors: ReadonlyArray<Tensor>): void => {
  const n = tensors.length
  if (n < 2) throw new RuntimeError(`multi_dot(): expected at least 2 tensors but got ${n}`)
  const first = tensors[0] as Tensor
  const last = tensors[n - 1] as Tensor
  if (first.dim() !== 1 && first.dim() !== 2)
    throw new RuntimeError(`multi_dot(): the first tensor must be 1D or 2D but got ${first.dim()}D`)
  if (last.dim() !== 1 && last.dim() !== 2)
    throw new RuntimeError(`multi_dot(): the last tensor must be 1D or 2D but got ${last.dim()}D`)
  for (let i = 1; i < n - 1; i++) {
    const d = (tensors[i] as Tensor).dim()
    if (d !== 2) throw new RuntimeError(`multi_dot(): tensor ${i} must be 2D but got ${d}D`)
  }
  for (let i = 1; i < n; i++) {
    const [a, b] = [tensors[i - 1] as Tensor, tensors[i] as Tensor]
    if (b.dtype !== first.dtype)
      throw new RuntimeError(
        `multi_dot(): all tensors must have be the same dtype but tensor 0 is ${first.dtype.cName} and tensor ${i} ${b.dtype.cName}`,
      )
    if (a.shape[a.dim() - 1] !== b.shape[0])
      throw new RuntimeError(
        `multi_dot(): tensors ${i - 1} and ${i} with shapes ${sizes(a)} and ${sizes(b)} cannot be multiplied`,
      )
  }
}

/**
 * `torch.linalg.multi_dot(tensors)`: the product of two or more matrices, multiplied in the
 * order needing the fewest scalar multiplications; the first and last may be 1-D (a row and a
 * column vector, squeezed from the result), the others must be 2-D, all of one dtype.
 * @example
 * import * as torch from 'wengert/torch'
 * const v = torch.tensor([1, 2], { dtype: torch.float64 })
 * const m = torch.tensor([[1, 0], [0, 2]], { dtype: torch.float64 })
 * const out = torch.linalg.multi_dot([v, m, torch.tensor([1, 1], { dtype: torch.float64 })])
 * assert.strictEqual(out.item(), 5)
 * assert.throws(() => torch.linalg.multi_dot([m]), /expected at least 2 tensors but got 1/)
 * @category torch @since 0.2.0
 */
export const multi_dot = linalgEntry('multi_dot', (tensors: ReadonlyArray<Tensor>): Tensor => {
  checkChain(tensors)
  const out = op('ViewBackward0', [...tensors], (...xs) => multiDot(xs))
  // each matrix is an operand of one of PyTorch's mm calls, whose formulas give a column-major
  // operand (a transposed leaf) a column-major gradient (FunctionsManual.cpp mm_mat1_backward / mm_mat2_backward)
  markColumnMajor(out._gradFn, tensors)
  return out
})

/**
 * `torch.linalg.matmul(input, other)`: the same product as `torch.matmul` (broadcast batches,
 * vector operands promoted and their dims dropped).
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.linalg.matmul(torch.ones(2, 3), torch.ones(3))
 * assert.deepStrictEqual(y.tolist(), [3, 3])
 * @category torch @since 0.3.0
 */
export const matmul = linalgEntry('matmul', (input: Tensor, other: Tensor): Tensor =>
  requireTensor('linalg_matmul', 'input', input, 1).matmul(requireTensor('linalg_matmul', 'other', other, 2)),
)
