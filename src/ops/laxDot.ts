/**
 * `lax.dot` and `lax.batchMatmul` (JAX: `jax.lax.dot`, `jax.lax.batch_matmul`): the two fixed
 * contractions JAX spells on top of `dot_general`, with JAX's shape rules and errors.
 *
 * @category ops
 * @since 0.6.0
 */
import { ShapeError } from '../ndarray/errors'
import { asArray, type ArrayLike } from './convert'
import type { NdArray } from '../ndarray/NdArray'
import { dotGeneral, type DotGeneralOptions } from './laxStructural'

const tuple = (s: ReadonlyArray<number>): string => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`

/**
 * Vector·vector, matrix·vector or matrix·matrix product (JAX: `lax.dot(lhs, rhs, precision=None,
 * preferred_element_type=None)`): the last axis of `lhs` with the first of `rhs`, both of rank 1
 * or 2 and one dtype (no promotion, as `lax`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.strictEqual(lax.dot(array([1, 2]), array([3, 4])).item(), 11)
 * assert.deepStrictEqual(lax.dot(array([[1, 2], [3, 4]]), array([1, 1])).toArray(), [3, 7])
 * @category ops
 * @since 0.6.0
 */
export const dot = (lhs: ArrayLike, rhs: ArrayLike, options: DotGeneralOptions = {}): NdArray => {
  const a = asArray('dot', lhs)
  const b = asArray('dot', rhs)
  if (a.ndim < 1 || a.ndim > 2 || b.ndim < 1 || b.ndim > 2 || a.shape[a.ndim - 1] !== b.shape[0])
    throw new ShapeError(`Incompatible shapes for dot: got ${tuple(a.shape)} and ${tuple(b.shape)}.`)
  return dotGeneral(
    a,
    b,
    [
      [[a.ndim - 1], [0]],
      [[], []],
    ],
    options,
  )
}

/**
 * Batched matrix product (JAX: `lax.batch_matmul(lhs, rhs, precision=None)`): operands of one
 * rank ≥ 2, every leading axis a batch axis of equal size (no broadcasting), the last axis of
 * `lhs` contracted with the second-to-last of `rhs`.
 * @example
 * import { lax, ones } from 'wengert'
 * assert.deepStrictEqual(lax.batchMatmul(ones([4, 2, 3]), ones([4, 3, 5])).shape, [4, 2, 5])
 * @category ops
 * @since 0.6.0
 */
export const batchMatmul = (lhs: ArrayLike, rhs: ArrayLike, options: DotGeneralOptions = {}): NdArray => {
  const a = asArray('batch_matmul', lhs)
  const b = asArray('batch_matmul', rhs)
  if (Math.min(a.ndim, b.ndim) < 2)
    throw new ShapeError(`Arguments to batch_matmul must be at least 2D, got ${a.ndim}, ${b.ndim}`)
  if (a.ndim !== b.ndim) throw new ShapeError(`Arguments to batch_matmul must have same ndim, got ${a.ndim}, ${b.ndim}`)
  const batch = Array.from({ length: a.ndim - 2 }, (_, i) => i)
  return dotGeneral(
    a,
    b,
    [
      [[a.ndim - 1], [b.ndim - 2]],
      [batch, batch],
    ],
    options,
  )
}
