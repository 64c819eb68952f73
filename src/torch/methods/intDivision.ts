/**
 * PyTorch's error for an integer division by zero. The engine's integer kernels (src/ops/integer)
 * raise `ZeroDivisionError`; PyTorch's integer `div(rounding_mode=…)`, `floor_divide`,
 * `remainder` and `fmod` raise `RuntimeError: ZeroDivisionError` (a C++ `c10::Error` whose text is
 * the exception's name), so the facade translates the one into the other.
 *
 * @category torch
 * @since 0.2.0
 */
import { ZeroDivisionError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { RuntimeError } from '../errors'

/** `kernel` with a zero integer divisor raising PyTorch's `RuntimeError: ZeroDivisionError`. */
export const torchIntegerDivision =
  (kernel: (x: NdArray, y: NdArray) => NdArray) =>
  (x: NdArray, y: NdArray): NdArray => {
    try {
      return kernel(x, y)
    } catch (e) {
      if (e instanceof ZeroDivisionError) throw new RuntimeError('ZeroDivisionError')
      throw e
    }
  }
