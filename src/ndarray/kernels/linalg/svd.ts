/**
 * Singular value decomposition A = U·diag(s)·Vᴴ by one-sided Jacobi (Hestenes 1958; Demmel &
 * Veselić, "Jacobi's method is more accurate than QR", SIAM J. Matrix Anal. Appl. 13 (1992)),
 * batched over leading axes.
 *
 * Plane rotations orthogonalise the columns of the tall orientation of A (Aᵀ when m < n) until
 * every pair is orthogonal to working accuracy relative to the pair's norms; the column norms
 * are the singular values, which come out with high relative accuracy. Columns are held as
 * contiguous rows throughout.
 *
 * Conventions: singular values descending; each right singular vector (row of vh) has its entry
 * of largest magnitude positive (the first on ties), its left partner flipped with it; left
 * vectors for zero singular values and the extra columns of a full U (or rows of a full Vᴴ) are
 * completed to an orthonormal basis from the standard basis and sign-normalised the same way.
 * LAPACK leaves signs unspecified, so compare with other libraries up to sign.
 *
 * @category kernels
 * @since 0.2.0
 */
import { NdArray } from '../../NdArray'
import {
  allocFloat,
  checkFloat,
  identityInto,
  loadMatrix,
  matrixBatch,
  normalizeSign,
  transposeInto,
  wrap,
} from './common'
import { completeRows, sortRowsDescending } from './svdUtils'

/** Jacobi sweeps allowed before giving up (NaN result); convergence is quadratic in practice. */
const MAX_SWEEPS = 80

/** The result of {@link svd}. */
export interface SvdResult {
  /** [..., min(m, n)], descending. */
  readonly s: NdArray
  /** [..., m, m] (full) or [..., m, k]; absent without `computeUv`. */
  readonly u?: NdArray
  /** [..., n, n] (full) or [..., k, n]; absent without `computeUv`. */
  readonly vh?: NdArray
}

/** Options of {@link svd}, as NumPy's / JAX's. */
export interface SvdParams {
  readonly fullMatrices: boolean
  readonly computeUv: boolean
}

/** Singular values (and vectors) of each matrix of `a` ([..., m, n], float32 or float64). */
export const svd = (a: NdArray, params: SvdParams): SvdResult => {
  const op = 'svd'
  const dt = checkFloat(op, a)
  const { batchShape, batch, rows: m, cols: n } = matrixBatch(op, a)
  const k = Math.min(m, n)
  const wide = m < n
  const p = wide ? n : m // length of the vectors being orthogonalised
  const uCols = params.fullMatrices ? m : k
  const vRows = params.fullMatrices ? n : k
  const sOut = allocFloat(dt, batch * k)
  const uOut = params.computeUv ? allocFloat(dt, batch * m * uCols) : undefined
  const vOut = params.computeUv ? allocFloat(dt, batch * vRows * n) : undefined
  const w = new Float64Array(m * n)
  const cols = new Float64Array(p * p) // k columns of the tall matrix as rows, room to complete to p
  const rot = new Float64Array(k * k)
  const s = new Float64Array(k)
  const uBuf = new Float64Array(m * m)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, m * n, w)
    if (wide) cols.set(w.subarray(0, m * n))
    else transposeInto(w, m, n, cols)
    const ok = w.every(Number.isFinite) && jacobiInPlace(cols, p, k, params.computeUv ? rot : undefined, s)
    if (ok) {
      sortRowsDescending(s, cols, p, params.computeUv ? rot : undefined, k)
    } else {
      s.fill(NaN)
      cols.fill(NaN)
      rot.fill(NaN)
    }
    sOut.set(s, t * k)
    if (uOut === undefined || vOut === undefined) continue
    if (ok) finishVectors(cols, p, rot, s, k, params.fullMatrices, wide)
    // Tall: U's columns are `cols` rows, Vᴴ = rot. Wide: U = rotᵀ, Vᴴ's rows are `cols` rows.
    if (wide) {
      transposeInto(rot, k, k, uBuf)
      uOut.set(uBuf.subarray(0, m * m), t * m * m)
      vOut.set(cols.subarray(0, vRows * n), t * vRows * n)
    } else {
      transposeInto(cols.subarray(0, uCols * m), uCols, m, uBuf)
      uOut.set(uBuf.subarray(0, m * uCols), t * m * uCols)
      vOut.set(rot, t * n * n)
    }
  }
  const sArr = wrap([...batchShape, k], dt, sOut)
  if (uOut === undefined || vOut === undefined) return { s: sArr }
  return { s: sArr, u: wrap([...batchShape, m, uCols], dt, uOut), vh: wrap([...batchShape, vRows, n], dt, vOut) }
}

/**
 * One-sided Jacobi on the `k` rows (length p) of `x`: rotates pairs of rows until they are
 * mutually orthogonal, applying the same rotations to the rows of `rot` (k×k, from the identity)
 * when given. Writes the row norms into `s`. Returns false if it did not converge.
 */
const jacobiInPlace = (
  x: Float64Array,
  p: number,
  k: number,
  rot: Float64Array | undefined,
  s: Float64Array,
): boolean => {
  if (rot !== undefined) identityInto(rot, k)
  const norms = s // squared norms during the sweeps
  const tol = Math.max(p, 1) * Number.EPSILON
  let converged = false
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    for (let i = 0; i < k; i++) norms[i] = dot(x, i * p, i * p, p)
    converged = true
    for (let i = 0; i < k - 1; i++) {
      for (let j = i + 1; j < k; j++) {
        const alpha = norms[i] as number
        const beta = norms[j] as number
        const gamma = dot(x, i * p, j * p, p)
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue
        converged = false
        // The rotation that zeroes the (i, j) entry of the 2×2 Gram matrix [α γ; γ β].
        const zeta = (beta - alpha) / (2 * gamma)
        const tn = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta))
        const c = 1 / Math.sqrt(1 + tn * tn)
        const sn = c * tn
        rotate(x, i * p, j * p, p, c, sn)
        if (rot !== undefined) rotate(rot, i * k, j * k, k, c, sn)
        norms[i] = alpha - tn * gamma
        norms[j] = beta + tn * gamma
      }
    }
  }
  for (let i = 0; i < k; i++) s[i] = Math.sqrt(dot(x, i * p, i * p, p))
  return converged
}

/**
 * With the singular values sorted, normalises the left vectors of the tall problem (rows of
 * `cols`) and completes them to `full ? p : k` orthonormal rows, then fixes signs so that each
 * right singular vector of A — a row of `rot` (tall) or of `cols` (wide) — has its largest entry
 * positive, flipping its partner with it.
 */
const finishVectors = (
  cols: Float64Array,
  p: number,
  rot: Float64Array,
  s: Float64Array,
  k: number,
  full: boolean,
  wide: boolean,
): void => {
  let valid = 0
  for (let i = 0; i < k; i++) {
    const si = s[i] as number
    if (si === 0) break
    for (let q = 0; q < p; q++) cols[i * p + q] = (cols[i * p + q] as number) / si
    valid++
  }
  const rows = full ? p : k
  completeRows(cols, p, valid, rows)
  for (let i = 0; i < k; i++) {
    const flipped = wide ? normalizeSign(cols, i * p, 1, p) : normalizeSign(rot, i * k, 1, k)
    if (!flipped) continue
    if (wide) for (let q = 0; q < k; q++) rot[i * k + q] = -(rot[i * k + q] as number)
    else for (let q = 0; q < p; q++) cols[i * p + q] = -(cols[i * p + q] as number)
  }
  for (let i = k; i < rows; i++) normalizeSign(cols, i * p, 1, p)
}

/** Σ x[a+i]·x[b+i] for i < len. */
const dot = (x: Float64Array, a: number, b: number, len: number): number => {
  let acc = 0
  for (let i = 0; i < len; i++) acc += (x[a + i] as number) * (x[b + i] as number)
  return acc
}

/** (row a, row b) ← (c·a − s·b, s·a + c·b). */
const rotate = (x: Float64Array, a: number, b: number, len: number, c: number, s: number): void => {
  for (let i = 0; i < len; i++) {
    const u = x[a + i] as number
    const v = x[b + i] as number
    x[a + i] = c * u - s * v
    x[b + i] = s * u + c * v
  }
}
