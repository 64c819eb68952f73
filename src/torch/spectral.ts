/**
 * Installs `Tensor.stft` and `Tensor.istft` (./stft.ts, ./istft.ts) on real and complex tensors,
 * with PyTorch's keyword check of the methods. Loading this module installs them.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.sin(torch.arange(12, { dtype: torch.float64 }))
 * const s = x.stft(4, { window: torch.hann_window(4, { dtype: torch.float64 }), return_complex: true })
 * assert.deepStrictEqual([...s.shape], [3, 13])
 * @category torch
 * @since 0.7.0
 */
import './complex/index'
import { Tensor } from './tensor'
import { ComplexTensor } from './complex/tensor'
import type { PyArgs } from './kwargs'
import { defineKindMethods } from './tensorKindMethods'
import { stft, type StftKw, type StftPositional } from './stft'
import { istft, type IstftKw, type IstftPositional } from './istft'

declare module './tensor.js' {
  interface Tensor {
    /** `torch.stft(this, n_fft, …)`. */
    stft(n_fft: number, ...rest: PyArgs<StftPositional, StftKw>): Tensor
    /** `torch.istft(this, n_fft, …)`. */
    istft(n_fft: number, ...rest: PyArgs<IstftPositional, IstftKw>): Tensor
  }
}

const spectralMethods = {
  stft(this: Tensor, n_fft: number, ...rest: PyArgs<StftPositional, StftKw>): Tensor {
    return stft(this, n_fft, ...rest)
  },
  istft(this: Tensor, n_fft: number, ...rest: PyArgs<IstftPositional, IstftKw>): Tensor {
    return istft(this, n_fft, ...rest)
  },
}

defineKindMethods(Tensor.prototype, spectralMethods)
defineKindMethods(ComplexTensor.prototype, spectralMethods)

export { stft, istft, type StftKw, type IstftKw, type StftPositional, type IstftPositional }
