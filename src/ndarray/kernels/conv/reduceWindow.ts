/**
 * Windowed reductions over every axis of an array (XLA ReduceWindow, JAX `lax.reduce_window`)
 * for max, min and sum, the first-max selection of each window, and select-and-scatter-add
 * (the adjoint that max-pooling's VJP needs).
 *
 * Padding and base-dilation holes hold the reduction's identity (−∞ for max, +∞ for min, 0 for
 * sum), which is the same as leaving them out; the selection only ever picks real elements.
 *
 * @category kernels
 * @since 0.2.0
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors'
import { NdArray } from '../../NdArray'
import { sizeOf, stridesOf, shapesEqual } from '../../shape'
import { allocate } from '../../dtype'
import { axisTaps, checkGeometry, windowOutSize, type WindowGeometry } from './window'

/** Parameters of the windowed kernels: one entry per axis of the operand. */
export interface ReduceWindowParams extends WindowGeometry {
  readonly windowDimensions: ReadonlyArray<number>
}

/** The reductions {@link reduceWindow} provides. */
export type WindowReduction = 'max' | 'min' | 'sum'

/** Per axis, for each output position, the input offsets (index × stride) its window reads. */
interface WindowPlan {
  readonly outShape: ReadonlyArray<number>
  readonly reads: ReadonlyArray<ReadonlyArray<Int32Array>>
}

/** Reduces each window of `x` (float32, float64 or int32) with max, min or sum. */
export const reduceWindow = (op: WindowReduction, x: NdArray, params: ReduceWindowParams): NdArray => {
  const plan = planWindows(`reduce_window_${op}`, x, params)
  const out = allocate(x.dtype, sizeOf(plan.outShape))
  const init = op === 'max' ? -Infinity : op === 'min' ? Infinity : 0
  const d = x._data
  let k = 0
  forEachWindow(plan, (visit) => {
    let acc = init
    if (op === 'sum') visit((off) => (acc += d[off] as number))
    else if (op === 'max') visit((off) => (acc = maxNaN(acc, d[off] as number)))
    else visit((off) => (acc = minNaN(acc, d[off] as number)))
    out[k++] = acc
  })
  return new NdArray(plan.outShape, x.dtype, out)
}

/**
 * For each window, the flat index into `x` of its selected element — the first maximum, as
 * XLA's select with `ge` keeps the current choice unless a later element is strictly greater
 * (NaN: see `selects`) — or −1 for a window holding only padding. int32, reduce_window's shape.
 */
export const windowArgmax = (x: NdArray, params: ReduceWindowParams): NdArray => {
  const plan = planWindows('select_and_scatter_add', x, params)
  const out = new Int32Array(sizeOf(plan.outShape))
  const d = x._data
  let k = 0
  forEachWindow(plan, (visit) => {
    let best = -1
    let bestV = 0
    visit((off) => {
      const v = d[off] as number
      if (best < 0 || !(bestV >= v)) {
        best = off
        bestV = v
      }
    })
    out[k++] = best
  })
  return new NdArray(plan.outShape, 'int32', out)
}

/**
 * The adjoint of gathering each window's first maximum: zeros of `operand`'s shape with each
 * element of `source` (reduce_window's output shape) added at its window's selected position.
 */
export const selectAndScatterAdd = (source: NdArray, operand: NdArray, params: ReduceWindowParams): NdArray => {
  const op = 'select_and_scatter_add'
  if (source.dtype !== operand.dtype) {
    throw new DTypeError(`${op}: source and operand must share one dtype, got ${source.dtype} and ${operand.dtype}`)
  }
  const sel = windowArgmax(operand, params)
  if (!shapesEqual(sel.shape, source.shape)) {
    throw new ShapeError(
      `${op}: expected source of the windowed output shape ${fmtShape(sel.shape)}, got ${fmtShape(source.shape)}`,
    )
  }
  const out = allocate(operand.dtype, operand.size)
  const idx = sel._data
  const src = source._data
  for (let k = 0; k < idx.length; k++) {
    const j = idx[k] as number
    if (j >= 0) out[j] = (out[j] as number) + (src[k] as number)
  }
  return new NdArray(operand.shape, operand.dtype, out)
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** max that propagates NaN (XLA's max). */
const maxNaN = (a: number, b: number): number => (a > b || a !== a ? a : b)
/** min that propagates NaN. */
const minNaN = (a: number, b: number): number => (a < b || a !== a ? a : b)

const planWindows = (op: string, x: NdArray, params: ReduceWindowParams): WindowPlan => {
  if (x.dtype === 'bool') throw new DTypeError(`${op}: expected a numeric operand, got bool`)
  const rank = x.ndim
  checkGeometry(op, params, rank)
  const win = params.windowDimensions
  if (win.length !== rank || !win.every((w) => Number.isInteger(w) && w >= 1)) {
    throw new ShapeError(
      `${op}: expected ${rank} positive window dimensions, one per axis of the operand ${fmtShape(x.shape)}, got ${fmtShape(win)}`,
    )
  }
  const strides = stridesOf(x.shape)
  const outShape: number[] = []
  const reads: Int32Array[][] = []
  x.shape.forEach((n, d) => {
    const [lo, hi] = params.padding[d] as readonly [number, number]
    const s = params.strides[d] as number
    const bd = params.baseDilation[d] as number
    const wd = params.windowDilation[d] as number
    const k = win[d] as number
    const outN = windowOutSize(n, k, s, lo, hi, bd, wd)
    const taps = axisTaps(n, k, outN, s, lo, bd, wd)
    outShape.push(outN)
    reads.push(
      Array.from({ length: outN }, (_, o) => {
        const valid: number[] = []
        for (let t = 0; t < k; t++) {
          const idx = taps[t * outN + o] as number
          if (idx >= 0) valid.push(idx * (strides[d] as number))
        }
        return Int32Array.from(valid)
      }),
    )
  })
  return { outShape, reads }
}

/**
 * Calls `body` once per output position (row-major) with a `visit` that walks that window's
 * real input elements in row-major window order, passing each one's flat offset.
 */
const forEachWindow = (plan: WindowPlan, body: (visit: (f: (off: number) => void) => void) => void): void => {
  const { outShape, reads } = plan
  const rank = outShape.length
  if (sizeOf(outShape) === 0) return
  const idx = new Array<number>(rank).fill(0)
  const walk = (d: number, off: number, f: (off: number) => void): void => {
    const lst = (reads[d] as ReadonlyArray<Int32Array>)[idx[d] as number] as Int32Array
    if (d === rank - 1) for (let t = 0; t < lst.length; t++) f(off + (lst[t] as number))
    else for (let t = 0; t < lst.length; t++) walk(d + 1, off + (lst[t] as number), f)
  }
  const visit = (f: (off: number) => void): void => (rank === 0 ? f(0) : walk(0, 0, f))
  for (;;) {
    body(visit)
    let d = rank - 1
    for (; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1
      if ((idx[d] as number) < (outShape[d] as number)) break
      idx[d] = 0
    }
    if (d < 0) break
  }
}
