/**
 * `jax.nn`'s functions over axes: softmax and log_softmax with `where`, logsumexp, standardize,
 * glu, one_hot.
 *
 * @category nn
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions, checkAxisValue, isPlainObject } from '../../internal/options'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxes, normalizeAxis } from '../../ndarray/shape'
import { asArray, asFloat, type ArrayLike } from '../convert'
import { add, div, mul, sub, where as select } from '../elementwise'
import { broadcastTo, split } from '../layout'
import { max, sum } from '../reduce'
import { logsumexp as scipyLogsumexp, type LogsumexpOptions } from '../scipy/special'
import { exp, log, rsqrt, sigmoid, square } from '../unary'

/** Options of {@link softmax} and {@link logSoftmax}. @category nn @since 0.2.0 */
export interface NnSoftmaxOptions {
  /** Axis or axes (default −1; null: all axes). */
  readonly axis?: number | ReadonlyArray<number> | null
  /** Elements to include (a boolean array broadcasting to x); the others give 0 (softmax) or −∞ (logSoftmax). */
  readonly where?: ArrayLike
}

/** An axis-taking `nn` function's second argument: the axis (null: all axes) or its options object. @category nn @since 0.2.0 */
export type AxisArg<O> = number | ReadonlyArray<number> | null | O

/** The options of an op whose second argument is an axis (null = all) or an options object. */
const axisArg = <O extends { readonly axis?: number | ReadonlyArray<number> | null }>(
  op: string,
  arg: AxisArg<O> | undefined,
  keys: ReadonlyArray<keyof O>,
): O => {
  if (arg === undefined) return {} as O
  if (arg === null || typeof arg === 'number' || Array.isArray(arg)) {
    checkAxisValue(op, arg)
    return { axis: arg } as O
  }
  if (!isPlainObject(arg)) checkAxisValue(op, arg)
  const o = checkOptions(op, arg as O, keys)
  checkAxisValue(op, o.axis)
  return o
}

/** The axes an option selects: −1 by default, all of them for null. */
const axesOf = (op: string, axis: number | ReadonlyArray<number> | null | undefined, ndim: number): number[] =>
  normalizeAxes(op, axis === null ? undefined : (axis ?? -1), ndim)

/** x with −∞ where the mask is false, and the mask broadcast to x's shape. */
const masked = (op: string, a: NdArray, where: ArrayLike): [NdArray, NdArray] => {
  const w = broadcastTo(lax.cast(asArray(op, where), 'bool'), a.shape)
  return [select(w, a, -Infinity), w]
}

/** The shifted input x − stopGradient(max x) over `axes` (x already masked). */
const shifted = (a: NdArray, axes: ReadonlyArray<number>): NdArray =>
  sub(a, lax.stopGradient(max(a, { axis: axes, keepdims: true })))

const SOFTMAX_KEYS: ReadonlyArray<keyof NnSoftmaxOptions> = ['axis', 'where']

/** The float input, its reduced axes and the `where` mask (inputs masked) of a softmax form. */
const softmaxInputs = (
  fn: string,
  x: ArrayLike,
  axisOrOpts: AxisArg<NnSoftmaxOptions> | undefined,
): { a: NdArray; axes: number[]; w: NdArray | undefined } => {
  const o = axisArg(fn, axisOrOpts, SOFTMAX_KEYS)
  let a = asFloat(fn, x)
  const axes = axesOf(fn, o.axis, a.ndim)
  let w: NdArray | undefined
  if (o.where !== undefined) [a, w] = masked(fn, a, o.where)
  return { a, axes, w }
}

/**
 * `eˣ / Σ eˣ` over `axis` (JAX: `jax.nn.softmax(x, axis=-1, where=None)`); with `where`, the
 * excluded elements give 0 and do not count in the sum.
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.softmax(array([1000, 1000])).toArray(), [0.5, 0.5])
 * const w = array([true, true, false])
 * assert.deepStrictEqual(nn.softmax(array([0, 0, 9]), { where: w }).toArray(), [0.5, 0.5, 0])
 * assert.deepStrictEqual(nn.softmax(array([[0, 0], [0, 0]]), null).toArray(), [[0.25, 0.25], [0.25, 0.25]])
 * @category nn
 * @since 0.2.0
 */
export const softmax = (x: ArrayLike, axisOrOpts?: AxisArg<NnSoftmaxOptions>): NdArray => {
  const { a, axes, w } = softmaxInputs('nn.softmax', x, axisOrOpts)
  const e = exp(shifted(a, axes))
  const out = div(e, sum(e, { axis: axes, keepdims: true }))
  return w === undefined ? out : select(w, out, 0)
}

/**
 * `x − logsumexp(x)` over `axis` (JAX: `jax.nn.log_softmax(x, axis=-1, where=None)`); with
 * `where`, the excluded elements give −∞ and do not count.
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.logSoftmax(array([1000, 0], { dtype: 'float64' })).toArray(), [0, -1000])
 * const w = array([true, false])
 * assert.deepStrictEqual(nn.logSoftmax(array([3, 5]), { where: w }).toArray(), [0, -Infinity])
 * @category nn
 * @since 0.2.0
 */
export const logSoftmax = (x: ArrayLike, axisOrOpts?: AxisArg<NnSoftmaxOptions>): NdArray => {
  const { a, axes, w } = softmaxInputs('nn.logSoftmax', x, axisOrOpts)
  const s = shifted(a, axes)
  const out = sub(s, log(sum(exp(s), { axis: axes, keepdims: true })))
  return w === undefined ? out : select(w, out, -Infinity)
}

/** Options of {@link logsumexp}. @category nn @since 0.2.0 */
export interface NnLogsumexpOptions extends LogsumexpOptions {
  /** Elements to include (a boolean array broadcasting to a). */
  readonly where?: ArrayLike
}

/**
 * `log Σ b·eᵃ` over axes without overflow (JAX: `jax.nn.logsumexp`, which is
 * `jax.scipy.special.logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False, where=None)`).
 * @example
 * import { nn, array } from 'wengert'
 * const a = array([[0, 0], [1000, 1000]], { dtype: 'float64' })
 * const r = nn.logsumexp(a, 1).toArray() as number[]
 * assert.ok(Math.abs(r[0]! - Math.LN2) < 1e-12 && Math.abs(r[1]! - (1000 + Math.LN2)) < 1e-9)
 * const m = nn.logsumexp(array([0, 7]), { where: array([true, false]) })
 * assert.strictEqual(m.item(), 0)
 * @category nn
 * @since 0.2.0
 */
export function logsumexp(
  a: ArrayLike,
  opts: NnLogsumexpOptions & { readonly returnSign: true },
): readonly [NdArray, NdArray]
export function logsumexp(
  a: ArrayLike,
  axisOrOpts?: number | ReadonlyArray<number> | null | NnLogsumexpOptions,
): NdArray
export function logsumexp(
  a: ArrayLike,
  axisOrOpts?: number | ReadonlyArray<number> | null | NnLogsumexpOptions,
): NdArray | readonly [NdArray, NdArray] {
  const keys: ReadonlyArray<keyof NnLogsumexpOptions> = ['axis', 'b', 'keepdims', 'returnSign', 'where']
  const o = axisArg<NnLogsumexpOptions>('nn.logsumexp', axisOrOpts, keys)
  const { where, axis, ...rest } = o
  const opts: LogsumexpOptions = axis === null || axis === undefined ? rest : { ...rest, axis }
  const x = where === undefined ? a : masked('nn.logsumexp', asFloat('nn.logsumexp', a), where)[0]
  return opts.returnSign === true
    ? scipyLogsumexp(x, { ...opts, returnSign: true })
    : scipyLogsumexp(x, { ...opts, returnSign: false })
}

/** Options of {@link standardize}. @category nn @since 0.2.0 */
export interface StandardizeOptions {
  /** Axis or axes (default −1; null: all). */
  readonly axis?: number | ReadonlyArray<number> | null
  /** Mean to subtract (default: the mean over `axis`). */
  readonly mean?: ArrayLike
  /** Variance to divide by the square root of (default: mean(x²) − mean², over `axis`). */
  readonly variance?: ArrayLike
  /** Added to the variance (default 1e-5). */
  readonly epsilon?: ArrayLike
  /** Elements the default mean and variance include. */
  readonly where?: ArrayLike
}

/**
 * `(x − mean)·rsqrt(variance + epsilon)` (JAX: `jax.nn.standardize(x, axis=-1, mean=None,
 * variance=None, epsilon=1e-5, where=None)`; the default variance is mean(x²) − mean(x)², as JAX).
 * @example
 * import { nn, array } from 'wengert'
 * const y = nn.standardize(array([1, 3], { dtype: 'float64' }), { epsilon: 0 }).toArray()
 * assert.deepStrictEqual(y, [-1, 1])
 * @category nn
 * @since 0.2.0
 */
export const standardize = (x: ArrayLike, axisOrOpts?: AxisArg<StandardizeOptions>): NdArray => {
  const keys: ReadonlyArray<keyof StandardizeOptions> = ['axis', 'mean', 'variance', 'epsilon', 'where']
  const o = axisArg('nn.standardize', axisOrOpts, keys)
  const a = asFloat('nn.standardize', x)
  const axes = axesOf('nn.standardize', o.axis, a.ndim)
  const w =
    o.where === undefined ? undefined : broadcastTo(lax.cast(asArray('nn.standardize', o.where), 'bool'), a.shape)
  const avg = (v: NdArray): NdArray =>
    w === undefined
      ? div(
          sum(v, { axis: axes, keepdims: true }),
          axes.reduce((n, i) => n * (a.shape[i] as number), 1),
        )
      : div(
          sum(select(w, v, 0), { axis: axes, keepdims: true }),
          sum(lax.cast(w, v.dtype), { axis: axes, keepdims: true }),
        )
  const m = o.mean ?? avg(a)
  const v = o.variance ?? sub(avg(square(a)), square(m))
  return mul(sub(a, m), rsqrt(add(v, o.epsilon ?? 1e-5)))
}

/** Options of {@link glu}. @category nn @since 0.2.0 */
export interface GluOptions {
  /** The axis split in two halves (default −1). */
  readonly axis?: number
}

/**
 * Gated linear unit (JAX: `jax.nn.glu(x, axis=-1)`): the first half of `axis` times the sigmoid
 * of the second half.
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.glu(array([[2, 4, 0, 0]])).toArray(), [[1, 2]])
 * @category nn
 * @since 0.2.0
 */
export const glu = (x: ArrayLike, axisOrOpts?: number | GluOptions): NdArray => {
  const o = typeof axisOrOpts === 'number' ? { axis: axisOrOpts } : checkOptions('nn.glu', axisOrOpts, ['axis'])
  const a = asFloat('nn.glu', x)
  const ax = normalizeAxis('nn.glu', o.axis ?? -1, a.ndim)
  const n = a.shape[ax] as number
  if (n % 2 !== 0)
    throw new ValueError(
      `nn.glu: axis size must be divisible by 2, got ${n} (shape [${a.shape.join(', ')}], axis ${ax})`,
    )
  const [x1, x2] = split(a, 2, ax) as [NdArray, NdArray]
  return mul(x1, sigmoid(x2))
}
