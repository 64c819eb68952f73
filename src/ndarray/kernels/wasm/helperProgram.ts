/**
 * The layout of the thread pool's shared control memory (`./threads`) and the program its helper
 * threads run, kept apart from the pool so both sides read one set of constants.
 *
 * @category kernels
 * @since 0.2.0
 */

/** What a job does on a helper: `(exports, params, u, memory, scratch) => void`, given as JavaScript source. */
export type JobSource = string

/** Control block per helper: 32 i32 (128 bytes, so helpers never share a cache line). */
export const CTL_INTS = 32
export const SEQ = 0
export const DONE = 1
export const READY = 2
export const STATUS = 3
/** The posted job's mode: 0 one job, 1 a `split`, 2 a `split` whose units the caller may steal back. */
export const MODE = 4
export const PARAMS = 8
export const MAX_PARAMS = CTL_INTS - PARAMS

/**
 * The shared counters of `split`: the next unclaimed unit, the number of finished units (both
 * count up across calls, so that a helper waking late for an old call finds nothing left to claim
 * in its range and cannot take a unit of the current one) and a failure flag.
 */
export const NEXT = 0
export const FINISHED = 1
export const FAILED = 2

/**
 * Unit states of a stealing split, from this i32 on, one per unit (unit u in slot u mod
 * STATE_SLOTS): `4u + FREE`, `4u + CLAIMED` (a helper computes it into its private scratch) or
 * `4u + TAKEN` (someone writes it to the output: a helper committing its scratch, or the caller,
 * who ran it or stole it). Every transition is a compare-and-swap, so exactly one thread writes
 * each unit's output; the unit number in the state keeps a helper waking late for an old split
 * from taking a slot of the current one.
 */
export const STATES = 16
export const STATE_SLOTS = 1024
export const FREE = 0
export const CLAIMED = 1
export const TAKEN = 2

/** Spins before a blocking wait: a helper that just finished its job is waited for without a syscall. */
export const SPINS = 1 << 14

/**
 * The helper's program (plain script or module alike: it reaches Node through
 * `process.getBuiltinModule`): instantiate the module on the shared memory, then serve jobs. Between
 * jobs it spins a little before it blocks, so the next job of the same kernel call (one per
 * k-slice in gemm) starts without a wake-up. In mode 2 the job computes a unit into the helper's
 * private scratch (`scratchBytes` at `index · scratchBytes`) and `job.commit` copies it to the output
 * once the helper has won the unit's compare-and-swap; a unit the caller stole meanwhile is dropped.
 */
export const helperSource = (job: JobSource): string => `
const { workerData } = process.getBuiltinModule('node:worker_threads')
const { memory, module, ctl, work, index, scratchBytes } = workerData
const c = new Int32Array(ctl, index * ${CTL_INTS * 4}, ${CTL_INTS})
const w = new Int32Array(work)
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports
const job = ${job}
const scratch = index * scratchBytes
const params = new Int32Array(${MAX_PARAMS})
const finish = (end) => { if (Atomics.add(w, ${FINISHED}, 1) + 1 === end) Atomics.notify(w, ${FINISHED}) }
/** Claims the next unit below end (or returns -1): load and compare-and-swap, never past end. */
const claim = (end) => {
  for (;;) {
    const u = Atomics.load(w, ${NEXT})
    if (u >= end) return -1
    if (Atomics.compareExchange(w, ${NEXT}, u, u + 1) === u) return u
  }
}
const shared = (end, base) => {
  for (let u = claim(end); u >= 0; u = claim(end)) {
    try { job(exports, params, u - base, memory, -1) } catch { Atomics.store(w, ${FAILED}, 1) }
    finish(end)
  }
}
const stealable = (end, base) => {
  for (let u = claim(end); u >= 0; u = claim(end)) {
    const slot = ${STATES} + (u & ${STATE_SLOTS - 1})
    if (Atomics.compareExchange(w, slot, 4 * u + ${FREE}, 4 * u + ${CLAIMED}) !== 4 * u + ${FREE}) continue
    let ok = true
    try { job(exports, params, u - base, memory, scratch) } catch { ok = false }
    if (Atomics.compareExchange(w, slot, 4 * u + ${CLAIMED}, 4 * u + ${TAKEN}) !== 4 * u + ${CLAIMED}) continue
    if (ok) try { job.commit(exports, params, u - base, memory, scratch) } catch { ok = false }
    if (!ok) Atomics.store(w, ${FAILED}, 1)
    finish(end)
  }
}
Atomics.store(c, ${READY}, 1)
let seq = 0
for (;;) {
  for (let i = 0; i < ${SPINS} && Atomics.load(c, ${SEQ}) === seq; i++);
  Atomics.wait(c, ${SEQ}, seq)
  seq = Atomics.load(c, ${SEQ})
  if (seq < 0) break
  const mode = c[${MODE}]
  if (mode !== 0) {
    const end = c[${PARAMS}], base = c[${PARAMS + 1}]
    for (let i = 0; i < ${MAX_PARAMS - 2}; i++) params[i] = c[${PARAMS + 2} + i]
    if (mode === 2) stealable(end, base)
    else shared(end, base)
    Atomics.store(c, ${STATUS}, 0)
  } else {
    for (let i = 0; i < ${MAX_PARAMS}; i++) params[i] = c[${PARAMS} + i]
    try { job(exports, params); Atomics.store(c, ${STATUS}, 0) } catch { Atomics.store(c, ${STATUS}, 1) }
  }
  Atomics.store(c, ${DONE}, seq)
  Atomics.notify(c, ${DONE})
}
`
