/**
 * Random masks for `nn` (dropout), drawn from the facade's global generator so
 * `torch.manual_seed` makes them reproducible.
 *
 * @category torch
 * @since 0.1.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../../core/lax'
import { sampleBernoulli } from '../sampling'

/** A bool array that is true with probability `p` (PyTorch's `bernoulli_(p)` on the global generator). */
export const bernoulliMask = (shape: ReadonlyArray<number>, p: number): NdArray =>
  lax.cast(sampleBernoulli(null, shape, p), 'bool')
