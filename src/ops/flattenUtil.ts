/**
 * JAX's `jax.flatten_util`: `ravelPytree` flattens a pytree of arrays into one 1-D array and gives
 * back the function that rebuilds the pytree, as optimisers over a flat parameter vector need.
 *
 * @category tree
 * @since 0.3.0
 */
import type { DType } from '../ndarray/dtype'
import { DTypeError, ShapeError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { sizeOf } from '../ndarray/shape'
import { array } from '../ndarray/create'
import { flatten, unflatten } from '../tree/treedef'
import { asArray } from './convert'
import { astype, concat, reshape } from './layout'
import { sliceInDim } from './laxNamed'
import { resultType } from './numpyExtra/dtypes'

/** What {@link ravelPytree} returns: the flat array and the function that rebuilds the pytree. */
export type RavelResult<T> = readonly [NdArray, (flat: NdArray) => T]

/**
 * Flattens a pytree's leaves into one 1-D array of their promoted dtype, in `tree.flatten`'s order
 * (JAX: `jax.flatten_util.ravel_pytree`), and returns it with `unravel`, which splits a flat array of
 * the same shape and dtype back into the pytree, each leaf in its own shape and dtype. Both
 * directions are differentiable compositions; a pytree without leaves gives an empty float32 array.
 * @example
 * import { flattenUtil, array } from 'wengert'
 * const [flat, unravel] = flattenUtil.ravelPytree({ w: array([[1, 2], [3, 4]]), b: array([5]) })
 * assert.deepStrictEqual(flat.toArray(), [1, 2, 3, 4, 5])
 * const back = unravel(flat)
 * assert.deepStrictEqual(back.w.shape, [2, 2])
 * @category tree
 * @since 0.3.0
 */
export const ravelPytree = <T>(pytree: T): RavelResult<T> => {
  const [leaves, def] = flatten(pytree)
  const xs = leaves.map((l) => asArray('flattenUtil.ravelPytree', l as Parameters<typeof asArray>[1]))
  if (xs.length === 0) {
    const empty = array([], { dtype: 'float32' })
    return [empty, (flat) => (check(flat, [0], 'float32'), unflatten(def, []) as T)]
  }
  const dtypes: ReadonlyArray<DType> = xs.map((x) => x.dtype)
  const to = resultType(...dtypes)
  const flat = concat(xs.map((x) => reshape(x.dtype === to ? x : astype(x, to), [x.size])))
  const unravel = (arr: NdArray): T => {
    check(arr, flat.shape, to)
    let at = 0
    const parts = xs.map((x) => {
      const n = sizeOf(x.shape)
      const chunk = reshape(sliceInDim(arr, at, at + n, 1, 0), x.shape)
      at += n
      return chunk.dtype === x.dtype ? chunk : astype(chunk, x.dtype)
    })
    return unflatten(def, parts) as T
  }
  return [flat, unravel]
}

const check = (arr: NdArray, shape: ReadonlyArray<number>, dtype: DType): void => {
  if (arr.dtype !== dtype)
    throw new DTypeError(
      `flattenUtil.ravelPytree: unravel function given array of dtype ${arr.dtype}, but expected dtype ${dtype}`,
    )
  if (arr.shape.length !== shape.length || arr.shape.some((d, i) => d !== shape[i]))
    throw new ShapeError(
      `flattenUtil.ravelPytree: the unravel function expected an array of shape [${shape.join(', ')}], got shape [${arr.shape.join(', ')}]`,
    )
}
