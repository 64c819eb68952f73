/**
 * Cholesky factorisation A = L·Lᵀ (lower), batched over leading axes.
 *
 * Blocked right-looking algorithm (LAPACK's potrf structure): each NB-wide column panel is
 * factored by row-oriented inner products (Cholesky–Banachiewicz), then the trailing lower
 * triangle is updated with L21·L21ᵀ on the gemm kernel, one NB-row strip at a time so that
 * little of the upper triangle is computed. Only the lower triangle of the input is read.
 *
 * @category kernels
 * @since 0.2.0
 */
import { NdArray } from '../../NdArray'
import { gemm } from '../gemm'
import { releaseScratch, takeScratch } from '../../bufferPool'
import { allocFloatUninit, checkFloat, loadMatrix, squareBatch, wrap } from './common'

/** Panel width of the blocked factorisation (columns per step). */
const NB = 32

/** The result of {@link cholesky}. */
export interface CholeskyResult {
  /** L, lower triangular with zeros above the diagonal; all NaN for a matrix that failed (as JAX). */
  readonly factor: NdArray
  /**
   * int32, shape = the batch shape: 0 where the factorisation succeeded, otherwise the order k of
   * the first leading minor that is not positive definite (LAPACK's `info`), so the facade can
   * raise PyTorch's "the leading minor of order k is not positive-definite".
   */
  readonly info: NdArray
}

/**
 * Lower Cholesky factor of each matrix of `a` ([..., n, n], float32 or float64). A matrix that is
 * not positive definite (or holds NaN) gives an all-NaN factor and a non-zero `info`.
 */
export const cholesky = (a: NdArray): CholeskyResult => {
  const op = 'cholesky'
  const dt = checkFloat(op, a)
  const { batchShape, batch, rows: n } = squareBatch(op, a)
  const len = n * n
  // every matrix of `out` is written whole below
  const out = allocFloatUninit(dt, batch * len)
  const info = new Int32Array(batch)
  const w = takeScratch(len)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, len, w)
    const k = choleskyInPlace(w, n)
    info[t] = k
    if (k !== 0) w.fill(NaN)
    out.set(w, t * len)
  }
  releaseScratch(w)
  return { factor: wrap(a.shape, dt, out), info: wrap(batchShape, 'int32', info) }
}

/**
 * Overwrites the lower triangle of the row-major n×n `w` with its Cholesky factor and zeroes the
 * upper triangle. Returns 0, or the order of the first non-positive-definite leading minor (the
 * contents of `w` are then unspecified).
 */
export const choleskyInPlace = (w: Float64Array, n: number): number => {
  for (let k0 = 0; k0 < n; k0 += NB) {
    const kb = Math.min(NB, n - k0)
    const info = factorPanel(w, n, k0, kb)
    if (info !== 0) return info
    if (k0 + kb < n) updateTrailing(w, n, k0, kb)
  }
  for (let i = 0; i < n; i++) w.fill(0, i * n + i + 1, (i + 1) * n)
  return 0
}

/**
 * Factors columns k0..k0+kb of every row from k0 down, assuming earlier panels have been applied:
 * L[i,j] = (A[i,j] − Σ_{k0≤p<j} L[i,p]·L[j,p]) / L[j,j], and L[j,j] = √(A[j,j] − Σ L[j,p]²).
 */
const factorPanel = (w: Float64Array, n: number, k0: number, kb: number): number => {
  const kEnd = k0 + kb
  for (let i = k0; i < n; i++) {
    const ri = i * n
    const jEnd = i < kEnd ? i : kEnd - 1
    for (let j = k0; j <= jEnd; j++) {
      const rj = j * n
      let s = w[ri + j] as number
      for (let p = k0; p < j; p++) s -= (w[ri + p] as number) * (w[rj + p] as number)
      if (i === j) {
        // NOTE: `!(s > 0)` also rejects NaN, as LAPACK's potrf does.
        if (!(s > 0)) return i + 1
        w[ri + i] = Math.sqrt(s)
      } else {
        w[ri + j] = s / (w[rj + j] as number)
      }
    }
  }
  return 0
}

/** A22 −= L21·L21ᵀ on the lower triangle, by gemm over NB-row strips of the trailing matrix. */
const updateTrailing = (w: Float64Array, n: number, k0: number, kb: number): void => {
  const s0 = k0 + kb
  const r = n - s0
  // L21 (r×kb) copied contiguous, as gemm takes dense operands.
  const panel = takeScratch(r * kb)
  for (let i = 0; i < r; i++) {
    const src = (s0 + i) * n + k0
    panel.set(w.subarray(src, src + kb), i * kb)
  }
  const prod = takeScratch(Math.min(NB, r) * r)
  for (let i0 = 0; i0 < r; i0 += NB) {
    const mb = Math.min(NB, r - i0)
    const cols = i0 + mb
    // prod[mb×cols] = L21[i0:i0+mb] · L21[0:cols]ᵀ
    gemm(false, true, mb, cols, kb, panel, i0 * kb, panel, 0, prod, 0, 0)
    for (let i = 0; i < mb; i++) {
      const row = (s0 + i0 + i) * n + s0
      const pr = i * cols
      const jEnd = i0 + i
      for (let j = 0; j <= jEnd; j++) w[row + j] = (w[row + j] as number) - (prod[pr + j] as number)
    }
  }
  releaseScratch(prod)
  releaseScratch(panel)
}
