/**
 * When a threaded `split` stops paying. A split is worth threading only while it takes less wall
 * time than the calling thread alone takes for the same work, and only a measurement of both
 * tells: a helper descheduled by the OS (another process holds its core) makes the caller wait for
 * its unit; two threads sharing one physical core, its caches or the memory bus each run slower
 * than one alone, which no wait shows. So the policy times, per split shape (the same units and
 * parameters: one product shape, one chain length), whole splits both ways: the shape's second
 * split and then one in {@link RECALIBRATE} threaded ones run on the calling thread alone (the
 * reference: the least of its last {@link ALONE_SAMPLES} such times), the others on the threads,
 * and a threaded split's saving is the fraction of the reference it saved, in [-1, 1].
 *
 * One slow split is not a trend: the policy keeps a running average of the savings (exponential,
 * weight {@link SMOOTHING} on the newest split) and runs the shape on the calling thread alone
 * only while that average is negative. A helper sharing its core with a busy process wins some
 * splits (while it has the core) and loses others by a whole scheduler slice; the average of those
 * is negative, so one split in {@link MAX_BACKOFF} probes the helpers. While backing off, each
 * probe that loses doubles the gap to the next probe (1, 2, 4, … splits); paying probes keep the
 * gap and raise the average, so a machine that becomes quiet again gets both threads back after a
 * few probes, and a busy one pays one slow split per {@link MAX_BACKOFF}.
 *
 * @category kernels
 * @since 0.2.0
 */

/** Most splits run on the calling thread between two probes of the helpers. */
export const MAX_BACKOFF = 256

/**
 * Waits longer than this (ms) count in the split counters (`splitStats`); about the hand-off's own
 * cost on an idle machine.
 */
export const MIN_LOSS_MS = 0.05

/** Losses under this fraction of the reference count as 0 (timing noise of a split that broke even). */
export const NOISE = 0.02

/**
 * A shape is threaded only when its reference is at least GAIN times the pool's hand-off: the best
 * saving of two threads, half the reference, is then at least twice the hand-off it pays.
 */
export const GAIN = 4

/**
 * GAIN for a caller that wakes the helpers before staging its operands and runs stealing splits
 * (the gemm: `ThreadPool.wake`, `split`'s `commit`): its caller never waits for a hand-off (it starts
 * on the units at once and takes back what a late helper holds), so the hand-off only bounds what a
 * helper can take, and the timed comparison decides the rest. With GAIN, W2's 25.7 M-MAC products
 * (1.0–1.5 ms alone) were never threaded while the sleeping hand-off measured 0.3–0.5 ms on the
 * loaded guest, though threaded they took 0.70 ms (p10) against 1.02 ms alone.
 */
export const STEALING_GAIN = 1

/** Weight of the newest split in the running average of savings. */
export const SMOOTHING = 0.2

/** Threaded splits of a shape between two runs on the calling thread alone (refreshing the reference). */
export const RECALIBRATE = 32

/** Alone times kept per shape; the reference is their least (the closest to the work's own cost). */
export const ALONE_SAMPLES = 4

/** The running average never falls below this, so a long busy spell does not delay recovery. */
const FLOOR = -0.3

/** Shapes remembered per pool; past this the policies start afresh (a program with ever new shapes). */
const MAX_SHAPES = 64

/** What a threaded split tells the policy besides its time: whether a helper fell behind. */
export interface SplitOutcome {
  /** Units the helpers ran (computed and handed over), out of `units`. */
  readonly helperUnits: number
  readonly units: number
  /** Units the caller took back from a helper that had claimed but not finished them. */
  readonly stolen: number
  /** Helpers that were given the job. */
  readonly helpers: number
}

/**
 * True when the helpers fell behind in a split: the caller took a unit back from one, or they ran
 * less than a quarter of their fair share (units · helpers / threads) of the units.
 */
export function helpersLate(o: SplitOutcome): boolean {
  if (o.stolen > 0) return true
  const fair = (o.units * o.helpers) / (o.helpers + 1)
  return o.helperUnits < fair / 4
}

/**
 * The fraction of the alone time `aloneMs` that a threaded split of `threadedMs` saved, in [-1, 1];
 * a loss under NOISE of the alone time counts as 0.
 */
export function splitSaving(aloneMs: number, threadedMs: number): number {
  if (!(aloneMs > 0)) return 0
  const saved = Math.max(-1, Math.min(1, (aloneMs - threadedMs) / aloneMs))
  return saved >= -NOISE ? Math.max(0, saved) : saved
}

let policing = true

/**
 * With false, every split and every judged product runs on the helpers (the policies still
 * record): for tests that must exercise the threaded path on a given call. Returns the previous
 * setting. A testing hook.
 */
export function setSplitPolicing(on: boolean): boolean {
  const prev = policing
  policing = on
  return prev
}

/** The policy of one split shape. */
export class SplitPolicy {
  private skip = 0
  private backoff = 1
  private average = 0
  private sinceAlone = 0
  private readonly alone: number[] = []

  /** `minAloneMs()`: the least reference worth threading (GAIN hand-offs), read per call. */
  constructor(private readonly minAloneMs: () => number = () => 0) {}

  /**
   * Whether the next split may use the helpers: false for the shape's first split (it measures the
   * reference), while the reference is under `minAloneMs()`, while backing off, and once per
   * RECALIBRATE threaded splits.
   */
  threaded(): boolean {
    if (!policing) return true
    if (this.skip > 0) {
      this.skip--
      return false
    }
    const ref = this.aloneMs()
    return ref >= this.minAloneMs() && this.sinceAlone < RECALIBRATE
  }

  /** The reference: the least recent alone time (ms), or NaN before the first. */
  aloneMs(): number {
    return this.alone.length === 0 ? NaN : Math.min(...this.alone)
  }

  /** Records a split run on the calling thread alone, taking `ms`. */
  recordAlone(ms: number): void {
    this.sinceAlone = 0
    this.alone.push(ms)
    if (this.alone.length > ALONE_SAMPLES) this.alone.shift()
  }

  /**
   * Records a threaded split taking `ms` (wall time, from the hand-off to the last unit); `late`:
   * a helper fell behind in it (see `helpersLate`): it counts as no saving at best, its time as a
   * loss. Not a full loss whatever its time: the stealing split's caller never waits for a late
   * helper beyond one unit, so its time already holds what lateness cost, and on this two-vCPU
   * guest a unit is taken back in ~15 % of threaded 512² products that were 1.4× faster than the
   * thread alone (3.97 vs 5.68 ms median) — counting those as full losses kept 156 of 200 such
   * products on one thread.
   */
  recordThreaded(ms: number, late = false): void {
    this.sinceAlone++
    if (this.alone.length === 0) return
    const timed = splitSaving(this.aloneMs(), ms)
    const saved = late ? Math.min(0, timed) : timed
    this.average = Math.max(FLOOR, (1 - SMOOTHING) * this.average + SMOOTHING * saved)
    if (this.average >= 0) {
      this.backoff = 1
      return
    }
    this.skip = this.backoff
    if (saved < 0) this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF)
  }
}

/** The policies of one pool, one per split shape (its unit count and parameters). */
export class SplitPolicies {
  private readonly byShape = new Map<string, SplitPolicy>()

  /** `handoffMs()`: the pool's hand-off; a shape is threaded from `gain` of them (see GAIN). */
  constructor(private readonly handoffMs: () => number = () => 0) {}

  /** The policy of splits of `units` units with these parameters. */
  of(units: number, params: ReadonlyArray<number>): SplitPolicy {
    return this.ofKey(`${units}:${params.join(',')}`)
  }

  /**
   * The policy of the work named `key` (a caller that judges whole calls, e.g. one product shape),
   * threaded only when its reference is at least `gain` hand-offs.
   */
  ofKey(key: string, gain = GAIN): SplitPolicy {
    let p = this.byShape.get(key)
    if (p === undefined) {
      if (this.byShape.size >= MAX_SHAPES) this.byShape.clear()
      p = new SplitPolicy(() => gain * this.handoffMs())
      this.byShape.set(key, p)
    }
    return p
  }
}
