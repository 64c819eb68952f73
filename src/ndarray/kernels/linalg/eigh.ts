/**
 * Symmetric eigendecomposition A = V·diag(w)·Vᵀ, batched over leading axes.
 *
 * Householder reduction to tridiagonal form with the transformations accumulated (EISPACK
 * tred2), then the implicit QL algorithm with Wilkinson-style shifts on the tridiagonal matrix
 * (EISPACK tql2), rotating the accumulated vectors. Both are backward stable: eigenvalues come
 * with an absolute error of a few ulps of ‖A‖, eigenvectors are orthonormal to working accuracy.
 * Reference: Wilkinson & Reinsch, Handbook for Automatic Computation II (1971), routines
 * tred2 and tql2.
 *
 * Conventions: eigenvalues ascending; eigenvector i is column i; each eigenvector's entry of
 * largest magnitude (the first on ties) is positive — LAPACK leaves signs unspecified, so compare
 * with other libraries up to sign.
 *
 * @category kernels
 * @since 0.2.0
 */
import { NdArray } from '../../NdArray'
import { allocFloat, checkFloat, loadMatrix, normalizeSign, squareBatch, transposeInto, wrap } from './common'
import { tridiagonalize } from './tridiagonal'

/** QL iterations allowed per eigenvalue before the matrix counts as not converged. */
const MAX_ITER = 60

/** The result of {@link eigh}. */
export interface EighResult {
  /** [..., n], ascending; NaN for a matrix holding NaN or ±∞ (or that did not converge). */
  readonly eigenvalues: NdArray
  /** [..., n, n], column i belongs to eigenvalue i. */
  readonly eigenvectors: NdArray
}

/**
 * Eigenvalues and eigenvectors of each symmetric matrix of `a` ([..., n, n]), reading only the
 * lower triangle (`lower`) or the upper one (NumPy's `UPLO`).
 */
export const eigh = (a: NdArray, lower: boolean): EighResult => {
  const op = 'eigh'
  const dt = checkFloat(op, a)
  const { batchShape, batch, rows: n } = squareBatch(op, a)
  const vals = allocFloat(dt, batch * n)
  const vecs = allocFloat(dt, batch * n * n)
  const v = new Float64Array(n * n)
  const vt = new Float64Array(n * n)
  const d = new Float64Array(n)
  const e = new Float64Array(n)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, n * n, v)
    symmetrizeFrom(v, n, lower)
    const ok = v.every(Number.isFinite) && symmetricEigenInPlace(v, vt, d, e, n)
    if (ok) {
      for (let j = 0; j < n; j++) normalizeSign(v, j, n, n)
    } else {
      d.fill(NaN)
      v.fill(NaN)
    }
    vals.set(d, t * n)
    vecs.set(v, t * n * n)
  }
  return { eigenvalues: wrap([...batchShape, n], dt, vals), eigenvectors: wrap(a.shape, dt, vecs) }
}

/**
 * Overwrites the symmetric row-major n×n `v` with its eigenvectors (columns) and `d` with the
 * eigenvalues, ascending; `vt` and `e` are scratch of n² and n. Returns false if QL did not
 * converge. Exported for the SVD and matrix functions.
 */
export const symmetricEigenInPlace = (
  v: Float64Array,
  vt: Float64Array,
  d: Float64Array,
  e: Float64Array,
  n: number,
): boolean => {
  if (n === 0) return true
  tridiagonalize(v, d, e, n)
  // QL rotates pairs of eigenvector columns: keep them as contiguous rows of vᵀ meanwhile.
  transposeInto(v, n, n, vt)
  const ok = tridiagonalQl(d, e, vt, n)
  sortAscending(d, vt, n)
  transposeInto(vt, n, n, v)
  return ok
}

/** Copies the chosen triangle of `v` onto the other one. */
const symmetrizeFrom = (v: Float64Array, n: number, lower: boolean): void => {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (lower) v[j * n + i] = v[i * n + j] as number
      else v[i * n + j] = v[j * n + i] as number
    }
  }
}

/**
 * Implicit QL with shifts on the symmetric tridiagonal matrix (diagonal d, sub-diagonal e[0..n−2]
 * after a shift down by one), applying each plane rotation to rows of `zt` (eigenvectors as rows).
 */
const tridiagonalQl = (d: Float64Array, e: Float64Array, zt: Float64Array, n: number): boolean => {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number
  e[n - 1] = 0
  let shift = 0
  let tst1 = 0
  const eps = Number.EPSILON
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number))
    // The first negligible sub-diagonal entry at or after l splits off the block [l, m].
    let m = l
    while (m < n - 1 && Math.abs(e[m] as number) > eps * tst1) m++
    let iter = 0
    while (m > l && Math.abs(e[l] as number) > eps * tst1) {
      if (++iter > MAX_ITER) return false
      shift += shiftBlock(d, e, l, n)
      qlSweep(d, e, zt, n, l, m)
    }
    d[l] = (d[l] as number) + shift
    e[l] = 0
  }
  return true
}

/** Moves the block's origin by the eigenvalue of its leading 2×2 nearer d[l]; returns the shift. */
const shiftBlock = (d: Float64Array, e: Float64Array, l: number, n: number): number => {
  const g = d[l] as number
  const el = e[l] as number
  const p = ((d[l + 1] as number) - g) / (2 * el)
  let r = Math.hypot(p, 1)
  if (p < 0) r = -r
  d[l] = el / (p + r)
  d[l + 1] = el * (p + r)
  const h = g - (d[l] as number)
  for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h
  return h
}

/** One implicit QL sweep over the block [l, m], chasing the bulge upwards with plane rotations. */
const qlSweep = (d: Float64Array, e: Float64Array, zt: Float64Array, n: number, l: number, m: number): void => {
  const dl1 = d[l + 1] as number
  const el1 = e[l + 1] as number
  let p = d[m] as number
  let c = 1
  let c2 = 1
  let c3 = 1
  let s = 0
  let s2 = 0
  for (let i = m - 1; i >= l; i--) {
    c3 = c2
    c2 = c
    s2 = s
    const ei = e[i] as number
    const g = c * ei
    const h = c * p
    const r = Math.hypot(p, ei)
    e[i + 1] = s * r
    s = ei / r
    c = p / r
    const di = d[i] as number
    p = c * di - s * g
    d[i + 1] = h + s * (c * g + s * di)
    rotateRows(zt, n, i, c, s)
  }
  p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1
  e[l] = s * p
  d[l] = c * p
}

/** (row i, row i+1) ← (c·row i − s·row i+1, s·row i + c·row i+1). */
const rotateRows = (zt: Float64Array, n: number, i: number, c: number, s: number): void => {
  const a = i * n
  const b = a + n
  for (let k = 0; k < n; k++) {
    const x = zt[a + k] as number
    const y = zt[b + k] as number
    zt[b + k] = s * x + c * y
    zt[a + k] = c * x - s * y
  }
}

/** Sorts eigenvalues ascending, carrying the rows of `zt` along (selection sort: n swaps at most). */
const sortAscending = (d: Float64Array, zt: Float64Array, n: number): void => {
  for (let i = 0; i < n - 1; i++) {
    let k = i
    for (let j = i + 1; j < n; j++) if ((d[j] as number) < (d[k] as number)) k = j
    if (k === i) continue
    const tmp = d[i] as number
    d[i] = d[k] as number
    d[k] = tmp
    const rowI = zt.slice(i * n, (i + 1) * n)
    zt.copyWithin(i * n, k * n, (k + 1) * n)
    zt.set(rowI, k * n)
  }
}
