/**
 * More of `jax.numpy`'s reductions: the NaN-ignoring family, quantiles (median, percentile),
 * weighted average, ptp, count_nonzero, cov and corrcoef.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { requireNumberOrList } from '../../internal/args'
import { axisOptions, checkOptions, type AxisOr } from '../../internal/options'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxes } from '../../ndarray/shape'
import { asArray, asFloat, type ArrayLike } from '../convert'
import { add, clip, div, mul, notEqual, sub, where } from '../elementwise'
import { broadcastTo, expandDims, reshape, take } from '../layout'
import { matmul, transpose } from '../linalg'
import { cumsum, max, mean, min, sum, prod, type ReduceOptions, type VarOptions, type CumsumOptions } from '../reduce'
import { cumprod } from '../scans'
import { sort } from '../sorting'
import { isnan, sqrt } from '../unary'
import { diagonal, moveaxis } from './shape'

const KEYS: ReadonlyArray<keyof ReduceOptions> = ['axis', 'keepdims']
const VKEYS: ReadonlyArray<keyof VarOptions> = ['axis', 'keepdims', 'ddof']

/** x with NaN replaced by `fill` (floats only; ints have no NaN). */
const fillNan = (op: string, x: ArrayLike, fill: number): NdArray => {
  const a = asArray(op, x)
  return a.dtype === 'float32' || a.dtype === 'float64' ? where(isnan(a), fill, a) : a
}
/** 1 where x is not NaN, in x's float dtype. */
const present = (a: NdArray): NdArray => lax.cast(lax.not(isnan(a)), a.dtype)

/**
 * Sum ignoring NaNs (jnp.nansum).
 * @example
 * import { nansum, array } from 'wengert'
 * assert.strictEqual(nansum(array([1, NaN, 2])).item(), 3)
 * @category ops
 * @since 0.2.0
 */
export const nansum = (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray =>
  sum(fillNan('nansum', x, 0), axisOptions('nansum', axisOrOpts, KEYS))
/**
 * Product ignoring NaNs (jnp.nanprod).
 * @example
 * import { nanprod, array } from 'wengert'
 * assert.strictEqual(nanprod(array([3, NaN, 2])).item(), 6)
 * @category ops
 * @since 0.2.0
 */
export const nanprod = (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray =>
  prod(fillNan('nanprod', x, 1), axisOptions('nanprod', axisOrOpts, KEYS))
/**
 * Mean of the non-NaN elements; NaN where all are NaN (jnp.nanmean).
 * @example
 * import { nanmean, array } from 'wengert'
 * assert.strictEqual(nanmean(array([1, NaN, 3])).item(), 2)
 * @category ops
 * @since 0.2.0
 */
export const nanmean = (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const o = axisOptions('nanmean', axisOrOpts, KEYS)
  const a = asFloat('nanmean', x)
  return div(sum(where(isnan(a), 0, a), o), sum(present(a), o))
}
/**
 * Maximum ignoring NaNs; NaN where all are NaN (jnp.nanmax).
 * @example
 * import { nanmax, array } from 'wengert'
 * assert.strictEqual(nanmax(array([1, NaN, 3])).item(), 3)
 * @category ops
 * @since 0.2.0
 */
export const nanmax = (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const o = axisOptions('nanmax', axisOrOpts, KEYS)
  const a = asArray('nanmax', x)
  const m = max(fillNan('nanmax', a, -Infinity), o)
  return where(lax.cast(lax.not(sum(present(asFloat('nanmax', a)), o)), 'bool'), NaN, m)
}
/**
 * Minimum ignoring NaNs; NaN where all are NaN (jnp.nanmin).
 * @example
 * import { nanmin, array } from 'wengert'
 * assert.strictEqual(nanmin(array([4, NaN, 3])).item(), 3)
 * @category ops
 * @since 0.2.0
 */
export const nanmin = (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const o = axisOptions('nanmin', axisOrOpts, KEYS)
  const a = asArray('nanmin', x)
  const m = min(fillNan('nanmin', a, Infinity), o)
  return where(lax.cast(lax.not(sum(present(asFloat('nanmin', a)), o)), 'bool'), NaN, m)
}
/**
 * Variance of the non-NaN elements, divided by (count − ddof) (jnp.nanvar).
 * @example
 * import { nanvar, array } from 'wengert'
 * assert.strictEqual(nanvar(array([1, NaN, 3])).item(), 1)
 * @category ops
 * @since 0.2.0
 */
export const nanvar = (x: ArrayLike, axisOrOpts?: AxisOr<VarOptions>): NdArray => {
  const o = axisOptions('nanvar', axisOrOpts, VKEYS)
  const a = asFloat('nanvar', x)
  const axes = normalizeAxes('nanvar', o.axis, a.ndim)
  const n = sum(present(a), { axis: axes, keepdims: true })
  const mu = div(sum(where(isnan(a), 0, a), { axis: axes, keepdims: true }), n)
  const d = where(isnan(a), 0, sub(a, mu))
  const v = div(sum(mul(d, d), { axis: axes, keepdims: true }), sub(n, o.ddof ?? 0))
  return o.keepdims === true ? v : sum(v, { axis: axes })
}
/**
 * Standard deviation of the non-NaN elements (jnp.nanstd).
 * @example
 * import { nanstd, array } from 'wengert'
 * assert.strictEqual(nanstd(array([1, NaN, 3])).item(), 1)
 * @category ops
 * @since 0.2.0
 */
export const nanstd = (x: ArrayLike, axisOrOpts?: AxisOr<VarOptions>): NdArray => sqrt(nanvar(x, axisOrOpts))
/**
 * Cumulative sum treating NaN as 0 (jnp.nancumsum).
 * @example
 * import { nancumsum, array } from 'wengert'
 * assert.deepStrictEqual(nancumsum(array([1, NaN, 2])).toArray(), [1, 1, 3])
 * @category ops
 * @since 0.2.0
 */
export const nancumsum = (x: ArrayLike, axisOrOpts?: AxisOr<CumsumOptions>): NdArray =>
  cumsum(fillNan('nancumsum', x, 0), axisOrOpts)
/**
 * Cumulative product treating NaN as 1 (jnp.nancumprod).
 * @example
 * import { nancumprod, array } from 'wengert'
 * assert.deepStrictEqual(nancumprod(array([2, NaN, 3])).toArray(), [2, 2, 6])
 * @category ops
 * @since 0.2.0
 */
export const nancumprod = (x: ArrayLike, axis?: number): NdArray => cumprod(fillNan('nancumprod', x, 1), axis)

/** Interpolation between the order statistics around a quantile's position. @category ops @since 0.2.0 */
export type QuantileMethod = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest'

/** Options of {@link quantile}, {@link percentile} and {@link median}. @category ops @since 0.2.0 */
export interface QuantileOptions {
  /** Axis or axes (default all). */
  readonly axis?: number | ReadonlyArray<number>
  /** How to pick between order statistics (default 'linear'). */
  readonly method?: QuantileMethod
  /** Keep the reduced axes with length 1. */
  readonly keepdims?: boolean
}
const QKEYS: ReadonlyArray<keyof QuantileOptions> = ['axis', 'method', 'keepdims']

/** The q-quantiles (q a number array, already in [0, 1]) of `a` over `axes`. */
const quantileOf = (op: string, a: NdArray, qs: ReadonlyArray<number>, o: QuantileOptions): NdArray => {
  const axes = normalizeAxes(op, o.axis, a.ndim)
  const rest = a.shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const n = axes.reduce((k, i) => k * (a.shape[i] as number), 1)
  const flat = reshape(transpose(a, [...rest, ...axes]), [...rest.map((i) => a.shape[i] as number), n])
  const s = sort(flat, -1)
  const method = o.method ?? 'linear'
  const pick = (idx: number): NdArray => take(s, [idx], -1)
  const parts = qs.map((q) => {
    const pos = q * (n - 1)
    const [lo, hi] = [Math.floor(pos), Math.ceil(pos)]
    if (method === 'lower') return pick(lo)
    if (method === 'higher') return pick(hi)
    // NumPy rounds a half position to the even index
    if (method === 'nearest') return pick(pos - lo === 0.5 ? (lo % 2 === 0 ? lo : hi) : Math.round(pos))
    if (method === 'midpoint') return mul(add(pick(lo), pick(hi)), 0.5)
    if (method !== 'linear')
      throw new ValueError(
        `${op}: method must be one of linear, lower, higher, midpoint, nearest; got ${String(method)}`,
      )
    const w = pos - lo
    return w === 0 ? pick(lo) : add(mul(pick(lo), 1 - w), mul(pick(hi), w))
  })
  // [...rest, Q] → [Q, ...rest], then the kept axes
  let out = moveaxis(lax.concatenate(parts, parts[0]!.ndim - 1), -1, 0)
  if (o.keepdims === true) out = reshape(out, [qs.length, ...a.shape.map((d, i) => (axes.includes(i) ? 1 : d))])
  return out
}

const quantileCall = (
  op: string,
  a: ArrayLike,
  q: number | ReadonlyArray<number>,
  scale: number,
  opts?: QuantileOptions,
): NdArray => {
  const o = checkOptions(op, opts, QKEYS)
  const x = asFloat(op, a)
  if (x.size === 0) throw new ValueError(`${op}: the input is empty`)
  const qv = requireNumberOrList(op, 'q', q)
  const qs = (typeof qv === 'number' ? [qv] : qv).map((v) => v / scale)
  if (qs.some((v) => !(v >= 0 && v <= 1)))
    throw new ValueError(`${op}: q must be in the range [0, ${scale === 1 ? 1 : 100}], got ${String(q)}`)
  const out = quantileOf(op, x, qs, o)
  return typeof q === 'number' ? reshape(out, out.shape.slice(1)) : out
}

/**
 * The q-th quantiles over axes (jnp.quantile(a, q, axis=None, method='linear', keepdims=False));
 * a list q adds a leading axis. q is a concrete number or list (not traced).
 * @example
 * import { quantile, array } from 'wengert'
 * assert.strictEqual(quantile(array([1, 2, 3, 4]), 0.5).item(), 2.5)
 * assert.deepStrictEqual(quantile(array([1, 2, 3, 4]), [0, 1]).toArray(), [1, 4])
 * @category ops
 * @since 0.2.0
 */
export const quantile = (a: ArrayLike, q: number | ReadonlyArray<number>, opts?: QuantileOptions): NdArray =>
  quantileCall('quantile', a, q, 1, opts)
/**
 * The q-th percentiles, q in [0, 100] (jnp.percentile).
 * @example
 * import { percentile, array } from 'wengert'
 * assert.strictEqual(percentile(array([1, 2, 3, 4, 5]), 25).item(), 2)
 * @category ops
 * @since 0.2.0
 */
export const percentile = (a: ArrayLike, q: number | ReadonlyArray<number>, opts?: QuantileOptions): NdArray =>
  quantileCall('percentile', a, q, 100, opts)
/**
 * The median over axes (jnp.median(a, axis=None, keepdims=False)).
 * @example
 * import { median, array } from 'wengert'
 * assert.strictEqual(median(array([3, 1, 2])).item(), 2)
 * @category ops
 * @since 0.2.0
 */
export const median = (a: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const o = axisOptions('median', axisOrOpts, KEYS)
  return quantileCall('median', a, 0.5, 1, o)
}

/** Options of {@link average}. @category ops @since 0.2.0 */
export interface AverageOptions extends ReduceOptions {
  /** Weights, the shape of `a` or 1-D along a single `axis`. */
  readonly weights?: ArrayLike
}

/**
 * Weighted mean Σ w·a / Σ w over axes (jnp.average(a, axis=None, weights=None, keepdims=False)).
 * @example
 * import { average, array } from 'wengert'
 * assert.strictEqual(average(array([1, 2, 4]), { weights: array([1, 1, 2]) }).item(), 2.75)
 * @category ops
 * @since 0.2.0
 */
export const average = (a: ArrayLike, axisOrOpts?: AxisOr<AverageOptions>): NdArray => {
  const o = axisOptions('average', axisOrOpts, ['axis', 'keepdims', 'weights'])
  const x = asFloat('average', a)
  if (o.weights === undefined)
    return mean(x, { axis: o.axis ?? x.shape.map((_, i) => i), keepdims: o.keepdims ?? false })
  let w = asFloat('average', o.weights)
  const axes = normalizeAxes('average', o.axis, x.ndim)
  if (w.ndim === 1 && x.ndim > 1) {
    if (axes.length !== 1) throw new ValueError('average: 1D weights expected when shapes of a and weights differ')
    const ax = axes[0] as number
    if (w.size !== x.shape[ax]) throw new ValueError('average: Length of weights not compatible with specified axis')
    w = reshape(
      w,
      x.shape.map((d, i) => (i === ax ? d : 1)),
    )
  }
  const r = { axis: axes, keepdims: o.keepdims ?? false }
  return div(sum(mul(x, w), r), sum(broadcastTo(w, x.shape), r))
}

/**
 * Range max − min over axes (jnp.ptp).
 * @example
 * import { ptp, array } from 'wengert'
 * assert.strictEqual(ptp(array([4, 9, 2])).item(), 7)
 * @category ops
 * @since 0.2.0
 */
export const ptp = (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const o = axisOptions('ptp', axisOrOpts, KEYS)
  return sub(max(x, o), min(x, o))
}

/**
 * The number of non-zero elements over axes, as int32 (jnp.count_nonzero).
 * @example
 * import { countNonzero, array } from 'wengert'
 * assert.strictEqual(countNonzero(array([0, 3, 0, 1])).item(), 2)
 * @category ops
 * @since 0.2.0
 */
export const countNonzero = (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const o = axisOptions('countNonzero', axisOrOpts, KEYS)
  return sum(lax.cast(notEqual(asArray('countNonzero', x), 0), 'int32'), o)
}

/** Options of {@link cov}. @category ops @since 0.2.0 */
export interface CovOptions {
  /** Rows are variables, columns observations (default true). */
  readonly rowvar?: boolean
  /** Normalise by N instead of N − 1 (default false). */
  readonly bias?: boolean
  /** Overrides the normalisation: divide by N − ddof. */
  readonly ddof?: number
}

/** `m` (and `y`) as a [variables, observations] float array. */
const variables = (op: string, m: ArrayLike, y: ArrayLike | undefined, rowvar: boolean): NdArray => {
  const prep = (v: ArrayLike): NdArray => {
    const a = asFloat(op, v)
    if (a.ndim > 2) throw new ValueError(`${op}: m has more than 2 dimensions`)
    const b = a.ndim < 2 ? reshape(a, [1, a.size]) : a
    return rowvar || a.ndim < 2 ? b : transpose(b)
  }
  const x = prep(m)
  return y === undefined ? x : lax.concatenate([x, prep(y)], 0)
}

/**
 * Covariance matrix of variables (rows, unless `rowvar` is false) (jnp.cov(m, y=None,
 * rowvar=True, bias=False, ddof=None)); a single variable gives a 0-d result.
 * @example
 * import { cov, array } from 'wengert'
 * assert.deepStrictEqual(cov(array([[0, 1, 2], [2, 1, 0]])).toArray(), [[1, -1], [-1, 1]])
 * @category ops
 * @since 0.2.0
 */
export const cov = (m: ArrayLike, y?: ArrayLike, options?: CovOptions): NdArray => {
  const o = checkOptions('cov', options, ['rowvar', 'bias', 'ddof'])
  const x = variables('cov', m, y, o.rowvar ?? true)
  const n = x.shape[1] as number
  const ddof = o.ddof ?? (o.bias === true ? 0 : 1)
  const d = sub(x, mean(x, { axis: 1, keepdims: true }))
  const c = div(matmul(d, transpose(d)), n - ddof)
  return c.shape[0] === 1 ? reshape(c, []) : c
}

/**
 * Pearson correlation coefficients (jnp.corrcoef(x, y=None, rowvar=True)).
 * @example
 * import { corrcoef, array } from 'wengert'
 * assert.deepStrictEqual(corrcoef(array([[0, 1, 2], [4, 2, 0]], { dtype: 'float64' })).toArray(), [[1, -1], [-1, 1]])
 * @category ops
 * @since 0.2.0
 */
export const corrcoef = (x: ArrayLike, y?: ArrayLike, options?: { readonly rowvar?: boolean }): NdArray => {
  const o = checkOptions('corrcoef', options, ['rowvar'])
  const c = cov(x, y, { rowvar: o.rowvar ?? true })
  if (c.ndim === 0) return div(c, c)
  const sd = sqrt(diagonal(c))
  const r = div(div(c, expandDims(sd, 1)), expandDims(sd, 0))
  // rounding can put |r| a hair above 1: clip as NumPy does
  return clip(r, -1, 1)
}
