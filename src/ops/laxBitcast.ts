/**
 * `lax.bitcastConvertType` (JAX: `jax.lax.bitcast_convert_type`): the bytes of an array read as
 * another dtype. Re-exported by `./lax`.
 *
 * @category ops
 * @since 0.7.0
 */
import * as lax from '../core/lax'
import { checkDType, type DType } from '../ndarray/dtype'
import { DTypeError, ShapeError, fmtTuple } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { ITEMSIZE } from '../ndarray/kernels/bitcast'
import { asArray, type ArrayLike } from './convert'

/**
 * The bytes of `operand` reinterpreted as `newDtype` (JAX: `lax.bitcast_convert_type(operand,
 * new_dtype)`, little-endian as XLA's CPU backend). Same-size dtypes keep the shape
 * (float32 ↔ int32, float64 ↔ int64); a wider source gains a trailing axis of the size ratio
 * (float64 → int32: [..., 2]); a narrower one loses its trailing axis, which must hold the ratio
 * (int32 [..., 2] → float64). bool only casts to itself, as JAX's. The derivative is zero. An
 * int64 result outside ±(2⁵³ − 1) raises OverflowError (int64 is stored in float64 here).
 * @example
 * import { lax, array } from 'wengert'
 * const bits = lax.bitcastConvertType(array([1], { dtype: 'float32' }), 'int32')
 * assert.deepStrictEqual(bits.toArray(), [0x3f800000])
 * const pair = lax.bitcastConvertType(array([1], { dtype: 'float64' }), 'int32')
 * assert.deepStrictEqual(pair.toArray(), [[0, 0x3ff00000]])
 * @category ops
 * @since 0.7.0
 */
export const bitcastConvertType = (operand: ArrayLike, newDtype: DType): NdArray => {
  const op = 'bitcast_convert_type'
  const x = asArray(op, operand)
  const to = checkDType(op, newDtype)
  if (x.dtype === 'bool' && to !== 'bool')
    throw new DTypeError(
      `\`bitcast_convert_type\` for operand type (bool) cannot have different destination type (${to})`,
    )
  const [a, b] = [ITEMSIZE[x.dtype], ITEMSIZE[to]]
  if (a < b) {
    const last = x.ndim === 0 ? 1 : (x.shape[x.ndim - 1] as number)
    if (x.ndim === 0 || last * a !== b)
      throw new ShapeError(
        `${op}: Attempting to convert array of shape ${fmtTuple(x.shape)} from ${x.dtype} of size ${a} to ${to} of size ${b}, but ${last} * ${a} != ${b}`,
      )
  }
  return x.dtype === to ? x : lax.bitcastConvertType(x, to)
}
