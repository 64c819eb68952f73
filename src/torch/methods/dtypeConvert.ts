/**
 * Dtype and device conversions of a tensor: `float`, `double`, `long`, `int`, …, `to`, `type`,
 * `type_as`, `cpu`, `cuda` (installed with the shape methods of shape.ts).
 *
 * @category torch
 * @since 0.1.0
 */
import { ERR_META_COPY } from '../meta'
import { toMetaRecorded } from '../metaCopy'
import { op } from '../autograd/op'
import { bool, float32, float64, int16, int32, int64, int8, uint8, type TorchDType } from '../dtype'
import { bfloat16, float16 } from '../dtypeUnsupported'
import { checkDevice, parseTo, type ToArg } from '../device'
import { NotImplementedError } from '../errors'
import { castWrapping } from '../ops/convert'
import type { Tensor } from '../tensor'
import { typeTarget, type LegacyTensorType } from '../legacyTypes'

type T = Tensor

/** `self` converted to dtype `d` (ToCopyBackward0), or itself when it has that dtype. */
export const convert = (self: T, d: TorchDType): T => {
  if (self.dtype === d) return self
  return op('ToCopyBackward0', [self], (x) => castWrapping(x, d.storage))
}

/** The overloads of `Tensor.type`. */
export interface TypeFn {
  /** The legacy type name, e.g. `'torch.FloatTensor'`. */
  (this: T): string
  /** Converts to a dtype, a legacy type (`torch.LongTensor`) or a legacy type's name (`'torch.LongTensor'`). */
  (this: T, dtype: TorchDType | LegacyTensorType | string, kw?: { readonly non_blocking?: boolean }): T
}
const typeImpl = function (this: T, dtype?: TorchDType | LegacyTensorType | string): T | string {
  return dtype === undefined ? this.dtype.typeName : convert(this, typeTarget(dtype))
} as TypeFn

/** Conversion methods installed on Tensor (part of `shapeMethods`). */
export const conversionMethods = {
  /** Converts to float32 (a copy unless already float32). */
  float(this: T): T {
    return convert(this, float32)
  },
  /** Converts to float64. */
  double(this: T): T {
    return convert(this, float64)
  },
  /** float16: not supported (raises a TypeError naming the dtype). */
  half(this: T): T {
    return convert(this, float16)
  },
  /** bfloat16: not supported (raises a TypeError naming the dtype). */
  bfloat16(this: T): T {
    return convert(this, bfloat16)
  },
  /** Converts to int64 (floats truncate toward zero). */
  long(this: T): T {
    return convert(this, int64)
  },
  /** Converts to int32 (floats truncate toward zero; int64 keeps the low 32 bits, as PyTorch). */
  int(this: T): T {
    return convert(this, int32)
  },
  /** Converts to int16 (wrapping, as PyTorch). */
  short(this: T): T {
    return convert(this, int16)
  },
  /** Converts to int8 (wrapping, as PyTorch). */
  char(this: T): T {
    return convert(this, int8)
  },
  /** Converts to uint8 (wrapping: -1 becomes 255, 300 becomes 44, as PyTorch). */
  byte(this: T): T {
    return convert(this, uint8)
  },
  /** Converts to bool (nonzero is true). */
  bool(this: T): T {
    return convert(this, bool)
  },
  /**
   * PyTorch's `to(device, dtype, non_blocking, copy)`, `to(dtype)`, `to(other)` and keyword
   * forms: converts the dtype (a copy, or itself when nothing changes and `copy` is false). The
   * device must be the CPU or the meta device (a meta tensor of the same shape and dtype; a meta
   * tensor cannot come back: it has no data); CUDA raises PyTorch's AssertionError.
   */
  to(this: T, ...args: ReadonlyArray<ToArg>): T {
    const r = parseTo('to', args)
    if (r.device !== undefined && r.device.type !== this.device.type) {
      if (r.device.type !== 'meta') throw new NotImplementedError(ERR_META_COPY)
      const m = toMetaRecorded(this)
      return r.dtype === undefined ? m : convert(m, r.dtype)
    }
    const out = r.dtype === undefined || r.dtype === this.dtype ? this : convert(this, r.dtype)
    return r.copy && out === this ? this.clone() : out
  },
  type: typeImpl,
  /** Converts to `other`'s dtype. */
  type_as(this: T, other: T): T {
    return convert(this, other.dtype)
  },
  /** Itself (a meta tensor raises: it has no data to copy). */
  cpu(this: T): T {
    if (this.is_meta) throw new NotImplementedError(ERR_META_COPY)
    return this
  },
  /** Raises PyTorch's `AssertionError: Torch not compiled with CUDA enabled`. */
  cuda(this: T, ..._args: ReadonlyArray<unknown>): T {
    checkDevice('cuda')
    return this
  },
}
