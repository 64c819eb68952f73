/**
 * Triangular solve with many right-hand sides (BLAS trsm), batched over leading axes.
 *
 * The four cases (lower/upper × transposed or not) reduce to one forward substitution: the
 * effective triangle of op(A) is lower when `lower` and `transposeA` differ, and an upper one
 * becomes lower by reading rows and columns in reverse. Long systems are blocked: before solving
 * an NB-row block by substitution, the contribution of every row already solved is subtracted
 * with one gemm (left-looking trsm).
 *
 * @category kernels
 * @since 0.2.0
 */
import { ShapeError, fmtShape } from '../../errors'
import { NdArray } from '../../NdArray'
import { releaseScratch, takeScratch } from '../../bufferPool'
import { gemm } from '../gemm'
import {
  allocFloatUninit,
  checkSameBatch,
  checkSameFloat,
  loadMatrix,
  matrixBatch,
  squareBatch,
  transposeInto,
  wrap,
} from './common'

/** Rows per block of the blocked substitution. */
const NB = 32
/** Below this many right-hand sides or rows the plain substitution is used. */
const BLOCKED_MIN_RHS = 4
const BLOCKED_MIN_ROWS = 2 * NB

/** Options of {@link triangularSolve}, as JAX's `lax.linalg.triangular_solve` (all explicit). */
export interface TriangularSolveParams {
  /** true: solve op(A)·X = B; false: X·op(A) = B (JAX's default is false). */
  readonly leftSide: boolean
  /** Read the lower triangle of A (true) or the upper one (false). */
  readonly lower: boolean
  /** op(A) = Aᵀ instead of A. */
  readonly transposeA: boolean
  /** Take the diagonal of A as ones (it is not read). */
  readonly unitDiagonal: boolean
}

/**
 * X with op(A)·X = B (left side; A [..., m, m], B [..., m, n]) or X·op(A) = B (right side;
 * B [..., n, m]). Batch axes must be equal (no broadcasting here). A zero on the diagonal gives
 * infinities or NaN, as BLAS does.
 */
export const triangularSolve = (a: NdArray, b: NdArray, params: TriangularSolveParams): NdArray => {
  const op = 'triangular_solve'
  const dt = checkSameFloat(op, a, b)
  const ab = squareBatch(op, a)
  const bb = matrixBatch(op, b, 'b')
  checkSameBatch(op, a, b, ab, bb)
  const m = ab.rows
  const sys = params.leftSide ? bb.rows : bb.cols
  if (sys !== m) {
    const side = params.leftSide ? 'rows' : 'columns'
    throw new ShapeError(
      `${op}: b must have ${m} ${side} to match a, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    )
  }
  const k = params.leftSide ? bb.cols : bb.rows
  // every matrix of `out` is written whole below
  const out = allocFloatUninit(dt, b.size)
  const ad = a._data
  // A float64 `a` is read in place; a float32 one is widened matrix by matrix (working storage,
  // like x and xt: given back to the buffer pool at the end, never the caller's `a`).
  const t = ad instanceof Float64Array ? ad : takeScratch(m * m)
  const x = takeScratch(m * k)
  const xt = params.leftSide ? x : takeScratch(m * k)
  // X·op(A) = B ⇔ op(A)ᵀ·Xᵀ = Bᵀ: solve the transposed system with the flag flipped.
  const tA = params.leftSide ? params.transposeA : !params.transposeA
  for (let s = 0; s < ab.batch; s++) {
    if (t !== ad) loadMatrix(a, s, m * m, t)
    loadMatrix(b, s, m * k, x)
    if (!params.leftSide) transposeInto(x, k, m, xt)
    solveInPlace(t, m, t === ad ? s * m * m : 0, xt, k, params.lower, tA, params.unitDiagonal)
    if (!params.leftSide) transposeInto(xt, m, k, x)
    out.set(x, s * m * k)
  }
  if (t !== ad) releaseScratch(t)
  if (xt !== x) releaseScratch(xt)
  releaseScratch(x)
  return wrap(b.shape, dt, out)
}

/**
 * Overwrites the row-major m×k `x` with op(T)⁻¹·x, T the row-major m×m triangle selected by
 * `lower` (op = transpose when `trans`). Exported for the LU and Cholesky solvers.
 */
export const solveInPlace = (
  t: Float64Array,
  m: number,
  tOff: number,
  x: Float64Array,
  k: number,
  lower: boolean,
  trans: boolean,
  unit: boolean,
): void => {
  // Element (i, j) of op(T) is t[i*rs + j*cs]; reversed: element (i, j) of the flipped lower
  // triangle is op(T)[m−1−i, m−1−j].
  const rev = lower === trans
  const rs0 = trans ? 1 : m
  const cs0 = trans ? m : 1
  const g: Geometry = rev
    ? { m, k, rev, base: tOff + (m - 1) * (rs0 + cs0), rs: -rs0, cs: -cs0 }
    : { m, k, rev, base: tOff, rs: rs0, cs: cs0 }
  if (k === 1) {
    substituteVector(t, x, g, unit)
  } else if (k >= BLOCKED_MIN_RHS && m >= BLOCKED_MIN_ROWS) {
    for (let i0 = 0; i0 < m; i0 += NB) {
      const ib = Math.min(NB, m - i0)
      if (i0 > 0) subtractSolved(t, x, g, i0, ib)
      substitute(t, x, g, i0, i0 + ib, i0, unit)
    }
  } else {
    substitute(t, x, g, 0, m, 0, unit)
  }
}

/** How the flipped-to-lower system addresses T and the rows of X. */
interface Geometry {
  readonly m: number
  readonly k: number
  /** Rows of X are visited in reverse (upper-triangular op(T)). */
  readonly rev: boolean
  readonly base: number
  readonly rs: number
  readonly cs: number
}

/** Memory row of X holding logical row i. */
const rowOf = (g: Geometry, i: number): number => (g.rev ? g.m - 1 - i : i)

/**
 * Forward substitution over logical rows [i0, i1), using the solved rows from `j0` on (earlier
 * ones have already been subtracted): X_i = (B_i − Σ_{j0≤j<i} L[i,j]·X_j) / L[i,i].
 */
const substitute = (
  t: Float64Array,
  x: Float64Array,
  g: Geometry,
  i0: number,
  i1: number,
  j0: number,
  unit: boolean,
): void => {
  const { k, base, rs, cs } = g
  for (let i = i0; i < i1; i++) {
    const xi = rowOf(g, i) * k
    const ti = base + i * rs
    for (let j = j0; j < i; j++) {
      const c = t[ti + j * cs] as number
      if (c === 0) continue
      const xj = rowOf(g, j) * k
      for (let q = 0; q < k; q++) x[xi + q] = (x[xi + q] as number) - c * (x[xj + q] as number)
    }
    if (!unit) {
      const d = t[ti + i * cs] as number
      for (let q = 0; q < k; q++) x[xi + q] = (x[xi + q] as number) / d
    }
  }
}

/**
 * One right-hand side: row-oriented (x_i = (b_i − L[i,:i]·x[:i]) / L[i,i]) when the rows of the
 * flipped triangle are contiguous, column-oriented (b[i+1:] −= x_i·L[i+1:, i]) when its columns
 * are, so the triangle is always read along memory.
 */
const substituteVector = (t: Float64Array, x: Float64Array, g: Geometry, unit: boolean): void => {
  const { m, base, rs, cs } = g
  const xs = g.rev ? -1 : 1
  const x0 = g.rev ? m - 1 : 0
  if (Math.abs(cs) === 1) {
    for (let i = 0; i < m; i++) {
      const ti = base + i * rs
      let s = x[x0 + i * xs] as number
      for (let j = 0; j < i; j++) s -= (t[ti + j * cs] as number) * (x[x0 + j * xs] as number)
      x[x0 + i * xs] = unit ? s : s / (t[ti + i * cs] as number)
    }
    return
  }
  for (let i = 0; i < m; i++) {
    const tc = base + i * cs
    const xi = unit ? (x[x0 + i * xs] as number) : (x[x0 + i * xs] as number) / (t[tc + i * rs] as number)
    x[x0 + i * xs] = xi
    if (xi === 0) continue
    for (let j = i + 1; j < m; j++) x[x0 + j * xs] = (x[x0 + j * xs] as number) - xi * (t[tc + j * rs] as number)
  }
}

/** X[i0:i0+ib] −= L[i0:i0+ib, 0:i0]·X[0:i0] in one gemm (logical rows). */
const subtractSolved = (t: Float64Array, x: Float64Array, g: Geometry, i0: number, ib: number): void => {
  const { m, k, rev, base, rs, cs } = g
  // The solved rows sit contiguously in memory: rows [0, i0) forward, [m−i0, m) reversed.
  // Column q of `lpanel` multiplies memory row lo + q.
  const lo = rev ? m - i0 : 0
  const lpanel = takeScratch(ib * i0)
  for (let ii = 0; ii < ib; ii++) {
    const ti = base + (i0 + ii) * rs
    for (let q = 0; q < i0; q++) {
      const j = rev ? i0 - 1 - q : q
      lpanel[ii * i0 + q] = t[ti + j * cs] as number
    }
  }
  const prod = takeScratch(ib * k)
  gemm(false, false, ib, k, i0, lpanel, 0, x, lo * k, prod, 0, 0)
  for (let ii = 0; ii < ib; ii++) {
    const xi = rowOf(g, i0 + ii) * k
    for (let q = 0; q < k; q++) x[xi + q] = (x[xi + q] as number) - (prod[ii * k + q] as number)
  }
  releaseScratch(prod)
  releaseScratch(lpanel)
}
