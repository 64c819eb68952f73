/**
 * The real Schur decomposition A = Q·T·Qᵀ (LAPACK gees without sorting), batched over leading
 * axes: Householder reduction to Hessenberg form, then Francis double-shift QR steps on the
 * active block with deflation (Golub & Van Loan, "Matrix Computations", 4th ed., Alg. 7.5.1 and
 * §7.5.5–7.5.7), transformations applied to the whole T and accumulated into Q. T is upper
 * quasi-triangular: 1×1 blocks for real eigenvalues and standardised 2×2 blocks for complex
 * pairs (equal diagonal entries, off-diagonal entries of opposite signs), as LAPACK's; a 2×2
 * block with real eigenvalues is split by one rotation. Non-convergence (or a non-finite input)
 * gives NaNs, as JAX's replacement of failed LAPACK calls.
 *
 * @category kernels
 * @since 0.7.0
 */
import type { NdArray } from '../../NdArray'
import { allocFloat, checkFloat, loadMatrix, squareBatch, wrap } from './common'

const EPS = 2 ** -52

/** Rows/columns helpers on a row-major n×n Float64Array. */
const get = (h: Float64Array, n: number, i: number, j: number): number => h[i * n + j] as number

/**
 * Applies the reflector I − 2·u·uᵀ/(uᵀu) on indices `idx` (u over them): from the left to rows
 * `idx` of h (columns c0…n−1), from the right to columns `idx` of h (rows 0…r1) and of q.
 */
const reflect = (
  h: Float64Array,
  q: Float64Array,
  n: number,
  idx: number[],
  u: number[],
  c0: number,
  r1: number,
): void => {
  const uu = u.reduce((s, v) => s + v * v, 0)
  if (uu === 0) return
  const f = 2 / uu
  for (let j = c0; j < n; j++) {
    let s = 0
    idx.forEach((r, t) => (s += (u[t] as number) * get(h, n, r, j)))
    idx.forEach((r, t) => (h[r * n + j] = get(h, n, r, j) - f * s * (u[t] as number)))
  }
  for (const m of [h, q]) {
    const rows = m === h ? r1 : n - 1
    for (let i = 0; i <= rows; i++) {
      let s = 0
      idx.forEach((c, t) => (s += (u[t] as number) * get(m, n, i, c)))
      idx.forEach((c, t) => (m[i * n + c] = get(m, n, i, c) - f * s * (u[t] as number)))
    }
  }
}

/** u = x + sign(x₀)·‖x‖·e₀: the reflector vector that maps x to a multiple of e₀. */
const reflectorOf = (x: number[]): number[] => {
  const norm = Math.hypot(...x)
  const u = [...x]
  u[0] = (u[0] as number) + ((x[0] as number) >= 0 ? 1 : -1) * norm
  return u
}

/** Reduces h to upper Hessenberg form in place, accumulating the reflections into q. */
const toHessenberg = (h: Float64Array, q: Float64Array, n: number): void => {
  for (let j = 0; j + 2 < n; j++) {
    const idx = Array.from({ length: n - j - 1 }, (_, t) => j + 1 + t)
    const x = idx.map((r) => get(h, n, r, j))
    if (x.slice(1).every((v) => v === 0)) continue
    reflect(h, q, n, idx, reflectorOf(x), 0, n - 1)
    for (const r of idx.slice(1)) h[r * n + j] = 0
  }
}

/** The rotation G = [[c, −s], [s, c]] on rows/columns i, i+1: T ← Gᵀ·T·G, Q ← Q·G. */
const rotate = (h: Float64Array, q: Float64Array, n: number, i: number, c: number, s: number): void => {
  for (let j = 0; j < n; j++) {
    const [x, y] = [get(h, n, i, j), get(h, n, i + 1, j)]
    h[i * n + j] = c * x + s * y
    h[(i + 1) * n + j] = -s * x + c * y
  }
  for (const m of [h, q])
    for (let r = 0; r < n; r++) {
      const [x, y] = [get(m, n, r, i), get(m, n, r, i + 1)]
      m[r * n + i] = c * x + s * y
      m[r * n + i + 1] = -s * x + c * y
    }
}

/**
 * Standardises the 2×2 diagonal block at i: real eigenvalues → upper triangular (the rotation
 * whose first column is an eigenvector); complex → equal diagonal entries (tan 2θ = (d − a)/(b + c)).
 */
const standardise = (h: Float64Array, q: Float64Array, n: number, i: number): void => {
  const [a, b, c, d] = [get(h, n, i, i), get(h, n, i, i + 1), get(h, n, i + 1, i), get(h, n, i + 1, i + 1)]
  if (c === 0) return
  const p = (a - d) / 2
  const disc = p * p + b * c
  if (disc >= 0) {
    // v = (λ − d, c) with λ − d = p + sign(p)·√disc (no cancellation): B·v = λ·v
    const x = p + (p >= 0 ? 1 : -1) * Math.sqrt(disc)
    const r = Math.hypot(x, c)
    rotate(h, q, n, i, x / r, c / r)
    h[(i + 1) * n + i] = 0
    return
  }
  if (a === d && Math.sign(b) !== Math.sign(c)) return
  const theta = Math.atan2(d - a, b + c) / 2
  rotate(h, q, n, i, Math.cos(theta), Math.sin(theta))
  const mean = (get(h, n, i, i) + get(h, n, i + 1, i + 1)) / 2
  h[i * n + i] = mean
  h[(i + 1) * n + i + 1] = mean
}

/** The first index l ≤ hi of the unreduced block ending at hi (subdiagonal entries below l+1 … hi are not negligible). */
const blockStart = (h: Float64Array, n: number, hi: number, norm: number): number => {
  let l = hi
  while (l > 0) {
    const s = Math.abs(get(h, n, l - 1, l - 1)) + Math.abs(get(h, n, l, l))
    if (Math.abs(get(h, n, l, l - 1)) <= EPS * (s === 0 ? norm : s)) {
      h[l * n + l - 1] = 0
      break
    }
    l--
  }
  return l
}

/** One Francis double-shift step on the block l…hi (hi − l ≥ 2); `exceptional` uses ad hoc shifts. */
const francisStep = (
  h: Float64Array,
  q: Float64Array,
  n: number,
  l: number,
  hi: number,
  exceptional: boolean,
): void => {
  let s = get(h, n, hi - 1, hi - 1) + get(h, n, hi, hi)
  let t = get(h, n, hi - 1, hi - 1) * get(h, n, hi, hi) - get(h, n, hi - 1, hi) * get(h, n, hi, hi - 1)
  if (exceptional) {
    const w = Math.abs(get(h, n, hi, hi - 1)) + Math.abs(get(h, n, hi - 1, hi - 2))
    s = 1.5 * w
    t = w * w
  }
  const [h00, h01, h10, h11, h21] = [
    get(h, n, l, l),
    get(h, n, l, l + 1),
    get(h, n, l + 1, l),
    get(h, n, l + 1, l + 1),
    get(h, n, l + 2, l + 1),
  ]
  let x = h00 * h00 + h01 * h10 - s * h00 + t
  let y = h10 * (h00 + h11 - s)
  let z = h10 * h21
  for (let k = l; k <= hi - 2; k++) {
    const idx = [k, k + 1, k + 2]
    reflect(h, q, n, idx, reflectorOf([x, y, z]), Math.max(l, k - 1), Math.min(k + 3, hi))
    if (k > l) {
      h[(k + 1) * n + k - 1] = 0
      h[(k + 2) * n + k - 1] = 0
    }
    x = get(h, n, k + 1, k)
    y = get(h, n, k + 2, k)
    if (k < hi - 2) z = get(h, n, k + 3, k)
  }
  reflect(h, q, n, [hi - 1, hi], reflectorOf([x, y]), hi - 2, hi)
  h[hi * n + hi - 2] = 0
}

/** T and Q for one n×n matrix in place (h: A on entry, T on exit); false on non-convergence. */
const schurOne = (h: Float64Array, q: Float64Array, n: number): boolean => {
  q.fill(0)
  for (let i = 0; i < n; i++) q[i * n + i] = 1
  if (!h.every(Number.isFinite)) return false
  toHessenberg(h, q, n)
  const norm = Math.max(1e-300, Math.sqrt(h.reduce((s, v) => s + v * v, 0)))
  let hi = n - 1
  let iter = 0
  let total = 0
  while (hi > 0) {
    const l = blockStart(h, n, hi, norm)
    if (l === hi) {
      hi -= 1
      iter = 0
    } else if (l === hi - 1) {
      standardise(h, q, n, hi - 1)
      hi -= 2
      iter = 0
    } else {
      iter++
      if (++total > 40 * n) return false
      francisStep(h, q, n, l, hi, iter % 11 === 10)
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j + 1 < i; j++) h[i * n + j] = 0
  return true
}

/** `[t, q]` (or `[t]` without `vectors`) for each matrix of `a` ([..., n, n]). */
export const schur = (a: NdArray, vectors: boolean): NdArray[] => {
  const dt = checkFloat('schur', a)
  const { batch, rows: n } = squareBatch('schur', a)
  const [tOut, qOut] = [allocFloat(dt, batch * n * n), allocFloat(dt, batch * n * n)]
  const h = new Float64Array(n * n)
  const q = new Float64Array(n * n)
  for (let b = 0; b < batch; b++) {
    loadMatrix(a, b, n * n, h)
    const ok = schurOne(h, q, n)
    if (!ok) {
      h.fill(NaN)
      q.fill(NaN)
    }
    tOut.set(h, b * n * n)
    qOut.set(q, b * n * n)
  }
  const t = wrap(a.shape, dt, tOut)
  return vectors ? [t, wrap(a.shape, dt, qOut)] : [t]
}
