/**
 * Linear systems through the LU factorisation: `luSolve` (LAPACK getrs), `solve` (gesv) and
 * `inv`, batched over leading axes.
 *
 * @category kernels
 * @since 0.2.0
 */
import { ShapeError, fmtShape } from '../../errors'
import { NdArray } from '../../NdArray'
import {
  allocFloat,
  checkSameBatch,
  checkSameFloat,
  identityInto,
  loadMatrix,
  matrixBatch,
  squareBatch,
  wrap,
  type MatrixBatch,
} from './common'
import { luInPlace, permutationOf } from './lu'
import { solveInPlace as triangularSolveInPlace } from './triangular'

/** A solution and LAPACK's info per matrix (0, or 1 + the first zero pivot: A is singular). */
export interface SolveResult {
  /** The solution; infinities or NaN where A is singular (as JAX; NumPy raises instead). */
  readonly x: NdArray
  /** int32, batch shape. */
  readonly info: NdArray
}

/**
 * X with op(A)·X = B from the packed LU of A and its row permutation (as `lu` returns them):
 * `lu` [..., n, n], `permutation` int32 [..., n], `b` [..., n, k]; op(A) = Aᵀ when `transpose`.
 */
export const luSolve = (luArr: NdArray, permutation: NdArray, b: NdArray, transpose: boolean): NdArray => {
  const op = 'lu_solve'
  const dt = checkSameFloat(op, luArr, b)
  const ab = squareBatch(op, luArr, 'lu')
  const bb = checkRhs(op, luArr, b, ab)
  const n = ab.rows
  if (permutation.dtype !== 'int32' || permutation.ndim !== luArr.ndim - 1 || permutation.size !== ab.batch * n) {
    throw new ShapeError(
      `${op}: expected permutation of dtype int32 and shape ${fmtShape([...ab.batchShape, n])}, got ${permutation.dtype} ${fmtShape(permutation.shape)}`,
    )
  }
  const k = bb.cols
  const out = allocFloat(dt, b.size)
  const w = new Float64Array(n * n)
  const x = new Float64Array(n * k)
  const perm = permutation._data
  for (let t = 0; t < ab.batch; t++) {
    loadMatrix(luArr, t, n * n, w)
    loadMatrix(b, t, n * k, x)
    applyLu(w, n, perm.subarray(t * n, (t + 1) * n) as Int32Array, x, k, transpose)
    out.set(x, t * n * k)
  }
  return wrap(b.shape, dt, out)
}

/** X with A·X = B for square A [..., n, n] and B [..., n, k], by LU with partial pivoting. */
export const solve = (a: NdArray, b: NdArray): SolveResult => {
  const op = 'solve'
  const dt = checkSameFloat(op, a, b)
  const ab = squareBatch(op, a)
  const bb = checkRhs(op, a, b, ab)
  return solveBatch(a, ab, dt, bb.cols, (t, x) => loadMatrix(b, t, ab.rows * bb.cols, x), b.shape)
}

/** The inverse of each square matrix of `a` ([..., n, n]), with LAPACK's info for singular ones. */
export const inv = (a: NdArray): SolveResult => {
  const op = 'inv'
  const dt = checkSameFloat(op, a, a)
  const ab = squareBatch(op, a)
  return solveBatch(a, ab, dt, ab.rows, (_t, x) => identityInto(x, ab.rows), a.shape)
}

/** Factors each matrix of `a` and solves against the right-hand side `fill` writes (n×k). */
const solveBatch = (
  a: NdArray,
  ab: MatrixBatch,
  dt: 'float32' | 'float64',
  k: number,
  fill: (t: number, x: Float64Array) => void,
  outShape: ReadonlyArray<number>,
): SolveResult => {
  const n = ab.rows
  const out = allocFloat(dt, ab.batch * n * k)
  const info = new Int32Array(ab.batch)
  const w = new Float64Array(n * n)
  const x = new Float64Array(n * k)
  for (let t = 0; t < ab.batch; t++) {
    loadMatrix(a, t, n * n, w)
    fill(t, x)
    info[t] = solveInPlace(w, n, x, k)
    out.set(x, t * n * k)
  }
  return { x: wrap(outShape, dt, out), info: wrap(ab.batchShape, 'int32', info) }
}

/**
 * Overwrites the n×n `w` with its packed LU and the n×k `x` with A⁻¹·x. Returns LAPACK's info
 * (non-zero: A is singular and `x` holds infinities or NaN).
 */
export const solveInPlace = (w: Float64Array, n: number, x: Float64Array, k: number): number => {
  const piv = new Int32Array(n)
  const info = luInPlace(w, n, n, piv)
  applyLu(w, n, permutationOf(piv, n), x, k, false)
  return info
}

/**
 * Overwrites the n×k `x` with op(A)⁻¹·x where A[perm] = L·U (packed in `w`):
 * A·x = b ⇒ x = U⁻¹·L⁻¹·b[perm];  Aᵀ·x = b ⇒ x[perm] = L⁻ᵀ·U⁻ᵀ·b.
 */
const applyLu = (w: Float64Array, n: number, perm: Int32Array, x: Float64Array, k: number, trans: boolean): void => {
  const tmp = new Float64Array(n * k)
  if (!trans) {
    for (let i = 0; i < n; i++) tmp.set(x.subarray((perm[i] as number) * k, ((perm[i] as number) + 1) * k), i * k)
    triangularSolveInPlace(w, n, 0, tmp, k, true, false, true)
    triangularSolveInPlace(w, n, 0, tmp, k, false, false, false)
    x.set(tmp)
  } else {
    triangularSolveInPlace(w, n, 0, x, k, false, true, false)
    triangularSolveInPlace(w, n, 0, x, k, true, true, true)
    tmp.set(x)
    for (let i = 0; i < n; i++) x.set(tmp.subarray(i * k, (i + 1) * k), (perm[i] as number) * k)
  }
}

/** Checks that `b` is [..., n, k] with the batch shape of `a`. */
const checkRhs = (op: string, a: NdArray, b: NdArray, ab: MatrixBatch): MatrixBatch => {
  const bb = matrixBatch(op, b, 'b')
  checkSameBatch(op, a, b, ab, bb)
  if (bb.rows !== ab.rows) {
    throw new ShapeError(
      `${op}: b must have ${ab.rows} rows to match a, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    )
  }
  return bb
}
