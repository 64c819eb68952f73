/**
 * More shape functions with PyTorch's node names: `block_diag` (BlockDiagBackward0),
 * `cartesian_prod` and `combinations` (index selections stacked, StackBackward0, as PyTorch
 * composes them), `tril_indices` / `triu_indices`, and the placement helper of `diag_embed`.
 * Elements are moved by gathers with constant indices, so values (±∞, NaN included) pass exactly
 * and the gradient is the matching scatter-add.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { int64, type TorchDType } from '../dtype'
import { RuntimeError } from '../errors'
import { Tensor } from '../tensor'
import { resultType } from './convert'
import { stack } from './functions'
import { requireTensorArgs, requireTensorElements } from '../pyTypeName'

type T = Tensor

/**
 * Output element k = the flat input element `src[k]`, or 0 where `src[k]` is −1, reshaped to
 * `shape`: one gather from the input with a zero appended.
 */
export const place = (x: NdArray, src: ReadonlyArray<number>, shape: ReadonlyArray<number>): NdArray => {
  const flat = lax.concatenate([lax.reshape(x, [x.size]), lax.zerosLike({ shape: [1], dtype: x.dtype })], 0)
  const idx = new NdArray(
    [src.length],
    'int32',
    Int32Array.from(src, (s) => (s < 0 ? x.size : s)),
  )
  return lax.reshape(lax.gather(flat, idx, 0), shape)
}

/**
 * The block-diagonal matrix of the given tensors (0-d: 1×1, 1-D: one row), promoted to their
 * common dtype.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.block_diag(torch.tensor([[1, 2]]), torch.tensor(3))
 * assert.deepStrictEqual(m.tolist(), [[1, 2, 0], [0, 0, 3]])
 * @category torch @since 0.2.0
 */
export const block_diag = (...tensors: T[]): T => {
  requireTensorElements(tensors)
  tensors.forEach((t, i) => {
    if (t.dim() > 2)
      throw new RuntimeError(
        `torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.dim()} dimensions`,
      )
  })
  const dims = tensors.map((t) => (t.dim() === 2 ? [...t.shape] : t.dim() === 1 ? [1, t.shape[0] as number] : [1, 1]))
  const rows = dims.reduce((s, d) => s + (d[0] as number), 0)
  const cols = dims.reduce((s, d) => s + (d[1] as number), 0)
  if (tensors.length === 0) return Tensor._fromValue(lax.zerosLike({ shape: [1, 0], dtype: 'float32' }))
  const rt = resultType(tensors)
  const src = new Array<number>(rows * cols).fill(-1)
  let [r0, c0, base] = [0, 0, 0]
  for (const [r, c] of dims as [number, number][]) {
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) src[(r0 + i) * cols + c0 + j] = base + i * c + j
    ;[r0, c0, base] = [r0 + r, c0 + c, base + r * c]
  }
  return op(
    'BlockDiagBackward0',
    tensors,
    (...xs) =>
      place(
        lax.concatenate(
          xs.map((x) => lax.reshape(lax.cast(x, rt.storage), [x.size])),
          0,
        ),
        src,
        [rows, cols],
      ),
    {},
  )
}

const check1d = (t: T): void => {
  if (t.dim() !== 1) throw new RuntimeError(`Expect a 1D vector, but got shape [${[...t.shape].join(', ')}]`)
}

/** Selects `idx[k]` of each input and stacks the selections as columns (PyTorch's composition). */
const stackColumns = (tensors: ReadonlyArray<T>, idx: ReadonlyArray<ReadonlyArray<number>>): T =>
  stack(
    tensors.map((t, k) =>
      t.index_select(0, Tensor._fromValue(new NdArray([idx[k]!.length], 'int64', Float64Array.from(idx[k]!)))),
    ),
    1,
  )

/**
 * The Cartesian product of 1-D tensors: one row per combination, in row-major order (one tensor
 * is returned as it is).
 * @example
 * import * as torch from 'wengert/torch'
 * const p = torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4, 5]))
 * assert.deepStrictEqual((p.tolist() as number[][])[4], [2, 4])
 * @category torch @since 0.2.0
 */
export const cartesian_prod = (...tensors: T[]): T => {
  requireTensorElements(tensors)
  tensors.forEach(check1d)
  if (tensors.length === 1) return tensors[0] as T
  const sizes = tensors.map((t) => t.shape[0] as number)
  const total = sizes.reduce((a, b) => a * b, 1)
  const idx = sizes.map((_, k) => {
    const inner = sizes.slice(k + 1).reduce((a, b) => a * b, 1)
    return Array.from({ length: total }, (_, r) => Math.floor(r / inner) % (sizes[k] as number))
  })
  return stackColumns(
    tensors.map((t) => t),
    idx,
  )
}

/** The r-element index combinations of 0..n−1 in lexicographic order (with or without repeats). */
const indexCombinations = (n: number, r: number, repeat: boolean): number[][] => {
  const out: number[][] = []
  const cur: number[] = []
  const go = (start: number): void => {
    if (cur.length === r) {
      out.push([...cur])
      return
    }
    for (let i = start; i < n; i++) {
      cur.push(i)
      go(repeat ? i : i + 1)
      cur.pop()
    }
  }
  go(0)
  return out
}

/**
 * The length-r combinations of a 1-D tensor's elements (itertools.combinations, or
 * combinations_with_replacement), one per row.
 * @example
 * import * as torch from 'wengert/torch'
 * const c = torch.combinations(torch.tensor([1, 2, 3]))
 * assert.deepStrictEqual(c.tolist(), [[1, 2], [1, 3], [2, 3]])
 * @category torch @since 0.2.0
 */
export const combinations = (
  input: T,
  r: number | { readonly r?: number; readonly with_replacement?: boolean } = 2,
  kw: { readonly with_replacement?: boolean } = {},
): T => {
  requireTensorArgs('combinations', ['input'], [input])
  check1d(input)
  const rr = typeof r === 'number' ? r : (r.r ?? 2)
  const repeat = (typeof r === 'number' ? kw.with_replacement : r.with_replacement) ?? false
  if (rr < 0) throw new RuntimeError(`Expect a non-negative number, but got ${rr}`)
  if (rr === 0) return Tensor._fromValue(lax.zerosLike({ shape: [0], dtype: input.dtype.storage }))
  const combos = indexCombinations(input.shape[0] as number, rr, repeat)
  if (combos.length === 0) return Tensor._fromValue(lax.zerosLike({ shape: [0, rr], dtype: input.dtype.storage }))
  const cols = Array.from({ length: rr }, (_, k) => combos.map((c) => c[k] as number))
  return stackColumns(
    cols.map(() => input),
    cols,
  )
}

/** Keyword options of `tril_indices` / `triu_indices`. @category torch @since 0.2.0 */
export type TriKw = { readonly dtype?: TorchDType }

/** The [2, k] row and column indices of a triangle of a row×col matrix (`lower`: tril, else triu). */
const triIndices = (row: number, col: number, offset: number, lower: boolean, kw: TriKw): T => {
  if (row < 0) throw new RuntimeError(`row must be non-negative, got${row}`)
  if (col < 0) throw new RuntimeError(`col must be non-negative, got${col}`)
  const rs: number[] = []
  const cs: number[] = []
  for (let i = 0; i < row; i++)
    for (let j = 0; j < col; j++)
      if (lower ? j - i <= offset : j - i >= offset) {
        rs.push(i)
        cs.push(j)
      }
  const dt = kw.dtype ?? int64
  return Tensor._fromValue(
    lax.cast(new NdArray([2, rs.length], 'float64', Float64Array.from([...rs, ...cs])), dt.storage),
  )
}

/**
 * The indices of the lower triangle (j − i ≤ offset) of a row×col matrix, as a [2, k] int64
 * tensor, row-major.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.tril_indices(2, 2).tolist(), [[0, 1, 1], [0, 0, 1]])
 * @category torch @since 0.2.0
 */
export const tril_indices = (row: number, col: number, offset: number | TriKw = 0, kw: TriKw = {}): T =>
  typeof offset === 'number' ? triIndices(row, col, offset, true, kw) : triIndices(row, col, 0, true, offset)

/**
 * The indices of the upper triangle (j − i ≥ offset) of a row×col matrix, as a [2, k] int64 tensor.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.triu_indices(2, 3, 1).tolist(), [[0, 0, 1], [1, 2, 2]])
 * @category torch @since 0.2.0
 */
export const triu_indices = (row: number, col: number, offset: number | TriKw = 0, kw: TriKw = {}): T =>
  typeof offset === 'number' ? triIndices(row, col, offset, false, kw) : triIndices(row, col, 0, false, offset)
