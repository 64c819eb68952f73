/**
 * Reductions with NumPy's `axis` (number, list, negative allowed; default all) and
 * `keepdims`, plus the numerically stable softmax family.
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import * as _ from '../internal/dual'
import { axisOptions, type AxisOr } from '../internal/options'
import { sumDType, type DType } from '../ndarray/dtype'
import { DTypeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxes, normalizeAxis, sizeOf } from '../ndarray/shape'
import { asArray, asFloat, toFloat, type ArrayLike } from './convert'

/** Options of reductions. */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); default: all. */
  readonly axis?: number | ReadonlyArray<number>
  /** Keep reduced axes as size 1. Default false. */
  readonly keepdims?: boolean
}

/**
 * A reduction: dual (data-first `sum(x, 1)`, data-last `pipe(x, sum({ axis: 1 }))`); its second
 * argument is the axis or an options object (docs/transforms.md, "Calling convention").
 */
const reduction = <O, R>(name: string, body: (x: ArrayLike, axisOrOpts?: AxisOr<O>) => R) =>
  _.dual(name, body, { isRest: _.optionsOnly })

const REDUCE_KEYS: ReadonlyArray<keyof ReduceOptions> = ['axis', 'keepdims']

/** Re-inserts reduced axes as size-1 axes when keepdims is asked for. */
const keep = (y: NdArray, x: NdArray, axes: ReadonlyArray<number>, keepdims: boolean | undefined): NdArray =>
  keepdims
    ? lax.reshape(
        y,
        x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
      )
    : y

const prep = (op: string, x: ArrayLike, opts: ReduceOptions): [NdArray, number[]] => {
  const a = asArray(op, x)
  return [a, normalizeAxes(op, opts.axis, a.ndim)]
}

/**
 * Sum over axes (bool, uint8, int8 and int16 sum as int32).
 * @example
 * import { sum, array } from 'wengert'
 * assert.deepStrictEqual(sum(array([[1, 2], [3, 4]]), { axis: 0 }).toArray(), [4, 6])
 * assert.deepStrictEqual(sum(array([[1, 2], [3, 4]]), { axis: -1, keepdims: true }).toArray(), [[3], [7]])
 * assert.strictEqual(sum(array([0.5, 1.7]), { dtype: 'int32' }).item(), 1)
 * @category ops @since 0.1.0
 */
export const sum = reduction('sum', (x: ArrayLike, axisOrOpts?: AxisOr<SumOptions>): NdArray => {
  const opts = axisOptions('sum', axisOrOpts, SUM_KEYS)
  const [a0, axes] = prep('sum', x, opts)
  const a = lax.cast(a0, opts.dtype ?? sumDType(a0.dtype))
  return keep(lax.reduceSum(a, axes), a, axes, opts.keepdims)
})

/** Options of {@link sum}. @category ops @since 0.3.0 */
export interface SumOptions extends ReduceOptions {
  /** The dtype the elements are cast to and summed in (NumPy/JAX `dtype=`); default the input's (bool and small integers: int32). */
  readonly dtype?: DType
}
const SUM_KEYS: ReadonlyArray<keyof SumOptions> = ['axis', 'keepdims', 'dtype']

/** Options of {@link cumsum}. */
export interface CumsumOptions {
  /** The axis to sum along (negative counts from the end); default: the flattened array. */
  readonly axis?: number
  /** Sum from the end of the axis: element i holds the sum of elements i and after. Default false. */
  readonly reverse?: boolean
  /** Dtype of the sums and the result; default the input's (bool and the small integers sum as int32). */
  readonly dtype?: DType
}
const CUMSUM_KEYS: ReadonlyArray<keyof CumsumOptions> = ['axis', 'reverse', 'dtype']

/**
 * Running sum along an axis (NumPy/JAX `cumsum`; `reverse` as JAX's `lax.cumsum`). Without
 * `axis` the array is flattened first. The sums accumulate in the result's dtype, as NumPy's do.
 * @example
 * import { cumsum, array } from 'wengert'
 * assert.deepStrictEqual(cumsum(array([[1, 2], [3, 4]])).toArray(), [1, 3, 6, 10])
 * assert.deepStrictEqual(cumsum(array([[1, 2], [3, 4]]), { axis: 0 }).toArray(), [[1, 2], [4, 6]])
 * assert.deepStrictEqual(cumsum(array([1, 2, 3]), { axis: -1, reverse: true }).toArray(), [6, 5, 3])
 * assert.strictEqual(cumsum(array([true, true])).dtype, 'int32')
 * @category ops @since 0.2.0
 */
export const cumsum = reduction('cumsum', (x: ArrayLike, axisOrOpts?: AxisOr<CumsumOptions>): NdArray => {
  const opts = axisOptions('cumsum', axisOrOpts, CUMSUM_KEYS)
  const a0 = asArray('cumsum', x)
  const dtype = opts.dtype ?? sumDType(a0.dtype)
  if (dtype === 'bool')
    throw new DTypeError('cumsum: dtype bool cannot hold a running sum; expected int32, float32 or float64')
  const a = lax.cast(opts.axis === undefined ? lax.reshape(a0, [a0.size]) : a0, dtype)
  const axis = opts.axis === undefined ? 0 : normalizeAxis('cumsum', opts.axis, a.ndim)
  return lax.cumsum(a, axis, opts.reverse ?? false)
})

/**
 * Mean over axes (ints promote to float32).
 * @example
 * import { mean, array } from 'wengert'
 * assert.deepStrictEqual(mean(array([[1, 2], [3, 4]]), { axis: 0 }).toArray(), [2, 3])
 * assert.strictEqual(mean(array([[1, 2], [3, 4]])).item(), 2.5)
 * @category ops @since 0.1.0
 */
export const mean = reduction('mean', (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const opts = axisOptions('mean', axisOrOpts, REDUCE_KEYS)
  const [a0, axes] = prep('mean', x, opts)
  const a = toFloat(a0)
  const n = sizeOf(axes.map((i) => a.shape[i] as number))
  return keep(lax.mulScalar(lax.reduceSum(a, axes), 1 / n), a, axes, opts.keepdims)
})

/**
 * Maximum over axes (ties share the derivative).
 * @example
 * import { max, array } from 'wengert'
 * assert.deepStrictEqual(max(array([[1, 5], [7, 2]]), { axis: 1 }).toArray(), [5, 7])
 * @category ops @since 0.1.0
 */
export const max = reduction('max', (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const opts = axisOptions('max', axisOrOpts, REDUCE_KEYS)
  const [a, axes] = prep('max', x, opts)
  checkNonEmpty('max', a, axes)
  return keep(lax.reduceMax(a, axes), a, axes, opts.keepdims)
})

/**
 * Minimum over axes: −max(−x).
 * @example
 * import { min, array } from 'wengert'
 * assert.deepStrictEqual(min(array([[1, 5], [7, 2]]), { axis: -1, keepdims: true }).toArray(), [[1], [2]])
 * @category ops @since 0.1.0
 */
export const min = reduction('min', (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const opts = axisOptions('min', axisOrOpts, REDUCE_KEYS)
  const [a, axes] = prep('min', x, opts)
  checkNonEmpty('min', a, axes)
  return keep(lax.neg(lax.reduceMax(lax.neg(a), axes)), a, axes, opts.keepdims)
})

const checkNonEmpty = (op: string, a: NdArray, axes: ReadonlyArray<number>): void => {
  if (axes.some((i) => a.shape[i] === 0))
    throw new ValueError(`${op}: zero-size array to reduction operation ${op} which has no identity`)
}

/**
 * Product over axes, as a balanced tree of multiplications of halves: exact derivatives even
 * with zeros among the factors (no division by x).
 * @example
 * import { prod, array } from 'wengert'
 * assert.strictEqual(prod(array([1, 2, 3, 4])).item(), 24)
 * assert.deepStrictEqual(prod(array([[1, 2], [3, 4]]), { axis: 1 }).toArray(), [2, 12])
 * @category ops @since 0.1.0
 */
export const prod = reduction('prod', (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const opts = axisOptions('prod', axisOrOpts, REDUCE_KEYS)
  const [a0, axes] = prep('prod', x, opts)
  const a = lax.cast(a0, sumDType(a0.dtype))
  // move reduced axes to the back and flatten them into one
  const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const t = lax.transpose(a, [...kept, ...axes])
  const keptShape = kept.map((i) => a.shape[i] as number)
  const n = sizeOf(axes.map((i) => a.shape[i] as number))
  let cur = lax.reshape(t, [...keptShape, n])
  let len = n
  const last = keptShape.length
  const sl = (v: NdArray, s: number, e: number): NdArray =>
    lax.slice(
      v,
      v.shape.map((_, i) => (i === last ? s : 0)),
      v.shape.map((d, i) => (i === last ? e : d)),
      v.shape.map(() => 1),
    )
  if (len === 0)
    return keep(
      lax.reshape(lax.addScalar(lax.zerosLike({ shape: keptShape, dtype: a.dtype }), 1), keptShape),
      a,
      axes,
      opts.keepdims,
    )
  while (len > 1) {
    const half = Math.floor(len / 2)
    const paired = lax.mul(sl(cur, 0, half), sl(cur, half, 2 * half))
    cur = len % 2 === 1 ? lax.concatenate([paired, sl(cur, 2 * half, len)], last) : paired
    len = cur.shape[last] as number
  }
  return keep(lax.reshape(cur, keptShape), a, axes, opts.keepdims)
})

/** Options of var/std. */
export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom: divide by N − ddof. Default 0 (NumPy). */
  readonly ddof?: number
}
const VAR_KEYS: ReadonlyArray<keyof VarOptions> = ['axis', 'keepdims', 'ddof']

/**
 * Variance: mean of squared deviations, divided by max(N − ddof, 0) (NumPy: ddof ≥ N gives inf,
 * or NaN for constant data). The axis is the second argument or `{ axis }`. Also exported as `var` (a
 * reserved word, so only usable as `w.var` or `import { var as variance }`).
 * @example
 * import { variance, array } from 'wengert'
 * assert.strictEqual(variance(array([1, 2, 3, 4])).item(), 1.25)
 * assert.ok(Math.abs((variance(array([1, 2, 3, 4]), { ddof: 1 }).item() as number) - 5 / 3) < 1e-6)
 * @category ops @since 0.1.0
 */
export const variance = reduction('var', (x: ArrayLike, axisOrOpts?: AxisOr<VarOptions>): NdArray => {
  const opts = axisOptions('var', axisOrOpts, VAR_KEYS)
  const [a0, axes] = prep('var', x, opts)
  const a = toFloat(a0)
  const n = sizeOf(axes.map((i) => a.shape[i] as number))
  const m = keep(lax.mulScalar(lax.reduceSum(a, axes), 1 / n), a, axes, true)
  const d = lax.add(a, lax.neg(m))
  const ss = lax.reduceSum(lax.mul(d, d), axes)
  const ddof = opts.ddof ?? 0
  if (typeof ddof !== 'number' || !Number.isFinite(ddof))
    throw new ValueError(`var: ddof must be a finite number, got ${String(ddof)}`)
  // as NumPy: the divisor is max(N − ddof, 0), so ddof ≥ N gives inf (or NaN for constant data)
  return keep(lax.mulScalar(ss, 1 / Math.max(n - ddof, 0)), a, axes, opts.keepdims)
})

/**
 * Standard deviation: √var.
 * @example
 * import { std, array } from 'wengert'
 * assert.strictEqual(std(array([2, 4, 4, 4, 5, 5, 7, 9])).item(), 2)
 * @category ops @since 0.1.0
 */
export const std = reduction('std', (x: ArrayLike, axisOrOpts?: AxisOr<VarOptions>): NdArray =>
  lax.sqrt(variance(x, axisOptions('std', axisOrOpts, VAR_KEYS))),
)

/** Options of argmax/argmin. */
export interface ArgOptions {
  /** Axis (default: over the flattened array). */
  readonly axis?: number
  readonly keepdims?: boolean
}
const ARG_KEYS: ReadonlyArray<keyof ArgOptions> = ['axis', 'keepdims']

const argOp = (op: 'argmax' | 'argmin', x: ArrayLike, opts: ArgOptions): NdArray => {
  let a = asArray(op, x)
  let axis: number
  if (opts.axis === undefined) {
    a = lax.reshape(a, [a.size])
    axis = 0
  } else axis = normalizeAxis(op, opts.axis, a.ndim)
  if (a.shape[axis] === 0) throw new ValueError(`${op}: attempt to get ${op} of an empty sequence`)
  const r = op === 'argmax' ? lax.argmax(a, axis) : lax.argmin(a, axis)
  if (!opts.keepdims) return r
  // keepdims without an axis keeps every axis of the input as size 1 (NumPy)
  return lax.reshape(
    r,
    opts.axis === undefined ? asArray(op, x).shape.map(() => 1) : a.shape.map((d, i) => (i === axis ? 1 : d)),
  )
}
/**
 * Index of the maximum (int32; first occurrence).
 * @example
 * import { argmax, array } from 'wengert'
 * assert.strictEqual(argmax(array([[1, 5], [7, 2]])).item(), 2)
 * assert.deepStrictEqual(argmax(array([[1, 5], [7, 2]]), { axis: 1 }).toArray(), [1, 0])
 * @category ops @since 0.1.0
 */
export const argmax = reduction('argmax', (x: ArrayLike, axisOrOpts?: AxisOr<ArgOptions>): NdArray =>
  argOp('argmax', x, axisOptions('argmax', axisOrOpts, ARG_KEYS)),
)
/**
 * Index of the minimum (int32; first occurrence).
 * @example
 * import { argmin, array } from 'wengert'
 * assert.deepStrictEqual(argmin(array([[1, 5], [7, 2]]), { axis: 0 }).toArray(), [0, 1])
 * @category ops @since 0.1.0
 */
export const argmin = reduction('argmin', (x: ArrayLike, axisOrOpts?: AxisOr<ArgOptions>): NdArray =>
  argOp('argmin', x, axisOptions('argmin', axisOrOpts, ARG_KEYS)),
)

/**
 * True where all elements are truthy (bool).
 * @example
 * import { all, array } from 'wengert'
 * assert.deepStrictEqual(all(array([[true, false], [true, true]]), { axis: 1 }).toArray(), [false, true])
 * @category ops @since 0.1.0
 */
export const all = reduction('all', (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const opts = axisOptions('all', axisOrOpts, REDUCE_KEYS)
  const [a, axes] = prep('all', x, opts)
  return keep(lax.reduceAnd(lax.cast(a, 'bool'), axes), a, axes, opts.keepdims)
})
/**
 * True where any element is truthy (bool).
 * @example
 * import { any, array } from 'wengert'
 * assert.deepStrictEqual(any(array([[true, false], [false, false]]), { axis: 1 }).toArray(), [true, false])
 * @category ops @since 0.1.0
 */
export const any = reduction('any', (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const opts = axisOptions('any', axisOrOpts, REDUCE_KEYS)
  const [a, axes] = prep('any', x, opts)
  return keep(lax.reduceOr(lax.cast(a, 'bool'), axes), a, axes, opts.keepdims)
})

/**
 * `log Σ eˣ` over axes, stable for large inputs: m + log Σ e^(x − m) with m = stopGradient(max x)
 * (m's derivative cancels exactly, so stopping it keeps the result and avoids tie weights).
 * @example
 * import { logsumexp, array } from 'wengert'
 * assert.ok(Math.abs((logsumexp(array([1000, 1000], { dtype: 'float64' })).item() as number) - (1000 + Math.LN2)) < 1e-12)
 * @category ops @since 0.1.0
 */
export const logsumexp = reduction('logsumexp', (x: ArrayLike, axisOrOpts?: AxisOr<ReduceOptions>): NdArray => {
  const opts = axisOptions('logsumexp', axisOrOpts, REDUCE_KEYS)
  const a = asFloat('logsumexp', x)
  const axes = normalizeAxes('logsumexp', opts.axis, a.ndim)
  const mk = lax.stopGradient(keep(lax.reduceMax(a, axes), a, axes, true))
  const safe = lax.select(lax.isFinite(mk), mk, lax.scalarLike(0, mk))
  const s = lax.log(lax.reduceSum(lax.exp(lax.add(a, lax.neg(safe))), axes))
  return keep(lax.add(s, lax.reshape(safe, s.shape)), a, axes, opts.keepdims)
})

/** Options of softmax. */
export interface SoftmaxOptions {
  /** Axis (default −1). */
  readonly axis?: number | ReadonlyArray<number>
}
const SOFTMAX_KEYS: ReadonlyArray<keyof SoftmaxOptions> = ['axis']

/**
 * `x − logsumexp(x)` along an axis: stable log-probabilities.
 * @example
 * import { logSoftmax, array } from 'wengert'
 * assert.deepStrictEqual(logSoftmax(array([1000, 0], { dtype: 'float64' })).toArray(), [0, -1000])
 * @category ops @since 0.1.0
 */
export const logSoftmax = reduction('logSoftmax', (x: ArrayLike, axisOrOpts?: AxisOr<SoftmaxOptions>): NdArray => {
  const opts = axisOptions('logSoftmax', axisOrOpts, SOFTMAX_KEYS)
  const a = asFloat('logSoftmax', x)
  const axes = normalizeAxes('logSoftmax', opts.axis ?? -1, a.ndim)
  const shifted = lax.add(a, lax.neg(lax.stopGradient(keep(lax.reduceMax(a, axes), a, axes, true))))
  const lse = keep(lax.log(lax.reduceSum(lax.exp(shifted), axes)), a, axes, true)
  return lax.add(shifted, lax.neg(lse))
})

/**
 * `eˣ / Σ eˣ` along an axis, stable for large inputs.
 * @example
 * import { softmax, array } from 'wengert'
 * assert.deepStrictEqual(softmax(array([1000, 1000])).toArray(), [0.5, 0.5])
 * assert.deepStrictEqual(softmax(array([[0, 0], [5, 5]]), { axis: 0 }).shape, [2, 2])
 * @category ops @since 0.1.0
 */
export const softmax = reduction('softmax', (x: ArrayLike, axisOrOpts?: AxisOr<SoftmaxOptions>): NdArray => {
  const opts = axisOptions('softmax', axisOrOpts, SOFTMAX_KEYS)
  const a = asFloat('softmax', x)
  const axes = normalizeAxes('softmax', opts.axis ?? -1, a.ndim)
  const e = lax.exp(lax.add(a, lax.neg(lax.stopGradient(keep(lax.reduceMax(a, axes), a, axes, true)))))
  return lax.div(e, keep(lax.reduceSum(e, axes), a, axes, true))
})
