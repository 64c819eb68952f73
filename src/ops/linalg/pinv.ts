/**
 * `jnp.linalg.pinv` and `jnp.linalg.matrix_rank` (with `hermitian`), on a shared internal core
 * that also takes PyTorch's absolute tolerance (`atol`) for the facade. The pseudo-inverse's
 * derivative is the Golub–Pereyra formula (G. H. Golub and V. Pereyra, "The differentiation of
 * pseudo-inverses and nonlinear least squares problems whose variables separate", SIAM J. Numer.
 * Anal. 10(2), 1973, eq. 4.12), as JAX's custom JVP and PyTorch's `pinv_backward`; it holds
 * where the rank is locally constant (no singular value at the cutoff).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { scaleColumns } from '../../core/primitives/matrixRules'
import { ShapeError, ValueError, fmtShape } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { checkOptions } from '../../internal/options'
import { customJvp } from '../../transforms/custom'
import { asArray, type ArrayLike } from '../convert'
import { fromTriangle, matrixArg, swapLast } from './common'

/** A tolerance: a number, or an array of the batch shape (one per matrix). */
export type Tolerance = number | NdArray

/** The internal tolerances: singular values at most `max(atol, rtol · max(s))` count as zero. */
export interface Tolerances {
  readonly atol: Tolerance
  readonly rtol: Tolerance
}

const EPS = { float64: 2.220446049250313e-16, float32: 1.1920929e-7 } as const

/** `max(m, n) · eps` of `a`'s dtype: the default relative tolerance of NumPy, JAX and PyTorch. */
export const defaultRtol = (a: NdArray): number =>
  Math.max(a.shape[a.ndim - 2] as number, a.shape[a.ndim - 1] as number) *
  (a.dtype === 'float64' ? EPS.float64 : EPS.float32)

/** A tolerance as an array of `s`'s dtype and batch shape. */
const tolArray = (t: Tolerance, s: NdArray): NdArray => {
  const batch = s.shape.slice(0, -1)
  const v = typeof t === 'number' ? lax.scalarLike(t, s) : lax.cast(t, s.dtype)
  return lax.broadcastTo(v, batch)
}

/** The cutoff `max(atol, rtol · max(s))` broadcast over `s` (`s` ≥ 0, along the last axis). */
const cutoff = (s: NdArray, tol: Tolerances): NdArray => {
  const smax =
    s.shape[s.ndim - 1] === 0
      ? lax.broadcastTo(lax.scalarLike(0, s), s.shape.slice(0, -1))
      : lax.reduceMax(s, [s.ndim - 1])
  const t = lax.max(tolArray(tol.atol, s), lax.mul(tolArray(tol.rtol, s), smax))
  return lax.broadcastInDim(
    t,
    s.shape,
    t.shape.map((_, i) => i),
  )
}

/** `1/x` where `keep`, else 0 (no division by the dropped values, so no NaN in derivatives). */
const safeReciprocal = (x: NdArray, keep: NdArray): NdArray =>
  lax.select(keep, lax.reciprocal(lax.select(keep, x, lax.scalarLike(1, x))), lax.scalarLike(0, x))

/** The pseudo-inverse's value: from the SVD, or (hermitian) from `eigh` of the lower triangle. */
const pinvValue = (a: NdArray, tol: Tolerances, hermitian: boolean): NdArray => {
  if (hermitian) {
    const [w, v] = lax.eigh(fromTriangle(a, true)) as readonly [NdArray, NdArray]
    const wInv = safeReciprocal(w, lax.gt(lax.abs(w), cutoff(lax.abs(w), tol)))
    return lax.matmul(scaleColumns(v, wInv), v, false, true)
  }
  const [s, u, vh] = lax.svd(a, { fullMatrices: false, computeUv: true }) as readonly [NdArray, NdArray, NdArray]
  const sInv = safeReciprocal(s, lax.gt(s, cutoff(s, tol)))
  // A⁺ = V·diag(1/s)·Uᵀ
  return lax.matmul(scaleColumns(swapLast(vh), sInv), u, false, true)
}

/**
 * The pseudo-inverse of a float matrix batch `a` (internal; `hermitian` reads the lower
 * triangle), differentiable to any order by the Golub–Pereyra JVP:
 * Ṗ = −P·Ȧ·P + P·Pᵀ·Ȧᵀ·(I − A·P) + (I − P·A)·Ȧᵀ·Pᵀ·P.
 */
export const pinvWith = (a: NdArray, tol: Tolerances, hermitian: boolean): NdArray => {
  const f = customJvp((x: NdArray): NdArray => pinvValue(x, tol, hermitian))
  f.defjvp(([x], [dx]) => {
    const p = f(x as NdArray)
    const d = dx as NdArray
    const mm = (l: NdArray, r: NdArray, tl = false, tr = false): NdArray => lax.matmul(l, r, tl, tr)
    const first = lax.neg(mm(mm(p, d), p))
    // P·Pᵀ·(Ȧᵀ − Ȧᵀ·A·P)
    const dT = swapLast(d)
    const second = mm(mm(p, p, false, true), lax.sub(dT, mm(mm(dT, x as NdArray), p)))
    // (Ȧᵀ·Pᵀ·P) − P·A·(Ȧᵀ·Pᵀ·P)
    const dtpp = mm(dT, mm(p, p, true, false))
    const third = lax.sub(dtpp, mm(mm(p, x as NdArray), dtpp))
    return [p, lax.add(lax.add(first, second), third)]
  })
  return f(a)
}

/** The number of singular values (|eigenvalues| if `hermitian`) above the cutoff (internal), int32. */
export const matrixRankWith = (a: NdArray, tol: Tolerances, hermitian: boolean): NdArray => {
  const s = hermitian
    ? lax.abs((lax.eigh(fromTriangle(a, true)) as readonly [NdArray, NdArray])[0])
    : ((lax.svd(a, { fullMatrices: false, computeUv: false }) as readonly NdArray[])[0] as NdArray)
  return lax.reduceSum(lax.cast(lax.gt(s, cutoff(s, tol)), 'int32'), [s.ndim - 1])
}

const squareIfHermitian = (op: string, a: NdArray, hermitian: boolean): NdArray => {
  if (!hermitian) return a
  if (a.shape[a.ndim - 1] !== a.shape[a.ndim - 2])
    throw new ShapeError(`${op}: hermitian=true needs square matrices, got shape ${fmtShape(a.shape)}`)
  // JAX symmetrises the input of its eigh: (A + Aᵀ)/2
  return lax.mulScalar(lax.add(a, swapLast(a)), 0.5)
}

/** Options of {@link pinv}. @category ops @since 0.2.0 */
export interface PinvOptions {
  /** Singular values at most `rtol · max(s)` count as zero (a number or one per matrix). @defaultValue `10 · max(m, n) · eps` of the dtype (JAX's) */
  readonly rtol?: Tolerance
  /** Use `eigh` of the symmetric (A + Aᵀ)/2 instead of the SVD. @defaultValue false */
  readonly hermitian?: boolean
  /** JAX's older name of `rtol`; give at most one of them. */
  readonly rcond?: Tolerance
}

const pickRtol = (
  op: string,
  rtol: Tolerance | undefined,
  alias: Tolerance | undefined,
  name: string,
): Tolerance | undefined => {
  if (rtol !== undefined && alias !== undefined) throw new ValueError(`${op}: give only one of rtol and ${name}`)
  return rtol ?? alias
}

/**
 * Moore–Penrose pseudo-inverse (`jnp.linalg.pinv`), batched: from the SVD (or `eigh` with
 * `hermitian`), singular values at most `rtol · max(s)` dropped. Differentiable to any order
 * (Golub–Pereyra) where the rank does not change.
 * @example
 * import { linalg, array } from 'wengert'
 * const p = linalg.pinv(array([[1, 0], [0, 0]], { dtype: 'float64' }))
 * assert.deepStrictEqual(p.toArray(), [[1, 0], [0, 0]])
 * const h = linalg.pinv(array([[2, 0], [0, 4]], { dtype: 'float64' }), { hermitian: true })
 * assert.deepStrictEqual(h.toArray(), [[0.5, 0], [0, 0.25]])
 * @category ops @since 0.2.0
 */
export const pinv = (x: ArrayLike, options?: PinvOptions): NdArray => {
  const o = checkOptions('pinv', options, ['rtol', 'hermitian', 'rcond'])
  const hermitian = o.hermitian ?? false
  const a = squareIfHermitian('pinv', matrixArg('pinv', x), hermitian)
  const rtol = pickRtol('pinv', o.rtol, o.rcond, 'rcond') ?? 10 * defaultRtol(a)
  return pinvWith(a, { atol: 0, rtol }, hermitian)
}

/** Options of {@link matrixRank}. @category ops @since 0.2.0 */
export interface MatrixRankOptions {
  /** Singular values at most `rtol · max(s)` count as zero (a number or one per matrix). @defaultValue `max(m, n) · eps` of the dtype */
  readonly rtol?: Tolerance
  /** Count |eigenvalues| of the symmetric (A + Aᵀ)/2 instead of singular values. @defaultValue false */
  readonly hermitian?: boolean
  /** JAX's older name of `rtol`; give at most one of them. */
  readonly tol?: Tolerance
}

/**
 * The rank of a matrix batch (`jnp.linalg.matrix_rank`): the number of singular values above
 * `rtol · max(s)`, int32. A 0-D or 1-D input has rank 1 unless all zero, as in JAX.
 * @example
 * import { linalg, array } from 'wengert'
 * assert.strictEqual(linalg.matrixRank(array([[1, 2], [2, 4]], { dtype: 'float64' })).item(), 1)
 * assert.strictEqual(linalg.matrixRank(array([[1, 0], [0, 1e-3]]), { rtol: 0.01 }).item(), 1)
 * @category ops @since 0.2.0
 */
export const matrixRank = (x: ArrayLike, options?: MatrixRankOptions): NdArray => {
  const o = checkOptions('matrixRank', options, ['rtol', 'hermitian', 'tol'])
  const v = asArray('matrixRank', x)
  if (v.ndim < 2)
    return lax.cast(
      lax.reduceOr(
        lax.ne(v, lax.scalarLike(0, v)),
        v.shape.map((_, i) => i),
      ),
      'int32',
    )
  const hermitian = o.hermitian ?? false
  const a = squareIfHermitian('matrixRank', matrixArg('matrixRank', v), hermitian)
  const rtol = pickRtol('matrixRank', o.rtol, o.tol, 'tol') ?? defaultRtol(a)
  return matrixRankWith(a, { atol: 0, rtol }, hermitian)
}
