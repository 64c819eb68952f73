/**
 * Matrix structure ops of `jax.numpy` / `jax.numpy.linalg`: trace, diagonal, tril, triu,
 * matrixPower. Composites of movement and element-wise primitives.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { diagonalOf } from './diagonalOffset'
import { eye as eyeConstant } from '../../core/primitives/matrixRules'
import { ShapeError, ValueError, fmtShape } from '../../ndarray/errors'
import { allocate } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { asArray, type ArrayLike } from '../convert'
import { matmul } from '../linalg'
import { inv } from './solve'
import { squareArg } from './common'

const atLeast2 = (op: string, x: ArrayLike): NdArray => {
  const a = asArray(op, x)
  if (a.ndim < 2)
    throw new ShapeError(`${op}: expected an array of at least 2 dimensions, got shape ${fmtShape(a.shape)}`)
  return a
}

/** The constant bool mask of `rows × cols` keeping `j − i ≤ k` (lower) or `j − i ≥ k` (upper). */
const bandMask = (rows: number, cols: number, k: number, lower: boolean): NdArray => {
  const d = allocate('bool', rows * cols)
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) d[i * cols + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0
  return new NdArray([rows, cols], 'bool', d)
}

// NOTE: a select, not a product with a 0/1 mask: 0·∞ and 0·NaN would put NaN outside the band
// (a causal mask of −∞ above the diagonal is the common case)
const band = (op: string, x: ArrayLike, k: number, lower: boolean): NdArray => {
  const a = atLeast2(op, x)
  if (!Number.isInteger(k)) throw new ValueError(`${op}: k must be an integer, got ${k}`)
  const mask = bandMask(a.shape[a.ndim - 2] as number, a.shape[a.ndim - 1] as number, k, lower)
  return lax.select(lax.broadcastTo(mask, a.shape), a, lax.zerosLike(a))
}

/**
 * Lower triangle of the last two axes: entries with `j − i ≤ k` kept, the rest zero.
 * @example
 * import { tril, array } from 'wengert'
 * assert.deepStrictEqual(tril(array([[1, 2], [3, 4]])).toArray(), [[1, 0], [3, 4]])
 * assert.deepStrictEqual(tril(array([[1, 2], [3, 4]]), -1).toArray(), [[0, 0], [3, 0]])
 * @category ops @since 0.2.0
 */
export const tril = (x: ArrayLike, k = 0): NdArray => band('tril', x, k, true)

/**
 * Upper triangle of the last two axes: entries with `j − i ≥ k` kept, the rest zero.
 * @example
 * import { triu, array } from 'wengert'
 * assert.deepStrictEqual(triu(array([[1, 2], [3, 4]])).toArray(), [[1, 2], [0, 4]])
 * @category ops @since 0.2.0
 */
export const triu = (x: ArrayLike, k = 0): NdArray => band('triu', x, k, false)

/**
 * The diagonals of the last two axes (`jnp.linalg.diagonal`): the main one `[..., min(m, n)]`,
 * or with `offset` the one above (> 0) or below (< 0) it.
 * @example
 * import { linalg, array } from 'wengert'
 * assert.deepStrictEqual(linalg.diagonal(array([[1, 2, 3], [4, 5, 6]])).toArray(), [1, 5])
 * assert.deepStrictEqual(linalg.diagonal(array([[1, 2, 3], [4, 5, 6]]), { offset: 1 }).toArray(), [2, 6])
 * assert.deepStrictEqual(linalg.diagonal(array([[1, 2, 3], [4, 5, 6]]), { offset: -1 }).toArray(), [4])
 * @category ops @since 0.2.0
 */
export const diagonal = (x: ArrayLike, options?: { readonly offset?: number }): NdArray => {
  const a = atLeast2('diagonal', x)
  const offset = checkOptions('diagonal', options, ['offset']).offset ?? 0
  if (!Number.isInteger(offset)) throw new ValueError(`diagonal: offset must be an integer, got ${String(offset)}`)
  return diagonalOf(a, offset, a.ndim - 2, a.ndim - 1)
}

/**
 * Sum of the main diagonal of the last two axes.
 * @example
 * import { linalg, array } from 'wengert'
 * assert.strictEqual(linalg.trace(array([[1, 2], [3, 4]])).item(), 5)
 * @category ops @since 0.2.0
 */
export const trace = (x: ArrayLike): NdArray => {
  const d = diagonal(x)
  return lax.reduceSum(d, [d.ndim - 1])
}

/**
 * A square matrix to an integer power by repeated squaring (negative powers invert first),
 * batched; power 0 gives the identity.
 * @example
 * import { linalg, array } from 'wengert'
 * assert.deepStrictEqual(linalg.matrixPower(array([[1, 1], [0, 1]]), 3).toArray(), [[1, 3], [0, 1]])
 * @category ops @since 0.2.0
 */
export const matrixPower = (x: ArrayLike, power: number): NdArray => {
  if (!Number.isInteger(power)) throw new ValueError(`matrixPower: the exponent must be an integer, got ${power}`)
  const a0 = squareArg('matrixPower', x)
  const n = a0.shape[a0.ndim - 1] as number
  if (power === 0) return lax.broadcastTo(eyeConstant(n, a0.dtype), a0.shape)
  let base = power < 0 ? inv(a0) : a0
  let result: NdArray | undefined
  for (let p = Math.abs(power); p > 0; p = Math.floor(p / 2)) {
    if (p % 2 === 1) result = result === undefined ? base : matmul(result, base)
    if (p > 1) base = matmul(base, base)
  }
  return result as NdArray
}
