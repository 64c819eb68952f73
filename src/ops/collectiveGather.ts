/**
 * `lax.allGather` (JAX: `jax.lax.all_gather(x, axis_name, axis=0, tiled=False)`): every element
 * of a named vmap axis receives the values of all elements, stacked along a new axis `axis` (or
 * concatenated along `axis` when `tiled`). Composed from the axis's collectives: element j of
 * the gathered axis is `psum(x · [axisIndex = j])`, so derivatives (psum is its own transpose:
 * each input's cotangent is the sum over the axis of the cotangents of its copies) and nested
 * vmaps come from psum's and axisIndex's rules, with no rule of its own.
 *
 * @category ops
 * @since 0.6.0
 */
import * as lax from '../core/lax'
import { ShapeError, ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { checkOptions, describeValue } from '../internal/options'
import { arange } from '../ndarray/create'
import { axisIndex, axisSize, psum } from './collective'
import { equal } from './elementwise'
import { mul } from './elementwise'
import { expandDims, reshape } from './layout'

/** Options of {@link allGather}. */
export interface AllGatherOptions {
  /** Where the gathered axis goes in the result (negative counts from the end). Default 0. */
  readonly axis?: number
  /** Concatenate along `axis` instead of stacking on a new axis. Default false. */
  readonly tiled?: boolean
  /** Not supported (JAX's `axis_index_groups`): passing it raises. */
  readonly axisIndexGroups?: never
}

/**
 * Gathers `x` from every element of the named vmap axis (JAX: `lax.all_gather`). The result is
 * the same for every element: shape `x.shape` with the axis size inserted at `axis` (or `axis`
 * multiplied by it when `tiled`).
 *
 * @example
 * import { vmap, lax, array, type NdArray } from 'wengert'
 * const g = vmap((x: NdArray) => lax.allGather(x, 'i'), { axisName: 'i' })(array([1, 2, 3]))
 * assert.deepStrictEqual(g.toArray(), [[1, 2, 3], [1, 2, 3], [1, 2, 3]])
 * @category ops
 * @since 0.6.0
 */
export const allGather = (x: NdArray | number, axisName: string, options: AllGatherOptions = {}): NdArray => {
  const api = 'all_gather'
  checkOptions(api, options, ['axis', 'tiled', 'axisIndexGroups'])
  if ((options as { readonly axisIndexGroups?: unknown }).axisIndexGroups !== undefined)
    throw new ValueError(`${api}: axisIndexGroups is not supported (every element of the axis takes part)`)
  if (typeof axisName !== 'string')
    throw new ValueError(`${api}: axisName must be one axis name (a string), got ${describeValue(axisName)}`)
  const v = typeof x === 'number' ? lax.scalar(x, Number.isInteger(x) ? 'int32' : 'float32') : x
  if (!(v instanceof NdArray)) throw new ValueError(`${api}: expected an array or a number, got ${describeValue(x)}`)
  const n = axisSize(axisName)
  const tiled = options.tiled === true
  const rank = tiled ? v.ndim : v.ndim + 1
  const axis0 = options.axis ?? 0
  if (!Number.isInteger(axis0) || axis0 < -rank || axis0 >= rank || (tiled && v.ndim === 0))
    throw new ShapeError(
      `${api}: axis ${String(axis0)} is out of bounds for ${tiled ? `tiled gathering of an array of rank ${v.ndim}` : `a result of rank ${rank}`}`,
    )
  const axis = axis0 < 0 ? axis0 + rank : axis0
  // one-hot of this element's index along the new axis: [n] → broadcastable against x at `axis`
  const hot = equal(arange(n, { dtype: 'int32' }), axisIndex(axisName))
  const shape = Array.from({ length: v.ndim + 1 }, (_, i) => (i === axis ? n : 1))
  const mask = lax.cast(reshape(hot, shape), v.dtype === 'bool' ? 'int32' : v.dtype)
  const stacked = psum(mul(expandDims(v.dtype === 'bool' ? lax.cast(v, 'int32') : v, axis), mask), axisName)
  const out = v.dtype === 'bool' ? lax.cast(stacked, 'bool') : stacked
  if (!tiled) return out
  const merged = v.shape.map((d, i) => (i === axis ? d * n : d))
  return reshape(out, merged)
}
