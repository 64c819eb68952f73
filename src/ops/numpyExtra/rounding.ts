/**
 * jax.numpy's remaining rounding names: trunc and fix (toward zero), rint (half to even) and
 * around (round with `decimals`). Their derivative is zero almost everywhere, as for `round`.
 *
 * @category ops
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { ValueError } from '../../ndarray/errors'
import { isFloat } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, type ArrayLike } from '../convert'
import { div, less, mul, where } from '../elementwise'
import { ceil, floor, round } from '../unary'

/**
 * Rounds toward zero (jnp.trunc); integers are returned unchanged.
 * @example
 * import { trunc, array } from 'wengert'
 * assert.deepStrictEqual(trunc(array([-1.7, 1.7, -0.2])).toArray(), [-1, 1, -0])
 * @category ops
 * @since 0.3.0
 */
export const trunc = (x: ArrayLike): NdArray => {
  const a = asArray('trunc', x)
  return isFloat(a.dtype) ? where(less(a, 0), ceil(a), floor(a)) : floor(a)
}

/**
 * Rounds toward zero (jnp.fix; the same values as `trunc`).
 * @example
 * import { fix, array } from 'wengert'
 * assert.deepStrictEqual(fix(array([2.9, -2.9])).toArray(), [2, -2])
 * @category ops
 * @since 0.3.0
 */
export const fix = (x: ArrayLike): NdArray => trunc(x)

/**
 * Rounds to the nearest integer, halves to even (jnp.rint).
 * @example
 * import { rint, array } from 'wengert'
 * assert.deepStrictEqual(rint(array([0.5, 1.5, -2.5])).toArray(), [0, 2, -2])
 * @category ops
 * @since 0.3.0
 */
export const rint = (x: ArrayLike): NdArray => round(x)

/**
 * Rounds to `decimals` decimal places, halves to even (jnp.around / jnp.round(a, decimals)):
 * computed as `round(a · 10ᵈ) / 10ᵈ` for floats; a negative `decimals` rounds to tens, hundreds, ….
 * @example
 * import { around, array } from 'wengert'
 * const r = around(array([1.2345, -2.5]), 2).toArray() as number[]
 * assert.deepStrictEqual(r.map((v) => Math.round(v * 100)), [123, -250])
 * assert.deepStrictEqual(around(array([1250, 1350]), -2).toArray(), [1200, 1400])
 * @category ops
 * @since 0.3.0
 */
export const around = (a: ArrayLike, decimals = 0): NdArray => {
  if (!Number.isInteger(decimals)) throw new ValueError(`around: decimals must be an integer, got ${decimals}`)
  const x = asArray('around', a)
  if (decimals === 0) return round(x)
  if (!isFloat(x.dtype)) {
    if (decimals > 0) return x
    const f = 10 ** -decimals
    const r = mul(round(div(x, f)), f)
    return r.dtype === x.dtype ? r : lax.convertElementType(r, x.dtype)
  }
  const f = 10 ** decimals
  return div(round(mul(x, f)), f)
}
