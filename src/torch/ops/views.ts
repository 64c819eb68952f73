/**
 * View steps (value of a view from its parent's, and the parent's value after the view is
 * written) and stride bookkeeping: reshape, select, slice, transpose/permute, expand, alias.
 * Inverses are written with the core ops, so writing through a view is differentiable.
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { Tracer } from '../../core/trace'
import { NdArray } from '../../ndarray/NdArray'
import { shapesEqual } from '../../ndarray/shape'
import type { ViewStep } from '../tensor'

const replaceRegion = (
  x: NdArray,
  y: NdArray,
  starts: ReadonlyArray<number>,
  steps: ReadonlyArray<number>,
): NdArray => {
  const hi = x.shape.map((d, i) => {
    const n = y.shape[i] as number
    return n === 0 ? d - (starts[i] as number) : d - ((starts[i] as number) + (n - 1) * (steps[i] as number) + 1)
  })
  const padded = lax.pad(
    lax.cast(y, x.dtype),
    starts,
    hi,
    steps.map((s) => s - 1),
    0,
  )
  const mask = new Uint8Array(x.size)
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1))
  const rec = (axis: number, off: number): void => {
    if (axis === x.ndim) {
      mask[off] = 1
      return
    }
    const n = y.shape[axis] as number
    for (let k = 0; k < n; k++)
      rec(axis + 1, off + ((starts[axis] as number) + k * (steps[axis] as number)) * (strides[axis] as number))
  }
  if (y.size > 0) rec(0, 0)
  return lax.select(new NdArray(x.shape, 'bool', mask), padded, x)
}

/**
 * The pullback of a strided slice of `x` (starts and steps per dimension) over the cotangent `g`
 * of the slice: `g` padded with zeros back to x's shape, the slice primitive's VJP rule.
 */
const padBack = (g: NdArray, x: NdArray, starts: ReadonlyArray<number>, steps: ReadonlyArray<number>): NdArray => {
  const hi = x.shape.map((d, i) => {
    const n = g.shape[i] as number
    return d - (n === 0 ? (starts[i] as number) : (starts[i] as number) + (n - 1) * (steps[i] as number) + 1)
  })
  return lax.pad(
    g,
    starts,
    hi,
    steps.map((s) => s - 1),
    0,
  )
}

/** A reshape view. */
export const reshapeStep = (name: string, shape: ReadonlyArray<number>): ViewStep => ({
  name,
  fwd: (x) => lax.reshape(x, shape),
  inv: (x, y) => lax.reshape(lax.cast(y, x.dtype), x.shape),
  pull: (g, x) => lax.reshape(g, x.shape),
})

/** A strided slice of one dimension. */
export const sliceStep = (name: string, dim: number, start: number, stop: number, step: number): ViewStep => ({
  name,
  pull: (g, x) =>
    padBack(
      g,
      x,
      x.shape.map((_, i) => (i === dim ? start : 0)),
      x.shape.map((_, i) => (i === dim ? step : 1)),
    ),
  fwd: (x) =>
    lax.slice(
      x,
      x.shape.map((_, i) => (i === dim ? start : 0)),
      x.shape.map((d, i) => (i === dim ? Math.max(start, stop) : d)),
      x.shape.map((_, i) => (i === dim ? step : 1)),
    ),
  inv: (x, y) =>
    replaceRegion(
      x,
      y,
      x.shape.map((_, i) => (i === dim ? start : 0)),
      x.shape.map((_, i) => (i === dim ? step : 1)),
    ),
})

/** Selects index `index` of dimension `dim` (dropping it). */
export const selectStep = (name: string, dim: number, index: number): ViewStep => ({
  name,
  pull: (g, x) =>
    padBack(
      lax.reshape(
        g,
        x.shape.map((d, i) => (i === dim ? 1 : d)),
      ),
      x,
      x.shape.map((_, i) => (i === dim ? index : 0)),
      x.shape.map(() => 1),
    ),
  fwd: (x) => {
    const s = lax.slice(
      x,
      x.shape.map((_, i) => (i === dim ? index : 0)),
      x.shape.map((d, i) => (i === dim ? index + 1 : d)),
      x.shape.map(() => 1),
    )
    return lax.reshape(
      s,
      x.shape.filter((_, i) => i !== dim),
    )
  },
  inv: (x, y) => {
    const y1 = lax.reshape(
      lax.broadcastTo(
        lax.cast(y, x.dtype),
        x.shape.filter((_, i) => i !== dim),
      ),
      x.shape.map((d, i) => (i === dim ? 1 : d)),
    )
    return replaceRegion(
      x,
      y1,
      x.shape.map((_, i) => (i === dim ? index : 0)),
      x.shape.map(() => 1),
    )
  },
})

/** Permutes dimensions. */
export const permuteStep = (name: string, perm: ReadonlyArray<number>): ViewStep => {
  const inv = perm.map((_, i) => perm.indexOf(i))
  return {
    name,
    fwd: (x) => lax.transpose(x, perm),
    inv: (x, y) => lax.transpose(lax.cast(y, x.dtype), inv),
    pull: (g) => lax.transpose(g, inv),
  }
}

/**
 * Broadcasts to a larger shape. An expand that repeats nothing (`-1` or new size-1 dimensions)
 * is a reshape; one that repeats elements is written back as a gather view is (`writeBack`):
 * in-place ops refuse such a tensor (the overlap check), but `fill_` of it, or a write through a
 * view of it that repeats nothing (`x.expand(2, 3)[:, 0]`), reach the shared elements.
 */
export const expandStep = (name: string, shape: ReadonlyArray<number>): ViewStep => ({
  name,
  fwd: (x) => lax.broadcastTo(x, shape),
  pull: (g, x) => sumBack(g, x.shape),
  inv: (x, y) => {
    if (x.size === y.size) return lax.reshape(lax.cast(y, x.dtype), x.shape)
    const lead = shape.length - x.ndim
    const at = viewPositions(x.shape, shape, (i) => x.shape.map((n, d) => (n === 1 ? 0 : (i[d + lead] as number))))
    return writeBack(x, y, shape, at)
  },
})

/** The identity view (`x[...]`, `view_as` of the same shape). */
export const aliasStep = (name: string): ViewStep => ({
  name,
  fwd: (x) => x,
  inv: (x, y) => lax.cast(y, x.dtype),
  pull: (g) => g,
})

/**
 * The pullback of `broadcastTo(x, g.shape)` over its cotangent `g` (x of shape `shape`): the
 * broadcast primitive's VJP rule, `g` summed over the new leading axes and the stretched size-1
 * axes, reshaped to x's shape.
 */
const sumBack = (g: NdArray, shape: ReadonlyArray<number>): NdArray => {
  if (shapesEqual(g.shape, shape)) return g
  const off = g.ndim - shape.length
  const axes: number[] = []
  for (let a = 0; a < g.ndim; a++) if (a < off || (shape[a - off] === 1 && g.shape[a] !== 1)) axes.push(a)
  return lax.reshape(lax.reduceSum(g, axes), shape)
}

/** Row-major strides. */
export const contiguousStrides = (shape: ReadonlyArray<number>): number[] => {
  const s = new Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * Math.max(1, shape[i + 1] as number)
  return s
}

/** PyTorch's `computeStride`: strides of a view with a new shape, or undefined when impossible. */
export const viewStrides = (
  oldShape: ReadonlyArray<number>,
  oldStrides: ReadonlyArray<number>,
  newShape: ReadonlyArray<number>,
): number[] | undefined => {
  if (oldShape.length === 0) return newShape.map(() => 1)
  const numel = oldShape.reduce((a, b) => a * b, 1)
  if (numel === 0) return contiguousStrides(newShape)
  const out = new Array<number>(newShape.length).fill(1)
  let viewD = newShape.length - 1
  let chunkBase = oldStrides[oldStrides.length - 1] as number
  let tensorNumel = 1
  let viewNumel = 1
  for (let td = oldShape.length - 1; td >= 0; td--) {
    tensorNumel *= oldShape[td] as number
    if (
      td === 0 ||
      ((oldShape[td - 1] as number) !== 1 && (oldStrides[td - 1] as number) !== tensorNumel * chunkBase)
    ) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase
        viewNumel *= newShape[viewD] as number
        viewD--
      }
      if (viewNumel !== tensorNumel) return undefined
      if (td > 0) {
        chunkBase = oldStrides[td - 1] as number
        tensorNumel = 1
        viewNumel = 1
      }
    }
  }
  return viewD === -1 ? out : undefined
}

/** Per element of a view (row-major over `outShape`), the parent's flat position of `parentIndex(i)`. */
export const viewPositions = (
  parentShape: ReadonlyArray<number>,
  outShape: ReadonlyArray<number>,
  parentIndex: (i: ReadonlyArray<number>) => ReadonlyArray<number>,
): number[] => {
  const strides = contiguousStrides(parentShape)
  const n = outShape.reduce((a, b) => a * b, 1)
  const at = new Array<number>(n)
  const i = new Array<number>(outShape.length).fill(0)
  for (let k = 0; k < n; k++) {
    at[k] = parentIndex(i).reduce((s, v, d) => s + v * (strides[d] as number), 0)
    for (let d = outShape.length - 1; d >= 0; d--) {
      i[d] = (i[d] as number) + 1
      if ((i[d] as number) < (outShape[d] as number)) break
      i[d] = 0
    }
  }
  return at
}

const takeFlat = (x: NdArray, at: ReadonlyArray<number>): NdArray =>
  lax.gather(lax.reshape(x, [x.size]), new NdArray([at.length], 'int32', Int32Array.from(at)), 0)

/**
 * Which view element each parent position takes its value from (−1: none). Where elements share
 * a position (overlapping unfold windows) the last one whose value `y` changed from `old` wins,
 * so writing one window back does not undo another's write with its stale copy; with tracers
 * (no values to compare) the last one wins.
 */
const sourceOf = (size: number, at: ReadonlyArray<number>, old: NdArray, y: NdArray): Int32Array => {
  const src = new Int32Array(size).fill(-1)
  const seen = new Uint8Array(size)
  let overlap = false
  for (const p of at) {
    overlap ||= seen[p] === 1
    seen[p] = 1
  }
  if (!overlap || old instanceof Tracer || y instanceof Tracer) {
    at.forEach((p, k) => (src[p] = k))
    return src
  }
  const [a, b] = [old.toTypedArray(), y.toTypedArray()]
  const changed = (k: number): boolean => !Object.is(a[k], b[k])
  at.forEach((p, k) => {
    const cur = src[p] as number
    if (cur < 0 || changed(k) || !changed(cur)) src[p] = k
  })
  return src
}

/**
 * A view whose elements are positions of its parent: `map(parentShape)` gives the view's shape
 * and, per view element (row-major), the parent's flat position (diagonal, unfold). Writing
 * through it puts the written values back at those positions (see `sourceOf` for overlaps).
 */
export const gatherStep = (
  name: string,
  map: (shape: ReadonlyArray<number>) => { readonly shape: ReadonlyArray<number>; readonly at: ReadonlyArray<number> },
): ViewStep => ({
  name,
  fwd: (x) => {
    const { shape, at } = map(x.shape)
    return lax.reshape(takeFlat(x, at), shape)
  },
  inv: (x, y) => {
    const { shape, at } = map(x.shape)
    return writeBack(x, y, shape, at)
  },
})

/**
 * `x` with the values `y` (of the view's `shape`) written back at the parent positions `at` (one
 * per view element, row-major; see `sourceOf` where several share a position).
 */
const writeBack = (x: NdArray, y: NdArray, shape: ReadonlyArray<number>, at: ReadonlyArray<number>): NdArray => {
  if (at.length === 0) return x
  const flat = lax.reshape(lax.broadcastTo(lax.cast(y, x.dtype), shape), [at.length])
  const src = sourceOf(x.size, at, takeFlat(x, at), flat)
  const mask = new NdArray(
    x.shape,
    'bool',
    Uint8Array.from(src, (k) => (k >= 0 ? 1 : 0)),
  )
  const back = takeFlat(
    flat,
    Array.from(src, (k) => Math.max(k, 0)),
  )
  return lax.select(mask, lax.reshape(back, x.shape), x)
}
