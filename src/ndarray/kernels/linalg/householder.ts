/**
 * LAPACK's packed Householder forms, batched over leading axes (float64 work, one rounding on
 * output, as every linalg kernel): the product of elementary reflectors (orgqr), the Hessenberg
 * reduction (gehrd), the symmetric tridiagonal reduction (sytrd, either triangle), the rank-1
 * Cholesky update by Givens rotations and the symmetric product α·A·Aᵀ + β·C (syrk).
 *
 * A reflector is H = I − τ·v·vᵀ with LAPACK's larfg convention: v has a unit entry at its pivot
 * (not stored), the rest of v is stored in the matrix, and H maps x to β·e_pivot with
 * β = −sign(α)·‖x‖ (τ = 0 and H = I when x is already a multiple of e_pivot).
 *
 * @category kernels
 * @since 0.7.0
 */
import type { NdArray } from '../../NdArray'
import { allocFloat, checkFloat, loadMatrix, matrixBatch, squareBatch, wrap } from './common'

/**
 * larfg on the entries x[idx[0]], x[idx[1]], … with the pivot α = x[idx[0]]: overwrites the pivot
 * with β and the others with v's entries, returns τ.
 */
const larfg = (x: Float64Array, idx: readonly number[]): number => {
  const p = idx[0] as number
  const alpha = x[p] as number
  let scale = 0
  for (let i = 1; i < idx.length; i++) scale = Math.max(scale, Math.abs(x[idx[i] as number] as number))
  if (scale === 0) return 0
  let ss = 0
  for (let i = 1; i < idx.length; i++) ss += ((x[idx[i] as number] as number) / scale) ** 2
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, scale * Math.sqrt(ss))
  const inv = 1 / (alpha - beta)
  for (let i = 1; i < idx.length; i++) x[idx[i] as number] = (x[idx[i] as number] as number) * inv
  x[p] = beta
  return (beta - alpha) / beta
}

/** The integers from … to−1. */
const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i)

/** c := H·c for the rows `rows` of the m×n matrix c (columns `cols`); v over `rows`, v[0] = 1. */
const applyLeft = (c: Float64Array, n: number, rows: number[], v: Float64Array, tau: number, cols: number[]): void => {
  for (const j of cols) {
    let s = 0
    for (let i = 0; i < rows.length; i++) s += (v[i] as number) * (c[(rows[i] as number) * n + j] as number)
    s *= tau
    for (let i = 0; i < rows.length; i++) {
      const at = (rows[i] as number) * n + j
      c[at] = (c[at] as number) - s * (v[i] as number)
    }
  }
}

/** c := c·H for the columns `cols` of c (rows `rows`); v over `cols`. */
const applyRight = (c: Float64Array, n: number, rows: number[], v: Float64Array, tau: number, cols: number[]): void => {
  for (const i of rows) {
    let s = 0
    for (let k = 0; k < cols.length; k++) s += (v[k] as number) * (c[i * n + (cols[k] as number)] as number)
    s *= tau
    for (let k = 0; k < cols.length; k++) {
      const at = i * n + (cols[k] as number)
      c[at] = (c[at] as number) - s * (v[k] as number)
    }
  }
}

/** The reflector vector stored at `idx` of `x` with its unit pivot (idx[0]). */
const vectorAt = (x: Float64Array, idx: readonly number[]): Float64Array =>
  Float64Array.from(idx, (k, i) => (i === 0 ? 1 : (x[k] as number)))

/**
 * Q = H₀·H₁·…·H_{k−1}, the first n columns (orgqr): reflector j has its pivot at row j and its
 * other entries below it in column j of `a` ([..., m, n], m ≥ n); `taus` is [..., k], k ≤ n.
 */
export const householderProduct = (a: NdArray, taus: NdArray): NdArray => {
  const dt = checkFloat('householder_product', a)
  const { batch, rows: m, cols: n } = matrixBatch('householder_product', a)
  const k = taus.shape[taus.ndim - 1] as number
  const out = allocFloat(dt, batch * m * n)
  const w = new Float64Array(m * n)
  const tw = new Float64Array(k)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, m * n, w)
    loadMatrix(taus, t, k, tw)
    const q = new Float64Array(m * n)
    for (let i = 0; i < n; i++) q[i * n + i] = 1
    for (let j = k - 1; j >= 0; j--) {
      const rows = range(j, m)
      const v = vectorAt(
        w,
        rows.map((r) => r * n + j),
      )
      applyLeft(q, n, rows, v, tw[j] as number, range(j, n))
    }
    out.set(q, t * m * n)
  }
  return wrap(a.shape, dt, out)
}

/**
 * gehrd: H = Qᵀ·A·Q upper Hessenberg, returned packed as `[a, taus]` — H on and above the first
 * subdiagonal, reflector j's vector below it in column j (pivot at row j + 1), `taus` [..., n − 1]
 * (the last τ is 0).
 */
export const hessenberg = (a: NdArray): readonly [NdArray, NdArray] => {
  const dt = checkFloat('hessenberg', a)
  const { batchShape, batch, rows: n } = squareBatch('hessenberg', a)
  const out = allocFloat(dt, batch * n * n)
  const tout = allocFloat(dt, batch * Math.max(n - 1, 0))
  const w = new Float64Array(n * n)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, n * n, w)
    for (let j = 0; j + 2 < n; j++) {
      const idx = range(j + 1, n).map((r) => r * n + j)
      const tau = larfg(w, idx)
      tout[t * (n - 1) + j] = tau
      if (tau === 0) continue
      const v = vectorAt(w, idx)
      const sub = range(j + 1, n)
      applyLeft(w, n, sub, v, tau, range(j + 1, n))
      applyRight(w, n, range(0, n), v, tau, sub)
    }
    out.set(w, t * n * n)
  }
  return [wrap(a.shape, dt, out), wrap([...batchShape, Math.max(n - 1, 0)], dt, tout)]
}

/** A := A − v·wᵀ − w·vᵀ on the symmetric block `idx` (both triangles), w = τ·A·v − ½τ²(vᵀAv)·v. */
const symmetricRank2 = (w: Float64Array, n: number, idx: readonly number[], v: Float64Array, tau: number): void => {
  const len = idx.length
  const x = new Float64Array(len)
  for (let i = 0; i < len; i++) {
    let s = 0
    for (let k = 0; k < len; k++) s += (w[(idx[i] as number) * n + (idx[k] as number)] as number) * (v[k] as number)
    x[i] = tau * s
  }
  let xv = 0
  for (let i = 0; i < len; i++) xv += (x[i] as number) * (v[i] as number)
  const alpha = -0.5 * tau * xv
  for (let i = 0; i < len; i++) x[i] = (x[i] as number) + alpha * (v[i] as number)
  for (let i = 0; i < len; i++)
    for (let k = 0; k < len; k++) {
      const at = (idx[i] as number) * n + (idx[k] as number)
      w[at] = (w[at] as number) - ((v[i] as number) * (x[k] as number) + (x[i] as number) * (v[k] as number))
    }
}

/**
 * sytrd: T = Qᵀ·A·Q tridiagonal for the symmetric A given by its `lower` (or upper) triangle,
 * returned as `[a, d, e, taus]`: `a` holds T's diagonal and off-diagonal in that triangle and the
 * reflectors beyond it (the other triangle is the input's, unread), `d` [..., n], `e` and
 * `taus` [..., n − 1].
 */
export const tridiagonal = (a: NdArray, lower: boolean): readonly [NdArray, NdArray, NdArray, NdArray] => {
  const dt = checkFloat('tridiagonal', a)
  const { batchShape, batch, rows: n } = squareBatch('tridiagonal', a)
  const k = Math.max(n - 1, 0)
  const [out, dOut, eOut, tOut] = [
    allocFloat(dt, batch * n * n),
    allocFloat(dt, batch * n),
    allocFloat(dt, batch * k),
    allocFloat(dt, batch * k),
  ]
  const w = new Float64Array(n * n)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, n * n, w)
    const orig = Float64Array.from(w)
    // the working copy is the full symmetric matrix of the triangle that is read
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++)
        if (lower) w[j * n + i] = w[i * n + j] as number
        else w[i * n + j] = w[j * n + i] as number
    for (let s = 0; s < k; s++) {
      // lower: column i = s, pivot row i+1; upper: column i+1 with i = n−2−s, pivot row i (the last)
      const i = lower ? s : n - 2 - s
      const idx = lower
        ? range(i + 1, n).map((r) => r * n + i)
        : [i * n + i + 1, ...range(0, i).map((r) => r * n + i + 1)]
      const tau = larfg(w, idx)
      const e = w[idx[0] as number] as number
      if (tau !== 0) symmetricRank2(w, n, lower ? range(i + 1, n) : [i, ...range(0, i)], vectorAt(w, idx), tau)
      eOut[t * k + i] = e
      tOut[t * k + i] = tau
      for (const p of idx) orig[p] = w[p] as number
      if (lower) {
        orig[i * n + i] = w[i * n + i] as number
      } else orig[(i + 1) * n + i + 1] = w[(i + 1) * n + i + 1] as number
    }
    if (n > 0) {
      const last = lower ? n - 1 : 0
      orig[last * n + last] = w[last * n + last] as number
    }
    for (let i = 0; i < n; i++) dOut[t * n + i] = orig[i * n + i] as number
    out.set(orig, t * n * n)
  }
  return [
    wrap(a.shape, dt, out),
    wrap([...batchShape, n], dt, dOut),
    wrap([...batchShape, k], dt, eOut),
    wrap([...batchShape, k], dt, tOut),
  ]
}

/**
 * The upper factor R' with R'ᵀ·R' = Rᵀ·R + w·wᵀ (n×n R, n-vector w), by n Givens rotations that
 * zero w against R's rows in turn (each rotation scaled by max(|x|, |y|) against overflow).
 */
export const choleskyUpdate = (r: NdArray, w: NdArray): NdArray => {
  const dt = checkFloat('cholesky_update', r)
  const { batch, rows: n } = squareBatch('cholesky_update', r)
  const out = allocFloat(dt, batch * n * n)
  const R = new Float64Array(n * n)
  const z = new Float64Array(n)
  for (let t = 0; t < batch; t++) {
    loadMatrix(r, t, n * n, R)
    loadMatrix(w, t, n, z)
    for (let k = 0; k < n; k++) rotateRow(R, z, n, k)
    out.set(R, t * n * n)
  }
  return wrap(r.shape, dt, out)
}

/** The Givens rotation of row k of R against z that zeroes z[k] (scaled against overflow). */
const rotateRow = (R: Float64Array, z: Float64Array, n: number, k: number): void => {
  const [x, y] = [R[k * n + k] as number, z[k] as number]
  if (y === 0) return
  const d = Math.max(Math.abs(x), Math.abs(y))
  const rh = 1 / Math.hypot(x / d, y / d)
  const [c, s] = [(x / d) * rh, -(y / d) * rh]
  for (let j = 0; j < n; j++) {
    const [rk, zj] = [R[k * n + j] as number, z[j] as number]
    R[k * n + j] = c * rk - s * zj
    z[j] = c * zj + s * rk
  }
}

/** α·A·Aᵀ + β·C for A [..., m, n] and C [..., m, m] (the whole matrix is written). */
export const symmetricProduct = (a: NdArray, c: NdArray, alpha: number, beta: number): NdArray => {
  const dt = checkFloat('symmetric_product', a)
  const { batch, rows: m, cols: n } = matrixBatch('symmetric_product', a)
  const out = allocFloat(dt, batch * m * m)
  const [ad, cd] = [a._data, c._data]
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let s = 0
        for (let p = 0; p < n; p++) s += (ad[t * m * n + i * n + p] as number) * (ad[t * m * n + j * n + p] as number)
        const cij = cd[t * m * m + i * m + j] as number
        out[t * m * m + i * m + j] = alpha * s + beta * cij
      }
  return wrap(c.shape, dt, out)
}
