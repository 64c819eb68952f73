/**
 * Small `jax.numpy` names real programs call: `empty`/`emptyLike` (zeros, as JAX's), `copy`,
 * `asarray`, `fabs`, `positive`, `flatnonzero`, `rollaxis`, `rowStack`, `unstack`, `ndim`,
 * `shape`, `size`, `isscalar`, `arrayEquiv`, and `real`/`imag`/`conj`/`conjugate` of real arrays.
 *
 * @category ops
 * @since 0.5.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { zeros, type DTypeOptions, type ShapeLike } from '../../ndarray/create'
import { checkDType, isFloat } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import { isNdArray, type NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import { asArray, requireNumeric, type ArrayLike } from '../convert'
import { all } from '../reduce'
import { equal } from '../elementwise'
import { abs } from '../unary'
import { flatten } from '../layout'
import { nonzero, type NonzeroOptions } from '../sets'
import { moveaxis, vstack } from './shape'

/**
 * A new array of `shape` (JAX's `jnp.empty`: JAX arrays cannot be uninitialised, so it is zeros).
 * @example
 * import { empty } from 'wengert'
 * assert.deepStrictEqual(empty([2], { dtype: 'int32' }).toArray(), [0, 0])
 * @category ops
 * @since 0.5.0
 */
export const empty = (shape: ShapeLike, options?: DTypeOptions): NdArray => zeros(shape, options)

/** Options of {@link emptyLike}. */
export interface EmptyLikeOptions extends DTypeOptions {
  /** Shape of the result; default the prototype's. */
  readonly shape?: ReadonlyArray<number>
}

/**
 * Zeros with the shape and dtype of `prototype` unless given (JAX's `jnp.empty_like`).
 * @example
 * import { emptyLike, array } from 'wengert'
 * assert.deepStrictEqual(emptyLike(array([1.5, 2])).toArray(), [0, 0])
 * @category ops
 * @since 0.5.0
 */
export const emptyLike = (prototype: ArrayLike, options?: EmptyLikeOptions): NdArray => {
  const opts = checkOptions('emptyLike', options, ['dtype', 'shape'])
  const p = asArray('emptyLike', prototype)
  return zeros([...(opts.shape ?? p.shape)], { dtype: opts.dtype ?? p.dtype })
}

/**
 * The array itself as a new value (JAX's `jnp.copy`; arrays here are immutable, so no data is
 * copied); differentiable as the identity.
 * @example
 * import { copy, array } from 'wengert'
 * assert.deepStrictEqual(copy(array([1, 2])).toArray(), [1, 2])
 * @category ops
 * @since 0.5.0
 */
export const copy = (a: ArrayLike): NdArray => asArray('copy', a)

/**
 * An array of `a`, converted to `dtype` when given (JAX's `jnp.asarray`).
 * @example
 * import { asarray } from 'wengert'
 * assert.strictEqual(asarray(3, { dtype: 'int32' }).dtype, 'int32')
 * @category ops
 * @since 0.5.0
 */
export const asarray = (a: ArrayLike, options?: DTypeOptions): NdArray => {
  const opts = checkOptions('asarray', options, ['dtype'])
  const x = asArray('asarray', a)
  return opts.dtype === undefined ? x : lax.cast(x, checkDType('asarray', opts.dtype))
}

/**
 * Absolute value computed in floating point (JAX's `jnp.fabs`: integers become float32).
 * @example
 * import { fabs, array } from 'wengert'
 * const r = fabs(array([-2, 3], { dtype: 'int32' }))
 * assert.deepStrictEqual([r.dtype, r.toArray()], ['float32', [2, 3]])
 * @category ops
 * @since 0.5.0
 */
export const fabs = (x: ArrayLike): NdArray => {
  const a = requireNumeric('fabs', asArray('fabs', x))
  return abs(isFloat(a.dtype) ? a : lax.cast(a, 'float32'))
}

/**
 * `+x` (JAX's `jnp.positive`): the numeric array unchanged.
 * @example
 * import { positive, array } from 'wengert'
 * assert.deepStrictEqual(positive(array([-1, 2])).toArray(), [-1, 2])
 * @category ops
 * @since 0.5.0
 */
export const positive = (x: ArrayLike): NdArray => requireNumeric('positive', asArray('positive', x))

/**
 * Flat indices of the nonzero entries (JAX's `jnp.flatnonzero`), with `nonzero`'s `size` and
 * `fillValue`.
 * @example
 * import { flatnonzero, array } from 'wengert'
 * assert.deepStrictEqual(flatnonzero(array([[0, 3], [4, 0]])).toArray(), [1, 2])
 * @category ops
 * @since 0.5.0
 */
export const flatnonzero = (a: ArrayLike, options?: NonzeroOptions): NdArray =>
  nonzero(flatten(asArray('flatnonzero', a)), options)[0] as NdArray

/**
 * Moves `axis` to sit before position `start` (JAX's and NumPy's `rollaxis`; prefer `moveaxis`).
 * @example
 * import { rollaxis, zeros } from 'wengert'
 * assert.deepStrictEqual(rollaxis(zeros([3, 4, 5, 6]), 3, 1).shape, [3, 6, 4, 5])
 * assert.deepStrictEqual(rollaxis(zeros([3, 4, 5, 6]), 1, 4).shape, [3, 5, 6, 4])
 * @category ops
 * @since 0.5.0
 */
export const rollaxis = (a: ArrayLike, axis: number, start = 0): NdArray => {
  const x = asArray('rollaxis', a)
  const n = x.ndim
  if (!Number.isInteger(axis) || axis < -n || axis >= n)
    throw new ValueError(`axis ${axis} is out of bounds for array of dimension ${n}`)
  if (!Number.isInteger(start) || start < -n || start > n)
    throw new ValueError(`rollaxis: start=${start} must satisfy ${-n} <= start < ${n + 1}`)
  const ax = axis < 0 ? axis + n : axis
  let st = start < 0 ? start + n : start
  if (ax < st) st -= 1
  return moveaxis(x, ax, st)
}

/**
 * Rows stacked vertically (JAX's `jnp.row_stack`, the same as `vstack`).
 * @example
 * import { rowStack, array } from 'wengert'
 * assert.deepStrictEqual(rowStack([array([1, 2]), array([3, 4])]).toArray(), [[1, 2], [3, 4]])
 * @category ops
 * @since 0.5.0
 */
export const rowStack = (xs: ReadonlyArray<ArrayLike>): NdArray => vstack(xs)

/**
 * The slices of `x` along `axis` as a list (the array API's and JAX's `unstack`).
 * @example
 * import { unstack, array } from 'wengert'
 * assert.deepStrictEqual(unstack(array([[1, 2], [3, 4]]), { axis: 1 }).map((a) => a.toArray()), [[1, 3], [2, 4]])
 * @category ops
 * @since 0.5.0
 */
export const unstack = (x: ArrayLike, options?: { readonly axis?: number }): NdArray[] => {
  const opts = checkOptions('unstack', options, ['axis'])
  const a = asArray('unstack', x)
  if (a.ndim === 0) throw new ValueError('Unstack requires arrays with rank > 0, however a scalar array was passed.')
  const m = moveaxis(a, opts.axis ?? 0, 0)
  const rest = m.shape.slice(1)
  return Array.from({ length: m.shape[0] as number }, (_, i) =>
    lax.reshape(
      lax.slice(
        m,
        [i, ...rest.map(() => 0)],
        [i + 1, ...rest],
        m.shape.map(() => 1),
      ),
      rest,
    ),
  )
}

/**
 * The number of axes (JAX's `jnp.ndim`).
 * @example
 * import { ndim, zeros } from 'wengert'
 * assert.strictEqual(ndim(zeros([2, 3])), 2)
 * @category ops
 * @since 0.5.0
 */
export const ndim = (a: ArrayLike): number => asArray('ndim', a).ndim

/**
 * The shape (JAX's `jnp.shape`).
 * @example
 * import { shape, zeros } from 'wengert'
 * assert.deepStrictEqual(shape(zeros([2, 3])), [2, 3])
 * @category ops
 * @since 0.5.0
 */
export const shape = (a: ArrayLike): ReadonlyArray<number> => asArray('shape', a).shape

/**
 * The number of elements, or the length of `axis` (JAX's `jnp.size`).
 * @example
 * import { size, zeros } from 'wengert'
 * assert.deepStrictEqual([size(zeros([2, 3])), size(zeros([2, 3]), 1)], [6, 3])
 * @category ops
 * @since 0.5.0
 */
export const size = (a: ArrayLike, axis?: number): number => {
  const x = asArray('size', a)
  if (axis === undefined) return x.size
  const ax = axis < 0 ? axis + x.ndim : axis
  if (!Number.isInteger(ax) || ax < 0 || ax >= x.ndim)
    throw new ValueError(`axis ${axis} is out of bounds for array of dimension ${x.ndim}`)
  return x.shape[ax] as number
}

/**
 * True for a number, a boolean or a 0-d array (JAX's `jnp.isscalar`, which unlike NumPy's counts
 * 0-d arrays as scalars).
 * @example
 * import { isscalar, array } from 'wengert'
 * assert.deepStrictEqual([isscalar(1), isscalar(array(2)), isscalar(array([2]))], [true, true, false])
 * @category ops
 * @since 0.5.0
 */
export const isscalar = (element: unknown): boolean =>
  typeof element === 'number' || typeof element === 'boolean' || (isNdArray(element) && element.ndim === 0)

/**
 * True (a bool 0-d array) when the arrays broadcast together and agree everywhere (JAX's
 * `jnp.array_equiv`); false when their shapes do not broadcast.
 * @example
 * import { arrayEquiv, array } from 'wengert'
 * assert.strictEqual(arrayEquiv(array([1, 2]), array([[1, 2], [1, 2]])).item(), true)
 * assert.strictEqual(arrayEquiv(array([1, 2]), array([1, 2, 3])).item(), false)
 * @category ops
 * @since 0.5.0
 */
export const arrayEquiv = (a1: ArrayLike, a2: ArrayLike): NdArray => {
  const [x, y] = [asArray('arrayEquiv', a1), asArray('arrayEquiv', a2)]
  try {
    broadcastShapes('arrayEquiv', x.shape, y.shape)
  } catch {
    return lax.scalar(0, 'bool')
  }
  return all(equal(x, y))
}

/**
 * The real part: the array itself, as every dtype here is real (JAX's `jnp.real`).
 * @example
 * import { real, array } from 'wengert'
 * assert.deepStrictEqual(real(array([1, -2])).toArray(), [1, -2])
 * @category ops
 * @since 0.5.0
 */
export const real = (x: ArrayLike): NdArray => asArray('real', x)

/**
 * The imaginary part: zeros of the array's shape and dtype, as every dtype here is real (JAX's
 * `jnp.imag`).
 * @example
 * import { imag, array } from 'wengert'
 * assert.deepStrictEqual(imag(array([1, -2])).toArray(), [0, 0])
 * @category ops
 * @since 0.5.0
 */
export const imag = (x: ArrayLike): NdArray => {
  const a = asArray('imag', x)
  return zeros([...a.shape], { dtype: a.dtype })
}

/**
 * The complex conjugate: the array itself, as every dtype here is real (JAX's `jnp.conj`).
 * @example
 * import { conj, array } from 'wengert'
 * assert.deepStrictEqual(conj(array([1, -2])).toArray(), [1, -2])
 * @category ops
 * @since 0.5.0
 */
export const conj = (x: ArrayLike): NdArray => asArray('conj', x)
/** The complex conjugate (JAX's `jnp.conjugate`, the same as {@link conj}). @category ops @since 0.5.0 */
export const conjugate = conj
