/**
 * PyTorch's `Tensor.new_*` factories as Tensor methods: `new_zeros`, `new_ones`, `new_full`,
 * `new_empty`, `new_tensor`. Each makes a fresh leaf (no graph link to `self`) that inherits
 * `self`'s dtype unless a `dtype` keyword is given; `requires_grad` defaults to false.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.ones(2, { dtype: torch.float64 })
 * assert.strictEqual(String(x.new_zeros(2, 2)), 'tensor([[0., 0.],\n        [0., 0.]], dtype=torch.float64)')
 * assert.strictEqual(String(x.new_full([2], 7, { dtype: torch.int64 })), 'tensor([7, 7])')
 * @category torch
 * @since 0.2.0
 */
import { empty, full, ones, tensor, zeros, type FactoryKw, type SizeArgs } from '../creation'
import { checkOptions } from '../../internal/options'
import { isKwargs } from '../kwargs'
import type { Tensor, TensorData } from '../tensor'

type T = Tensor

/** `kw` (checked) with `self`'s dtype and device filled in when none is given. */
const inherit = (self: T, kw: FactoryKw, fn: string): FactoryKw => {
  const k = checkOptions(fn, kw, ['dtype', 'requires_grad', 'device'])
  // the device too follows `self` when not given (a meta tensor's new_* are meta)
  return { ...k, dtype: k.dtype ?? self.dtype, device: k.device ?? self.device }
}

/** Size arguments (varargs or one list, optional trailing keywords) with the dtype inherited. */
const sizeArgs = (self: T, args: ReadonlyArray<unknown>, fn: string): SizeArgs => {
  const last = args[args.length - 1]
  if (args.length > 0 && isKwargs(last)) return [...args.slice(0, -1), inherit(self, last as FactoryKw, fn)] as SizeArgs
  return [...args, inherit(self, {}, fn)] as SizeArgs
}

/** The `new_*` factory methods installed on Tensor. */
export const newMethods = {
  /** Zeros of the given size with `self`'s dtype (or `dtype`). */
  new_zeros(this: T, ...size: SizeArgs): T {
    return zeros(...sizeArgs(this, size, 'new_zeros'))
  },
  /** Ones of the given size with `self`'s dtype (or `dtype`). */
  new_ones(this: T, ...size: SizeArgs): T {
    return ones(...sizeArgs(this, size, 'new_ones'))
  },
  /** Uninitialised memory in PyTorch (zeros here) with `self`'s dtype (or `dtype`). */
  new_empty(this: T, ...size: SizeArgs): T {
    return empty(...sizeArgs(this, size, 'new_empty'))
  },
  /** `size` filled with `fill_value`, with `self`'s dtype (or `dtype`), whatever the value's type. */
  new_full(this: T, size: ReadonlyArray<number>, fill_value: number | boolean, kw: FactoryKw = {}): T {
    return full(size, fill_value, inherit(this, kw, 'new_full'))
  },
  /** A copy of `data` with `self`'s dtype (or `dtype`); warns like `torch.tensor` when `data` is a tensor. */
  new_tensor(this: T, data: TensorData, kw: FactoryKw = {}): T {
    return tensor(data, inherit(this, kw, 'new_tensor'))
  },
}
