/**
 * Buffer recycling in the backward sweep (./reverse): the large buffers allocated while the
 * sweep runs ("born" in it, ../ndarray/bufferPool) that held a cotangent the sweep has consumed,
 * and that no cotangent still in its table shares, go back to the pool, so the next large
 * outputs (the next cotangents, the next step's forward values) reuse memory that is already
 * mapped instead of faulting in fresh pages.
 *
 * Safe because nothing outside the sweep can hold such a buffer: it was allocated during the
 * sweep, the table is the only place a sweep keeps values, and recycling runs only
 * - outside every other transform (`levelDepth() === 0`: no outer tape or tracer can have kept a
 *   cotangent), on plain arrays (never a tracer's buffer);
 * - while every equation swept so far is a built-in primitive (`allow`): a custom rule runs user
 *   code that could keep a cotangent, so the first one switches recycling off for the sweep;
 * - per whole buffer, counted by buffer (views and reshapes of one buffer count together).
 *
 * @category core
 * @since 0.2.0
 */
import { beginBirths, endBirths, recycleBuffer } from '../ndarray/bufferPool'
import { NdArray } from '../ndarray/NdArray'

export class Recycler {
  private readonly refs = new Map<ArrayBuffer, number>()
  private readonly dead: ArrayBuffer[] = []
  // weak: the temporaries a rule allocates and drops are collected during the sweep
  private readonly born: WeakSet<ArrayBuffer>
  private readonly previous: WeakSet<ArrayBuffer> | null
  private on = true

  constructor() {
    const b = beginBirths()
    this.born = b.born
    this.previous = b.previous
  }

  /** The buffer of x when it is tracked (born in this sweep, a plain array). */
  private key(x: NdArray): ArrayBuffer | undefined {
    if (!this.on || x.constructor !== NdArray) return undefined
    const b = x._data.buffer
    return b instanceof ArrayBuffer && this.born.has(b) ? b : undefined
  }

  /** x was stored in the table. */
  hold(x: NdArray): void {
    const k = this.key(x)
    if (k !== undefined) this.refs.set(k, (this.refs.get(k) ?? 0) + 1)
  }

  /** x was removed from the table (its buffer may be dead once the current step is done). */
  release(x: NdArray): void {
    const k = this.key(x)
    if (k === undefined) return
    const c = (this.refs.get(k) ?? 0) - 1
    this.refs.set(k, c)
    if (c <= 0) this.dead.push(k)
  }

  /** Stops recycling for the rest of the sweep (an equation with a custom rule). */
  disable(): void {
    this.on = false
    this.dead.length = 0
    this.refs.clear()
  }

  /** Recycles the buffers released during the step that nothing in the table holds again. */
  flush(): void {
    if (!this.on) return
    for (const b of this.dead) {
      const c = this.refs.get(b)
      if (c === undefined || c > 0) continue
      this.refs.delete(b)
      this.born.delete(b)
      recycleBuffer(b)
    }
    this.dead.length = 0
  }

  /** Ends the sweep (restores the enclosing sweep's birth record). */
  end(): void {
    endBirths(this.previous)
  }
}
