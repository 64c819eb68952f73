/**
 * QR factorisation by Householder reflections (LAPACK geqrf + orgqr), batched over leading
 * axes; any m×n.
 *
 * The kernel works on the transpose, so each column of A (and of Q) is a contiguous row and
 * every reflection is a pair of contiguous dot/axpy loops. Reflectors follow LAPACK's larfg
 * convention — H = I − τ·v·vᵀ with v₀ = 1 and R's diagonal entry β = −sign(α)·‖x‖ — so Q and R
 * agree with NumPy's and SciPy's (R's diagonal may be negative).
 *
 * @category kernels
 * @since 0.2.0
 */
import { NdArray } from '../../NdArray'
import { allocFloat, checkFloat, loadMatrix, matrixBatch, transposeInto, wrap } from './common'

/** `reduced`: Q [..., m, k], R [..., k, n] with k = min(m, n); `complete`: Q [..., m, m], R [..., m, n]; `r`: R only (reduced). */
export type QrMode = 'reduced' | 'complete' | 'r'

/** The result of {@link qr}. */
export interface QrResult {
  /** Orthonormal columns; absent in mode `r`. */
  readonly q?: NdArray
  /** Upper triangular (trapezoidal when m ≠ n). */
  readonly r: NdArray
}

/** A = Q·R for each matrix of `a` ([..., m, n], float32 or float64). */
export const qr = (a: NdArray, mode: QrMode): QrResult => {
  const op = 'qr'
  const dt = checkFloat(op, a)
  const { batchShape, batch, rows: m, cols: n } = matrixBatch(op, a)
  const k = Math.min(m, n)
  const qCols = mode === 'complete' ? m : k
  const rRows = mode === 'complete' ? m : k
  const rOut = allocFloat(dt, batch * rRows * n)
  const qOut = mode === 'r' ? undefined : allocFloat(dt, batch * m * qCols)
  const w = new Float64Array(m * n)
  const at = new Float64Array(n * m)
  const tau = new Float64Array(k)
  const qt = new Float64Array(qCols * m)
  const q = new Float64Array(m * qCols)
  for (let t = 0; t < batch; t++) {
    transposeInto(loadMatrix(a, t, m * n, w), m, n, at)
    householderInPlace(at, m, n, tau)
    const rOff = t * rRows * n
    for (let i = 0; i < k; i++) for (let c = i; c < n; c++) rOut[rOff + i * n + c] = at[c * m + i] as number
    if (qOut !== undefined) {
      formQ(at, m, k, tau, qt, qCols)
      transposeInto(qt, qCols, m, q)
      qOut.set(q, t * m * qCols)
    }
  }
  const r = wrap([...batchShape, rRows, n], dt, rOut)
  return qOut === undefined ? { r } : { q: wrap([...batchShape, m, qCols], dt, qOut), r }
}

/**
 * Householder QR of Aᵀ stored row-major as `at` (n rows of length m, row c = column c of A):
 * afterwards at[c][i] holds R[i][c] for i ≤ c, and at[j][j+1:] the reflector vectors below the
 * diagonal, with their τ in `tau`.
 */
export const householderInPlace = (at: Float64Array, m: number, n: number, tau: Float64Array): void => {
  const k = Math.min(m, n)
  for (let j = 0; j < k; j++) {
    const vj = j * m + j
    tau[j] = makeReflector(at, vj, m - j)
    const tj = tau[j] as number
    if (tj === 0) continue
    for (let c = j + 1; c < n; c++) applyReflector(at, vj, at, c * m + j, m - j, tj)
  }
}

/**
 * LAPACK larfg on x = at[off : off+len]: overwrites x₀ with β and x₁… with v₁… (v₀ = 1 is
 * implicit) and returns τ, so that (I − τ·v·vᵀ)·x = β·e₀. τ = 0 when x₁… is already zero.
 */
const makeReflector = (x: Float64Array, off: number, len: number): number => {
  const alpha = x[off] as number
  let scale = 0
  for (let i = 1; i < len; i++) scale = Math.max(scale, Math.abs(x[off + i] as number))
  if (scale === 0) return 0
  // NOTE: the norm is taken of the scaled vector so it neither overflows nor underflows.
  let ss = 0
  for (let i = 1; i < len; i++) {
    const v = (x[off + i] as number) / scale
    ss += v * v
  }
  const xnorm = scale * Math.sqrt(ss)
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm)
  const inv = 1 / (alpha - beta)
  for (let i = 1; i < len; i++) x[off + i] = (x[off + i] as number) * inv
  x[off] = beta
  return (beta - alpha) / beta
}

/**
 * Qᵀ (qCols rows of length m) = the first qCols columns of H₀·H₁·…·H_{k−1}, accumulated
 * backwards from the identity; column c < j is untouched by H_j, so it is skipped.
 */
const formQ = (at: Float64Array, m: number, k: number, tau: Float64Array, qt: Float64Array, qCols: number): void => {
  qt.fill(0)
  for (let c = 0; c < qCols; c++) qt[c * m + c] = 1
  for (let j = k - 1; j >= 0; j--) {
    const tj = tau[j] as number
    if (tj === 0) continue
    for (let c = j; c < qCols; c++) applyReflector(at, j * m + j, qt, c * m + j, m - j, tj)
  }
}

/** x[y : y+len] −= τ·(vᵀx)·v for the reflector v stored in `h` at vOff (v₀ = 1 implicit). */
const applyReflector = (h: Float64Array, vOff: number, x: Float64Array, y: number, len: number, tau: number): void => {
  let s = x[y] as number
  for (let i = 1; i < len; i++) s += (h[vOff + i] as number) * (x[y + i] as number)
  if (s === 0) return
  s *= tau
  x[y] = (x[y] as number) - s
  for (let i = 1; i < len; i++) x[y + i] = (x[y + i] as number) - s * (h[vOff + i] as number)
}
