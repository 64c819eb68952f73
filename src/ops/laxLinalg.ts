/**
 * `lax.linalg` (JAX: `jax.lax.linalg`): the matrix decompositions and solves with JAX's low-level
 * conventions — float inputs only (no promotion), results in the primitive's order (`eigh` gives
 * `[eigenvectors, eigenvalues]`, `svd` gives `[u, s, vh]`), complete factors by default
 * (`fullMatrices: true`) and the explicit `leftSide`/`lower`/`transposeA` flags of
 * `triangular_solve`. Each is the library's primitive of the same name (one definition, with its
 * derivative and batching rules); `tridiagonalSolve` is a composition.
 *
 * @category ops
 * @since 0.3.0
 */
import * as lax from '../core/lax'
import { DTypeError, ShapeError, ValueError, fmtTuple } from '../ndarray/errors'
import { isFloat } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, type ArrayLike } from './convert'
import { expandDims } from './layout'
import { fromTriangle } from './linalg/common'
import { thomasSolve } from './linalg/tridiagonal'
import { sliceInDim } from './laxNamed'
import { squeeze } from './laxShape'

const squeezeAxis = (x: NdArray, axis: number): NdArray => squeeze(x, [axis])

/** A float array of rank ≥ 2 (JAX's text for other dtypes). */
const floatMatrix = (op: string, x: ArrayLike, name = 'x', square = true): NdArray => {
  const a = asArray(op, x)
  if (!isFloat(a.dtype))
    throw new DTypeError(
      `${op} does not accept dtype ${a.dtype}. Accepted dtypes are subtypes of floating, complexfloating.`,
    )
  const [m, n] = [a.shape[a.ndim - 2], a.shape[a.ndim - 1]]
  if (a.ndim < 2 || (square && m !== n))
    throw new ShapeError(
      `${op}: ${name} must have shape [..., ${square ? 'n, n' : 'm, n'}], got ${fmtTuple(a.shape)}${a.ndim < 2 ? ' (fewer than 2 dimensions)' : ' (not square)'}`,
    )
  return a
}

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Factor (x + xᵀ)/2; with false only the lower triangle is read. Default true. */
  readonly symmetrizeInput?: boolean
}

/**
 * Lower Cholesky factor L with `L·Lᵀ = x` (JAX: `lax.linalg.cholesky(x, symmetrize_input=True)`);
 * a matrix that is not positive definite gives NaNs.
 * @example
 * import { lax, array } from 'wengert'
 * const l = lax.linalg.cholesky(array([[4, 2], [2, 5]], { dtype: 'float64' }))
 * assert.deepStrictEqual(l.toArray(), [[2, 0], [1, 2]])
 * @category ops
 * @since 0.3.0
 */
export const cholesky = (x: ArrayLike, options: CholeskyOptions = {}): NdArray => {
  const a = floatMatrix('cholesky', x)
  return lax.cholesky(options.symmetrizeInput === false ? fromTriangle(a, true) : a)
}

/** Options of {@link eigh}. */
export interface EighOptions {
  /** With `symmetrizeInput: false`, the triangle that is read. Default true. */
  readonly lower?: boolean
  /** Decompose (x + xᵀ)/2. Default true. */
  readonly symmetrizeInput?: boolean
  /** Eigenvalues ascending (they always are here; false allows any order, so ascending is one). Default true. */
  readonly sortEigenvalues?: boolean
  /** `[lo, hi)`: only the eigenpairs lo … hi−1 (in ascending order). Default all. */
  readonly subsetByIndex?: readonly [number, number] | null
}

/** A `[lo, hi)` index range checked against `n` (JAX's requirement 0 ≤ lo < hi ≤ n). */
const subset = (op: string, r: readonly [number, number] | null | undefined, n: number): [number, number] | null => {
  if (r === null || r === undefined) return null
  const [lo, hi] = r
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > n || lo >= hi)
    throw new ValueError(`${op}: subset_by_index must be a pair [lo, hi) with 0 <= lo < hi <= ${n}, got [${lo}, ${hi}]`)
  return [lo, hi]
}

/**
 * Eigendecomposition of a symmetric matrix (JAX: `lax.linalg.eigh(x, lower=True,
 * symmetrize_input=True, sort_eigenvalues=True, subset_by_index=None)`): `[v, w]` with the
 * eigenvectors as the columns of `v` and the eigenvalues `w` ascending.
 * @example
 * import { lax, array } from 'wengert'
 * const [v, w] = lax.linalg.eigh(array([[2, 0], [0, 1]], { dtype: 'float64' }))
 * assert.deepStrictEqual(w.toArray(), [1, 2])
 * assert.deepStrictEqual(v.toArray(), [[0, 1], [1, 0]])
 * @category ops
 * @since 0.3.0
 */
export const eigh = (x: ArrayLike, options: EighOptions = {}): readonly [NdArray, NdArray] => {
  const a = floatMatrix('eigh', x)
  const sym = options.symmetrizeInput === false ? fromTriangle(a, options.lower !== false) : a
  const [w, v] = lax.eigh(sym)
  const r = subset('eigh', options.subsetByIndex, a.shape[a.ndim - 1] as number)
  if (r === null) return [v, w]
  return [sliceInDim(v, r[0], r[1], 1, v.ndim - 1), sliceInDim(w, r[0], r[1], 1, w.ndim - 1)]
}

/**
 * LU decomposition with partial pivoting (JAX: `lax.linalg.lu(x)`): `[lu, pivots, permutation]`
 * with `x[permutation] = L·U`; `pivots` and `permutation` are int32.
 * @example
 * import { lax, array } from 'wengert'
 * const [, pivots, perm] = lax.linalg.lu(array([[1, 2], [3, 4]], { dtype: 'float64' }))
 * assert.deepStrictEqual(perm.toArray(), [1, 0])
 * assert.deepStrictEqual(pivots.toArray(), [1, 1])
 * @category ops
 * @since 0.3.0
 */
export const lu = (x: ArrayLike): readonly [NdArray, NdArray, NdArray] => lax.lu(floatMatrix('lu', x, 'x', false))

/**
 * The permutation that the row swaps `pivots` of {@link lu} apply (JAX:
 * `lax.linalg.lu_pivots_to_permutation(pivots, permutation_size)`), int32.
 * @category ops
 * @since 0.3.0
 */
export const luPivotsToPermutation = (pivots: ArrayLike, permutationSize: number): NdArray => {
  const p = asArray('lu_pivots_to_permutation', pivots)
  if (p.dtype !== 'int32' && p.dtype !== 'int64')
    throw new DTypeError(`lu_pivots_to_permutation: pivots must be an int32 array, got ${p.dtype}`)
  if (p.ndim < 1)
    throw new ShapeError('lu_pivots_to_permutation: pivots must have at least one dimension, got a scalar')
  const k = p.shape[p.ndim - 1] as number
  if (!Number.isInteger(permutationSize) || permutationSize < k)
    throw new ValueError(
      `lu_pivots_to_permutation: Output permutation size ${permutationSize} has to exceed the trailing dimension of the pivots. Got pivots size ${k}`,
    )
  return lax.luPivotsToPermutation(lax.convertElementType(p, 'int32'), permutationSize)
}

/** Options of {@link qr}. */
export interface QrOptions {
  /** Column pivoting (`[q, r, p]`): not supported here. Default false. */
  readonly pivoting?: boolean
  /** Complete Q (m×m) and R (m×n); false: reduced (m×k, k×n). Default true, as JAX's lax. */
  readonly fullMatrices?: boolean
}

/**
 * QR decomposition (JAX: `lax.linalg.qr(x, pivoting=False, full_matrices=True)`): `[q, r]`.
 * @example
 * import { lax, array } from 'wengert'
 * const [q, r] = lax.linalg.qr(array([[3, 1], [4, 2], [0, 0]], { dtype: 'float64' }))
 * assert.deepStrictEqual([q.shape, r.shape], [[3, 3], [3, 2]])
 * @category ops
 * @since 0.3.0
 */
export const qr = (x: ArrayLike, options: QrOptions = {}): readonly [NdArray, NdArray] => {
  const a = floatMatrix('qr', x, 'x', false)
  if (options.pivoting === true) throw new ValueError('qr: pivoting=True (column-pivoted QR) is not supported')
  return lax.qr(a, { fullMatrices: options.fullMatrices !== false })
}

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Complete U (m×m) and Vᴴ (n×n). Default true, as JAX's lax. */
  readonly fullMatrices?: boolean
  /** Return `[u, s, vh]`; false: `s` alone. Default true. */
  readonly computeUv?: boolean
  /** `[lo, hi)`: only the singular triplets lo … hi−1 (descending order; needs `fullMatrices: false`). */
  readonly subsetByIndex?: readonly [number, number] | null
  /**
   * JAX's `SvdAlgorithm`: `'default'` (or null) and `'jacobi'` run wengert's one-sided Jacobi SVD;
   * `'qr'` and `'polar'` (QDWH) name algorithms wengert does not have and raise a ValueError.
   */
  readonly algorithm?: 'default' | 'qr' | 'jacobi' | 'polar' | null
}

/**
 * Singular value decomposition (JAX: `lax.linalg.svd(x, full_matrices=True, compute_uv=True,
 * subset_by_index=None, algorithm=None)`): `[u, s, vh]`, or `s` with `computeUv: false`;
 * singular values descending.
 * @example
 * import { lax, array } from 'wengert'
 * const s = lax.linalg.svd(array([[3, 0], [0, 4]], { dtype: 'float64' }), { computeUv: false })
 * assert.deepStrictEqual(s.toArray(), [4, 3])
 * @category ops
 * @since 0.3.0
 */
export function svd(x: ArrayLike, options: SvdOptions & { readonly computeUv: false }): NdArray
export function svd(x: ArrayLike, options?: SvdOptions): readonly [NdArray, NdArray, NdArray]
export function svd(x: ArrayLike, options: SvdOptions = {}): NdArray | readonly [NdArray, NdArray, NdArray] {
  const a = floatMatrix('svd', x, 'x', false)
  const algorithms = [undefined, null, 'default', 'qr', 'jacobi', 'polar']
  if (!algorithms.includes(options.algorithm))
    throw new ValueError(
      `svd: unknown algorithm ${String(options.algorithm)}; expected one of default, qr, jacobi, polar`,
    )
  if (options.algorithm === 'qr' || options.algorithm === 'polar')
    throw new ValueError(
      `svd: algorithm '${options.algorithm}' is not supported: wengert's SVD is one-sided Jacobi (use 'default' or 'jacobi')`,
    )
  const full = options.fullMatrices !== false
  const computeUv = options.computeUv !== false
  const k = Math.min(a.shape[a.ndim - 2] as number, a.shape[a.ndim - 1] as number)
  const r = subset('svd', options.subsetByIndex, k)
  if (r !== null && full && computeUv)
    throw new ValueError('svd: subset_by_index requires full_matrices=False when compute_uv=True')
  const outs = lax.svd(a, { fullMatrices: full, computeUv })
  const s = outs[0] as NdArray
  const cut = (y: NdArray, axis: number): NdArray => (r === null ? y : sliceInDim(y, r[0], r[1], 1, axis))
  if (!computeUv) return cut(s, s.ndim - 1)
  const [u, vh] = [outs[1] as NdArray, outs[2] as NdArray]
  return [cut(u, u.ndim - 1), cut(s, s.ndim - 1), cut(vh, vh.ndim - 2)]
}

/** Options of {@link triangularSolve} (JAX's keywords). */
export interface TriangularSolveOptions {
  /** Solve op(a)·x = b (true) or x·op(a) = b (false). Default false. */
  readonly leftSide?: boolean
  /** Read the lower triangle of `a` (true) or the upper one. Default false. */
  readonly lower?: boolean
  /** op(a) = aᵀ. Default false. */
  readonly transposeA?: boolean
  /** Conjugate `a` (no effect: real arrays only). Default false. */
  readonly conjugateA?: boolean
  /** Take `a`'s diagonal as ones (not read). Default false. */
  readonly unitDiagonal?: boolean
}

/**
 * Triangular solve (JAX: `lax.linalg.triangular_solve(a, b, left_side=False, lower=False,
 * transpose_a=False, conjugate_a=False, unit_diagonal=False)`); `b` of one rank less than `a`
 * is a single vector, as JAX.
 * @example
 * import { lax, array } from 'wengert'
 * const a = array([[2, 0], [1, 1]], { dtype: 'float64' })
 * const x = lax.linalg.triangularSolve(a, array([[2], [3]], { dtype: 'float64' }), { leftSide: true, lower: true })
 * assert.deepStrictEqual(x.toArray(), [[1], [2]])
 * @category ops
 * @since 0.3.0
 */
export const triangularSolve = (a: ArrayLike, b: ArrayLike, options: TriangularSolveOptions = {}): NdArray => {
  const op = 'triangular_solve'
  const am = floatMatrix(op, a, 'a')
  const bm = asArray(op, b)
  if (bm.dtype !== am.dtype)
    throw new DTypeError(`${op}: a and b must have the same dtype, got a=${am.dtype} and b=${bm.dtype}`)
  const leftSide = options.leftSide === true
  const single = bm.ndim === am.ndim - 1
  const b2 = single ? expandDims(bm, leftSide ? -1 : -2) : bm
  const m = am.shape[am.ndim - 1] as number
  const along = b2.shape[leftSide ? b2.ndim - 2 : b2.ndim - 1]
  const batchOk = b2.ndim === am.ndim && am.shape.slice(0, -2).every((d, i) => d === b2.shape[i])
  if (!batchOk || along !== m)
    throw new ShapeError(
      `${op}: When left_side=${leftSide ? 'True' : 'False'}, the shape of b must be [..., ${leftSide ? 'm, n' : 'n, m'}] (or one rank less) for a of shape [..., m, m]; got a=${fmtTuple(am.shape)} and b=${fmtTuple(bm.shape)}`,
    )
  const x = lax.triangularSolve(am, b2, {
    leftSide,
    lower: options.lower === true,
    transposeA: options.transposeA === true,
    unitDiagonal: options.unitDiagonal === true,
  })
  return single ? squeezeAxis(x, leftSide ? x.ndim - 1 : x.ndim - 2) : x
}

/**
 * Solves the tridiagonal system T·x = b (JAX: `lax.linalg.tridiagonal_solve(dl, d, du, b)`):
 * `dl`, `d`, `du` (`[..., m]`) are T's sub-, main and super-diagonals (`dl[0]` and `du[m−1]` are
 * not read), `b` is `[..., m, n]`. The Thomas algorithm in O(m) (no pivoting, as JAX's: for diagonally
 * dominant or positive definite T), with derivative rules that are tridiagonal solves
 * (src/ops/linalg/tridiagonal.ts), so differentiable in all four arguments in both modes.
 * @example
 * import { lax, array } from 'wengert'
 * const f = (v: number[]) => array(v, { dtype: 'float64' })
 * const x = lax.linalg.tridiagonalSolve(f([0, 1]), f([2, 2]), f([1, 0]), array([[3], [3]], { dtype: 'float64' }))
 * assert.deepStrictEqual(x.toArray(), [[1], [1]])
 * @category ops
 * @since 0.3.0
 */
export const tridiagonalSolve = (dl: ArrayLike, d: ArrayLike, du: ArrayLike, b: ArrayLike): NdArray => {
  const op = 'tridiagonal_solve'
  const [l, c, u, rhs] = [dl, d, du, b].map((v) => asArray(op, v)) as [NdArray, NdArray, NdArray, NdArray]
  const dt = c.dtype
  if (!isFloat(dt) || [l, u, rhs].some((v) => v.dtype !== dt))
    throw new DTypeError(
      `${op}: dl, d, du and b must have one float dtype, got ${[l, c, u, rhs].map((v) => v.dtype).join(', ')}`,
    )
  const sameDiag = [l, u].every((v) => v.ndim === c.ndim && v.shape.every((s, i) => s === c.shape[i]))
  const m = c.shape[c.ndim - 1]
  if (c.ndim < 1 || !sameDiag || rhs.ndim !== c.ndim + 1 || rhs.shape[rhs.ndim - 2] !== m)
    throw new ShapeError(
      `${op}: dl, d and du must have the same shape [..., m] and b the shape [..., m, n]; got dl=${fmtTuple(l.shape)}, d=${fmtTuple(c.shape)}, du=${fmtTuple(u.shape)}, b=${fmtTuple(rhs.shape)}`,
    )
  return thomasSolve(l, c, u, rhs)
}

export {
  choleskyUpdate,
  hessenberg,
  householderProduct,
  schur,
  symmetricProduct,
  tridiagonal,
  type SchurOptions,
  type SymmetricProductOptions,
  type TridiagonalOptions,
} from './laxLinalgForms'
export { qdwh, type QdwhOptions } from './laxQdwh'
