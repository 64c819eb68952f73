/**
 * Counters of the thread pools' splits (`./threads`), for benchmarks that ask where a threaded
 * product loses to one thread: how often the helpers were used, how many units they ran, how
 * often the caller waited for them (and for how long) and how often none joined at all.
 *
 * @category kernels
 * @since 0.2.0
 */
import { MIN_LOSS_MS } from './splitPolicy'

/** The split counters since the last reset (every pool together). */
export interface SplitStats {
  /** Calls of `split`, on the helpers or (backing off, see `SplitPolicy`) on the caller alone. */
  readonly splits: number
  /** Splits handed to the helpers. */
  readonly threaded: number
  /** Units of the threaded splits, and how many of them the caller ran (its own claims and steals). */
  readonly units: number
  readonly callerUnits: number
  /** Units the caller took back from a helper that had not finished them (stealing splits). */
  readonly stolenUnits: number
  /** Threaded splits in which no helper finished a unit (each one joined too late or not at all). */
  readonly helperless: number
  /** Threaded splits whose caller waited longer than `MIN_LOSS_MS` for the helpers, and those waits (ms). */
  readonly waited: number
  readonly waitMs: number
  readonly maxWaitMs: number
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const zero = (): Mutable<SplitStats> => ({
  splits: 0,
  threaded: 0,
  units: 0,
  callerUnits: 0,
  stolenUnits: 0,
  helperless: 0,
  waited: 0,
  waitMs: 0,
  maxWaitMs: 0,
})

let stats = zero()

/** A copy of the counters; with `reset`, they restart from zero afterwards. */
export function splitStats(reset = false): SplitStats {
  const out = { ...stats }
  if (reset) stats = zero()
  return out
}

/** Counts a split run on the calling thread alone. */
export function noteLocalSplit(): void {
  stats.splits++
}

/** Counts a threaded split: its units, the caller's (of them stolen) and the caller's wait (ms). */
export function noteThreadedSplit(units: number, callerUnits: number, stolen: number, waitMs: number): void {
  stats.splits++
  stats.threaded++
  stats.units += units
  stats.callerUnits += callerUnits
  stats.stolenUnits += stolen
  if (callerUnits >= units) stats.helperless++
  if (waitMs > MIN_LOSS_MS) {
    stats.waited++
    stats.waitMs += waitMs
    stats.maxWaitMs = Math.max(stats.maxWaitMs, waitMs)
  }
}
