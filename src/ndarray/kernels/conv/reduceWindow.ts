/**
 * Windowed reductions over every axis of an array (XLA ReduceWindow, JAX `lax.reduce_window`)
 * for max, min and sum, the first-max selection of each window, and select-and-scatter-add
 * (the adjoint that max-pooling's VJP needs).
 *
 * Padding and base-dilation holes hold the reduction's identity (−∞ for max, +∞ for min, 0 for
 * sum), which is the same as leaving them out; the selection only ever picks real elements.
 *
 * A window is a box, so each kernel runs as one 1-D pass per windowed axis, last axis first (a
 * box maximum is the maximum over one axis of the maxima over the others): each pass reads
 * contiguous runs of the axes after it, and the cost is Σ_axes size·k instead of size·∏k.
 * The selection passes the last axis first, which keeps it the first maximum in row-major window
 * order (each pass keeps the earliest of equal candidates); the reductions pass the leading axes
 * first, where the contiguous runs are longest. Intermediate values are float64 (float32
 * sums round once at the end, as the reduce kernels do).
 *
 * @category kernels
 * @since 0.2.0
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors'
import { NdArray } from '../../NdArray'
import { sizeOf, shapesEqual } from '../../shape'
import { allocate, allocateUninit } from '../../dtype'
import { argmaxPool2d, isTiled, maxPool2d, maxPoolTiled, pool2dOf, scatterTiled, type AxisPass } from './pool2d'
import { axisTaps, checkGeometry, windowOutSize, type WindowGeometry } from './window'

/** Parameters of the windowed kernels: one entry per axis of the operand. */
export interface ReduceWindowParams extends WindowGeometry {
  readonly windowDimensions: ReadonlyArray<number>
}

/** The reductions {@link reduceWindow} provides. */
export type WindowReduction = 'max' | 'min' | 'sum'

/** Reduces each window of `x` (float32, float64 or int32) with max, min or sum. */
export const reduceWindow = (op: WindowReduction, x: NdArray, params: ReduceWindowParams): NdArray => {
  const { passes, outShape } = planWindows(`reduce_window_${op}`, x, params)
  // min(x) = −max(−x): one max loop serves both (NaN still propagates).
  const sign = op === 'min' ? -1 : 1
  const src = x._data
  const flat = op === 'sum' ? null : pool2dOf(passes, x.shape)
  if (flat !== null && isTiled(flat)) {
    const out = allocateUninit(x.dtype, sizeOf(outShape))
    maxPoolTiled(src, flat, sign, out)
    return new NdArray(outShape, x.dtype, out)
  }
  if (flat !== null) return fromValues(outShape, x.dtype, maxPool2d(src, flat, sign), sign)
  // Any order gives the same box reduction; leading axes first read the longest contiguous runs.
  passes.reverse()
  const shape = [...x.shape]
  let cur = new Float64Array(src.length)
  for (let i = 0; i < src.length; i++) cur[i] = sign * (src[i] as number)
  for (const p of passes) {
    const [outer, inner] = around(shape, p.axis)
    const next = new Float64Array(outer * p.outN * inner)
    if (op === 'sum') sumPass(cur, next, p, outer, inner)
    else maxPass(cur, next, p, outer, inner)
    cur = next
    shape[p.axis] = p.outN
  }
  return fromValues(outShape, x.dtype, cur, sign)
}

/** An array of `dtype` holding sign·values. */
const fromValues = (shape: number[], dtype: NdArray['dtype'], values: Float64Array, sign: number): NdArray => {
  const out = allocate(dtype, values.length)
  for (let i = 0; i < values.length; i++) out[i] = sign * (values[i] as number)
  return new NdArray(shape, dtype, out)
}

/** One axis of a windowed sum: next[a, o, :] = Σ_taps cur[a, tap, :]. */
const sumPass = (cur: Float64Array, next: Float64Array, p: AxisPass, outer: number, inner: number): void => {
  for (let a = 0; a < outer; a++) {
    for (let o = 0; o < p.outN; o++) {
      const dst = (a * p.outN + o) * inner
      for (let t = 0; t < p.k; t++) {
        const idx = p.taps[t * p.outN + o] as number
        if (idx < 0) continue
        const src = (a * p.n + idx) * inner
        for (let j = 0; j < inner; j++) next[dst + j] = (next[dst + j] as number) + (cur[src + j] as number)
      }
    }
  }
}

/** One axis of a windowed max (−∞ for an empty window; NaN propagates, as XLA's max). */
const maxPass = (cur: Float64Array, next: Float64Array, p: AxisPass, outer: number, inner: number): void => {
  next.fill(-Infinity)
  for (let a = 0; a < outer; a++) {
    for (let o = 0; o < p.outN; o++) {
      const dst = (a * p.outN + o) * inner
      for (let t = 0; t < p.k; t++) {
        const idx = p.taps[t * p.outN + o] as number
        if (idx < 0) continue
        const src = (a * p.n + idx) * inner
        for (let j = 0; j < inner; j++) {
          const acc = next[dst + j] as number
          const v = cur[src + j] as number
          if (v > acc || v !== v) next[dst + j] = v
        }
      }
    }
  }
}

/**
 * For each window, the flat index into `x` of its selected element — the first maximum in
 * row-major window order, as XLA's select with `ge` keeps the current choice unless a later
 * element is strictly greater (NaN follows that comparison) — or −1 for a window holding only
 * padding. int32, reduce_window's output shape.
 */
export const windowArgmax = (x: NdArray, params: ReduceWindowParams): NdArray => {
  const { passes, outShape } = planWindows('select_and_scatter_add', x, params)
  const flat = pool2dOf(passes, x.shape)
  if (flat !== null) return new NdArray(outShape, 'int32', argmaxPool2d(x._data, flat))
  const shape = [...x.shape]
  let val = Float64Array.from(x._data)
  let arg = new Int32Array(x.size).map((_, i) => i)
  for (const p of passes) {
    const [outer, inner] = around(shape, p.axis)
    const nextVal = new Float64Array(outer * p.outN * inner)
    const nextArg = new Int32Array(outer * p.outN * inner).fill(-1)
    for (let a = 0; a < outer; a++) {
      for (let o = 0; o < p.outN; o++) {
        const dst = (a * p.outN + o) * inner
        for (let t = 0; t < p.k; t++) {
          const idx = p.taps[t * p.outN + o] as number
          if (idx < 0) continue
          const src = (a * p.n + idx) * inner
          for (let j = 0; j < inner; j++) {
            const cand = arg[src + j] as number
            if (cand < 0) continue
            const v = val[src + j] as number
            if ((nextArg[dst + j] as number) < 0 || !((nextVal[dst + j] as number) >= v)) {
              nextArg[dst + j] = cand
              nextVal[dst + j] = v
            }
          }
        }
      }
    }
    val = nextVal
    arg = nextArg
    shape[p.axis] = p.outN
  }
  return new NdArray(outShape, 'int32', arg)
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
  const { passes, outShape } = planWindows(op, operand, params)
  const flat = pool2dOf(passes, operand.shape)
  if (flat !== null && isTiled(flat) && shapesEqual(outShape, source.shape)) {
    const out = allocateUninit(operand.dtype, operand.size)
    scatterTiled(source._data, operand._data, flat, out)
    return new NdArray(operand.shape, operand.dtype, out)
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

/**
 * The transpose of {@link selectAndScatterAdd} in its source (XLA/JAX select_and_gather_add):
 * each window's value of `tangents` (the operand's shape) at that window's first maximum of
 * `operand`, 0 for a window of padding only. reduce_window's output shape.
 */
export const selectAndGatherAdd = (tangents: NdArray, operand: NdArray, params: ReduceWindowParams): NdArray => {
  const op = 'select_and_gather_add'
  if (!shapesEqual(tangents.shape, operand.shape) || tangents.dtype !== operand.dtype) {
    throw new ShapeError(
      `${op}: expected tangents of the operand's shape and dtype ${fmtShape(operand.shape)} ${operand.dtype}, ` +
        `got ${fmtShape(tangents.shape)} ${tangents.dtype}`,
    )
  }
  const sel = windowArgmax(operand, params)
  const out = allocate(operand.dtype, sel.size)
  const idx = sel._data
  const t = tangents._data
  for (let k = 0; k < idx.length; k++) {
    const j = idx[k] as number
    if (j >= 0) out[k] = t[j] as number
  }
  return new NdArray(sel.shape, operand.dtype, out)
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** Sizes before and after `axis`: the [outer, axis, inner] view of a row-major shape. */
const around = (shape: ReadonlyArray<number>, axis: number): [number, number] => [
  sizeOf(shape.slice(0, axis)),
  sizeOf(shape.slice(axis + 1)),
]

/** Checks the params and plans one pass per axis whose window does anything, last axis first. */
const planWindows = (
  op: string,
  x: NdArray,
  params: ReduceWindowParams,
): { passes: AxisPass[]; outShape: number[] } => {
  if (x.dtype === 'bool') throw new DTypeError(`${op}: expected a numeric operand, got bool`)
  const rank = x.ndim
  checkGeometry(op, params, rank)
  const win = params.windowDimensions
  if (win.length !== rank || !win.every((w) => Number.isInteger(w) && w >= 1)) {
    throw new ShapeError(
      `${op}: expected ${rank} positive window dimensions, one per axis of the operand ${fmtShape(x.shape)}, got ${fmtShape(win)}`,
    )
  }
  const passes: AxisPass[] = []
  const outShape = x.shape.map((n, d) => {
    const [lo, hi] = params.padding[d] as readonly [number, number]
    const s = params.strides[d] as number
    const bd = params.baseDilation[d] as number
    const wd = params.windowDilation[d] as number
    const k = win[d] as number
    const outN = windowOutSize(n, k, s, lo, hi, bd, wd)
    if (k !== 1 || s !== 1 || lo !== 0 || hi !== 0 || bd !== 1) {
      passes.unshift({ axis: d, n, k, outN, taps: axisTaps(n, k, outN, s, lo, bd, wd) })
    }
    return outN
  })
  return { passes, outShape }
}
