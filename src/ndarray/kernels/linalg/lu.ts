/**
 * LU factorisation with partial pivoting (LAPACK getrf), batched over leading axes; any m×n.
 *
 * Blocked right-looking algorithm: an NB-column panel is factored with row swaps applied to
 * whole rows, the block row right of it is solved with the panel's unit-lower triangle, and the
 * trailing matrix is updated with one gemm per panel.
 *
 * @category kernels
 * @since 0.2.0
 */
import { NdArray } from '../../NdArray'
import { gemm } from '../gemm'
import { allocFloat, checkFloat, loadMatrix, matrixBatch, wrap } from './common'

/** Panel width of the blocked factorisation. */
const NB = 32

/** The result of {@link lu}, as JAX's `lax.linalg.lu` plus LAPACK's `info`. */
export interface LuResult {
  /** L (unit lower, diagonal not stored) and U packed in one [..., m, n] array. */
  readonly lu: NdArray
  /** int32 [..., min(m, n)]: row i was swapped with row pivots[i] (0-based), in order. */
  readonly pivots: NdArray
  /** int32 [..., m]: the rows of a in the order of L·U, i.e. a[permutation] = L·U. */
  readonly permutation: NdArray
  /** int32, batch shape: 0, or 1 + the index of the first exactly-zero pivot (U singular). */
  readonly info: NdArray
}

/** P·A = L·U of each matrix of `a` ([..., m, n], float32 or float64). */
export const lu = (a: NdArray): LuResult => {
  const op = 'lu'
  const dt = checkFloat(op, a)
  const { batchShape, batch, rows: m, cols: n } = matrixBatch(op, a)
  const kmin = Math.min(m, n)
  const len = m * n
  const out = allocFloat(dt, batch * len)
  const piv = new Int32Array(batch * kmin)
  const perm = new Int32Array(batch * m)
  const info = new Int32Array(batch)
  const w = new Float64Array(len)
  const p = new Int32Array(kmin)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, len, w)
    info[t] = luInPlace(w, m, n, p)
    out.set(w, t * len)
    piv.set(p, t * kmin)
    perm.set(permutationOf(p, m), t * m)
  }
  return {
    lu: wrap(a.shape, dt, out),
    pivots: wrap([...batchShape, kmin], 'int32', piv),
    permutation: wrap([...batchShape, m], 'int32', perm),
    info: wrap(batchShape, 'int32', info),
  }
}

/** The row permutation that a sequence of pivots (row i swapped with pivots[i]) produces. */
export const permutationOf = (pivots: Int32Array, m: number): Int32Array => {
  const perm = new Int32Array(m)
  for (let i = 0; i < m; i++) perm[i] = i
  for (let i = 0; i < pivots.length; i++) {
    const j = pivots[i] as number
    const tmp = perm[i] as number
    perm[i] = perm[j] as number
    perm[j] = tmp
  }
  return perm
}

/**
 * Factors the row-major m×n `w` in place (packed L\U), writing the pivots into `piv`
 * (min(m, n) entries). Returns LAPACK's info: 0, or 1 + the first column whose pivot is zero.
 */
export const luInPlace = (w: Float64Array, m: number, n: number, piv: Int32Array): number => {
  const kmin = Math.min(m, n)
  let info = 0
  for (let k0 = 0; k0 < kmin; k0 += NB) {
    const kb = Math.min(NB, kmin - k0)
    const panelInfo = factorPanel(w, m, n, k0, kb, piv)
    if (info === 0 && panelInfo !== 0) info = panelInfo
    const c0 = k0 + kb
    if (c0 < n) {
      solveBlockRow(w, n, k0, kb)
      if (c0 < m) updateTrailing(w, m, n, k0, kb)
    }
  }
  return info
}

/** Unblocked factorisation of columns [k0, k0+kb), swapping whole rows. Returns the panel's info. */
const factorPanel = (w: Float64Array, m: number, n: number, k0: number, kb: number, piv: Int32Array): number => {
  let info = 0
  const cEnd = k0 + kb
  for (let k = k0; k < cEnd; k++) {
    // The first entry of largest magnitude in column k at or below the diagonal (BLAS idamax).
    let p = k
    let best = Math.abs(w[k * n + k] as number)
    for (let i = k + 1; i < m; i++) {
      const v = Math.abs(w[i * n + k] as number)
      if (v > best) {
        best = v
        p = i
      }
    }
    piv[k] = p
    if (p !== k) swapRows(w, n, k, p)
    const d = w[k * n + k] as number
    if (d === 0) {
      if (info === 0) info = k + 1
      continue
    }
    const rk = k * n
    for (let i = k + 1; i < m; i++) {
      const ri = i * n
      const l = (w[ri + k] as number) / d
      w[ri + k] = l
      if (l === 0) continue
      for (let j = k + 1; j < cEnd; j++) w[ri + j] = (w[ri + j] as number) - l * (w[rk + j] as number)
    }
  }
  return info
}

const swapRows = (w: Float64Array, n: number, r1: number, r2: number): void => {
  const a = r1 * n
  const b = r2 * n
  for (let j = 0; j < n; j++) {
    const tmp = w[a + j] as number
    w[a + j] = w[b + j] as number
    w[b + j] = tmp
  }
}

/** U12 = L11⁻¹·A12 for the block row right of the panel (unit lower forward substitution). */
const solveBlockRow = (w: Float64Array, n: number, k0: number, kb: number): void => {
  const c0 = k0 + kb
  for (let i = k0 + 1; i < c0; i++) {
    const ri = i * n
    for (let j = k0; j < i; j++) {
      const l = w[ri + j] as number
      if (l === 0) continue
      const rj = j * n
      for (let q = c0; q < n; q++) w[ri + q] = (w[ri + q] as number) - l * (w[rj + q] as number)
    }
  }
}

/** A22 −= L21·U12 with one gemm on contiguous copies of the two panels. */
const updateTrailing = (w: Float64Array, m: number, n: number, k0: number, kb: number): void => {
  const r0 = k0 + kb
  const rows = m - r0
  const cols = n - r0
  const l21 = new Float64Array(rows * kb)
  for (let i = 0; i < rows; i++) {
    const src = (r0 + i) * n + k0
    l21.set(w.subarray(src, src + kb), i * kb)
  }
  const u12 = new Float64Array(kb * cols)
  for (let i = 0; i < kb; i++) {
    const src = (k0 + i) * n + r0
    u12.set(w.subarray(src, src + cols), i * cols)
  }
  const prod = new Float64Array(rows * cols)
  gemm(false, false, rows, cols, kb, l21, 0, u12, 0, prod, 0, 0)
  for (let i = 0; i < rows; i++) {
    const ri = (r0 + i) * n + r0
    const pr = i * cols
    for (let j = 0; j < cols; j++) w[ri + j] = (w[ri + j] as number) - (prod[pr + j] as number)
  }
}
