/**
 * Integer position constants the sorting ops build their index operands from (internal: not
 * re-exported by the ops index).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import type { NdArray } from '../ndarray/NdArray'

/** `[0, 1, …]` along `axis`, broadcast to `shape` (int32). */
export const positionsAlong = (shape: ReadonlyArray<number>, axis: number): NdArray =>
  lax.broadcastInDim(iotaInt32(shape[axis] as number), shape, [axis])

/** `[0, 1, …, n − 1]` (int32). */
export const iotaInt32 = (n: number): NdArray => {
  const r = lax.zerosLike({ shape: [n], dtype: 'int32' })
  for (let i = 0; i < n; i++) r._data[i] = i
  return r
}
