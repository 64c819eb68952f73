/**
 * Gathers along one axis with an index array of the same rank (NumPy's `take_along_axis`) and
 * its transpose, built from `gather`/`scatter_add` over the flattened array with offset flat
 * indices — the derivative rules of sort, top_k and cummax/cummin use them, and so does the
 * facade (values gathered by sort or top-k indices).
 *
 * @category primitives
 * @since 0.2.0
 */
import { allocate } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { sizeOf } from '../../ndarray/shape'
import * as lax from '../lax'
import { iota } from './matrixRules'

// -------------------------------------------------------------------------------------

/** Flat offsets of every position of `shape` with its `axis` coordinate dropped, in a source whose axis has `n`. */
const laneOffsets = (shape: ReadonlyArray<number>, axis: number, n: number): NdArray => {
  const outer = sizeOf(shape.slice(0, axis))
  const m = shape[axis] as number
  const inner = sizeOf(shape.slice(axis + 1))
  const d = allocate('int32', outer * m * inner)
  for (let o = 0; o < outer; o++)
    for (let r = 0; r < m; r++) for (let i = 0; i < inner; i++) d[(o * m + r) * inner + i] = o * n * inner + i
  return new NdArray(shape, 'int32', d)
}

/** Flat indices into `srcShape` of `idx` (int32 positions along `axis`). */
export const flatIndices = (idx: NdArray, axis: number, srcShape: ReadonlyArray<number>): NdArray => {
  const inner = sizeOf(srcShape.slice(axis + 1))
  return lax.add(lax.mulScalar(idx, inner), laneOffsets(idx.shape, axis, srcShape[axis] as number))
}

/** `out[…, i, …] = x[…, idx[…, i, …], …]` (NumPy's `take_along_axis`). */
export const takeAlong = (x: NdArray, idx: NdArray, axis: number): NdArray =>
  lax.gather(lax.reshape(x, [x.size]), flatIndices(idx, axis, x.shape), 0)

/** The transpose of {@link takeAlong}: `yBar` added into zeros of `shape` at `idx`. */
export const takeAlongT = (yBar: NdArray, idx: NdArray, axis: number, shape: ReadonlyArray<number>): NdArray =>
  lax.reshape(lax.scatterAdd(yBar, flatIndices(idx, axis, shape), 0, [sizeOf(shape)]), shape)

/** Positions `0, 1, …` along `axis`, broadcast to `shape` (int32). */
export const positions = (shape: ReadonlyArray<number>, axis: number): NdArray =>
  lax.broadcastInDim(iota(shape[axis] as number), shape, [axis])

/**
 * Where each running max/min `y` of `x` came from (int32 positions along `axis`): the latest position (in scan order) whose entry equals
 * the running value — or is NaN, which the running value then holds (PyTorch's indices).
 */
export const scanArgPath = (x: NdArray, y: NdArray, axis: number, reverse: boolean): NdArray => {
  const n = x.shape[axis] as number
  const pos = positions(x.shape, axis)
  const hit = lax.or(lax.eq(x, y), lax.isNan(x))
  return reverse
    ? lax.cummin(lax.select(hit, pos, lax.scalar(n, 'int32')), axis, true)
    : lax.cummax(lax.select(hit, pos, lax.scalar(-1, 'int32')), axis, false)
}
