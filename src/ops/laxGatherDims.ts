/**
 * The dimension numbers and out-of-bounds modes of `lax.gather` and the `lax.scatter` family
 * (JAX's `GatherDimensionNumbers`, `ScatterDimensionNumbers`, `GatherScatterMode`), and the one
 * index computation both share: the flat position in the operand of every element of a window,
 * with the mask of windows that lie wholly in bounds. As in JAX, the index vector is the last
 * axis of the indices.
 *
 * @category ops
 * @since 0.6.0
 */
import * as lax from '../core/lax'
import { iota } from '../core/primitives/matrixRules'
import { isInteger } from '../ndarray/dtype'
import { DTypeError, fmtTuple, ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'

/**
 * How `lax.gather`'s operand, start indices and output relate (JAX's
 * `lax.GatherDimensionNumbers`): `offsetDims` are the output axes that index into a slice,
 * `collapsedSliceDims` the operand axes (slice size 1) dropped from the slice, `startIndexMap`
 * the operand axis each entry of an index vector starts, and `operandBatchingDims` /
 * `startIndicesBatchingDims` pair operand axes with index axes that run together.
 * @category ops
 * @since 0.6.0
 */
export interface GatherDimensionNumbers {
  readonly offsetDims: ReadonlyArray<number>
  readonly collapsedSliceDims: ReadonlyArray<number>
  readonly startIndexMap: ReadonlyArray<number>
  readonly operandBatchingDims?: ReadonlyArray<number>
  readonly startIndicesBatchingDims?: ReadonlyArray<number>
}

/**
 * How the scatter family's operand, indices and updates relate (JAX's
 * `lax.ScatterDimensionNumbers`): `updateWindowDims` are the update axes that index into a
 * window, `insertedWindowDims` the operand axes (window size 1) absent from the updates,
 * `scatterDimsToOperandDims` the operand axis each entry of an index vector starts, and
 * `operandBatchingDims` / `scatterIndicesBatchingDims` pair operand axes with index axes.
 * @category ops
 * @since 0.6.0
 */
export interface ScatterDimensionNumbers {
  readonly updateWindowDims: ReadonlyArray<number>
  readonly insertedWindowDims: ReadonlyArray<number>
  readonly scatterDimsToOperandDims: ReadonlyArray<number>
  readonly operandBatchingDims?: ReadonlyArray<number>
  readonly scatterIndicesBatchingDims?: ReadonlyArray<number>
}

/** The dimension numbers with every field present and frozen (the batching fields default to none). */
const complete = <T extends object>(
  op: string,
  dn: T,
  keys: ReadonlyArray<keyof T>,
  optional: ReadonlyArray<keyof T>,
): T => {
  const out: Record<string, ReadonlyArray<number>> = {}
  for (const k of Object.keys(dn))
    if (!keys.includes(k as keyof T)) throw new ValueError(`${op}: unknown field '${k}'; expected ${keys.join(', ')}`)
  for (const k of keys) {
    const v = (dn as Record<string, unknown>)[k as string]
    if (v === undefined && optional.includes(k)) out[k as string] = Object.freeze([])
    else if (Array.isArray(v) && v.every((d) => Number.isInteger(d)))
      out[k as string] = Object.freeze([...(v as number[])])
    else throw new ValueError(`${op}: ${String(k)} must be a list of integers, got ${String(v)}`)
  }
  return Object.freeze(out) as T
}

/**
 * Makes a {@link GatherDimensionNumbers} value (JAX's `lax.GatherDimensionNumbers(...)`): checks
 * the fields are lists of integers and fills in the batching ones.
 * @example
 * import { lax } from 'wengert'
 * const dn = lax.GatherDimensionNumbers({ offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] })
 * assert.deepStrictEqual(dn.operandBatchingDims, [])
 * @category ops
 * @since 0.6.0
 */
export const GatherDimensionNumbers = (dn: GatherDimensionNumbers): Required<GatherDimensionNumbers> =>
  complete(
    'GatherDimensionNumbers',
    dn as Required<GatherDimensionNumbers>,
    ['offsetDims', 'collapsedSliceDims', 'startIndexMap', 'operandBatchingDims', 'startIndicesBatchingDims'],
    ['operandBatchingDims', 'startIndicesBatchingDims'],
  )

/**
 * Makes a {@link ScatterDimensionNumbers} value (JAX's `lax.ScatterDimensionNumbers(...)`).
 * @example
 * import { lax } from 'wengert'
 * const dn = lax.ScatterDimensionNumbers({ updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] })
 * assert.deepStrictEqual(dn.scatterIndicesBatchingDims, [])
 * @category ops
 * @since 0.6.0
 */
export const ScatterDimensionNumbers = (dn: ScatterDimensionNumbers): Required<ScatterDimensionNumbers> =>
  complete(
    'ScatterDimensionNumbers',
    dn as Required<ScatterDimensionNumbers>,
    [
      'updateWindowDims',
      'insertedWindowDims',
      'scatterDimsToOperandDims',
      'operandBatchingDims',
      'scatterIndicesBatchingDims',
    ],
    ['operandBatchingDims', 'scatterIndicesBatchingDims'],
  )

/**
 * Out-of-bounds handling of gather and scatter (JAX's `lax.GatherScatterMode`): `CLIP` clamps
 * the start so the window fits; `FILL_OR_DROP` fills a gathered window that is not wholly in
 * bounds with the fill value and drops such a scattered window; `PROMISE_IN_BOUNDS` checks
 * nothing (a gather then clamps and a scatter drops, as XLA does). The strings `'clip'`,
 * `'fill'`, `'drop'` and `'promise_in_bounds'` name them too.
 * @category ops
 * @since 0.6.0
 */
export const GatherScatterMode = { CLIP: 'clip', FILL_OR_DROP: 'fill', PROMISE_IN_BOUNDS: 'promise_in_bounds' } as const
/** A member of {@link GatherScatterMode}, or one of its spellings (`'drop'` is `'fill'`). */
export type GatherScatterMode = (typeof GatherScatterMode)[keyof typeof GatherScatterMode] | 'drop'

/** The parsed mode: clamp the start, or mask the windows that are out of bounds. */
export type ParsedMode = 'clip' | 'fill' | 'promise_in_bounds'

/** `mode` parsed as JAX's `GatherScatterMode.from_any` does (`fallback` when omitted). */
export const parseMode = (mode: unknown, fallback: ParsedMode): ParsedMode => {
  if (mode === undefined || mode === null) return fallback
  if (mode === 'clip' || mode === 'fill' || mode === 'promise_in_bounds') return mode
  if (mode === 'drop') return 'fill'
  throw new ValueError(`Unknown gather mode "${String(mode)}"`)
}

/** Where the window dims of the operand go, and the int32 index vectors (last axis). */
export interface WindowLayout {
  /** The operand's shape. */
  readonly operand: ReadonlyArray<number>
  /** The window size along each operand axis. */
  readonly window: ReadonlyArray<number>
  /** Operand axis started by each entry of an index vector. */
  readonly startMap: ReadonlyArray<number>
  readonly operandBatching: ReadonlyArray<number>
  readonly indicesBatching: ReadonlyArray<number>
  /** The shape of the result (gather's output, the updates of a scatter). */
  readonly out: ReadonlyArray<number>
  /** Result axes of the index batch axes (indices.shape[:-1]), in order. */
  readonly batchOut: ReadonlyArray<number>
  /** Result axis of each operand axis that is a window axis, else -1. */
  readonly windowOut: ReadonlyArray<number>
}

const i32 = (v: number): NdArray => lax.scalar(v, 'int32')

/**
 * The flat operand position of every result element (int32, shape `out`; starts clamped so the
 * window fits) and, per index batch element, whether its window was wholly in bounds.
 */
export const windowPositions = (idx: NdArray, L: WindowLayout): { pos: NdArray; inBounds: NdArray } => {
  const batch = idx.shape.slice(0, -1)
  let pos = lax.broadcastInDim(i32(0), L.out, [])
  let inBounds = lax.broadcastInDim(lax.scalar(1, 'bool'), batch, [])
  let stride = 1
  for (let d = L.operand.length - 1; d >= 0; d--) {
    const n = L.operand[d] as number
    const w = L.window[d] as number
    const k = L.startMap.indexOf(d)
    const b = L.operandBatching.indexOf(d)
    let s: NdArray | undefined
    if (k >= 0) {
      const lo = batch.map(() => 0)
      const raw = lax.reshape(
        lax.slice(
          idx,
          [...lo, k],
          [...batch, k + 1],
          idx.shape.map(() => 1),
        ),
        batch,
      )
      const hi = i32(Math.max(n - w, 0))
      inBounds = lax.and(inBounds, lax.and(lax.ge(raw, i32(0)), lax.le(raw, hi)))
      s = lax.select(lax.lt(raw, i32(0)), i32(0), lax.select(lax.gt(raw, hi), hi, raw))
    } else if (b >= 0) {
      const axis = L.indicesBatching[b] as number
      s = lax.broadcastInDim(iota(batch[axis] as number), batch, [axis])
    }
    if (s !== undefined) pos = lax.add(pos, lax.broadcastInDim(lax.mul(s, i32(stride)), L.out, L.batchOut))
    const wo = L.windowOut[d] as number
    if (wo >= 0) pos = lax.add(pos, lax.broadcastInDim(lax.mul(iota(w), i32(stride)), L.out, [wo]))
    stride *= n
  }
  return { pos, inBounds }
}

/** The int32 start indices (index vector last), refusing other dtypes in JAX's words. */
export const indexArray = (op: string, idx: NdArray): NdArray => {
  if (!isInteger(idx.dtype)) throw new DTypeError(`${op}: indices must have an integer type, got ${idx.dtype}`)
  if (idx.ndim < 1)
    throw new ShapeError(`${op}: indices must have rank at least 1 (the index vector is the last axis), got shape ()`)
  return idx.dtype === 'int32' ? idx : lax.cast(idx, 'int32')
}

/** A list of dimension numbers: integers in `[0, bound)`, sorted and unique if `sorted`. */
export const checkDims = (
  op: string,
  what: string,
  dims: ReadonlyArray<number>,
  bound: number,
  sorted: boolean,
): void => {
  const text = fmtTuple(dims)
  dims.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0 || d >= bound)
      throw new ShapeError(`${op}: ${what} ${text} must be integers in [0, ${bound}), got ${d}`)
    if (dims.indexOf(d) !== i) throw new ShapeError(`${op}: ${what} ${text} must not repeat a dimension`)
    if (sorted && i > 0 && (dims[i - 1] as number) > d) throw new ShapeError(`${op}: ${what} ${text} must be sorted`)
  })
}

/** Checks the pairing of operand and index batching axes (same count, same sizes, disjoint). */
export const checkBatching = (
  op: string,
  names: readonly [string, string, string],
  operand: NdArray,
  idx: NdArray,
  [opDims, idxDims, excluded]: readonly [ReadonlyArray<number>, ReadonlyArray<number>, ReadonlyArray<number>],
): void => {
  const [opName, idxName, exName] = names
  checkDims(op, opName, opDims, operand.ndim, true)
  checkDims(op, idxName, idxDims, idx.ndim - 1, false)
  if (opDims.length !== idxDims.length)
    throw new ShapeError(
      `${op}: ${opName} ${fmtTuple(opDims)} and ${idxName} ${fmtTuple(idxDims)} must have the same length`,
    )
  for (const d of opDims)
    if (excluded.includes(d)) throw new ShapeError(`${op}: ${opName} and ${exName} must be disjoint, both have ${d}`)
  opDims.forEach((d, i) => {
    const e = idxDims[i] as number
    if (operand.shape[d] !== idx.shape[e])
      throw new ShapeError(
        `${op}: operand batching dimension ${d} has size ${operand.shape[d]} but indices batching dimension ${e} has size ${idx.shape[e]} (operand ${fmtTuple(operand.shape)}, indices ${fmtTuple(idx.shape)})`,
      )
  })
}

/** Checks the start map against the index vector length and the operand rank. */
export const checkStartMap = (
  op: string,
  what: string,
  map: ReadonlyArray<number>,
  idx: NdArray,
  rank: number,
): void => {
  checkDims(op, what, map, rank, false)
  const len = idx.shape[idx.ndim - 1] as number
  if (map.length !== len)
    throw new ShapeError(
      `${op}: ${what} ${fmtTuple(map)} must have one entry per element of an index vector (the last axis of indices ${fmtTuple(idx.shape)}, ${len})`,
    )
}
