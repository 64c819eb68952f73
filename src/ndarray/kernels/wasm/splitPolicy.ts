/**
 * When a threaded `split` stops paying: a helper descheduled by the OS (another process holds
 * its core) while it runs a work unit makes the caller wait for that unit, so a split can take
 * longer than running every unit on the calling thread. The pool records, per split, how long the
 * caller worked on its own units, how many it ran, and how long it then waited for the helpers'
 * last ones. What the split saved is measured against what the caller alone would have taken for
 * every unit (its time per unit times the unit count), as a fraction of that time in [-1, 1].
 *
 * One slow split is not a trend: the policy keeps a running average of the savings (exponential,
 * weight {@link SMOOTHING} on the newest split) and runs splits on the calling thread alone only
 * while that average is negative. A helper sharing its core with a busy process wins some splits
 * (while it has the core) and loses others by a whole scheduler slice; the average of those is
 * negative, so one split in {@link MAX_BACKOFF} probes the helpers. While backing off, each probe
 * that loses doubles the gap to the next probe (1, 2, 4, … splits); paying probes keep the gap and
 * raise the average, so a machine that becomes quiet again gets both threads back after three
 * probes, and a busy one pays one slow split per {@link MAX_BACKOFF}.
 *
 * @category kernels
 * @since 0.2.0
 */

/** Most splits run on the calling thread between two probes of the helpers. */
export const MAX_BACKOFF = 256

/** Waits shorter than this (ms) never count as a loss: they are the hand-off's own cost. */
export const MIN_LOSS_MS = 0.05

/** Weight of the newest split in the running average of savings. */
export const SMOOTHING = 0.2

/** The running average never falls below this, so a long busy spell does not delay recovery. */
const FLOOR = -0.3

/** The fraction of the caller-alone time a split saved, in [-1, 1] (0 for a wait too short to judge). */
export function splitSaving(ownMs: number, waitMs: number, ownUnits: number, units: number): number {
  if (ownUnits === 0) return 1
  const alone = (ownMs / ownUnits) * units
  const saved = alone > 0 ? (alone - ownMs - waitMs) / alone : 0
  const clamped = Math.max(-1, Math.min(1, saved))
  return waitMs <= MIN_LOSS_MS ? Math.max(0, clamped) : clamped
}

/** The back-off state of one pool. */
export class SplitPolicy {
  private skip = 0
  private backoff = 1
  private average = 0

  /** Whether the next split may use the helpers (false while backing off; each call counts one). */
  threaded(): boolean {
    if (this.skip === 0) return true
    this.skip--
    return false
  }

  /**
   * Records a threaded split: the caller's own time and its wait for the helpers (ms), the units
   * it ran and the split's unit count.
   */
  record(ownMs: number, waitMs: number, ownUnits: number, units: number): void {
    const saved = splitSaving(ownMs, waitMs, ownUnits, units)
    this.average = Math.max(FLOOR, (1 - SMOOTHING) * this.average + SMOOTHING * saved)
    if (this.average >= 0) {
      this.backoff = 1
      return
    }
    this.skip = this.backoff
    if (saved < 0) this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF)
  }
}
