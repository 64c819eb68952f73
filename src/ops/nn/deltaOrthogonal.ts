/**
 * `jax.nn.identity` and `jax.nn.initializers.delta_orthogonal`.
 *
 * @category nn
 * @since 0.3.0
 */
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, type ArrayLike } from '../convert'
import { pad, reshape } from '../layout'
import { orthogonal, type Initializer, type OrthogonalInitOptions } from './initializers'

/**
 * The identity activation: returns its argument as an array, unchanged (JAX: `jax.nn.identity`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.identity(array([-2, 0.5])).toArray(), [-2, 0.5])
 * @category nn
 * @since 0.3.0
 */
export const identity = (x: ArrayLike): NdArray => asArray('nn.identity', x)

/**
 * An initializer for 3-, 4- or 5-D convolution kernels `[...spatial, in, out]`: zero except at the
 * spatial centre (index ⌊(k − 1)/2⌋ on each spatial axis), which holds an orthogonal `[in, out]`
 * matrix (Xiao et al. 2018, "Dynamical Isometry and a Mean Field Theory of CNNs", §2.3; JAX:
 * `jax.nn.initializers.delta_orthogonal(scale=1.0, column_axis=-1, dtype)`). `in` may not exceed
 * `out`.
 * @example
 * import { nn, random } from 'wengert'
 * const w = nn.initializers.deltaOrthogonal()(random.key(0), [3, 2, 2], 'float64')
 * const c = w.toArray() as number[][][]
 * assert.deepStrictEqual(c[0], [[0, 0], [0, 0]])
 * const [[a, b], [p, q]] = c[1] as [[number, number], [number, number]]
 * assert.ok(Math.abs(a * a + p * p - 1) < 1e-12 && Math.abs(a * b + p * q) < 1e-12)
 * @category nn
 * @since 0.3.0
 */
export const deltaOrthogonal = (scale?: number | OrthogonalInitOptions, columnAxis?: number): Initializer => {
  const ortho = orthogonal(scale, columnAxis)
  return (key, shape, dtype) => {
    if (shape.length < 3 || shape.length > 5)
      throw new ValueError(
        'nn.initializers.deltaOrthogonal: Delta orthogonal initializer requires a 3D, 4D or 5D shape.',
      )
    const nIn = shape[shape.length - 2] as number
    const nOut = shape[shape.length - 1] as number
    if (nOut < nIn)
      throw new ValueError('nn.initializers.deltaOrthogonal: `fan_in` must be less or equal than `fan_out`. ')
    const spatial = shape.slice(0, -2)
    const m = ortho(key, [nIn, nOut], dtype)
    const centred = reshape(m, [...spatial.map(() => 1), nIn, nOut])
    const widths = [
      ...spatial.map((k) => [Math.floor((k - 1) / 2), k - 1 - Math.floor((k - 1) / 2)] as const),
      [0, 0] as const,
      [0, 0] as const,
    ]
    return pad(centred, widths)
  }
}
