/**
 * jnp names with no home yet: `iscomplexobj`/`isrealobj` (dtype kind tests), `spacing` (the
 * distance to the next float away from zero), `i0` (the modified Bessel function, as
 * `scipy.special.i0`) and `poly` (the coefficients of the monic polynomial with given roots).
 *
 * @category ops
 * @since 0.6.0
 */
import * as lax from '../../core/lax'
import { ShapeError, ValueError, fmtTuple } from '../../ndarray/errors'
import { ones } from '../../ndarray/create'
import type { NdArray } from '../../ndarray/NdArray'
import { asFloat, type ArrayLike } from '../convert'
import { copysign } from './math'
import { nextafter } from './arith'
import { equal, sub, where } from '../elementwise'
import { convolve } from '../window'
import { concat } from '../layout'
import { neg } from '../unary'
import { sliceInDim } from '../laxNamed'

/**
 * Whether `x` has a complex dtype (JAX: `jnp.iscomplexobj`): always false here, since wengert has
 * no complex dtypes — for arrays, numbers and booleans alike.
 * @example
 * import { iscomplexobj, array } from 'wengert'
 * assert.strictEqual(iscomplexobj(array([1, 2])), false)
 * @category ops
 * @since 0.6.0
 */
export const iscomplexobj = (x: ArrayLike): boolean => {
  void x
  return false
}

/**
 * Whether `x` has a non-complex dtype (JAX: `jnp.isrealobj`, the negation of {@link iscomplexobj}):
 * always true here.
 * @example
 * import { isrealobj } from 'wengert'
 * assert.strictEqual(isrealobj(3), true)
 * @category ops
 * @since 0.6.0
 */
export const isrealobj = (x: ArrayLike): boolean => !iscomplexobj(x)

/**
 * The distance from `x` to the adjacent float away from zero (JAX: `jnp.spacing`):
 * `nextafter(x, copysign(∞, x)) − x` in x's float dtype (ints compute in float32); NaN at ±∞,
 * the smallest subnormal with x's sign at ±0 (JAX's −0 gives −4.9e−324 where NumPy gives +4.9e−324).
 * @example
 * import { spacing, array } from 'wengert'
 * assert.strictEqual(spacing(array(1, { dtype: 'float64' })).item(), Number.EPSILON)
 * @category ops
 * @since 0.6.0
 */
export const spacing = (x: ArrayLike): NdArray => {
  const a = asFloat('spacing', x)
  const r = sub(nextafter(a, copysign(lax.scalar(Infinity, a.dtype), a)), a)
  // JAX's guard: a zero difference becomes the smallest subnormal with x's sign
  const tiny = copysign(lax.scalar(a.dtype === 'float64' ? 5e-324 : 1.401298464324817e-45, a.dtype), a)
  return where(equal(r, 0), tiny, r)
}

export { i0 } from '../scipy/specialMore'

/**
 * The coefficients (highest power first) of the monic polynomial whose roots are `seqOfZeros`
 * (JAX: `jnp.poly`): 1-D input only, since the characteristic polynomial of a square matrix
 * needs its eigenvalues, which may be complex (no complex dtypes here). Ints compute in float32;
 * no roots give `1` (a 0-d array).
 * @example
 * import { poly, array } from 'wengert'
 * assert.deepStrictEqual(poly(array([1, 2], { dtype: 'float64' })).toArray(), [1, -3, 2])
 * @category ops
 * @since 0.6.0
 */
export const poly = (seqOfZeros: ArrayLike): NdArray => {
  const z = asFloat('poly', seqOfZeros)
  if (z.ndim === 2 && z.shape[0] === z.shape[1] && z.shape[0] !== 0)
    throw new ValueError(
      'poly: the characteristic polynomial of a square matrix needs its eigenvalues, which may be complex, and complex dtypes are not supported',
    )
  if (z.ndim !== 1)
    throw new ShapeError(`poly: input must be 1d or non-empty square 2d array, got ${fmtTuple(z.shape)}`)
  const one = ones([1], { dtype: z.dtype })
  if (z.size === 0) return ones([], { dtype: z.dtype })
  let a: NdArray = one
  for (let k = 0; k < z.size; k++) a = convolve(a, concat([one, neg(sliceInDim(z, k, k + 1, 1, 0))]), 'full')
  return a
}
