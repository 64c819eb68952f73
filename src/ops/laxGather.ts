/**
 * XLA's general gather (JAX's `lax.gather`), composed from the one-axis `gather` primitive over
 * the flattened operand: {@link windowPositions} gives the flat position of every output
 * element, so the derivative is the primitive's (its transpose is scatter-add), and `vmap`, `jit`
 * and export work as for any composite. Out-of-bounds windows are clamped (`'clip'`, and
 * `'promise_in_bounds'` as XLA does) or filled with `fillValue` (`'fill'`).
 *
 * @category ops
 * @since 0.6.0
 */
import * as lax from '../core/lax'
import { checkOptions } from '../internal/options'
import { isFloat, type DType } from '../ndarray/dtype'
import { fmtTuple, ShapeError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { sizeOf } from '../ndarray/shape'
import { asArray, type ArrayLike } from './convert'
import {
  checkBatching,
  checkDims,
  checkStartMap,
  indexArray,
  parseMode,
  windowPositions,
  type GatherDimensionNumbers,
  type GatherScatterMode,
} from './laxGatherDims'
import { iinfo } from './numpyExtra/dtypeInfo'

/**
 * Options of {@link gather}: `mode` (default `'promise_in_bounds'`, as JAX's `lax.gather`),
 * `fillValue` for `'fill'` (default NaN for floats, the least value of a signed type, the
 * greatest of an unsigned one, `true` for bool), and the promises `uniqueIndices` /
 * `indicesAreSorted` (accepted; they change no result).
 * @category ops
 * @since 0.6.0
 */
export interface GatherOptions {
  readonly mode?: GatherScatterMode
  readonly fillValue?: number | boolean
  readonly uniqueIndices?: boolean
  readonly indicesAreSorted?: boolean
}

const KEYS: ReadonlyArray<keyof GatherOptions> = ['mode', 'fillValue', 'uniqueIndices', 'indicesAreSorted']

/** JAX's default fill of an out-of-bounds gathered window. */
const defaultFill = (dtype: DType): number => {
  if (isFloat(dtype)) return NaN
  if (dtype === 'bool') return 1
  const info = iinfo(dtype)
  return dtype === 'uint8' ? info.max : info.min
}

/** Checks the dimension numbers and slice sizes; returns the output shape and where its axes come from. */
const layout = (op: string, x: NdArray, idx: NdArray, dn: GatherDimensionNumbers, sizes: ReadonlyArray<number>) => {
  const opBatch = dn.operandBatchingDims ?? []
  const idxBatch = dn.startIndicesBatchingDims ?? []
  const batch = idx.shape.slice(0, -1)
  const outRank = batch.length + dn.offsetDims.length
  if (sizes.length !== x.ndim)
    throw new ShapeError(
      `${op}: slice_sizes ${fmtTuple(sizes)} must have one entry per operand dimension (operand ${fmtTuple(x.shape)})`,
    )
  sizes.forEach((s, d) => {
    if (!Number.isInteger(s) || s < 0 || s > (x.shape[d] as number))
      throw new ShapeError(
        `${op}: slice size ${s} at index ${d} must be in [0, ${x.shape[d]}] (operand ${fmtTuple(x.shape)}, slice_sizes ${fmtTuple(sizes)})`,
      )
  })
  checkDims(op, 'offset_dims', dn.offsetDims, outRank, true)
  checkDims(op, 'collapsed_slice_dims', dn.collapsedSliceDims, x.ndim, true)
  for (const d of [...dn.collapsedSliceDims, ...opBatch])
    if ((sizes[d] as number) > 1)
      throw new ShapeError(
        `${op}: collapsed and batching slice dimensions must have slice size 0 or 1, but slice_sizes[${d}] is ${sizes[d]}`,
      )
  checkBatching(op, ['operand_batching_dims', 'start_indices_batching_dims', 'collapsed_slice_dims'], x, idx, [
    opBatch,
    idxBatch,
    dn.collapsedSliceDims,
  ])
  checkStartMap(op, 'start_index_map', dn.startIndexMap, idx, x.ndim)
  for (const d of dn.startIndexMap)
    if (opBatch.includes(d)) throw new ShapeError(`${op}: start_index_map must not contain operand batching dim ${d}`)
  const windowDims = x.shape.map((_, d) => d).filter((d) => !dn.collapsedSliceDims.includes(d) && !opBatch.includes(d))
  if (windowDims.length !== dn.offsetDims.length)
    throw new ShapeError(
      `${op}: offset_dims ${fmtTuple(dn.offsetDims)} must have one entry per operand dimension that is neither collapsed nor batching (${windowDims.length} for operand ${fmtTuple(x.shape)})`,
    )
  const batchOut = Array.from({ length: outRank }, (_, i) => i).filter((i) => !dn.offsetDims.includes(i))
  const out: number[] = new Array<number>(outRank)
  batchOut.forEach((o, i) => (out[o] = batch[i] as number))
  dn.offsetDims.forEach((o, i) => (out[o] = sizes[windowDims[i] as number] as number))
  const windowOut = x.shape.map((_, d) => {
    const w = windowDims.indexOf(d)
    return w < 0 ? -1 : (dn.offsetDims[w] as number)
  })
  return { out, batchOut, windowOut }
}

/**
 * Slices of `operand` at `startIndices` (JAX's `lax.gather`, XLA's Gather). The last axis of
 * `startIndices` holds index vectors; `dimensionNumbers` and `sliceSizes` say which operand axes
 * they start and how big each slice is. Differentiable in the operand (the transpose is a
 * scatter-add).
 * @example
 * import { lax, array } from 'wengert'
 * const x = array([10, 11, 12], { dtype: 'float64' })
 * const dn = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }
 * const idx = array([[0], [2], [2], [5]], { dtype: 'int32' })
 * assert.deepStrictEqual(lax.gather(x, idx, dn, [1]).toArray(), [10, 12, 12, 12])
 * assert.deepStrictEqual(lax.gather(x, idx, dn, [1], { mode: 'fill' }).toArray(), [10, 12, 12, NaN])
 * @category ops
 * @since 0.6.0
 */
export const gather = (
  operand: ArrayLike,
  startIndices: ArrayLike,
  dimensionNumbers: GatherDimensionNumbers,
  sliceSizes: ReadonlyArray<number>,
  options?: GatherOptions,
): NdArray => {
  const op = 'lax.gather'
  const opts = checkOptions(op, options, KEYS)
  const mode = parseMode(opts.mode, 'promise_in_bounds')
  const x = asArray(op, operand)
  const idx = indexArray(op, asArray(op, startIndices))
  const L = layout(op, x, idx, dimensionNumbers, sliceSizes)
  const fill = mode === 'fill' ? (opts.fillValue === undefined ? defaultFill(x.dtype) : Number(opts.fillValue)) : 0
  const fillArr = lax.scalar(fill, x.dtype)
  if (sizeOf(L.out) === 0 || x.size === 0) return lax.broadcastInDim(fillArr, L.out, [])
  const { pos, inBounds } = windowPositions(idx, {
    operand: x.shape,
    window: sliceSizes,
    startMap: dimensionNumbers.startIndexMap,
    operandBatching: dimensionNumbers.operandBatchingDims ?? [],
    indicesBatching: dimensionNumbers.startIndicesBatchingDims ?? [],
    ...L,
  })
  const y = lax.gather(lax.reshape(x, [x.size]), pos, 0)
  if (mode !== 'fill') return y
  return lax.select(lax.broadcastInDim(inBounds, L.out, L.batchOut), y, lax.broadcastInDim(fillArr, L.out, []))
}
