/**
 * The facade's global random generator: a Mersenne Twister seeded and drawn as PyTorch's CPU
 * generator (mt19937.ts), so `torch.manual_seed(s)` followed by the facade's samplers gives
 * PyTorch's numbers (rngKernels.ts). Samplers without a PyTorch-identical kernel draw a
 * wengert Threefry key from the stream (two words) and sample from it.
 *
 * @category torch
 * @since 0.1.0
 */
import * as random from '../ndarray/random'
import { MT19937 } from './mt19937'

/** PyTorch's seed of the default generator before any `manual_seed`. */
const DEFAULT_SEED = 67280421310721

const stream = new MT19937(DEFAULT_SEED)

/** PyTorch's `torch.manual_seed(seed)`: resets the global generator. @category torch @since 0.1.0 */
export const manual_seed = (seed: number): { initial_seed(): number } => {
  stream.reseed(seed)
  return { initial_seed: () => seed }
}

/** The global generator's Mersenne Twister. */
export const globalStream = (): MT19937 => stream

/** A fresh Threefry key drawn from a stream (two 32-bit words). */
export const keyFrom = (s: MT19937): random.PRNGKey => new random.PRNGKey(s.random(), s.random())

/** A fresh key from the global generator. */
export const nextKey = (): random.PRNGKey => keyFrom(stream)

export { random }
