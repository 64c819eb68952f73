/**
 * `jax.numpy`'s interpolation and binning: interp (with left/right values, "extrapolate", and
 * period), digitize and select. All are built from differentiable, batchable ops (searchsorted,
 * take, where), so they work under grad, vmap and jit; interp's gradients are JAX's.
 *
 * @category ops
 * @since 0.2.0
 */
import { requireList } from '../../internal/args'
import { checkOptions } from '../../internal/options'
import { ShapeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, asFloat, type ArrayLike } from '../convert'
import { clip, sub } from '../elementwise'
import { abs } from '../unary'
import * as ew from '../elementwise'
import { remainder } from '../integer'
import { concat, slice, take } from '../layout'
import { argsort, searchsorted } from '../sorting'

/** Options of {@link interp}. @category ops @since 0.2.0 */
export interface InterpOptions {
  /** The value for x < xp[0] (default fp[0]), or 'extrapolate' to extend the first segment. */
  readonly left?: ArrayLike | 'extrapolate' | null
  /** The value for x > xp[-1] (default fp[-1]), or 'extrapolate' to extend the last segment. */
  readonly right?: ArrayLike | 'extrapolate' | null
  /** The period of a periodic xp (left and right are then ignored). */
  readonly period?: number | null
}

/** xp and fp sorted by xp mod period and padded by one point each side (NumPy's periodic form). */
const periodic = (x: NdArray, xp: NdArray, fp: NdArray, period: number): [NdArray, NdArray, NdArray] => {
  const p = Math.abs(period)
  const xm = remainder(x, p)
  const xpm = remainder(xp, p)
  const order = argsort(xpm)
  const xs = take(xpm, order)
  const fs = take(fp, order)
  const n = xs.shape[0] as number
  const first = (a: NdArray): NdArray => slice(a, [[0, 1]])
  const last = (a: NdArray): NdArray => slice(a, [[n - 1, n]])
  return [xm, concat([sub(last(xs), p), xs, ew.add(first(xs), p)]), concat([last(fs), fs, first(fs)])]
}

/**
 * One-dimensional piecewise-linear interpolation of the points (xp, fp) at x (jnp.interp):
 * differentiable in x, xp and fp, with JAX's guard against zero-width segments.
 * @example
 * import { interp, array } from 'wengert'
 * const xp = array([0, 1, 2])
 * const fp = array([0, 10, 0])
 * assert.deepStrictEqual(interp(array([0.5, 1.5, 3, -1]), xp, fp).toArray(), [5, 5, 0, 0])
 * assert.deepStrictEqual(interp(array([3]), xp, fp, { right: -1 }).toArray(), [-1])
 * assert.deepStrictEqual(interp(array([3]), xp, fp, { right: 'extrapolate' }).toArray(), [-10])
 * assert.deepStrictEqual(interp(array([2.5]), xp, fp, { period: 2 }).toArray(), [5])
 * @category ops
 * @since 0.2.0
 */
export const interp = (x: ArrayLike, xp: ArrayLike, fp: ArrayLike, options?: InterpOptions): NdArray => {
  const opts = checkOptions('interp', options, ['left', 'right', 'period'])
  let [xa, xpa, fpa] = [asFloat('interp', x), asFloat('interp', xp), asFloat('interp', fp)]
  if (xpa.ndim !== 1 || fpa.ndim !== 1)
    throw new ValueError(`interp: xp and fp must be one-dimensional, got shapes [${xpa.shape}] and [${fpa.shape}]`)
  if (xpa.shape[0] !== fpa.shape[0])
    throw new ShapeError(`interp: xp and fp must have the same length, got ${xpa.shape[0]} and ${fpa.shape[0]}`)
  const period = opts.period ?? null
  if (period !== null) {
    if (period === 0) throw new ValueError('interp: period must be a non-zero value')
    ;[xa, xpa, fpa] = periodic(xa, xpa, fpa, period)
  }
  const n = xpa.shape[0] as number
  const i = clip(searchsorted(xpa, xa, { side: 'right' }), 1, n - 1)
  const im1 = sub(i, 1)
  const [x0, x1, f0, f1] = [take(xpa, im1), take(xpa, i), take(fpa, im1), take(fpa, i)]
  const dx = sub(x1, x0)
  // below the spacing of eps the segment is treated as a step (no NaN gradients)
  const tiny = xpa.dtype === 'float32' ? 2 ** -46 : 2 ** -104
  const dx0 = ew.lessEqual(abs(dx), tiny)
  const f = ew.where(dx0, f0, ew.add(f0, ew.mul(ew.div(sub(xa, x0), ew.where(dx0, 1, dx)), sub(f1, f0))))
  if (period !== null) return f
  const side = (v: ArrayLike | 'extrapolate' | null | undefined, at: number, out: NdArray, cmp: NdArray): NdArray =>
    v === 'extrapolate' ? out : ew.where(cmp, v ?? take(fpa, at), out)
  const lo = side(opts.left, 0, f, ew.less(xa, take(xpa, 0)))
  return side(opts.right, n - 1, lo, ew.greater(xa, take(xpa, n - 1)))
}

/** Options of {@link digitize}. @category ops @since 0.2.0 */
export interface DigitizeOptions {
  /** Whether a bin includes its right edge instead of its left (default false). */
  readonly right?: boolean
}

/**
 * The index of the bin of each x (jnp.digitize): i with bins[i−1] ≤ x < bins[i] for increasing
 * bins (bins[i−1] < x ≤ bins[i] when `right`), and the mirrored rule for decreasing bins.
 * @example
 * import { digitize, array } from 'wengert'
 * const bins = array([0, 1, 2.5, 4])
 * assert.deepStrictEqual(digitize(array([-1, 0, 1.5, 4, 5]), bins).toArray(), [0, 1, 2, 4, 4])
 * assert.deepStrictEqual(digitize(array([1, 4]), bins, { right: true }).toArray(), [1, 3])
 * assert.deepStrictEqual(digitize(array([3, 0.5]), array([4, 2.5, 1, 0])).toArray(), [1, 3])
 * @category ops
 * @since 0.2.0
 */
export const digitize = (x: ArrayLike, bins: ArrayLike, options?: DigitizeOptions): NdArray => {
  const right = checkOptions('digitize', options, ['right']).right ?? false
  const b = asArray('digitize', bins)
  if (b.ndim !== 1) throw new ValueError(`digitize: bins must be a 1-dimensional array, got shape [${b.shape}]`)
  const xa = asArray('digitize', x)
  const n = b.shape[0] as number
  if (n === 0) return ew.mul(ew.lessEqual(xa, xa), 0)
  const side = right ? 'left' : 'right'
  const up = searchsorted(b, xa, { side })
  const reversed = slice(b, [[null, null, -1]])
  const down = sub(n, searchsorted(reversed, xa, { side: right ? 'left' : 'right' }))
  return ew.where(ew.greaterEqual(take(b, n - 1), take(b, 0)), up, down)
}

/**
 * The first choice whose condition holds at each position, else `default` (jnp.select); the
 * conditions and choices broadcast together.
 * @example
 * import { select, array, greater, less } from 'wengert'
 * const x = array([-2, 0, 3])
 * const out = select([less(x, 0), greater(x, 0)], [array([-1, -1, -1]), x], 99)
 * assert.deepStrictEqual(out.toArray(), [-1, 99, 3])
 * @category ops
 * @since 0.2.0
 */
export const select = (
  condlist: ReadonlyArray<ArrayLike>,
  choicelist: ReadonlyArray<ArrayLike>,
  defaultValue: ArrayLike = 0,
): NdArray => {
  requireList('select', 'condlist', condlist)
  if (requireList('select', 'choicelist', choicelist).length !== condlist.length)
    throw new ValueError(
      `select: condlist must have length equal to choicelist (${condlist.length} vs ${choicelist.length})`,
    )
  if (condlist.length === 0) throw new ValueError('select: condlist must be non-empty')
  let out = asArray('select', defaultValue)
  for (let k = condlist.length - 1; k >= 0; k--) {
    const c = asArray('select', condlist[k] as ArrayLike)
    if (c.dtype !== 'bool') throw new ValueError(`select: condlist entries should be boolean ndarrays, got ${c.dtype}`)
    out = ew.where(c, choicelist[k] as ArrayLike, out)
  }
  return out
}
