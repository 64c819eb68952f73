/**
 * Layout and indexing: reshape, squeeze, broadcast, concatenate, stack, split, slice, take,
 * pad, flip, tile, repeat, astype.
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import { isAbstract } from '../core/trace'
import * as _ from '../internal/dual'
import { requireList, requireNumberOrList } from '../internal/args'
import { axisOptions, checkOptions, describeValue, type AxisOr } from '../internal/options'
import { array, setArrayFill } from '../ndarray/create'
import { checkDType, promoteTypes, type DType } from '../ndarray/dtype'
import { ShapeError, ValueError, DTypeError, fmtTuple } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import * as O from 'fp-ts/Option'
import {
  tryBroadcastShapes,
  checkShape,
  normalizeAxes,
  requireIntList,
  normalizeAxis,
  resolveReshape,
  shapesEqual,
} from '../ndarray/shape'
import { asArray, type ArrayLike } from './convert'
import { checkTakeMode, gatherFill, takeMode, TAKE_KEYS, type TakeOptions } from './takeGather'
import { where } from './elementwise'

/**
 * New shape for the same data (one axis may be -1).
 * @example
 * import { reshape, arange } from 'wengert'
 * assert.deepStrictEqual(reshape(arange(6), [2, -1]).shape, [2, 3])
 * @category ops @since 0.1.0
 */
export const reshape = _.dual('reshape', (x: ArrayLike, shape: ReadonlyArray<number>): NdArray => {
  const a = asArray('reshape', x)
  return lax.reshape(a, resolveReshape('reshape', a.shape, shape))
})

/**
 * 1-D view of all elements.
 * @example
 * import { flatten, array } from 'wengert'
 * assert.deepStrictEqual(flatten(array([[1, 2], [3, 4]])).toArray(), [1, 2, 3, 4])
 * @category ops @since 0.1.0
 */
export const flatten = (x: ArrayLike): NdArray => {
  const a = asArray('flatten', x)
  return lax.reshape(a, [a.size])
}

/**
 * Removes size-1 axes (all, or the given ones, which must have size 1).
 * @example
 * import { squeeze, zeros } from 'wengert'
 * assert.deepStrictEqual(squeeze(zeros([1, 3, 1])).shape, [3])
 * assert.deepStrictEqual(squeeze(zeros([1, 3, 1]), 0).shape, [3, 1])
 * @category ops @since 0.1.0
 */
export const squeeze = _.dual(
  'squeeze',
  (x: ArrayLike, axisOrOpts?: AxisOr<AxesOption>): NdArray => {
    const axis = axisOptions('squeeze', axisOrOpts, AXIS_KEY).axis
    const a = asArray('squeeze', x)
    const axes =
      axis === undefined
        ? a.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
        : normalizeAxes('squeeze', axis, a.ndim)
    for (const i of axes) {
      if (a.shape[i] !== 1)
        throw new ShapeError(
          `squeeze: cannot select an axis to squeeze out which has size not equal to one, got shape=${fmtTuple(a.shape)} and dimensions=${fmtTuple([i])}`,
        )
    }
    return lax.reshape(
      a,
      a.shape.filter((_, i) => !axes.includes(i)),
    )
  },
  { numberIsData: false },
)

/**
 * Inserts a size-1 axis at `axis` (negative counts in the result).
 * @example
 * import { expandDims, zeros } from 'wengert'
 * assert.deepStrictEqual(expandDims(zeros([3]), 0).shape, [1, 3])
 * assert.deepStrictEqual(expandDims(zeros([3]), -1).shape, [3, 1])
 * @category ops @since 0.1.0
 */
export const expandDims = _.dual(
  'expandDims',
  (x: ArrayLike, axisOrOpts: AxisOr<AxesOption>): NdArray => {
    const axis = axisOptions('expandDims', axisOrOpts, AXIS_KEY).axis
    if (axis === undefined) throw new ValueError('expandDims: an axis is required')
    const a = asArray('expandDims', x)
    const list = typeof axis === 'number' ? [axis] : axis
    const nd = a.ndim + list.length
    const axes = normalizeAxes('expandDims', list, nd)
    const shape: number[] = []
    let k = 0
    for (let i = 0; i < nd; i++) shape.push(axes.includes(i) ? 1 : (a.shape[k++] as number))
    return lax.reshape(a, shape)
  },
  { numberIsData: false },
)

/**
 * Broadcasts to `shape` by NumPy's rule.
 * @example
 * import { broadcastTo, array } from 'wengert'
 * assert.deepStrictEqual(broadcastTo(array([1, 2]), [2, 2]).toArray(), [[1, 2], [1, 2]])
 * @category ops @since 0.1.0
 */
export const broadcastTo = _.dual('broadcastTo', (x: ArrayLike, shape: ReadonlyArray<number>): NdArray => {
  const a = asArray('broadcastTo', x)
  const target = checkShape('broadcastTo', requireIntList('broadcastTo', 'shape', shape)) // a copy: the result must not share the caller's list
  const b = tryBroadcastShapes(a.shape, target)
  if (O.isNone(b) || !shapesEqual(b.value, target)) {
    throw new ShapeError(
      target.length < a.ndim
        ? `broadcastTo: Cannot broadcast to shape with fewer dimensions: arr_shape=${fmtTuple(a.shape)} shape=${fmtTuple(target)}`
        : `broadcastTo: Incompatible shapes for broadcasting: ${fmtTuple(a.shape)} and requested shape ${fmtTuple(target)}`,
    )
  }
  return lax.broadcastTo(a, target)
})

// `full(shape, arrayFill)` is JAX's `broadcast_to(asarray(fill, dtype), shape)`: differentiable and staged
setArrayFill((shape, value, dtype) => {
  try {
    return broadcastTo(dtype === undefined ? value : lax.cast(value, dtype), shape)
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(e.message.replace(/^broadcastTo:/, 'full:'))
    throw e
  }
})

/** Options holding one axis (the second form of an op's positional axis). */
export interface AxisOption {
  readonly axis?: number
}
/** Options holding one axis or several. */
export interface AxesOption {
  readonly axis?: number | ReadonlyArray<number>
}
const AXIS_KEY: ReadonlyArray<'axis'> = ['axis']

/** The single axis of `op` given positionally or as `{ axis }` (default `dflt`). */
const oneAxis = <D extends number | undefined>(
  op: string,
  arg: AxisOr<AxisOption> | undefined,
  dflt: D,
): number | D => {
  const a = axisOptions<AxesOption>(op, arg, AXIS_KEY).axis
  if (Array.isArray(a)) throw new ValueError(`${op}: axis must be a single integer, got the JS array [${a.join(', ')}]`)
  return (a as number | undefined) ?? dflt
}

/** The arrays cast to the dtype they promote to together (the lattice of `promoteTypes`). */
const sameDType = (xs: ReadonlyArray<NdArray>): NdArray[] => {
  const dtype = xs.map((x) => x.dtype).reduce(promoteTypes)
  return xs.map((x) => lax.cast(x, dtype))
}

/**
 * Joins arrays along an existing axis (default 0).
 * @example
 * import { concat, array } from 'wengert'
 * assert.deepStrictEqual(concat([array([1, 2]), array([3])]).toArray(), [1, 2, 3])
 * @category ops @since 0.1.0
 */
export const concat = (xs: ReadonlyArray<ArrayLike>, axisOrOpts?: AxisOr<AxisOption>): NdArray => {
  const axis = oneAxis('concat', axisOrOpts, 0)
  const list = requireList('concat', 'the first argument', xs) as ReadonlyArray<ArrayLike>
  if (list.length === 0) throw new ValueError('concat: Need at least one array to concatenate.')
  const arrays = sameDType(list.map((x) => asArray('concat', x)))
  const first = arrays[0] as NdArray
  if (first.ndim === 0) throw new ShapeError('concat: Zero-dimensional arrays cannot be concatenated.')
  const ax = normalizeAxis('concat', axis, first.ndim)
  arrays.forEach((a, i) => {
    if (a.ndim !== first.ndim || a.shape.some((d, j) => j !== ax && d !== first.shape[j])) {
      const shapes = arrays.map((x) => fmtTuple(x.shape)).join(', ')
      throw new ShapeError(
        a.ndim !== first.ndim
          ? `concat: Cannot concatenate arrays with different numbers of dimensions: got ${shapes}.`
          : `concat: Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension ${ax} for shapes ${shapes} (array ${i} differs from array 0 outside axis ${ax}).`,
      )
    }
  })
  return arrays.length === 1 ? first : lax.concatenate(arrays, ax)
}

/**
 * Joins arrays of one shape along a new axis.
 * @example
 * import { stack, array } from 'wengert'
 * assert.deepStrictEqual(stack([array([1, 2]), array([3, 4])], 1).toArray(), [[1, 3], [2, 4]])
 * @category ops @since 0.1.0
 */
export const stack = (xs: ReadonlyArray<ArrayLike>, axisOrOpts?: AxisOr<AxisOption>): NdArray => {
  const axis = oneAxis('stack', axisOrOpts, 0)
  const list = requireList('stack', 'the first argument', xs) as ReadonlyArray<ArrayLike>
  if (list.length === 0) throw new ValueError('stack: Need at least one array to stack.')
  const arrays = list.map((x) => asArray('stack', x))
  const first = arrays[0] as NdArray
  arrays.forEach((a, i) => {
    if (!shapesEqual(a.shape, first.shape))
      throw new ShapeError(
        `stack: All input arrays must have the same shape: array ${i} has ${fmtTuple(a.shape)}, array 0 has ${fmtTuple(first.shape)}`,
      )
  })
  const ax = normalizeAxis('stack', axis, first.ndim + 1)
  return concat(
    arrays.map((a) => expandDims(a, ax)),
    ax,
  )
}

/**
 * Splits into `sections` equal parts, or at the given indices, along `axis`.
 * @example
 * import { split, arange } from 'wengert'
 * assert.deepStrictEqual(split(arange(6), 3).map((p) => p.toArray()), [[0, 1], [2, 3], [4, 5]])
 * assert.deepStrictEqual(split(arange(6), [1, -2]).map((p) => p.size), [1, 3, 2])
 * @category ops @since 0.1.0
 */
export const split = (
  x: ArrayLike,
  sections: number | ReadonlyArray<number>,
  axisOrOpts?: AxisOr<AxisOption>,
): NdArray[] => {
  const axis = oneAxis('split', axisOrOpts, 0)
  const a = asArray('split', x)
  const ax = normalizeAxis('split', axis, a.ndim)
  const n = a.shape[ax] as number
  let cuts: number[]
  if (typeof sections === 'number') {
    if (!Number.isInteger(sections) || sections <= 0 || n % sections !== 0) {
      throw new ValueError(
        `split: array split does not result in an equal division: an axis of size ${n} cannot be split into ${sections} equal sections`,
      )
    }
    cuts = Array.from({ length: sections - 1 }, (_, i) => ((i + 1) * n) / sections)
  } else {
    requireIntList('split', 'sections', sections)
    const bad = sections.find((c) => !Number.isInteger(c))
    if (bad !== undefined) throw new ValueError(`split: indices must be integers, got ${bad}`)
    // Python slicing: negative indices count from the end
    cuts = sections.map((c) => (c < 0 ? c + n : c))
  }
  const bounds = [0, ...cuts.map((c) => Math.min(Math.max(c, 0), n)), n]
  const out: NdArray[] = []
  for (let i = 0; i + 1 < bounds.length; i++) {
    const s = bounds[i] as number
    const e = Math.max(s, bounds[i + 1] as number)
    out.push(
      lax.slice(
        a,
        a.shape.map((_, j) => (j === ax ? s : 0)),
        a.shape.map((d, j) => (j === ax ? e : d)),
        a.shape.map(() => 1),
      ),
    )
  }
  return out
}

/** One axis of a slice: `[start, stop, step]` with Python's rules (negative indices, null for defaults), or a single index. */
export type SliceSpec =
  number | readonly [number | null | undefined, (number | null | undefined)?, (number | null | undefined)?] | null

/**
 * Basic slicing: one spec per leading axis (missing axes are taken whole). A number selects
 * (and drops) an axis; `[start, stop, step]` follows Python, negative steps included.
 * @example
 * import { slice, arange } from 'wengert'
 * assert.deepStrictEqual(slice(arange(10), [[1, 7, 2]]).toArray(), [1, 3, 5])
 * assert.deepStrictEqual(slice(arange(5), [[null, null, -1]]).toArray(), [4, 3, 2, 1, 0])
 * @category ops @since 0.1.0
 */
export const slice = (x: ArrayLike, specs: ReadonlyArray<SliceSpec>): NdArray => {
  const a = asArray('slice', x)
  if (specs.length > a.ndim)
    throw new ShapeError(`slice: ${specs.length} axes indexed but the array has rank ${a.ndim}`)
  const starts: number[] = []
  const limits: number[] = []
  const steps: number[] = []
  const flipAxes: number[] = []
  const dropAxes: number[] = []
  a.shape.forEach((n, i) => {
    const sp = specs[i]
    if (sp === undefined || sp === null) {
      starts.push(0)
      limits.push(n)
      steps.push(1)
      return
    }
    if (typeof sp === 'number') {
      const k = sp < 0 ? sp + n : sp
      if (!Number.isInteger(sp) || k < 0 || k >= n)
        throw new ShapeError(`slice: index ${sp} is out of bounds for axis ${i} with size ${n}`)
      starts.push(k)
      limits.push(k + 1)
      steps.push(1)
      dropAxes.push(i)
      return
    }
    const step = sp[2] ?? 1
    if (!Number.isInteger(step) || step === 0)
      throw new ValueError(`slice: step must be a non-zero integer, got ${step}`)
    for (const v of [sp[0], sp[1]]) {
      if (v !== null && v !== undefined && !Number.isInteger(v))
        throw new ValueError(`slice: start and stop must be integers or null, got ${v} for axis ${i}`)
    }
    const norm = (v: number | null | undefined, dflt: number, lo: number, hi: number): number => {
      if (v === null || v === undefined) return dflt
      const w = v < 0 ? v + n : v
      return Math.min(Math.max(w, lo), hi)
    }
    if (step > 0) {
      const s = norm(sp[0], 0, 0, n)
      const e = norm(sp[1], n, 0, n)
      starts.push(s)
      limits.push(Math.max(s, e))
      steps.push(step)
    } else {
      // Python: start defaults to n-1, stop to "before 0"; map onto the flipped axis
      const s = norm(sp[0], n - 1, -1, n - 1)
      const e = sp[1] === null || sp[1] === undefined ? -1 : norm(sp[1], -1, -1, n - 1)
      const fs = n - 1 - s
      const fe = n - 1 - e
      starts.push(fs)
      limits.push(Math.max(fs, fe))
      steps.push(-step)
      flipAxes.push(i)
    }
  })
  const src = flipAxes.length ? lax.flip(a, flipAxes) : a
  const r = lax.slice(src, starts, limits, steps)
  return dropAxes.length
    ? lax.reshape(
        r,
        r.shape.filter((_, i) => !dropAxes.includes(i)),
      )
    : r
}

/** Integer indices as (nested) JS lists. */
export type IndexList = ReadonlyArray<number | IndexList>

/**
 * Takes elements along `axis` (default: of the flattened array) at integer `indices` (negative
 * indices count from the end). Out-of-range indices follow `mode`, as in `jnp.take`: 'fill'
 * gives `fillValue` (default NaN for floats, the minimum for signed integers, the maximum for
 * unsigned ones, true for bool), 'clip' clamps to `[0, n-1]` (negative indices are not wrapped
 * first), 'wrap' takes them modulo n; 'raise' is not supported, as in JAX. Without `mode`, an
 * eager call raises a ShapeError at an out-of-range index, and traced indices (under `jit`,
 * `vmap`, `exportOnnx`: not read while tracing, an operand of the gather) use 'fill'.
 * `uniqueIndices` and `indicesAreSorted` are accepted as JAX's promises (no effect on values).
 * @example
 * import { take, array, arange } from 'wengert'
 * assert.deepStrictEqual(take(array([10, 20, 30]), [2, -3]).toArray(), [30, 10])
 * assert.deepStrictEqual(take(array([[1, 2], [3, 4]]), [1], 1).toArray(), [[2], [4]])
 * assert.deepStrictEqual(take(arange(5), [7, -1], { mode: 'clip' }).toArray(), [4, 0])
 * assert.deepStrictEqual(take(arange(5), [7, -6], { mode: 'wrap' }).toArray(), [2, 4])
 * assert.deepStrictEqual(take(arange(5), [7], { mode: 'fill', fillValue: -1 }).toArray(), [-1])
 * @category ops @since 0.1.0
 */
export const take = (x: ArrayLike, indices: ArrayLike | IndexList, axisOrOpts?: AxisOr<TakeOptions>): NdArray => {
  const o = axisOptions<TakeOptions>('take', axisOrOpts, TAKE_KEYS)
  if (Array.isArray(o.axis))
    throw new ValueError(`take: axis must be a single integer, got the JS array [${o.axis.join(', ')}]`)
  const mode = checkTakeMode(o.mode)
  let a = asArray('take', x)
  // JS lists (possibly nested) are read as float64 so that fractional entries are caught below
  // instead of being truncated by an Int32Array
  const idx0 = Array.isArray(indices)
    ? array(indices, { dtype: 'float64' })
    : asArray('take', indices as ArrayLike, undefined)
  if (idx0.dtype === 'bool') throw new DTypeError('take: indices must be integers, got dtype bool')
  // traced indices (jit, vmap, exportOnnx) are not read: they are gathered with at run time
  const traced = isAbstract(idx0)
  if (!traced && idx0.dtype !== 'int32') {
    const bad = Array.from(idx0.toTypedArray()).find((v) => !Number.isInteger(v))
    if (bad !== undefined) throw new DTypeError(`take: indices must be integers, got ${bad} (dtype ${idx0.dtype})`)
  }
  let ax: number
  if (o.axis === undefined) {
    a = lax.reshape(a, [a.size])
    ax = 0
  } else ax = normalizeAxis('take', o.axis as number, a.ndim)
  const fill = o.fillValue === undefined ? undefined : Number(o.fillValue)
  if (mode !== undefined) return takeMode(a, traced ? idx0 : lax.cast(idx0, 'int32'), ax, mode, fill)
  if (traced) return gatherFill('take', a, idx0, ax, fill)
  const n = a.shape[ax] as number
  const raw = idx0.toTypedArray()
  const fixed = new Int32Array(raw.length)
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i] as number
    const w = v < 0 ? v + n : v
    // JAX's default mode is 'fill' also for concrete indices: out of range gives the fill value
    if (w < 0 || w >= n) return gatherFill('take', a, lax.cast(idx0, 'int32'), ax, fill)
    fixed[i] = w
  }
  return lax.gather(a, new NdArray(idx0.shape, 'int32', fixed), ax)
}

/** Options of pad. */
export interface PadOptions {
  /** Fill value (default 0). */
  readonly constantValue?: number
  /** NumPy's padding mode: only `'constant'` (the default) is supported; the others raise. */
  readonly mode?: 'constant'
}

// jnp.pad's other modes: named, but not implemented here (they raise rather than pad with zeros)
const UNSUPPORTED_PAD_MODES = [
  'edge',
  'linear_ramp',
  'maximum',
  'mean',
  'median',
  'minimum',
  'reflect',
  'symmetric',
  'wrap',
  'empty',
]

/** Refuses unknown options and every padding mode but 'constant' (JAX: "Unimplemented padding mode"). */
const checkPadOptions = (opts: PadOptions): void => {
  checkOptions('pad', opts, ['constantValue', 'mode'])
  const mode: unknown = opts.mode
  if (mode === undefined || mode === 'constant') return
  if (typeof mode === 'string' && UNSUPPORTED_PAD_MODES.includes(mode))
    throw new ValueError(`pad: padding mode '${mode}' is not supported; only 'constant' is (pad with constantValue)`)
  throw new ValueError(`pad: Unimplemented padding mode ${describeValue(mode)} for np.pad`)
}

/** The (before, after) widths of every axis: one number, one pair for all axes, or one pair per axis. */
const padPairs = (widths: unknown, ndim: number): Array<readonly [number, number]> => {
  if (typeof widths === 'number') return Array.from({ length: ndim }, () => [widths, widths] as const)
  const isPair = (u: unknown): u is readonly [number, number] =>
    Array.isArray(u) && u.length === 2 && u.every((d) => typeof d === 'number')
  if (isPair(widths)) return Array.from({ length: ndim }, () => widths)
  if (Array.isArray(widths) && widths.every(isPair)) return [...widths]
  throw new ValueError(
    `pad: widths must be a number, a [before, after] pair or a list of pairs, got ${describeValue(widths)}`,
  )
}

/**
 * Pads with a constant: `widths` is one `[before, after]` per axis, or one pair for all axes,
 * or one number for all sides.
 * @example
 * import { pad, array } from 'wengert'
 * assert.deepStrictEqual(pad(array([1, 2]), [1, 2]).toArray(), [0, 1, 2, 0, 0])
 * assert.deepStrictEqual(pad(array([1]), 1, { constantValue: 9 }).toArray(), [9, 1, 9])
 * @category ops @since 0.1.0
 */
export const pad = (
  x: ArrayLike,
  widths: number | readonly [number, number] | ReadonlyArray<readonly [number, number]>,
  opts: PadOptions = {},
): NdArray => {
  checkPadOptions(opts)
  const a = asArray('pad', x)
  const pairs = padPairs(widths, a.ndim)
  if (pairs.length !== a.ndim)
    throw new ShapeError(`pad: got ${pairs.length} pad widths for an array of rank ${a.ndim}`)
  for (const [lo, hi] of pairs) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi))
      throw new ValueError(`pad: widths must be integers, got [${lo}, ${hi}]`)
    // NumPy's and JAX's wording for a negative width
    if (lo < 0 || hi < 0) throw new ValueError(`pad: index can't contain negative values, got [${lo}, ${hi}]`)
  }
  return lax.pad(
    a,
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
    pairs.map(() => 0),
    opts.constantValue ?? 0,
  )
}

/**
 * Reverses the given axes (default all).
 * @example
 * import { flip, array } from 'wengert'
 * assert.deepStrictEqual(flip(array([[1, 2], [3, 4]]), 1).toArray(), [[2, 1], [4, 3]])
 * @category ops @since 0.1.0
 */
export const flip = _.dual(
  'flip',
  (x: ArrayLike, axisOrOpts?: AxisOr<AxesOption>): NdArray => {
    const axis = axisOptions('flip', axisOrOpts, AXIS_KEY).axis
    const a = asArray('flip', x)
    return lax.flip(a, normalizeAxes('flip', axis, a.ndim))
  },
  { numberIsData: false },
)

/**
 * Repeats the whole array `reps` times along each axis (NumPy's tile).
 * @example
 * import { tile, array } from 'wengert'
 * assert.deepStrictEqual(tile(array([1, 2]), 2).toArray(), [1, 2, 1, 2])
 * assert.deepStrictEqual(tile(array([1, 2]), [2, 1]).toArray(), [[1, 2], [1, 2]])
 * @category ops @since 0.1.0
 */
export const tile = _.dual(
  'tile',
  (x: ArrayLike, reps: number | ReadonlyArray<number>): NdArray => {
    let a = asArray('tile', x)
    const rs = requireNumberOrList('tile', 'reps', reps)
    const r = typeof rs === 'number' ? [rs] : [...rs]
    const bad = r.find((k) => !Number.isInteger(k) || k < 0)
    if (bad !== undefined) throw new ValueError(`tile: reps must be non-negative integers, got ${bad}`)
    const nd = Math.max(a.ndim, r.length)
    a = lax.reshape(a, [...Array(nd - a.ndim).fill(1), ...a.shape])
    const rr = [...Array(nd - r.length).fill(1), ...r] as number[]
    // broadcast to [r0, d0, r1, d1, …] then merge pairs
    const big: number[] = []
    const dims: number[] = []
    a.shape.forEach((d, i) => {
      big.push(rr[i] as number, d)
      dims.push(2 * i + 1)
    })
    const b = lax.broadcastInDim(a, big, dims)
    return lax.reshape(
      b,
      a.shape.map((d, i) => d * (rr[i] as number)),
    )
  },
  { numberIsData: false },
)

/**
 * Repeats each element `repeats` times along `axis` (default: flattened).
 * @example
 * import { repeat, array } from 'wengert'
 * assert.deepStrictEqual(repeat(array([1, 2]), 2).toArray(), [1, 1, 2, 2])
 * @category ops @since 0.1.0
 */
export const repeat = (x: ArrayLike, repeats: number, axisOrOpts?: AxisOr<AxisOption>): NdArray => {
  const axis = oneAxis('repeat', axisOrOpts, undefined)
  let a = asArray('repeat', x)
  if (!Number.isInteger(repeats) || repeats < 0)
    throw new ValueError(`repeat: repeats must be a non-negative integer, got ${repeats}`)
  let ax: number
  if (axis === undefined) {
    a = lax.reshape(a, [a.size])
    ax = 0
  } else ax = normalizeAxis('repeat', axis, a.ndim)
  const big = [...a.shape.slice(0, ax + 1), repeats, ...a.shape.slice(ax + 1)]
  const dims = a.shape.map((_, i) => (i <= ax ? i : i + 1))
  const b = lax.broadcastInDim(a, big, dims)
  return lax.reshape(
    b,
    a.shape.map((d, i) => (i === ax ? d * repeats : d)),
  )
}

/**
 * Converts to another dtype (float → int truncates toward zero).
 * @example
 * import { astype, array } from 'wengert'
 * assert.deepStrictEqual(astype(array([1.7, -1.7]), 'int32').toArray(), [1, -1])
 * assert.deepStrictEqual(astype(array([0, 2]), 'bool').toArray(), [false, true])
 * @category ops @since 0.1.0
 */
export const astype = _.dual('astype', (x: ArrayLike, dtype: DType): NdArray =>
  lax.cast(asArray('astype', x), checkDType('astype', dtype)),
)

/**
 * Replaces elements where `mask` is true with `value`.
 * @example
 * import { maskedFill, array } from 'wengert'
 * assert.deepStrictEqual(maskedFill(array([1, 2, 3]), array([false, true, false]), 0).toArray(), [1, 0, 3])
 * @category ops @since 0.1.0
 */
export const maskedFill = (x: ArrayLike, mask: ArrayLike, value: ArrayLike): NdArray => where(mask, value, x)
