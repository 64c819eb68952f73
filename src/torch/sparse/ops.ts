/**
 * Ops on sparse COO tensors, each written with dense differentiable ops on the values: `to_dense`
 * (index_add into zeros), the sparse × dense product (index_select of the dense rows, scaled by
 * the values, index_add into the output rows), `torch.sparse.addmm`/`sum`/`softmax`/`log_softmax`,
 * `t`/`transpose`, `mul` by a scalar and `add` of two sparse tensors.
 *
 * @category torch
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { op } from '../autograd/op'
import { Tensor } from '../tensor'
import { RuntimeError, NotImplementedError } from '../errors'
import { is_grad_enabled } from '../autograd/grad_mode'
import { SparseCooTensor, groupsOf, isSparse, linearIndex, rowsOf, unsupportedText, unravel, indexTensor } from './coo'
import { coalesce } from './construct'
import { entryProduct, idx32, scatterRows } from './kernels'
import { array } from '../../ndarray/create'
import { sparseSparseMm } from './product'
import type { TorchDType } from '../dtype'

/** The dense tensor of a sparse one (gradient to the values: the dense gradient at each entry). */
export const toDense = (s: SparseCooTensor): Tensor => {
  const sd = s._idx.size(0)
  const sparseSizes = s._size.slice(0, sd)
  const blocks = sparseSizes.reduce((a, b) => a * b, 1)
  const lin = linearIndex(rowsOf(s._idx), sparseSizes, s._idx.size(1))
  // one ToDenseBackward0 node giving a fresh tensor, as PyTorch's to_dense (not a reshape view)
  const size = [...s._size]
  return op('ToDenseBackward0', [s._vals], (v) => lax.reshape(scatterRows(v, lin, blocks), size))
}

/** PyTorch's ScalarType name of a dtype (`Float`, `Double`, …). */
const SCALAR_NAMES: Readonly<Record<string, string>> = {
  float32: 'Float',
  float64: 'Double',
  int64: 'Long',
  int32: 'Int',
  bool: 'Bool',
}
const scalarName = (dt: TorchDType): string => SCALAR_NAMES[dt.name] ?? dt.name

const STRIDED_SELF =
  "The backward pass for this operation requires the 'self' tensor to be strided, but a sparse tensor was given instead. Please either use a strided tensor or set requires_grad=False for 'self'"

/** Checks a sparse × dense product's operands (PyTorch's addmm texts). */
const checkMm = (s: SparseCooTensor, d: unknown): Tensor => {
  if (isSparse(d)) throw new NotImplementedError(unsupportedText('mm (sparse x sparse)'))
  if (!(d instanceof Tensor))
    throw new RuntimeError(`mm: expected a dense Tensor as the second operand, got ${typeof d}`)
  if (s._idx.size(0) !== 2 || s._vals.dim() !== 1)
    throw new RuntimeError(
      `addmm: matrices expected, got ${s._idx.size(0)} sparse and ${s._vals.dim() - 1} dense dimensions (need 2 sparse, 0 dense)`,
    )
  if (d.dim() !== 2) throw new RuntimeError(`addmm: 2D tensor expected, got ${d.dim()}D tensor`)
  if (d.size(0) !== s._size[1])
    throw new RuntimeError(`addmm: Argument #3 (dense): Expected dim 0 size ${s._size[1]}, got ${d.size(0)}`)
  if (d.dtype !== s.dtype)
    throw new RuntimeError(`expected scalar type ${scalarName(s.dtype)} but found ${scalarName(d.dtype)}`)
  return d
}

/** sparse (n×m) @ dense (m×p) → dense (n×p): out[r] += v·D[c] for each entry (r, c, v). */
export const sparseDenseMm = (s: SparseCooTensor, other: unknown): Tensor => {
  const d = checkMm(s, other)
  const [rows, cols] = rowsOf(s._idx) as [number[], number[]]
  const n = s._size[0] as number
  return op('SparseAddmmBackward0', [s._vals, d], (v, dd) => entryProduct(v, dd, rows, cols, n))
}

/** `torch.mm(sparse, dense)` (and spmm, matmul): as PyTorch, refuses a sparse operand that requires grad. */
export const denseLayoutMm = (s: SparseCooTensor, other: unknown): Tensor => {
  if (s.requires_grad && is_grad_enabled()) throw new RuntimeError(STRIDED_SELF)
  return sparseDenseMm(s, other)
}

/** `torch.sparse.addmm(mat, mat1, mat2, *, beta=1, alpha=1)`: beta·mat + alpha·(mat1 @ mat2), mat1 sparse. */
export const addmm = (
  mat: Tensor,
  mat1: Tensor,
  mat2: Tensor,
  kw: { readonly beta?: number; readonly alpha?: number } = {},
): Tensor => {
  if (!isSparse(mat1)) throw new RuntimeError('torch.sparse.addmm: mat1 must be a sparse COO tensor')
  const d = checkMm(mat1, mat2)
  const [rows, cols] = rowsOf(mat1._idx) as [number[], number[]]
  const shape = [mat1._size[0] as number, d.size(1)]
  if (!(mat instanceof Tensor) || isSparse(mat))
    throw new RuntimeError('torch.sparse.addmm: expected a dense Tensor as the first operand')
  if (!broadcastsTo(mat.shape, shape))
    throw new RuntimeError(
      `The expanded size of the tensor (${shape[1]}) must match the existing size (${mat.size(-1)}) at non-singleton dimension 1.  Target sizes: [${shape.join(', ')}].  Tensor sizes: [${[...mat.shape].join(', ')}]`,
    )
  const { beta = 1, alpha = 1 } = kw
  return op('SparseAddmmBackward0', [mat, mat1._vals, d], (m, v, dd) => {
    const prod = entryProduct(v, dd, rows, cols, shape[0] as number)
    const mb = lax.broadcastTo(lax.cast(m, prod.dtype), shape)
    return lax.add(beta === 1 ? mb : lax.mulScalar(mb, beta), alpha === 1 ? prod : lax.mulScalar(prod, alpha))
  })
}

/** `torch.sparse.mm(mat1, mat2)`: sparse @ dense (dense result) or sparse @ sparse (sparse result), differentiable in both. */
export const mm = (mat1: Tensor, mat2: Tensor): Tensor => {
  if (!isSparse(mat1)) return mat1.mm(mat2)
  return isSparse(mat2) ? sparseSparseMm(mat1, mat2) : sparseDenseMm(mat1, mat2)
}

/** Whether a dense shape broadcasts to `shape`. */
const broadcastsTo = (from: ReadonlyArray<number>, shape: ReadonlyArray<number>): boolean =>
  from.length <= shape.length && from.every((d, i) => d === 1 || d === shape[shape.length - from.length + i])

const normDim = (op: string, d: number, n: number): number => {
  const k = d < 0 ? d + n : d
  if (k < 0 || k >= n)
    throw new RuntimeError(`${op}: Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${d})`)
  return k
}

/** A sparse tensor on the given sparse dims only (the others summed away), coalesced. */
const keepSparse = (
  s: SparseCooTensor,
  keep: ReadonlyArray<number>,
  denseDims: ReadonlyArray<number>,
  denseSizes: ReadonlyArray<number>,
): SparseCooTensor => {
  const rows = rowsOf(s._idx)
  const kept = keep.map((d) => rows[d] as number[])
  const keptSizes = keep.map((d) => s._size[d] as number)
  const { unique, group } = groupsOf(linearIndex(kept, keptSizes, s._idx.size(1)))
  const summed = op('SparseSumBackward0', [s._vals], (v) => {
    const w = denseDims.length > 0 ? lax.reduceSum(v, denseDims) : v
    return scatterRows(w, group, unique.length)
  })
  const idx = indexTensor(unravel(unique, keptSizes), unique.length)
  return new SparseCooTensor(idx, summed, [...keptSizes, ...denseSizes], true)
}

/**
 * `torch.sparse.sum(input, dim=None, dtype=None)`: all elements (a 0-d dense tensor), or the given
 * dims (dense when every sparse dim is summed, else sparse).
 */
export const sum = (
  input: Tensor,
  dim?: number | ReadonlyArray<number> | null,
  kw: { readonly dtype?: TorchDType } = {},
): Tensor => {
  if (!isSparse(input)) throw new RuntimeError('torch.sparse.sum: input must be a sparse COO tensor')
  const s = kw.dtype === undefined ? input : castSparse(input, kw.dtype)
  if (dim === undefined || dim === null) return s._vals.sum()
  const n = s._size.length
  const dims = (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normDim('sparse.sum', d, n))
  const sd = s._idx.size(0)
  const denseDims = dims.filter((d) => d >= sd).map((d) => d - sd + 1)
  const keep = [...Array(sd).keys()].filter((d) => !dims.includes(d))
  const denseSizes = s._size.slice(sd).filter((_, i) => !dims.includes(i + sd))
  if (keep.length === 0) return (denseDims.length > 0 ? s._vals.sum(denseDims) : s._vals).sum(0)
  return keepSparse(s, keep, denseDims, denseSizes)
}

/** The sparse tensor with its values cast. */
export const castSparse = (s: SparseCooTensor, dtype: TorchDType): SparseCooTensor =>
  dtype === s.dtype ? s : new SparseCooTensor(s._idx, s._vals.to(dtype), s._size, s._coalesced)

/** Softmax of the specified entries along a sparse dim (unspecified entries count as −∞). */
const softmaxOf = (name: string, input: Tensor, dim: number, log: boolean, dtype?: TorchDType): SparseCooTensor => {
  if (!isSparse(input)) throw new RuntimeError(`torch.sparse.${name}: input must be a sparse COO tensor`)
  const s0 = dtype === undefined ? input : castSparse(input, dtype)
  // the coalesced pattern (no node of its own: the softmax node takes the values as given)
  const s = coalesce(s0.detach())
  const sd = s._idx.size(0)
  const merge = s0._coalesced
    ? null
    : groupsOf(linearIndex(rowsOf(s0._idx), s0._size.slice(0, sd), s0._idx.size(1))).group
  const d = normDim(name, dim, s._size.length)
  if (d >= sd || s._vals.dim() !== 1) throw new NotImplementedError(unsupportedText(`_sparse_${name} (dense dims)`))
  const rows = rowsOf(s._idx)
  const others = rows.filter((_, k) => k !== d)
  const nnz = s._idx.size(1)
  const { group, unique } = groupsOf(
    linearIndex(
      others,
      s._size.filter((_, k) => k !== d && k < sd),
      nnz,
    ),
  )
  const vd = s._vals.detach().tolist() as number[]
  const maxes = new Array<number>(unique.length).fill(-Infinity)
  group.forEach((gi, k) => (maxes[gi] = Math.max(maxes[gi] as number, vd[k] as number)))
  // one SparseSoftmaxBackward0 / SparseLogSoftmaxBackward0 node over the values
  const out = op(log ? 'SparseLogSoftmaxBackward0' : 'SparseSoftmaxBackward0', [s0._vals], (v0) => {
    const v = merge === null ? v0 : scatterRows(v0, merge, nnz)
    const g = idx32(group)
    const shifted = lax.sub(v, lax.gather(array(maxes, { dtype: v.dtype }), g, 0))
    const e = lax.exp(shifted)
    const denom = lax.gather(scatterRows(e, group, unique.length), g, 0)
    return log ? lax.sub(shifted, lax.log(denom)) : lax.div(e, denom)
  })
  return new SparseCooTensor(s._idx, out, s._size, true)
}

/** `torch.sparse.softmax(input, dim, dtype=None)`. */
export const softmax = (input: Tensor, dim: number, kw: { readonly dtype?: TorchDType } = {}): SparseCooTensor =>
  softmaxOf('softmax', input, dim, false, kw.dtype)
/** `torch.sparse.log_softmax(input, dim, dtype=None)`. */
export const log_softmax = (input: Tensor, dim: number, kw: { readonly dtype?: TorchDType } = {}): SparseCooTensor =>
  softmaxOf('log_softmax', input, dim, true, kw.dtype)

/** `transpose(d0, d1)` of a sparse tensor: two sparse dims swap index rows (uncoalesced result), two dense dims transpose the values. */
export const transpose = (s: SparseCooTensor, d0: number, d1: number, name = 'TransposeBackward0'): SparseCooTensor => {
  const n = s._size.length
  const a = normDim('transpose', d0, n)
  const b = normDim('transpose', d1, n)
  const sd = s._idx.size(0)
  const size = [...s._size]
  ;[size[a], size[b]] = [size[b] as number, size[a] as number]
  if (a === b) return s
  if (a < sd && b < sd) {
    const rows = rowsOf(s._idx)
    ;[rows[a], rows[b]] = [rows[b] as number[], rows[a] as number[]]
    const vals = op(name, [s._vals], (v) => lax.reshape(v, v.shape))
    return new SparseCooTensor(indexTensor(rows, s._idx.size(1)), vals, size, false)
  }
  if (a >= sd && b >= sd)
    return new SparseCooTensor(s._idx, s._vals.transpose(a - sd + 1, b - sd + 1), size, s._coalesced)
  throw new RuntimeError(
    `transpose(): can't transpose a sparse dimension (${Math.min(a, b)}) with a dense dimension (${Math.max(a, b)})`,
  )
}

/** `t()`: a matrix's transpose (at most 2 sparse and no dense dims). */
export const t = (s: SparseCooTensor): SparseCooTensor => {
  const sd = s._idx.size(0)
  const dd = s._vals.dim() - 1
  if (sd > 2 || dd > 0)
    throw new RuntimeError(
      `t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got ${sd} sparse and ${dd} dense dimensions`,
    )
  return s._size.length < 2 ? s : transpose(s, 0, 1, 'TBackward0')
}

/** `mul` by a Python number or a 0-d dense tensor. */
export const mulScalar = (s: SparseCooTensor, other: unknown): SparseCooTensor => {
  if (typeof other === 'number' || (other instanceof Tensor && !isSparse(other) && other.dim() === 0))
    return new SparseCooTensor(s._idx, s._vals.mul(other as number | Tensor), s._size, s._coalesced)
  throw new NotImplementedError(unsupportedText('mul (sparse by a non-scalar)'))
}

/** `add(other, alpha=1)` of two sparse tensors of one size (entries merged as {@link mergeWalk} does). */
export const addSparse = (
  s: SparseCooTensor,
  other: unknown,
  kw: { readonly alpha?: number } = {},
): SparseCooTensor => {
  if (!isSparse(other)) {
    if (other instanceof Tensor)
      throw new RuntimeError('add(sparse, dense) is not supported. Use add(dense, sparse) instead.')
    throw new NotImplementedError(unsupportedText('add (sparse and a scalar)'))
  }
  if (s._size.length !== other._size.length || s._size.some((d, i) => d !== other._size[i]))
    throw new RuntimeError(
      `add: expected 'self' and 'other' to have same size, but self has size [${s._size.join(', ')}] while other has size [${other._size.join(', ')}] (FYI: dense-sparse addition does not currently support broadcasting)`,
    )
  if (s._idx.size(0) !== other._idx.size(0))
    throw new RuntimeError('add: expected self and other to have the same number of sparse dimensions')
  const { alpha = 1 } = kw
  const { rows, posA, posB } = mergeWalk(s, other)
  const n = rows[0]?.length ?? 0
  const vals = op('AddBackward0', [s._vals, other._vals], (a, b) => {
    const bb = lax.cast(b, a.dtype)
    return lax.add(scatterRows(a, posA, n), scatterRows(alpha === 1 ? bb : lax.mulScalar(bb, alpha), posB, n))
  })
  return new SparseCooTensor(indexTensor(rows, n), vals, s._size, s._coalesced && other._coalesced)
}

/**
 * The entries of a sparse sum as PyTorch's CPU kernel orders them: one walk over both entry lists
 * taking the smaller index first and merging equal ones (coalesced operands give a coalesced sum;
 * others keep their order, their duplicates unmerged).
 */
const mergeWalk = (a: SparseCooTensor, b: SparseCooTensor): { rows: number[][]; posA: number[]; posB: number[] } => {
  const sd = a._idx.size(0)
  const sizes = a._size.slice(0, sd)
  const ra = rowsOf(a._idx)
  const rb = rowsOf(b._idx)
  const la = linearIndex(ra, sizes, a._idx.size(1))
  const lb = linearIndex(rb, sizes, b._idx.size(1))
  const lin: number[] = []
  const posA: number[] = []
  const posB: number[] = []
  let [i, j] = [0, 0]
  while (i < la.length || j < lb.length) {
    const x = i < la.length ? (la[i] as number) : Infinity
    const y = j < lb.length ? (lb[j] as number) : Infinity
    if (x <= y) posA.push(lin.length)
    if (y <= x) posB.push(lin.length)
    lin.push(Math.min(x, y))
    if (x <= y) i++
    if (y <= x) j++
  }
  return { rows: unravel(lin, sizes), posA, posB }
}
