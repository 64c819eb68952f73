/**
 * Products and SVD-based matrix functions of `jax.numpy(.linalg)`: diag, kron, multiDot, pinv,
 * matrixRank. Composites, so they differentiate where their parts do.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { ShapeError, ValueError, fmtShape } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, type ArrayLike } from '../convert'
import { matmul } from '../linalg'
import { diagonal } from './matrix'
import { scaleColumns } from '../../core/primitives/matrixRules'
import { matrixArg, swapLast } from './common'
import { svd } from './decompositions'

/**
 * A 1-D array gives the square matrix with it on the diagonal; a 2-D array gives its main
 * diagonal (`jnp.diag` with k = 0).
 * @example
 * import { diag, array } from 'wengert'
 * assert.deepStrictEqual(diag(array([1, 2])).toArray(), [[1, 0], [0, 2]])
 * assert.deepStrictEqual(diag(array([[1, 2], [3, 4]])).toArray(), [1, 4])
 * @category ops @since 0.2.0
 */
export const diag = (x: ArrayLike): NdArray => {
  const v = asArray('diag', x)
  if (v.ndim === 2) return diagonal(v)
  if (v.ndim !== 1) throw new ShapeError(`diag: expected a 1-D or 2-D array, got shape ${fmtShape(v.shape)}`)
  const n = v.shape[0] as number
  // v padded with n zeros after each entry, flattened and cut to n·n: the entries land on i·(n+1)
  const cols = lax.reshape(v, [n, 1])
  const padded = lax.pad(cols, [0, 0], [0, n], [0, 0], 0)
  return lax.reshape(lax.slice(lax.reshape(padded, [n * (n + 1)]), [0], [n * n], [1]), [n, n])
}

/**
 * Kronecker product of two matrices (or vectors): block (i, j) is `a_ij · b`.
 * @example
 * import { kron, array } from 'wengert'
 * assert.deepStrictEqual(kron(array([[1, 2]]), array([[1], [10]])).toArray(), [[1, 2], [10, 20]])
 * @category ops @since 0.2.0
 */
export const kron = (x: ArrayLike, y: ArrayLike): NdArray => {
  const a0 = asArray('kron', x)
  const b0 = asArray('kron', y)
  if (a0.ndim > 2 || b0.ndim > 2 || a0.ndim !== b0.ndim)
    throw new ValueError(
      `kron: operands of equal rank 1 or 2 are supported, got shapes ${fmtShape(a0.shape)} and ${fmtShape(b0.shape)}`,
    )
  const a = a0.ndim === 1 ? lax.reshape(a0, [1, a0.size]) : a0
  const b = b0.ndim === 1 ? lax.reshape(b0, [1, b0.size]) : b0
  const [m, n] = a.shape as [number, number]
  const [p, q] = b.shape as [number, number]
  // out[i, k, j, l] = a[i, j] · b[k, l]
  const shape = [m, p, n, q]
  const prod = lax.mul(lax.broadcastInDim(a, shape, [0, 2]), lax.broadcastInDim(b, shape, [1, 3]))
  const out = lax.reshape(prod, [m * p, n * q])
  return a0.ndim === 1 ? lax.reshape(out, [n * q]) : out
}

/**
 * The product of several matrices, left to right (`jnp.linalg.multi_dot`; 1-D first/last
 * operands are a row/column vector).
 * @example
 * import { linalg, array } from 'wengert'
 * const m = linalg.multiDot([array([1, 2]), array([[1, 0], [0, 2]]), array([1, 1])])
 * assert.strictEqual(m.item(), 5)
 * @category ops @since 0.2.0
 */
export const multiDot = (arrays: ReadonlyArray<ArrayLike>): NdArray => {
  if (arrays.length < 2) throw new ValueError(`multiDot: expected at least two arrays, got ${arrays.length}`)
  return arrays.slice(1).reduce<NdArray>((acc, x) => matmul(acc, x), asArray('multiDot', arrays[0] as ArrayLike))
}

/** Options of {@link pinv} and {@link matrixRank}. @category ops @since 0.2.0 */
export interface RankOptions {
  /** Singular values at most `rtol · max(s)` count as zero. @defaultValue `max(m, n) · eps` of the dtype */
  readonly rtol?: number
}

const cutoff = (a: NdArray, s: NdArray, rtol: number | undefined): NdArray => {
  const [m, n] = [a.shape[a.ndim - 2] as number, a.shape[a.ndim - 1] as number]
  const eps = a.dtype === 'float64' ? 2.220446049250313e-16 : 1.1920929e-7
  const smax = lax.reduceMax(s, [s.ndim - 1])
  const t = lax.mulScalar(smax, rtol ?? Math.max(m, n) * eps)
  return lax.broadcastInDim(
    t,
    s.shape,
    t.shape.map((_, i) => i),
  )
}

/**
 * Moore–Penrose pseudo-inverse via the SVD (singular values at most `rtol · max(s)` dropped),
 * batched.
 * @example
 * import { linalg, array } from 'wengert'
 * const p = linalg.pinv(array([[1, 0], [0, 0]], { dtype: 'float64' }))
 * assert.deepStrictEqual(p.toArray(), [[1, 0], [0, 0]])
 * @category ops @since 0.2.0
 */
export const pinv = (x: ArrayLike, options: RankOptions = {}): NdArray => {
  const a = matrixArg('pinv', x)
  const [u, s, vh] = svd(a, { fullMatrices: false })
  const keep = lax.gt(s, cutoff(a, s, options.rtol))
  const sInv = lax.select(keep, lax.reciprocal(lax.select(keep, s, lax.scalarLike(1, s))), lax.scalarLike(0, s))
  // A⁺ = V·diag(1/s)·Uᵀ
  const vs = scaleColumns(swapLast(vh), sInv)
  return lax.matmul(vs, u, false, true)
}

/**
 * Number of singular values above `rtol · max(s)` (int32), batched.
 * @example
 * import { linalg, array } from 'wengert'
 * assert.strictEqual(linalg.matrixRank(array([[1, 2], [2, 4]], { dtype: 'float64' })).item(), 1)
 * @category ops @since 0.2.0
 */
export const matrixRank = (x: ArrayLike, options: RankOptions = {}): NdArray => {
  const a = matrixArg('matrixRank', x)
  const s = svd(a, { computeUv: false })
  return lax.reduceSum(lax.cast(lax.gt(s, cutoff(a, s, options.rtol)), 'int32'), [s.ndim - 1])
}
