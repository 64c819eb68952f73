/**
 * Matrix exponential by scaling and squaring with Padé approximants (Higham, "The scaling and
 * squaring method for the matrix exponential revisited", SIAM J. Matrix Anal. Appl. 26 (2005),
 * Algorithm 2.3), batched over leading axes.
 *
 * The degree m ∈ {3, 5, 7, 9, 13} is the lowest whose θ_m bounds ‖A‖₁ (backward error below the
 * float64 unit roundoff); above θ₁₃, A is scaled by 2⁻ˢ, the [13/13] approximant taken and the
 * result squared s times. Products run on the gemm kernel; r = (V − U)⁻¹·(V + U) by LU.
 *
 * @category kernels
 * @since 0.2.0
 */
import { NdArray } from '../../NdArray'
import { gemm } from '../gemm'
import { allocFloat, checkFloat, loadMatrix, squareBatch, wrap } from './common'
import { solveInPlace } from './solve'

/** Degrees of the Padé approximants and their θ_m for float64 (Higham 2005, Table 2.3). */
export const DEGREES: ReadonlyArray<readonly [degree: number, theta: number]> = [
  [3, 1.495585217958292e-2],
  [5, 2.53939833006323e-1],
  [7, 9.504178996162932e-1],
  [9, 2.097847961257068],
  [13, 5.371920351148152],
]

/** e^A of each square matrix of `a` ([..., n, n], float32 or float64). Non-finite input gives NaN. */
export const expm = (a: NdArray): NdArray => {
  const op = 'expm'
  const dt = checkFloat(op, a)
  const { batch, rows: n } = squareBatch(op, a)
  const out = allocFloat(dt, batch * n * n)
  const w = new Float64Array(n * n)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, n * n, w)
    out.set(w.every(Number.isFinite) ? expmOne(w, n) : w.fill(NaN), t * n * n)
  }
  return wrap(a.shape, dt, out)
}

/** e^A for one row-major n×n matrix (overwritten). */
const expmOne = (a: Float64Array, n: number): Float64Array => {
  const norm = norm1(a, n)
  for (const [m, theta] of DEGREES) {
    if (m < 13 && norm <= theta) return pade(a, n, m)
  }
  const theta13 = 5.371920351148152
  const s = norm > theta13 ? Math.max(0, Math.ceil(Math.log2(norm / theta13))) : 0
  const scale = 2 ** -s
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) * scale
  let r: Float64Array = pade(a, n, 13)
  let tmp: Float64Array = new Float64Array(n * n)
  for (let i = 0; i < s; i++) {
    gemm(false, false, n, n, n, r, 0, r, 0, tmp, 0, 0)
    const swap = r
    r = tmp
    tmp = swap
  }
  return r
}

/** ‖A‖₁: the largest column sum of magnitudes. */
const norm1 = (a: Float64Array, n: number): number => {
  const sums = new Float64Array(n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) sums[j] = (sums[j] as number) + Math.abs(a[i * n + j] as number)
  return sums.reduce((x, y) => Math.max(x, y), 0)
}

/**
 * The coefficients c_j = (2m − j)!·m! / ((2m)!·j!·(m − j)!) of the [m/m] Padé approximant of eˣ,
 * by their ratio recurrence (any common factor cancels in (V − U)⁻¹(V + U)).
 */
export const padeCoefficients = (m: number): Float64Array => {
  const c = new Float64Array(m + 1)
  c[0] = 1
  for (let j = 0; j < m; j++) c[j + 1] = ((c[j] as number) * (m - j)) / ((2 * m - j) * (j + 1))
  return c
}

/**
 * U and V of the degree-m Padé approximant r_m(A) = (V − U)⁻¹·(V + U) (Higham 2005), over any
 * representation M of matrices with a product and a linear combination Σ coef·mats + c0·I: the
 * kernel's float64 arrays and the ONNX rule's graph values (src/core/primitives/onnxExpm.ts)
 * evaluate the same terms in the same order. Degree 13 uses A², A⁴, A⁶ only.
 */
export const padeTerms = <M>(
  a: M,
  m: number,
  c: ArrayLike<number>,
  mul: (x: M, y: M) => M,
  combo: (coef: ReadonlyArray<number>, mats: ReadonlyArray<M>, c0: number) => M,
): [M, M] => {
  const at = (j: number): number => c[j] as number
  const a2 = mul(a, a)
  if (m === 13) {
    const a4 = mul(a2, a2)
    const a6 = mul(a4, a2)
    const uHigh = mul(a6, combo([at(13), at(11), at(9)], [a6, a4, a2], 0))
    const vHigh = mul(a6, combo([at(12), at(10), at(8)], [a6, a4, a2], 0))
    return [
      mul(a, combo([1, at(7), at(5), at(3)], [uHigh, a6, a4, a2], at(1))),
      combo([1, at(6), at(4), at(2)], [vHigh, a6, a4, a2], at(0)),
    ]
  }
  // powers A², A⁴, …, A^(m−1)
  const pows: M[] = [a2]
  for (let j = 4; j < m; j += 2) pows.push(mul(pows[pows.length - 1] as M, a2))
  return [
    mul(
      a,
      combo(
        pows.map((_, i) => at(2 * i + 3)),
        pows,
        at(1),
      ),
    ),
    combo(
      pows.map((_, i) => at(2 * i + 2)),
      pows,
      at(0),
    ),
  ]
}

/**
 * r_m(A) = (V − U)⁻¹·(V + U) with U the odd and V the even part of the numerator polynomial.
 * Degree 13 evaluates both with the powers A², A⁴, A⁶ only (Higham 2005, eq. 2.11).
 */
const pade = (a: Float64Array, n: number, m: number): Float64Array => {
  const c = padeCoefficients(m)
  const nn = n * n
  const mul = (x: Float64Array, y: Float64Array): Float64Array => {
    const z = new Float64Array(nn)
    gemm(false, false, n, n, n, x, 0, y, 0, z, 0, 0)
    return z
  }
  /** Σ coef[i]·mats[i] + c0·I */
  const combo = (coef: ReadonlyArray<number>, mats: ReadonlyArray<Float64Array>, c0: number): Float64Array => {
    const z = new Float64Array(nn)
    mats.forEach((x, k) => {
      const ck = coef[k] as number
      for (let i = 0; i < nn; i++) z[i] = (z[i] as number) + ck * (x[i] as number)
    })
    for (let i = 0; i < n; i++) z[i * n + i] = (z[i * n + i] as number) + c0
    return z
  }
  const [u, v] = padeTerms<Float64Array>(a, m, c, mul, combo)
  const q = new Float64Array(nn)
  const p = new Float64Array(nn)
  for (let i = 0; i < nn; i++) {
    q[i] = (v[i] as number) - (u[i] as number)
    p[i] = (v[i] as number) + (u[i] as number)
  }
  solveInPlace(q, n, p, n)
  return p
}
