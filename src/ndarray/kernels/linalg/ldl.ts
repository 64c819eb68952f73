/**
 * LDLᵀ factorisation of symmetric indefinite matrices with Bunch–Kaufman diagonal pivoting
 * (LAPACK sytf2, lower triangle) and the matching solve (LAPACK sytrs), batched over leading axes.
 *
 * A = P·L·D·Lᵀ·Pᵀ with L unit lower triangular and D block diagonal with 1×1 and 2×2 blocks
 * (Bunch & Kaufman, "Some stable methods for calculating inertia and solving symmetric linear
 * systems", Math. Comp. 31, 1977; the partial-pivoting variant with α = (1 + √17)/8). Only the
 * lower triangle of `a` is read. The packed result holds D's diagonal and subdiagonal and L's
 * multipliers below them; its strict upper triangle is zero. Pivots are LAPACK's 1-based int32
 * `ipiv`: k > 0 for a 1×1 block whose row was interchanged with row k, and −k on both rows of a
 * 2×2 block whose second row was interchanged with row k.
 *
 * @category kernels
 * @since 0.2.0
 */
import { ShapeError, fmtShape } from '../../errors'
import type { NdArray } from '../../NdArray'
import {
  allocFloat,
  checkSameFloat,
  checkFloat,
  checkSameBatch,
  loadMatrix,
  matrixBatch,
  squareBatch,
  wrap,
} from './common'

/** Bunch–Kaufman's growth-bounding constant α = (1 + √17)/8. */
const ALPHA = (1 + Math.sqrt(17)) / 8

/** The result of {@link ldlFactor}. */
export interface LdlResult {
  /** D and L packed in one [..., n, n] array (strict upper triangle zero). */
  readonly ld: NdArray
  /** int32 [..., n]: LAPACK's 1-based `ipiv`. */
  readonly pivots: NdArray
  /** int32, batch shape: 0, or 1 + the index of the first exactly-zero diagonal block (D singular). */
  readonly info: NdArray
}

// -------------------------------------------------------------------------------------
// factor
// -------------------------------------------------------------------------------------

/** P·L·D·Lᵀ·Pᵀ = A of each symmetric matrix of `a` ([..., n, n], float32 or float64). */
export const ldlFactor = (a: NdArray): LdlResult => {
  const op = 'ldl_factor'
  const dt = checkFloat(op, a)
  const { batchShape, batch, rows: n } = squareBatch(op, a)
  const len = n * n
  const out = allocFloat(dt, batch * len)
  const piv = new Int32Array(batch * n)
  const info = new Int32Array(batch)
  const w = new Float64Array(len)
  const p = new Int32Array(n)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, len, w)
    info[t] = ldlInPlace(w, n, p)
    for (let i = 0; i < n; i++) w.fill(0, i * n + i + 1, i * n + n)
    out.set(w, t * len)
    piv.set(p, t * n)
  }
  return {
    ld: wrap(a.shape, dt, out),
    pivots: wrap([...batchShape, n], 'int32', piv),
    info: wrap(batchShape, 'int32', info),
  }
}

/** Index and magnitude of the first largest |w[at(i)]| for i in [from, to) (BLAS i_amax). */
const amax = (w: Float64Array, from: number, to: number, at: (i: number) => number): [number, number] => {
  let best = from
  let big = -1
  for (let i = from; i < to; i++) {
    const v = Math.abs(w[at(i)] as number)
    if (v > big) [best, big] = [i, v]
  }
  return [best, Math.max(big, 0)]
}

/** Bunch–Kaufman's choice at column k: the row to bring forward and the block size. */
const choosePivot = (w: Float64Array, n: number, k: number): { kp: number; step: 1 | 2; zero: boolean } => {
  const absakk = Math.abs(w[k * n + k] as number)
  const [imax, colmax] = k < n - 1 ? amax(w, k + 1, n, (i) => i * n + k) : [k, 0]
  if (Math.max(absakk, colmax) === 0 || Number.isNaN(absakk)) return { kp: k, step: 1, zero: true }
  if (absakk >= ALPHA * colmax) return { kp: k, step: 1, zero: false }
  // the largest off-diagonal magnitude in row/column imax of the trailing matrix
  let rowmax = amax(w, k, imax, (j) => imax * n + j)[1]
  if (imax < n - 1) rowmax = Math.max(rowmax, amax(w, imax + 1, n, (i) => i * n + imax)[1])
  if (absakk >= ALPHA * colmax * (colmax / rowmax)) return { kp: k, step: 1, zero: false }
  if (Math.abs(w[imax * n + imax] as number) >= ALPHA * rowmax) return { kp: imax, step: 1, zero: false }
  return { kp: imax, step: 2, zero: false }
}

/** Swaps w[i] and w[j]. */
const swap = (w: Float64Array, i: number, j: number): void => {
  const t = w[i] as number
  w[i] = w[j] as number
  w[j] = t
}

/** Symmetric interchange of rows/columns kk and kp (kp > kk) of the trailing lower triangle from k. */
const interchange = (w: Float64Array, n: number, k: number, kk: number, kp: number, step: number): void => {
  for (let i = kp + 1; i < n; i++) swap(w, i * n + kk, i * n + kp)
  for (let j = kk + 1; j < kp; j++) swap(w, j * n + kk, kp * n + j)
  swap(w, kk * n + kk, kp * n + kp)
  if (step === 2) swap(w, (k + 1) * n + k, kp * n + k)
}

/** Eliminates a 1×1 pivot: A₂₂ −= x·xᵀ / d, x /= d. */
const eliminate1 = (w: Float64Array, n: number, k: number): void => {
  const r1 = 1 / (w[k * n + k] as number)
  for (let j = k + 1; j < n; j++) {
    const temp = -r1 * (w[j * n + k] as number)
    for (let i = j; i < n; i++) w[i * n + j] = (w[i * n + j] as number) + (w[i * n + k] as number) * temp
  }
  for (let i = k + 1; i < n; i++) w[i * n + k] = r1 * (w[i * n + k] as number)
}

/** Eliminates a 2×2 pivot in rows k, k+1: A₂₂ −= [x y]·D⁻¹·[x y]ᵀ, [x y] := [x y]·D⁻¹. */
const eliminate2 = (w: Float64Array, n: number, k: number): void => {
  const e = w[(k + 1) * n + k] as number
  const d11 = (w[(k + 1) * n + k + 1] as number) / e
  const d22 = (w[k * n + k] as number) / e
  const t = 1 / (d11 * d22 - 1)
  const d21 = t / e
  for (let j = k + 2; j < n; j++) {
    const xj = w[j * n + k] as number
    const yj = w[j * n + k + 1] as number
    const wk = d21 * (d11 * xj - yj)
    const wkp1 = d21 * (d22 * yj - xj)
    for (let i = j; i < n; i++)
      w[i * n + j] = (w[i * n + j] as number) - ((w[i * n + k] as number) * wk + (w[i * n + k + 1] as number) * wkp1)
    w[j * n + k] = wk
    w[j * n + k + 1] = wkp1
  }
}

/** Factors the row-major n×n `w` in place (lower triangle), writing `ipiv` into `piv`; returns info. */
export const ldlInPlace = (w: Float64Array, n: number, piv: Int32Array): number => {
  let info = 0
  let k = 0
  while (k < n) {
    const { kp, step, zero } = choosePivot(w, n, k)
    if (zero && info === 0) info = k + 1
    const kk = k + step - 1
    if (kp !== kk) interchange(w, n, k, kk, kp, step)
    if (step === 1) {
      if (!zero && k < n - 1) eliminate1(w, n, k)
      piv[k] = kp + 1
    } else {
      if (k < n - 2) eliminate2(w, n, k)
      piv[k] = -(kp + 1)
      piv[k + 1] = -(kp + 1)
    }
    k += step
  }
  return info
}

// -------------------------------------------------------------------------------------
// solve
// -------------------------------------------------------------------------------------

/** X with A·X = B for A given by {@link ldlFactor}'s `(ld, pivots)`; equal batch shapes (no broadcasting). */
export const ldlSolve = (ld: NdArray, pivots: NdArray, b: NdArray): NdArray => {
  const op = 'ldl_solve'
  const dt = checkSameFloat(op, ld, b)
  const lb = squareBatch(op, ld, 'ld')
  const bb = matrixBatch(op, b, 'b')
  checkSameBatch(op, ld, b, lb, bb)
  const n = lb.rows
  if (bb.rows !== n || pivots.size !== lb.batch * n)
    throw new ShapeError(
      `${op}: incompatible shapes ${fmtShape(ld.shape)}, ${fmtShape(pivots.shape)} and ${fmtShape(b.shape)}`,
    )
  const m = bb.cols
  const out = allocFloat(dt, lb.batch * n * m)
  const a = new Float64Array(n * n)
  const x = new Float64Array(n * m)
  const p = new Int32Array(n)
  const pd = pivots._data
  for (let t = 0; t < lb.batch; t++) {
    loadMatrix(ld, t, n * n, a)
    loadMatrix(b, t, n * m, x)
    for (let i = 0; i < n; i++) p[i] = Number(pd[t * n + i])
    forwardSolve(a, p, n, x, m)
    backwardSolve(a, p, n, x, m)
    out.set(x, t * n * m)
  }
  return wrap(b.shape, dt, out)
}

/** Swaps rows i and j of the n×m `x`. */
const swapRows = (x: Float64Array, m: number, i: number, j: number): void => {
  for (let c = 0; c < m; c++) swap(x, i * m + c, j * m + c)
}

/** x[r, :] −= coef · x[s, :]. */
const axpyRow = (x: Float64Array, m: number, r: number, s: number, coef: number): void => {
  for (let c = 0; c < m; c++) x[r * m + c] = (x[r * m + c] as number) - coef * (x[s * m + c] as number)
}

/** Solves P·L·D·Y = B in place (sytrs, first half). */
const forwardSolve = (a: Float64Array, p: Int32Array, n: number, x: Float64Array, m: number): void => {
  let k = 0
  while (k < n) {
    const pk = p[k] as number
    if (pk > 0) {
      if (pk - 1 !== k) swapRows(x, m, k, pk - 1)
      for (let i = k + 1; i < n; i++) axpyRow(x, m, i, k, a[i * n + k] as number)
      const d = a[k * n + k] as number
      for (let c = 0; c < m; c++) x[k * m + c] = (x[k * m + c] as number) / d
      k += 1
    } else {
      if (-pk - 1 !== k + 1) swapRows(x, m, k + 1, -pk - 1)
      for (let i = k + 2; i < n; i++) {
        axpyRow(x, m, i, k, a[i * n + k] as number)
        axpyRow(x, m, i, k + 1, a[i * n + k + 1] as number)
      }
      solveBlock2(a, n, k, x, m)
      k += 2
    }
  }
}

/** Applies the inverse of the 2×2 block of D in rows k, k+1 to those rows of x. */
const solveBlock2 = (a: Float64Array, n: number, k: number, x: Float64Array, m: number): void => {
  const e = a[(k + 1) * n + k] as number
  const akm1 = (a[k * n + k] as number) / e
  const ak = (a[(k + 1) * n + k + 1] as number) / e
  const denom = akm1 * ak - 1
  for (let c = 0; c < m; c++) {
    const bkm1 = (x[k * m + c] as number) / e
    const bk = (x[(k + 1) * m + c] as number) / e
    x[k * m + c] = (ak * bkm1 - bk) / denom
    x[(k + 1) * m + c] = (akm1 * bk - bkm1) / denom
  }
}

/** x[r, :] −= Σ_{i>from} a[i, col] · x[i, :]. */
const subtractBelow = (
  a: Float64Array,
  n: number,
  col: number,
  from: number,
  x: Float64Array,
  m: number,
  r: number,
): void => {
  for (let i = from; i < n; i++) axpyRow(x, m, r, i, a[i * n + col] as number)
}

/** Solves Lᵀ·Pᵀ·X = Y in place (sytrs, second half). */
const backwardSolve = (a: Float64Array, p: Int32Array, n: number, x: Float64Array, m: number): void => {
  let k = n - 1
  while (k >= 0) {
    const pk = p[k] as number
    if (pk > 0) {
      subtractBelow(a, n, k, k + 1, x, m, k)
      if (pk - 1 !== k) swapRows(x, m, k, pk - 1)
      k -= 1
    } else {
      subtractBelow(a, n, k, k + 1, x, m, k)
      subtractBelow(a, n, k - 1, k + 1, x, m, k - 1)
      if (-pk - 1 !== k) swapRows(x, m, k, -pk - 1)
      k -= 2
    }
  }
}
