/**
 * JAX's `lax` running scans and top-k: `lax.cumsum`, `lax.cumprod`, `lax.cummax`,
 * `lax.cummin`, `lax.cumlogsumexp` (axis default 0, `reverse`) and `lax.topK`.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { axisOptions, type AxisOr } from '../internal/options'
import { DTypeError, ValueError } from '../ndarray/errors'
import { isFloat } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxis } from '../ndarray/shape'
import { asArray, type ArrayLike } from './convert'

/** Options of the `lax` running scans. */
export interface ScanOptions {
  /** Axis to scan along (negative counts from the end). Default 0. */
  readonly axis?: number
  /** Scan from the end of the axis. Default false. */
  readonly reverse?: boolean
}

const scan =
  (name: string, prim: (x: NdArray, axis: number, reverse: boolean) => NdArray, floatOnly = false) =>
  (x: ArrayLike, axisOrOpts?: AxisOr<ScanOptions>): NdArray => {
    const opts = axisOptions(`lax.${name}`, axisOrOpts, ['axis', 'reverse'])
    const a = asArray(`lax.${name}`, x)
    if (a.dtype === 'bool' || (floatOnly && !isFloat(a.dtype)))
      throw new DTypeError(`lax.${name}: expected a ${floatOnly ? 'float' : 'numeric'} array, got dtype ${a.dtype}`)
    if (a.ndim === 0) throw new ValueError(`lax.${name}: expected an array of rank at least 1, got a 0-d array`)
    if (Array.isArray(opts.axis)) throw new ValueError(`lax.${name}: axis must be an integer, got a list`)
    return prim(a, normalizeAxis(`lax.${name}`, (opts.axis as number | undefined) ?? 0, a.ndim), opts.reverse ?? false)
  }

/**
 * Running sum along an axis (JAX `lax.cumsum`: axis default 0).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.cumsum(array([1, 2, 3]), { reverse: true }).toArray(), [6, 5, 3])
 * @category ops @since 0.2.0
 */
export const cumsum = scan('cumsum', lax.cumsum)

/**
 * Running product along an axis (JAX `lax.cumprod`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.cumprod(array([[1, 2], [3, 4]]), 1).toArray(), [[1, 2], [3, 12]])
 * @category ops @since 0.2.0
 */
export const cumprod = scan('cumprod', lax.cumprod)

/**
 * Running maximum along an axis (JAX `lax.cummax`; NaN propagates). The gradient goes to the
 * latest position holding the running maximum.
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.cummax(array([1, 3, 2, 5])).toArray(), [1, 3, 3, 5])
 * @category ops @since 0.2.0
 */
export const cummax = scan('cummax', lax.cummax)

/**
 * Running minimum along an axis (JAX `lax.cummin`; NaN propagates).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.cummin(array([3, 1, 2, 0]), { reverse: true }).toArray(), [0, 0, 0, 0])
 * @category ops @since 0.2.0
 */
export const cummin = scan('cummin', lax.cummin)

/**
 * Running log-sum-exp along an axis (JAX `lax.cumlogsumexp`), computed without overflow.
 * @example
 * import { lax, array } from 'wengert'
 * const y = lax.cumlogsumexp(array([0, 0, 1000])).toArray() as number[]
 * assert.ok(Math.abs(y[1]! - Math.log(2)) < 1e-6 && y[2] === 1000)
 * @category ops @since 0.2.0
 */
export const cumlogsumexp = scan('cumlogsumexp', lax.cumlogsumexp, true)

/**
 * The `k` largest entries along the last axis and their int32 indices (JAX `lax.top_k`):
 * largest first, NaN counts as largest, equal values keep the lower index first. Differentiable
 * in the values.
 * @example
 * import { lax, array } from 'wengert'
 * const [values, indices] = lax.topK(array([1, 4, 2, 4]), 2)
 * assert.deepStrictEqual(values.toArray(), [4, 4])
 * assert.deepStrictEqual(indices.toArray(), [1, 3])
 * @category ops @since 0.2.0
 */
export const topK = (x: ArrayLike, k: number): [NdArray, NdArray] => {
  const a = asArray('lax.topK', x)
  if (!Number.isInteger(k)) throw new ValueError(`lax.topK: k must be an integer, got ${k}`)
  if (k < 0) throw new ValueError(`k argument to top_k must be nonnegative, got ${k}`)
  if (a.ndim === 0) throw new ValueError('top_k operand must have >= 1 dimension, got []')
  const n = a.shape[a.ndim - 1] as number
  if (k > n)
    throw new ValueError(
      `k argument to top_k must be no larger than size along axis; got k=${k} for shape [${a.shape}]`,
    )
  if (a.dtype === 'bool') throw new DTypeError('lax.topK: expected a numeric array, got dtype bool')
  const [values, indices] = lax.topK(a, k)
  return [values as NdArray, indices as NdArray]
}
