/**
 * Argument checks and small helpers shared by the `linalg` ops (internal).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { keepTriangle, permutationMatrix } from '../../core/primitives/matrixRules'
import { DTypeError, ShapeError, fmtShape, fmtTuple } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import { asArray, toFloat, type ArrayLike } from '../convert'

/** `x` as a float array of rank ≥ 2 (int and bool promote to float32, as JAX's default). */
export const matrixArg = (op: string, x: ArrayLike, name = 'a'): NdArray => {
  const a = asArray(op, x)
  if (a.dtype === 'bool') throw new DTypeError(`${op}: expected a numeric array for ${name}, got dtype bool`)
  if (a.ndim < 2)
    throw new ShapeError(`${op}: ${name} must have at least 2 dimensions (a matrix), got shape ${fmtTuple(a.shape)}`)
  return toFloat(a)
}

/** {@link matrixArg} of square matrices. */
export const squareArg = (op: string, x: ArrayLike, name = 'a'): NdArray => {
  const a = matrixArg(op, x, name)
  if (a.shape[a.ndim - 1] !== a.shape[a.ndim - 2])
    throw new ShapeError(
      `${op}: Argument to ${op} must have shape [..., n, n], got ${fmtTuple(a.shape)}: ${name} must be square in its last two axes`,
    )
  return a
}

/** Rows, columns and batch shape of a matrix batch. */
export const dims = (a: NdArray): { readonly m: number; readonly n: number; readonly batch: number[] } => ({
  m: a.shape[a.ndim - 2] as number,
  n: a.shape[a.ndim - 1] as number,
  batch: a.shape.slice(0, -2),
})

/** Swaps the last two axes. */
export const swapLast = (x: NdArray): NdArray => {
  const perm = x.shape.map((_, i) => i)
  perm[x.ndim - 2] = x.ndim - 1
  perm[x.ndim - 1] = x.ndim - 2
  return lax.transpose(x, perm)
}

/** The matrix `tril(a) + tril(a, −1)ᵀ` (lower) or its upper mirror: the symmetric matrix one triangle stands for. */
export const fromTriangle = (a: NdArray, lower: boolean): NdArray =>
  lax.add(keepTriangle(a, lower, 0), swapLast(keepTriangle(a, lower, 1)))

/**
 * The right-hand side `b` of a solve with `a` (`[..., n, n]`) as a matrix batch broadcast with
 * `a`'s batch: a 1-D `b` is a vector (JAX), otherwise `[..., n, k]`. Returns the broadcast
 * operands and how to undo the vector promotion.
 */
export const rhsArgs = (
  op: string,
  a: NdArray,
  b0: NdArray,
): { readonly a: NdArray; readonly b: NdArray; readonly finish: (x: NdArray) => NdArray } => {
  const vector = b0.ndim === 1
  const b1 = vector ? lax.reshape(b0, [b0.shape[0] as number, 1]) : b0
  const n = a.shape[a.ndim - 1] as number
  if (b1.ndim < 2 || b1.shape[b1.ndim - 2] !== n)
    throw new ShapeError(
      `${op}: b must be [..., ${n}, k] or [${n}] for a of shape ${fmtShape(a.shape)}, got shape ${fmtShape(b0.shape)}`,
    )
  const batch = broadcastShapes(op, a.shape.slice(0, -2), b1.shape.slice(0, -2))
  const b = lax.broadcastTo(b1.dtype === a.dtype ? b1 : lax.cast(b1, a.dtype), [...batch, ...b1.shape.slice(-2)])
  const finish = (x: NdArray): NdArray => (vector ? lax.reshape(x, x.shape.slice(0, -1)) : x)
  return { a: lax.broadcastTo(a, [...batch, n, n]), b, finish }
}

/** P·b for the permutation `perm` of an LU factorisation (`A[perm] = L·U`). */
export const permuteRows = (perm: NdArray, b: NdArray): NdArray => lax.matmul(permutationMatrix(perm, b.dtype), b)

/** Solves A·X = B from the packed LU factors and permutation (X = U⁻¹·L⁻¹·P·B). */
export const luSolveWith = (packed: NdArray, perm: NdArray, b: NdArray): NdArray =>
  lax.triangularSolve(
    packed,
    lax.triangularSolve(packed, permuteRows(perm, b), {
      leftSide: true,
      lower: true,
      transposeA: false,
      unitDiagonal: true,
    }),
    { leftSide: true, lower: false, transposeA: false, unitDiagonal: false },
  )

/** A result tuple that also carries its parts by name (JAX's namedtuples). */
export const named = <T extends readonly NdArray[], N extends Record<string, NdArray>>(tuple: T, names: N): T & N =>
  Object.assign([...tuple] as unknown as T, names)
