/**
 * Matrix helpers shared by the derivative rules of the decompositions (`decompositions.ts`,
 * `spectral.ts`): batch transposes, triangle masks, identities, diagonals, the symmetric part.
 * All are built from the bound primitives (masks and identities are constants that depend on
 * shapes only), so rules written with them differentiate again. Not a family module: it exports
 * no primitive.
 *
 * @category primitives
 * @since 0.2.0
 */
import { allocate, isFloat, type DType } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { InternalError } from '../../ndarray/errors'
import * as lax from '../lax'
import { isZero, type Linear } from '../zero'

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/** Which entries a triangle mask keeps: `i − j ≥ k` (lower, k = 0 with the diagonal) or `j − i ≥ k` (upper). */
export interface Triangle {
  readonly lower: boolean
  /** 0: with the diagonal; 1: strictly below/above it. */
  readonly k: 0 | 1
}

/** A constant `rows × cols` 0/1 mask of `dtype` keeping `tri`. */
export const triangleMask = (rows: number, cols: number, tri: Triangle, dtype: DType): NdArray => {
  const d = allocate(dtype, rows * cols)
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) d[i * cols + j] = (tri.lower ? i - j : j - i) >= tri.k ? 1 : 0
  return new NdArray([rows, cols], dtype, d)
}

/** The constant `n × n` identity of `dtype`. */
export const eye = (n: number, dtype: DType): NdArray => {
  const d = allocate(dtype, n * n)
  for (let i = 0; i < n; i++) d[i * n + i] = 1
  return new NdArray([n, n], dtype, d)
}

/** The constant mask of Φ (Murray 2016): ones below the diagonal, ½ on it, zeros above. */
export const phiMask = (n: number, dtype: DType): NdArray => {
  const d = allocate(dtype, n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) d[i * n + j] = i === j ? 0.5 : 1
  return new NdArray([n, n], dtype, d)
}

/**
 * The symmetric part `(A + Aᵀ)/2` of each matrix of a concrete array (for `impl`s, which run on
 * concrete values; rules use {@link symPart}).
 */
export const symmetrized = (a: NdArray): NdArray => {
  // malformed input is left for the kernel to reject with its typed error
  if (a.ndim < 2 || a.shape[a.ndim - 1] !== a.shape[a.ndim - 2] || !isFloat(a.dtype)) return a
  const n = dimFromEnd(a, 1)
  // read in place: `out` is new storage, so no copy of the input is needed
  const src = a._values('symmetrized')
  const out = allocate(a.dtype, src.length)
  for (let off = 0; off < src.length; off += n * n)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        out[off + i * n + j] = 0.5 * ((src[off + i * n + j] as number) + (src[off + j * n + i] as number))
  return new NdArray(a.shape, a.dtype, out)
}

/** The constant `[0, 1, …, n − 1]` (int32). */
export const iota = (n: number): NdArray => {
  const d = allocate('int32', n)
  for (let i = 0; i < n; i++) d[i] = i
  return new NdArray([n], 'int32', d)
}

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

/** The size of axis `-k` of `x` (k = 1: last). */
export const dimFromEnd = (x: { readonly shape: ReadonlyArray<number> }, k: number): number => {
  const d = x.shape[x.shape.length - k]
  if (d === undefined) throw new InternalError(`internal: matrix rule on an array of rank ${x.shape.length}`)
  return d
}

/** Batch matrix transpose (last two axes). */
export const mT = (x: NdArray): NdArray => {
  const nd = x.ndim
  const perm = Array.from({ length: nd }, (_, i) => i)
  perm[nd - 2] = nd - 1
  perm[nd - 1] = nd - 2
  return lax.transpose(x, perm)
}

/**
 * `x` with only the triangle `tri` of its last two axes kept, the rest +0 (a select, as `tril` /
 * `triu`: NaN, ±inf and signs outside the triangle do not leak through a multiplication by 0).
 */
export const keepTriangle = (x: NdArray, lower: boolean, k: 0 | 1): NdArray =>
  lax.select(triangleMask(dimFromEnd(x, 2), dimFromEnd(x, 1), { lower, k }, 'bool'), x, lax.scalarLike(0, x))

/** The symmetric part `(X + Xᵀ)/2` of each matrix. */
export const symPart = (x: NdArray): NdArray => lax.mulScalar(lax.add(x, mT(x)), 0.5)

/** `x + I` for square matrices `x`. */
export const addEye = (x: NdArray): NdArray => lax.add(x, eye(dimFromEnd(x, 1), x.dtype))

/** The diagonals `[..., n]` of square matrices `[..., n, n]`. */
export const diagPart = (x: NdArray): NdArray => lax.reduceSum(lax.mul(x, eye(dimFromEnd(x, 1), x.dtype)), [x.ndim - 1])

/** Diagonal matrices `[..., n, n]` from vectors `[..., n]`. */
export const diagMatrix = (v: NdArray): NdArray => {
  const n = dimFromEnd(v, 1)
  const shape = [...v.shape, n]
  const b = lax.broadcastInDim(
    v,
    shape,
    v.shape.map((_, i) => (i === v.ndim - 1 ? v.ndim : i)),
  )
  return lax.mul(b, eye(n, v.dtype))
}

/** `v[..., None, :]` broadcast to `[..., n, n]`: entry (i, j) is `v_j`. */
export const rowsOf = (v: NdArray): NdArray => {
  const n = dimFromEnd(v, 1)
  return lax.broadcastInDim(
    v,
    [...v.shape.slice(0, -1), n, n],
    v.shape.map((_, i) => (i === v.ndim - 1 ? v.ndim : i)),
  )
}

/** `v[..., :, None]` broadcast to `[..., n, n]`: entry (i, j) is `v_i`. */
export const colsOf = (v: NdArray): NdArray => {
  const n = dimFromEnd(v, 1)
  return lax.broadcastInDim(
    v,
    [...v.shape, n],
    v.shape.map((_, i) => i),
  )
}

/**
 * `F` with `F_ij = 1/(d_j − d_i)` off the diagonal and 0 on it, from `d` (`[..., n]`): the
 * eigenvector/singular-vector coupling of Giles 2008 and JAX's `eigh_jvp_rule`
 * (`1/(eye + d_j − d_i) − eye`). Degenerate `d` give infinities (JAX's convention: no special
 * handling of repeated eigenvalues).
 */
export const inverseGaps = (d: NdArray): NdArray => {
  const id = eye(dimFromEnd(d, 1), d.dtype)
  return lax.sub(lax.reciprocal(lax.add(lax.sub(rowsOf(d), colsOf(d)), id)), id)
}

/** Batch matrix product `a · b`. */
export const mm = (a: NdArray, b: NdArray): NdArray => lax.matmul(a, b, false, false)

/** `x_ij · v_j` for matrices `x` `[..., r, k]` and vectors `v` `[..., k]` (x·diag(v)). */
export const scaleColumns = (x: NdArray, v: NdArray): NdArray =>
  lax.mul(
    x,
    lax.broadcastInDim(
      v,
      x.shape,
      v.shape.map((_, i) => (i === v.ndim - 1 ? x.ndim - 1 : i)),
    ),
  )

/** `v_i · x_ij` for matrices `x` `[..., k, c]` and vectors `v` `[..., k]` (diag(v)·x). */
export const scaleRows = (x: NdArray, v: NdArray): NdArray =>
  lax.mul(
    x,
    lax.broadcastInDim(
      v,
      x.shape,
      v.shape.map((_, i) => (i === v.ndim - 1 ? x.ndim - 2 : i)),
    ),
  )

/** The sum of the present terms (symbolic zeros and undefined skipped); undefined when none is. */
export const sumPresent = (terms: ReadonlyArray<Linear | undefined>): NdArray | undefined => {
  let acc: NdArray | undefined
  for (const t of terms) if (t !== undefined && !isZero(t)) acc = acc === undefined ? t : lax.add(acc, t)
  return acc
}

/** `x`, which a kernel or rule must have produced (a library bug otherwise). */
export const present = (x: NdArray | undefined, what: string): NdArray => {
  if (x === undefined) throw new InternalError(`internal: ${what} produced no result`)
  return x
}

/** The permutation matrix P with `P·A = A[perm]`: `P_ij = [perm_i = j]`. */
export const permutationMatrix = (perm: NdArray, dtype: NdArray['dtype']): NdArray => {
  const m = dimFromEnd(perm, 1)
  const rows = lax.broadcastInDim(
    perm,
    [...perm.shape, m],
    perm.shape.map((_, i) => i),
  )
  return lax.cast(lax.eq(rows, iota(m)), dtype)
}
