/**
 * The functional forms of writing into a view: `slice_scatter`, `select_scatter` and
 * `diagonal_scatter` return a copy of `self` with `src` written into the slice, the selected
 * sub-tensor or the diagonal (PyTorch's SliceScatterBackward0, SelectScatterBackward0,
 * DiagonalScatterBackward0: `self` receives the gradient outside that region, `src` the gradient
 * inside it).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.zeros(2, 4)
 * assert.deepStrictEqual(x.slice_scatter(torch.ones(2, 2), 1, 0, null, 2).tolist(), [[1, 0, 1, 0], [1, 0, 1, 0]])
 * assert.deepStrictEqual(torch.select_scatter(x, torch.ones(4), 0, -1).tolist(), [[0, 0, 0, 0], [1, 1, 1, 1]])
 * assert.deepStrictEqual(torch.diagonal_scatter(torch.zeros(2, 2), torch.tensor([1, 2])).tolist(), [[1, 0], [0, 2]])
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { IndexError, RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { normDim } from '../ops/convert'
import { Tensor } from '../tensor'
import { takeAlong } from '../nn/padding'

type T = Tensor

/** Keywords of `slice_scatter`. */
export interface SliceScatterKw {
  readonly dim?: number
  readonly start?: number | null
  readonly end?: number | null
  readonly step?: number
}

/** Keywords of `diagonal_scatter`. */
export interface DiagonalScatterKw {
  readonly offset?: number
  readonly dim1?: number
  readonly dim2?: number
}

const shapeText = (s: ReadonlyArray<number>): string => `[${s.join(', ')}]`

const checkSrc = (src: T, want: ReadonlyArray<number>): void => {
  const have = src.shape
  if (have.length !== want.length || have.some((d, i) => d !== want[i]))
    throw new RuntimeError(
      `expected src to have a size equal to the slice of self. src size = ${shapeText(have)}, slice size = ${shapeText(want)}`,
    )
}

/** Python's clamped slice bounds: the positions `start, start+step, … < end` of an axis of length `n`. */
const slicePositions = (n: number, start: number | null, end: number | null, step: number): number[] => {
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt
    const w = v < 0 ? v + n : v
    return Math.min(Math.max(w, 0), n)
  }
  const lo = clamp(start, 0)
  const hi = Math.max(lo, clamp(end, n))
  const out: number[] = []
  for (let p = lo; p < hi; p += step) out.push(p)
  return out
}

/**
 * `x` with `s` written where `pos` (flat positions over the axes `axes` of `x`, row-major) are set:
 * `s`'s last axis runs over the written positions, its other axes are `x`'s other axes.
 */
const writeAt = (x: NdArray, s0: NdArray, axes: ReadonlyArray<number>, pos: ReadonlyArray<number>): NdArray => {
  const dims = axes.map((a) => x.shape[a] as number)
  const plane = dims.reduce((a, b) => a * b, 1)
  const src = new Array<number>(plane).fill(0)
  const mask = new Uint8Array(plane)
  pos.forEach((p, k) => {
    src[p] = k
    mask[p] = 1
  })
  const s = lax.cast(s0, x.dtype)
  const rest = x.shape.filter((_, i) => !axes.includes(i))
  const gathered =
    pos.length === 0 ? lax.broadcastTo(lax.scalar(0, x.dtype), [...rest, plane]) : takeAlong(s, s.ndim - 1, src)
  const moved = lax.reshape(gathered, [...rest, ...dims])
  // the rest axes keep their order; the plane's axes go back to their places in x
  const order: number[] = []
  let r = 0
  for (let i = 0; i < x.ndim; i++) order.push(axes.includes(i) ? rest.length + axes.indexOf(i) : r++)
  const placed = lax.transpose(moved, order)
  const maskShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1))
  const m = lax.broadcastTo(new NdArray(maskShape, 'bool', mask), x.shape)
  return lax.select(m, placed, x)
}

/** `s` with its axis `axis` moved last (the layout `writeAt` reads). */
const axisLast = (s: NdArray, axis: number): NdArray => {
  const perm = [...s.shape.keys()].filter((i) => i !== axis)
  return lax.transpose(s, [...perm, axis])
}

export const scatterSliceMethods = {
  /** A copy of `self` with `src` written into `self[..., start:end:step, ...]` along `dim` (SliceScatterBackward0). */
  slice_scatter(
    this: T,
    src: T,
    ...rest: PyArgs<[dim: number, start: number | null, end: number | null, step: number], SliceScatterKw>
  ): T {
    const a = parseArgs('slice_scatter', rest, ['dim', 'start', 'end', 'step'])
    const step = (a.step as number | undefined) ?? 1
    if (step <= 0) throw new RuntimeError('slice step must be positive')
    const axis = normDim((a.dim as number | undefined) ?? 0, this.dim())
    const n = this.shape[axis] as number
    const pos = slicePositions(
      n,
      (a.start as number | null | undefined) ?? null,
      (a.end as number | null | undefined) ?? null,
      step,
    )
    checkSrc(
      src,
      this.shape.map((d, i) => (i === axis ? pos.length : d)),
    )
    return op('SliceScatterBackward0', [this, src], (x, s) => writeAt(x, axisLast(s, axis), [axis], pos))
  },
  /** A copy of `self` with `src` written into `self.select(dim, index)` (SelectScatterBackward0). */
  select_scatter(this: T, src: T, dim: number, index: number): T {
    const axis = normDim(dim, this.dim())
    const n = this.shape[axis] as number
    if (index < -n || index >= n)
      throw new IndexError(
        `select(): index ${index} out of range for tensor of size ${shapeText(this.shape)} at dimension ${axis}`,
      )
    checkSrc(
      src,
      this.shape.filter((_, i) => i !== axis),
    )
    const at = index < 0 ? index + n : index
    return op('SelectScatterBackward0', [this, src], (x, s) =>
      writeAt(x, lax.reshape(s, [...s.shape, 1]), [axis], [at]),
    )
  },
  /** A copy of `self` with `src` written onto the diagonal `offset` of the planes `dim1`, `dim2` (DiagonalScatterBackward0). */
  diagonal_scatter(
    this: T,
    src: T,
    ...rest: PyArgs<[offset: number, dim1: number, dim2: number], DiagonalScatterKw>
  ): T {
    const a = parseArgs('diagonal_scatter', rest, ['offset', 'dim1', 'dim2'])
    const offset = (a.offset as number | undefined) ?? 0
    const d1 = normDim((a.dim1 as number | undefined) ?? 0, this.dim())
    const d2 = normDim((a.dim2 as number | undefined) ?? 1, this.dim())
    if (d1 === d2) throw new RuntimeError(`diagonal dimensions cannot be identical ${d1}, ${d2}`)
    const n1 = this.shape[d1] as number
    const n2 = this.shape[d2] as number
    const len = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2))
    const rows = offset >= 0 ? 0 : -offset
    const cols = offset >= 0 ? offset : 0
    const lo = Math.min(d1, d2)
    const hi = Math.max(d1, d2)
    // writeAt's plane is (lo, hi) row-major
    const pos = Array.from({ length: len }, (_, k) =>
      d1 < d2 ? (rows + k) * n2 + cols + k : (cols + k) * n1 + rows + k,
    )
    checkSrc(src, [...this.shape.filter((_, i) => i !== d1 && i !== d2), len])
    return op('DiagonalScatterBackward0', [this, src], (x, s) => writeAt(x, s, [lo, hi], pos))
  },
}
