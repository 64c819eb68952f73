/**
 * The calling thread's side of a `split` (`./threads`): the units it claims from the shared
 * counters, the units helpers computed into their scratch (a stealing split: the caller copies them
 * out), the units it takes back from a helper that has not finished them, and running every unit
 * alone when the split is not threaded.
 *
 * @category kernels
 * @since 0.2.0
 */
import { InternalError } from '../../errors'
import {
  CLAIMED,
  COMPUTED,
  COPIED,
  FINISHED,
  FREE,
  HELD,
  MAX_HELPERS,
  NEXT,
  SCRATCH_SLOTS,
  STATE_SLOTS,
  STATES,
  TAKEN,
} from './helperProgram'

/** The state slot of unit u in the pool's shared counters. */
export const slotOf = (u: number): number => STATES + (u & (STATE_SLOTS - 1))

/**
 * Copies unit u's values (relative to the split) from a helper's scratch at byte offset `at` to
 * the output: the job's own layout, on the calling thread.
 */
export type CommitFn = (u: number, at: number) => void

/** The caller's share of one split: the units it claims, then (stealing) the ones helpers still hold. */
export class Runner {
  /** Units run (of them taken back from helpers: stolen) and the least time one of them took (ms). */
  ran = 0
  stolen = 0
  least = Infinity
  failure: { readonly error: unknown } | undefined = undefined
  /** Stealing: the first unit not known to be taken (units below it are all done). */
  private low: number

  /**
   * `commit` (a stealing split) copies a unit a helper computed into its scratch slot; slot i
   * (HELD's numbering) starts at byte i · `slotBytes`.
   */
  constructor(
    private readonly w: Int32Array,
    private readonly base: number,
    private readonly own: (u: number) => void,
    private readonly commit: CommitFn | null,
    private readonly slotBytes: number,
  ) {
    this.low = base
  }

  /** Runs absolute unit u on the calling thread and counts it finished. */
  private run(u: number): void {
    const t0 = performance.now()
    try {
      this.own(u - this.base)
    } catch (e) {
      this.failure ??= { error: e }
    }
    const ms = performance.now() - t0
    if (ms < this.least) this.least = ms
    this.ran++
    Atomics.add(this.w, FINISHED, 1)
  }

  /** Copies out computed unit u (its state is COMPUTED: only the caller moves it on) and counts it finished. */
  private copyOut(u: number): void {
    const w = this.w
    try {
      let i = 0
      while (i < MAX_HELPERS * SCRATCH_SLOTS && Atomics.load(w, HELD + i) !== u) i++
      if (i === MAX_HELPERS * SCRATCH_SLOTS) throw new InternalError(`thread pool: computed unit ${u} is in no slot`)
      ;(this.commit as CommitFn)(u - this.base, i * this.slotBytes)
    } catch (e) {
      this.failure ??= { error: e }
    }
    Atomics.store(w, slotOf(u), 4 * u + TAKEN)
    Atomics.add(w, FINISHED, 1)
    Atomics.add(w, COPIED, 1)
    Atomics.notify(w, COPIED)
  }

  /** Copies out every unit below `end` that a helper has computed; true when every unit is taken. */
  private collect(end: number): boolean {
    const w = this.w
    let all = true
    for (let u = this.low; u < end; u++) {
      const s = Atomics.load(w, slotOf(u))
      if (s === 4 * u + COMPUTED) this.copyOut(u)
      else if (s !== 4 * u + TAKEN) all = false
      if (all) this.low = u + 1
    }
    return all
  }

  /** Claims units until none is left below end (stealing: copying out helpers' units between its own). */
  claimAll(end: number): void {
    const w = this.w
    for (;;) {
      const u = Atomics.load(w, NEXT)
      if (u >= end) return
      if (Atomics.compareExchange(w, NEXT, u, u + 1) !== u) continue
      // a stealing split's slot is free here (only this thread claimed u): mark it taken
      if (this.commit !== null) Atomics.store(w, slotOf(u), 4 * u + TAKEN)
      this.run(u)
      if (this.commit !== null) this.collect(end)
    }
  }

  /**
   * Copies out the helpers' computed units while waiting up to one of its own units' time (a helper
   * that is running finishes its unit by then), then takes and runs every unit a helper has
   * claimed but not computed, and copies out the rest. Never waits for a helper after that.
   *
   * The unit's time is the least the caller took, not the mean: on a loaded machine the caller is
   * itself descheduled mid-unit (the run-queue waits measured at load 15: tens of ms per call), and
   * one such unit made the mean, and so the caller's spin before taking the rest, many units long.
   */
  stealBack(end: number): void {
    const w = this.w
    const grace = this.ran > 0 ? this.least : 0.05
    const t0 = performance.now()
    while (!this.collect(end) && performance.now() - t0 < grace);
    for (let u = this.low; u < end; u++) {
      for (;;) {
        const s = Atomics.load(w, slotOf(u))
        if (s === 4 * u + TAKEN) break
        if (s === 4 * u + COMPUTED) {
          this.copyOut(u)
          break
        }
        if (
          (s === 4 * u + FREE || s === 4 * u + CLAIMED) &&
          Atomics.compareExchange(w, slotOf(u), s, 4 * u + TAKEN) === s
        ) {
          if (s === 4 * u + CLAIMED) this.stolen++
          this.run(u)
          break
        }
      }
    }
    this.low = end
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
