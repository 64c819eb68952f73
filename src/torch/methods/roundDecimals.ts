/**
 * `Tensor.round(*, decimals=0)`: round half to even, at `decimals` decimal places. As PyTorch's
 * CPU kernel: for `decimals > 0`, rint(x · 10ᵈ) / 10ᵈ; for `decimals < 0`, rint(x / 10⁻ᵈ) · 10⁻ᵈ,
 * each step rounded in the tensor's own float type (so float32 results are float32's nearest, not
 * float64's). The gradient is zero (`RoundBackward1`); integer tensors with `decimals` raise as
 * PyTorch's floating-only kernel does.
 *
 * @category torch
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { withIterLayout } from '../autograd/iterLayout'
import { NotImplementedError, TorchTypeError } from '../errors'
import { parseArgs } from '../kwargs'
import { pyTypeName } from '../pyTypeName'
import type { Tensor } from '../tensor'

const roundKernel =
  (decimals: number) =>
  (x: NdArray): NdArray => {
    if (!isFloat(x.dtype)) return x
    if (decimals === 0) return lax.round(x)
    const p = lax.scalarLike(10 ** Math.abs(decimals), x)
    return decimals > 0 ? lax.div(lax.round(lax.mul(x, p)), p) : lax.mul(lax.round(lax.div(x, p)), p)
  }

/** Reads the keyword-only `decimals` (a Python int: not a bool, float or None) from a `name` call's arguments. */
const decimalsOf = (name: string, args: ReadonlyArray<unknown>): number | undefined => {
  const d = parseArgs(name, args, ['decimals'], 0, 1).decimals
  if (d === undefined) return undefined
  if (typeof d !== 'number' || !Number.isInteger(d))
    throw new TorchTypeError(`${name}(): argument 'decimals' must be int, not ${pyTypeName(d)}`)
  return d
}

/** The `round` method (`name` words its errors): without `decimals` PyTorch's `RoundBackward0`, with it `RoundBackward1`. */
export const roundNamed = (name: string) =>
  function (this: Tensor, ...args: unknown[]): Tensor {
    const decimals = decimalsOf(name, args)
    if (decimals !== undefined && !isFloat(this.dtype.storage))
      throw new NotImplementedError(`"round_cpu" not implemented for '${this.dtype.word}'`)
    const node = decimals === undefined ? 'RoundBackward0' : 'RoundBackward1'
    const inputs = [this]
    return withIterLayout(op(node, inputs, roundKernel(decimals ?? 0)), inputs)
  }

/** `Tensor.round`. */
export const roundMethod = roundNamed('round')
