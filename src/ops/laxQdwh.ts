/**
 * `lax.linalg.qdwh` (JAX: `jax.lax.linalg.qdwh`): the polar decomposition x = u·h by the
 * QR-based dynamically weighted Halley iteration of Nakatsukasa, Bai & Gygi, "Optimizing Halley's
 * iteration for computing the matrix polar decomposition", SIAM J. Matrix Anal. Appl. 31(5),
 * 2010. Re-exported by `./laxLinalg`.
 *
 * The weights (a, b, c) of step k depend only on the lower bound ℓ of the scaled matrix's
 * smallest singular value, which starts at `eps` and follows the paper's recurrence — a sequence
 * known before the data is seen. So the iteration is unrolled `maxIterations` times with the
 * data-dependent stopping test (‖uₖ − uₖ₋₁‖_F ≤ tol) folded in as a mask: a step after
 * convergence leaves u unchanged. That keeps `qdwh` a composition of differentiable primitives
 * (QR, Cholesky, triangular solves, matmul), usable under `jit` and `vmap` with no
 * data-dependent control flow; eagerly it stops as soon as the mask is all false.
 *
 * @category ops
 * @since 0.7.0
 */
import * as lax from '../core/lax'
import { Tracer } from '../core/trace'
import { DTypeError, ShapeError, ValueError, fmtTuple } from '../ndarray/errors'
import { eye } from '../ndarray/create'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, type ArrayLike } from './convert'

/** Options of {@link qdwh} (JAX's keywords). @category ops @since 0.7.0 */
export interface QdwhOptions {
  /** x is symmetric: each iterate is symmetrised. @defaultValue false */
  readonly isHermitian?: boolean
  /** The iteration stops after this many steps even if not converged. @defaultValue 10 */
  readonly maxIterations?: number | null
  /** The tolerance scale; default the dtype's machine epsilon. */
  readonly eps?: number | null
  /** JAX's padded-shape option: not supported (pass the unpadded matrix). */
  readonly dynamicShape?: readonly [number, number] | null
}

const mm = (a: NdArray, b: NdArray, ta = false, tb = false): NdArray => lax.matmul(a, b, ta, tb)
const scale = (x: NdArray, v: number): NdArray => lax.mulScalar(x, v)
const frobenius = (x: NdArray): NdArray => lax.sqrt(lax.reduceSum(lax.mul(x, x), [0, 1]))
/** max over columns of the column sums of |x| (`axis` 0) or over rows of the row sums (`axis` 1). */
const maxAbsSum = (x: NdArray, axis: number): NdArray => lax.reduceMax(lax.reduceSum(lax.abs(x), [axis]), [0])

/** The paper's weights for the current bound ℓ (eq. 3.9–3.11) and the next bound. */
const weights = (l: number): { a: number; b: number; c: number; next: number } => {
  const l2 = l * l
  const dd = Math.cbrt((4 * (1 / l2 - 1)) / l2)
  const sqd = Math.sqrt(1 + dd)
  const a = sqd + Math.sqrt(8 - 4 * dd + (8 * (2 - l2)) / (l2 * sqd)) / 2
  const b = (a - 1) ** 2 / 4
  const c = a + b - 1
  return { a, b, c, next: (l * (a + b * l2)) / (1 + c * l2) }
}

/** One QR-based step: [√c·u; I] = [Q₁; Q₂]·R, u ← (b/c)·u + (a − b/c)/√c · Q₁·Q₂ᵀ (eq. 3.15). */
const qrStep = (u: NdArray, a: number, b: number, c: number): NdArray => {
  const [m, n] = u.shape as [number, number]
  const y = lax.concatenate([scale(u, Math.sqrt(c)), eye(n, { dtype: u.dtype })], 0)
  const [q] = lax.qr(y, { fullMatrices: false })
  const q1 = lax.slice(q, [0, 0], [m, n], [1, 1])
  const q2 = lax.slice(q, [m, 0], [m + n, n], [1, 1])
  const e = b / c
  return lax.add(scale(u, e), scale(mm(q1, q2, false, true), (a - e) / Math.sqrt(c)))
}

/** One Cholesky-based step: W·Wᵀ = I + c·uᵀu, u ← (b/c)·u + (a − b/c)·u·(I + c·uᵀu)⁻¹ (eq. 3.16). */
const choleskyStep = (u: NdArray, a: number, b: number, c: number): NdArray => {
  const n = u.shape[1] as number
  const w = lax.cholesky(lax.add(scale(mm(u, u, true, false), c), eye(n, { dtype: u.dtype })))
  const lower = { leftSide: true, lower: true, unitDiagonal: false }
  const z1 = lax.triangularSolve(w, lax.transpose(u, [1, 0]), { ...lower, transposeA: false })
  const z = lax.transpose(lax.triangularSolve(w, z1, { ...lower, transposeA: true }), [1, 0])
  const e = b / c
  return lax.add(scale(u, e), scale(z, a - e))
}

/** False once `active` is a concrete all-false mask (no later step can change anything). */
const mayContinue = (active: NdArray): boolean => active instanceof Tracer || active.item() !== false

/**
 * The polar decomposition by QDWH (JAX: `lax.linalg.qdwh(x, *, is_hermitian=False,
 * max_iterations=None, eps=None, dynamic_shape=None)`): `[u, h, numIters, isConverged]` with
 * x = u·h, u with orthonormal columns, h symmetric positive semidefinite, for a full-rank
 * x [m, n], m ≥ n. After the Halley steps one Newton–Schulz step refines u (u ← 1.5u −
 * 0.5·u·uᵀu) and h = sym(uᵀx), as JAX's. `numIters` is int32, `isConverged` bool. Differentiable
 * in both modes (JAX: forward mode only, through its while loop).
 * @example
 * import { lax, array, matmul } from 'wengert'
 * const x = array([[2, 1], [1, 3], [0, 1]], { dtype: 'float64' })
 * const [u, h, , converged] = lax.linalg.qdwh(x)
 * assert.strictEqual(converged.item(), true)
 * const back = matmul(u, h).toArray() as number[][]
 * assert.ok(Math.abs((back[1]?.[1] ?? 0) - 3) < 1e-10)
 * @category ops
 * @since 0.7.0
 */
export const qdwh = (x: ArrayLike, options: QdwhOptions = {}): readonly [NdArray, NdArray, NdArray, NdArray] => {
  const op = 'qdwh'
  const a = asArray(op, x)
  if (a.dtype !== 'float32' && a.dtype !== 'float64')
    throw new DTypeError(`${op}: expected a float32 or float64 matrix, got ${a.dtype}`)
  if (a.ndim !== 2) throw new ShapeError(`${op}: expected a matrix of shape M x N, got shape ${fmtTuple(a.shape)}`)
  const [m, n] = a.shape as [number, number]
  if (m < n)
    throw new ValueError(`${op}: The input matrix of shape M x N must have M >= N, got shape ${fmtTuple(a.shape)}.`)
  if (options.dynamicShape !== undefined && options.dynamicShape !== null)
    throw new ValueError(`${op}: dynamic_shape (a padded input) is not supported; pass the unpadded matrix`)
  const maxIterations = options.maxIterations ?? 10
  if (!Number.isInteger(maxIterations) || maxIterations < 1)
    throw new ValueError(`${op}: max_iterations must be a positive integer, got ${String(maxIterations)}`)
  const eps = options.eps ?? (a.dtype === 'float64' ? 2 ** -52 : 2 ** -23)
  if (!(eps > 0 && eps < 1)) throw new ValueError(`${op}: eps must be in (0, 1), got ${eps}`)
  const alpha = lax.mul(lax.sqrt(maxAbsSum(a, 0)), lax.sqrt(maxAbsSum(a, 1)))
  let u = lax.div(a, alpha)
  const tolL = 5 * eps
  const tolNorm = Math.cbrt(tolL)
  let l = eps
  let active = lax.scalar(1, 'bool')
  let unconverged = active
  let count = lax.scalar(0, 'int32')
  for (let k = 1; k <= maxIterations && mayContinue(active); k++) {
    const w = weights(l)
    l = w.next
    let next = w.c > 100 ? qrStep(u, w.a, w.b, w.c) : choleskyStep(u, w.a, w.b, w.c)
    if (options.isHermitian === true) next = scale(lax.add(next, lax.transpose(next, [1, 0])), 0.5)
    const moving = lax.gt(frobenius(lax.sub(next, u)), lax.scalar(tolNorm, u.dtype))
    const unc = Math.abs(1 - l) > tolL ? lax.scalar(1, 'bool') : moving
    u = lax.select(active, next, u)
    unconverged = lax.select(active, unc, unconverged)
    count = lax.add(count, lax.convertElementType(active, 'int32'))
    active = k < maxIterations ? lax.and(active, unc) : lax.scalar(0, 'bool')
  }
  u = lax.sub(scale(u, 1.5), scale(mm(u, mm(u, u, true, false)), 0.5))
  const h0 = mm(u, a, true, false)
  const h = scale(lax.add(h0, lax.transpose(h0, [1, 0])), 0.5)
  return [u, h, count, lax.not(unconverged)]
}
