/**
 * Sparse COO tensors (PyTorch's `torch.sparse_coo` layout): an int64 index tensor of shape
 * (sparse_dim, nnz) and a values tensor of shape (nnz, *dense sizes), plus the full size. The
 * values tensor carries autograd: every sparse op here is written with dense, differentiable
 * facade ops on the values (index_select, index_add, mul, exp), so gradients reach a dense
 * operand, the values a sparse tensor was built from, and a sparse leaf (whose `.grad` is a
 * sparse tensor on its coalesced pattern, as PyTorch's `sparse_mask` gradients are). A
 * `SparseCooTensor` is a `Tensor` (so `torch.mm(adj, x)` dispatches to it); every tensor
 * method without sparse support raises `NotImplementedError` naming the op (see ./refuse.ts).
 *
 * @category torch
 * @since 0.3.0
 */
import { zeros as zerosArr } from '../../ndarray/create'
import { Tensor, makeSize, type Size } from '../tensor'
import { fromStorage, int64, type TorchDType } from '../dtype'
import { IndexError, NotImplementedError, RuntimeError } from '../errors'
import { Layout } from '../methods/tensorMisc'
import { addSuffixes, pyTuple, tensorBody } from '../format'
import { get_default_dtype } from '../dtype'
import type { Node } from '../autograd/node'
import { tensor } from '../creation'

/** `torch.sparse_coo`, the layout of sparse COO tensors. @category torch @since 0.3.0 */
export const sparse_coo = new Layout('sparse_coo')

/** The text of the error an op without sparse support raises (PyTorch's dispatcher names the op and backend the same way). */
export const unsupportedText = (op: string): string =>
  `Could not run 'aten::${op}' with arguments from the 'SparseCPU' backend: '${op}' is not supported for sparse tensors in wengert (supported: to_dense, coalesce, indices, values, mm/matmul/spmm with a dense right operand, torch.sparse.mm (sparse or dense right operand)/addmm/sum/softmax/log_softmax, t/transpose, mul by a scalar, add of two sparse tensors, dense add/sub of a sparse tensor, dense.sparse_mask)`

/** Integer rows of a 2-D int64 tensor as JS numbers. */
const rowsOf = (idx: Tensor): number[][] => idx.tolist() as number[][]

/** Linear (row-major) positions of each entry over the sparse sizes. */
export const linearIndex = (
  rows: ReadonlyArray<ReadonlyArray<number>>,
  sizes: ReadonlyArray<number>,
  nnz: number,
): number[] => {
  const lin = new Array<number>(nnz).fill(0)
  rows.forEach((r, d) => {
    const n = sizes[d] as number
    for (let k = 0; k < nnz; k++) lin[k] = (lin[k] as number) * n + (r[k] as number)
  })
  return lin
}

/** An int64 tensor of shape (rows, nnz) from JS rows. */
export const indexTensor = (rows: ReadonlyArray<ReadonlyArray<number>>, nnz: number): Tensor =>
  rows.length === 0 || nnz === 0
    ? Tensor._fromValue(zerosArr([rows.length, nnz], { dtype: 'int64' }))
    : tensor(rows as number[][], { dtype: int64 })

/** A 1-D int64 tensor. */
export const longVector = (v: ReadonlyArray<number>): Tensor =>
  v.length === 0 ? Tensor._fromValue(zerosArr([0], { dtype: 'int64' })) : tensor(v as number[], { dtype: int64 })

/** The coalesced pattern of an entry list: sorted unique linear positions, each entry's group and each group's first entry. */
export const groupsOf = (lin: ReadonlyArray<number>): { unique: number[]; group: number[]; first: number[] } => {
  const order = lin.map((_, k) => k).sort((a, b) => (lin[a] as number) - (lin[b] as number) || a - b)
  const unique: number[] = []
  const first: number[] = []
  const group = new Array<number>(lin.length).fill(0)
  for (const k of order) {
    if (unique.length === 0 || unique[unique.length - 1] !== lin[k]) {
      unique.push(lin[k] as number)
      first.push(k)
    }
    group[k] = unique.length - 1
  }
  return { unique, group, first }
}

/** Rows of sparse indices from linear positions. */
export const unravel = (lin: ReadonlyArray<number>, sizes: ReadonlyArray<number>): number[][] => {
  const rows = sizes.map(() => new Array<number>(lin.length).fill(0))
  lin.forEach((l, k) => {
    let rest = l
    for (let d = sizes.length - 1; d >= 0; d--) {
      const n = sizes[d] as number
      ;(rows[d] as number[])[k] = rest % n
      rest = Math.floor(rest / n)
    }
  })
  return rows
}

/**
 * A sparse COO tensor. Build one with `torch.sparse_coo_tensor(indices, values, size)`,
 * `dense.to_sparse()` or the legacy `torch.sparse.FloatTensor(indices, values, size)`.
 * @category torch @since 0.3.0
 */
export class SparseCooTensor extends Tensor {
  /** @internal (sparse_dim, nnz) int64 indices. */ readonly _idx: Tensor
  /** @internal (nnz, *dense sizes) values: the autograd-carrying part. */ readonly _vals: Tensor
  /** @internal The full size. */ readonly _size: ReadonlyArray<number>
  /** @internal Whether the entries are known sorted and unique. */ readonly _coalesced: boolean

  /** @internal Use `torch.sparse_coo_tensor`. */
  constructor(idx: Tensor, vals: Tensor, size: ReadonlyArray<number>, coalesced: boolean) {
    super(zerosArr([0], { dtype: vals._value().dtype }))
    this._idx = idx
    this._vals = vals
    this._size = Object.freeze([...size])
    this._coalesced = coalesced
  }

  /** @internal A sparse tensor has no dense value: an op reading one has no sparse support. */
  override _value(): never {
    throw new NotImplementedError(unsupportedText('(dense read)'))
  }
  /** The full size. */
  override get shape(): Size {
    return makeSize(this._size)
  }
  /** `size()` or one dimension's size. */
  override size(): Size
  override size(dim: number): number
  override size(dim?: number): Size | number {
    if (dim === undefined) return makeSize(this._size)
    const n = this._size.length
    const d = dim < 0 ? dim + n : dim
    if (d < 0 || d >= n)
      throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`)
    return this._size[d] as number
  }
  override dim(): number {
    return this._size.length
  }
  override get ndim(): number {
    return this._size.length
  }
  override numel(): number {
    return this._size.reduce((a, b) => a * b, 1)
  }
  override get dtype(): TorchDType {
    return fromStorage(this._vals._value().dtype)
  }
  override get requires_grad(): boolean {
    return this._vals.requires_grad
  }
  override set requires_grad(v: boolean) {
    this._vals.requires_grad = v
  }
  override requires_grad_(requires_grad = true): this {
    this._vals.requires_grad_(requires_grad)
    return this
  }
  /** The node of the op that made the values (its name is that of the dense op on the values). */
  override get grad_fn(): Node | null {
    return this._vals.grad_fn
  }
  override get is_leaf(): boolean {
    return this._vals.is_leaf
  }
  /** A sparse leaf's gradient: a sparse tensor on its coalesced pattern (null before backward). */
  override get grad(): Tensor | null {
    const g = this._vals.grad
    if (g === null) return null
    if (this._coalesced) return new SparseCooTensor(this._idx, g, this._size, true)
    const sd = this._idx.size(0)
    const { unique, first } = groupsOf(linearIndex(rowsOf(this._idx), this._size.slice(0, sd), this._idx.size(1)))
    const idx = indexTensor(unravel(unique, this._size.slice(0, sd)), unique.length)
    return new SparseCooTensor(idx, g.index_select(0, longVector(first)), this._size, true)
  }
  override set grad(g: Tensor | null) {
    if (g !== null) throw new NotImplementedError(unsupportedText('grad assignment'))
    this._vals.grad = null
  }
  override detach(): SparseCooTensor {
    return new SparseCooTensor(this._idx, this._vals.detach(), this._size, this._coalesced)
  }
  /** PyTorch's repr: `tensor(indices=…, values=…, size=(2, 3), nnz=3, layout=torch.sparse_coo)`. */
  override toString(): string {
    // the first suffix (the size) always starts a new line, as PyTorch's sparse repr forces
    const head = `tensor(indices=${plainRepr(this._idx, 22)},\n       values=${plainRepr(this._vals, 21)}`
    const suffixes = [`nnz=${this._idx.size(1)}`]
    if (this.dtype !== get_default_dtype()) suffixes.push(`dtype=${this.dtype}`)
    suffixes.push('layout=torch.sparse_coo')
    const fn = this.grad_fn
    if (fn !== null) suffixes.push(`grad_fn=<${fn._name}>`)
    else if (this.requires_grad) suffixes.push('requires_grad=True')
    return addSuffixes(`${head},\n       size=${pyTuple(this._size)}`, suffixes, 'tensor('.length)
  }
}

/** A part's repr inside a sparse tensor's: data only (an empty part shows its size). */
const plainRepr = (t: Tensor, indent: number): string => {
  const v = t._value()
  return v.size === 0 ? `tensor([], size=${pyTuple(v.shape)})` : `tensor(${tensorBody(v, indent)})`
}

/** Whether `t` is a sparse COO tensor. */
export const isSparse = (t: unknown): t is SparseCooTensor => t instanceof SparseCooTensor

/** Requires a sparse operand (PyTorch's "expected sparse coordinate tensor layout" errors). */
export const requireSparse = (op: string, t: Tensor, what = 'sparse coordinate tensor layout'): SparseCooTensor => {
  if (!isSparse(t)) throw new RuntimeError(`${op} expected ${what} but got Strided`)
  return t
}

export { rowsOf, int64 }
