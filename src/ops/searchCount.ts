/**
 * The counting behind `searchsorted` (internal: not re-exported by the ops index; the facade's
 * batched `torch.searchsorted` uses it too).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { isFloat, promoteTypes } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'

/** `x < y` in sort order (NaN after everything). */
const sortLess = (x: NdArray, y: NdArray): NdArray => {
  const lt = lax.lt(x, y)
  return isFloat(x.dtype) ? lax.or(lt, lax.and(lax.not(lax.isNan(x)), lax.isNan(y))) : lt
}

/**
 * For each value of `v`, how many entries of the sorted last axis of `a` come before it: those
 * less than it ('left') or not greater ('right'). `a` is `[...batch, n]` and `v` is
 * `[...batch, ...m]` (no batch when `a` is 1-D); the result is int32 of `v`'s shape. Stages
 * under jit (an n-wide comparison per value).
 */
export const countBefore = (a: NdArray, v: NdArray, side: 'left' | 'right'): NdArray => {
  const dtype = promoteTypes(a.dtype, v.dtype)
  const [s, q] = [lax.cast(a, dtype), lax.cast(v, dtype)]
  const batch = s.ndim - 1
  const n = s.shape[batch] as number
  const grid = [...q.shape, n]
  const aB = lax.broadcastInDim(s, grid, [...Array.from({ length: batch }, (_, i) => i), q.ndim])
  const vB = lax.broadcastInDim(
    q,
    grid,
    q.shape.map((_, i) => i),
  )
  // left: #{a < v}; right: #{a ≤ v} = #{not (v < a)}
  const before = side === 'left' ? sortLess(aB, vB) : lax.not(sortLess(vB, aB))
  return lax.reduceSum(lax.cast(before, 'int32'), [q.ndim])
}
