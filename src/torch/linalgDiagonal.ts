/**
 * `torch.diagonal` / `Tensor.diagonal` (offset, dim1, dim2) and `torch.linalg.diagonal`
 * (keyword `offset`, `dim1 = −2`, `dim2 = −1`): one `DiagonalBackward0` node each, PyTorch's
 * shapes and errors. The result is a view of the input as in PyTorch: in-place ops on it write
 * into the input and share its version counter.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { NdArray } from '../ndarray/NdArray'
import { diag as coreDiag } from '../ops/linalg/products'
import { checkOptions } from '../internal/options'
import { op, viewOp } from './autograd/op'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import { normDim } from './ops/convert'
import { gatherStep, viewPositions } from './ops/views'
import { withDiagonalGrad } from './methods/shapeMore'
import { invalidCombination, requireTensorArgs } from './pyTypeName'
import { linalgEntry } from './namespaceSignatures'
import { parseArgs, type PyArgs } from './kwargs'

// PyTorch's overloads of torch.diagonal
const DIAGONAL_SIGNATURES = [
  '(Tensor input, *, name outdim, name dim1, name dim2, int offset)',
  '(Tensor input, int offset, int dim1, int dim2)',
]

/**
 * The diagonal `offset` (> 0 above, < 0 below the main one) of the planes of `dim1` (rows) and
 * `dim2` (columns): both dims removed, the diagonal appended last (`DiagonalBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.arange(24, { dtype: torch.float64 }).reshape(2, 3, 4)
 * assert.deepStrictEqual(torch.diagonal(a, 1, -1, -2).tolist(), [[4, 9], [16, 21]])
 * assert.deepStrictEqual([...a.diagonal(0, 1, 2).shape], [2, 3])
 * @category torch @since 0.2.0
 */
export const diagonal = (
  a: Tensor,
  ...args: PyArgs<
    [offset: number, dim1: number, dim2: number],
    { readonly offset?: number; readonly dim1?: number; readonly dim2?: number }
  >
): Tensor => {
  if (a === undefined) throw invalidCombination('diagonal', [], DIAGONAL_SIGNATURES)
  requireTensorArgs('diagonal', ['input'], [a])
  const p = parseArgs('diagonal', args, ['offset', 'dim1', 'dim2'])
  const num = (k: string, d: number): number => (p[k] as number | undefined) ?? d
  return diagonalOf(a, num('offset', 0), num('dim1', 0), num('dim2', 1))
}

/** {@link diagonal} with its arguments parsed. */
const diagonalOf = (a: Tensor, offset: number, dim1: number, dim2: number): Tensor => {
  const d1 = normDim(dim1, a.dim())
  const d2 = normDim(dim2, a.dim())
  if (d1 === d2) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`)
  if (!Number.isInteger(offset)) throw new RuntimeError(`diagonal: offset must be an integer, got ${offset}`)
  const st = a._strides
  const strides = [...st.filter((_, i) => i !== d1 && i !== d2), (st[d1] as number) + (st[d2] as number)]
  return viewOp(a, diagonalStep(offset, d1, d2), strides)
}

/** The view step of {@link diagonal}: rows from `max(0, −offset)`, columns from `max(0, offset)`. */
const diagonalStep = (offset: number, d1: number, d2: number) =>
  gatherStep('DiagonalBackward0', (shape) => {
    const [r0, c0] = [Math.max(0, -offset), Math.max(0, offset)]
    const len = Math.max(0, Math.min((shape[d1] as number) - r0, (shape[d2] as number) - c0))
    const rest = [...shape.keys()].filter((i) => i !== d1 && i !== d2)
    const out = [...rest.map((i) => shape[i] as number), len]
    const at = viewPositions(shape, out, (ix) => {
      const k = ix[ix.length - 1] as number
      return shape.map((_, d) => (d === d1 ? r0 + k : d === d2 ? c0 + k : (ix[rest.indexOf(d)] as number)))
    })
    return { shape: out, at }
  })

/** A copy of diagonal `offset` of a matrix, as 2.x's `diagonal_copy`: one gather, no view. */
const diagonalCopy = (a: Tensor, offset: number): Tensor => {
  const [rows, cols] = a._value().shape as [number, number]
  const [r0, c0] = [Math.max(0, -offset), Math.max(0, offset)]
  const len = Math.max(0, Math.min(rows - r0, cols - c0))
  const at = Array.from({ length: len }, (_, i) => (r0 + i) * cols + c0 + i)
  const idx = new NdArray([len], 'int32', Int32Array.from(at))
  return op('DiagonalBackward0_copy', [a], (x) => lax.gather(lax.reshape(x, [rows * cols]), idx, 0))
}

/** Keyword arguments of {@link linalgDiagonal}. @category torch @since 0.2.0 */
export interface LinalgDiagonalKw {
  /** Which diagonal: 0 main, > 0 above, < 0 below. @defaultValue 0 */
  readonly offset?: number
  /** The rows dim. @defaultValue -2 */
  readonly dim1?: number
  /** The columns dim. @defaultValue -1 */
  readonly dim2?: number
}

/**
 * `torch.linalg.diagonal(A, *, offset=0, dim1=-2, dim2=-1)`: {@link diagonal} with the last two
 * dims as defaults.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[1, 2, 3], [4, 5, 6]])
 * assert.deepStrictEqual(torch.linalg.diagonal(a, { offset: 1 }).tolist(), [2, 6])
 * @category torch @since 0.2.0
 */
export const linalgDiagonal = linalgEntry('diagonal', (a: Tensor, kw?: LinalgDiagonalKw): Tensor => {
  const o = checkOptions('linalg.diagonal', kw, ['offset', 'dim1', 'dim2'])
  return diagonal(a, o.offset ?? 0, o.dim1 ?? -2, o.dim2 ?? -1)
})

/**
 * `torch.diag(input, diagonal=0)`: a 1-D input becomes the square matrix with it on diagonal
 * `diagonal` (`DiagEmbedBackward0`); a 2-D input gives a copy of its diagonal `diagonal`
 * (one `DiagonalBackward0_copy` node: PyTorch 2.x's `diag` calls `diagonal_copy`, whose node
 * torchgen names after the view's, `_copy` appended; 1.13 had `DiagBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.diag(torch.tensor([1, 2]), 1).tolist(), [[0, 1, 0], [0, 0, 2], [0, 0, 0]])
 * assert.deepStrictEqual(torch.diag(torch.tensor([[1, 2], [3, 4]]), -1).tolist(), [3])
 * @category torch @since 0.2.0
 */
export const diag = (input: Tensor, diagonal_ = 0): Tensor => {
  requireTensorArgs('diag', ['input'], [input])
  const nd = input.dim()
  if (nd !== 1 && nd !== 2) throw new RuntimeError(`diag(): Supports 1D or 2D tensors. Got ${nd}D`)
  if (!Number.isInteger(diagonal_)) throw new RuntimeError(`diag(): diagonal must be an integer, got ${diagonal_}`)
  if (nd === 2) return diagonalCopy(input, diagonal_)
  const k = diagonal_
  const out = op('DiagEmbedBackward0', [input], (x) => {
    const m = coreDiag(x)
    const a = Math.abs(k)
    return k >= 0 ? lax.pad(m, [0, k], [a, 0], [0, 0], 0) : lax.pad(m, [a, 0], [0, a], [0, 0], 0)
  })
  return withDiagonalGrad(out, 0, 1)
}
