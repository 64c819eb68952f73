/**
 * Multivariate samplers of `jax.random`: `multivariateNormal` (through a Cholesky, eigh or SVD
 * factor of the covariance, all differentiable) and `orthogonal` (Haar-distributed matrices).
 *
 * @category random
 * @since 0.2.0
 */
import { checkOptions } from '../../internal/options'
import { DTypeError, ShapeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import { asArray, type ArrayLike } from '../convert'
import { abs, sqrt } from '../unary'
import { add, div, mul } from '../elementwise'
import { expandDims, squeeze } from '../layout'
import { matmul } from '../linalg'
import { cholesky, eigh, qr, svd } from '../linalg/decompositions'
import { diagonal } from '../linalg/matrix'
import { checkSingleKey, type KeyArray } from './keys'
import { shapeOf, type FloatDType } from './common'
import { normal } from './samplers'

/** Options of {@link multivariateNormal}. @category random @since 0.2.0 */
export interface MultivariateNormalOptions {
  /** The float dtype (default: the mean's if float64, else float32). */
  readonly dtype?: FloatDType
  /** How the covariance is factored: 'cholesky' (default), 'eigh' or 'svd', as JAX. */
  readonly method?: 'cholesky' | 'eigh' | 'svd'
}

/**
 * Multivariate normal draws N(mean, cov) (JAX: `jax.random.multivariate_normal`):
 * mean + F·z with z standard normal and F·Fᵀ = cov. The shape defaults to the broadcast batch
 * shape of mean and cov. Differentiable in mean and cov.
 * @example
 * import { random, array } from 'wengert'
 * const x = random.multivariateNormal(random.key(0), array([1, -1]), array([[1, 0.5], [0.5, 2]]), [5])
 * assert.deepStrictEqual(x.shape, [5, 2])
 * @category random @since 0.2.0
 */
export const multivariateNormal = (
  key: KeyArray,
  mean: ArrayLike,
  cov: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: MultivariateNormalOptions,
): NdArray => {
  const o = checkOptions('random.multivariateNormal', opts, ['dtype', 'method'])
  const m0 = asArray('random.multivariateNormal', mean)
  const dtype = o.dtype ?? (m0.dtype === 'float64' ? 'float64' : 'float32')
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new DTypeError(`random.multivariateNormal: dtype must be a float dtype, got ${String(dtype)}`)
  const m = asArray('random.multivariateNormal', m0, dtype)
  const c = asArray('random.multivariateNormal', cov, dtype)
  const n = m.shape[m.ndim - 1]
  const fail = (msg: string): never => {
    throw new ShapeError(`random.multivariateNormal: multivariate_normal requires ${msg}`)
  }
  if (m.ndim < 1) fail(`mean.ndim >= 1, got mean.ndim == ${m.ndim}`)
  if (c.ndim < 2) fail(`cov.ndim >= 2, got cov.ndim == ${c.ndim}`)
  if (c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n)
    fail(
      `mean.shape[-1] == cov.shape[-2] == cov.shape[-1], but got mean.shape[-1] == ${n}, cov.shape[-2] == ${c.shape[c.ndim - 2]}, cov.shape[-1] == ${c.shape[c.ndim - 1]}`,
    )
  const s =
    shape === undefined
      ? broadcastShapes('random.multivariateNormal', m.shape.slice(0, -1), c.shape.slice(0, -2))
      : shapeOf('multivariateNormal', shape)
  const method = o.method ?? 'cholesky'
  let factor: NdArray
  if (method === 'cholesky') factor = cholesky(c)
  else if (method === 'eigh') {
    const [w, v] = eigh(c)
    factor = mul(v, sqrt(expandDims(w, -2)))
  } else if (method === 'svd') {
    const [u, sv] = svd(c)
    factor = mul(u, sqrt(expandDims(sv, -2)))
  } else
    throw new ValueError(
      `random.multivariateNormal: method must be one of 'cholesky', 'eigh' or 'svd', got ${String(method)}`,
    )
  const z = normal(checkSingleKey('multivariateNormal', key), [...s, n as number], { dtype })
  // F·z per draw: (…, n, n) @ (…, n, 1), as JAX's einsum('...ij,...j->...i')
  return add(m, squeeze(matmul(factor, expandDims(z, -1)), -1))
}

/** Options of {@link orthogonal}. @category random @since 0.2.0 */
export interface OrthogonalOptions {
  /** float32 (default) or float64. */
  readonly dtype?: FloatDType
}

/**
 * Haar-distributed orthogonal n×n matrices (JAX: `jax.random.orthogonal`): Q of the QR
 * decomposition of a standard normal matrix, columns signed by R's diagonal (Mezzadri 2007).
 * @example
 * import { random, matmul, transpose } from 'wengert'
 * const q = random.orthogonal(random.key(0), 3, [], { dtype: 'float64' })
 * const eye = matmul(q, transpose(q)).toArray() as number[][]
 * assert.ok(Math.abs(eye[0]![0]! - 1) < 1e-12 && Math.abs(eye[0]![1]!) < 1e-12)
 * @category random @since 0.2.0
 */
export const orthogonal = (
  key: KeyArray,
  n: number,
  shape: ReadonlyArray<number> = [],
  opts?: OrthogonalOptions,
): NdArray => {
  const o = checkOptions('random.orthogonal', opts, ['dtype'])
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError(`random.orthogonal: n must be a non-negative integer, got ${n}`)
  const z = normal(checkSingleKey('orthogonal', key), [...shapeOf('orthogonal', shape), n, n], {
    dtype: o.dtype ?? 'float32',
  })
  const [q, r] = qr(z)
  const d = diagonal(r)
  return mul(q, expandDims(div(d, abs(d)), -2))
}
