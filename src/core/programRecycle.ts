/**
 * Buffer reuse for `jit`'s programs: the large float arrays a program computes only for its own
 * use (not an output) are dead once a run ends. Their buffers go back to the buffer pool
 * (../ndarray/bufferPool) so that the next run's allocations of the same size — a training step's
 * gemm outputs — take them instead of mapping fresh memory page by page.
 *
 * A buffer is given back only when the run allocated it (a deep birth record around the run: never
 * an input's, a constant's or a buffer allocated before the run) and no output's value uses it (a
 * view of an intermediate that escapes keeps its buffer).
 *
 * Compiled programs also give buffers back during a run (`releasePlan`): after the unit of code that
 * last reads a value, its table slot is cleared, and its buffer goes to the pool once no live slot
 * holds it (a count per buffer of the live slots holding it: views share their base's buffer), so
 * later equations of the same run take it — a training step's program then needs a few of its
 * intermediates' memory at a time instead of all of it.
 *
 * @category core
 * @since 0.2.0
 */
import { beginDeepBirths, endDeepBirths, MIN_POOLED_BYTES, recycleBuffer } from '../ndarray/bufferPool'
import { sizeOf } from '../ndarray/shape'
import type { NdArray } from '../ndarray/NdArray'
import { Var, type Tape } from './equation'

/**
 * The table slots of the values worth recycling: float results of equations, large enough to be
 * pooled, that are not program outputs (`slotOf`: a variable's slot in the run's array table, −1
 * for none).
 */
export const recyclableSlots = (tape: Tape, slotOf: (id: number) => number): Int32Array => {
  const outputs = new Set(tape.outputs.flatMap((o) => (o instanceof Var ? [o.id] : [])))
  const slots: number[] = []
  for (const eq of tape.equations)
    for (const v of eq.outvars) {
      const { shape, dtype } = v.aval
      const bytes = sizeOf(shape) * (dtype === 'float32' ? 4 : dtype === 'float64' ? 8 : 0)
      const slot = slotOf(v.id)
      if (bytes >= MIN_POOLED_BYTES && slot >= 0 && !outputs.has(v.id)) slots.push(slot)
    }
  return Int32Array.from(slots)
}

/**
 * When a compiled program's table slots become live and dead, as release points: point p runs
 * after unit `units[p]`; it first counts the slots defined since the previous point (`defs[p]`),
 * then drops the slots no unit after it reads (`deaths[p]`). Outputs never die; inputs are not
 * tracked (their buffers are never the run's own).
 */
export interface ReleasePlan {
  readonly units: Int32Array
  readonly defs: ReadonlyArray<Int32Array>
  readonly deaths: ReadonlyArray<Int32Array>
}

/** The release points of a program whose equation k runs in unit `unitOf[k]` (units in order). */
export const releasePlan = (tape: Tape, slotOf: (id: number) => number, unitOf: Int32Array): ReleasePlan => {
  const outputs = new Set(tape.outputs.flatMap((o) => (o instanceof Var ? [o.id] : [])))
  const def = new Map<number, number>()
  const last = new Map<number, number>()
  tape.equations.forEach((eq, k) => {
    const u = unitOf[k] as number
    for (const x of eq.invars) if (x instanceof Var && last.has(slotOf(x.id))) last.set(slotOf(x.id), u)
    for (const v of eq.outvars) {
      const s = slotOf(v.id)
      if (s < 0) continue
      def.set(s, u)
      if (!outputs.has(v.id)) last.set(s, u)
    }
  })
  const units = Int32Array.from(new Set(last.values())).sort()
  const pointOf = (u: number): number => {
    let lo = 0
    for (let hi = units.length; lo < hi;) {
      const mid = (lo + hi) >> 1
      if ((units[mid] as number) < u) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const defs = Array.from(units, (): number[] => [])
  const deaths = Array.from(units, (): number[] => [])
  for (const [s, u] of def) defs[pointOf(u)]?.push(s)
  for (const [s, u] of last) deaths[pointOf(u)]?.push(s)
  return { units, defs: defs.map((d) => Int32Array.from(d)), deaths: deaths.map((d) => Int32Array.from(d)) }
}

/** What `startRun` returns: end the record with `finish` (after a run) or `abandon` (on a throw). */
export interface RunRecord {
  /** Runs release point p of the plan given to `startRun` over the run's array table. */
  release(table: Array<NdArray | undefined>, p: number): void
  /** Gives back the dead values' buffers (`table`: the run's array table, `outs`: its outputs). */
  finish(table: ReadonlyArray<NdArray | undefined>, outs: ReadonlyArray<NdArray>): void
  abandon(): void
}

const NONE: RunRecord = { release: () => undefined, finish: () => undefined, abandon: () => undefined }

/** Counts the live slots holding each of the run's own buffers; gives a buffer back when none is left. */
const releaser = (plan: ReleasePlan, born: WeakSet<ArrayBuffer>): RunRecord['release'] => {
  const live = new Map<ArrayBufferLike, number>()
  return (table, p) => {
    for (const s of plan.defs[p] as Int32Array) {
      const buf = table[s]?._data.buffer
      if (buf instanceof ArrayBuffer && born.has(buf)) live.set(buf, (live.get(buf) ?? 0) + 1)
    }
    for (const s of plan.deaths[p] as Int32Array) {
      const buf = table[s]?._data.buffer
      table[s] = undefined
      if (!(buf instanceof ArrayBuffer) || !born.has(buf)) continue
      const n = (live.get(buf) ?? 1) - 1
      if (n > 0) live.set(buf, n)
      else {
        live.delete(buf)
        recycleBuffer(buf)
      }
    }
  }
}

/**
 * Starts recording a run's allocations when the program has values to recycle (`slots`); with a
 * `plan`, the record's `release` gives buffers back during the run.
 */
export const startRun = (slots: Int32Array, plan?: ReleasePlan): RunRecord => {
  if (slots.length === 0) return NONE
  const born = beginDeepBirths()
  return {
    release: plan === undefined ? NONE.release : releaser(plan, born),
    finish(table, outs) {
      endDeepBirths(born)
      const kept = new Set<ArrayBufferLike>(outs.map((o) => o._data.buffer))
      for (const s of slots) {
        const buf = table[s]?._data.buffer
        if (buf === undefined || kept.has(buf) || !(buf instanceof ArrayBuffer) || !born.has(buf)) continue
        kept.add(buf)
        recycleBuffer(buf)
      }
    },
    abandon: () => endDeepBirths(born),
  }
}
