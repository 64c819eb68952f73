/**
 * Methods on {@link NdArray} mirroring `jax.Array`'s: `x.T`, `x.mT`, `x.reshape(2, 3)`,
 * `x.sum(1)`, `x.mean({ axis: 0, keepdims: true })`, `x.astype('float64')`, `x.add(y)`, … Each
 * forwards to the op of the same name with `x` as its first argument, so it takes the op's options
 * and traces under every transform (a traced value is an NdArray too). The ndarray layer cannot
 * import the ops, so this module attaches them to `NdArray.prototype` and `./index.ts` imports it:
 * importing `wengert` installs them. The `NdArray` type gains the signatures by declaration
 * merging below.
 *
 * @example
 * import { array, grad } from 'wengert'
 * const x = array([[1, 2, 3], [4, 5, 6]])
 * assert.deepStrictEqual(x.T.shape, [3, 2])
 * assert.deepStrictEqual(x.sum(1).toArray(), [6, 15])
 * assert.deepStrictEqual(x.reshape(3, 2).mean({ axis: 0 }).toArray(), [3, 4])
 * assert.deepStrictEqual(x.mul(2).add(1).max().item(), 13)
 * assert.deepStrictEqual(x.at(0, 1).set(0).toArray(), [[1, 0, 3], [4, 5, 6]])
 * assert.deepStrictEqual(grad((v: typeof x) => v.square().sum())(array([1, 2])).toArray(), [2, 4])
 * @category ops
 * @since 0.2.0
 */
import type { DType } from '../ndarray/dtype'
import { ValueError } from '../ndarray/errors'
import { NdArray, type NestedArray } from '../ndarray/NdArray'
import type { ArrayLike } from './convert'
import type { AxisOr } from '../internal/options'
import type { ArgOptions, CumsumOptions, ReduceOptions, VarOptions } from './reduce'
import type { AxesOption } from './axisArgs'
import * as E from './elementwise'
import * as U from './unary'
import * as R from './reduce'
import * as L from './layout'
import * as M from './linalg'
import * as S from './sorting'
import * as SC from './scans'
import type { SortOptions } from './sorting'
import type { CumprodOptions } from './scans'
import { at as atRef, type AtRef, type IndexItem } from './at'

/** The methods every NdArray (and every traced value) has. */
export interface ArrayMethods {
  /** The transpose (all axes reversed), as `x.T` in JAX and NumPy. */
  readonly T: NdArray
  /** The matrix transpose: the last two axes swapped (`x.mT`). */
  readonly mT: NdArray
  /** A copy converted to `dtype` (see {@link astype}). */
  astype(dtype: DType): NdArray
  /** A new shape: `x.reshape(2, 3)` or `x.reshape([2, 3])` (one size may be -1). */
  reshape(...shape: ReadonlyArray<number> | readonly [ReadonlyArray<number>]): NdArray
  /** Axes permuted: `x.transpose()` reverses them, `x.transpose(1, 0, 2)` or `x.transpose([1, 0, 2])`. */
  transpose(...axes: ReadonlyArray<number> | readonly [ReadonlyArray<number>]): NdArray
  /** Axes `a` and `b` exchanged. */
  swapaxes(a: number, b: number): NdArray
  /** A 1-D copy (row-major). */
  flatten(): NdArray
  /** A 1-D array (row-major), as `flatten`. */
  ravel(): NdArray
  /** Size-1 axes removed (all, or the given ones). */
  squeeze(axisOrOpts?: AxisOr<AxesOption>): NdArray
  /** Elements at `indices` along an axis (see {@link take}). */
  take(indices: Parameters<typeof L.take>[1], axisOrOpts?: Parameters<typeof L.take>[2]): NdArray
  /** Each element repeated `repeats` times (along an axis, or flattened). */
  repeat(repeats: number, axisOrOpts?: Parameters<typeof L.repeat>[2]): NdArray
  /** Sum over axes (see {@link sum}). */
  sum(axisOrOpts?: AxisOr<ReduceOptions>): NdArray
  /** Mean over axes. */
  mean(axisOrOpts?: AxisOr<ReduceOptions>): NdArray
  /** Maximum over axes. */
  max(axisOrOpts?: AxisOr<ReduceOptions>): NdArray
  /** Minimum over axes. */
  min(axisOrOpts?: AxisOr<ReduceOptions>): NdArray
  /** Product over axes. */
  prod(axisOrOpts?: AxisOr<ReduceOptions>): NdArray
  /** Standard deviation over axes (`ddof` option). */
  std(axisOrOpts?: AxisOr<VarOptions>): NdArray
  /** Variance over axes (`ddof` option). */
  var(axisOrOpts?: AxisOr<VarOptions>): NdArray
  /** Index of the maximum (flattened, or along an axis). */
  argmax(axisOrOpts?: AxisOr<ArgOptions>): NdArray
  /** Index of the minimum (flattened, or along an axis). */
  argmin(axisOrOpts?: AxisOr<ArgOptions>): NdArray
  /** True where all elements are non-zero. */
  all(axisOrOpts?: AxisOr<ReduceOptions>): NdArray
  /** True where any element is non-zero. */
  any(axisOrOpts?: AxisOr<ReduceOptions>): NdArray
  /** Running sum (see {@link cumsum}). */
  cumsum(axisOrOpts?: AxisOr<CumsumOptions>): NdArray
  /** Running product (see {@link cumprod}). */
  cumprod(axisOrOpts?: AxisOr<CumprodOptions>): NdArray
  /** Sorted along an axis (default the last; `null` flattens), stable (see {@link sort}). */
  sort(axisOrOpts?: AxisOr<SortOptions>): NdArray
  /** The indices that sort along an axis (see {@link argsort}). */
  argsort(axisOrOpts?: AxisOr<SortOptions>): NdArray
  /** `log(sum(exp(x)))` over axes, computed stably. */
  logsumexp(axisOrOpts?: AxisOr<ReduceOptions>): NdArray
  /** Element-wise sum with broadcasting. */
  add(y: ArrayLike): NdArray
  /** Element-wise difference. */
  sub(y: ArrayLike): NdArray
  /** Element-wise product. */
  mul(y: ArrayLike): NdArray
  /** Element-wise true division. */
  div(y: ArrayLike): NdArray
  /** Element-wise power. */
  pow(y: ArrayLike): NdArray
  /** Element-wise maximum. */
  maximum(y: ArrayLike): NdArray
  /** Element-wise minimum. */
  minimum(y: ArrayLike): NdArray
  /** Matrix product (see {@link matmul}). */
  matmul(y: ArrayLike): NdArray
  /** Dot product (see {@link dot}). */
  dot(y: ArrayLike): NdArray
  /** Values limited to [lo, hi] (either may be omitted). */
  clip(lo?: ArrayLike, hi?: ArrayLike): NdArray
  /** Negation. */
  neg(): NdArray
  /** Absolute value. */
  abs(): NdArray
  /** Sign (−1, 0, 1; NaN stays NaN). */
  sign(): NdArray
  /** Square. */
  square(): NdArray
  /** Square root. */
  sqrt(): NdArray
  /** Exponential. */
  exp(): NdArray
  /** Natural logarithm. */
  log(): NdArray
  /** `log(1 + x)`, accurate near 0. */
  log1p(): NdArray
  /** `exp(x) − 1`, accurate near 0. */
  expm1(): NdArray
  /** Sine. */
  sin(): NdArray
  /** Cosine. */
  cos(): NdArray
  /** Hyperbolic tangent. */
  tanh(): NdArray
  /** Rounded to the nearest integer (halves to even). */
  round(): NdArray
  /** Rounded down. */
  floor(): NdArray
  /** Rounded up. */
  ceil(): NdArray
  /**
   * JAX's functional indexed update `x.at[idx]`: `x.at(0, ':').set(v)`, `.add(v)`, `.get()`, …
   * (see {@link at} for the index items and the `mode` options).
   */
  at(...index: IndexItem[]): AtRef
  /** Nested JS arrays of the values (a 0-d array gives a scalar), as `x.tolist()` in JAX. */
  tolist(): NestedArray
}

// declaration merging: the class NdArray gains the methods' types (named with its extension so
// that the emitted declaration also resolves under Node's ESM rules)
declare module '../ndarray/NdArray.js' {
  interface NdArray extends ArrayMethods {}
}

/** The shape or axes of `reshape`/`transpose`: spread numbers or one array. */
const listArg = (args: List): ReadonlyArray<number> =>
  Array.isArray(args[0]) ? (args[0] as ReadonlyArray<number>) : (args as ReadonlyArray<number>)

/** Axes 0..n−1 with `a` and `b` exchanged. */
const swapped = (n: number, a: number, b: number): number[] => {
  const perm = Array.from({ length: n }, (_, i) => i)
  const [i, j] = [a < 0 ? a + n : a, b < 0 ? b + n : b]
  perm[i] = j
  perm[j] = i
  return perm
}

type Method<K extends keyof ArrayMethods> = ArrayMethods[K] extends (...args: infer A) => infer R
  ? (this: NdArray, ...args: A) => R
  : never
type Shaping = 'reshape' | 'transpose'
type MethodTable = { readonly [K in Exclude<keyof ArrayMethods, 'T' | 'mT' | Shaping>]: Method<K> }
type List = ReadonlyArray<number> | readonly [ReadonlyArray<number>]

// typed apart: a conditional type does not infer a rest parameter whose type is a union of tuples
const shaping: { readonly [K in Shaping]: (this: NdArray, ...list: List) => NdArray } = {
  reshape(...shape) {
    return L.reshape(this, listArg(shape))
  },
  transpose(...axes) {
    return M.transpose(this, axes.length === 0 ? undefined : listArg(axes))
  },
}

const unary = (f: (x: NdArray) => NdArray) =>
  function (this: NdArray): NdArray {
    return f(this)
  }
const binary = (f: (x: NdArray, y: ArrayLike) => NdArray) =>
  function (this: NdArray, y: ArrayLike): NdArray {
    return f(this, y)
  }

const methods: MethodTable = {
  astype(dtype) {
    return L.astype(this, dtype)
  },
  swapaxes(a, b) {
    return M.transpose(this, swapped(this.ndim, a, b))
  },
  flatten: unary(L.flatten),
  ravel: unary(L.flatten),
  squeeze(a) {
    return L.squeeze(this, a)
  },
  take(indices, a) {
    return L.take(this, indices, a)
  },
  repeat(repeats, a) {
    return L.repeat(this, repeats, a)
  },
  sum(a) {
    return R.sum(this, a)
  },
  mean(a) {
    return R.mean(this, a)
  },
  max(a) {
    return R.max(this, a)
  },
  min(a) {
    return R.min(this, a)
  },
  prod(a) {
    return R.prod(this, a)
  },
  std(a) {
    return R.std(this, a)
  },
  var(a) {
    return R.variance(this, a)
  },
  argmax(a) {
    return R.argmax(this, a)
  },
  argmin(a) {
    return R.argmin(this, a)
  },
  all(a) {
    return R.all(this, a)
  },
  any(a) {
    return R.any(this, a)
  },
  cumsum(a) {
    return R.cumsum(this, a)
  },
  cumprod(a) {
    return SC.cumprod(this, a)
  },
  sort(a) {
    return S.sort(this, a)
  },
  argsort(a) {
    return S.argsort(this, a)
  },
  logsumexp(a) {
    return R.logsumexp(this, a)
  },
  add: binary(E.add),
  sub: binary(E.sub),
  mul: binary(E.mul),
  div: binary(E.div),
  pow: binary(E.pow),
  maximum: binary(E.maximum),
  minimum: binary(E.minimum),
  matmul: binary(M.matmul),
  dot: binary(M.dot),
  clip(lo, hi) {
    return E.clip(this, lo, hi)
  },
  neg: unary(U.neg),
  abs: unary(U.abs),
  sign: unary(U.sign),
  square: unary(U.square),
  sqrt: unary(U.sqrt),
  exp: unary(U.exp),
  log: unary(U.log),
  log1p: unary(U.log1p),
  expm1: unary(U.expm1),
  sin: unary(U.sin),
  cos: unary(U.cos),
  tanh: unary(U.tanh),
  round: unary(U.round),
  floor: unary(U.floor),
  ceil: unary(U.ceil),
  at(...index) {
    return atRef(this, ...index)
  },
  tolist() {
    return this.toArray()
  },
}

for (const [k, f] of Object.entries({ ...methods, ...shaping }))
  Object.defineProperty(NdArray.prototype, k, { value: f, writable: true, configurable: true, enumerable: false })
Object.defineProperty(NdArray.prototype, 'T', {
  get(this: NdArray): NdArray {
    return M.transpose(this)
  },
  configurable: true,
  enumerable: false,
})
Object.defineProperty(NdArray.prototype, 'mT', {
  get(this: NdArray): NdArray {
    if (this.ndim < 2) throw new ValueError(`mT: expected an array of at least 2 dimensions, got ${this.ndim}`)
    return M.transpose(this, swapped(this.ndim, -2, -1))
  },
  configurable: true,
  enumerable: false,
})
