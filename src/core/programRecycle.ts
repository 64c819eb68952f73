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

/** What `startRun` returns: end the record with `finish` (after a run) or `abandon` (on a throw). */
export interface RunRecord {
  /** Gives back the dead values' buffers (`table`: the run's array table, `outs`: its outputs). */
  finish(table: ReadonlyArray<NdArray | undefined>, outs: ReadonlyArray<NdArray>): void
  abandon(): void
}

const NONE: RunRecord = { finish: () => undefined, abandon: () => undefined }

/** Starts recording a run's allocations when the program has values to recycle (`slots`). */
export const startRun = (slots: Int32Array): RunRecord => {
  if (slots.length === 0) return NONE
  const born = beginDeepBirths()
  return {
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
