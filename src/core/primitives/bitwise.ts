/**
 * Bit primitives on integer and bool arrays (JAX's `lax.bitwise_and/or/xor/not`, `shift_left`,
 * `shift_right_arithmetic`, `shift_right_logical`, `population_count`): same dtype in and out,
 * element-wise with broadcasting, integer-valued, so every derivative is zero. On bool, and/or/
 * xor/not are the logical ones. JAX prints the first four as `and`, `or`, `xor`, `not`; here
 * `and`, `or` and `not` already name the bool-only logical primitives, so these carry the
 * `bitwise_` prefix of their `lax` functions.
 *
 * @category primitives
 * @since 0.4.0
 */
import { bitBinary, bitUnary, type BitBinaryOp, type BitUnaryOp } from '../../ndarray/kernels/bitwise'
import { DTypeError } from '../../ndarray/errors'
import { isFloat, type DType } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import type { Aval } from '../equation'
import { bound, definePrimitive, vectorized, type BoundPrimitive, type NoParams } from '../primitive'
import { bitBinaryOnnx, bitUnaryOnnx } from './onnxBitwise'

type X = readonly [NdArray]
type XY = readonly [NdArray, NdArray]

/**
 * JAX's dtype check of a bit primitive (its `naryop_dtype_rule`): integer or bool operands of one
 * dtype. `position` is given for binary ones, as JAX's message does.
 */
export const checkBitDType = (name: string, dtype: DType, position?: number): void => {
  if (!isFloat(dtype)) return
  throw new DTypeError(
    position === undefined
      ? `${name} does not accept dtype ${dtype}. Accepted dtypes are subtypes of integer, bool.`
      : `${name} does not accept dtype ${dtype} at position ${position}. Accepted dtypes at position ${position} are subtypes of integer, bool.`,
  )
}

const binaryAval = (name: string, [x, y]: readonly [Aval, Aval]): Aval => {
  checkBitDType(name, x.dtype, 0)
  checkBitDType(name, y.dtype, 1)
  if (x.dtype !== y.dtype)
    throw new DTypeError(`${name}: lax.${name} requires arguments to have the same dtypes, got ${x.dtype}, ${y.dtype}`)
  return { shape: broadcastShapes(name, x.shape, y.shape), dtype: x.dtype }
}

/** A binary bit primitive: same-dtype integer/bool operands, broadcasting, zero derivatives. */
const bitBinaryPrimitive = <N extends string>(name: N, op: BitBinaryOp): BoundPrimitive<N, XY> =>
  bound(
    definePrimitive<N, XY, NoParams>({
      name,
      impl: ([x, y]) => {
        binaryAval(name, [x, y])
        return bitBinary(name, op, x, y)
      },
      shape: (avals) => binaryAval(name, avals),
      batch: vectorized,
      derivative: 'none',
      onnx: bitBinaryOnnx(name, op),
    }),
  )

/** A unary bit primitive on an integer/bool operand, zero derivatives. */
const bitUnaryPrimitive = <N extends string>(name: N, op: BitUnaryOp): BoundPrimitive<N, X> =>
  bound(
    definePrimitive<N, X, NoParams>({
      name,
      impl: ([x]) => {
        checkBitDType(name, x.dtype)
        return bitUnary(op, x)
      },
      shape: ([x]) => {
        checkBitDType(name, x.dtype)
        return x
      },
      batch: vectorized,
      derivative: 'none',
      onnx: bitUnaryOnnx(name, op),
    }),
  )

/** `x & y` bit by bit (logical and on bool). @category primitives @since 0.4.0 */
export const bitwiseAnd: BoundPrimitive<'bitwise_and', XY> = bitBinaryPrimitive('bitwise_and', 'and')
/** `x | y` bit by bit (logical or on bool). @category primitives @since 0.4.0 */
export const bitwiseOr: BoundPrimitive<'bitwise_or', XY> = bitBinaryPrimitive('bitwise_or', 'or')
/** `x ^ y` bit by bit (logical xor on bool). @category primitives @since 0.4.0 */
export const bitwiseXor: BoundPrimitive<'bitwise_xor', XY> = bitBinaryPrimitive('bitwise_xor', 'xor')
/** `x << y`, wrapped to the dtype; 0 for a shift outside [0, bits). @category primitives @since 0.4.0 */
export const shiftLeft: BoundPrimitive<'shift_left', XY> = bitBinaryPrimitive('shift_left', 'shift_left')
/** `x >> y` filling with the sign bit; −1 or 0 for a shift outside [0, bits). @category primitives @since 0.4.0 */
export const shiftRightArithmetic: BoundPrimitive<'shift_right_arithmetic', XY> = bitBinaryPrimitive(
  'shift_right_arithmetic',
  'shift_right_arithmetic',
)
/** `x >>> y` filling with zeros; 0 for a shift outside [0, bits). @category primitives @since 0.4.0 */
export const shiftRightLogical: BoundPrimitive<'shift_right_logical', XY> = bitBinaryPrimitive(
  'shift_right_logical',
  'shift_right_logical',
)
/** `~x` (logical not on bool). @category primitives @since 0.4.0 */
export const bitwiseNot: BoundPrimitive<'bitwise_not', X> = bitUnaryPrimitive('bitwise_not', 'not')
/** The number of set bits of each element, in the dtype's two's complement. @category primitives @since 0.4.0 */
export const populationCount: BoundPrimitive<'population_count', X> = bitUnaryPrimitive(
  'population_count',
  'population_count',
)
