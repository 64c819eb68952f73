/**
 * Reshaping ops: reshape, flatten, squeeze, expandDims, broadcastTo.
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import * as _ from '../internal/dual'
import { axisOptions, type AxisOr } from '../internal/options'
import { ShapeError, ValueError, fmtTuple } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import * as O from 'fp-ts/Option'
import {
  tryBroadcastShapes,
  checkShape,
  normalizeAxes,
  requireIntList,
  resolveReshape,
  shapesEqual,
  withUnitAxes,
} from '../ndarray/shape'
import { AXIS_KEY, type AxesOption } from './axisArgs'
import { asArray, type ArrayLike } from './convert'

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
    return lax.reshape(a, withUnitAxes(a.shape, axes, nd))
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
