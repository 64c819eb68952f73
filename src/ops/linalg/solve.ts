/**
 * Solves and determinants of `linalg` (JAX's `jax.numpy.linalg` names: solve, inv, det,
 * slogdet) and `scipy.linalg`'s triangular and Cholesky solves, all composites of the `lu`,
 * `cholesky` and `triangular_solve` primitives (so they differentiate to any order).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { diagPart, eye, iota } from '../../core/primitives/matrixRules'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, toFloat, type ArrayLike } from '../convert'
import { luSolveWith, named, rhsArgs, squareArg } from './common'

/**
 * X with A·X = B (B `[..., n, k]`, or a vector `[n]`), batched and broadcast, through an LU
 * factorisation with partial pivoting. A singular A gives infinities or NaN (JAX; NumPy raises).
 * @example
 * import { linalg, array } from 'wengert'
 * const x = linalg.solve(array([[2, 0], [1, 1]], { dtype: 'float64' }), array([4, 3], { dtype: 'float64' }))
 * assert.deepStrictEqual(x.toArray(), [2, 1])
 * @category ops @since 0.2.0
 */
export const solve = (a: ArrayLike, b: ArrayLike): NdArray => {
  const sq = squareArg('solve', a)
  const args = rhsArgs('solve', sq, toFloat(asArray('solve', b)))
  const [packed, , perm] = lax.lu(args.a)
  return args.finish(luSolveWith(packed, perm, args.b))
}

/**
 * Inverse of square matrices (a solve with the identity), batched. Singular: infinities or NaN.
 * @example
 * import { linalg, array } from 'wengert'
 * assert.deepStrictEqual(linalg.inv(array([[2, 0], [0, 4]], { dtype: 'float64' })).toArray(), [[0.5, 0], [0, 0.25]])
 * @category ops @since 0.2.0
 */
export const inv = (x: ArrayLike): NdArray => {
  const a = squareArg('inv', x)
  return solve(a, lax.broadcastTo(eye(a.shape[a.ndim - 1] as number, a.dtype), a.shape))
}

/** LU parts: U's diagonal and the permutation's sign (±1, from the row swaps). */
const luDiagonalAndSign = (op: string, x: ArrayLike): { readonly u: NdArray; readonly parity: NdArray } => {
  const a = squareArg(op, x)
  const [packed, pivots] = lax.lu(a)
  const n = a.shape[a.ndim - 1] as number
  // sign = (−1)^(number of actual row swaps) = 1 − 2·(swaps mod 2)
  const swaps = lax.reduceSum(lax.cast(lax.ne(pivots, iota(n)), a.dtype), [pivots.ndim - 1])
  const odd = lax.sub(swaps, lax.mulScalar(lax.floor(lax.mulScalar(swaps, 0.5)), 2))
  return { u: diagPart(packed), parity: lax.addScalar(lax.mulScalar(odd, -2), 1) }
}

/**
 * Determinant of square matrices, batched (LU with partial pivoting). Its derivative is the
 * cofactor matrix (Jacobi's formula), also at singular matrices, where it is the transposed
 * adjugate as in JAX (exact when elimination meets at most one zero pivot, which covers
 * rank-(n−1) matrices in general; see the `det` primitive).
 * @example
 * import { linalg, array, grad, type NdArray } from 'wengert'
 * assert.ok(Math.abs(Number(linalg.det(array([[1, 2], [3, 4]], { dtype: 'float64' })).item()) + 2) < 1e-12)
 * // at the singular [[1, 2], [2, 4]] the gradient is the cofactor matrix [[4, −2], [−2, 1]]
 * const g = grad((a: NdArray) => linalg.det(a))(array([[1, 2], [2, 4]], { dtype: 'float64' }))
 * assert.deepStrictEqual(g.toArray(), [[4, -2], [-2, 1]])
 * @category ops @since 0.2.0
 */
export const det = (x: ArrayLike): NdArray => lax.det(squareArg('det', x))

/** The result of {@link slogdet}: a tuple `[sign, logabsdet]` that also names its parts (JAX's namedtuple). @category ops @since 0.2.0 */
export type SlogdetResult = readonly [NdArray, NdArray] & { readonly sign: NdArray; readonly logabsdet: NdArray }

/**
 * Sign and natural log of the absolute determinant, batched: `det = sign·exp(logabsdet)`. A
 * singular matrix gives sign 0 and logabsdet −∞ (NumPy, JAX).
 * @example
 * import { linalg, array } from 'wengert'
 * const { sign, logabsdet } = linalg.slogdet(array([[0, 2], [3, 0]], { dtype: 'float64' }))
 * assert.strictEqual(sign.item(), -1)
 * assert.ok(Math.abs(Number(logabsdet.item()) - Math.log(6)) < 1e-12)
 * @category ops @since 0.2.0
 */
export const slogdet = (x: ArrayLike): SlogdetResult => {
  const { u, parity } = luDiagonalAndSign('slogdet', x)
  const last = [u.ndim - 1]
  const signs = lax.stopGradient(lax.sign(u))
  // the product of the signs as exp(Σ log|·|)·(−1)^(negatives) would lose zeros: count instead
  const negatives = lax.reduceSum(lax.cast(lax.lt(u, lax.scalarLike(0, u)), u.dtype), last)
  const negParity = lax.addScalar(
    lax.mulScalar(lax.sub(negatives, lax.mulScalar(lax.floor(lax.mulScalar(negatives, 0.5)), 2)), -2),
    1,
  )
  const zero = lax.reduceMax(lax.cast(lax.eq(signs, lax.scalarLike(0, u)), u.dtype), last)
  const sign = lax.mul(lax.mul(parity, negParity), lax.addScalar(lax.neg(zero), 1))
  const logabsdet = lax.reduceSum(lax.log(lax.abs(u)), last)
  return named([sign, logabsdet] as const, { sign, logabsdet })
}

/** Options of {@link solveTriangular} (`scipy.linalg.solve_triangular`). @category ops @since 0.2.0 */
export interface SolveTriangularOptions {
  /** Read the lower triangle of A. @defaultValue false (SciPy) */
  readonly lower?: boolean
  /** Solve A·x = b (0, 'N'), Aᵀ·x = b (1, 'T') or Aᴴ·x = b (2, 'C'; real: as 'T'). @defaultValue 0 */
  readonly trans?: 0 | 1 | 2 | 'N' | 'T' | 'C'
  /** Take A's diagonal as ones (it is not read). @defaultValue false */
  readonly unitDiagonal?: boolean
}

/**
 * x with op(A)·x = b for triangular A (SciPy's `solve_triangular`; b `[..., n, k]` or `[n]`),
 * batched. A zero on the diagonal gives infinities or NaN.
 * @example
 * import { linalg, array } from 'wengert'
 * const a = array([[2, 0], [1, 1]], { dtype: 'float64' })
 * assert.deepStrictEqual(linalg.solveTriangular(a, array([2, 3], { dtype: 'float64' }), { lower: true }).toArray(), [1, 2])
 * @category ops @since 0.2.0
 */
export const solveTriangular = (a: ArrayLike, b: ArrayLike, options: SolveTriangularOptions = {}): NdArray => {
  const trans = options.trans ?? 0
  if (![0, 1, 2, 'N', 'T', 'C'].includes(trans))
    throw new ValueError(`solveTriangular: trans must be 0, 1, 2, 'N', 'T' or 'C', got ${String(trans)}`)
  const args = rhsArgs('solveTriangular', squareArg('solveTriangular', a), toFloat(asArray('solveTriangular', b)))
  const x = lax.triangularSolve(args.a, args.b, {
    leftSide: true,
    lower: options.lower ?? false,
    transposeA: trans !== 0 && trans !== 'N',
    unitDiagonal: options.unitDiagonal ?? false,
  })
  return args.finish(x)
}

/** A Cholesky factor and which triangle it is, as `scipy.linalg.cho_factor` returns. @category ops @since 0.2.0 */
export type ChoFactorResult = readonly [NdArray, boolean]

/**
 * Cholesky factorisation for {@link choSolve} (SciPy's `cho_factor`): `[c, lower]`, c the lower
 * factor L (`lower`) or the upper one Lᵀ. The unused triangle holds zeros (SciPy leaves
 * whatever was there). Not positive definite: NaN (JAX).
 * @example
 * import { linalg, array } from 'wengert'
 * const [c, lower] = linalg.choFactor(array([[4, 2], [2, 5]], { dtype: 'float64' }))
 * assert.deepStrictEqual([c.toArray(), lower], [[[2, 1], [0, 2]], false])
 * @category ops @since 0.2.0
 */
export const choFactor = (a: ArrayLike, options: { readonly lower?: boolean } = {}): ChoFactorResult => {
  const lower = options.lower ?? false
  const l = lax.cholesky(squareArg('choFactor', a))
  return [
    lower
      ? l
      : lax.transpose(
          l,
          l.shape.map((_, i) => (i < l.ndim - 2 ? i : 2 * l.ndim - 3 - i)),
        ),
    lower,
  ]
}

/**
 * x with A·x = b from {@link choFactor}'s result (SciPy's `cho_solve`), batched.
 * @example
 * import { linalg, array } from 'wengert'
 * const f = linalg.choFactor(array([[4, 2], [2, 5]], { dtype: 'float64' }))
 * const x = linalg.choSolve(f, array([6, 7], { dtype: 'float64' }))
 * assert.ok(Array.from(x.toTypedArray()).every((v) => Math.abs(Number(v) - 1) < 1e-12))
 * @category ops @since 0.2.0
 */
export const choSolve = (factor: ChoFactorResult, b: ArrayLike): NdArray => {
  const [c, lower] = factor
  const once = solveTriangular(c, b, { lower, trans: lower ? 0 : 1 })
  return solveTriangular(c, once, { lower, trans: lower ? 1 : 0 })
}
