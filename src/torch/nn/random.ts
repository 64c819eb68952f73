/**
 * Random masks for `nn` (dropout), drawn from the facade's global generator so
 * `torch.manual_seed` makes them reproducible.
 *
 * @category torch
 * @since 0.1.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import { nextKey, random } from '../random'

/** A bool array that is true with probability `p` (PyTorch's `bernoulli_(p)`). */
export const bernoulliMask = (shape: ReadonlyArray<number>, p: number): NdArray => random.bernoulli(nextKey(), p, shape)
