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
   * Adds `ct` into a table entry `prev` in the storage of one of them, as the add primitive would
   * into a new array (same kernel, same bits: `prev + ct`), and returns the array now holding the
   * sum; undefined (nothing done) when neither may be written. `prev`'s storage may be when it is
   * the only holder (one table reference) of a whole float buffer born in the sweep; `ct`'s when
   * no table entry holds its buffer yet; in both cases neither the current equation's output
   * cotangent `yBar` nor another of its input cotangents `xBars` may share that buffer. The
   * operand not written into may be dead after the step. The callers that recycle accumulate with
   * the add primitive (../transforms/vjp).
   */
  addInPlace(prev: NdArray, ct: NdArray, yBar: NdArray, xBars: ReadonlyArray<Linear>): NdArray | undefined {
    if (ct.dtype !== prev.dtype || !shapesEqual(ct.shape, prev.shape)) return undefined
    const into = this.writable(prev, 1, ct, yBar, xBars)
      ? prev
      : this.writable(ct, 0, prev, yBar, xBars)
        ? ct
        : undefined
    if (into === undefined) return undefined
    binaryInto('add', prev, ct, into._data)
    // the table now holds `into` in prev's place; the other operand may be dead
    this.hold(ct)
    this.release(into === prev ? ct : prev)
    return into
  }

  /**
   * Whether `x`'s storage may take a sum: a plain whole float buffer born in the sweep, held by
   * `refs` table entries, that neither `other` (the sum's other operand), `yBar` nor an input
   * cotangent other than x shares.
   */
  private writable(x: NdArray, refs: number, other: NdArray, yBar: NdArray, xBars: ReadonlyArray<Linear>): boolean {
    const k = this.key(x)
    if (k === undefined || (this.refs.get(k) ?? 0) !== refs || other.constructor !== NdArray) return false
    const d = x._data
    if ((x.dtype !== 'float32' && x.dtype !== 'float64') || d.byteOffset !== 0 || d.byteLength !== k.byteLength)
      return false
    if (other._data.buffer === k || yBar._data.buffer === k) return false
    for (let i = 0; i < xBars.length; i++) {
      const b = xBars[i]
      if (b !== x && b instanceof NdArray && b._data.buffer === k) return false
    }
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
