/**
 * Running products and differences: NumPy/JAX `cumprod` and `diff`. (`cumsum` is with the
 * reductions; the `lax` spellings `lax.cummax` etc. are in `./laxScans`.)
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import * as _ from '../internal/dual'
import { axisOptions, checkOptions, type AxisOr } from '../internal/options'
import type { DType } from '../ndarray/dtype'
import { DTypeError, ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxis } from '../ndarray/shape'
import { asArray, type ArrayLike } from './convert'

/** Options of {@link cumprod}. */
export interface CumprodOptions {
  /** The axis to multiply along (negative counts from the end); default: the flattened array. */
  readonly axis?: number
  /** Multiply from the end of the axis. Default false. */
  readonly reverse?: boolean
  /** Dtype of the products and the result; default the input's (bool multiplies as int32). */
  readonly dtype?: DType
}
const CUMPROD_KEYS: ReadonlyArray<keyof CumprodOptions> = ['axis', 'reverse', 'dtype']

/**
 * Running product along an axis (NumPy/JAX `cumprod`; `reverse` as JAX's `lax.cumprod`).
 * Without `axis` the array is flattened first. Its gradient is exact where entries are zero.
 * @example
 * import { cumprod, array } from 'wengert'
 * assert.deepStrictEqual(cumprod(array([[1, 2], [3, 4]])).toArray(), [1, 2, 6, 24])
 * assert.deepStrictEqual(cumprod(array([[1, 2], [3, 4]]), { axis: 1 }).toArray(), [[1, 2], [3, 12]])
 * assert.deepStrictEqual(cumprod(array([1, 2, 3]), { axis: 0, reverse: true }).toArray(), [6, 6, 3])
 * @category ops @since 0.2.0
 */
export const cumprod = _.dual(
  'cumprod',
  (x: ArrayLike, axisOrOpts?: AxisOr<CumprodOptions>): NdArray => {
    const opts = axisOptions('cumprod', axisOrOpts, CUMPROD_KEYS)
    const a0 = asArray('cumprod', x)
    const dtype = opts.dtype ?? (a0.dtype === 'bool' ? 'int32' : a0.dtype)
    if (dtype === 'bool')
      throw new DTypeError('cumprod: dtype bool cannot hold a running product; expected int32, float32 or float64')
    const a = lax.cast(opts.axis === undefined ? lax.reshape(a0, [a0.size]) : a0, dtype)
    const axis = opts.axis === undefined ? 0 : normalizeAxis('cumprod', opts.axis, a.ndim)
    return lax.cumprod(a, axis, opts.reverse ?? false)
  },
  { isRest: _.optionsOnly },
)

/** Options of {@link diff}. */
export interface DiffOptions {
  /** How many times to difference. Default 1. */
  readonly n?: number
  /** Axis to difference along. Default -1. */
  readonly axis?: number
  /** Values put before `x` along the axis (a scalar is broadcast to length 1). */
  readonly prepend?: ArrayLike
  /** Values put after `x` along the axis (a scalar is broadcast to length 1). */
  readonly append?: ArrayLike
}
const DIFF_KEYS: ReadonlyArray<keyof DiffOptions> = ['n', 'axis', 'prepend', 'append']

/** `v` as a block to join to `a` along `axis` (a 0-d value becomes one slice). */
const edge = (v: ArrayLike, a: NdArray, axis: number): NdArray => {
  const e = lax.cast(asArray('diff', v), a.dtype)
  if (e.ndim === 0)
    return lax.broadcastInDim(
      e,
      a.shape.map((d, i) => (i === axis ? 1 : d)),
      [],
    )
  if (e.ndim !== a.ndim || e.shape.some((d, i) => i !== axis && d !== a.shape[i]))
    throw new ShapeError(
      `diff: prepend/append of shape [${e.shape}] do not match the input's [${a.shape}] except along axis ${axis}`,
    )
  return e
}

/**
 * n-th discrete difference along an axis (NumPy/JAX `diff`): `out[i] = x[i+1] − x[i]`,
 * repeated `n` times; bool arrays use not-equal. `prepend`/`append` extend `x` first.
 * @example
 * import { diff, array } from 'wengert'
 * assert.deepStrictEqual(diff(array([1, 4, 9, 16])).toArray(), [3, 5, 7])
 * assert.deepStrictEqual(diff(array([1, 4, 9, 16]), { n: 2 }).toArray(), [2, 2])
 * assert.deepStrictEqual(diff(array([1, 2]), { prepend: 0, append: 5 }).toArray(), [1, 1, 3])
 * assert.deepStrictEqual(diff(array([[1, 2], [4, 8]]), { axis: 0 }).toArray(), [[3, 6]])
 * @category ops @since 0.2.0
 */
export const diff = (x: ArrayLike, options?: DiffOptions): NdArray => {
  const opts = checkOptions('diff', options, DIFF_KEYS)
  const n = opts.n ?? 1
  const a0 = asArray('diff', x)
  if (!Number.isInteger(n)) throw new ValueError(`diff: n must be an integer, got ${n}`)
  if (n < 0) throw new ValueError(`order must be non-negative but got ${n}`)
  if (a0.ndim === 0) throw new ValueError('diff requires input that is at least one dimensional; got a 0-d array')
  const axis = normalizeAxis('diff', opts.axis ?? -1, a0.ndim)
  const parts = [
    ...(opts.prepend === undefined ? [] : [edge(opts.prepend, a0, axis)]),
    a0,
    ...(opts.append === undefined ? [] : [edge(opts.append, a0, axis)]),
  ]
  let a = parts.length === 1 ? a0 : lax.concatenate(parts, axis)
  for (let k = 0; k < n; k++) {
    const len = a.shape[axis] as number
    if (len === 0) break
    const take = (from: number, to: number): NdArray =>
      lax.slice(
        a,
        a.shape.map((_d, i) => (i === axis ? from : 0)),
        a.shape.map((d, i) => (i === axis ? to : d)),
        a.shape.map(() => 1),
      )
    const [hi, lo] = [take(1, len), take(0, len - 1)]
    a = a.dtype === 'bool' ? lax.ne(hi, lo) : lax.sub(hi, lo)
  }
  return a
}
