/**
 * Basic slicing and `take` (integer indices along an axis, with JAX's out-of-range modes).
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import { isAbstract } from '../core/trace'
import { axisOptions, type AxisOr } from '../internal/options'
import { array } from '../ndarray/create'
import { DTypeError, ShapeError, ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { normalizeAxis } from '../ndarray/shape'
import { asArray, type ArrayLike } from './convert'
import { checkTakeMode, gatherFill, takeMode, TAKE_KEYS, type TakeOptions } from './takeGather'

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
