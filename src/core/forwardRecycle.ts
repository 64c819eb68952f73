/**
 * Forward-buffer recycling in `grad`'s backward sweep (./reverse): the large buffers that the
 * recorded function's equations allocated for their outputs go back to the buffer pool
 * (../ndarray/bufferPool) as soon as the sweep has pulled back the first equation (in program
 * order) whose output uses them — their last use — so the sweep's cotangents and the next step's
 * forward values reuse memory that is already mapped instead of faulting in fresh pages.
 *
 * A buffer is given back only when nothing else can read it:
 * - it was allocated while the function ran (`SweepTape.born`), outside every other transform
 *   (recorded and swept at `levelDepth() === 0`), so it is never a user input's, a constant's made
 *   before the call, or an outer transform's value;
 * - no output of the function (value or aux) and no constant operand of an equation shares it;
 * - every equation of the tape has the library's own rules (`allow`): a custom rule runs user code
 *   that could keep a value or a residual, so one custom rule switches this off for the tape;
 * - the tape is swept once (`consume`) and each equation is dropped once pulled back; a tracer
 *   that escaped the transform raises UnexpectedTracerError when used (./trace), so it cannot
 *   read the buffer;
 * - counted per whole buffer (views and reshapes of one buffer count together), and no cotangent
 *   still in the sweep's table shares it.
 *
 * @category core
 * @since 0.2.0
 */
import { MIN_POOLED_BYTES, recycleBuffer } from '../ndarray/bufferPool'
import { NdArray } from '../ndarray/NdArray'
import { Var, type Equation } from './equation'
import type { Recorded } from './reverse'

/** An equation as this file reads it: its atoms and its output value(s). */
interface Swept extends Equation {
  readonly output?: NdArray
  readonly outputs?: ReadonlyArray<NdArray>
}

/** Calls `f` on each output value of an equation (one for single-result records). */
const eachOutput = (eq: Swept, f: (y: NdArray) => void): void => {
  if (eq.output !== undefined) f(eq.output)
  else if (eq.outputs !== undefined) for (const y of eq.outputs) f(y)
}

/** The buffers of a backward sweep's recorded forward values, counted until their last use. */
export class ForwardRecycler {
  private readonly refs = new Map<ArrayBuffer, number>()

  private constructor(private readonly born: WeakSet<ArrayBuffer>) {}

  /**
   * The recycler of a tape's forward buffers (see the file's comment), or undefined when no buffer
   * qualifies or some equation is refused by `allow`. `keep`: the function's output leaves.
   */
  static of(
    equations: ReadonlyArray<Recorded>,
    born: WeakSet<ArrayBuffer>,
    keep: ReadonlyArray<unknown>,
    allow: (eq: Recorded) => boolean,
  ): ForwardRecycler | undefined {
    const r = new ForwardRecycler(born)
    const kept = new Set<ArrayBuffer>()
    const keepValue = (x: unknown): void => {
      const k = x instanceof NdArray ? r.key(x) : undefined
      if (k !== undefined) kept.add(k)
    }
    keep.forEach(keepValue)
    for (const eq of equations) {
      if (!allow(eq)) return undefined
      for (const a of eq.invars) if (!(a instanceof Var)) keepValue(a)
    }
    for (const eq of equations)
      eachOutput(eq, (y) => {
        const k = r.key(y)
        if (k !== undefined && !kept.has(k)) r.refs.set(k, (r.refs.get(k) ?? 0) + 1)
      })
    return r.refs.size === 0 ? undefined : r
  }

  /** The buffer of `x` when it may be tracked: a plain array's whole large buffer born in the call. */
  private key(x: NdArray): ArrayBuffer | undefined {
    if (x.constructor !== NdArray) return undefined
    const b = x._data.buffer
    return b instanceof ArrayBuffer && b.byteLength >= MIN_POOLED_BYTES && this.born.has(b) ? b : undefined
  }

  /**
   * `eq` has been pulled back (it is its outputs' last use in the sweep): the buffers of its
   * outputs that no equation still to be swept and no cotangent in `cts` holds go to the pool.
   */
  swept(eq: Swept, cts: ReadonlyArray<NdArray | undefined>): void {
    eachOutput(eq, (y) => {
      const k = this.key(y)
      const c = k === undefined ? undefined : this.refs.get(k)
      if (k === undefined || c === undefined) return
      if (c > 1) {
        this.refs.set(k, c - 1)
        return
      }
      this.refs.delete(k)
      if (!heldBy(cts, k)) recycleBuffer(k)
    })
  }
}

/** Whether a cotangent in the table uses buffer `k` (a rule may hand out a view of a forward value). */
const heldBy = (cts: ReadonlyArray<NdArray | undefined>, k: ArrayBuffer): boolean => {
  for (let i = 0; i < cts.length; i++) if (cts[i]?._data.buffer === k) return true
  return false
}
