/**
 * When a threaded `split` stops paying: a helper descheduled by the OS (another process holds
 * its core) while it runs a work unit makes the caller wait for that unit, so a split can take
 * longer than running every unit on the calling thread. The pool records, per split, how long the
 * caller worked on its own units, how many it ran, and how long it then waited for the helpers'
 * last ones; a split that took longer than the caller alone would have taken for every unit (its
 * time per unit times the unit count) was a loss, and the next splits run on the calling thread
 * alone. The back-off doubles with each
 * consecutive loss (1, 2, 4, … splits, at most {@link MAX_BACKOFF}) and resets after a split that
 * paid, so a machine that becomes quiet again gets both threads back within a few calls, and a
 * busy one pays one slow split per {@link MAX_BACKOFF}.
 *
 * @category kernels
 * @since 0.2.0
 */

/** Most splits run on the calling thread after a run of losses before threads are tried again. */
export const MAX_BACKOFF = 256

/** Waits shorter than this (ms) never count as a loss: they are the hand-off's own cost. */
export const MIN_LOSS_MS = 0.05

/** The back-off state of one pool. */
export class SplitPolicy {
  private skip = 0
  private backoff = 1

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
    const alone = ownUnits > 0 ? (ownMs / ownUnits) * units : Infinity
    if (ownMs + waitMs > alone && waitMs > MIN_LOSS_MS) {
      this.skip = this.backoff
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF)
    } else {
      this.backoff = 1
    }
  }
}
