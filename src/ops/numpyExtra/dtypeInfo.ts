/**
 * Machine limits of the dtypes (JAX's `jnp.iinfo` and `jnp.finfo`, NumPy's fields in camelCase).
 *
 * @category ops
 * @since 0.5.0
 */
import { checkDType, isFloat, type DType } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import { isNdArray, type NdArray } from '../../ndarray/NdArray'

/** Limits of an integer dtype (NumPy's `iinfo`). */
export interface IInfo {
  readonly dtype: DType
  /** Storage bits. */
  readonly bits: number
  /** Smallest value. */
  readonly min: number
  /** Largest value (int64's, 2⁶³ − 1, is not exact as a JavaScript number). */
  readonly max: number
  /** 'i' (signed) or 'u' (unsigned), as NumPy's `kind`. */
  readonly kind: 'i' | 'u'
}

/** Limits of a float dtype (NumPy's `finfo`). */
export interface FInfo {
  readonly dtype: DType
  readonly bits: number
  /** The gap from 1 to the next larger value, `2^machep`. */
  readonly eps: number
  /** The gap from 1 to the next smaller value, `2^negep`. */
  readonly epsneg: number
  /** Largest finite value. */
  readonly max: number
  /** Most negative finite value (`−max`). */
  readonly min: number
  /** Smallest positive normal value (NumPy's `tiny`). */
  readonly tiny: number
  /** The same as `tiny`. */
  readonly smallestNormal: number
  /** Smallest positive subnormal value. */
  readonly smallestSubnormal: number
  /** Decimal resolution, `10^−precision`. */
  readonly resolution: number
  /** Decimal digits of precision. */
  readonly precision: number
  /** Mantissa bits (without the implicit one). */
  readonly nmant: number
  /** Exponent bits. */
  readonly nexp: number
  /** Exponent of `tiny`. */
  readonly minexp: number
  /** The first exponent that overflows. */
  readonly maxexp: number
  /** Exponent of `eps`. */
  readonly machep: number
  /** Exponent of `epsneg`. */
  readonly negep: number
}

const INTS: { readonly [K in DType]?: IInfo } = {
  uint8: { dtype: 'uint8', bits: 8, min: 0, max: 255, kind: 'u' },
  int8: { dtype: 'int8', bits: 8, min: -128, max: 127, kind: 'i' },
  int16: { dtype: 'int16', bits: 16, min: -32768, max: 32767, kind: 'i' },
  int32: { dtype: 'int32', bits: 32, min: -2147483648, max: 2147483647, kind: 'i' },
  int64: { dtype: 'int64', bits: 64, min: -(2 ** 63), max: 2 ** 63 - 1, kind: 'i' },
}

/** The IEEE binary format with `nmant` mantissa and `nexp` exponent bits. */
const ieee = (dtype: DType, nmant: number, nexp: number, precision: number): FInfo => {
  const maxexp = 2 ** (nexp - 1)
  const minexp = 2 - maxexp
  const tiny = 2 ** minexp
  return {
    dtype,
    bits: 1 + nmant + nexp,
    eps: 2 ** -nmant,
    epsneg: 2 ** -(nmant + 1),
    max: (2 - 2 ** -nmant) * 2 ** (maxexp - 1),
    min: -(2 - 2 ** -nmant) * 2 ** (maxexp - 1),
    tiny,
    smallestNormal: tiny,
    smallestSubnormal: 2 ** (minexp - nmant),
    // NumPy holds the fields as scalars of the dtype: float32's resolution is fround(1e-6)
    resolution: nexp === 8 ? Math.fround(10 ** -precision) : 10 ** -precision,
    precision,
    nmant,
    nexp,
    minexp,
    maxexp,
    machep: -nmant,
    negep: -(nmant + 1),
  }
}

const FLOATS: { readonly [K in DType]?: FInfo } = {
  float32: ieee('float32', 23, 8, 6),
  float64: ieee('float64', 52, 11, 15),
}

/** The dtype of a dtype name or an array. */
const dtypeOf = (op: string, t: DType | NdArray): DType => (isNdArray(t) ? t.dtype : checkDType(op, t))

/**
 * The limits of an integer dtype, or of an array's (JAX's `jnp.iinfo`).
 * @example
 * import { iinfo } from 'wengert'
 * assert.deepStrictEqual([iinfo('int8').min, iinfo('int8').max, iinfo('uint8').bits], [-128, 127, 8])
 * @category ops
 * @since 0.5.0
 */
export const iinfo = (type: DType | NdArray): IInfo => {
  const d = dtypeOf('iinfo', type)
  const info = INTS[d]
  if (info === undefined)
    throw new ValueError(`Invalid integer data type '${d === 'bool' ? 'b' : isFloat(d) ? 'f' : d}'.`)
  return info
}

/**
 * The limits of a float dtype, or of an array's (JAX's `jnp.finfo`).
 * @example
 * import { finfo } from 'wengert'
 * assert.strictEqual(finfo('float32').eps, 2 ** -23)
 * assert.strictEqual(finfo('float64').max, Number.MAX_VALUE)
 * assert.strictEqual(finfo('float64').smallestSubnormal, Number.MIN_VALUE)
 * @category ops
 * @since 0.5.0
 */
export const finfo = (type: DType | NdArray): FInfo => {
  const d = dtypeOf('finfo', type)
  const info = FLOATS[d]
  if (info === undefined) throw new ValueError(`data type <class 'numpy.${d === 'bool' ? 'bool_' : d}'> not inexact`)
  return info
}
