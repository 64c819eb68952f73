/**
 * `jax.scipy.linalg`'s matrix exponential and LU functions in the `linalg` namespace: `expm`,
 * `luFactor`, `luSolve`, `lu`. Built on the `expm`, `lu`, `lu_pivots_to_permutation` and
 * `triangular_solve` primitives, so they differentiate to any order (luSolve in both the
 * factors and b).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { eye, keepTriangle, permutationMatrix } from '../../core/primitives/matrixRules'
import { checkOptions } from '../../internal/options'
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import { asArray, toFloat, type ArrayLike } from '../convert'
import { dims, luSolveWith, matrixArg, squareArg, swapLast } from './common'

/** θ₁₃ of Higham 2005 (float64): above it expm scales A by 2⁻ˢ and squares s times. */
const THETA13 = 5.371920351148152

/** Options of {@link expm} (`jax.scipy.linalg.expm`). @category ops @since 0.2.0 */
export interface ExpmOptions {
  /** A is upper triangular (a hint in JAX; here the result is the same either way). @defaultValue false */
  readonly upperTriangular?: boolean
  /** Matrices that need more squarings than this give NaN (JAX). @defaultValue 16 */
  readonly maxSquarings?: number
}

/**
 * The matrix exponential e^A of square matrices, batched (Higham 2005 scaling and squaring with
 * Padé approximants). The derivative is the exact Fréchet derivative (Al-Mohy & Higham 2009),
 * not that of the approximation. A matrix needing more than `maxSquarings` squarings
 * (‖A‖₁ > θ₁₃·2^maxSquarings, θ₁₃ ≈ 5.37) gives NaN, as JAX; non-finite input gives NaN.
 * @example
 * import { linalg, array } from 'wengert'
 * const e = linalg.expm(array([[0, 1], [0, 0]], { dtype: 'float64' }))
 * assert.deepStrictEqual(e.toArray(), [[1, 1], [0, 1]])
 * const d = linalg.expm(array([[1, 0], [0, 2]], { dtype: 'float64' })).toArray() as number[][]
 * assert.ok(Math.abs((d[1]?.[1] ?? 0) - Math.exp(2)) < 1e-12)
 * @category ops @since 0.2.0
 */
export const expm = (x: ArrayLike, options?: ExpmOptions): NdArray => {
  const o = checkOptions('expm', options, ['upperTriangular', 'maxSquarings'])
  const maxSquarings = o.maxSquarings ?? 16
  if (!Number.isInteger(maxSquarings) || maxSquarings < 0)
    throw new ValueError(`expm: maxSquarings must be a non-negative integer, got ${String(maxSquarings)}`)
  if (o.upperTriangular !== undefined && typeof o.upperTriangular !== 'boolean')
    throw new ValueError(`expm: upperTriangular must be a boolean, got ${String(o.upperTriangular)}`)
  const a = squareArg('expm', x)
  const e = lax.expm(a)
  // squarings the kernel takes: ceil(log2(‖A‖₁/θ₁₃)) (no gradient flows through the test)
  const norm = lax.stopGradient(lax.reduceMax(lax.reduceSum(lax.abs(a), [a.ndim - 2]), [a.ndim - 2]))
  const tooMany = lax.gt(norm, lax.scalarLike(THETA13 * 2 ** maxSquarings, norm))
  const mask = lax.broadcastInDim(
    tooMany,
    e.shape,
    tooMany.shape.map((_, i) => i),
  )
  return lax.select(mask, lax.broadcastTo(lax.scalarLike(NaN, e), e.shape), e)
}

/** Options of {@link luFactor} and {@link lu}: SciPy's arguments, which JAX accepts and ignores. @category ops @since 0.2.0 */
export interface LuFactorOptions {
  /** Unused (JAX: arrays are immutable). @defaultValue false */
  readonly overwriteA?: boolean
  /** Unused (JAX). @defaultValue true */
  readonly checkFinite?: boolean
}

/** The result of {@link luFactor}: the packed factors and the 0-based int32 pivots. @category ops @since 0.2.0 */
export type LuFactorResult = readonly [lu: NdArray, piv: NdArray]

/**
 * LU factorisation with partial pivoting for {@link luSolve} (`jax.scipy.linalg.lu_factor`),
 * batched: `[lu, piv]`, L (unit lower, below the diagonal) and U packed in `lu`, `piv` the
 * 0-based row swaps (int32, LAPACK's order: row i was swapped with row piv[i]). Any m×n;
 * differentiable for square matrices. A singular matrix factors without error (a zero on U's diagonal).
 * @example
 * import { linalg, array } from 'wengert'
 * const [lu, piv] = linalg.luFactor(array([[1, 2], [3, 4]], { dtype: 'float64' }))
 * assert.deepStrictEqual(piv.toArray(), [1, 1])
 * assert.deepStrictEqual(lu.toArray(), [[3, 4], [1 / 3, 2 - 4 / 3]])
 * @category ops @since 0.2.0
 */
export const luFactor = (a: ArrayLike, options?: LuFactorOptions): LuFactorResult => {
  checkOptions('luFactor', options, ['overwriteA', 'checkFinite'])
  const [packed, pivots] = lax.lu(matrixArg('luFactor', a))
  return [packed, pivots]
}

/** Options of {@link luSolve} (`jax.scipy.linalg.lu_solve`). @category ops @since 0.2.0 */
export interface LuSolveOptions {
  /** Solve A·x = b (0), Aᵀ·x = b (1) or Aᴴ·x = b (2; for real A the same as 1). @defaultValue 0 */
  readonly trans?: 0 | 1 | 2
  /** Unused (JAX). @defaultValue false */
  readonly overwriteB?: boolean
  /** Unused (JAX). @defaultValue true */
  readonly checkFinite?: boolean
}

/**
 * x with A·x = b (or Aᵀ·x = b) from {@link luFactor}'s `[lu, piv]` (`jax.scipy.linalg.lu_solve`),
 * batched and broadcast over leading axes. As JAX: b is a vector `[..., n]` when it has one axis
 * fewer than `lu`, otherwise `[..., n, k]`. Differentiable in `lu` and b.
 * @example
 * import { linalg, array } from 'wengert'
 * const f = linalg.luFactor(array([[1, 2], [3, 4]], { dtype: 'float64' }))
 * const x = linalg.luSolve(f, array([5, 11], { dtype: 'float64' }))
 * assert.ok(Array.from(x.toTypedArray()).every((v, i) => Math.abs(Number(v) - [1, 2][i]!) < 1e-12))
 * const y = linalg.luSolve(f, array([7, 10], { dtype: 'float64' }), { trans: 1 })
 * assert.ok(Array.from(y.toTypedArray()).every((v, i) => Math.abs(Number(v) - [1, 2][i]!) < 1e-12))
 * @category ops @since 0.2.0
 */
export const luSolve = (luAndPiv: LuFactorResult, b: ArrayLike, options?: LuSolveOptions): NdArray => {
  const o = checkOptions('luSolve', options, ['trans', 'overwriteB', 'checkFinite'])
  const trans = o.trans ?? 0
  if (trans !== 0 && trans !== 1 && trans !== 2)
    throw new ValueError(`luSolve: trans must be 0, 1 or 2, got ${String(trans)}`)
  const [lu0, piv0] = luAndPiv
  const packed = squareArg('luSolve', lu0, 'lu')
  const piv = asArray('luSolve', piv0)
  const { m: n } = dims(packed)
  if (piv.dtype !== 'int32' || piv.ndim < 1 || piv.shape[piv.ndim - 1] !== n)
    throw new ShapeError(
      `luSolve: piv must be int32 [..., ${n}] for lu of shape ${fmtShape(packed.shape)}, got ${piv.dtype} ${fmtShape(piv.shape)}`,
    )
  const rhs = toFloat(asArray('luSolve', b))
  if (rhs.dtype === 'bool') throw new DTypeError('luSolve: expected a numeric b, got dtype bool')
  const vector = rhs.ndim === packed.ndim - 1
  const b2 = vector ? lax.reshape(rhs, [...rhs.shape, 1]) : rhs
  if (b2.ndim < 2 || b2.shape[b2.ndim - 2] !== n)
    throw new ShapeError(
      `luSolve: b must be [..., ${n}] (one axis fewer than lu) or [..., ${n}, k] for lu of shape ${fmtShape(packed.shape)}, got shape ${fmtShape(rhs.shape)}`,
    )
  const batch = broadcastShapes(
    'luSolve',
    broadcastShapes('luSolve', packed.shape.slice(0, -2), piv.shape.slice(0, -1)),
    b2.shape.slice(0, -2),
  )
  const f = lax.broadcastTo(packed.dtype === rhs.dtype ? packed : lax.cast(packed, rhs.dtype), [...batch, n, n])
  const perm = lax.luPivotsToPermutation(lax.broadcastTo(piv, [...batch, n]), n)
  const bb = lax.broadcastTo(b2.dtype === f.dtype ? b2 : lax.cast(b2, f.dtype), [...batch, ...b2.shape.slice(-2)])
  const x = trans === 0 ? luSolveWith(f, perm, bb) : luSolveTransposed(f, perm, bb)
  return vector ? lax.reshape(x, x.shape.slice(0, -1)) : x
}

/** Solves Aᵀ·X = B for A = Pᵀ·L·U (A[perm] = L·U): X = Pᵀ·L⁻ᵀ·U⁻ᵀ·B. */
const luSolveTransposed = (packed: NdArray, perm: NdArray, b: NdArray): NdArray => {
  const y = lax.triangularSolve(packed, b, { leftSide: true, lower: false, transposeA: true, unitDiagonal: false })
  const z = lax.triangularSolve(packed, y, { leftSide: true, lower: true, transposeA: true, unitDiagonal: true })
  return lax.matmul(permutationMatrix(perm, z.dtype), z, true, false)
}

/** Options of {@link lu} (`jax.scipy.linalg.lu`). @category ops @since 0.2.0 */
export interface LuOptions extends LuFactorOptions {
  /** Return `[p·l, u]` instead of `[p, l, u]`. @defaultValue false */
  readonly permuteL?: boolean
}

/**
 * LU decomposition with partial pivoting `A = P·L·U` (`jax.scipy.linalg.lu`), batched: `[p, l, u]`
 * with P a permutation matrix (A's dtype), L m×k unit lower, U k×n upper (k = min(m, n)); with
 * `permuteL`, `[p·l, u]`. Differentiable for square A.
 * @example
 * import { linalg, array, matmul } from 'wengert'
 * const a = array([[1, 2], [3, 4]], { dtype: 'float64' })
 * const [p, l, u] = linalg.lu(a)
 * assert.deepStrictEqual(p.toArray(), [[0, 1], [1, 0]])
 * assert.deepStrictEqual(matmul(p, matmul(l, u)).toArray(), [[1, 2], [3, 4]])
 * const [pl] = linalg.lu(a, { permuteL: true })
 * assert.deepStrictEqual(pl.toArray(), [[1 / 3, 1], [1, 0]])
 * @category ops @since 0.2.0
 */
export function lu(a: ArrayLike, options: LuOptions & { readonly permuteL: true }): readonly [NdArray, NdArray]
export function lu(a: ArrayLike, options?: LuOptions): readonly [NdArray, NdArray, NdArray]
export function lu(
  a: ArrayLike,
  options?: LuOptions,
): readonly [NdArray, NdArray] | readonly [NdArray, NdArray, NdArray] {
  const o = checkOptions('lu', options, ['permuteL', 'overwriteA', 'checkFinite'])
  const x = matrixArg('lu', a)
  const [packed, , perm] = lax.lu(x)
  const { l, u } = unpackLu(packed)
  // A[perm] = L·U, i.e. Q·A = L·U with Q = permutationMatrix(perm), so A = Qᵀ·L·U
  const q = permutationMatrix(perm, x.dtype)
  if (o.permuteL === true) return [lax.matmul(q, l, true, false), u]
  return [swapLast(q), l, u]
}

/**
 * L (m×k, unit lower) and U (k×n, upper) of packed LU factors `[..., m, n]`, k = min(m, n)
 * (internal: `lu` and the facade's `lu_unpack`).
 */
export const unpackLu = (packed: NdArray): { readonly l: NdArray; readonly u: NdArray } => {
  const { m, n, batch } = dims(packed)
  const k = Math.min(m, n)
  const zeros = packed.shape.map(() => 0)
  const ones = packed.shape.map(() => 1)
  const lPart = lax.slice(keepTriangle(packed, true, 1), zeros, [...batch, m, k], ones)
  // the unit diagonal of the m×k L: the k×k identity with m − k zero rows below
  const unit = lax.pad(eye(k, packed.dtype), [0, 0], [m - k, 0], [0, 0], 0)
  const u = keepTriangle(lax.slice(packed, zeros, [...batch, k, n], ones), false, 0)
  return { l: lax.add(lPart, unit), u }
}
