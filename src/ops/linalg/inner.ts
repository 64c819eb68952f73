/**
 * The inner products of `jax.numpy` beside `dot`: `vdot` (of the flattened operands), `inner`
 * (over the last axes) and `vecdot` (over one broadcast axis). Composites of `mul`, `sum`,
 * `reshape` and `tensordot`, so they differentiate where their parts do; arrays are real, so
 * the conjugation of JAX's `vdot` and `vecdot` is the identity.
 *
 * @category ops
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { ShapeError, fmtShape } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis, broadcastShapes } from '../../ndarray/shape'
import { checkOptions } from '../../internal/options'
import { coerce2, type ArrayLike } from '../convert'
import { tensordot } from './extra'

// -------------------------------------------------------------------------------------
// ops
// -------------------------------------------------------------------------------------

/**
 * `jnp.vdot(a, b)`: the dot product of the flattened operands, `Σᵢ aᵢ bᵢ` over equal sizes.
 * @example
 * import { vdot, array } from 'wengert'
 * assert.strictEqual(vdot(array([[1, 2], [3, 4]]), array([1, 1, 2, 2])).item(), 17)
 * @category ops @since 0.3.0
 */
export const vdot = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerce2('vdot', x, y)
  if (a.size !== b.size)
    throw new ShapeError(
      `vdot: the operands must have the same size, got shapes ${fmtShape(a.shape)} (size ${a.size}) and ${fmtShape(b.shape)} (size ${b.size})`,
    )
  return lax.reduceSum(lax.mul(lax.reshape(a, [a.size]), lax.reshape(b, [b.size])), [0])
}

/**
 * `jnp.inner(a, b)`: the sum product over the last axes, `out[i…, j…] = Σₖ a[i…, k] b[j…, k]`;
 * a 0-d operand multiplies.
 * @example
 * import { inner, array } from 'wengert'
 * assert.deepStrictEqual(inner(array([[1, 2], [3, 4]]), array([1, 10])).toArray(), [21, 43])
 * @category ops @since 0.3.0
 */
export const inner = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerce2('inner', x, y)
  if (a.ndim === 0 || b.ndim === 0) return lax.mul(a, b)
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 1])
    throw new ShapeError(
      `inner: the last axes must have the same length, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    )
  return tensordot(a, b, [[a.ndim - 1], [b.ndim - 1]])
}

/** Options of {@link vecdot}. @category ops @since 0.3.0 */
export interface VecdotOptions {
  /** The axis summed over, after broadcasting. @defaultValue -1 */
  readonly axis?: number
}

/**
 * `jnp.vecdot(x1, x2, axis=-1)`: the operands broadcast, then `Σ x1·x2` along `axis` (whose
 * lengths must agree before broadcasting, as in JAX).
 * @example
 * import { vecdot, array } from 'wengert'
 * assert.deepStrictEqual(vecdot(array([[1, 2], [3, 4]]), array([1, 10])).toArray(), [21, 43])
 * assert.deepStrictEqual(vecdot(array([[1, 2], [3, 4]]), array([[1], [1]]), { axis: 0 }).toArray(), [4, 6])
 * @category ops @since 0.3.0
 */
export const vecdot = (x: ArrayLike, y: ArrayLike, options: VecdotOptions = {}): NdArray => {
  checkOptions('vecdot', options, ['axis'])
  const [a, b] = coerce2('vecdot', x, y)
  const axis = options.axis ?? -1
  const lenA = a.shape[normalizeAxis('vecdot', axis, a.ndim)]
  const lenB = b.shape[normalizeAxis('vecdot', axis, b.ndim)]
  if (lenA !== lenB)
    throw new ShapeError(
      `vecdot: axes of length ${lenA} and ${lenB} (axis ${axis} of shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}) must be equal`,
    )
  const shape = broadcastShapes('vecdot', a.shape, b.shape)
  const prod = lax.mul(lax.broadcastTo(a, shape), lax.broadcastTo(b, shape))
  return lax.reduceSum(prod, [normalizeAxis('vecdot', axis, shape.length)])
}
