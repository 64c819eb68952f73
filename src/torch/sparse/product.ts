/**
 * `torch.sparse.mm(S1, S2)` for two sparse COO matrices (a coalesced sparse result on the pattern
 * of every product of entries, one `SparseSparseMatmulBackward0` node over both operands' values)
 * and `dense.sparse_mask(mask)` (the dense entries at a coalesced mask's pattern, one
 * `SparseMaskBackward0` node). `torch.smm`, `torch.hspmm` and `torch.sspaddmm` are refused by name.
 *
 * @category torch
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { op } from '../autograd/op'
import { NotImplementedError, RuntimeError } from '../errors'
import type { Tensor } from '../tensor'
import { SparseCooTensor, groupsOf, indexTensor, isSparse, linearIndex, rowsOf, unravel, unsupportedText } from './coo'
import { idx32, scatterRows } from './kernels'

const requireMatrix = (s: SparseCooTensor, which: string): void => {
  if (s._idx.size(0) !== 2 || s._vals.dim() !== 1)
    throw new RuntimeError(
      `sparse_sparse_matmul: ${which} expected 2 sparse and 0 dense dimensions, got ${s._idx.size(0)} sparse and ${s._vals.dim() - 1} dense dimensions`,
    )
}

/** sparse (n×m) @ sparse (m×p) → sparse (n×p), coalesced, differentiable in both operands' values. */
export const sparseSparseMm = (a: SparseCooTensor, b: SparseCooTensor): SparseCooTensor => {
  requireMatrix(a, 'mat1')
  requireMatrix(b, 'mat2')
  const [n, m] = a._size as [number, number]
  const p = b._size[1] as number
  if (b._size[0] !== m)
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${n}x${m} and ${b._size[0]}x${p})`)
  if (a.dtype !== b.dtype) throw new RuntimeError(`mat1 dtype ${a.dtype} does not match mat2 dtype ${b.dtype}`)
  const [ar, ac] = rowsOf(a._idx) as [number[], number[]]
  const [br, bc] = rowsOf(b._idx) as [number[], number[]]
  const pa: number[] = []
  const pb: number[] = []
  const lin: number[] = []
  ar.forEach((i, x) =>
    br.forEach((k, y) => {
      if (k !== ac[x]) return
      pa.push(x)
      pb.push(y)
      lin.push(i * p + (bc[y] as number))
    }),
  )
  const { unique, group } = groupsOf(lin)
  const vals = op('SparseSparseMatmulBackward0', [a._vals, b._vals], (va, vb) =>
    scatterRows(lax.mul(lax.gather(va, idx32(pa), 0), lax.gather(vb, idx32(pb), 0)), group, unique.length),
  )
  return new SparseCooTensor(indexTensor(unravel(unique, [n, p]), unique.length), vals, [n, p], true)
}

/** `dense.sparse_mask(mask)`: a sparse tensor of the dense entries at the (coalesced) mask's pattern. */
export const sparseMask = (self: Tensor, mask: unknown): SparseCooTensor => {
  if (!isSparse(mask)) throw new RuntimeError('sparse_mask(): expected mask to be a sparse COO tensor')
  if (isSparse(self)) throw new NotImplementedError(unsupportedText('sparse_mask (sparse self)'))
  if (self.dim() !== mask.dim() || mask._size.some((d, i) => d !== self.size(i)))
    throw new RuntimeError('sparse_mask(): operands have incompatible sizes')
  if (!mask._coalesced) throw new RuntimeError('sparse_mask: mask is uncoalesced')
  const sd = mask._idx.size(0)
  const sizes = mask._size.slice(0, sd)
  const blocks = sizes.reduce((x, y) => x * y, 1)
  const lin = linearIndex(rowsOf(mask._idx), sizes, mask._idx.size(1))
  const denseSizes = mask._size.slice(sd)
  const vals = op('SparseMaskBackward0', [self], (x) =>
    lax.gather(lax.reshape(x, [blocks, ...denseSizes]), idx32(lin), 0),
  )
  return new SparseCooTensor(mask._idx, vals, mask._size, true)
}

/** `torch.smm` / `torch.hspmm` / `torch.sspaddmm`: not supported (a typed error naming the op). */
export const refused =
  (name: string) =>
  (..._args: ReadonlyArray<unknown>): never => {
    throw new NotImplementedError(unsupportedText(name))
  }
