/**
 * `scipy.linalg` as JAX has it (`jax.scipy.linalg`, camelCase) over the `linalg` namespace's
 * decompositions. Where SciPy's defaults differ from `jnp.linalg`'s they are SciPy's:
 * `cholesky` returns the upper factor unless `lower`, `eigh` reads the lower triangle.
 *
 * @category scipy
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, type ArrayLike } from '../convert'
import { concat } from '../layout'
import * as L from '../linalg/index'
import { fromTriangle, squareArg } from '../linalg/common'
import { promoteTypes } from '../../ndarray/dtype'

export {
  choFactor,
  choSolve,
  solveTriangular,
  lu,
  luFactor,
  luSolve,
  expm,
  inv,
  det,
  svd,
  qr,
  type ChoFactorResult,
  type SolveTriangularOptions,
} from '../linalg/index'

/** Options of {@link cholesky} (SciPy's keyword). @category scipy @since 0.3.0 */
export interface ScipyCholeskyOptions {
  /** Return the lower factor L (A = L·Lᵀ) instead of the upper U (A = Uᵀ·U). @defaultValue false (SciPy) */
  readonly lower?: boolean
}

/**
 * The Cholesky factor of a symmetric positive-definite matrix (JAX's `scipy.linalg.cholesky`):
 * upper by default, as SciPy.
 * @example
 * import { scipy, array } from 'wengert'
 * const a = array([[4, 2], [2, 5]], { dtype: 'float64' })
 * assert.deepStrictEqual(scipy.linalg.cholesky(a).toArray(), [[2, 1], [0, 2]])
 * assert.deepStrictEqual(scipy.linalg.cholesky(a, { lower: true }).toArray(), [[2, 0], [1, 2]])
 * @category scipy
 * @since 0.3.0
 */
export const cholesky = (a: ArrayLike, options: ScipyCholeskyOptions = {}): NdArray =>
  L.cholesky(a, { upper: options.lower !== true })

/** Options of {@link solve} (SciPy's keywords). @category scipy @since 0.3.0 */
export interface ScipySolveOptions {
  /** With `assumeA` 'sym', 'her' or 'pos': read the lower triangle. @defaultValue false */
  readonly lower?: boolean
  /** The matrix' structure: general ('gen'), symmetric ('sym'), Hermitian ('her') or positive definite ('pos'). @defaultValue 'gen' */
  readonly assumeA?: 'gen' | 'sym' | 'her' | 'pos'
}

/**
 * x with A·x = b (JAX's `scipy.linalg.solve`); with `assumeA: 'pos'` by a Cholesky
 * factorisation that reads the `lower` (or upper) triangle, otherwise ('gen', 'sym', 'her') by
 * LU of the whole matrix, as JAX.
 * @example
 * import { scipy, array } from 'wengert'
 * const a = array([[4, 2], [2, 5]], { dtype: 'float64' })
 * const x = scipy.linalg.solve(a, array([6, 7], { dtype: 'float64' }), { assumeA: 'pos' })
 * assert.ok(Array.from(x.toTypedArray()).every((v) => Math.abs(Number(v) - 1) < 1e-12))
 * @category scipy
 * @since 0.3.0
 */
export const solve = (a: ArrayLike, b: ArrayLike, options: ScipySolveOptions = {}): NdArray => {
  const assumeA = options.assumeA ?? 'gen'
  if (!['gen', 'sym', 'her', 'pos'].includes(assumeA))
    throw new ValueError(`scipy.linalg.solve: assume_a must be 'gen', 'sym', 'her' or 'pos', got '${String(assumeA)}'`)
  if (assumeA !== 'pos') return L.solve(a, b)
  const sym = fromTriangle(squareArg('scipy.linalg.solve', a), options.lower ?? false)
  return L.choSolve(L.choFactor(sym, { lower: true }), b)
}

/** Options of {@link eigh} (SciPy's keywords). @category scipy @since 0.3.0 */
export interface ScipyEighOptions {
  /** Read the lower triangle (else the upper). @defaultValue true */
  readonly lower?: boolean
  /** Return only the eigenvalues. @defaultValue false */
  readonly eigvalsOnly?: boolean
}

/**
 * Eigenvalues (ascending) and eigenvectors of a symmetric matrix from one of its triangles
 * (JAX's `scipy.linalg.eigh(a, lower=True, eigvals_only=False)`; the generalised problem with
 * `b` is not supported).
 * @example
 * import { scipy, array } from 'wengert'
 * const w = scipy.linalg.eigh(array([[2, 9], [1, 2]], { dtype: 'float64' }), { eigvalsOnly: true })
 * assert.deepStrictEqual(Array.from(w.toTypedArray(), (v) => Math.round(Number(v) * 1e9) / 1e9), [1, 3])
 * @category scipy
 * @since 0.3.0
 */
export function eigh(a: ArrayLike, options: ScipyEighOptions & { readonly eigvalsOnly: true }): NdArray
export function eigh(a: ArrayLike, options?: ScipyEighOptions): readonly [NdArray, NdArray]
export function eigh(a: ArrayLike, options: ScipyEighOptions = {}): NdArray | readonly [NdArray, NdArray] {
  const r = L.eigh(a, { UPLO: options.lower === false ? 'U' : 'L', symmetrizeInput: false })
  return options.eigvalsOnly === true ? r[0] : [r[0], r[1]]
}

/**
 * The block-diagonal matrix of the given matrices (JAX's `scipy.linalg.block_diag`; a scalar or
 * 1-D argument is a 1×1 or 1×n block).
 * @example
 * import { scipy, array } from 'wengert'
 * const m = scipy.linalg.blockDiag(array([[1, 2]]), 3)
 * assert.deepStrictEqual(m.toArray(), [[1, 2, 0], [0, 0, 3]])
 * @category scipy
 * @since 0.3.0
 */
export const blockDiag = (...arrs: ArrayLike[]): NdArray => {
  const blocks = arrs.map((x) => {
    const m = asArray('scipy.linalg.blockDiag', x)
    if (m.ndim > 2) throw new ValueError(`scipy.linalg.blockDiag: arguments must be at most 2-D, got rank ${m.ndim}`)
    return m.ndim === 2 ? m : lax.reshape(m, [1, m.size])
  })
  if (blocks.length === 0) return lax.broadcastTo(lax.scalar(0, 'float32'), [1, 0])
  const dtype = blocks.map((m) => m.dtype).reduce((d, e) => promoteTypes(d, e))
  const cols = blocks.reduce((c, m) => c + (m.shape[1] as number), 0)
  let left = 0
  const rows = blocks.map((m) => {
    const c = m.shape[1] as number
    const row = lax.pad(lax.cast(m, dtype), [0, left], [0, cols - left - c], [0, 0], 0)
    left += c
    return row
  })
  return concat(rows, 0)
}
export * from './linalgMore'
export * from './linalgHessenberg'
