/**
 * Helper threads for the large kernels: the calling thread and `n − 1` helpers share one
 * WebAssembly memory and each instantiate the same kernel module on it; a kernel call stages its
 * operands once, hands each helper a slice of the work (a few i32 parameters in a shared control
 * block), does its own slice and waits for theirs. Kernels stay synchronous.
 *
 * Helpers run where JavaScript can start them synchronously and block on them: Node ≥ 20.16
 * (`worker_threads`, reached through `process.getBuiltinModule` so that nothing here imports a
 * Node module and the package still loads in browsers). Elsewhere, or while the helpers are
 * still starting (a worker takes ~30 ms to boot; the pool never waits for that), every kernel
 * runs on the calling thread alone. Results do not depend on the number of threads: a helper
 * computes whole output elements with the same operations in the same order.
 *
 * @category kernels
 * @since 0.1.0
 */
import { InternalError, WengertError } from '../../errors'
import { builtin, getNumThreads, onThreadCountChange, type NodeWorker, type WorkerThreads } from './threadCount'
import type { MemoryViews } from './runtime'
import { helpersLate, SplitPolicies, type SplitPolicy } from './splitPolicy'
import { noteLocalSplit, noteThreadedSplit } from './splitStats'
import { HANDOFF_REFRESH_MS, measureHandoff } from './handoff'
import { Runner, runEach, slotOf, type CommitFn } from './splitRunner'
import {
  CTL_INTS,
  DONE,
  FAILED,
  FINISHED,
  FREE,
  HELD,
  helperSource,
  MAX_HELPERS,
  MAX_PARAMS,
  MODE,
  NEXT,
  PARAMS,
  READY,
  SCRATCH_SLOTS,
  SEQ,
  SPINS,
  STATE_SLOTS,
  STATUS,
  WORK_INTS,
  type JobSource,
} from './helperProgram'

export { setNumThreads, getNumThreads } from './threadCount'
export { splitStats, type SplitStats } from './splitStats'
export type { JobSource } from './helperProgram'
export type { CommitFn } from './splitRunner'
import { at } from '../../../internal/at'

/** A group of threads sharing one memory and running one module. */
export interface ThreadPool {
  /** The calling thread's exports of the module on the shared memory. */
  readonly exports: WebAssembly.Exports
  /** Views of the shared memory grown to `bytes`, or null if it cannot grow that far. */
  views(bytes: number): MemoryViews | null
  /** How many helpers have started and can take work now (0 while they boot). */
  ready(): number
  /** Hands helper `h` (0-based, below `ready()`) a job with these i32 parameters. */
  post(h: number, params: ReadonlyArray<number>): void
  /** Waits until helper `h` has finished its job; throws if the job failed. */
  wait(h: number): void
  /**
   * Wakes the idle helpers without a job: each spins for its next one (`SPIN_MS`). A kernel calls it
   * before staging its operands, so the futex wake-up overlaps the staging instead of delaying the
   * helpers' first units.
   */
  wake(): void
  /**
   * Runs `units` work units with these i32 parameters, shared dynamically: the calling thread
   * (through `own(u)`) and every idle helper (through the job, called as
   * `job(exports, params, u, memory)`)
   * claim the next unclaimed unit until none is left, so a helper that the OS has descheduled
   * holds up at most the unit it is running. Returns when every unit is done; rethrows the first
   * failure. Unless `policed` is false (the caller decided), while splits of this shape (unit count and parameters) do not pay (they took longer
   * than the calling thread alone: see `SplitPolicy`), every unit runs on the calling thread.
   *
   * With `commit` (a stealing split, in a pool made with scratch bytes), a helper computes each
   * unit into one of its private scratch slots and the calling thread copies it to the output with
   * `commit(u, at)` (the slot's byte offset), between its own units and at the end; once no unit is
   * left to claim, the caller waits about one of its own units' time, then runs every unit a helper
   * still holds itself (a descheduled helper's result is dropped when it wakes). The caller
   * writes every output itself, so it never waits for a helper at all.
   */
  split(
    units: number,
    params: ReadonlyArray<number>,
    own: (u: number) => void,
    commit?: CommitFn,
    policed?: boolean,
  ): void
  /**
   * The back-off policy of the work named `key`, for a caller that decides itself, per call, whether
   * to use the helpers (and then passes `policed` false to `split`): it times whole calls, its own
   * one-thread path against the threaded one, staging included; threaded from `gain` hand-offs
   * (default `GAIN`; see `STEALING_GAIN`).
   */
  policy(key: string, gain?: number): SplitPolicy
  /** Threaded splits so far in which the helpers fell behind (`helpersLate`), for a caller judging whole calls. */
  late(): number
  /** The hand-off (ms, `./handoff`): measured when the helpers first take work, then every ~10 s; NaN before. */
  handoffMs(): number
  /**
   * Bytes at the start of the memory that belong to the helpers (each its private scratch slots,
   * see `split`'s `commit`): a kernel lays its operands out after them.
   */
  readonly reserved: number
}

/** Largest shared memory: 16384 pages = 1 GiB (shared memories need a maximum). */
const MAX_PAGES = 16384

/** Longest a job may take on a helper before the pool gives up on it (a job is one k-slice of a gemm). */
const HELPER_TIMEOUT_MS = 120_000

/** The unit counters restart from 0 once they pass this (with every helper idle; 4u must fit an i32). */
let unitRestart = 1 << 28

/** Sets the unit count after which `split` restarts its counters from 0 (default 2^28); returns the previous one. For tests. */
export function setUnitRestart(n: number): number {
  const prev = unitRestart
  unitRestart = Math.min(n, 1 << 28)
  return prev
}

class Pool implements ThreadPool {
  readonly exports: WebAssembly.Exports
  private readonly ctl: Int32Array
  private readonly work = new Int32Array(new SharedArrayBuffer(WORK_INTS * 4))
  readonly reserved: number
  private readonly workers: NodeWorker[] = []
  private readonly seqs: number[] = []
  private readonly controls: Int32Array[] = []
  private viewsCache: MemoryViews
  private readonly policies = new SplitPolicies(() => this.handoff())
  private handoffCache = NaN
  private handoffAt = -Infinity
  private lateSplits = 0

  constructor(
    private readonly wt: WorkerThreads,
    private readonly memory: WebAssembly.Memory,
    private readonly module: WebAssembly.Module,
    private readonly job: JobSource,
    private readonly scratchBytes: number,
  ) {
    this.reserved = scratchBytes * SCRATCH_SLOTS * MAX_HELPERS
    this.work.fill(-1, HELD, HELD + MAX_HELPERS * SCRATCH_SLOTS)
    this.exports = new WebAssembly.Instance(module, { env: { memory } }).exports
    // one control block per helper: at most MAX_HELPERS (each with its scratch slots in `reserved`)
    this.ctl = new Int32Array(new SharedArrayBuffer(MAX_HELPERS * CTL_INTS * 4))
    const buf = memory.buffer
    this.viewsCache = { f32: new Float32Array(buf), f64: new Float64Array(buf), u8: new Uint8Array(buf) }
  }

  views(bytes: number): MemoryViews | null {
    const have = this.memory.buffer.byteLength
    if (have < bytes) {
      const pages = Math.ceil((bytes - have) / 65536)
      if (have / 65536 + pages > MAX_PAGES) return null
      this.memory.grow(pages)
    }
    const buf = this.memory.buffer
    if (this.viewsCache.f32.buffer !== buf)
      this.viewsCache = { f32: new Float32Array(buf), f64: new Float64Array(buf), u8: new Uint8Array(buf) }
    return this.viewsCache
  }

  /** Starts or stops helpers until there are `helpers` of them. */
  resize(helpers: number): void {
    const max = this.ctl.length / CTL_INTS
    const target = Math.min(helpers, max)
    while (this.workers.length > target) {
      const h = this.workers.length - 1
      const c = this.control(h)
      Atomics.store(c, SEQ, -1)
      Atomics.notify(c, SEQ)
      void (this.workers.pop() as NodeWorker).terminate()
      this.seqs.pop()
    }
    while (this.workers.length < target) {
      const h = this.workers.length
      const c = this.control(h)
      c.fill(0)
      const worker = new this.wt.Worker(helperSource(this.job), {
        eval: true,
        workerData: {
          memory: this.memory,
          module: this.module,
          ctl: this.ctl.buffer,
          work: this.work.buffer,
          index: h,
          scratchBytes: this.scratchBytes,
        },
      })
      // a helper that fails to start never reports ready and so is never given work; the
      // listener keeps its error from becoming the process's uncaught exception
      worker.on('error', () => undefined)
      worker.unref()
      this.workers.push(worker)
      this.seqs.push(0)
    }
  }

  ready(): number {
    let n = 0
    while (n < this.workers.length && Atomics.load(this.control(n), READY) === 1) n++
    return n
  }

  post(h: number, params: ReadonlyArray<number>, mode = 0): void {
    const c = this.control(h)
    c[MODE] = mode
    for (let i = 0; i < params.length; i++) c[PARAMS + i] = params[i] as number
    const seq = at(this.seqs, h, 'thread pool: helper') + 1
    this.seqs[h] = seq
    Atomics.store(c, SEQ, seq)
    Atomics.notify(c, SEQ)
  }

  wait(h: number): void {
    const c = this.control(h)
    const seq = at(this.seqs, h, 'thread pool: helper')
    for (let i = 0; i < SPINS && Atomics.load(c, DONE) !== seq; i++);
    const start = Date.now()
    while (Atomics.load(c, DONE) !== seq) {
      Atomics.wait(c, DONE, Atomics.load(c, DONE), 50)
      // a helper that died (killed, out of memory) would otherwise be waited for forever
      if (Date.now() - start > HELPER_TIMEOUT_MS) this.giveUp(`helper ${h}'s job`)
    }
    if (Atomics.load(c, STATUS) !== 0) throw new InternalError(`thread pool: a helper failed its job (helper ${h})`)
  }

  wake(): void {
    const ready = this.ready()
    for (let h = 0; h < ready; h++) if (this.idle(h)) Atomics.notify(this.control(h), SEQ)
  }

  policy(key: string, gain?: number): SplitPolicy {
    return this.policies.ofKey(key, gain)
  }

  late(): number {
    return this.lateSplits
  }

  handoffMs(): number {
    return this.handoffCache
  }

  /**
   * The hand-off, measured on first use with a ready helper and again once the last measurement is
   * HANDOFF_REFRESH_MS old (the machine's load changes); Infinity before the first. A helper still
   * waking for an earlier split (it finds that split's units taken) is waited for first: measuring
   * only when it happens to be idle could put the measurement off for every call of a burst.
   */
  private handoff(): number {
    const now = performance.now()
    if (!(now - this.handoffAt < HANDOFF_REFRESH_MS) && this.ready() > 0) {
      if (!this.idle(0)) this.wait(0)
      this.handoffCache = measureHandoff(
        (params) => this.post(0, params, 1),
        () => this.wait(0),
        this.work,
      )
      this.handoffAt = now
    }
    return Number.isNaN(this.handoffCache) ? Infinity : this.handoffCache
  }

  split(
    units: number,
    params: ReadonlyArray<number>,
    own: (u: number) => void,
    commit?: CommitFn,
    policed = true,
  ): void {
    if (params.length > MAX_PARAMS - 2)
      throw new InternalError(`thread pool: split takes at most ${MAX_PARAMS - 2} parameters`)
    const policy = policed ? this.policies.of(units, params) : null
    if (policy !== null && !policy.threaded()) {
      noteLocalSplit()
      const t0 = performance.now()
      try {
        runEach(units, own)
      } finally {
        policy.recordAlone(performance.now() - t0)
      }
      return
    }
    const w = this.work
    if (Atomics.load(w, NEXT) > unitRestart) this.restartUnits()
    const base = Atomics.load(w, NEXT)
    const end = base + units
    const steal = commit !== undefined && this.reserved > 0 && units <= STATE_SLOTS
    if (steal) for (let u = base; u < end; u++) Atomics.store(w, slotOf(u), 4 * u + FREE)
    const start = performance.now()
    const ready = this.ready()
    // only idle helpers get the job: one still waking for an earlier call keeps that call's
    // parameters, finds its range used up and becomes idle again
    for (let h = 0; h < ready; h++) if (this.idle(h)) this.post(h, [end, base, ...params], steal ? 2 : 1)
    const run = new Runner(w, base, own, steal ? (commit as CommitFn) : null, this.scratchBytes)
    run.claimAll(end)
    if (steal) run.stealBack(end)
    const worked = performance.now()
    this.waitFinished(end)
    const done = performance.now()
    const late = helpersLate({ units, helperUnits: units - run.ran, stolen: run.stolen, helpers: ready })
    if (late) this.lateSplits++
    policy?.recordThreaded(done - start, late)
    noteThreadedSplit(units, run.ran, run.stolen, done - worked)
    if (run.failure !== undefined) throw run.failure.error
    if (Atomics.exchange(w, FAILED, 0) !== 0) throw new InternalError('thread pool: a helper failed a work unit')
  }

  /** True when helper h has finished every job posted to it. */
  private idle(h: number): boolean {
    return Atomics.load(this.control(h), DONE) === this.seqs[h]
  }

  /** Waits until the finished-unit counter reaches `end` (units claimed by helpers still running). */
  private waitFinished(end: number): void {
    const w = this.work
    for (let i = 0; i < SPINS && Atomics.load(w, FINISHED) < end; i++);
    const start = Date.now()
    for (let done = Atomics.load(w, FINISHED); done < end; done = Atomics.load(w, FINISHED)) {
      Atomics.wait(w, FINISHED, done, 50)
      if (Date.now() - start > HELPER_TIMEOUT_MS) this.giveUp('a work unit')
    }
  }

  /** Restarts the unit counters from 0 once every helper is idle (none can hold an old range). */
  private restartUnits(): void {
    for (let h = 0; h < this.workers.length; h++) {
      const start = Date.now()
      while (!this.idle(h)) {
        Atomics.wait(this.control(h), DONE, Atomics.load(this.control(h), DONE), 50)
        if (Date.now() - start > HELPER_TIMEOUT_MS) this.giveUp(`helper ${h}'s job`)
      }
    }
    Atomics.store(this.work, NEXT, 0)
    Atomics.store(this.work, FINISHED, 0)
    // unit numbers start again from 0: no slot may still name an old unit
    this.work.fill(-1, HELD, HELD + MAX_HELPERS * SCRATCH_SLOTS)
  }

  /** Stops the helpers after one failed to finish in time. */
  private giveUp(what: string): never {
    this.resize(0)
    // units a stopped helper had claimed never finish: the next call starts from a clean count
    Atomics.store(this.work, FINISHED, Atomics.load(this.work, NEXT))
    Atomics.store(this.work, FAILED, 0)
    // NOTE: not InternalError: a helper killed from outside (out of memory, a debugger) ends here too
    throw new WengertError(
      `thread pool: ${what} did not finish within ${HELPER_TIMEOUT_MS / 1000} s; the helpers were stopped`,
    )
  }

  /** Helper h's control block (views made once: post/wait run per k-slice of every threaded gemm). */
  private control(h: number): Int32Array {
    let c = this.controls[h]
    if (c === undefined) {
      c = this.ctl.subarray(h * CTL_INTS, (h + 1) * CTL_INTS)
      this.controls[h] = c
    }
    return c
  }
}

/** One pool per module (keyed by its job), started on first use; null where helpers cannot run. */
const pools = new Map<JobSource, Pool>()
const failed = new Set<JobSource>()

/**
 * The pool running the module built by `build(sharedMaxPages)` with `job` on its helpers, with
 * `getNumThreads() − 1` helpers; null when there are no helpers to have (one thread, no Node
 * worker_threads, no shared WebAssembly memory). `scratchBytes` > 0 reserves SCRATCH_SLOTS private
 * scratch slots of that many bytes per helper at the start of the memory (`reserved`), for
 * stealing splits.
 */
export function threadPool(
  build: (sharedMaxPages: number) => Uint8Array<ArrayBuffer>,
  job: JobSource,
  scratchBytes = 0,
): ThreadPool | null {
  const helpers = getNumThreads() - 1
  if (helpers < 1 || failed.has(job)) return null
  let pool = pools.get(job)
  if (pool === undefined) {
    const wt = builtin<WorkerThreads>('node:worker_threads')
    if (wt === undefined) {
      failed.add(job)
      return null
    }
    try {
      const initial = 16 + Math.ceil((scratchBytes * SCRATCH_SLOTS * MAX_HELPERS) / 65536)
      const memory = new WebAssembly.Memory({ initial, maximum: MAX_PAGES, shared: true })
      pool = new Pool(wt, memory, new WebAssembly.Module(build(MAX_PAGES)), job, scratchBytes)
    } catch {
      failed.add(job)
      return null
    }
    pools.set(job, pool)
    const created = pool
    onThreadCountChange((n) => created.resize(n - 1))
  }
  pool.resize(helpers)
  return pool
}
