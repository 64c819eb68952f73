/**
 * Decompositions of `linalg` (JAX's `jax.numpy.linalg` names): cholesky, qr, eigh, eigvalsh,
 * svd, svdvals. Batched over leading axes; int and bool inputs promote to float32.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import type { ArrayLike } from '../convert'
import { dims, fromTriangle, matrixArg, named, squareArg, swapLast } from './common'

/** Options of {@link cholesky}. @category ops @since 0.2.0 */
export interface CholeskyOptions {
  /** Return the upper factor U = Lᵀ (A = Uᵀ·U). @defaultValue false */
  readonly upper?: boolean
  /** Factor (A + Aᵀ)/2; with false only the lower triangle of A is read. @defaultValue true */
  readonly symmetrizeInput?: boolean
}

/**
 * Cholesky factor L of a symmetric positive-definite A (`A = L·Lᵀ`), batched. As in JAX, a
 * matrix that is not positive definite gives a factor of NaN (no error; `wengert/torch`'s
 * `linalg.cholesky` raises PyTorch's error instead). The derivative is Murray 2016's.
 * @example
 * import { linalg, array } from 'wengert'
 * const l = linalg.cholesky(array([[4, 2], [2, 5]], { dtype: 'float64' }))
 * assert.deepStrictEqual(l.toArray(), [[2, 0], [1, 2]])
 * assert.ok(Number.isNaN(linalg.cholesky(array([[1, 2], [2, 1]])).toTypedArray()[0] as number))
 * @category ops @since 0.2.0
 */
export const cholesky = (x: ArrayLike, options: CholeskyOptions = {}): NdArray => {
  const a = squareArg('cholesky', x)
  const l = lax.cholesky(options.symmetrizeInput === false ? fromTriangle(a, true) : a)
  return options.upper === true ? swapLast(l) : l
}

/** Options of {@link qr}. @category ops @since 0.2.0 */
export interface QrOptions {
  /** `'reduced'` (Q m×k, R k×n), `'complete'` (Q m×m, R m×n) or `'r'` (R only). @defaultValue 'reduced' */
  readonly mode?: 'reduced' | 'complete' | 'r'
}

/**
 * QR decomposition `A = Q·R` (Householder, LAPACK's signs), batched: `[q, r]`, or `r` alone in
 * mode `'r'`. Differentiable for m ≥ n (and square in mode `'complete'`), as JAX.
 * @example
 * import { linalg, array, matmul } from 'wengert'
 * const a = array([[3, 1], [4, 2]], { dtype: 'float64' })
 * const [q, r] = linalg.qr(a)
 * assert.ok(Math.abs((r.toTypedArray()[0] as number) + 5) < 1e-12)
 * assert.ok(Math.abs((matmul(q, r).toTypedArray()[2] as number) - 4) < 1e-12)
 * @category ops @since 0.2.0
 */
export function qr(x: ArrayLike, options: { readonly mode: 'r' }): NdArray
export function qr(x: ArrayLike, options?: QrOptions): readonly [NdArray, NdArray]
export function qr(x: ArrayLike, options: QrOptions = {}): NdArray | readonly [NdArray, NdArray] {
  const mode = options.mode ?? 'reduced'
  if (!['reduced', 'complete', 'r'].includes(mode))
    throw new ValueError(`qr: mode must be 'reduced', 'complete' or 'r', got '${String(mode)}'`)
  const [q, r] = lax.qr(matrixArg('qr', x), { fullMatrices: mode === 'complete' })
  return mode === 'r' ? r : [q, r]
}

/** Options of {@link eigh} and {@link eigvalsh}. @category ops @since 0.2.0 */
export interface EighOptions {
  /** Which triangle stands for the matrix when `symmetrizeInput` is false. @defaultValue 'L' */
  readonly UPLO?: 'L' | 'U'
  /** Use (A + Aᵀ)/2 (JAX's default); with false only the `UPLO` triangle is read. @defaultValue true */
  readonly symmetrizeInput?: boolean
}

/** The result of {@link eigh}: a tuple `[eigenvalues, eigenvectors]` that also names its parts. @category ops @since 0.2.0 */
export type EighResult = readonly [NdArray, NdArray] & { readonly eigenvalues: NdArray; readonly eigenvectors: NdArray }

const eighParts = (op: string, x: ArrayLike, options: EighOptions): readonly [NdArray, NdArray] => {
  const uplo = options.UPLO ?? 'L'
  if (uplo !== 'L' && uplo !== 'U') throw new ValueError(`${op}: UPLO must be 'L' or 'U', got '${String(uplo)}'`)
  const a = squareArg(op, x)
  return lax.eigh(options.symmetrizeInput === false ? fromTriangle(a, uplo === 'L') : a)
}

/**
 * Eigenvalues (ascending) and eigenvectors (columns; largest-magnitude entry positive) of a
 * symmetric matrix, batched. Derivative: Giles 2008; with repeated eigenvalues the eigenvector
 * derivative is infinite or NaN (JAX's convention: `1/(λ_j − λ_i)` unguarded).
 * @example
 * import { linalg, array } from 'wengert'
 * const { eigenvalues, eigenvectors } = linalg.eigh(array([[2, 1], [1, 2]], { dtype: 'float64' }))
 * assert.deepStrictEqual(Array.from(eigenvalues.toTypedArray(), (v) => Math.round(Number(v) * 1e12) / 1e12), [1, 3])
 * assert.strictEqual(eigenvectors.shape.join(), '2,2')
 * @category ops @since 0.2.0
 */
export const eigh = (x: ArrayLike, options: EighOptions = {}): EighResult => {
  const [eigenvalues, eigenvectors] = eighParts('eigh', x, options)
  return named([eigenvalues, eigenvectors] as const, { eigenvalues, eigenvectors })
}

/**
 * Eigenvalues (ascending) of a symmetric matrix, batched.
 * @example
 * import { linalg, array } from 'wengert'
 * const w = linalg.eigvalsh(array([[2, 0], [0, -1]], { dtype: 'float64' }))
 * assert.deepStrictEqual(w.toArray(), [-1, 2])
 * @category ops @since 0.2.0
 */
export const eigvalsh = (x: ArrayLike, options: EighOptions = {}): NdArray => eighParts('eigvalsh', x, options)[0]

/** Options of {@link svd}. @category ops @since 0.2.0 */
export interface SvdOptions {
  /** U m×m and Vᴴ n×n (otherwise m×k, k×n). @defaultValue true (JAX) */
  readonly fullMatrices?: boolean
  /** Return `[u, s, vh]`; with false only `s`. @defaultValue true */
  readonly computeUv?: boolean
}

/** The result of {@link svd}: a tuple `[u, s, vh]` that also names its parts (JAX's `SVDResult`). @category ops @since 0.2.0 */
export type SvdResult = readonly [NdArray, NdArray, NdArray] & {
  readonly U: NdArray
  readonly S: NdArray
  readonly Vh: NdArray
}

/**
 * Singular value decomposition `A = U·diag(s)·Vᴴ`, s descending, batched. Derivative:
 * Townsend 2016 (distinct non-zero singular values; `fullMatrices` only for square A, as JAX).
 * @example
 * import { linalg, array } from 'wengert'
 * const [u, s, vh] = linalg.svd(array([[3, 0], [0, -4]], { dtype: 'float64' }))
 * assert.deepStrictEqual(s.toArray(), [4, 3])
 * assert.strictEqual(u.shape.join() + ' ' + vh.shape.join(), '2,2 2,2')
 * @category ops @since 0.2.0
 */
export function svd(x: ArrayLike, options: SvdOptions & { readonly computeUv: false }): NdArray
export function svd(x: ArrayLike, options?: SvdOptions): SvdResult
export function svd(x: ArrayLike, options: SvdOptions = {}): NdArray | SvdResult {
  const a = matrixArg('svd', x)
  const computeUv = options.computeUv ?? true
  const { m, n } = dims(a)
  const fullMatrices = (options.fullMatrices ?? true) && m !== n
  const outs = lax.svd(a, { fullMatrices, computeUv })
  const [s, u, vh] = outs as readonly [NdArray, NdArray, NdArray]
  if (!computeUv) return s
  return named([u, s, vh] as const, { U: u, S: s, Vh: vh })
}

/**
 * Singular values (descending), batched.
 * @example
 * import { linalg, array } from 'wengert'
 * assert.deepStrictEqual(linalg.svdvals(array([[0, 2], [1, 0]], { dtype: 'float64' })).toArray(), [2, 1])
 * @category ops @since 0.2.0
 */
export const svdvals = (x: ArrayLike): NdArray => svd(x, { computeUv: false })
