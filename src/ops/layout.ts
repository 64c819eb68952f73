/**
 * Layout ops: flip, tile, repeat, astype, maskedFill, and the home of every layout op's name:
 * reshaping (`./reshape.ts`), joining (`./join.ts`), slicing and take (`./slicing.ts`) and
 * padding (`./pad.ts`) are re-exported here. Registers `full`'s array fill (a broadcast).
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import * as _ from '../internal/dual'
import { requireNumberOrList } from '../internal/args'
import { axisOptions, type AxisOr } from '../internal/options'
import { setArrayFill } from '../ndarray/create'
import { checkDType, type DType } from '../ndarray/dtype'
import { ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxes, normalizeAxis } from '../ndarray/shape'
import { AXIS_KEY, oneAxis, type AxesOption, type AxisOption } from './axisArgs'
import { asArray, type ArrayLike } from './convert'
import { where } from './elementwise'
import { broadcastTo } from './reshape'

export type { AxesOption, AxisOption } from './axisArgs'
export * from './reshape'
export * from './join'
export * from './slicing'
export * from './pad'

// `full(shape, arrayFill)` is JAX's `broadcast_to(asarray(fill, dtype), shape)`: differentiable and staged
setArrayFill((shape, value, dtype) => {
  try {
    return broadcastTo(dtype === undefined ? value : lax.cast(value, dtype), shape)
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(e.message.replace(/^broadcastTo:/, 'full:'))
    throw e
  }
})

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
