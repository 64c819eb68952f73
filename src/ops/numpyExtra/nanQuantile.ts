/**
 * `jax.numpy`'s NaN-ignoring order statistics: `nanquantile`, `nanpercentile` and `nanmedian`.
 * Each row is sorted (NaNs last) and its count of non-NaN values picks the order statistics, so
 * the result is differentiable in the values (through the sort and the gather) and stages under
 * `jit`; an all-NaN row gives NaN.
 *
 * @category ops
 * @since 0.4.0
 */
import * as lax from '../../core/lax'
import { requireNumberOrList } from '../../internal/args'
import { axisOptions, checkOptions, type AxisOr } from '../../internal/options'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxes } from '../../ndarray/shape'
import { asFloat, type ArrayLike } from '../convert'
import { add, div, equal, greater, logicalAnd, logicalNot, mul, sub, where } from '../elementwise'
import { reshape } from '../layout'
import { transpose } from '../linalg'
import type { ReduceOptions } from '../reduce'
import { sum } from '../reduce'
import { takeAlongAxis } from '../scatterOps'
import { sort } from '../sorting'
import { ceil, floor, isnan } from '../unary'
import type { QuantileOptions } from './reduce'

const QKEYS: ReadonlyArray<keyof QuantileOptions> = ['axis', 'method', 'keepdims']
const METHODS = ['linear', 'lower', 'higher', 'midpoint', 'nearest'] as const

/** The sorted rows [...rest, n] (NaNs last) and each row's count of non-NaN values [...rest, 1]. */
const sortedRows = (op: string, a: NdArray, axisOpt: QuantileOptions['axis']) => {
  const axes = normalizeAxes(op, axisOpt, a.ndim)
  const rest = a.shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const n = axes.reduce((k, i) => k * (a.shape[i] as number), 1)
  const flat = reshape(transpose(a, [...rest, ...axes]), [...rest.map((i) => a.shape[i] as number), n])
  const count = sum(lax.cast(logicalNot(isnan(flat)), a.dtype), { axis: -1, keepdims: true })
  return { axes, s: sort(flat, -1), count }
}

/** The q-quantile of each sorted row by `method`, NaN where the row has no values. */
const rowQuantile = (s: NdArray, count: NdArray, q: number, method: QuantileOptions['method']): NdArray => {
  const pos = mul(sub(count, 1), q)
  const lo = where(greater(pos, 0), floor(pos), 0)
  const hi = where(greater(pos, 0), ceil(pos), 0)
  const at = (i: NdArray): NdArray => takeAlongAxis(s, lax.cast(i, 'int32'), -1)
  const w = sub(pos, lo)
  const value = ((): NdArray => {
    switch (method ?? 'linear') {
      case 'lower':
        return at(lo)
      case 'higher':
        return at(hi)
      case 'midpoint':
        return mul(add(at(lo), at(hi)), 0.5)
      case 'nearest': {
        // a half position rounds to the even index (NumPy's rule)
        const half = equal(w, 0.5)
        const loEven = equal(sub(lo, mul(floor(div(lo, 2)), 2)), 0)
        return at(where(logicalAnd(half, loEven), lo, where(half, hi, floor(add(pos, 0.5)))))
      }
      case 'linear':
        return add(mul(at(lo), sub(1, w)), mul(at(hi), w))
      default:
        throw new ValueError(`nanquantile: method must be one of ${METHODS.join(', ')}; got ${String(method)}`)
    }
  })()
  return where(equal(count, 0), NaN, value)
}

const nanQuantileCall = (
  op: string,
  a: ArrayLike,
  q: number | ReadonlyArray<number>,
  scale: number,
  opts?: QuantileOptions,
): NdArray => {
  const o = checkOptions(op, opts, QKEYS)
  if (o.method !== undefined && !(METHODS as ReadonlyArray<string>).includes(o.method))
    throw new ValueError(`${op}: method must be one of ${METHODS.join(', ')}; got ${String(o.method)}`)
  const x = asFloat(op, a)
  if (x.size === 0) throw new ValueError(`${op}: the input is empty`)
  const qv = requireNumberOrList(op, 'q', q)
  const qs = (typeof qv === 'number' ? [qv] : qv).map((v) => v / scale)
  if (qs.some((v) => !(v >= 0 && v <= 1)))
    throw new ValueError(`${op}: q must be in the range [0, ${scale === 1 ? 1 : 100}], got ${String(q)}`)
  const { axes, s, count } = sortedRows(op, x, o.axis)
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
  const keptShape = o.keepdims === true ? kept : x.shape.filter((_, i) => !axes.includes(i))
  const parts = qs.map((v) => reshape(rowQuantile(s, count, v, o.method), [1, ...keptShape]))
  const out = parts.length === 1 ? (parts[0] as NdArray) : lax.concatenate(parts, 0)
  return typeof q === 'number' ? reshape(out, keptShape) : out
}

/**
 * The q-th quantiles over axes ignoring NaNs (jnp.nanquantile(a, q, axis=None, method='linear',
 * keepdims=False)); a list q adds a leading axis; NaN where a slice is all NaN.
 * @example
 * import { nanquantile, array } from 'wengert'
 * assert.strictEqual(nanquantile(array([1, NaN, 3, 4]), 0.5).item(), 3)
 * assert.deepStrictEqual(nanquantile(array([[1, NaN], [NaN, NaN]]), 0.5, { axis: 1 }).toArray(), [1, NaN])
 * @category ops @since 0.4.0
 */
export const nanquantile = (a: ArrayLike, q: number | ReadonlyArray<number>, opts?: QuantileOptions): NdArray =>
  nanQuantileCall('nanquantile', a, q, 1, opts)

/**
 * The q-th percentiles ignoring NaNs, q in [0, 100] (jnp.nanpercentile).
 * @example
 * import { nanpercentile, array } from 'wengert'
 * assert.strictEqual(nanpercentile(array([1, 2, NaN, 3, 4, 5]), 25).item(), 2)
 * @category ops @since 0.4.0
 */
export const nanpercentile = (a: ArrayLike, q: number | ReadonlyArray<number>, opts?: QuantileOptions): NdArray =>
  nanQuantileCall('nanpercentile', a, q, 100, opts)

/**
 * The median over axes ignoring NaNs (jnp.nanmedian(a, axis=None, keepdims=False)).
 * @example
 * import { nanmedian, array } from 'wengert'
 * assert.strictEqual(nanmedian(array([3, NaN, 1, 2])).item(), 2)
 * @category ops @since 0.4.0
 */
export const nanmedian = (a: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const o = axisOptions('nanmedian', axisOrOpts, ['axis', 'keepdims'])
  return nanQuantileCall('nanmedian', a, 0.5, 1, o)
}
