/**
 * `Tensor.cfloat()`, `Tensor.cdouble()` and `Tensor.chalf()`: `to(torch.complex64)`,
 * `to(torch.complex128)`, and a typed refusal for complex32 (wengert has no half-precision
 * complex dtype). `memory_format` is accepted as PyTorch's methods accept it.
 *
 * @category torch
 * @since 0.7.0
 */
import { Tensor } from '../tensor'
import { NotImplementedError } from '../errors'
import { complex128, complex64 } from '../dtypeUnsupported'
import { defineKindMethods } from '../tensorKindMethods'
import { ComplexTensor } from './tensor'

/** The keywords of the complex casts. @category torch @since 0.7.0 */
export interface ComplexCastKw {
  /** Accepted; the result is contiguous. */
  readonly memory_format?: unknown
}

declare module '../tensor.js' {
  interface Tensor {
    /** `to(torch.complex64)`. */
    cfloat(kw?: ComplexCastKw): Tensor
    /** `to(torch.complex128)`. */
    cdouble(kw?: ComplexCastKw): Tensor
    /** complex32 is not modelled: raises NotImplementedError. */
    chalf(kw?: ComplexCastKw): Tensor
  }
}

const casts = {
  cfloat(this: Tensor): Tensor {
    return this.to(complex64)
  },
  cdouble(this: Tensor): Tensor {
    return this.to(complex128)
  },
  chalf(this: Tensor): Tensor {
    throw new NotImplementedError(
      'chalf: complex32 (torch.chalf / torch.complex32) is not supported in wengert (complex64 and complex128 are)',
    )
  },
}

/** Installs the casts on real and complex tensors. @internal */
export const installComplexCasts = (): void => {
  defineKindMethods(Tensor.prototype, casts)
  defineKindMethods(ComplexTensor.prototype, casts)
}
