/**
 * PyTorch's dtypes wengert has no storage for (half and bfloat16 floats, complex numbers: complex
 * tensors, ./complex, keep their values in a real tensor and never read this storage). They
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
const unsupported = (name: string, complexSize = 0): TorchDType => {
  const refuse = (): never => {
    throw new TorchTypeError(
      complexSize === 0
        ? `torch.${name} is not supported by wengert (its tensors are ${SUPPORTED})`
        : `torch.${name} is not supported by this op in wengert (complex tensors support the ops listed under "Complex tensors" in docs/porting.md)`,
    )
  }
  const d = Object.create(TorchDType.prototype) as TorchDType
  const refused = complexSize === 0 ? ['storage', 'is_floating_point', 'itemsize', 'typeName'] : ['storage', 'typeName']
  for (const key of refused) Object.defineProperty(d, key, { get: refuse })
  if (complexSize > 0) {
    // a complex dtype names complex tensors (./complex): their storage is a real tensor's
    Object.defineProperty(d, 'is_complex', { value: true })
    Object.defineProperty(d, 'is_floating_point', { value: false })
    Object.defineProperty(d, 'itemsize', { value: complexSize })
    Object.defineProperty(d, 'is_signed', { value: true })
  }
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
/**
 * `torch.complex64` (`torch.cfloat`): the dtype of complex tensors of float32 parts (./complex);
 * an op without complex support raises, see the module doc. @category torch @since 0.2.0
 */
export const complex64: TorchDType = unsupported('complex64', 8)
/**
 * `torch.complex128` (`torch.cdouble`): the dtype of complex tensors of float64 parts (./complex);
 * an op without complex support raises, see the module doc. @category torch @since 0.2.0
 */
export const complex128: TorchDType = unsupported('complex128', 16)
