/**
 * What the samplers share: option checking, the float dtype, and JAX's `uniform` step.
 *
 * @category random
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { DTypeError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { checkShape, type Shape } from '../../ndarray/shape'
import { asArray, type ArrayLike } from '../convert'
import { add, maximum, mul, sub } from '../elementwise'

/** The float dtypes the samplers draw (JAX's default float is float32). */
export type FloatDType = 'float32' | 'float64'

/** Options of the samplers: the float dtype of the draws. @category random @since 0.2.0 */
export interface DTypeOption {
  /** float32 (default, as JAX without x64) or float64. */
  readonly dtype?: FloatDType
}

/** Validates an options object and its dtype. */
export const floatOptions = <O extends DTypeOption>(
  op: string,
  opts: O | undefined,
  keys: ReadonlyArray<keyof O>,
): O & { readonly dtype: FloatDType } => {
  const o = checkOptions(`random.${op}`, opts, keys)
  const dtype = o.dtype ?? 'float32'
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new DTypeError(
      `random.${op}: dtype argument to \`${op}\` must be a float dtype, got ${String(dtype)} (float32 or float64)`,
    )
  return { ...o, dtype }
}

/** A checked shape. */
export const shapeOf = (op: string, shape: ReadonlyArray<number>): Shape => checkShape(`random.${op}`, shape)

/** A parameter as an array of the dtype (JAX: `lax.convert_element_type(p, dtype)`). */
export const param = (op: string, x: ArrayLike, dtype: FloatDType): NdArray => asArray(`random.${op}`, x, dtype)

/** Constants of a float dtype (JAX's `jnp.finfo`). */
export const finfo = (dtype: FloatDType): { readonly tiny: number; readonly eps: number; readonly epsneg: number } =>
  dtype === 'float32'
    ? { tiny: 2 ** -126, eps: 2 ** -23, epsneg: 2 ** -24 }
    : { tiny: 2 ** -1022, eps: 2 ** -52, epsneg: 2 ** -53 }

/**
 * `jax.random.uniform`'s transform of the unit draws: max(minval, u·(maxval − minval) + minval)
 * in the dtype; differentiable in minval and maxval (the draw is reparameterised).
 */
export const scaleUnit = (u: NdArray, minval: ArrayLike, maxval: ArrayLike, op: string): NdArray => {
  const dtype = u.dtype as FloatDType
  const lo = param(op, minval, dtype)
  const hi = param(op, maxval, dtype)
  return maximum(lo, add(mul(u, sub(hi, lo)), lo))
}

/** Unit draws of `shape` from a key (JAX's bits-to-float step). */
export const unit = (key: NdArray, shape: Shape, dtype: FloatDType): NdArray => lax.randomUnit(key, shape, dtype)
