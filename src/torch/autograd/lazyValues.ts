/**
 * Facade results computed on first read: a recorded facade op that is one large float32
 * element-wise primitive of the fused loops (tanh, exp, a product, …) or the sum of a large
 * float32 tensor gets a {@link LazyArray} for its value instead of computing it (what
 * `src/core/reverse.ts` defers inside `grad`). Reading its data — a kernel of a later op that is
 * not deferred, `item()`, printing, `numpy()`, an in-place op, a backward rule — computes it, with
 * the eager call's bits; a backward pass that fuses the op's node (./fusedBlocks) recomputes it in
 * the fused loop instead, so a value nothing reads is never computed. Only ops recorded for
 * autograd defer (an input requires grad, grad mode on): results computed under `no_grad` are
 * computed at once.
 *
 * @category torch
 * @since 0.2.0
 */
import { LazyArray } from '../../core/deferred'
import type { AnyPrimitive } from '../../core/primitive'
import { deferrableShape } from '../../core/reverse'
import { NdArray } from '../../ndarray/NdArray'
import { sizeOf } from '../../ndarray/shape'

let enabled = true

/**
 * The nodes whose value they deferred themselves (a node's output may be another node's deferred
 * value: CopyBackwards' `(_, v) => v`). Weak: a node leaves it when collected; the values hold no node.
 */
const deferring = new WeakSet<object>()

/** Notes that `node` recorded the op whose value {@link lazyValue} deferred. */
export const noteDeferred = (node: object): void => {
  deferring.add(node)
}

/** True when `node`'s value is one it deferred itself (its op's primitive over its saved inputs). */
export const deferredBy = (node: object): boolean => deferring.has(node)

/** Turns deferred facade results on or off (tests compare both); returns the previous setting. */
export const setLazyValues = (on: boolean): boolean => {
  const prev = enabled
  enabled = on
  return prev
}

/**
 * The deferred value of a recorded facade op that applies `prim` with `params` to `values`, or
 * undefined when it is computed at once: deferral off, an input that is not a plain array (a
 * tracer of a transform, a meta array) or the op not one the fused backward can recompute.
 */
export const lazyValue = (
  prim: AnyPrimitive,
  params: unknown,
  values: ReadonlyArray<NdArray>,
): LazyArray | undefined => {
  if (!enabled) return undefined
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as NdArray
    if (v.constructor !== NdArray && !(v instanceof LazyArray)) return undefined
  }
  const shape = deferrableShape(prim, values, params)
  return shape === undefined ? undefined : new LazyArray(prim, params, values, shape, sizeOf(shape))
}
