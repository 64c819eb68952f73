/**
 * The calling thread's side of a `split` (`./threads`): the units it claims from the shared
 * counters, the units it takes back from a helper that has not finished them (a stealing split),
 * and running every unit alone when the split is not threaded.
 *
 * @category kernels
 * @since 0.2.0
 */
import { CLAIMED, FINISHED, FREE, NEXT, STATE_SLOTS, STATES, TAKEN } from './helperProgram'

/** The state slot of unit u in the pool's shared counters. */
export const slotOf = (u: number): number => STATES + (u & (STATE_SLOTS - 1))

/** The caller's share of one split: the units it claims, then (stealing) the ones helpers still hold. */
export class Runner {
  /** Units run (of them taken back from helpers: stolen) and the time spent running them (ms). */
  ran = 0
  stolen = 0
  ms = 0
  failure: { readonly error: unknown } | undefined = undefined

  constructor(
    private readonly w: Int32Array,
    private readonly base: number,
    private readonly own: (u: number) => void,
    private readonly steal: boolean,
  ) {}

  /** Runs absolute unit u on the calling thread and counts it finished. */
  private run(u: number): void {
    const t0 = performance.now()
    try {
      this.own(u - this.base)
    } catch (e) {
      this.failure ??= { error: e }
    }
    this.ms += performance.now() - t0
    this.ran++
    Atomics.add(this.w, FINISHED, 1)
  }

  /** Claims units until none is left below end. */
  claimAll(end: number): void {
    const w = this.w
    for (;;) {
      const u = Atomics.load(w, NEXT)
      if (u >= end) return
      if (Atomics.compareExchange(w, NEXT, u, u + 1) !== u) continue
      // a stealing split's slot is free here (only this thread claimed u): mark it taken
      if (this.steal) Atomics.store(w, slotOf(u), 4 * u + TAKEN)
      this.run(u)
    }
  }

  /**
   * Waits up to one of its own units' time (a helper that is running finishes its unit by then),
   * then takes and runs every unit a helper has claimed but not finished.
   */
  stealBack(end: number): void {
    const w = this.w
    const grace = this.ran > 0 ? this.ms / this.ran : 0.05
    const t0 = performance.now()
    while (Atomics.load(w, FINISHED) < end && performance.now() - t0 < grace);
    if (Atomics.load(w, FINISHED) >= end) return
    for (let u = this.base; u < end; u++) {
      const slot = slotOf(u)
      for (const state of [FREE, CLAIMED])
        if (Atomics.compareExchange(w, slot, 4 * u + state, 4 * u + TAKEN) === 4 * u + state) {
          if (state === CLAIMED) this.stolen++
          this.run(u)
          break
        }
    }
  }
}

/** Runs units 0…units−1 on the calling thread, every one even after a failure; rethrows the first. */
export function runEach(units: number, own: (u: number) => void): void {
  let failure: { readonly error: unknown } | undefined = undefined
  for (let u = 0; u < units; u++) {
    try {
      own(u)
    } catch (e) {
      failure ??= { error: e }
    }
  }
  if (failure !== undefined) throw failure.error
}
