/**
 * `jax.numpy`'s functional-programming helpers: piecewise, apply_along_axis, apply_over_axes and
 * mask_indices. piecewise evaluates every branch and selects (as JAX's vectorised switch does), so
 * it is differentiable through the chosen functions and works under vmap and jit;
 * apply_along_axis is nested vmaps, as in JAX.
 *
 * @category ops
 * @since 0.2.0
 */
import { requireFunction, requireList, requireNumberOrList } from '../../internal/args'
import { checkOptions } from '../../internal/options'
import { ones } from '../../ndarray/create'
import { ValueError } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis } from '../../ndarray/shape'
import { vmap } from '../../transforms/vmap'
import * as lax from '../../core/lax'
import { iota } from '../../core/primitives/matrixRules'
import { checkDType, type DType } from '../../ndarray/dtype'
import { asArray, type ArrayLike } from '../convert'
import * as ew from '../elementwise'
import { astype, broadcastTo, expandDims, take } from '../layout'
import { nonzero } from '../sets'

/** One piece of {@link piecewise}: a function of x (and the extra arguments) or a constant. */
export type PiecewiseFunction<A extends readonly unknown[] = []> = ((x: NdArray, ...args: A) => ArrayLike) | number

/**
 * A piecewise-defined function of x (jnp.piecewise): where `condlist[k]` holds, `funclist[k]` (a
 * function of x, called with `args` after x, or a constant); where several hold, the last wins;
 * where none holds, 0 or the extra last entry of `funclist`. The result has x's shape and dtype;
 * gradients flow through the chosen functions.
 * @example
 * import { piecewise, array, less, greater, mul } from 'wengert'
 * const x = array([-2, -1, 0, 1, 2])
 * const y = piecewise(x, [less(x, 0), greater(x, 0)], [(v) => mul(v, -1), (v) => mul(v, v)])
 * assert.deepStrictEqual(y.toArray(), [2, 1, 0, 1, 4])
 * assert.deepStrictEqual(piecewise(x, [less(x, 0)], [-1, 7]).toArray(), [-1, -1, 7, 7, 7])
 * @category ops
 * @since 0.2.0
 */
export const piecewise = <A extends readonly unknown[] = []>(
  x: ArrayLike,
  condlist: ReadonlyArray<ArrayLike> | NdArray,
  funclist: ReadonlyArray<PiecewiseFunction<A>>,
  ...args: A
): NdArray => {
  const xa = asArray('piecewise', x)
  const conds =
    condlist instanceof NdArray
      ? unstack(condlist)
      : (requireList('piecewise', 'condlist', condlist) as typeof condlist)
  requireList('piecewise', 'funclist', funclist, 'functions or values')
  const [nc, nf] = [conds.length, funclist.length]
  if (nf !== nc && nf !== nc + 1)
    throw new ValueError(
      `piecewise: with ${nc} condition(s), either ${nc} or ${nc + 1} functions are expected; got ${nf}`,
    )
  const apply = (f: PiecewiseFunction<A> | undefined): NdArray =>
    typeof f === 'function' ? astype(asArray('piecewise', f(xa, ...args)), xa.dtype) : asArray('piecewise', f ?? 0)
  let out = apply(nf === nc + 1 ? funclist[nc] : 0)
  conds.forEach((c, k) => {
    const ca = asArray('piecewise', c)
    out = ew.where(ca.dtype === 'bool' ? ca : ew.notEqual(ca, 0), apply(funclist[k]), out)
  })
  return astype(broadcastTo(out, xa.shape), xa.dtype)
}

/** The slices of `a` along its first axis (a condition array given as one NdArray). */
const unstack = (a: NdArray): NdArray[] =>
  a.ndim === 0 ? [a] : Array.from({ length: a.shape[0] as number }, (_, i) => take(a, i, 0))

/**
 * Applies a function of 1-D slices to every slice of `arr` along `axis` (jnp.apply_along_axis):
 * the function's result axes take the place of `axis`. Built from vmap, so `func1d` must be
 * traceable (no branching on values).
 * @example
 * import { applyAlongAxis, array, sum, type NdArray } from 'wengert'
 * const a = array([[1, 2, 3], [4, 5, 6]])
 * assert.deepStrictEqual(applyAlongAxis((v: NdArray) => sum(v), 1, a).toArray(), [6, 15])
 * assert.deepStrictEqual(applyAlongAxis((v: NdArray) => sum(v), 0, a).toArray(), [5, 7, 9])
 * @category ops
 * @since 0.2.0
 */
export const applyAlongAxis = <A extends readonly unknown[] = []>(
  func1d: (v: NdArray, ...args: A) => NdArray,
  axis: number,
  arr: ArrayLike,
  ...args: A
): NdArray => {
  const a = asArray('applyAlongAxis', arr)
  const ax = normalizeAxis('applyAlongAxis', axis, a.ndim)
  let f = (v: NdArray): NdArray => func1d(v, ...args)
  for (let i = 1; i < a.ndim - ax; i++) f = vmap(f, { inAxes: i, outAxes: -1 })
  for (let i = 0; i < ax; i++) f = vmap(f, { inAxes: 0, outAxes: 0 })
  return f(a)
}

/**
 * Applies `func(a, axis)` repeatedly over `axes` (jnp.apply_over_axes): each result must keep
 * the rank of `a` or lose the one axis (which is then re-inserted), so the final rank is `a`'s.
 * @example
 * import { applyOverAxes, array, sum, type NdArray } from 'wengert'
 * const a = array([[1, 2], [3, 4]])
 * const s = applyOverAxes((v: NdArray, ax: number) => sum(v, ax), a, [0, 1])
 * assert.deepStrictEqual(s.toArray(), [[10]])
 * @category ops
 * @since 0.2.0
 */
export const applyOverAxes = (
  func: (a: NdArray, axis: number) => NdArray,
  a: ArrayLike,
  axes: number | ReadonlyArray<number>,
): NdArray => {
  requireFunction('applyOverAxes', 'func', func)
  let out = asArray('applyOverAxes', a)
  const list = requireNumberOrList('applyOverAxes', 'axes', axes)
  for (const axis of typeof list === 'number' ? [list] : list) {
    const b = func(out, axis)
    if (b.ndim === out.ndim) out = b
    else if (b.ndim === out.ndim - 1) out = expandDims(b, axis)
    else throw new ValueError('applyOverAxes: function is not returning an array of the correct shape')
  }
  return out
}

/** Options of {@link maskIndices}. @category ops @since 0.2.0 */
export interface MaskIndicesOptions {
  /** The static number of indices (padded with 0), needed under jit. */
  readonly size?: number
}

/**
 * The (row, column) indices of the nonzero entries of `maskFunc(ones([n, n]), k)`
 * (jnp.mask_indices), e.g. with triu or tril.
 * @example
 * import { maskIndices, triu } from 'wengert'
 * const [r, c] = maskIndices(3, triu, 1)
 * assert.deepStrictEqual([r!.toArray(), c!.toArray()], [[0, 0, 1], [1, 2, 2]])
 * @category ops
 * @since 0.2.0
 */
export const maskIndices = (
  n: number,
  maskFunc: (a: NdArray, k: number) => NdArray,
  k = 0,
  options?: MaskIndicesOptions,
): NdArray[] => {
  const o = checkOptions('maskIndices', options, ['size'])
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`maskIndices: n must be a non-negative integer, got ${n}`)
  return nonzero(maskFunc(ones([n, n]), k), o.size === undefined ? undefined : { size: o.size })
}

/** Options of {@link fromfunction}. */
export interface FromfunctionOptions {
  /** Dtype of the coordinates passed to the function. @defaultValue 'float32' */
  readonly dtype?: DType
}

/**
 * An array built by calling `fn` at every index of `shape` (JAX's `jnp.fromfunction`): as in JAX,
 * `fn` is mapped with `vmap` over each axis, so it receives 0-d coordinate arrays (of `dtype`,
 * default float32) and may return any pytree of arrays.
 * @example
 * import { fromfunction, add, mul, type NdArray } from 'wengert'
 * const t = fromfunction((i: NdArray, j: NdArray) => add(mul(i, 10), j), [2, 3]) as NdArray
 * assert.deepStrictEqual(t.toArray(), [[0, 1, 2], [10, 11, 12]])
 * @category ops
 * @since 0.6.0
 */
export const fromfunction = (
  fn: (...coords: NdArray[]) => unknown,
  shape: ReadonlyArray<number>,
  options?: FromfunctionOptions,
): unknown => {
  requireFunction('fromfunction', 'function', fn)
  const opts = checkOptions('fromfunction', options, ['dtype'])
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new ValueError(`fromfunction: shape must be a list of non-negative integers, got ${String(shape)}`)
  const dtype = opts.dtype ?? 'float32'
  let f = fn as (...a: NdArray[]) => unknown
  // the innermost vmap maps the last axis: each axis k is mapped with the coordinates before it fixed
  for (let k = shape.length - 1; k >= 0; k--) {
    const g = f
    f = vmap((...a: NdArray[]) => g(...a), { inAxes: shape.map((_, j) => (j === k ? 0 : null)) }) as typeof f
  }
  const coords = shape.map((d) => lax.cast(iota(d), checkDType('fromfunction', dtype)))
  return f(...coords)
}
