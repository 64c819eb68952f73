/**
 * More products and solvers of `jax.numpy(.linalg)`: `cross`, `tensordot`, `vander`, `lstsq`.
 * Composites of differentiable ops, so their derivatives are those of the formulas (lstsq's
 * through the SVD's rule, Townsend 2016, as JAX computes lstsq from the SVD too).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { ShapeError, ValueError, fmtShape } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes, normalizeAxis } from '../../ndarray/shape'
import { asArray, toFloat, type ArrayLike } from '../convert'
import { named } from './common'
import { svd } from './decompositions'
import { defaultRtol, matrixRankWith, pinvWith } from './pinv'

/** Options of {@link cross}. @category ops @since 0.2.0 */
export interface CrossOptions {
  /** The axis holding the 3-vectors (after broadcasting). @defaultValue -1 */
  readonly axis?: number
}

/** Component `i` of the vectors along `axis`, kept as a size-1 axis. */
const component = (x: NdArray, axis: number, i: number): NdArray => {
  const start = x.shape.map((_, k) => (k === axis ? i : 0))
  const limit = x.shape.map((d, k) => (k === axis ? i + 1 : d))
  return lax.slice(
    x,
    start,
    limit,
    x.shape.map(() => 1),
  )
}

/**
 * Cross product of 3-vectors along `axis`, broadcasting the other axes (`jax.numpy.linalg.cross`).
 * @example
 * import { linalg, array } from 'wengert'
 * const c = linalg.cross(array([1, 0, 0], { dtype: 'float64' }), array([0, 1, 0], { dtype: 'float64' }))
 * assert.deepStrictEqual(c.toArray(), [0, 0, 1])
 * @category ops @since 0.2.0
 */
export const cross = (x: ArrayLike, y: ArrayLike, options?: CrossOptions): NdArray => {
  const o = checkOptions('cross', options, ['axis'])
  let a = toFloat(asArray('cross', x))
  let b = toFloat(asArray('cross', y))
  const shape = broadcastShapes('cross', a.shape, b.shape)
  const dtype = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : a.dtype
  a = lax.broadcastTo(a.dtype === dtype ? a : lax.cast(a, dtype), shape)
  b = lax.broadcastTo(b.dtype === dtype ? b : lax.cast(b, dtype), shape)
  const axis = normalizeAxis('cross', o.axis ?? -1, shape.length)
  if (shape[axis] !== 3)
    throw new ShapeError(
      `cross: the vectors along axis ${o.axis ?? -1} must have 3 components, got shape ${fmtShape(shape)}`,
    )
  const [a0, a1, a2] = [0, 1, 2].map((i) => component(a, axis, i)) as [NdArray, NdArray, NdArray]
  const [b0, b1, b2] = [0, 1, 2].map((i) => component(b, axis, i)) as [NdArray, NdArray, NdArray]
  const det2 = (p: NdArray, q: NdArray, r: NdArray, s: NdArray): NdArray => lax.sub(lax.mul(p, q), lax.mul(r, s))
  return lax.concatenate([det2(a1, b2, a2, b1), det2(a2, b0, a0, b2), det2(a0, b1, a1, b0)], axis)
}

/**
 * Sum of products over axes of `a` and `b` (`jax.numpy.tensordot`): `axes` N contracts the
 * last N axes of `a` with the first N of `b`; a pair `[axesA, axesB]` names them.
 * @example
 * import { tensordot, array } from 'wengert'
 * const a = array([[1, 2], [3, 4]], { dtype: 'float64' })
 * assert.strictEqual(tensordot(a, a).item(), 30)
 * assert.deepStrictEqual(tensordot(a, a, 1).toArray(), [[7, 10], [15, 22]])
 * assert.deepStrictEqual(tensordot(a, a, [[0], [0]]).toArray(), [[10, 14], [14, 20]])
 * @category ops @since 0.2.0
 */
export const tensordot = (
  x: ArrayLike,
  y: ArrayLike,
  axes: number | readonly [number | ReadonlyArray<number>, number | ReadonlyArray<number>] = 2,
): NdArray => {
  let a = asArray('tensordot', x)
  let b = asArray('tensordot', y)
  if (a.dtype !== b.dtype) {
    const dt = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32'
    ;[a, b] = [toFloat(a, dt), toFloat(b, dt)].map((t) => (t.dtype === dt ? t : lax.cast(t, dt))) as [NdArray, NdArray]
  }
  let axA: number[]
  let axB: number[]
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > a.ndim || axes > b.ndim)
      throw new ValueError(`tensordot: axes must be an integer in [0, ${Math.min(a.ndim, b.ndim)}], got ${axes}`)
    axA = Array.from({ length: axes }, (_, i) => a.ndim - axes + i)
    axB = Array.from({ length: axes }, (_, i) => i)
  } else {
    const list = (v: number | ReadonlyArray<number>): number[] => (typeof v === 'number' ? [v] : [...v])
    axA = list(axes[0]).map((d) => normalizeAxis('tensordot', d, a.ndim))
    axB = list(axes[1]).map((d) => normalizeAxis('tensordot', d, b.ndim))
    if (axA.length !== axB.length)
      throw new ValueError(`tensordot: the axes lists must have equal lengths, got ${axA.length} and ${axB.length}`)
  }
  axA.forEach((d, i) => {
    if (a.shape[d] !== b.shape[axB[i] as number])
      throw new ShapeError(
        `tensordot: shape mismatch along contracted axes: ${fmtShape(a.shape)} axis ${d} vs ${fmtShape(b.shape)} axis ${axB[i]}`,
      )
  })
  const freeA = a.shape.map((_, i) => i).filter((i) => !axA.includes(i))
  const freeB = b.shape.map((_, i) => i).filter((i) => !axB.includes(i))
  const size = (s: ReadonlyArray<number>, ix: ReadonlyArray<number>): number =>
    ix.reduce((p, i) => p * (s[i] as number), 1)
  const k = size(a.shape, axA)
  const a2 = lax.reshape(lax.transpose(a, [...freeA, ...axA]), [size(a.shape, freeA), k])
  const b2 = lax.reshape(lax.transpose(b, [...axB, ...freeB]), [k, size(b.shape, freeB)])
  return lax.reshape(lax.matmul(a2, b2), [
    ...freeA.map((i) => a.shape[i] as number),
    ...freeB.map((i) => b.shape[i] as number),
  ])
}

/** Options of {@link vander}. @category ops @since 0.2.0 */
export interface VanderOptions {
  /** Powers increase from left to right (x⁰ first). @defaultValue false */
  readonly increasing?: boolean
}

/**
 * Vandermonde matrix of a 1-D `x` (`jax.numpy.vander`): `N` columns (default `len(x)`) of the
 * powers x^(N−1), …, x, 1 (reversed with `increasing`), built by repeated multiplication so the
 * derivative is exact at x = 0.
 * @example
 * import { vander, array } from 'wengert'
 * assert.deepStrictEqual(vander(array([2, 3]), 3).toArray(), [[4, 2, 1], [9, 3, 1]])
 * assert.deepStrictEqual(vander(array([2, 3]), null, { increasing: true }).toArray(), [[1, 2], [1, 3]])
 * @category ops @since 0.2.0
 */
export const vander = (x: ArrayLike, N: number | null = null, options?: VanderOptions): NdArray => {
  const o = checkOptions('vander', options, ['increasing'])
  const v = asArray('vander', x)
  if (v.ndim !== 1) throw new ShapeError(`vander: x must be 1-D, got shape ${fmtShape(v.shape)}`)
  const n = N ?? (v.shape[0] as number)
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`vander: N must be a non-negative integer, got ${String(N)}`)
  const col = lax.reshape(v, [v.shape[0] as number, 1])
  const powers: NdArray[] = []
  for (let p = 0; p < n; p++)
    powers.push(
      p === 0
        ? lax.broadcastTo(lax.scalarLike(1, col), col.shape)
        : p === 1
          ? col
          : lax.mul(powers[p - 1] as NdArray, col),
    )
  if (o.increasing !== true) powers.reverse()
  return n === 0 ? lax.zerosLike({ shape: [v.shape[0] as number, 0], dtype: v.dtype }) : lax.concatenate(powers, 1)
}

/** Options of {@link lstsq}. @category ops @since 0.2.0 */
export interface LstsqOptions {
  /** Singular values at most `rcond · max(s)` count as zero. @defaultValue `max(m, n) · eps` of the dtype */
  readonly rcond?: number | null
}

/** The result of {@link lstsq}: `[x, residuals, rank, s]`, also by name. @category ops @since 0.2.0 */
export type LstsqResult = readonly [NdArray, NdArray, NdArray, NdArray] & {
  readonly x: NdArray
  readonly residuals: NdArray
  readonly rank: NdArray
  readonly s: NdArray
}

/**
 * Least-squares solution of `a·x = b` (`jax.numpy.linalg.lstsq`; a is m×n, b m or m×k), from
 * the SVD: `[x, residuals, rank, s]`. As JAX's (shapes may not depend on values), `residuals`
 * holds the squared 2-norms of the columns of `b − a·x` when m > n (shape [k], [1] for a 1-D
 * `b`) whatever the rank, and is empty when m ≤ n; `rank` is int32.
 * @example
 * import { linalg, array } from 'wengert'
 * const a = array([[1, 0], [0, 1], [1, 1]], { dtype: 'float64' })
 * const [x, residuals, rank] = linalg.lstsq(a, array([1, 1, 0], { dtype: 'float64' }))
 * assert.deepStrictEqual((x.toArray() as number[]).map((v) => Math.round(v * 1e12) / 1e12), [1 / 3, 1 / 3].map((v) => Math.round(v * 1e12) / 1e12))
 * assert.ok(Math.abs(Number((residuals.toArray() as number[])[0]) - 4 / 3) < 1e-12)
 * assert.strictEqual(rank.item(), 2)
 * @category ops @since 0.2.0
 */
export const lstsq = (a0: ArrayLike, b0: ArrayLike, options?: LstsqOptions): LstsqResult => {
  const o = checkOptions('lstsq', options, ['rcond'])
  const a = toFloat(asArray('lstsq', a0))
  let b = asArray('lstsq', b0)
  b = b.dtype === a.dtype ? b : lax.cast(b, a.dtype)
  if (a.ndim !== 2) throw new ShapeError(`lstsq: a must be 2-D, got shape ${fmtShape(a.shape)}`)
  if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== a.shape[0])
    throw new ShapeError(
      `lstsq: b must be [${a.shape[0]}] or [${a.shape[0]}, k] for a of shape ${fmtShape(a.shape)}, got ${fmtShape(b.shape)}`,
    )
  const [m, n] = a.shape as [number, number]
  const vector = b.ndim === 1
  const b2 = vector ? lax.reshape(b, [m, 1]) : b
  const tol = { atol: 0, rtol: o.rcond ?? defaultRtol(a) }
  const x2 = lax.matmul(pinvWith(a, tol, false), b2)
  const r = lax.sub(b2, lax.matmul(a, x2))
  const residuals = m > n ? lax.reduceSum(lax.mul(r, r), [0]) : lax.zerosLike({ shape: [0], dtype: a.dtype })
  const rank = matrixRankWith(a, tol, false)
  const s = svd(a, { computeUv: false })
  const x = vector ? lax.reshape(x2, [n]) : x2
  return named([x, residuals, rank, s] as const, { x, residuals, rank, s })
}
