/**
 * Accumulating indexed updates (`index_add`, `put(accumulate=True)`, `index_put(accumulate=True)`)
 * as PyTorch computes them: the updates are added only where an index points, so untouched
 * elements keep their exact value (a −0 stays −0; adding a scattered array of zeros would turn it
 * into +0).
 *
 * @category torch
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'

/** `x` plus `lax.scatterAdd(u, idx, axis, x.shape)` at the positions the indices reach; `x` elsewhere. */
export const addAt = (x: NdArray, u: NdArray, idx: NdArray, axis: number): NdArray => {
  const added = lax.scatterAdd(u, idx, axis, x.shape)
  const one = lax.broadcastTo(lax.scalar(1, 'int32'), u.shape)
  const hits = lax.scatterAdd(one, idx, axis, x.shape)
  // −0 where no index points: x + (−0) is x exactly, and x's gradient is the add's (a −0 stays −0)
  const hit = lax.gt(hits, lax.broadcastTo(lax.scalar(0, 'int32'), x.shape))
  return lax.add(x, lax.select(hit, added, lax.scalar(-0, x.dtype)))
}
