/**
 * Reduction kernels over sorted, unique axes. Contiguous axis blocks reduce in place as an
 * `[outer, reduced, inner]` view; other axis sets are first gathered to the end by a transpose.
 * Float sums and maxima of large arrays run on WebAssembly SIMD (`./wasm/simdReduce`).
 *
 * @category kernels
 * @since 0.1.0
 */
import { allocate, checkInt64, type DType } from '../dtype'
import { exactInt64Reduce, partialsAreSafe } from './int64'
import { NdArray } from '../NdArray'
import { sizeOf } from '../shape'
import { useWasm } from './elementwise'
import { transpose } from './movement'
import { reduceColsWasm, reduceRowsWasm } from './wasm/simdReduce'
import { at } from '../../internal/at'

/**
 * Float sums and maxima go to the WebAssembly kernels (`./wasm/simdReduce`) when `useWasm` says
 * so for the input size and the rows are at least this long (shorter rows: the per-row combining
 * in JS costs what the SIMD loop saves) or, reducing columns, the rows at least this wide.
 */
const WASM_MIN_ROW = 32
const WASM_MIN_INNER = 4

/** Reductions the kernels provide. */
export type ReduceOp = 'sum' | 'max' | 'min' | 'prod' | 'any' | 'all'

const isContiguousBlock = (axes: ReadonlyArray<number>): boolean => {
  for (let i = 1; i < axes.length; i++) if (axes[i] !== (axes[i - 1] as number) + 1) return false
  return true
}

/** Moves `axes` to the end (keeping order), returning the transposed array and the new axes. */
const gatherAxes = (x: NdArray, axes: ReadonlyArray<number>): [NdArray, number[]] => {
  const rest = x.shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const perm = [...rest, ...axes]
  const nd = x.ndim
  return [transpose(x, perm), axes.map((_, j) => nd - axes.length + j)]
}

/**
 * Reduces `x` over `axes` (sorted, unique, non-negative); the result drops those axes. Sums
 * accumulate in float64 for float32 inputs (pairwise accuracy without the cost); int64 sums and
 * products are exact or raise OverflowError (`./int64`).
 */
export const reduce = (op: ReduceOp, x: NdArray, axes: ReadonlyArray<number>, outDType: DType = x.dtype): NdArray => {
  if (axes.length === 0) return x
  if (!isContiguousBlock(axes)) {
    const [xt, at] = gatherAxes(x, axes)
    return reduce(op, xt, at, outDType)
  }
  const r = reduceBlock(op, x, axes, outDType)
  if (outDType === 'int64') checkInt64(op, r._data)
  return r
}

/** `reduce` over a contiguous block of axes. */
const reduceBlock = (op: ReduceOp, x: NdArray, axes: ReadonlyArray<number>, outDType: DType): NdArray => {
  const shape = x.shape
  const first = at(axes, 0, 'reduce: axes')
  const lastAxis = at(axes, axes.length - 1, 'reduce: axes')
  const outer = sizeOf(shape.slice(0, first))
  const red = sizeOf(shape.slice(first, lastAxis + 1))
  const inner = sizeOf(shape.slice(lastAxis + 1))
  const outShape = shape.filter((_, i) => i < first || i > lastAxis)
  const d = x._data
  if (outDType === 'int64' && (op === 'sum' || op === 'prod') && !partialsAreSafe(op, d)) {
    return exactInt64Reduce(op, d, outer, red, inner, outShape)
  }
  const out = allocate(outDType, outer * inner)
  const init =
    op === 'sum' || op === 'any' ? 0 : op === 'prod' || op === 'all' ? 1 : op === 'max' ? -Infinity : Infinity
  if (red === 0) {
    out.fill(init)
    return new NdArray(outShape, outDType, out)
  }
  if ((op === 'sum' || op === 'max') && (d instanceof Float32Array || d instanceof Float64Array) && useWasm(x.size)) {
    if (
      inner === 1
        ? red >= WASM_MIN_ROW && reduceRowsWasm(op, d, outer, red, out)
        : inner >= WASM_MIN_INNER && reduceColsWasm(op, d, outer, red, inner, out)
    ) {
      return new NdArray(outShape, outDType, out)
    }
  }
  if (inner === 1) {
    // rows: reduce each contiguous run
    for (let o = 0; o < outer; o++) {
      const base = o * red
      let acc = init
      switch (op) {
        case 'sum':
          for (let r = 0; r < red; r++) acc += d[base + r] as number
          break
        case 'prod':
          for (let r = 0; r < red; r++) acc *= d[base + r] as number
          break
        case 'max':
          for (let r = 0; r < red; r++) {
            const v = d[base + r] as number
            if (v > acc || v !== v) acc = v
            if (acc !== acc) break
          }
          break
        case 'min':
          for (let r = 0; r < red; r++) {
            const v = d[base + r] as number
            if (v < acc || v !== v) acc = v
            if (acc !== acc) break
          }
          break
        case 'any':
          for (let r = 0; r < red; r++)
            if ((d[base + r] as number) !== 0) {
              acc = 1
              break
            }
          break
        case 'all':
          for (let r = 0; r < red; r++)
            if ((d[base + r] as number) === 0) {
              acc = 0
              break
            }
          break
      }
      out[o] = acc
    }
    return new NdArray(outShape, outDType, out)
  }
  // columns: stream rows of length `inner` into an accumulator (cache friendly)
  const acc = new Float64Array(inner)
  for (let o = 0; o < outer; o++) {
    acc.fill(init)
    for (let r = 0; r < red; r++) {
      const base = (o * red + r) * inner
      switch (op) {
        case 'sum':
          for (let i = 0; i < inner; i++) acc[i] = (acc[i] as number) + (d[base + i] as number)
          break
        case 'prod':
          for (let i = 0; i < inner; i++) acc[i] = (acc[i] as number) * (d[base + i] as number)
          break
        case 'max':
          for (let i = 0; i < inner; i++) {
            const v = d[base + i] as number
            const a = acc[i] as number
            if (v > a || v !== v) acc[i] = v
          }
          break
        case 'min':
          for (let i = 0; i < inner; i++) {
            const v = d[base + i] as number
            const a = acc[i] as number
            if (v < a || v !== v) acc[i] = v
          }
          break
        case 'any':
          for (let i = 0; i < inner; i++) if ((d[base + i] as number) !== 0) acc[i] = 1
          break
        case 'all':
          for (let i = 0; i < inner; i++) if ((d[base + i] as number) === 0) acc[i] = 0
          break
      }
    }
    // NaN: max/min keep NaN once seen because NaN comparisons above replace acc only when v is NaN;
    // a later non-NaN v never replaces NaN since (v > NaN) is false.
    out.set(acc, o * inner)
  }
  return new NdArray(outShape, outDType, out)
}

/** Index of the max (or min) along one axis, as int32; the first occurrence wins, NaN counts as the extreme. */
export const argReduce = (op: 'argmax' | 'argmin', x: NdArray, axis: number): NdArray => {
  const shape = x.shape
  const outer = sizeOf(shape.slice(0, axis))
  const red = at(shape, axis, 'argReduce: axis')
  const inner = sizeOf(shape.slice(axis + 1))
  const out = new Int32Array(outer * inner)
  const d = x._data
  const isMax = op === 'argmax'
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = d[o * red * inner + i] as number
      let bi = 0
      if (best === best) {
        for (let r = 1; r < red; r++) {
          const v = d[(o * red + r) * inner + i] as number
          if (v !== v) {
            bi = r
            break
          }
          if (isMax ? v > best : v < best) {
            best = v
            bi = r
          }
        }
      }
      out[o * inner + i] = bi
    }
  }
  return new NdArray(
    shape.filter((_, k) => k !== axis),
    'int32',
    out,
  )
}

/**
 * Running sums along `axis` (from the last element back with `reverse`). Each partial sum is
 * rounded to the array's dtype before the next element is added, as NumPy's and JAX's cumsum
 * do (float32 accumulates in float32; int32 wraps; int64 partial sums are checked, so they are
 * exact or raise OverflowError).
 */
export const cumsum = (x: NdArray, axis: number, reverse: boolean): NdArray => {
  const shape = x.shape
  const outer = sizeOf(shape.slice(0, axis))
  const n = shape[axis] as number
  const inner = sizeOf(shape.slice(axis + 1))
  const out = allocate(x.dtype, x.size)
  const d = x._data
  // row r of a slice is the r-th element along the axis: rows run 0 → n−1, or back with reverse
  const first = reverse ? n - 1 : 0
  const step = reverse ? -inner : inner
  for (let o = 0; o < outer; o++) {
    let at = (o * n + first) * inner
    if (n > 0) for (let i = 0; i < inner; i++) out[at + i] = d[at + i] as number
    for (let r = 1; r < n; r++) {
      const prev = at
      at += step
      for (let i = 0; i < inner; i++) out[at + i] = (out[prev + i] as number) + (d[at + i] as number)
    }
  }
  if (x.dtype === 'int64') checkInt64('cumsum', out)
  return new NdArray(shape, x.dtype, out)
}
