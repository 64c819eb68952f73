/**
 * More of `jax.numpy`'s constructors and polynomial/integration helpers: identity, fullLike,
 * logspace, geomspace, polyval, trapezoid, tril_indices/triu_indices.
 *
 * @category ops
 * @since 0.2.0
 */
import { requireNdArray } from '../../internal/args'
import { checkOptions } from '../../internal/options'
import { eye, full, linspace, type DTypeOptions } from '../../ndarray/create'
import type { DType } from '../../ndarray/dtype'
import { ShapeError, ValueError } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis } from '../../ndarray/shape'
import { asArray, asFloat, type ArrayLike } from '../convert'
import { add, div, mul } from '../elementwise'
import { slice } from '../layout'
import { sum } from '../reduce'
import { diff } from '../scans'

/**
 * The n×n identity (jnp.identity(n, dtype=None)).
 * @example
 * import { identity } from 'wengert'
 * assert.deepStrictEqual(identity(2).toArray(), [[1, 0], [0, 1]])
 * @category ops
 * @since 0.2.0
 */
export const identity = (n: number, options?: DTypeOptions): NdArray => eye(n, options ?? {})

/**
 * An array of `x`'s shape (and dtype, unless given) filled with `value` (jnp.full_like).
 * @example
 * import { fullLike, array } from 'wengert'
 * assert.deepStrictEqual(fullLike(array([1, 2]), 7).toArray(), [7, 7])
 * @category ops
 * @since 0.2.0
 */
export const fullLike = (x: NdArray, value: number | boolean, options?: DTypeOptions): NdArray => {
  const a = requireNdArray('fullLike', 'x', x)
  return full(a.shape, value, { dtype: checkOptions('fullLike', options, ['dtype']).dtype ?? a.dtype })
}

/** Options of {@link logspace}. @category ops @since 0.2.0 */
export interface LogspaceOptions {
  /** Include `stop` (default true). */
  readonly endpoint?: boolean
  /** The base (default 10). */
  readonly base?: number
  /** Result dtype (default float32). */
  readonly dtype?: DType
}

/**
 * `base ** linspace(start, stop, num)` (jnp.logspace(start, stop, num=50, endpoint=True, base=10.0)).
 * @example
 * import { logspace } from 'wengert'
 * assert.deepStrictEqual(logspace(0, 2, 3, { dtype: 'float64' }).toArray(), [1, 10, 100])
 * @category ops
 * @since 0.2.0
 */
export const logspace = (start: number, stop: number, num = 50, options?: LogspaceOptions): NdArray => {
  const o = checkOptions('logspace', options, ['endpoint', 'base', 'dtype'])
  const dtype = o.dtype ?? 'float32'
  const e = linspace(start, stop, num, { dtype: 'float64', endpoint: o.endpoint ?? true })
  const base = o.base ?? 10
  const data = (e.toArray() as number[]).map((v) => base ** v)
  return asArray('logspace', new NdArray([num], 'float64', Float64Array.from(data)), dtype)
}

/**
 * Numbers spaced evenly on a log scale from start to stop (jnp.geomspace(start, stop, num=50, endpoint=True)).
 * @example
 * import { geomspace } from 'wengert'
 * assert.deepStrictEqual(geomspace(1, 1000, 4, { dtype: 'float64' }).toArray(), [1, 10, 100, 1000])
 * @category ops
 * @since 0.2.0
 */
export const geomspace = (
  start: number,
  stop: number,
  num = 50,
  options?: { readonly endpoint?: boolean; readonly dtype?: DType },
): NdArray => {
  const o = checkOptions('geomspace', options, ['endpoint', 'dtype'])
  if (start === 0 || stop === 0) throw new ValueError('geomspace: Geometric sequence cannot include zero')
  if (Math.sign(start) !== Math.sign(stop))
    throw new ValueError('geomspace: start and stop must have the same sign (complex results are not supported)')
  const sg = Math.sign(start)
  const l = logspace(Math.log10(sg * start), Math.log10(sg * stop), num, {
    endpoint: o.endpoint ?? true,
    dtype: 'float64',
  })
  const data = Float64Array.from(l.toArray() as number[], (v) => sg * v)
  // the ends are exact, as NumPy's
  if (num > 0) data[0] = start
  if (num > 1 && (o.endpoint ?? true)) data[num - 1] = stop
  return asArray('geomspace', new NdArray([num], 'float64', data), o.dtype ?? 'float32')
}

/**
 * The polynomial with coefficients `p` (highest power first) at `x`, by Horner's rule (jnp.polyval).
 * @example
 * import { polyval, array } from 'wengert'
 * assert.deepStrictEqual(polyval(array([1, 0, -1]), array([2, 3])).toArray(), [3, 8])
 * @category ops
 * @since 0.2.0
 */
export const polyval = (p: ArrayLike, x: ArrayLike): NdArray => {
  const c = asArray('polyval', p)
  if (c.ndim !== 1) throw new ShapeError(`polyval: p must be 1-D, got shape [${c.shape.join(', ')}]`)
  let y: NdArray = mul(asArray('polyval', x), 0)
  for (let i = 0; i < c.size; i++) y = add(mul(y, x), slice(c, [i]))
  return y
}

/** Options of {@link trapezoid}. @category ops @since 0.2.0 */
export interface TrapezoidOptions {
  /** Sample points (default: spaced by `dx`). */
  readonly x?: ArrayLike
  /** Spacing when `x` is absent (default 1). */
  readonly dx?: number
  /** Axis integrated along (default −1). */
  readonly axis?: number
}

/**
 * The trapezoidal rule ∫y dx along an axis (jnp.trapezoid(y, x=None, dx=1.0, axis=-1)).
 * @example
 * import { trapezoid, array } from 'wengert'
 * assert.strictEqual(trapezoid(array([1, 2, 3])).item(), 4)
 * assert.strictEqual(trapezoid(array([1, 2, 3]), { x: array([0, 1, 3]) }).item(), 6.5)
 * @category ops
 * @since 0.2.0
 */
export const trapezoid = (y: ArrayLike, options?: TrapezoidOptions): NdArray => {
  const o = checkOptions('trapezoid', options, ['x', 'dx', 'axis'])
  const a = asFloat('trapezoid', y)
  const ax = normalizeAxis('trapezoid', o.axis ?? -1, a.ndim)
  const n = a.shape[ax] as number
  const part = (lo: number, hi: number): NdArray =>
    slice(
      a,
      a.shape.map((_, i) => (i === ax ? [lo, hi] : null)),
    )
  const mid = div(add(part(1, n), part(0, n - 1)), 2)
  if (o.x === undefined) return mul(sum(mid, ax), o.dx ?? 1)
  const xs = asFloat('trapezoid', o.x)
  const d = xs.ndim === 1 ? diff(xs) : diff(xs, { axis: ax })
  const dd = xs.ndim === 1 && a.ndim > 1 ? reshapeAlong(d, a.ndim, ax) : d
  return sum(mul(mid, dd), ax)
}

/** A 1-D array laid along axis `ax` of an `ndim`-D array (size-1 elsewhere). */
const reshapeAlong = (d: NdArray, ndim: number, ax: number): NdArray =>
  asArray('trapezoid', d).reshape(Array.from({ length: ndim }, (_, i) => (i === ax ? d.size : 1)))
