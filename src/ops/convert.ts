/**
 * Operand normalisation shared by the ops: JS numbers are weak scalars that take the other
 * operand's dtype (as in JAX), arrays of different dtypes promote.
 *
 * @category ops
 * @since 0.1.0
 */
import { cast, scalar } from '../core/lax'
import { isFloat, promoteTypes, type DType } from '../ndarray/dtype'
import { DTypeError, ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { broadcastShapes, shapesEqual } from '../ndarray/shape'

/** An array or a JS number (a weak scalar). */
export type ArrayLike = NdArray | number

/** Converts an operand alone: numbers become float32 0-d arrays. */
export const asArray = (op: string, x: ArrayLike, dtype?: DType): NdArray => {
  if (x instanceof NdArray) return dtype === undefined ? x : cast(x, dtype)
  if (typeof x === 'number') return scalar(x, dtype ?? 'float32')
  throw new ValueError(`${op}: expected an array or a number, got ${x === null ? 'null' : typeof x}`)
}

/**
 * Brings two operands to one dtype: a number takes the array's dtype (float32 if the array is
 * int/bool and the number is fractional); two arrays promote bool < int32 < float32 < float64.
 */
export const coerce2 = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  if (x instanceof NdArray && y instanceof NdArray) {
    if (x.dtype === y.dtype) return [x, y]
    const t = promoteTypes(x.dtype, y.dtype)
    return [cast(x, t), cast(y, t)]
  }
  if (x instanceof NdArray)
    return [
      x.dtype === 'bool' || (!isFloat(x.dtype) && !Number.isInteger(y)) ? cast(x, weakTarget(x, y as number)) : x,
      asArray(op, y, weakTarget(x, y as number)),
    ]
  if (y instanceof NdArray)
    return [
      asArray(op, x, weakTarget(y, x)),
      y.dtype === 'bool' || (!isFloat(y.dtype) && !Number.isInteger(x)) ? cast(y, weakTarget(y, x)) : y,
    ]
  return [asArray(op, x), asArray(op, y)]
}

/**
 * {@link coerce2} for element-wise ops: also checks that the shapes broadcast, so the error
 * names the op the user called (`greater`, `minimum`), not the primitive it binds (`gt`, `max`).
 */
export const coerceBroadcast = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const r = coerce2(op, x, y)
  checkBroadcast(op, r[0], r[1])
  return r
}

/** Throws the ShapeError of `op` unless the two arrays broadcast together. */
export const checkBroadcast = (op: string, a: NdArray, b: NdArray): void => {
  if (!shapesEqual(a.shape, b.shape)) broadcastShapes(op, a.shape, b.shape)
}

/** The dtype a weak number adopts next to `x`. */
const weakTarget = (x: NdArray, v: number): DType => {
  if (isFloat(x.dtype)) return x.dtype
  if (typeof v !== 'number') throw new ValueError(`expected a number, got ${typeof v}`)
  return Number.isInteger(v) ? (x.dtype === 'bool' ? 'int32' : x.dtype) : 'float32'
}

/**
 * `x` itself when its dtype is a float, else cast to `dtype` (default float32; the facade passes
 * its default dtype). The one home of "compute in float".
 */
export const toFloat = (x: NdArray, dtype: DType = 'float32'): NdArray => (isFloat(x.dtype) ? x : cast(x, dtype))

/** Requires a float dtype (for ops like exp, log on int input: promotes int/bool to float32). */
export const asFloat = (op: string, x: ArrayLike): NdArray => toFloat(asArray(op, x))

/** Rejects bool input where arithmetic needs numbers. */
export const requireNumeric = (op: string, x: NdArray): NdArray => {
  if (x.dtype === 'bool')
    throw new DTypeError(`${op}: expected a numeric array, got dtype bool; cast it with astype first`)
  return x
}
