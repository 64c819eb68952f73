/**
 * `lax.linalg`'s LAPACK-form functions (JAX: `householder_product`, `hessenberg`, `tridiagonal`,
 * `symmetric_product`, `cholesky_update`): JAX's signatures, argument checks and return tuples
 * over the primitives of `src/core/primitives/householder.ts`. JAX gives none of them a
 * derivative rule, so differentiating them raises NotDifferentiableError, as JAX's
 * NotImplementedError. Re-exported by `./laxLinalg`.
 *
 * @category ops
 * @since 0.7.0
 */
import * as lax from '../core/lax'
import { DTypeError, ShapeError, ValueError, fmtTuple } from '../ndarray/errors'
import { isFloat } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, type ArrayLike } from './convert'
import { tril } from './linalg/matrix'
import { add } from './elementwise'
import { transpose } from './laxShape'

/** Float operands of one dtype, each of rank at least `ranks[i]` (exactly, with `exact`), one batch shape. */
const operands = (op: string, xs: readonly ArrayLike[], ranks: readonly number[], exact = false): NdArray[] => {
  const arrs = xs.map((x) => asArray(op, x))
  arrs.forEach((a, i) => {
    const r = ranks[i] as number
    if (a.ndim < r || (exact && a.ndim !== r))
      throw new ShapeError(
        `${op}: Input ${i} to ${op} must have ${exact ? 'a rank of exactly' : 'rank at least'} ${r}, but got shape=${fmtTuple(a.shape)}`,
      )
  })
  const dt = arrs[0]?.dtype
  if (arrs.some((a) => !isFloat(a.dtype) || a.dtype !== dt))
    throw new DTypeError(
      `${op} requires float arguments of one dtype (float32 or float64), got ${arrs.map((a) => a.dtype).join(', ')}`,
    )
  const batch = (a: NdArray, i: number): string => fmtTuple(a.shape.slice(0, a.ndim - (ranks[i] as number)))
  const b0 = batch(arrs[0] as NdArray, 0)
  if (arrs.some((a, i) => batch(a, i) !== b0))
    throw new ShapeError(
      `${op}: All inputs to ${op} must have the same batch dimensions, got shapes ${arrs.map((a) => fmtTuple(a.shape)).join(' and ')}`,
    )
  return arrs
}

const last = (a: NdArray, k: number): number => a.shape[a.ndim - k] as number

/** A square matrix (or batch), for the one-input reductions. */
const squareInput = (op: string, a: ArrayLike, what: string): NdArray => {
  const [x] = operands(op, [a], [2]) as [NdArray]
  if (last(x, 1) !== last(x, 2))
    throw new ShapeError(`${op}: Argument to ${what} must have shape [..., n, n], got shape ${fmtTuple(x.shape)}`)
  return x
}

/**
 * The product of elementary Householder reflectors H₀·H₁·…·H_{k−1} (JAX:
 * `lax.linalg.householder_product(a, taus)`, LAPACK orgqr): reflector j is I − τⱼ·v·vᵀ with
 * vⱼ = 1 and v's entries below it in column j of `a` ([..., m, n], m ≥ n); `taus` is [..., k],
 * k ≤ n. The result has `a`'s shape (the first n columns of the product). No derivative (JAX has
 * none).
 * @example
 * import { lax, array } from 'wengert'
 * // one reflector v = [1, 1] with τ = 1: the first column of I − v·vᵀ
 * const q = lax.linalg.householderProduct(array([[1], [1]], { dtype: 'float64' }), array([1], { dtype: 'float64' }))
 * assert.deepStrictEqual(q.toArray(), [[0], [-1]])
 * @category ops
 * @since 0.7.0
 */
export const householderProduct = (a: ArrayLike, taus: ArrayLike): NdArray => {
  const op = 'householder_product'
  const [x, t] = operands(op, [a, taus], [2, 1]) as [NdArray, NdArray]
  const [m, n, k] = [last(x, 2), last(x, 1), last(t, 1)]
  if (m < n)
    throw new ValueError(
      `${op}: The first argument to householder_product must have at least as many rows as columns, got shape ${fmtTuple(x.shape)}`,
    )
  if (k > Math.min(m, n))
    throw new ValueError(
      `${op}: The second argument to householder_product must not have more rows than the minimum of the first argument's rows and columns (got taus of shape ${fmtTuple(t.shape)} for a of shape ${fmtTuple(x.shape)})`,
    )
  return lax.householderProduct(x, t)
}

/**
 * Reduction to upper Hessenberg form (JAX: `lax.linalg.hessenberg(a)`, LAPACK gehrd): `[a, taus]`
 * where the upper triangle and first subdiagonal of `a` hold H (A = Q·H·Qᵀ) and the entries below
 * hold the reflectors of Q (pivot one below the diagonal), with their scales in `taus`
 * ([..., n − 1]); `householderProduct` of the shifted reflectors rebuilds Q. No derivative.
 * @example
 * import { lax, array } from 'wengert'
 * const [h, taus] = lax.linalg.hessenberg(array([[1, 2, 3], [4, 5, 6], [7, 8, 10]], { dtype: 'float64' }))
 * assert.deepStrictEqual([h.shape, taus.shape], [[3, 3], [2]])
 * assert.strictEqual((taus.toArray() as number[])[1], 0)
 * @category ops
 * @since 0.7.0
 */
export const hessenberg = (a: ArrayLike): readonly [NdArray, NdArray] =>
  lax.hessenberg(squareInput('hessenberg', a, 'Hessenberg reduction'))

/** Options of {@link tridiagonal}. @category ops @since 0.7.0 */
export interface TridiagonalOptions {
  /** Read the lower triangle (true) or the upper one. @defaultValue true */
  readonly lower?: boolean
}

/**
 * Reduction of a symmetric matrix to tridiagonal form (JAX: `lax.linalg.tridiagonal(a,
 * lower=True)`, LAPACK sytrd): `[a, d, e, taus]` — T = Qᵀ·A·Q has diagonal `d` ([..., n]) and
 * off-diagonal `e` ([..., n − 1]); `a` holds them in the triangle that was read, with the
 * reflectors beyond the off-diagonal (the other triangle is the input's), `taus` their scales.
 * No derivative (JAX has none).
 * @example
 * import { lax, array } from 'wengert'
 * const [, d, e] = lax.linalg.tridiagonal(array([[2, 1, 1], [1, 2, 1], [1, 1, 2]], { dtype: 'float64' }))
 * const [dd, ee] = [d.toArray() as number[], e.toArray() as number[]]
 * assert.ok(Math.abs(dd.reduce((s, v) => s + v, 0) - 6) < 1e-12)
 * assert.ok(Math.abs((ee[0] ?? 0) + Math.SQRT2) < 1e-12)
 * @category ops
 * @since 0.7.0
 */
export const tridiagonal = (
  a: ArrayLike,
  options: TridiagonalOptions = {},
): readonly [NdArray, NdArray, NdArray, NdArray] =>
  lax.tridiagonal(squareInput('tridiagonal', a, 'tridiagonal reduction'), { lower: options.lower !== false })

/** Options of {@link symmetricProduct}. @category ops @since 0.7.0 */
export interface SymmetricProductOptions {
  /** @defaultValue 1 */
  readonly alpha?: number
  /** @defaultValue 0 */
  readonly beta?: number
  /** Copy the lower triangle into the upper one. @defaultValue false */
  readonly symmetrizeOutput?: boolean
}

/**
 * α·A·Aᵀ + β·C (JAX: `lax.linalg.symmetric_product(a_matrix, c_matrix, alpha=1., beta=0.,
 * symmetrize_output=False)`) for A [..., m, n] and a symmetric C [..., m, m]. JAX guarantees only
 * the lower triangle unless `symmetrizeOutput`; here the whole product is computed, and
 * `symmetrizeOutput` mirrors the lower triangle as JAX's. No derivative (JAX has none).
 * @example
 * import { lax, array } from 'wengert'
 * const a = array([[1, 2], [3, 4]], { dtype: 'float64' })
 * const c = array([[1, 0], [0, 1]], { dtype: 'float64' })
 * const p = lax.linalg.symmetricProduct(a, c, { alpha: 1, beta: 2 })
 * assert.deepStrictEqual(p.toArray(), [[7, 11], [11, 27]])
 * @category ops
 * @since 0.7.0
 */
export const symmetricProduct = (
  aMatrix: ArrayLike,
  cMatrix: ArrayLike,
  options: SymmetricProductOptions = {},
): NdArray => {
  const op = 'symmetric_product'
  const [a, c] = operands(op, [aMatrix, cMatrix], [2, 2]) as [NdArray, NdArray]
  if (last(a, 2) !== last(c, 1) || last(c, 2) !== last(c, 1))
    throw new ShapeError(
      `${op}: symmetric_update expects a rectangular matrix of shape (m, n) and a square matrix of shape (m, m). Got shapes ${fmtTuple(a.shape)} and ${fmtTuple(c.shape)}.`,
    )
  const [alpha, beta] = [options.alpha ?? 1, options.beta ?? 0]
  if (typeof alpha !== 'number' || typeof beta !== 'number')
    throw new DTypeError(`${op}: alpha and beta must be numbers, got ${typeof alpha} and ${typeof beta}`)
  const out = lax.symmetricProduct(a, c, { alpha, beta })
  if (options.symmetrizeOutput !== true) return out
  const perm = [...Array.from({ length: out.ndim - 2 }, (_, i) => i), out.ndim - 1, out.ndim - 2]
  return add(tril(out), transpose(tril(out, -1), perm))
}

/**
 * The rank-1 Cholesky update (JAX: `lax.linalg.cholesky_update(r_matrix, w_vector)`): given the
 * upper triangular R with A = Rᵀ·R and a vector w, the upper factor of A + w·wᵀ in O(n²), by
 * Givens rotations. One matrix ([n, n]) and one vector ([n]), as JAX's. No derivative.
 * @example
 * import { lax, array } from 'wengert'
 * const r = array([[2, 1], [0, 1]], { dtype: 'float64' })
 * const r2 = lax.linalg.choleskyUpdate(r, array([0, 1], { dtype: 'float64' }))
 * const v = r2.toArray() as number[][]
 * assert.ok(Math.abs((v[1]?.[1] ?? 0) - Math.SQRT2) < 1e-12 && v[1]?.[0] === 0)
 * @category ops
 * @since 0.7.0
 */
export const choleskyUpdate = (rMatrix: ArrayLike, wVector: ArrayLike): NdArray => {
  const op = 'cholesky_update'
  const [r, w] = operands(op, [rMatrix, wVector], [2, 1], true) as [NdArray, NdArray]
  if (r.shape[0] !== r.shape[1] || w.shape[0] !== r.shape[1])
    throw new ShapeError(
      `${op}: Rank-1 update to Cholesky decomposition takes a square matrix and a vector of the same size as input. Got shapes ${fmtTuple(r.shape)} and ${fmtTuple(w.shape)} instead`,
    )
  return lax.choleskyUpdate(r, w)
}

/** Options of {@link schur} (JAX's keywords). @category ops @since 0.7.0 */
export interface SchurOptions {
  /** Also return the Schur vectors Q. @defaultValue true */
  readonly computeSchurVectors?: boolean
  /** Sort the eigenvalues (LAPACK gees' sort): not supported, as on JAX's CPU path. @defaultValue false */
  readonly sortEigVals?: boolean
  /** The selection function of a sorted decomposition: unused without `sortEigVals`, as JAX's. */
  readonly selectCallable?: ((...args: never[]) => unknown) | null
}

/**
 * The real Schur decomposition A = Q·T·Qᵀ (JAX: `lax.linalg.schur(x, compute_schur_vectors=True,
 * sort_eig_vals=False, select_callable=None)`, LAPACK gees on JAX's CPU path): `[t, q]`, or `[t]`
 * with `computeSchurVectors: false`. T is upper quasi-triangular — real eigenvalues on its
 * diagonal, complex pairs as 2×2 blocks with equal diagonal entries — and Q is orthogonal; the
 * order of the blocks is the algorithm's. Float input only: the complex Schur form needs complex
 * arrays, which the core does not have. No derivative (JAX has none).
 * @example
 * import { lax, array, matmul } from 'wengert'
 * const a = array([[1, 2], [3, 4]], { dtype: 'float64' })
 * const [t, q] = lax.linalg.schur(a)
 * const back = matmul(matmul(q, t), q.T).toArray() as number[][]
 * assert.ok(Math.abs((back[1]?.[0] ?? 0) - 3) < 1e-12)
 * assert.ok(Math.abs((t.toArray() as number[][])[1]?.[0] ?? 1) < 1e-12)
 * @category ops
 * @since 0.7.0
 */
export function schur(x: ArrayLike, options: SchurOptions & { readonly computeSchurVectors: false }): readonly [NdArray]
export function schur(x: ArrayLike, options?: SchurOptions): readonly [NdArray, NdArray]
export function schur(x: ArrayLike, options: SchurOptions = {}): readonly [NdArray] | readonly [NdArray, NdArray] {
  const op = 'schur'
  const a = asArray(op, x)
  if (!isFloat(a.dtype))
    throw new DTypeError(
      `${op}: expected a float32 or float64 matrix, got ${a.dtype} (the complex Schur form is not supported)`,
    )
  const m = squareInput(op, a, 'schur')
  if (options.sortEigVals === true)
    throw new ValueError(
      `${op}: sort_eig_vals=True is not supported (the sort feature of LAPACK's gees routine is not implemented, as on JAX's CPU path)`,
    )
  const computeSchurVectors = options.computeSchurVectors !== false
  const outs = lax.schur(m, { computeSchurVectors })
  return computeSchurVectors ? [outs[0] as NdArray, outs[1] as NdArray] : [outs[0] as NdArray]
}
