/**
 * `torch.linspace` as PyTorch's CPU kernel computes it (PyTorch 2.x, whose kernel has no vector
 * path): the step `(end − start)/(steps − 1)` in the dtype (in float64 for integer dtypes), the
 * first half `start + step·i` and the second half `end − step·(steps − 1 − i)`, each a fused
 * multiply-add (one rounding, as the compiled kernel contracts it), so the last value is `end`
 * exactly. PyTorch 1.13 takes a vectorised path from 16 float32 (8 float64) values on, which
 * rounds differently; this follows 2.x.
 */
import * as lax from '../core/lax'
import type { DType } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { fma32 } from './avxMath32'
import { RuntimeError, TorchTypeError } from './errors'
import { fma64 } from './rngKernels'

/** The C type PyTorch names in its overflow error, and the range of each integer dtype. */
const INT_RANGE: Partial<Record<DType, readonly [string, number, number]>> = {
  int8: ['int8_t', -128, 127],
  int16: ['int16_t', -32768, 32767],
  int32: ['int', -2147483648, 2147483647],
  int64: ['int64_t', -(2 ** 63), 2 ** 63],
  uint8: ['uint8_t', 0, 255],
}

/** A scalar bound converted to an integer dtype, with PyTorch's overflow error. */
const toInt = (v: number, dtype: DType): number => {
  const [cName, lo, hi] = INT_RANGE[dtype] as readonly [string, number, number]
  if (!(v >= lo && v <= hi)) throw new RuntimeError(`value cannot be converted to type ${cName} without overflow`)
  return Math.trunc(v)
}

/** `steps` values from `start` to `end` inclusive in `dtype`, as PyTorch's CPU linspace computes them. */
export const linspaceValues = (start: number, end: number, steps: number, dtype: DType): NdArray => {
  if (!Number.isInteger(steps))
    throw new TorchTypeError(
      `linspace(): argument 'steps' (position 3) must be int, not ${typeof steps === 'number' ? 'float' : typeof steps}`,
    )
  if (steps < 0) throw new RuntimeError('number of steps must be non-negative')
  if (dtype === 'bool') throw new RuntimeError(`"linspace_cpu" not implemented for 'Bool'`)
  const isInt = dtype !== 'float32' && dtype !== 'float64'
  const f32 = dtype === 'float32'
  const r = f32 ? Math.fround : (v: number): number => v
  const fma = f32 ? fma32 : fma64
  const [a, b] = isInt ? [toInt(start, dtype), toInt(end, dtype)] : [r(start), r(end)]
  const vals = new Float64Array(steps)
  if (steps === 1) vals[0] = a
  if (steps > 1) {
    const step = r(r(b - a) / (steps - 1))
    const half = Math.floor(steps / 2)
    for (let i = 0; i < steps; i++) vals[i] = i < half ? fma(step, i, a) : fma(-step, steps - i - 1, b)
  }
  if (isInt) for (let i = 0; i < steps; i++) vals[i] = Math.trunc(vals[i] as number)
  return lax.cast(new NdArray([steps], 'float64', vals), dtype)
}
