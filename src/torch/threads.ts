/**
 * `torch.set_num_threads` / `torch.get_num_threads`: the threads the large kernels (matrix
 * products) use, the calling thread included.
 *
 * @category torch
 * @since 0.1.0
 */
import { getNumThreads, setNumThreads } from '../ndarray/kernels/wasm/threads'
import { RuntimeError } from './errors'

/**
 * Sets the number of threads of the large kernels; results do not depend on it.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const n = torch.get_num_threads()
 * torch.set_num_threads(1)
 * assert.strictEqual(torch.get_num_threads(), 1)
 * assert.throws(() => torch.set_num_threads(0), /Expected positive number of threads/)
 * torch.set_num_threads(n)
 * @category torch
 * @since 0.1.0
 */
export function set_num_threads(n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new RuntimeError('Expected positive number of threads')
  setNumThreads(n)
}

/**
 * The number of threads of the large kernels (see `set_num_threads`).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * assert.ok(torch.get_num_threads() >= 1)
 * @category torch
 * @since 0.1.0
 */
export function get_num_threads(): number {
  return getNumThreads()
}
