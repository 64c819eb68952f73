/**
 * PyTorch's dtypes wengert has no storage for (half and bfloat16 floats, complex numbers). They
 * exist as names so that ported code naming them fails at once and clearly: any use that needs
 * the dtype's storage (creating or converting a tensor, promotion, `set_default_dtype`) raises a
 * TypeError naming the dtype. Without them, `{ dtype: torch.float16 }` would read as no dtype at
 * all and silently give the default one.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchDType } from './dtype'
import { TorchTypeError } from './errors'

const SUPPORTED = 'float32, float64, int64, int32, int16, int8, uint8 and bool'

/** A dtype object whose storage, floating-point test and size raise: see the module doc. */
const unsupported = (name: string): TorchDType => {
  const refuse = (): never => {
    throw new TorchTypeError(`torch.${name} is not supported by wengert (its tensors are ${SUPPORTED})`)
  }
  const d = Object.create(TorchDType.prototype) as TorchDType
  for (const key of ['storage', 'is_floating_point', 'itemsize', 'typeName'])
    Object.defineProperty(d, key, { get: refuse })
  Object.defineProperty(d, 'name', { value: name })
  Object.defineProperty(d, 'toString', { value: () => `torch.${name}` })
  return d
}

/**
 * `torch.float16` (`torch.half`): not supported, see the module doc.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.half), 'torch.float16')
 * assert.throws(() => torch.zeros(2, { dtype: torch.float16 }), /torch.float16 is not supported/)
 * @category torch
 * @since 0.2.0
 */
export const float16: TorchDType = unsupported('float16')
/** `torch.bfloat16`: not supported, see the module doc. @category torch @since 0.2.0 */
export const bfloat16: TorchDType = unsupported('bfloat16')
/** `torch.complex64` (`torch.cfloat`): not supported, see the module doc. @category torch @since 0.2.0 */
export const complex64: TorchDType = unsupported('complex64')
/** `torch.complex128` (`torch.cdouble`): not supported, see the module doc. @category torch @since 0.2.0 */
export const complex128: TorchDType = unsupported('complex128')
