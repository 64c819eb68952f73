/**
 * `jax.scipy.stats.rankdata`, `mode` and `sem`: summaries of samples along an axis, composed from
 * sorts, binary searches and reductions (so they trace under jit and vmap). Ranks and modes are
 * piecewise constant (no useful derivative); `sem` is differentiable.
 *
 * @category scipy
 * @since 0.7.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import { full } from '../../ndarray/create'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis } from '../../ndarray/shape'
import { vmap } from '../../transforms/vmap'
import { asArray, asFloat, type ArrayLike } from '../convert'
import { add, div, logicalNot, mul, notEqual, sub, where } from '../elementwise'
import { any, argmax, max, std, sum, cumsum } from '../reduce'
import { reshape } from '../reshape'
import { argsort, searchsorted, sort } from '../sorting'
import { take } from '../slicing'
import { moveaxis } from '../numpyExtra/shape'
import { nanstd } from '../numpyExtra/reduce'
import { isnan, sqrt } from '../unary'
import { concatenate } from '../laxStructural'

/** How `rankdata` ranks tied values (SciPy's `method`). */
export type RankMethod = 'average' | 'min' | 'max' | 'dense' | 'ordinal'
/** How NaNs are treated; JAX's rankdata and mode implement only 'propagate'. */
export type NanPolicy = 'propagate' | 'omit' | 'raise'

/** Checks nan_policy; 'omit' and 'raise' are refused where JAX refuses them. */
const checkNanPolicy = (op: string, policy: string, omitOk: boolean): void => {
  if (policy !== 'propagate' && policy !== 'omit' && policy !== 'raise')
    throw new ValueError(
      `${op}: illegal nan_policy value ${JSON.stringify(policy)}; expected one of 'propagate', 'omit', 'raise'`,
    )
  if (policy === 'raise' || (policy === 'omit' && !omitOk))
    throw new ValueError(
      `${op}: nan_policy='${policy}' is not supported (it would need to inspect the values; only 'propagate' is, as in JAX)`,
    )
}

/** Ranks of a 1-D array (1-based), ties resolved by `method`, in `out`'s float dtype. */
const ranks1d = (x: NdArray, method: RankMethod, out: 'float32' | 'float64'): NdArray => {
  const sorted = sort(x)
  const f = (a: NdArray): NdArray => lax.cast(a, out)
  if (method === 'ordinal') return add(f(argsort(argsort(x))), 1)
  const below = f(searchsorted(sorted, x, { side: 'left' }))
  const upTo = f(searchsorted(sorted, x, { side: 'right' }))
  if (method === 'min') return add(below, 1)
  if (method === 'max') return upTo
  if (method === 'average') return mul(add(add(below, upTo), 1), 0.5)
  // dense: the number of distinct values ≤ x, from the running count of group starts
  const n = x.shape[0] as number
  const starts =
    n === 0
      ? sorted
      : concatenate(
          [full([1], 1, { dtype: out }), f(notEqual(take(sorted, range(1, n)), take(sorted, range(0, n - 1))))],
          0,
        )
  const groups = cumsum(starts)
  return n === 0 ? f(sorted) : take(groups, lax.cast(searchsorted(sorted, x, { side: 'left' }), 'int32'))
}
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i)

/** Options of {@link rankdata}. */
export interface RankdataOptions {
  /** Rank along this axis; null (default): the flattened array. */
  readonly axis?: number | null
  /** Only 'propagate' (default): any NaN makes every rank of its row NaN. */
  readonly nanPolicy?: NanPolicy
}

/**
 * Ranks of the data, from 1 (`jax.scipy.stats.rankdata`). Ties: 'average' (default) the mean
 * of the tied positions, 'min'/'max' the lowest/highest, 'dense' consecutive ranks for distinct
 * values, 'ordinal' the order of appearance. The result is float (the input's float dtype, else
 * float32). With `axis`, each slice along it is ranked; a NaN makes its slice all NaN.
 * @example
 * import { scipy, array } from 'wengert'
 * assert.deepStrictEqual(scipy.stats.rankdata(array([1, 3, 2, 3])).toArray(), [1, 3.5, 2, 3.5])
 * assert.deepStrictEqual(scipy.stats.rankdata(array([1, 3, 2, 3]), 'dense').toArray(), [1, 3, 2, 3])
 * @category scipy @since 0.7.0
 */
export const rankdata = (a: ArrayLike, method: RankMethod = 'average', options: RankdataOptions = {}): NdArray => {
  const op = 'scipy.stats.rankdata'
  checkNanPolicy(op, options.nanPolicy ?? 'propagate', false)
  if (!['average', 'min', 'max', 'dense', 'ordinal'].includes(method))
    throw new ValueError(
      `${op}: unknown method ${JSON.stringify(method)}; expected 'average', 'min', 'max', 'dense' or 'ordinal'`,
    )
  const x = asArray(op, a)
  const out = x.dtype === 'float64' ? 'float64' : 'float32'
  const one = (v: NdArray): NdArray => {
    const r = ranks1d(v, method, out)
    return isFloat(v.dtype) ? where(any(isnan(v)), NaN, r) : r
  }
  const axis = options.axis ?? null
  if (axis === null) return one(reshape(x, [-1]))
  const ax = normalizeAxis(op, axis, x.ndim)
  const moved = moveaxis(x, ax, -1)
  const rows = reshape(moved, [-1, x.shape[ax] as number])
  const ranked = rows.shape[0] === 0 ? lax.cast(rows, out) : vmap(one)(rows)
  return moveaxis(reshape(ranked, moved.shape), -1, ax)
}

/** Options of {@link mode} and {@link sem}. */
export interface SampleOptions {
  /** Reduce along this axis (default 0); null: the flattened array. */
  readonly axis?: number | null
  /** Keep the reduced axis with size 1. Default false. */
  readonly keepdims?: boolean
  /** NaN handling (default 'propagate'; see each function). */
  readonly nanPolicy?: NanPolicy
}

/** The modal value of a non-empty 1-D array (the smallest among equally frequent ones) and its count. */
const mode1d = (x: NdArray): [NdArray, NdArray] => {
  const s = sort(x)
  const counts = sub(searchsorted(s, s, { side: 'right' }), searchsorted(s, s, { side: 'left' }))
  return [take(s, argmax(counts)), lax.cast(max(counts), 'int32')]
}

/** Moves `axis` (or the flattened array) to the front, and the shape of the reduced result. */
const alongFront = (op: string, x: NdArray, axis: number | null, keepdims: boolean): [NdArray, number[]] => {
  if (axis === null) return [reshape(x, [-1, 1]), keepdims ? x.shape.map(() => 1) : []]
  const ax = normalizeAxis(op, axis, x.ndim)
  const shape = keepdims ? x.shape.map((s, i) => (i === ax ? 1 : s)) : x.shape.filter((_, i) => i !== ax)
  return [reshape(moveaxis(x, ax, 0), [x.shape[ax] as number, -1]), shape]
}

/**
 * The most common value along an axis and how often it occurs (`jax.scipy.stats.mode`), as
 * `[mode, count]`; ties go to the smallest value. Only nanPolicy 'propagate' is supported (as
 * JAX). An empty axis gives a NaN mode and a zero count.
 * @example
 * import { scipy, array } from 'wengert'
 * const [m, c] = scipy.stats.mode(array([2, 4, 1, 1, 3, 4, 4, 2, 3], { dtype: 'int32' }))
 * assert.deepStrictEqual([m.item(), c.item()], [4, 3])
 * @category scipy @since 0.7.0
 */
export const mode = (a: ArrayLike, options: SampleOptions = {}): [NdArray, NdArray] => {
  const op = 'scipy.stats.mode'
  checkNanPolicy(op, options.nanPolicy ?? 'propagate', false)
  let x = asArray(op, a)
  if (x.ndim === 0) x = reshape(x, [1])
  const [cols, shape] = alongFront(op, x, options.axis === undefined ? 0 : options.axis, options.keepdims ?? false)
  if (cols.shape[0] === 0) return [full(shape, NaN, { dtype: 'float32' }), full(shape, 0, { dtype: 'float32' })]
  const [m, c] = cols.shape[1] === 0 ? [cols, cols] : vmap(mode1d, { inAxes: [1] })(cols)
  return [reshape(m, shape), reshape(c, shape)]
}

/** Options of {@link sem}. */
export interface SemOptions extends SampleOptions {
  /** Delta degrees of freedom of the standard deviation. Default 1. */
  readonly ddof?: number
}

/**
 * The standard error of the mean, std(ddof)/√n along an axis (`jax.scipy.stats.sem`; default
 * axis 0, ddof 1). nanPolicy 'omit' ignores NaNs (n counts the others); 'raise' is refused, as JAX.
 * Differentiable.
 * @example
 * import { scipy, array } from 'wengert'
 * const s = scipy.stats.sem(array([1, 2, 3, 4], { dtype: 'float64' }))
 * assert.ok(Math.abs(Number(s.item()) - Math.sqrt(5 / 3) / 2) < 1e-12)
 * @category scipy @since 0.7.0
 */
export const sem = (a: ArrayLike, options: SemOptions = {}): NdArray => {
  const op = 'scipy.stats.sem'
  const policy = options.nanPolicy ?? 'propagate'
  if (policy !== 'propagate' && policy !== 'omit')
    throw new ValueError(`${op}: nan_policy ${JSON.stringify(policy)} is not supported`)
  const x = asFloat(op, a)
  const axis = options.axis === undefined ? 0 : options.axis
  const keepdims = options.keepdims ?? false
  const ddof = options.ddof ?? 1
  // null (every axis) is the reductions' undefined
  const opts = axis === null ? { ddof, keepdims } : { axis, ddof, keepdims }
  if (policy === 'omit') {
    const count = sum(lax.cast(logicalNot(isnan(x)), x.dtype), axis === null ? { keepdims } : { axis, keepdims })
    return div(nanstd(x, opts), sqrt(count))
  }
  const n = axis === null ? x.size : (x.shape[normalizeAxis(op, axis, x.ndim)] as number)
  return mul(std(x, opts), 1 / Math.sqrt(n))
}
