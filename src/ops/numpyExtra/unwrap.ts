/**
 * Phase unwrapping (JAX's `jnp.unwrap`), composed from differences, a floor modulo and a running
 * sum, so it differentiates and stages as they do.
 *
 * @category ops
 * @since 0.5.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis } from '../../ndarray/shape'
import { asArray, toFloat, type ArrayLike } from '../convert'
import { add, greater, less, logicalAnd, equal, sub, where } from '../elementwise'
import { remainder } from '../integer'
import { cumsum } from '../reduce'
import { diff } from '../scans'
import { abs } from '../unary'

/** Options of {@link unwrap}. */
export interface UnwrapOptions {
  /** Jumps smaller than this are kept; default (and at least) `period / 2`. */
  readonly discont?: number
  /** The axis to unwrap along; default the last. */
  readonly axis?: number
  /** The period of the signal; default 2π. */
  readonly period?: number
}

/**
 * Removes jumps larger than `discont` along an axis by adding multiples of `period` (JAX's
 * `jnp.unwrap(p, discont, axis, period)`, NumPy's rule: each difference is wrapped into
 * [−period/2, period/2), a jump of exactly +period/2 keeps its sign, and the corrections
 * accumulate). Integer input computes in float32.
 * @example
 * import { unwrap, array } from 'wengert'
 * const p = array([0, 3, 6.5, 0.2], { dtype: 'float64' })
 * const u = unwrap(p).toArray() as number[]
 * assert.ok(Math.abs(u[2] - (6.5 - 2 * Math.PI)) < 1e-12 && Math.abs(u[3] - 0.2) < 1e-12)
 * @category ops
 * @since 0.5.0
 */
export const unwrap = (p: ArrayLike, options: UnwrapOptions = {}): NdArray => {
  checkOptions('unwrap', options, ['discont', 'axis', 'period'])
  const a = toFloat(asArray('unwrap', p))
  if (a.ndim === 0) throw new ValueError('unwrap: p must have at least one dimension, got a 0-d array')
  const period = options.period ?? 2 * Math.PI
  const half = period / 2
  const discont = Math.max(options.discont ?? half, half)
  const axis = normalizeAxis('unwrap', options.axis ?? -1, a.ndim)
  // the first slice prepended: its difference is 0, so the first element is kept
  const first = lax.slice(
    a,
    a.shape.map(() => 0),
    a.shape.map((n, i) => (i === axis ? Math.min(n, 1) : n)),
    a.shape.map(() => 1),
  )
  const dd = diff(a, { axis, prepend: first })
  let ddmod = sub(remainder(add(dd, half), period), half)
  ddmod = where(logicalAnd(equal(ddmod, -half), greater(dd, 0)), half, ddmod)
  const correct = where(less(abs(dd), discont), 0, sub(ddmod, dd))
  return add(a, cumsum(correct, { axis }))
}
