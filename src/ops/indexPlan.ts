/**
 * NumPy indexing turned into flat positions: an index (integers, slices, `null` for newaxis,
 * `'...'`, integer arrays, boolean masks) over `x` becomes, for every element of the indexed
 * result, its position in `x` flattened (int32, built with primitives so traced index arrays
 * work under `jit`/`vmap`), plus which positions are in bounds. `at(...).get/set/add/…` gather
 * from or scatter into the flattened array with them.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { iota } from '../core/primitives/matrixRules'
import { refuseAbstract } from '../core/trace'
import { array } from '../ndarray/create'
import { isInteger } from '../ndarray/dtype'
import { DTypeError, ShapeError, ValueError, fmtShape } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { tryBroadcastShapes } from '../ndarray/shape'
import * as O from 'fp-ts/Option'

/** Nested JS lists of integers or booleans (an index array). */
export type IndexArrayList = ReadonlyArray<number | boolean | IndexArrayList>

/**
 * One item of a NumPy index: an integer (negative counts from the end), a slice written as in
 * Python (`':'`, `'1:'`, `'::2'`, `'-3:-1'`), `'...'` (Ellipsis), `null` (newaxis), an integer
 * array or a boolean mask (an NdArray or nested JS lists).
 */
export type IndexItem = number | string | null | NdArray | IndexArrayList

/** How out-of-bounds indices behave (JAX's `GatherScatterMode`). */
export type IndexMode = 'promise_in_bounds' | 'clip' | 'drop' | 'fill'

/** One axis of `x` after expansion: a static slice or an index array (int32, may be traced). */
type Axis =
  | { readonly kind: 'slice'; readonly start: number; readonly step: number; readonly len: number }
  | { readonly kind: 'array'; readonly idx: NdArray }

/** The flat positions of an index over an array. */
export interface IndexPlan {
  /** Shape of the indexed result `x[idx]`. */
  readonly shape: ReadonlyArray<number>
  /** Flat position in `x` of each result element (int32, shape `shape`), clamped into range unless `valid` is given. */
  readonly flat: NdArray
  /** Where every index was in bounds (bool, shape `shape`); undefined for 'clip'/'promise_in_bounds'. */
  readonly valid: NdArray | undefined
  /** Number of elements of `x`. */
  readonly size: number
}

const parseSlice = (s: string, n: number): Axis => {
  const parts = s.split(':')
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p.trim() === '') return null
    const v = Number(p)
    if (!Number.isInteger(v)) throw new ValueError(`at: invalid slice '${s}': write e.g. ':', '1:3', '::2', '::-1'`)
    return v
  }
  if (parts.length < 2 || parts.length > 3)
    throw new ValueError(`at: invalid index '${s}': write e.g. ':', '1:3', '::2'`)
  const [a, b, c] = [num(parts[0]), num(parts[1]), num(parts[2])]
  const step = c ?? 1
  if (step === 0) throw new ValueError('slice step cannot be zero')
  const clampTo = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + n : v, lo), hi)
  const start = a === null ? (step > 0 ? 0 : n - 1) : clampTo(a, step > 0 ? 0 : -1, step > 0 ? n : n - 1)
  const stop = b === null ? (step > 0 ? n : -1) : clampTo(b, step > 0 ? 0 : -1, step > 0 ? n : n - 1)
  const len = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step))
  return { kind: 'slice', start, step, len }
}

/** An index array item as an NdArray: int (any) or bool; floats raise JAX's TypeError text. */
const indexArray = (it: NdArray | IndexArrayList, position: number): NdArray => {
  let a: NdArray
  if (it instanceof NdArray) a = it
  else {
    const flat = (it as ReadonlyArray<unknown>).flat(Infinity as 1) as ReadonlyArray<unknown>
    const allBool = flat.length > 0 && flat.every((v) => typeof v === 'boolean')
    a = array(it as IndexArrayList, allBool ? { dtype: 'bool' } : {})
    if (!allBool) {
      const bad = flat.find((v) => typeof v !== 'number' || !Number.isInteger(v))
      if (bad !== undefined) return floatIndexError(a.dtype, position, String(bad))
      a = lax.cast(a, 'int32')
    }
  }
  if (a.dtype !== 'bool' && !isInteger(a.dtype)) return floatIndexError(a.dtype, position, 'of an array')
  return a
}

const floatIndexError = (dtype: string, position: number, value: string): never => {
  throw new DTypeError(
    `Indexer must have integer or boolean type, got indexer with type ${dtype} at position ${position}, indexer value ${value}`,
  )
}

/** True coordinates of a concrete bool mask, one int32 array per mask axis. */
const maskCoords = (mask: NdArray): NdArray[] => {
  refuseAbstract(mask, 'at: a boolean mask index (its number of true elements sets the result shape)')
  const data = mask.toTypedArray()
  const hits: number[] = []
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) hits.push(i)
  return mask.shape.map((_, k) => {
    const stride = mask.shape.slice(k + 1).reduce((p, d) => p * d, 1)
    const d = mask.shape[k] as number
    return new NdArray(
      [hits.length],
      'int32',
      Int32Array.from(hits, (h) => Math.floor(h / stride) % d),
    )
  })
}

/** Expands the items over `shape`: newaxis dims inserted, ellipsis and trailing dims as full slices. */
const expand = (shape: ReadonlyArray<number>, items: ReadonlyArray<IndexItem>) => {
  const arrays = items.map((it, i) =>
    it !== null && typeof it === 'object' ? indexArray(it as NdArray | IndexArrayList, i) : undefined,
  )
  items.forEach((it, i) => {
    if (typeof it === 'number' && !Number.isInteger(it)) floatIndexError('float', i, String(it))
  })
  const consumed = items.reduce<number>((acc, it, i) => {
    const a = arrays[i]
    if (a !== undefined) return acc + (a.dtype === 'bool' ? a.ndim : 1)
    return acc + (it === null || it === '...' ? 0 : 1)
  }, 0)
  if (items.filter((it) => it === '...').length > 1)
    throw new ValueError('at: an index can only have a single ellipsis')
  if (consumed > shape.length)
    throw new ShapeError(
      `Too many indices: ${shape.length}-dimensional array indexed with ${consumed} regular indices.`,
    )
  const newShape: number[] = []
  const axes: Axis[] = []
  let dim = 0
  const take = (): number => shape[dim++] as number
  items.forEach((it, i) => {
    const a = arrays[i]
    if (it === null) {
      newShape.push(1)
      axes.push({ kind: 'slice', start: 0, step: 1, len: 1 })
    } else if (it === '...') {
      for (let k = 0; k < shape.length - consumed; k++) pushFull(take())
    } else if (typeof it === 'string') {
      const n = take()
      newShape.push(n)
      axes.push(parseSlice(it, n))
    } else if (typeof it === 'number') {
      newShape.push(take())
      axes.push({ kind: 'array', idx: lax.scalar(it, 'int32') })
    } else if (a !== undefined && a.dtype === 'bool') {
      a.shape.forEach((d, k) => {
        if (d !== shape[dim + k])
          throw new ShapeError(
            `at: boolean index of shape ${JSON.stringify(a.shape)} does not match the indexed axes of shape ${JSON.stringify(shape.slice(dim, dim + a.ndim))}`,
          )
      })
      for (const c of maskCoords(a)) {
        newShape.push(take())
        axes.push({ kind: 'array', idx: c })
      }
    } else if (a !== undefined) {
      newShape.push(take())
      axes.push({ kind: 'array', idx: lax.cast(a, 'int32') })
    }
  })
  function pushFull(n: number): void {
    newShape.push(n)
    axes.push({ kind: 'slice', start: 0, step: 1, len: n })
  }
  while (dim < shape.length) pushFull(take())
  return { newShape, axes }
}

/** The result shape (NumPy's rule for where the broadcast index axes go) and where each axis lands. */
const layout = (axes: ReadonlyArray<Axis>) => {
  const advDims = axes.flatMap((a, d) => (a.kind === 'array' ? [d] : []))
  const shapes = axes.flatMap((a) => (a.kind === 'array' ? [a.idx.shape] : []))
  const b = shapes.reduce<ReadonlyArray<number>>((acc, s) => {
    const r = tryBroadcastShapes(acc, s)
    if (O.isNone(r))
      throw new ShapeError(
        `shape mismatch: indexing arrays could not be broadcast together with shapes ${shapes.map(fmtShape).join(' ')}`,
      )
    return r.value
  }, [])
  const adjacent = advDims.every((d, i) => i === 0 || d === (advDims[i - 1] as number) + 1)
  const first = advDims[0] ?? 0
  // the broadcast axes start here in the result: at the first index array's place when the
  // index arrays are adjacent, else in front
  const bStart = advDims.length > 0 && adjacent ? axes.slice(0, first).filter((a) => a.kind === 'slice').length : 0
  const sliceLens = axes.flatMap((a) => (a.kind === 'slice' ? [a.len] : []))
  const shape = advDims.length === 0 ? sliceLens : [...sliceLens.slice(0, bStart), ...b, ...sliceLens.slice(bStart)]
  return { b, bStart, shape }
}

/**
 * The plan of `x[items]` for `x` of shape `shape`. Negative indices count from the end; indices
 * still out of bounds are clamped ('clip', 'promise_in_bounds') or marked invalid ('drop', 'fill').
 */
export const indexPlan = (
  shape: ReadonlyArray<number>,
  items: ReadonlyArray<IndexItem>,
  mode: IndexMode,
): IndexPlan => {
  const { newShape, axes } = expand(shape, items)
  const { b, bStart, shape: out } = layout(axes)
  const size = newShape.reduce((p, d) => p * d, 1)
  const strides = newShape.map((_, k) => newShape.slice(k + 1).reduce((p, d) => p * d, 1))
  const i32 = (v: number): NdArray => lax.scalar(v, 'int32')
  let flat = lax.broadcastInDim(i32(0), out, [])
  let valid: NdArray | undefined
  let sliceAxis = 0
  axes.forEach((a, d) => {
    const n = newShape[d] as number
    let c: NdArray
    if (a.kind === 'slice') {
      const r = sliceAxis < bStart || b.length === 0 ? sliceAxis : sliceAxis + b.length
      sliceAxis++
      const pos = lax.add(lax.mul(iota(a.len), i32(a.step)), i32(a.start))
      c = lax.broadcastInDim(pos, out, [r])
    } else {
      const bb = lax.broadcastTo(a.idx, b)
      const wrapped = lax.select(lax.lt(bb, i32(0)), lax.add(bb, i32(n)), bb)
      c = lax.broadcastInDim(
        wrapped,
        out,
        b.map((_, k) => bStart + k),
      )
      const inRange = lax.and(lax.ge(c, i32(0)), lax.lt(c, i32(n)))
      if (mode === 'drop' || mode === 'fill') valid = valid === undefined ? inRange : lax.and(valid, inRange)
      c = lax.select(lax.lt(c, i32(0)), i32(0), c)
      c = lax.select(lax.gt(c, i32(n - 1)), i32(Math.max(n - 1, 0)), c)
    }
    flat = lax.add(flat, lax.mul(c, i32(strides[d] as number)))
  })
  return { shape: out, flat, valid, size }
}
