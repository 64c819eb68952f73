/**
 * Sparse COO tensors in the facade: `torch.sparse_coo_tensor`, `torch.spmm`, the layout
 * `torch.sparse_coo` and the `torch.sparse` namespace (`mm`, `addmm`, `sum`, `softmax`,
 * `log_softmax` and the legacy `FloatTensor`/`DoubleTensor` constructors). Loading this module
 * installs the sparse tensor methods (./methods.ts).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const adj = torch.sparse_coo_tensor([[0, 1, 1], [1, 0, 1]], [1.0, 2.0, 3.0], [2, 2])
 * const x = torch.ones(2, 3, { requires_grad: true })
 * const y = torch.sparse.mm(adj, x)
 * assert.deepStrictEqual(y.tolist(), [[1, 1, 1], [5, 5, 5]])
 * @category torch
 * @since 0.3.0
 */
import '../install'
import type { Tensor } from '../tensor'
import { installSparseMethods } from './methods'
import { isSparse } from './coo'
import { denseLayoutMm } from './ops'
import * as ops from './ops'
import * as construct from './construct'

installSparseMethods()

export { sparse_coo, SparseCooTensor } from './coo'
export { sparse_coo_tensor, type SparseCooKw } from './construct'
export { refused as refusedSparse } from './product'

/** `torch.spmm(mat1, mat2)`: `torch.mm` for a sparse COO `mat1` (no gradient to a sparse mat1, as `torch.mm`). @category torch @since 0.3.0 */
export const spmm = (mat1: Tensor, mat2: Tensor): Tensor => (isSparse(mat1) ? denseLayoutMm(mat1, mat2) : mat1.mm(mat2))

/**
 * PyTorch's `torch.sparse` namespace: `mm`/`addmm` (sparse @ dense, gradients to both, the sparse
 * one on its coalesced pattern), `sum`, `softmax`, `log_softmax`, and the legacy constructors.
 * @category torch @since 0.3.0
 */
export const sparse = Object.freeze({
  mm: ops.mm,
  addmm: ops.addmm,
  sum: ops.sum,
  softmax: ops.softmax,
  log_softmax: ops.log_softmax,
  FloatTensor: construct.FloatTensor,
  DoubleTensor: construct.DoubleTensor,
})
