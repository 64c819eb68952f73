/**
 * `torch.linalg.matrix_exp` (also `torch.matrix_exp` and `Tensor.matrix_exp`): the matrix
 * exponential, one `LinalgMatrixExpBackward0` node whose gradient is the adjoint of the exact
 * Fréchet derivative (`wengert`'s `linalg.expm`, Al-Mohy & Higham 2009), as PyTorch's.
 *
 * @category torch
 * @since 0.2.0
 */
import * as L from '../ops/linalg/index'
import { op } from './autograd/op'
import type { Tensor } from './install'
import { checkSquare } from './linalg'
import { checkFloatInput } from './linalgDecompositions'
import { linalgEntry } from './namespaceSignatures'
import { markMatrixExpGrad } from './autograd/solverLayout'

/**
 * The matrix exponential e^A of (batches of) square matrices (`LinalgMatrixExpBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[0, 1], [0, 0]], { dtype: torch.float64, requires_grad: true })
 * const e = torch.linalg.matrix_exp(a)
 * assert.deepStrictEqual(e.tolist(), [[1, 1], [0, 1]])
 * assert.strictEqual(e.grad_fn?.name(), 'LinalgMatrixExpBackward0')
 * e.sum().backward()
 * // the adjoint Fréchet derivative L(Aᵀ, 1) = [[3/2, 1], [13/6, 3/2]]
 * const g = (a.grad?.tolist() ?? []) as number[][]
 * assert.ok([[1.5, 1], [13 / 6, 1.5]].every((r, i) => r.every((v, j) => Math.abs((g[i]?.[j] ?? 0) - v) < 1e-12)))
 * @category torch @since 0.2.0
 */
export const matrix_exp = linalgEntry('matrix_exp', (a: Tensor): Tensor => {
  checkSquare('linalg.matrix_exp', a)
  checkFloatInput('matrix_exp', a)
  const out = op('LinalgMatrixExpBackward0', [a], (x) => L.expm(x), { saves: [0] })
  markMatrixExpGrad(out)
  return out
})
