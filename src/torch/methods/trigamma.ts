/**
 * `polygamma(1, x)` (trigamma) as PyTorch's CPU kernel computes it, so its values match PyTorch's
 * where the accurate core kernel (../../ndarray/kernels/special) does not: PyTorch sums a short
 * asymptotic series in the element's own precision (float32 for float32), and near a pole at a
 * non-positive integer it gives the large finite value its rounded π·x leaves (no infinity). The
 * sequence (PyTorch's ATen/native/Math.h, the same in 1.13 and 2.x): below ½, reflection
 * ψ′(x) = π²/sin²(πx) − ψ′(1 − x); six recurrence steps ψ′(x) = 1/x² + ψ′(x + 1); then the series
 * ψ′(x) ≈ (1 + 1/(2x) + 1/(6x²) − 1/(30x⁴) + 1/(42x⁶))/x (Abramowitz & Stegun 6.4.12). Concrete
 * float32/float64 arrays only; anything else takes the core kernel.
 *
 * @category torch
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { allocateUninit } from '../../ndarray/dtype'

/** One element in float64. */
const trigamma64 = (x: number): number => {
  let sign = 1
  let r = 0
  if (x < 0.5) {
    sign = -1
    const s = Math.sin(Math.PI * x)
    r -= (Math.PI * Math.PI) / (s * s)
    x = 1 - x
  }
  for (let i = 0; i < 6; i++, x += 1) r += 1 / (x * x)
  const q = 1 / (x * x)
  return sign * (r + (1 + 1 / (2 * x) + q * (1 / 6 - q * (1 / 30 - q * (1 / 42)))) / x)
}

const f = Math.fround
const PI32 = f(Math.PI)
const [C6, C30, C42] = [f(1 / 6), f(1 / 30), f(1 / 42)]

/** One element in float32, each operation rounded (sinf as the rounded double sine). */
const trigamma32 = (x: number): number => {
  let sign = 1
  let r = 0
  if (x < 0.5) {
    sign = -1
    const s = f(Math.sin(f(PI32 * x)))
    r = f(-f(f(PI32 * PI32) / f(s * s)))
    x = f(1 - x)
  }
  for (let i = 0; i < 6; i++, x = f(x + 1)) r = f(r + f(1 / f(x * x)))
  const q = f(1 / f(x * x))
  const series = f(f(1 + f(1 / f(2 * x))) + f(q * f(C6 - f(q * f(C30 - f(q * C42))))))
  return f(sign * f(r + f(series / x)))
}

/** True for a concrete array (not a tracer, a staged or a meta value: those are subclasses). */
const plain = (x: NdArray): boolean => Object.getPrototypeOf(x) === NdArray.prototype

/** PyTorch's trigamma of a floating array `x`. */
export const torchTrigamma = (x: NdArray): NdArray => {
  if (!plain(x) || (x.dtype !== 'float32' && x.dtype !== 'float64')) return lax.polygamma(x, 1)
  const one = x.dtype === 'float32' ? trigamma32 : trigamma64
  const d = x.toTypedArray() as ArrayLike<number>
  const out = allocateUninit(x.dtype, d.length)
  for (let i = 0; i < d.length; i++) out[i] = one(d[i] as number)
  return new NdArray(x.shape, x.dtype, out)
}
