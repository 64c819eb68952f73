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
/** Counts the units the caller copied out of helpers' scratch (a helper with no free slot waits on it). */
export const COPIED = 3

/**
 * Unit states of a stealing split, from this i32 on, one per unit (unit u in slot u mod
 * STATE_SLOTS): `4u + FREE`, `4u + CLAIMED` (a helper computes it into one of its private scratch
 * slots), `4u + COMPUTED` (its values wait in that slot, found through HELD, for the calling
 * thread to copy them out) or `4u + TAKEN` (done: the caller ran it, stole it or copied it
 * out; or the helper's job failed). Every transition is a compare-and-swap, so exactly one thread
 * writes each unit's output, and that is always the calling thread; the unit number in the state
 * keeps a helper waking late for an old split from taking a slot of the current one.
 */
export const STATES = 16
export const STATE_SLOTS = 1024
export const FREE = 0
export const CLAIMED = 1
export const TAKEN = 2
export const COMPUTED = 3

/** Scratch slots per helper: a helper computes ahead while the caller has not yet copied its units. */
export const SCRATCH_SLOTS = 4

/** Most helpers a pool runs (as many as it has control blocks: `DEFAULT_MAX_THREADS`). */
export const MAX_HELPERS = 8

/**
 * Which unit each helper's scratch slot holds, from this i32 on (helper h's slot k at
 * `h · SCRATCH_SLOTS + k`, also the slot's byte offset divided by the scratch bytes per slot): the
 * helper writes it before it marks the unit COMPUTED and changes it only for a slot whose unit is
 * no longer COMPUTED, so the caller finds a computed unit's values by its number; -1 for none.
 */
export const HELD = STATES + STATE_SLOTS

/** The i32s of the shared counters, unit states and slot entries. */
export const WORK_INTS = HELD + MAX_HELPERS * SCRATCH_SLOTS

/** Spins before a blocking wait: a helper that just finished its job is waited for without a syscall. */
export const SPINS = 1 << 14

/**
 * How long (ms) a helper spins for its next job after finishing one, or after a wake-up without a job
 * (`ThreadPool.wake`), before it blocks. A blocked helper takes a futex wake-up to start: measured
 * 0.13–0.5 ms on this two-vCPU guest (`./handoff`), as long as half of one of W2's threaded products,
 * whose two large products per step come ~0.3–0.5 ms apart. Spinning through such gaps costs the
 * other core at most this long after the last job of a burst.
 */
export const SPIN_MS = 0.4

/**
 * The helper's program (plain script or module alike: it reaches Node through
 * `process.getBuiltinModule`): instantiate the module on the shared memory, then serve jobs. Between
 * jobs it spins up to SPIN_MS before it blocks, so the next job of the same kernel call, or of the
 * next one in a loop, starts without a wake-up; woken without a job it spins again. In mode 2 the job computes a unit into one of the
 * helper's private scratch slots (`scratchBytes` each, helper h's at `h · SCRATCH_SLOTS ·
 * scratchBytes`) and marks it COMPUTED; the calling thread copies it out. A unit the caller stole
 * meanwhile is dropped; a helper whose slots all wait for the caller waits for a free one.
 */
export const helperSource = (job: JobSource): string => `
const { workerData } = process.getBuiltinModule('node:worker_threads')
const { memory, module, ctl, work, index, scratchBytes } = workerData
const c = new Int32Array(ctl, index * ${CTL_INTS * 4}, ${CTL_INTS})
const w = new Int32Array(work)
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports
const job = ${job}
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
/** A slot of this helper's scratch whose unit the caller has copied out (waits while all hold one). */
const slotUnit = new Int32Array(${SCRATCH_SLOTS}).fill(-1)
const freeSlot = () => {
  for (let spin = 0; ; spin++) {
    const copied = Atomics.load(w, ${COPIED})
    for (let k = 0; k < ${SCRATCH_SLOTS}; k++) {
      const u = slotUnit[k]
      if (u < 0 || Atomics.load(w, ${STATES} + (u & ${STATE_SLOTS - 1})) !== 4 * u + ${COMPUTED}) return k
    }
    if (spin > 1000) Atomics.wait(w, ${COPIED}, copied, 5)
  }
}
const stealable = (end, base) => {
  slotUnit.fill(-1)
  for (let k = 0; k < ${SCRATCH_SLOTS}; k++) Atomics.store(w, ${HELD} + index * ${SCRATCH_SLOTS} + k, -1)
  for (;;) {
    const k = freeSlot()
    const u = claim(end)
    if (u < 0) return
    const slot = ${STATES} + (u & ${STATE_SLOTS - 1})
    if (Atomics.compareExchange(w, slot, 4 * u + ${FREE}, 4 * u + ${CLAIMED}) !== 4 * u + ${FREE}) continue
    const where = index * ${SCRATCH_SLOTS} + k
    let ok = true
    try { job(exports, params, u - base, memory, where * scratchBytes) } catch { ok = false }
    if (!ok) {
      if (Atomics.compareExchange(w, slot, 4 * u + ${CLAIMED}, 4 * u + ${TAKEN}) === 4 * u + ${CLAIMED}) {
        Atomics.store(w, ${FAILED}, 1)
        finish(end)
      }
      continue
    }
    Atomics.store(w, ${HELD} + where, u)
    slotUnit[k] = u
    Atomics.compareExchange(w, slot, 4 * u + ${CLAIMED}, 4 * u + ${COMPUTED})
  }
}
/** Spins up to ${SPIN_MS} ms for a job other than seq; true when one came. */
const spin = (seq) => {
  const until = performance.now() + ${SPIN_MS}
  for (let i = 1; ; i++) {
    if (Atomics.load(c, ${SEQ}) !== seq) return true
    if ((i & 255) === 0 && performance.now() > until) return false
  }
}
Atomics.store(c, ${READY}, 1)
let seq = 0
for (;;) {
  // a wake-up without a new job (ThreadPool.wake: a job is coming) spins again
  while (!spin(seq)) Atomics.wait(c, ${SEQ}, seq)
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
