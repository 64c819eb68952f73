/**
 * float32 and float64 layer norm computing PyTorch's CPU sequence for a contiguous input (one
 * thread, AVX2 lanes; checked against PyTorch 1.13 in test/fixtures/torch/layernorm_bits). Each
 * row's moments come from group norm's row-wise Welford pass ({@link rowMoments}); `rstd` is
 * `1/√(var + eps)` in the dtype, `eps` cast to it first (1.13 and 2.x alike). PyTorch 2.x's output
 * is `((x − mean)·rstd)·weight + bias` (the last multiply-add fused), so a constant row gives exactly
 * `bias`; 1.13 formed `(x·rstd + shift)·weight + bias` with `shift = −rstd·mean` (both fused), whose
 * constant rows leave the rounding residue of `rstd·mean` (D88, pytorch/pytorch#108072).
 *
 * @category torch
 * @since 0.3.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { type Floats, plainOf, precOf } from './batchNormKernel'
import { rowMoments } from './groupNormKernel'

/** Per row of `count` elements: the mean and `1/√(var + eps)`, rounded to the dtype at each step. */
export const layerStats = (input: NdArray, count: number, eps: number): [Floats, Floats] => {
  const x = input._data as Floats
  const p = precOf(input)
  const rows = count === 0 ? 0 : x.length / count
  const mean = p.make(rows)
  const rstd = p.make(rows)
  for (let i = 0; i < rows; i++) {
    const [m, v] = rowMoments(x, i * count, count, p)
    mean[i] = m
    rstd[i] = p.r(1 / p.r(Math.sqrt(p.r(v + p.r(eps)))))
  }
  return [mean, rstd]
}

/** Layer norm's output over rows of `count` elements through PyTorch 2.x's kernel (`form113`: 1.13's). */
export const layerNormValue = (
  input: NdArray,
  count: number,
  eps: number,
  weight: NdArray | null,
  bias: NdArray | null,
  form113 = false,
): NdArray => {
  const x = input._data as Floats
  const p = precOf(input)
  const [mean, rstd] = layerStats(input, count, eps)
  const out = p.make(x.length)
  const w = weight === null ? null : (weight._data as Floats)
  const b = bias === null ? null : (bias._data as Floats)
  for (let i = 0; i < mean.length; i++) {
    const rs = rstd[i] as number
    const shift = p.r(-rs * (mean[i] as number))
    for (let j = 0; j < count; j++) {
      const k = i * count + j
      const y = form113 ? p.fma(x[k] as number, rs, shift) : p.r(p.r((x[k] as number) - (mean[i] as number)) * rs)
      out[k] = p.fma(y, w === null ? 1 : (w[j] as number), b === null ? 0 : (b[j] as number))
    }
  }
  return new NdArray(input.shape, input.dtype, out)
}

/**
 * True when the kernel applies to the op's values: all float32 or all float64, concrete, the input
 * contiguous in PyTorch's view and not empty.
 */
export const layerKernelApplies = (vs: ReadonlyArray<NdArray>, contiguous: boolean): boolean => {
  const x = vs[0] as NdArray
  const dt = x.dtype
  return contiguous && (dt === 'float32' || dt === 'float64') && vs.every((v) => plainOf(v, dt)) && x.size > 0
}
