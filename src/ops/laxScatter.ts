/**
 * XLA's general scatter (JAX's `lax.scatter`, `scatter_add`, `scatter_mul`, `scatter_min`,
 * `scatter_max`, `scatter_apply`), composed from the leading-axis scatter primitives over the
 * flattened operand: {@link windowPositions} gives the flat position of every update element.
 * The derivatives are therefore the primitives' (JAX's rules: `scatter` gives each update the
 * cotangent of the place it won, `scatter_mul` differentiates in the updates only with
 * `uniqueIndices`, `scatter_min/max` share the tangent among tied winners). A window that is not
 * wholly in bounds is dropped (`'fill'`/`'drop'`, the default, and `'promise_in_bounds'`, as XLA
 * does) or clamped into bounds (`'clip'`); dropped updates go to one extra element that is cut
 * off again, so every rule sees in-range indices.
 *
 * @category ops
 * @since 0.6.0
 */
import * as lax from '../core/lax'
import { checkOptions } from '../internal/options'
import { DTypeError, fmtTuple, ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, type ArrayLike } from './convert'
import { whileLoop } from './control/loops'
import {
  checkBatching,
  checkDims,
  checkStartMap,
  indexArray,
  parseMode,
  windowPositions,
  type GatherScatterMode,
  type ScatterDimensionNumbers,
} from './laxGatherDims'

/**
 * Options of the scatter family: `mode` (default `'fill'`: out-of-bounds windows are dropped),
 * `uniqueIndices` (JAX's promise; `scatterMul` needs it to differentiate in the updates) and
 * `indicesAreSorted` (accepted; it changes no result).
 * @category ops
 * @since 0.6.0
 */
export interface ScatterOptions {
  readonly mode?: GatherScatterMode
  readonly uniqueIndices?: boolean
  readonly indicesAreSorted?: boolean
}

/** Options of {@link scatterApply}: also the shape of the (virtual) updates, default `[]`. */
export interface ScatterApplyOptions extends ScatterOptions {
  readonly updateShape?: ReadonlyArray<number>
}

const KEYS: ReadonlyArray<keyof ScatterOptions> = ['mode', 'uniqueIndices', 'indicesAreSorted']

type Kind = 'scatter' | 'scatter_add' | 'scatter_mul' | 'scatter_min' | 'scatter_max' | 'scatter_apply'

/** Checks the dimension numbers against the shapes; returns the layout of the updates. */
const layout = (op: string, x: NdArray, idx: NdArray, uShape: ReadonlyArray<number>, dn: ScatterDimensionNumbers) => {
  const opBatch = dn.operandBatchingDims ?? []
  const idxBatch = dn.scatterIndicesBatchingDims ?? []
  const batch = idx.shape.slice(0, -1)
  const shapes = `(operand ${fmtTuple(x.shape)}, indices ${fmtTuple(idx.shape)}, updates ${fmtTuple(uShape)})`
  checkDims(op, 'update_window_dims', dn.updateWindowDims, uShape.length, true)
  checkDims(op, 'inserted_window_dims', dn.insertedWindowDims, x.ndim, true)
  checkBatching(op, ['operand_batching_dims', 'scatter_indices_batching_dims', 'inserted_window_dims'], x, idx, [
    opBatch,
    idxBatch,
    dn.insertedWindowDims,
  ])
  checkStartMap(op, 'scatter_dims_to_operand_dims', dn.scatterDimsToOperandDims, idx, x.ndim)
  const windowDims = x.shape.map((_, d) => d).filter((d) => !dn.insertedWindowDims.includes(d) && !opBatch.includes(d))
  if (windowDims.length !== dn.updateWindowDims.length)
    throw new ShapeError(
      `${op}: update_window_dims ${fmtTuple(dn.updateWindowDims)} must have one entry per operand dimension that is neither inserted nor batching ${shapes}`,
    )
  if (uShape.length !== batch.length + windowDims.length)
    throw new ShapeError(
      `${op}: updates must have rank ${batch.length + windowDims.length} (the index batch dimensions and the window dimensions) ${shapes}`,
    )
  const batchOut = uShape.map((_, i) => i).filter((i) => !dn.updateWindowDims.includes(i))
  batchOut.forEach((o, i) => {
    if (uShape[o] !== batch[i])
      throw new ShapeError(
        `${op}: updates dimension ${o} has size ${uShape[o]} but indices dimension ${i} has size ${batch[i]} ${shapes}`,
      )
  })
  const window = x.shape.map((_, d) => {
    const w = windowDims.indexOf(d)
    return w < 0 ? 1 : (uShape[dn.updateWindowDims[w] as number] as number)
  })
  window.forEach((w, d) => {
    if (w > (x.shape[d] as number))
      throw new ShapeError(`${op}: the window size ${w} of operand dimension ${d} exceeds its size ${shapes}`)
  })
  const windowOut = x.shape.map((_, d) => {
    const w = windowDims.indexOf(d)
    return w < 0 ? -1 : (dn.updateWindowDims[w] as number)
  })
  return { window, batchOut, windowOut }
}

/** The flat positions of the updates (dropped ones at `x.size`, one past the end, unless clipping). */
const positions = (
  kind: Kind,
  x: NdArray,
  idx0: ArrayLike,
  uShape: ReadonlyArray<number>,
  dn: ScatterDimensionNumbers,
  mode: ReturnType<typeof parseMode>,
): NdArray => {
  const op = `lax.${kind}`
  const idx = indexArray(op, asArray(op, idx0))
  const L = layout(op, x, idx, uShape, dn)
  const { pos, inBounds } = windowPositions(idx, {
    operand: x.shape,
    startMap: dn.scatterDimsToOperandDims,
    operandBatching: dn.operandBatchingDims ?? [],
    indicesBatching: dn.scatterIndicesBatchingDims ?? [],
    out: uShape,
    ...L,
  })
  if (mode === 'clip') return lax.reshape(pos, [pos.size])
  const kept = lax.select(lax.broadcastInDim(inBounds, uShape, L.batchOut), pos, lax.scalar(x.size, 'int32'))
  return lax.reshape(kept, [pos.size])
}

/** One scatter of the family over the flattened (and, unless clipping, one-longer) operand. */
const scatterOf =
  (kind: Exclude<Kind, 'scatter_apply'>) =>
  (
    operand: ArrayLike,
    scatterIndices: ArrayLike,
    updates: ArrayLike,
    dimensionNumbers: ScatterDimensionNumbers,
    options?: ScatterOptions,
  ): NdArray => {
    const op = `lax.${kind}`
    const opts = checkOptions(op, options, KEYS)
    const mode = parseMode(opts.mode, 'fill')
    const x = asArray(op, operand)
    const u = asArray(op, updates)
    if (u.dtype !== x.dtype)
      throw new DTypeError(`${op} requires arguments to have the same dtypes, got ${x.dtype}, ${u.dtype}.`)
    const pos = positions(kind, x, scatterIndices, u.shape, dimensionNumbers, mode)
    if (pos.size === 0 || x.size === 0) return x
    const extra = mode === 'clip' ? 0 : 1
    const flat = lax.pad(lax.reshape(x, [x.size]), [0], [extra], [0], 0)
    const uf = lax.reshape(u, [u.size])
    const unique = opts.uniqueIndices === true
    let y: NdArray
    if (kind === 'scatter_add') y = lax.add(flat, lax.scatterAdd(uf, pos, 0, flat.shape))
    else if (kind === 'scatter') y = lax.scatter(flat, pos, uf, unique)
    else if (kind === 'scatter_mul') y = lax.scatterMul(flat, pos, uf, unique)
    else if (kind === 'scatter_min') y = lax.scatterMin(flat, pos, uf, unique)
    else y = lax.scatterMax(flat, pos, uf, unique)
    return lax.reshape(extra === 0 ? y : lax.slice(y, [0], [x.size], [1]), x.shape)
  }

/**
 * `operand` with the windows at `scatterIndices` replaced by `updates` (JAX's `lax.scatter`);
 * of repeated indices the last in row-major order wins. Default mode drops out-of-bounds windows.
 * @example
 * import { lax, array, zeros } from 'wengert'
 * const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * const idx = array([[1], [3], [9]], { dtype: 'int32' })
 * const y = lax.scatter(zeros([4]), idx, array([5, 6, 7]), dn)
 * assert.deepStrictEqual(y.toArray(), [0, 5, 0, 6])
 * @category ops
 * @since 0.6.0
 */
export const scatter = scatterOf('scatter')

/**
 * `operand` plus `updates` added at the windows of `scatterIndices` (JAX's `lax.scatter_add`);
 * repeated indices accumulate.
 * @example
 * import { lax, array, zeros } from 'wengert'
 * const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * const y = lax.scatterAdd(zeros([3]), array([[0], [2], [0]], { dtype: 'int32' }), array([1, 2, 3]), dn)
 * assert.deepStrictEqual(y.toArray(), [4, 0, 2])
 * @category ops
 * @since 0.6.0
 */
export const scatterAdd = scatterOf('scatter_add')

/**
 * `operand` multiplied by `updates` at the windows of `scatterIndices` (JAX's `lax.scatter_mul`).
 * @example
 * import { lax, array, ones } from 'wengert'
 * const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * const y = lax.scatterMul(ones([3]), array([[1], [1]], { dtype: 'int32' }), array([2, 5]), dn)
 * assert.deepStrictEqual(y.toArray(), [1, 10, 1])
 * @category ops
 * @since 0.6.0
 */
export const scatterMul = scatterOf('scatter_mul')

/**
 * The minimum of `operand` and `updates` at the windows of `scatterIndices` (JAX's `lax.scatter_min`).
 * @example
 * import { lax, array } from 'wengert'
 * const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * const y = lax.scatterMin(array([3, 3]), array([[0], [1]], { dtype: 'int32' }), array([1, 5]), dn)
 * assert.deepStrictEqual(y.toArray(), [1, 3])
 * @category ops
 * @since 0.6.0
 */
export const scatterMin = scatterOf('scatter_min')

/**
 * The maximum of `operand` and `updates` at the windows of `scatterIndices` (JAX's `lax.scatter_max`).
 * @example
 * import { lax, array } from 'wengert'
 * const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * const y = lax.scatterMax(array([3, 3]), array([[0], [1]], { dtype: 'int32' }), array([1, 5]), dn)
 * assert.deepStrictEqual(y.toArray(), [3, 5])
 * @category ops
 * @since 0.6.0
 */
export const scatterMax = scatterOf('scatter_max')

/**
 * `operand` with the element-wise `func` applied at the windows of `scatterIndices` (JAX's
 * `lax.scatter_apply`): an element hit `k` times gets `func` applied `k` times. The updates are
 * virtual, of shape `updateShape`. As in JAX it is not differentiable (a loop runs until the
 * most-hit element is done).
 * @example
 * import { lax, array, mul } from 'wengert'
 * const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * const idx = array([[0], [2], [2]], { dtype: 'int32' })
 * const y = lax.scatterApply(array([1, 1, 1]), idx, (v) => mul(v, 3), dn, { updateShape: [3] })
 * assert.deepStrictEqual(y.toArray(), [3, 1, 9])
 * @category ops
 * @since 0.6.0
 */
export const scatterApply = (
  operand: ArrayLike,
  scatterIndices: ArrayLike,
  func: (x: NdArray) => NdArray,
  dimensionNumbers: ScatterDimensionNumbers,
  options?: ScatterApplyOptions,
): NdArray => {
  const op = 'lax.scatter_apply'
  const opts = checkOptions(op, options, [...KEYS, 'updateShape'])
  if (typeof func !== 'function') throw new ValueError(`${op}: func must be a function, got ${typeof func}`)
  const mode = parseMode(opts.mode, 'fill')
  const x = asArray(op, operand)
  const uShape = opts.updateShape ?? []
  const pos = positions('scatter_apply', x, scatterIndices, uShape, dimensionNumbers, mode)
  if (pos.size === 0 || x.size === 0) return x
  const extra = mode === 'clip' ? 0 : 1
  const hits = lax.scatterAdd(lax.broadcastInDim(lax.scalar(1, 'int32'), pos.shape, []), pos, 0, [x.size + extra])
  const count = lax.reshape(lax.slice(hits, [0], [x.size], [1]), x.shape)
  const step = (v: NdArray, i: NdArray): NdArray => lax.select(lax.gt(count, i), func(v), v)
  if (opts.uniqueIndices === true) return step(x, lax.scalar(0, 'int32'))
  const most = lax.reduceMax(lax.reshape(count, [count.size]), [0])
  const [, y] = whileLoop<readonly [NdArray, NdArray]>(
    ([i]) => lax.lt(i, most),
    ([i, v]) => [lax.add(i, lax.scalar(1, 'int32')), step(v, i)],
    [lax.scalar(0, 'int32'), x],
  )
  return y
}
