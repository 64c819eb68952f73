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
 * For the same reasons the sweep may add a cotangent into a table entry's own storage
 * (`addInPlace`) instead of into a new array: the entry is the only holder of a buffer born in
 * the sweep, and no cotangent the current equation is still handing out shares it.
 *
 * @category core
 * @since 0.2.0
 */
import { beginBirths, endBirths, recycleBuffer } from '../ndarray/bufferPool'
import { binaryInto } from '../ndarray/kernels/elementwise'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import type { Linear } from './zero'

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

  /**
   * Adds `ct` into `prev`'s storage, as the add primitive would into a new array (same kernel,
   * same bits), when `prev` — a table entry — is the only holder of a whole float buffer born in
   * the sweep and neither the current equation's output cotangent `yBar` nor any of its input
   * cotangents `xBars` shares that buffer; `ct` may then be dead after the step. False (nothing
   * done) otherwise. The callers that recycle accumulate with the add primitive (../transforms/vjp).
   */
  addInPlace(prev: NdArray, ct: NdArray, yBar: NdArray, xBars: ReadonlyArray<Linear>): boolean {
    const k = this.key(prev)
    if (k === undefined || this.refs.get(k) !== 1 || ct.constructor !== NdArray) return false
    const d = prev._data
    if ((prev.dtype !== 'float32' && prev.dtype !== 'float64') || d.byteOffset !== 0 || d.byteLength !== k.byteLength)
      return false
    if (ct.dtype !== prev.dtype || !shapesEqual(ct.shape, prev.shape) || yBar._data.buffer === k) return false
    for (let i = 0; i < xBars.length; i++) {
      const x = xBars[i]
      if (x instanceof NdArray && x._data.buffer === k) return false
    }
    binaryInto('add', prev, ct, d)
    this.hold(ct)
    this.release(ct)
    return true
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
