/**
 * jnp's complex-part tests and `angle` on wengert's real arrays (the core has no complex dtype, so
 * every imaginary part is zero): `iscomplex`, `isreal` and `angle`.
 *
 * @category ops
 * @since 0.6.0
 */
import { full, zerosLike } from '../../ndarray/create'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { checkOptions } from '../../internal/options'
import { asArray, asFloat, type ArrayLike } from '../convert'
import { atan2 } from '../elementwise'
import { rad2deg } from './math'

/**
 * Element-wise whether the imaginary part is non-zero (JAX: `jnp.iscomplex`): all false for
 * wengert's real arrays, in x's shape (bool).
 * @example
 * import { iscomplex, array } from 'wengert'
 * assert.deepStrictEqual(iscomplex(array([1, 2])).toArray(), [false, false])
 * @category ops
 * @since 0.6.0
 */
export const iscomplex = (x: ArrayLike): NdArray => full(asArray('iscomplex', x).shape, false, { dtype: 'bool' })

/**
 * Element-wise whether the imaginary part is zero (JAX: `jnp.isreal`): all true for wengert's
 * real arrays, in x's shape (bool).
 * @example
 * import { isreal, array } from 'wengert'
 * assert.deepStrictEqual(isreal(array([1, 2])).toArray(), [true, true])
 * @category ops
 * @since 0.6.0
 */
export const isreal = (x: ArrayLike): NdArray => full(asArray('isreal', x).shape, true, { dtype: 'bool' })

/** Options of {@link angle}. @category ops @since 0.6.0 */
export interface AngleOptions {
  /** Degrees instead of radians (default false). */
  readonly deg?: boolean
}

/**
 * The argument of each element in the complex plane, atan2(0, x) for real x (JAX: `jnp.angle(z,
 * deg=False)`): 0 for x ≥ +0, π for x < 0 and −0; integers and booleans compute in float32.
 * @example
 * import { angle, array } from 'wengert'
 * assert.deepStrictEqual(angle(array([2, -1], { dtype: 'float64' })).toArray(), [0, Math.PI])
 * assert.deepStrictEqual(angle(array([-1]), { deg: true }).toArray(), [180])
 * @category ops
 * @since 0.6.0
 */
export const angle = (z: ArrayLike, options?: boolean | AngleOptions): NdArray => {
  const o = typeof options === 'boolean' ? { deg: options } : checkOptions('angle', options, ['deg'])
  if (o.deg !== undefined && typeof o.deg !== 'boolean')
    throw new ValueError(`angle: deg must be a boolean, got ${String(o.deg)}`)
  const re = asFloat('angle', z)
  const r = atan2(zerosLike(re), re)
  return o.deg === true ? rad2deg(r) : r
}
