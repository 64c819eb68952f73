/**
 * The rest of `jax.lax`'s small helpers: `reduce` with a callable, `broadcastedIota`,
 * `indexInDim`, `indexTake`, `reciprocal`, `broadcastToRank`, `zerosLikeArray`, and
 * `approxMaxK` / `approxMinK` (exact top-k: a valid implementation, recall 1). Composed from
 * primitives and other ops, so they differentiate, stage and batch as their parts do.
 *
 * @category ops
 * @since 0.6.0
 */
import * as lax from '../core/lax'
import { iota as iotaPrim } from '../core/primitives/matrixRules'
import { isFloat, type DType } from '../ndarray/dtype'
import { DTypeError, fmtTuple, ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { checkOptions } from '../internal/options'
import { asArray, type ArrayLike } from './convert'
import { laxBitwiseAnd, laxBitwiseOr, laxBitwiseXor } from './bitwise'
import { gather } from './laxGather'
import { add, max, min, mul } from './laxNamed'
import { topK } from './laxScans'
import { reduceAnd, reduceMax, reduceMin, reduceOr, reduceProd, reduceSum } from './laxShape'
import { reduceXor } from './laxMore'

/** The binary function `lax.reduce` folds with (a lax monoid such as `lax.add`, or any function). @category lax @since 0.6.0 */
export type Binary = (x: NdArray, y: NdArray) => NdArray

/** The monoids `reduce` recognises: the dedicated reduction (with its derivative) of each lax function. */
const MONOIDS: ReadonlyArray<readonly [unknown, (x: NdArray, axes: ReadonlyArray<number>) => NdArray]> = [
  [add, reduceSum],
  [mul, reduceProd],
  [max, reduceMax],
  [min, reduceMin],
  [laxBitwiseAnd, (x, a) => (x.dtype === 'bool' ? reduceAnd(x, a) : foldPairs(x, a, laxBitwiseAnd))],
  [laxBitwiseOr, (x, a) => (x.dtype === 'bool' ? reduceOr(x, a) : foldPairs(x, a, laxBitwiseOr))],
  [laxBitwiseXor, reduceXor],
]

/** `f` folded over `axes` as a balanced tree of pairs (the reduced axes moved last and flattened). */
const foldPairs = (x: NdArray, axes: ReadonlyArray<number>, f: Binary): NdArray => {
  const keep = x.shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const outer = keep.map((i) => x.shape[i] as number)
  const m = axes.reduce((p, a) => p * (x.shape[a] as number), 1)
  let v = lax.reshape(lax.transpose(x, [...keep, ...axes]), [...outer, m])
  const lo = outer.map(() => 0)
  const ones = [...outer.map(() => 1), 1]
  const part = (a: number, b: number): NdArray => lax.slice(v, [...lo, a], [...outer, b], ones)
  while ((v.shape[outer.length] as number) > 1) {
    const n = v.shape[outer.length] as number
    const h = Math.floor(n / 2)
    const r = f(part(0, h), part(h, 2 * h))
    v = n % 2 === 0 ? r : lax.concatenate([r, part(n - 1, n)], outer.length)
  }
  return lax.reshape(v, outer)
}

/**
 * Reduces `operand` over `dimensions` with the binary `computation` from `initValue` (JAX's
 * `lax.reduce`): `computation(init, x₀ ⊕ x₁ ⊕ …)`. The lax monoids (`lax.add`, `mul`, `max`,
 * `min`, `bitwiseAnd/Or/Xor`) use their dedicated reductions; any other callable must be
 * associative and is applied as a balanced tree of pairs, so it differentiates as its own ops
 * do (JAX's general rule also differentiates through the computation).
 * @example
 * import { lax, array } from 'wengert'
 * import type { NdArray } from 'wengert'
 * const x = array([[1, 5], [7, 2]], { dtype: 'float64' })
 * assert.deepStrictEqual(lax.reduce(x, 0, lax.add, [1]).toArray(), [6, 9])
 * const hypot = (a: NdArray, b: NdArray): NdArray => lax.sqrt(lax.add(lax.mul(a, a), lax.mul(b, b)))
 * assert.deepStrictEqual(lax.reduce(array([3, 4], { dtype: 'float64' }), 0, hypot, [0]).item(), 5)
 * @category ops
 * @since 0.6.0
 */
export const reduce = (
  operand: ArrayLike,
  initValue: ArrayLike,
  computation: Binary,
  dimensions: ReadonlyArray<number>,
): NdArray => {
  const op = 'lax.reduce'
  if (typeof computation !== 'function') throw new ValueError(`${op}: computation must be a function`)
  const x = asArray(op, operand)
  const init = typeof initValue === 'number' ? lax.scalar(initValue, x.dtype) : asArray(op, initValue)
  if (init.ndim !== 0 || init.dtype !== x.dtype)
    throw new ShapeError(
      `${op}: init_value must be a scalar of the operand's dtype ${x.dtype}, got ${init.dtype}${fmtTuple(init.shape)}`,
    )
  dimensions.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0 || d >= x.ndim || dimensions.indexOf(d) !== i)
      throw new ShapeError(
        `${op}: dimensions ${fmtTuple(dimensions)} must be distinct integers in [0, ${x.ndim}) for operand ${fmtTuple(x.shape)}`,
      )
  })
  const axes = [...dimensions].sort((a, b) => a - b)
  const monoid = MONOIDS.find(([f]) => f === computation)
  const outShape = x.shape.filter((_, i) => !axes.includes(i))
  const initB = lax.broadcastInDim(init, outShape, [])
  if (axes.some((a) => x.shape[a] === 0)) return initB
  const folded = monoid !== undefined ? monoid[1](x, axes) : foldPairs(x, axes, computation)
  return computation(initB, folded)
}

/**
 * An array of `shape` counting up along `dimension` (JAX's `lax.broadcasted_iota`).
 * @example
 * import { lax } from 'wengert'
 * assert.deepStrictEqual(lax.broadcastedIota('int32', [2, 3], 1).toArray(), [[0, 1, 2], [0, 1, 2]])
 * @category ops
 * @since 0.6.0
 */
export const broadcastedIota = (dtype: DType, shape: ReadonlyArray<number>, dimension: number): NdArray => {
  if (!Number.isInteger(dimension) || dimension < 0 || dimension >= shape.length)
    throw new ShapeError(
      `lax.broadcasted_iota: dimension ${dimension} must be in [0, ${shape.length}) for shape ${fmtTuple(shape)}`,
    )
  return lax.broadcastInDim(lax.cast(iotaPrim(shape[dimension] as number), dtype), shape, [dimension])
}

/**
 * The slice at `index` of `axis` (JAX's `lax.index_in_dim`); a negative index counts from the
 * end; `keepdims` (default true) keeps the axis with length 1.
 * @example
 * import { lax, arange } from 'wengert'
 * const x = arange(6).reshape([2, 3])
 * assert.deepStrictEqual(lax.indexInDim(x, -1, 1, false).toArray(), [2, 5])
 * @category ops
 * @since 0.6.0
 */
export const indexInDim = (operand: ArrayLike, index: number, axis = 0, keepdims = true): NdArray => {
  const x = asArray('lax.index_in_dim', operand)
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.ndim)
    throw new ShapeError(`lax.index_in_dim: axis ${axis} is out of bounds for operand ${fmtTuple(x.shape)}`)
  const n = x.shape[axis] as number
  const i = index < 0 ? index + n : index
  if (!Number.isInteger(index) || i < 0 || i >= n)
    throw new ShapeError(
      `lax.index_in_dim: index ${index} is out of bounds for axis ${axis} with size ${n} (operand ${fmtTuple(x.shape)})`,
    )
  const starts = x.shape.map((_, d) => (d === axis ? i : 0))
  const limits = x.shape.map((s, d) => (d === axis ? i + 1 : s))
  const y = lax.slice(
    x,
    starts,
    limits,
    x.shape.map(() => 1),
  )
  return keepdims
    ? y
    : lax.reshape(
        y,
        x.shape.filter((_, d) => d !== axis),
      )
}

/**
 * `src` at the integer index arrays `idxs`, one per axis of `axes` (JAX's `lax.index_take`):
 * the result has the indices' (common) shape followed by the remaining axes of `src`.
 * @example
 * import { lax, arange, array } from 'wengert'
 * const x = arange(12).reshape([3, 4])
 * const r = lax.indexTake(x, [array([2, 0], { dtype: 'int32' }), array([1, 3], { dtype: 'int32' })], [0, 1])
 * assert.deepStrictEqual(r.toArray(), [9, 3])
 * @category ops
 * @since 0.6.0
 */
export const indexTake = (src: ArrayLike, idxs: ReadonlyArray<NdArray>, axes: ReadonlyArray<number>): NdArray => {
  const op = 'lax.index_take'
  const x = asArray(op, src)
  if (idxs.length !== axes.length || idxs.length === 0)
    throw new ShapeError(`${op}: expected one index array per axis, got ${idxs.length} for axes ${fmtTuple(axes)}`)
  const first = idxs[0] as NdArray
  if (idxs.some((i) => i.ndim !== 1 || i.shape[0] !== first.shape[0]))
    throw new ShapeError(
      `${op}: the index arrays must be 1-d of one length, got shapes ${idxs.map((i) => fmtTuple(i.shape)).join(', ')}`,
    )
  const indices = lax.concatenate(
    idxs.map((i) => lax.reshape(lax.cast(i, 'int32'), [i.size, 1])),
    1,
  )
  const sorted = [...axes].sort((a, b) => a - b)
  const offsetDims = Array.from({ length: x.ndim - axes.length }, (_, i) => i + 1)
  const sizes = x.shape.map((s, d) => (axes.includes(d) ? 1 : s))
  return gather(x, indices, { offsetDims, collapsedSliceDims: sorted, startIndexMap: axes }, sizes)
}

/**
 * `1 / x` on a float operand (JAX's `lax.reciprocal`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.reciprocal(array([2, -4], { dtype: 'float64' })).toArray(), [0.5, -0.25])
 * @category ops
 * @since 0.6.0
 */
export const reciprocal = (x: ArrayLike): NdArray => {
  const a = asArray('lax.reciprocal', x)
  if (!isFloat(a.dtype))
    throw new DTypeError(
      `integer_pow does not accept dtype ${a.dtype}. Accepted dtypes are subtypes of floating, complexfloating.`,
    )
  return lax.div(lax.scalarLike(1, a), a)
}

/**
 * `x` with leading axes of length 1 added up to `rank` (JAX's `lax.broadcast_to_rank`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.broadcastToRank(array([1, 2]), 3).shape, [1, 1, 2])
 * @category ops
 * @since 0.6.0
 */
export const broadcastToRank = (x: ArrayLike, rank: number): NdArray => {
  const a = asArray('lax.broadcast_to_rank', x)
  if (!Number.isInteger(rank) || rank < a.ndim)
    throw new ShapeError(
      `lax.broadcast_to_rank: rank ${rank} must be an integer at least ${a.ndim} (operand ${fmtTuple(a.shape)})`,
    )
  if (rank === a.ndim) return a
  return lax.reshape(a, [...new Array<number>(rank - a.ndim).fill(1), ...a.shape])
}

/**
 * Zeros of `x`'s shape and dtype (JAX's `lax.zeros_like_array`).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.zerosLikeArray(array([1.5, 2])).toArray(), [0, 0])
 * @category ops
 * @since 0.6.0
 */
export const zerosLikeArray = (x: ArrayLike): NdArray => lax.zerosLike(asArray('lax.zeros_like_array', x))

/** Options of {@link approxMaxK}: JAX's tuning knobs, checked and then met exactly. */
export interface ApproxTopKOptions {
  readonly reductionDimension?: number
  readonly recallTarget?: number
  readonly reductionInputSizeOverride?: number
  readonly aggregateToTopk?: boolean
}

const approx = (op: string, operand: ArrayLike, k: number, o: ApproxTopKOptions, neg: boolean): [NdArray, NdArray] => {
  checkOptions(op, o, ['reductionDimension', 'recallTarget', 'reductionInputSizeOverride', 'aggregateToTopk'])
  const x = asArray(op, operand)
  const d0 = o.reductionDimension ?? -1
  const d = d0 < 0 ? d0 + x.ndim : d0
  if (!Number.isInteger(d0) || d < 0 || d >= x.ndim)
    throw new ShapeError(`${op}: reduction_dimension ${d0} is out of bounds for operand ${fmtTuple(x.shape)}`)
  const recall = o.recallTarget ?? 0.95
  if (!(recall > 0 && recall <= 1)) throw new ValueError(`${op}: recall_target must be in (0, 1], got ${recall}`)
  if (o.aggregateToTopk === false)
    throw new ValueError(`${op}: aggregate_to_topk=false is not supported (the exact top-k is always aggregated)`)
  const perm = [...x.shape.map((_, i) => i).filter((i) => i !== d), d]
  const moved = lax.transpose(neg ? lax.neg(x) : x, perm)
  const [v, i] = topK(moved, k)
  const back = perm.map((_, j) => perm.indexOf(j))
  return [lax.transpose(neg ? lax.neg(v) : v, back), lax.transpose(i, back)]
}

/**
 * The `k` largest values along `reductionDimension` (default last) and their indices (JAX's
 * `lax.approx_max_k`). wengert returns the exact top-k, which meets any `recallTarget`.
 * @example
 * import { lax, array } from 'wengert'
 * const [v, i] = lax.approxMaxK(array([3, 9, 1, 7]), 2)
 * assert.deepStrictEqual([v.toArray(), i.toArray()], [[9, 7], [1, 3]])
 * @category ops
 * @since 0.6.0
 */
export const approxMaxK = (operand: ArrayLike, k: number, options: ApproxTopKOptions = {}): [NdArray, NdArray] =>
  approx('lax.approx_max_k', operand, k, options, false)

/**
 * The `k` smallest values along `reductionDimension` (default last) and their indices (JAX's
 * `lax.approx_min_k`), exactly.
 * @example
 * import { lax, array } from 'wengert'
 * const [v, i] = lax.approxMinK(array([3, 9, 1, 7]), 2)
 * assert.deepStrictEqual([v.toArray(), i.toArray()], [[1, 3], [2, 0]])
 * @category ops
 * @since 0.6.0
 */
export const approxMinK = (operand: ArrayLike, k: number, options: ApproxTopKOptions = {}): [NdArray, NdArray] =>
  approx('lax.approx_min_k', operand, k, options, true)
