/**
 * The three transforms `torch.fft` is built from, as facade ops on the (…, 2) values of complex
 * tensors (./complex): complex-to-complex (`FftC2CBackward0`), real-to-complex onesided
 * (`FftR2CBackward0`) and complex-to-real from a half spectrum (`FftC2RBackward0`), computed by
 * ./fftKernel.ts in float64 and rounded to the dtype. Each is linear, so its gradient is its
 * adjoint: the transform of the opposite sign with the same scale for c2c; for r2c the real part
 * of the opposite-sign transform of the zero-padded gradient; for c2r the onesided forward
 * transform of the gradient with the bins that stand for two (1 … n−⌊n/2⌋−1) doubled.
 *
 * @category torch
 * @since 0.7.0
 */
import { NdArray } from '../ndarray/NdArray'
import type { DType } from '../ndarray/dtype'
import { op } from './autograd/op'
import { Tensor } from './tensor'
import { cat } from './ops/functions'
import { transformAxis } from './fftKernel'

const sizeOf = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

const output = (data: Float64Array, shape: ReadonlyArray<number>, dtype: DType): NdArray =>
  new NdArray([...shape], dtype, dtype === 'float32' ? new Float32Array(data) : data)

/** The transform of interleaved values `v` (shape (…, 2)) along `axes` with `sign`, scaled once. */
const c2cValues = (v: NdArray, axes: ReadonlyArray<number>, sign: number, scale: number): NdArray => {
  const data = Float64Array.from(v._values('fft'))
  const shape = v.shape.slice(0, -1)
  axes.forEach((a, k) => transformAxis(data, shape, a, sign, k === 0 ? scale : 1))
  return output(data, v.shape, v.dtype)
}

/** The complex-to-complex transform of values `ri` along complex `axes`. */
export const c2c = (ri: Tensor, axes: ReadonlyArray<number>, sign: number, scale: number): Tensor =>
  op('FftC2CBackward0', [ri], (v) => c2cValues(v, axes, sign, scale), {
    grads: (g) => [Tensor._fromValue(c2cValues(g, axes, -sign, scale))],
    formula: (g) => [c2c(g, axes, -sign, scale)],
  })

/** Zeros appended along `axis` up to `size`. */
const padTo = (t: Tensor, axis: number, size: number): Tensor => {
  const cur = t.size(axis)
  if (cur >= size) return cur === size ? t : t.narrow(axis, 0, size)
  const shape = [...t.shape]
  shape[axis] = size - cur
  return cat([t, t.new_zeros(shape)], axis)
}

/**
 * The spectra along `axis` of real sequences, made exact where they are by definition: the
 * imaginary parts of bin 0 and (n even) bin n/2 +0, and bins ⌊n/2⌋+1 … keep−1 the conjugates of
 * bins n−k (a full spectrum of a real signal is filled from its half, as PyTorch fills it).
 */
const realBins = (data: Float64Array, shape: ReadonlyArray<number>, axis: number, keep: number): void => {
  const n = shape[axis] as number
  const inner = sizeOf(shape.slice(axis + 1))
  const outer = sizeOf(shape.slice(0, axis))
  const at = (o: number, k: number, i: number): number => 2 * ((o * n + k) * inner + i)
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      data[at(o, 0, i) + 1] = 0
      if (n % 2 === 0) data[at(o, n / 2, i) + 1] = 0
      for (let k = Math.floor(n / 2) + 1; k < keep; k++) {
        data[at(o, k, i)] = data[at(o, n - k, i)] as number
        data[at(o, k, i) + 1] = -(data[at(o, n - k, i) + 1] as number)
      }
    }
}

/** The forward transform of real `x` along `axes` (onesided: the last of them halved). */
export const r2c = (x: Tensor, axes: ReadonlyArray<number>, scale: number, onesided = true): Tensor => {
  const last = axes[axes.length - 1] as number
  const n = x.size(last)
  const m = onesided ? Math.floor(n / 2) + 1 : n
  const fn = (v: NdArray): NdArray => {
    const src = v._values('fft')
    const data = new Float64Array(2 * v.size)
    for (let k = 0; k < v.size; k++) data[2 * k] = src[k] as number
    const shape = v.shape
    // the last axis first, as a real transform: its DC (and, n even, Nyquist) bins exactly real,
    // +0 imaginary parts, and with the full spectrum its upper bins the conjugates of the lower
    transformAxis(data, shape, last, -1, scale)
    realBins(data, shape, last, onesided ? m : n)
    axes.slice(0, -1).forEach((a) => transformAxis(data, shape, a, -1, 1))
    const outShape = [...shape]
    outShape[last] = m
    const out = new Float64Array(2 * sizeOf(outShape))
    const inner = sizeOf(shape.slice(last + 1))
    const outer = sizeOf(shape.slice(0, last))
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < m; j++) {
        const from = 2 * ((o * n + j) * inner)
        out.set(data.subarray(from, from + 2 * inner), 2 * (o * m + j) * inner)
      }
    return output(out, [...outShape, 2], v.dtype)
  }
  const back = (g: Tensor): Tensor => c2c(padTo(g, last, n), axes, 1, scale).select(-1, 0)
  return op('FftR2CBackward0', [x], fn, {
    grads: (g) => [back(Tensor._fromValue(g))],
    formula: (g) => [back(g)],
  })
}

/** Hermitian-extends each last-axis sequence of `m = ⌊n/2⌋+1` bins to n and inverse-transforms it, keeping the real part. */
const c2rLast = (
  data: Float64Array,
  shape: ReadonlyArray<number>,
  axis: number,
  n: number,
  scale: number,
): Float64Array => {
  const m = shape[axis] as number
  const inner = sizeOf(shape.slice(axis + 1))
  const outer = sizeOf(shape.slice(0, axis))
  const full = new Float64Array(2 * outer * n * inner)
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++)
      for (let k = 0; k < n; k++) {
        const src = k < m ? k : n - k
        const e = 2 * ((o * m + src) * inner + i)
        const f = 2 * ((o * n + k) * inner + i)
        full[f] = data[e] as number
        full[f + 1] = k < m ? (data[e + 1] as number) : -(data[e + 1] as number)
      }
  const fullShape = [...shape]
  fullShape[axis] = n
  transformAxis(full, fullShape, axis, 1, scale)
  const out = new Float64Array(outer * n * inner)
  for (let k = 0; k < out.length; k++) out[k] = full[2 * k] as number
  return out
}

/** The real signal of length `n` along the last of complex `axes` from half spectra `ri` (⌊n/2⌋+1 bins there). */
export const c2r = (ri: Tensor, axes: ReadonlyArray<number>, n: number, scale: number): Tensor => {
  const last = axes[axes.length - 1] as number
  const rest = axes.slice(0, -1)
  const fn = (v: NdArray): NdArray => {
    const data = Float64Array.from(v._values('fft'))
    const shape = v.shape.slice(0, -1)
    rest.forEach((a) => transformAxis(data, shape, a, 1, 1))
    const outShape = [...shape]
    outShape[last] = n
    return output(c2rLast(data, shape, last, n, scale), outShape, v.dtype)
  }
  const m = Math.floor(n / 2) + 1
  const back = (g: Tensor): Tensor => {
    const gi = r2c(g, axes, scale)
    const twice = n - m
    if (twice <= 0) return gi
    const w = Array.from({ length: m }, (_, k) => (k >= 1 && k <= twice ? 2 : 1))
    const shape = new Array<number>(gi.dim() - last).fill(1)
    shape[0] = m
    return gi.mul(
      Tensor._fromValue(
        new NdArray(
          shape,
          gi.dtype.storage,
          gi.dtype.storage === 'float32' ? Float32Array.from(w) : Float64Array.from(w),
        ),
      ),
    )
  }
  return op('FftC2RBackward0', [ri], fn, {
    grads: (g) => [back(Tensor._fromValue(g))],
    formula: (g) => [back(g)],
  })
}

export { padTo }
