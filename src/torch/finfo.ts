/**
 * `torch.finfo` and `torch.iinfo`: the numeric limits of the facade's dtypes, with PyTorch's
 * field names and values (float32/float64; int8/16/32/64, uint8).
 *
 * @category torch
 * @since 0.2.0
 */
import { float32, get_default_dtype, TorchDType } from './dtype'
import { TorchTypeError } from './errors'
import { argTypeName, missingArgs } from './pyTypeName'

/** The limits of a floating-point dtype (PyTorch's `torch.finfo`). @category torch @since 0.2.0 */
export interface FInfo {
  readonly bits: number
  /** The gap between 1 and the next representable number. */
  readonly eps: number
  readonly max: number
  readonly min: number
  /** The smallest positive normal number. */
  readonly tiny: number
  readonly smallest_normal: number
  /** 10^−(decimal digits of precision). */
  readonly resolution: number
  readonly dtype: string
}

/** The limits of an integer dtype (PyTorch's `torch.iinfo`). @category torch @since 0.2.0 */
export interface IInfo {
  readonly bits: number
  readonly max: number
  readonly min: number
  readonly dtype: string
}

/**
 * The limits of a floating-point dtype (the default dtype when none is given).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.finfo(torch.float32).eps, 2 ** -23)
 * assert.strictEqual(torch.finfo(torch.float64).max, Number.MAX_VALUE)
 * @category torch @since 0.2.0
 */
/** The `type` parameter of finfo/iinfo: a dtype, or PyTorch's TypeError. */
const requireDType = (fn: string, u: unknown): void => {
  if (!(u instanceof TorchDType))
    throw new TorchTypeError(`${fn}(): argument 'type' (position 1) must be torch.dtype, not ${argTypeName(u)}`)
}

export const finfo = (type: TorchDType = get_default_dtype()): FInfo => {
  requireDType('finfo', type)
  if (!type.is_floating_point)
    throw new TorchTypeError(
      "torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'",
    )
  if (type === float32) {
    const tiny = 2 ** -126
    return {
      bits: 32,
      eps: 2 ** -23,
      max: 3.4028234663852886e38,
      min: -3.4028234663852886e38,
      tiny,
      smallest_normal: tiny,
      resolution: 1e-6,
      dtype: 'float32',
    }
  }
  const tiny = 2.2250738585072014e-308
  return {
    bits: 64,
    eps: Number.EPSILON,
    max: Number.MAX_VALUE,
    min: -Number.MAX_VALUE,
    tiny,
    smallest_normal: tiny,
    resolution: 1e-15,
    dtype: 'float64',
  }
}

const INT_BITS: Readonly<Record<string, number>> = { int8: 8, int16: 16, int32: 32, int64: 64, uint8: 8 }

/**
 * The limits of an integer dtype. int64's bounds are ±2^63 as numbers (the facade's int64 holds
 * integers exactly up to 2^53 − 1).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.iinfo(torch.int32).max, 2147483647)
 * assert.strictEqual(torch.iinfo(torch.uint8).min, 0)
 * @category torch @since 0.2.0
 */
export const iinfo = (type: TorchDType): IInfo => {
  if (type === undefined) throw missingArgs('iinfo', ['type'])
  requireDType('iinfo', type)
  const bits = INT_BITS[type.name]
  if (bits === undefined) throw new TorchTypeError(`torch.${type.name} is not supported by torch.iinfo`)
  const unsigned = type.name === 'uint8'
  return {
    bits,
    max: unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1,
    min: unsigned ? 0 : -(2 ** (bits - 1)),
    dtype: type.name,
  }
}
