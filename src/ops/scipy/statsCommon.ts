/**
 * Operand helpers shared by `./stats` and `./statsDiscrete`: float conversion that keeps JS
 * numbers weak, a common float dtype, and the support mask.
 *
 * @category scipy
 * @since 0.7.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { asFloat, type ArrayLike } from '../convert'
import { array } from '../../ndarray/create'
import { where } from '../elementwise'

/** A float operand; a JS number stays weak (it takes the dtype of the arrays it meets, as in JAX). */
export const F = (x: ArrayLike): ArrayLike => (typeof x === 'number' ? x : asFloat('scipy.stats', x))
/** A float array (a JS number becomes float32, as an array argument alone would). */
export const FA = (x: ArrayLike): NdArray => asFloat('scipy.stats', x)
/** A float array to combine with `like` (a JS number takes its dtype, as a weak scalar). */
export const FL = (x: ArrayLike, like: NdArray): NdArray =>
  asFloat('scipy.stats', typeof x === 'number' ? array(x, { dtype: like.dtype }) : x)
/** −inf where `ok` is false. */
export const inSupport = (ok: NdArray, v: NdArray): NdArray => where(ok, v, -Infinity)
/** Two float arrays in one dtype (the wider). */
export const sameShape = (a: NdArray, b: NdArray): [NdArray, NdArray] => {
  const d = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32'
  return [lax.cast(a, d), lax.cast(b, d)]
}
