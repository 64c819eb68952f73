/**
 * `jax.numpy.gradient`: central differences in the interior and one-sided first differences at
 * the edges, with a constant spacing per axis. A linear map of the input, so differentiable.
 *
 * @category ops
 * @since 0.4.0
 */
import * as lax from '../../core/lax'
import { checkOptions, isPlainObject } from '../../internal/options'
import { ShapeError, ValueError } from '../../ndarray/errors'
import { isNdArray, type NdArray } from '../../ndarray/NdArray'
import { normalizeAxes } from '../../ndarray/shape'
import { asFloat, type ArrayLike } from '../convert'
import { div, mul, sub } from '../elementwise'
import { concat } from '../layout'

/** Options of {@link gradient}. @category ops @since 0.4.0 */
export interface GradientOptions {
  /** The axis or axes to differentiate along (default all). */
  readonly axis?: number | ReadonlyArray<number>
  /** NumPy's edge accuracy order; JAX does not support it (only the default first order). */
  readonly edgeOrder?: number | null
}

/** `a[start:stop]` along `axis` (Python's bounds; stop may be negative or absent). */
const along = (a: NdArray, axis: number, start: number, stop?: number): NdArray => {
  const n = a.shape[axis] as number
  const [s, e] = [start < 0 ? start + n : start, stop === undefined ? n : stop < 0 ? stop + n : stop]
  return lax.slice(
    a,
    a.shape.map((_, i) => (i === axis ? s : 0)),
    a.shape.map((d, i) => (i === axis ? e : d)),
    a.shape.map(() => 1),
  )
}

/** d a / d x along one axis with spacing h: edges one-sided, interior central. */
const alongAxis = (a: NdArray, axis: number, h: NdArray): NdArray => {
  const upper = sub(along(a, axis, 1, 2), along(a, axis, 0, 1))
  const inner = mul(sub(along(a, axis, 2), along(a, axis, 0, -2)), 0.5)
  const lower = sub(along(a, axis, -1), along(a, axis, -2, -1))
  return div(concat([upper, inner, lower], axis), h)
}

/** Splits JAX's `*varargs` from a trailing options object. */
const splitArgs = (args: ReadonlyArray<ArrayLike | GradientOptions>): [ArrayLike[], GradientOptions | undefined] => {
  const last = args[args.length - 1]
  const hasOpts = last !== undefined && !isNdArray(last) && isPlainObject(last)
  return [(hasOpts ? args.slice(0, -1) : args) as ArrayLike[], hasOpts ? (last as GradientOptions) : undefined]
}

/**
 * The gradient of sampled values (jnp.gradient(f, *varargs, axis=None, edge_order=None)): along
 * each axis, (f[i+1] − f[i−1])/(2h) inside and first differences at the two ends. `varargs` is
 * empty (h = 1), one scalar spacing for every axis, or one per axis; an options object may come
 * last. One array for one axis, else a list, as JAX. Non-constant (coordinate-array) spacing and
 * `edgeOrder` raise, as in JAX.
 * @example
 * import { gradient, array } from 'wengert'
 * type A = ReturnType<typeof array>
 * assert.deepStrictEqual((gradient(array([1, 2, 4, 7, 11])) as A).toArray(), [1, 1.5, 2.5, 3.5, 4])
 * assert.deepStrictEqual((gradient(array([1, 2, 4, 7, 11]), 2) as A).toArray(), [0.5, 0.75, 1.25, 1.75, 2])
 * const [d0, d1] = gradient(array([[1, 2, 6], [3, 4, 5]])) as ReturnType<typeof array>[]
 * assert.deepStrictEqual([d0!.toArray(), d1!.toArray()], [[[2, 2, -1], [2, 2, -1]], [[1, 2.5, 4], [1, 1, 1]]])
 * @category ops @since 0.4.0
 */
export const gradient = (f: ArrayLike, ...varargs: ReadonlyArray<ArrayLike | GradientOptions>): NdArray | NdArray[] => {
  const [spacing, options] = splitArgs(varargs)
  const o = checkOptions('gradient', options, ['axis', 'edgeOrder'])
  if (o.edgeOrder !== undefined && o.edgeOrder !== null)
    throw new ValueError("gradient: the 'edge_order' argument to jnp.gradient is not supported")
  const a = asFloat('gradient', f)
  const axes = normalizeAxes('gradient', o.axis, a.ndim)
  if (axes.length === 0) return []
  const hs = spacing.map((h) => asFloat('gradient', h))
  if (hs.length !== 0 && hs.length !== 1 && hs.length !== axes.length)
    throw new ValueError(
      `gradient: invalid number of spacing arguments: expected 0, 1 or ${axes.length}, got ${hs.length}`,
    )
  if (hs.some((h) => h.ndim !== 0))
    throw new ValueError('gradient: non-constant spacing (coordinate arrays) is not supported, as in JAX')
  const small = axes.filter((ax) => (a.shape[ax] as number) < 2)
  if (small.length > 0)
    throw new ShapeError(
      `gradient: shape of array too small to calculate a numerical gradient, at least 2 elements are required along axis ${small[0]}; got shape [${a.shape.join(', ')}]`,
    )
  const one = lax.scalarLike(1, a)
  const out = axes.map((ax, i) => alongAxis(a, ax, hs.length === 0 ? one : (hs[hs.length === 1 ? 0 : i] as NdArray)))
  return out.length === 1 ? (out[0] as NdArray) : out
}
