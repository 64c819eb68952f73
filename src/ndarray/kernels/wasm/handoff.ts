/**
 * The thread pool's hand-off cost (`./threads`): the wall time from posting an empty job to a
 * sleeping helper until the calling thread sees it done — the futex wake-up, the helper's way back
 * into its loop and its completion signal. It is what a split pays over its work at the least, and
 * it differs by machine and load (measured here: about 0.13–0.3 ms on a loaded two-vCPU guest), so
 * the pool measures it when its helpers first take work, and again every HANDOFF_REFRESH_MS,
 * instead of assuming it; the
 * split policy (`./splitPolicy`) keeps work under a few hand-offs on the calling thread.
 *
 * @category kernels
 * @since 0.2.0
 */
import { NEXT, SPIN_MS } from './helperProgram'

/** Round trips timed; the hand-off is their median (one descheduled round trip does not count). */
export const HANDOFF_ROUNDS = 5

/**
 * Age (ms) after which the pool measures its hand-off again: a busy spell of the machine raises it
 * (a sleeping helper waits for a core), a quiet one lowers it. About 5 ms of measuring per 10 s.
 */
export const HANDOFF_REFRESH_MS = 10_000

/**
 * Pause (ms) before each round trip: longer than a helper's spin after its last job (SPIN_MS), so
 * that every round trip wakes a sleeping helper, the dearer case.
 */
const NAP_MS = 2 * SPIN_MS + 0.2

/**
 * The median of HANDOFF_ROUNDS round trips (ms): `post(params)` hands helper 0 a split job with
 * these parameters and `wait()` waits until it is done; the job's unit range is empty (both ends
 * at the pool's next unit, read from `work`), so the helper claims nothing and reports at once.
 * Blocks the calling thread for about HANDOFF_ROUNDS · NAP_MS.
 */
export function measureHandoff(post: (params: number[]) => void, wait: () => void, work: Int32Array): number {
  const nap = new Int32Array(new SharedArrayBuffer(4))
  const times: number[] = []
  for (let r = 0; r < HANDOFF_ROUNDS; r++) {
    Atomics.wait(nap, 0, 0, NAP_MS)
    const next = Atomics.load(work, NEXT)
    const t0 = performance.now()
    post([next, next])
    wait()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return times[HANDOFF_ROUNDS >> 1] as number
}
