/**
 * The facade's global random generator: `torch.manual_seed(s)` resets it; every sampling call
 * splits a fresh key from it (wengert's Threefry keys, so the numbers differ from PyTorch's
 * Mersenne Twister; the distributions are the same).
 *
 * @category torch
 * @since 0.1.0
 */
import * as random from '../ndarray/random'

let state = random.key(0)

/** PyTorch's `torch.manual_seed(seed)`: resets the global generator. @category torch @since 0.1.0 */
export const manual_seed = (seed: number): { initial_seed(): number } => {
  state = random.key(seed)
  return { initial_seed: () => seed }
}

/** A fresh key from the global generator. */
export const nextKey = (): random.PRNGKey => {
  const [a, b] = random.split(state) as [random.PRNGKey, random.PRNGKey]
  state = a
  return b
}

/** The global generator's key (for `torch.get_rng_state`). */
export const globalKey = (): random.PRNGKey => state

/** Replaces the global generator's key (for `torch.set_rng_state`). */
export const setGlobalKey = (k: random.PRNGKey): void => {
  state = k
}

export { random }
