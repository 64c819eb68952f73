/**
 * Buffer reuse in the facade's backward pass (without create_graph), as the core's sweep does it
 * (src/core/recycle.ts): a large gradient a built-in node's rule made during the pass, which only
 * the pass holds, is summed into in place when another gradient for the same slot arrives, and its
 * buffer goes back to the pool (src/ndarray/bufferPool.ts) once the node it was sent to has run,
 * so the next large arrays (the next gradients, the next step's forward values) reuse mapped
 * memory instead of faulting in fresh pages.
 *
 * A gradient is *fresh* when a built-in node (a facade op's, not a custom Function's) computed it
 * during this pass into a whole float buffer born in the pass (`beginDeepBirths`: nested sweeps
 * included) that neither the node's incoming gradient nor another of its results shares. The pass
 * counts the buffer slots holding each fresh gradient; it stops being fresh (for good) when a
 * hooked node, a target (autograd.grad, `inputs=`) or a leaf receives it, or a node's result is a
 * view of it. Only a fresh gradient held by one slot, or one the node that just ran made and no
 * slot holds yet, is summed into; only one that no slot holds any more and that its node neither
 * passed on nor returned a view of is recycled. What users
 * see is unchanged: the in-place sum is a new tensor (version 0) as the out-of-place sum was, and
 * every gradient a hook, `.grad` or autograd.grad can see is never fresh.
 *
 * @category torch
 * @since 0.2.0
 */
import { beginDeepBirths, endDeepBirths, MIN_POOLED_BYTES, recycleBuffer } from '../../ndarray/bufferPool'
import { binaryInto } from '../../ndarray/kernels/elementwise'
import { NdArray } from '../../ndarray/NdArray'
import { shapesEqual } from '../../ndarray/shape'
import { Tensor } from '../tensor'
import { heldArray } from './swapped'

/** The buffer of a gradient's value when it is a whole float buffer; else undefined. */
const wholeBuffer = (v: NdArray): ArrayBuffer | undefined => {
  if (v.constructor !== NdArray || (v.dtype !== 'float32' && v.dtype !== 'float64')) return undefined
  const d = v._data
  // small buffers are never pooled (nor recorded as born)
  if (d.byteLength < MIN_POOLED_BYTES) return undefined
  const b = d.buffer
  return b instanceof ArrayBuffer && d.byteOffset === 0 && d.byteLength === b.byteLength ? b : undefined
}

/** The buffer a tensor's value lies in. */
const bufferOf = (t: Tensor): ArrayBufferLike => heldArray(t)._data.buffer

// NOTE: `.buffer` of a small typed array is not read: V8 keeps those on its heap and reading it
// moves the array out to a new ArrayBuffer (it made the backward of 0-d chains 2.5× slower)
/** True for a value large enough to be pooled. */
const isLarge = (t: Tensor): boolean => heldArray(t)._data.byteLength >= MIN_POOLED_BYTES

export class GradRecycler {
  private readonly born: WeakSet<ArrayBuffer>
  /** Fresh gradient -> how many buffer slots hold it. */
  private readonly fresh = new Map<Tensor, number>()
  /** The fresh results of the node that ran last (each goes to one edge: no two share a buffer). */
  private readonly made = new Set<Tensor>()

  constructor() {
    this.born = beginDeepBirths()
  }

  /** False while no gradient is fresh (then the pass has nothing to track: small gradients). */
  get tracking(): boolean {
    return this.fresh.size > 0
  }

  /** `g` was put into a buffer slot. */
  placed(g: Tensor): void {
    if (this.fresh.size === 0) return
    const c = this.fresh.get(g)
    if (c !== undefined) this.fresh.set(g, c + 1)
  }

  /** `g` was taken out of a slot; `seen`: hooks, a target or a leaf receive it (never fresh again). */
  taken(g: Tensor, seen: boolean): void {
    if (this.fresh.size === 0) return
    const c = this.fresh.get(g)
    if (c === undefined) return
    if (seen) this.fresh.delete(g)
    else this.fresh.set(g, c - 1)
  }

  /**
   * `prev + g` computed into prev's storage when prev is fresh and held by one slot only (the sum
   * is a new tensor over that storage, fresh in prev's place), or else into g's when g is fresh
   * and no slot holds it yet; undefined when it can be neither.
   */
  addInto(prev: Tensor, g: Tensor): Tensor | undefined {
    if (this.fresh.get(prev) === 1) return this.sumInto(prev, g, prev)
    // NOTE: else into g when the node that just ran made g and no slot holds it yet (a leaf's
    // gradient that is a forward value, `x·1` of a sum's product, plus a rule's new result: W4's
    // tanh(x)·x); never into an incoming gradient a node passed on (add's goes to both inputs)
    if (this.made.has(g) && this.fresh.get(g) === 0) return this.sumInto(prev, g, g)
    return undefined
  }

  /** `prev + g` written over `into`'s storage (prev or g, fresh); undefined when it cannot be. */
  private sumInto(prev: Tensor, g: Tensor, into: Tensor): Tensor | undefined {
    const pv = prev._value()
    const gv = g._value()
    const iv = into === prev ? pv : gv
    const other = into === prev ? gv : pv
    const b = wholeBuffer(iv)
    if (b === undefined || other.dtype !== iv.dtype || !shapesEqual(other.shape, iv.shape) || other._data.buffer === b)
      return undefined
    // the operands in the order of the out-of-place sum (IEEE addition commutes: the same bits)
    binaryInto('add', pv, gv, iv._data)
    this.fresh.delete(into)
    this.made.delete(into)
    if (into === prev) {
      // g, a fresh result no slot holds, is dead now
      if (this.fresh.get(g) === 0) this.drop(g)
    } else {
      // prev left its slot: dead when fresh and no other slot holds it
      this.taken(prev, false)
      if (this.fresh.get(prev) === 0) this.drop(prev)
    }
    const sum = Tensor._fromValue(iv)
    this.fresh.set(sum, 1)
    return sum
  }

  /**
   * After an out-of-place `sum = prev + g` replaced prev in its slot: prev and g are dead if fresh
   * and no slot holds them; the sum (made by the engine) is fresh when its buffer qualifies.
   */
  summed(prev: Tensor, g: Tensor, sum: Tensor): Tensor {
    this.taken(prev, false)
    if (this.fresh.get(prev) === 0) this.drop(prev)
    if (this.fresh.get(g) === 0) this.drop(g)
    const b = wholeBuffer(sum._value())
    if (b !== undefined && this.born.has(b)) this.fresh.set(sum, 1)
    return sum
  }

  /**
   * After a node's backward: its results become fresh where they qualify (`builtin`: whether a
   * facade op's rule made them, asked only of a large result), and its incoming gradient `gOut` goes back to the pool when it is dead.
   */
  ran(gOut: Tensor | null, results: ReadonlyArray<Tensor | null>, builtin: () => boolean): void {
    // NOTE: V8's Set#clear allocates a fresh table even for an empty set (~120 B per node of a
    // backward pass, a tenth of a 0-d chain's backward allocations): cleared only when it holds any
    if (this.made.size > 0) this.made.clear()
    let gOutDead = gOut !== null && this.fresh.size > 0 && this.fresh.get(gOut) === 0
    // NOTE: read whatever gOut's state: a result over the incoming gradient's buffer is never fresh
    // (a small gOut has no buffer a large result could share, and small results are never fresh)
    const inB = gOut === null || !isLarge(gOut) ? undefined : bufferOf(gOut)
    for (let i = 0; i < results.length; i++) {
      const r = results[i]
      if (r === null || r === undefined) continue
      if (r === gOut) {
        gOutDead = false
        continue
      }
      if (inB === undefined && !isLarge(r)) continue
      const b = bufferOf(r)
      if (b === inB) {
        // a view of the incoming gradient: summing into either would change the other
        gOutDead = false
        this.fresh.delete(gOut as Tensor)
        continue
      }
      if (builtin() && this.isNewBuffer(r, b, results, i)) {
        this.fresh.set(r, 0)
        this.made.add(r)
      }
    }
    if (gOutDead) this.drop(gOut as Tensor)
  }

  /** Gives a dead fresh gradient's buffer to the pool. */
  private drop(g: Tensor): void {
    this.fresh.delete(g)
    const b = wholeBuffer(heldArray(g))
    if (b !== undefined && this.born.has(b)) {
      this.born.delete(b)
      recycleBuffer(b)
    }
  }

  /** Whether result i is a whole buffer born in the pass that no other result shares. */
  private isNewBuffer(r: Tensor, b: ArrayBufferLike, results: ReadonlyArray<Tensor | null>, i: number): boolean {
    const w = wholeBuffer(heldArray(r))
    if (w === undefined || !this.born.has(w)) return false
    for (let j = 0; j < results.length; j++) {
      const o = results[j]
      if (j !== i && o !== null && o !== undefined && bufferOf(o) === b) return false
    }
    return true
  }

  /** Ends the pass's birth record. */
  end(): void {
    endDeepBirths(this.born)
  }
}
