/**
 * Sparse COO ops as single graph nodes named as PyTorch names them (`ToDenseBackward0`,
 * `SparseAddmmBackward0`, `CoalesceBackward0`, `AddBackward0`, `SparseSparseMatmulBackward0`,
 * `SparseMaskBackward0`, …): each is one facade op over the values (and any dense operand) whose
 * array function gathers and scatter-adds along the entry lists, so the recorded VJP gives the
 * dense gradients and the values' gradient at each entry.
 *
 * @category torch
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { array } from '../../ndarray/create'
import type { NdArray } from '../../ndarray/NdArray'
import { addAt } from '../methods/addAt'

/** An int32 index array (the gather/scatter primitives' index type). */
export const idx32 = (v: ReadonlyArray<number>): NdArray => array([...v], { dtype: 'int32' })

/** Zeros of a shape and dtype. */
const zerosOf = (shape: ReadonlyArray<number>, like: NdArray): NdArray =>
  lax.broadcastTo(lax.scalar(0, like.dtype), [...shape])

/** `rows` entries of `v` (nnz, …) scatter-added into `n` rows (the entries' positions `at`). */
export const scatterRows = (v: NdArray, at: ReadonlyArray<number>, n: number): NdArray =>
  addAt(zerosOf([n, ...v.shape.slice(1)], v), v, idx32(at), 0)

/** The (rows × p) product of entries (r, c, v) with a dense (m × p) matrix `d`: out[r] += v·d[c]. */
export const entryProduct = (
  v: NdArray,
  d: NdArray,
  rows: ReadonlyArray<number>,
  cols: ReadonlyArray<number>,
  n: number,
): NdArray => {
  const p = d.shape[1] as number
  const picked = lax.gather(d, idx32(cols), 0)
  const scaled = lax.mul(picked, lax.broadcastTo(lax.reshape(v, [cols.length, 1]), [cols.length, p]))
  return scatterRows(scaled, rows, n)
}
