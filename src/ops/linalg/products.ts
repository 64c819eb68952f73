/**
 * Products and SVD-based matrix functions of `jax.numpy(.linalg)`: diag and kron
 * (multiDot is in ./multiDot.ts, pinv and matrixRank in ./pinv.ts). Composites, so they differentiate where their parts do.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { ShapeError, ValueError, fmtShape } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, type ArrayLike } from '../convert'
import { diagonal } from './matrix'

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
