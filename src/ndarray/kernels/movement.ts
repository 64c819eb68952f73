/**
 * Data-movement kernels: transpose, broadcast, slice, pad, concatenate, flip, gather and its
 * adjoint scatter-add. Reshape needs no kernel: arrays are immutable, so a reshaped array shares
 * its buffer.
 *
 * @category kernels
 * @since 0.1.0
 */
import { allocate, allocateUninit } from '../dtype'
import { NdArray } from '../NdArray'
import { sizeOf, stridesOf, type Shape } from '../shape'
import { at } from '../../internal/at'
import { markUniform } from './uniform'

/** Same data, new shape (sizes must agree; checked by the caller). */
export const reshape = (x: NdArray, shape: Shape): NdArray => new NdArray(shape, x.dtype, x._data)

/** Rows at least this long that read consecutive elements are copied with one `set` (a memory copy). */
const RUN_MIN = 32

/**
 * The same copy over fewer axes: size-1 axes dropped, and each axis merged into the one before it
 * when the two read consecutively (the outer stride is the inner stride times the inner size), so
 * the elements and their order are unchanged. A transpose that keeps the trailing axes together
 * (NCHW → CNHW) then reads whole H·W planes as one row.
 */
const coalesce = (shape: Shape, strides: ReadonlyArray<number>): [number[], number[]] => {
  const sizes: number[] = []
  const steps: number[] = []
  for (let i = 0; i < shape.length; i++) {
    const n = at(shape, i)
    const st = at(strides, i, 'stridedCopy: strides')
    if (n === 1) continue
    const j = sizes.length - 1
    if (j >= 0 && steps[j] === st * n) {
      sizes[j] = (sizes[j] as number) * n
      steps[j] = st
    } else {
      sizes.push(n)
      steps.push(st)
    }
  }
  return [sizes, steps]
}

/**
 * Copies `x` into a new row-major array of shape `outShape` where output axis `i` reads input
 * element `offset + Σ idx[i]·srcStrides[i]`. Every movement op below is this loop with its own
 * strides and offset.
 */
const stridedCopy = (x: NdArray, outShape: Shape, srcStrides: ReadonlyArray<number>, offset: number): NdArray => {
  const n = sizeOf(outShape)
  const out = allocateUninit(x.dtype, n) // the loop writes every element
  const d = x._data
  const [shape, strides] = coalesce(outShape, srcStrides)
  const nd = shape.length
  if (n === 0) return new NdArray(outShape, x.dtype, out)
  if (nd === 0) {
    out[0] = d[offset] as number
    return new NdArray(outShape, x.dtype, out)
  }
  const last = at(shape, nd - 1)
  const ls = at(strides, nd - 1)
  // same typed-array kind (the dtype's): `set` copies the elements' bytes
  const copyRun = ls === 1 && last >= RUN_MIN ? (out as Float64Array) : null
  const idx = new Array<number>(nd).fill(0)
  let src = offset
  let k = 0
  for (;;) {
    if (copyRun !== null) {
      copyRun.set((d as Float64Array).subarray(src, src + last), k)
      k += last
    } else if (ls === 1) {
      for (let j = 0; j < last; j++) out[k++] = d[src + j] as number
    } else {
      for (let j = 0; j < last; j++) out[k++] = d[src + j * ls] as number
    }
    let ax = nd - 2
    for (; ax >= 0; ax--) {
      src += strides[ax] as number
      idx[ax] = (idx[ax] as number) + 1
      if ((idx[ax] as number) < (shape[ax] as number)) break
      src -= (strides[ax] as number) * (shape[ax] as number)
      idx[ax] = 0
    }
    if (ax < 0) break
  }
  return new NdArray(outShape, x.dtype, out)
}

/** Permutes axes: output axis i is input axis perm[i]. */
export const transpose = (x: NdArray, perm: ReadonlyArray<number>): NdArray => {
  const strides = stridesOf(x.shape)
  const outShape = perm.map((p) => at(x.shape, p, 'transpose: perm'))
  const src = perm.map((p) => at(strides, p, 'transpose: perm'))
  if (x.ndim === 2 && perm[0] === 1 && x.size > 64) return transpose2d(x)
  return stridedCopy(x, outShape, src, 0)
}

/** Cache-blocked 2-D transpose. */
const transpose2d = (x: NdArray): NdArray => {
  const r = at(x.shape, 0)
  const c = at(x.shape, 1)
  const d = x._data
  const out = allocateUninit(x.dtype, r * c) // every element written
  const B = 32
  for (let i0 = 0; i0 < r; i0 += B) {
    const i1 = Math.min(r, i0 + B)
    for (let j0 = 0; j0 < c; j0 += B) {
      const j1 = Math.min(c, j0 + B)
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * r + i] = d[i * c + j] as number
    }
  }
  return new NdArray([c, r], x.dtype, out)
}

/**
 * Broadcasts `x` into `shape`: input axis i becomes output axis dims[i] (JAX's
 * broadcast_in_dim); input axes of size 1 may stretch.
 */
export const broadcastInDim = (x: NdArray, shape: Shape, dims: ReadonlyArray<number>): NdArray => {
  const own = stridesOf(x.shape)
  const src = new Array<number>(shape.length).fill(0)
  dims.forEach((d, i) => {
    src[d] = x.shape[i] === 1 ? 0 : at(own, i, 'broadcastInDim: dims')
  })
  if (x.size === 1) {
    const out = allocateUninit(x.dtype, sizeOf(shape))
    out.fill(x._data[0] as number)
    markUniform(out, out[0] as number)
    return new NdArray(shape, x.dtype, out)
  }
  return stridedCopy(x, shape, src, 0)
}

/** Strided slice with positive steps: output axis i takes start[i], start[i]+step[i], … below limit[i]. */
export const slice = (
  x: NdArray,
  starts: ReadonlyArray<number>,
  limits: ReadonlyArray<number>,
  steps: ReadonlyArray<number>,
): NdArray => {
  const strides = stridesOf(x.shape)
  const outShape = starts.map((s, i) =>
    Math.max(0, Math.ceil((at(limits, i, 'slice: limits') - s) / at(steps, i, 'slice: steps'))),
  )
  let offset = 0
  starts.forEach((s, i) => {
    offset += s * at(strides, i, 'slice: starts')
  })
  return stridedCopy(
    x,
    outShape,
    strides.map((s, i) => s * at(steps, i, 'slice: steps')),
    offset,
  )
}

/** Reverses the given axes. */
export const flip = (x: NdArray, axes: ReadonlyArray<number>): NdArray => {
  const strides = stridesOf(x.shape)
  let offset = 0
  const src = strides.map((s, i) => {
    if (!axes.includes(i)) return s
    offset += (at(x.shape, i) - 1) * s
    return -s
  })
  return stridedCopy(x, x.shape, src, offset)
}

/**
 * Pads with `value`: lo[i] elements before, hi[i] after and interior[i] between neighbours of
 * axis i (all non-negative; JAX's pad).
 */
export const pad = (
  x: NdArray,
  lo: ReadonlyArray<number>,
  hi: ReadonlyArray<number>,
  interior: ReadonlyArray<number>,
  value: number,
): NdArray => {
  const outShape = x.shape.map((d, i) =>
    d === 0
      ? at(lo, i, 'pad: lo') + at(hi, i, 'pad: hi')
      : d + at(lo, i, 'pad: lo') + at(hi, i, 'pad: hi') + (d - 1) * at(interior, i, 'pad: interior'),
  )
  const n = sizeOf(outShape)
  const out = allocate(x.dtype, n)
  if (value !== 0) out.fill(value)
  if (x.size === 0) return new NdArray(outShape, x.dtype, out)
  const os = stridesOf(outShape)
  let base = 0
  lo.forEach((l, i) => {
    base += l * at(os, i, 'pad: lo')
  })
  const ds = os.map((s, i) => s * (at(interior, i, 'pad: interior') + 1))
  const d = x._data
  const nd = x.ndim
  if (nd === 0) {
    out[base] = d[0] as number
    return new NdArray(outShape, x.dtype, out)
  }
  const last = at(x.shape, nd - 1)
  const ls = at(ds, nd - 1)
  const rows = x.size / last
  const idx = new Array<number>(nd).fill(0)
  let dst = base
  let k = 0
  for (let r = 0; r < rows; r++) {
    if (ls === 1) {
      out.set(d.subarray(k, k + last), dst)
      k += last
    } else {
      for (let j = 0; j < last; j++) out[dst + j * ls] = d[k++] as number
    }
    for (let ax = nd - 2; ax >= 0; ax--) {
      dst += ds[ax] as number
      idx[ax] = (idx[ax] as number) + 1
      if ((idx[ax] as number) < (x.shape[ax] as number)) break
      dst -= (ds[ax] as number) * (x.shape[ax] as number)
      idx[ax] = 0
    }
  }
  return new NdArray(outShape, x.dtype, out)
}

/** Joins arrays of one dtype along `axis`. */
export const concatenate = (xs: ReadonlyArray<NdArray>, axis: number): NdArray => {
  const first = at(xs, 0, 'concatenate: arrays')
  const outShape = first.shape.slice()
  outShape[axis] = xs.reduce((s, x) => s + at(x.shape, axis, 'concatenate: axis'), 0)
  const out = allocate(first.dtype, sizeOf(outShape))
  const outer = sizeOf(outShape.slice(0, axis))
  const inner = sizeOf(outShape.slice(axis + 1))
  const rowOut = at(outShape, axis) * inner
  let col = 0
  for (const x of xs) {
    const w = at(x.shape, axis, 'concatenate: axis') * inner
    const d = x._data
    for (let o = 0; o < outer; o++) out.set(d.subarray(o * w, o * w + w), o * rowOut + col)
    col += w
  }
  return new NdArray(outShape, first.dtype, out)
}

/**
 * Gathers along `axis` with int32 `indices` (already non-negative and in range): the output
 * shape is x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:].
 */
export const gather = (x: NdArray, indices: NdArray, axis: number): NdArray => {
  const outer = sizeOf(x.shape.slice(0, axis))
  const n = at(x.shape, axis, 'gather: axis')
  const inner = sizeOf(x.shape.slice(axis + 1))
  const m = indices.size
  const idx = indices._data
  const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)]
  const out = allocate(x.dtype, outer * m * inner)
  const d = x._data
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * n + (idx[j] as number)) * inner
      const dst = (o * m + j) * inner
      if (inner === 1) out[dst] = d[src] as number
      else out.set(d.subarray(src, src + inner), dst)
    }
  }
  return new NdArray(outShape, x.dtype, out)
}

/**
 * The adjoint of {@link gather}: adds `updates` (shape x.shape[:axis] ++ indices.shape ++
 * x.shape[axis+1:]) into zeros of `shape` at the gathered positions; repeated indices add up.
 */
export const scatterAdd = (shape: Shape, indices: NdArray, updates: NdArray, axis: number): NdArray => {
  const outer = sizeOf(shape.slice(0, axis))
  const n = at(shape, axis, 'scatterAdd: axis')
  const inner = sizeOf(shape.slice(axis + 1))
  const m = indices.size
  const idx = indices._data
  const out = allocate(updates.dtype, sizeOf(shape))
  const u = updates._data
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * n + (idx[j] as number)) * inner
      const src = (o * m + j) * inner
      for (let i = 0; i < inner; i++) out[dst + i] = (out[dst + i] as number) + (u[src + i] as number)
    }
  }
  return new NdArray(shape, updates.dtype, out)
}
