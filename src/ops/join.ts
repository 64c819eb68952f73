/**
 * Joining and splitting arrays: concat, stack, split.
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import { requireList } from '../internal/args'
import type { AxisOr } from '../internal/options'
import { promoteTypes } from '../ndarray/dtype'
import { ShapeError, ValueError, fmtTuple } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxis, requireIntList, shapesEqual } from '../ndarray/shape'
import { oneAxis, type AxisOption } from './axisArgs'
import { asArray, type ArrayLike } from './convert'
import { expandDims } from './reshape'

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
