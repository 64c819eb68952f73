/**
 * Sorting and running scans: `sort` (several operands by their first keys, stable, as JAX's
 * `lax.sort`), `top_k`, and the running `cumprod`/`cummax`/`cummin`/`cumlogsumexp` (JAX's
 * `lax.cum*`; `cumsum` is in `./reduce`).
 *
 * Derivatives: sorting permutes, so tangents are gathered by the permutation and cotangents
 * scattered back by it (JAX's `_sort_jvp`; top_k likewise by its indices). A running max/min
 * passes each derivative along the argmax path: to the position whose value the running result
 * holds (the latest such one, as PyTorch's `cummax` indices). The running product and
 * log-sum-exp follow JAX, which differentiates their associative scans: the tangent obeys a
 * first-order linear recurrence (`ẏᵢ = aᵢ·ẏᵢ₋₁ + bᵢ`) solved here by a prefix scan of pad, slice,
 * mul and add — no division, so cumprod's derivative is right with zeros, and cumlogsumexp's
 * coefficients `exp(yᵢ₋₁ − yᵢ)`, `exp(xᵢ − yᵢ)` never exceed 1. Each cotangent is the transposed
 * recurrence, run the other way.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { DType } from '../../ndarray/dtype'
import { cumulative, sortOperands, topK as topKKernel, type ScanOp } from '../../ndarray/kernels/sorting'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import {
  bound,
  boundMulti,
  definePrimitive,
  leading,
  type BoundMultiPrimitive,
  type BoundPrimitive,
  type MultiBatchRule,
} from '../primitive'
import { bindMulti } from '../trace'
import { isZero, Zero, type Linear } from '../zero'
import { positions, scanArgPath, takeAlong, takeAlongT } from './alongAxis'
import { cumulativeOnnx, sortOnnx, topKOnnx } from './onnxSort'
import type { CumsumParams } from './reduce'

type X = readonly [NdArray]

/** Params of sort: the axis, stability, and how many leading operands are keys. */
export interface SortParams {
  readonly dimension: number
  readonly isStable: boolean
  readonly numKeys: number
}

/** Params of top_k: how many of the largest entries along the last axis. */
export interface TopKParams {
  readonly k: number
}

// -------------------------------------------------------------------------------------
// first-order linear recurrences
// -------------------------------------------------------------------------------------

/** `x` moved `d` places along `axis` in scan order (towards the end, or the start with `reverse`), `fill` where nothing moved in. */
const shift = (x: NdArray, d: number, axis: number, reverse: boolean, fill: number): NdArray => {
  const n = x.shape[axis] as number
  const k = Math.min(d, n)
  const starts = x.shape.map((_, i) => (i === axis && reverse ? k : 0))
  const limits = x.shape.map((s, i) => (i === axis && !reverse ? n - k : s))
  const lo = x.shape.map((_, i) => (i === axis && !reverse ? k : 0))
  const hi = x.shape.map((_, i) => (i === axis && reverse ? k : 0))
  const kept = lax.slice(
    x,
    starts,
    limits,
    x.shape.map(() => 1),
  )
  return lax.pad(
    kept,
    lo,
    hi,
    x.shape.map(() => 0),
    fill,
  )
}

/**
 * `h` with `hᵢ = aᵢ·hᵢ₋₁ + bᵢ` along `axis` in scan order (h before the first is 0): a
 * Hillis–Steele prefix scan composing the affine maps `h ↦ aᵢ·h + bᵢ`, log₂ n steps.
 */
const linearScan = (a: NdArray, b: NdArray, axis: number, reverse: boolean): NdArray => {
  const n = a.shape[axis] as number
  let [coef, acc] = [a, b]
  for (let d = 1; d < n; d *= 2) {
    // (fᵢ ∘ fᵢ₋d)(h) = aᵢ·aᵢ₋d·h + aᵢ·bᵢ₋d + bᵢ
    acc = lax.add(acc, lax.mul(coef, shift(acc, d, axis, reverse, 0)))
    if (2 * d < n) coef = lax.mul(coef, shift(coef, d, axis, reverse, 1))
  }
  return acc
}

/** The transpose of `b ↦ linearScan(a, b)`: `gⱼ = ȳⱼ + aⱼ₊₁·gⱼ₊₁`, the recurrence run the other way. */
const linearScanT = (a: NdArray, yBar: NdArray, axis: number, reverse: boolean): NdArray =>
  linearScan(shift(a, 1, axis, !reverse, 0), yBar, axis, !reverse)

/** `x` with NaN replaced by 0 (recurrence coefficients at −∞ − (−∞)). */
const nanToZero = (x: NdArray): NdArray => lax.select(lax.isNan(x), lax.scalarLike(0, x), x)

// -------------------------------------------------------------------------------------
// primitives
// -------------------------------------------------------------------------------------

/** The sort permutation of `keys` along `dimension` (int32). */
const permutationOf = (keys: ReadonlyArray<NdArray>, p: SortParams): NdArray => {
  const first = keys[0] as NdArray
  const outs = lax.sort([...keys, positions(first.shape, p.dimension)], p.dimension, p.isStable, keys.length)
  return outs[outs.length - 1] as NdArray
}

const sortBatch: MultiBatchRule = (prim, vals, bdims, params, size) => {
  const p = params as SortParams
  const outs = bindMulti(
    prim,
    vals.map((v, i) => lax.batchFirst(v, bdims[i] ?? null, size)),
    { ...p, dimension: p.dimension + 1 },
  )
  return [outs, outs.map(() => 0)]
}

/**
 * Sorts every operand along `dimension` by the lexicographic order of the first `numKeys`
 * operands (JAX: `lax.sort`); all operands share one shape. Floats order with −0 = +0 and NaN
 * last. The kernel is always stable (`isStable` is kept for JAX's signature). Differentiable in
 * every float operand: the permutation is piecewise constant.
 * @category primitives @since 0.2.0
 */
export const sort: BoundMultiPrimitive<
  'sort',
  ReadonlyArray<NdArray>,
  SortParams,
  (operands: ReadonlyArray<NdArray>, dimension: number, isStable?: boolean, numKeys?: number) => ReadonlyArray<NdArray>
> = boundMulti(
  definePrimitive<'sort', ReadonlyArray<NdArray>, SortParams>({
    name: 'sort',
    multipleResults: true,
    onnx: sortOnnx,
    batch: sortBatch,
    impl: (xs, { dimension, numKeys }) => sortOperands(xs, dimension, numKeys),
    shape: (avals) => avals,
    // ẏⱼ = ẋⱼ gathered by the permutation
    jvp: ({ inputs, outputs, params }, tangents) => {
      const perm = permutationOf(inputs.slice(0, params.numKeys), params)
      return tangents.map((t, j) =>
        isZero(t) ? Zero.like(outputs[j] as NdArray) : takeAlong(t, perm, params.dimension),
      )
    },
    // x̄ⱼ = ȳⱼ scattered back through the permutation
    vjp: ({ inputs, needs, params }, yBars) => {
      const perm = permutationOf(inputs.slice(0, params.numKeys), params)
      return inputs.map((x, j) => {
        const yBar = yBars[j] as Linear
        return needs[j] !== true || isZero(yBar) ? Zero.like(x) : takeAlongT(yBar, perm, params.dimension, x.shape)
      })
    },
  }),
  (bind) =>
    (operands, dimension, isStable = true, numKeys = 1) =>
      bind(operands, { dimension, isStable, numKeys }),
)

/**
 * The `k` largest entries along the last axis, largest first, and their int32 indices (JAX:
 * `lax.top_k`; NaN counts as largest, ties keep the lower index first).
 * @category primitives @since 0.2.0
 */
export const topK: BoundMultiPrimitive<'top_k', X, TopKParams, (x: NdArray, k: number) => ReadonlyArray<NdArray>> =
  boundMulti(
    definePrimitive<'top_k', X, TopKParams>({
      name: 'top_k',
      multipleResults: true,
      onnx: topKOnnx,
      batch: (prim, [x], [b], params, size) => {
        const outs = bindMulti(prim, [lax.batchFirst(x as NdArray, b ?? null, size)], params)
        return [outs, [0, 0]]
      },
      impl: ([x], { k }) => topKKernel(x, k),
      shape: ([x], { k }) => {
        const shape = [...x.shape.slice(0, -1), k]
        return [
          { shape, dtype: x.dtype },
          { shape, dtype: 'int32' as DType },
        ]
      },
      // v̇ = ẋ gathered at the indices; the indices are constant
      jvp: ({ inputs: [x], outputs: [, idx] }, [xDot]) => [
        takeAlong(xDot as NdArray, idx as NdArray, x.ndim - 1),
        Zero.like(idx as NdArray),
      ],
      // x̄ = v̄ scattered back to the indices
      vjp: ({ inputs: [x], outputs: [, idx] }, [vBar]) => [
        isZero(vBar as Linear) ? Zero.like(x) : takeAlongT(vBar as NdArray, idx as NdArray, x.ndim - 1, x.shape),
      ],
    }),
    (bind) => (x, k) => bind([x], { k }),
  )

/** Batches a running scan with its axis shifted past the batch axis. */
const scanBatch = leading((p: CumsumParams) => ({ axis: p.axis + 1, reverse: p.reverse }))

type Scan<N extends string> = BoundPrimitive<
  N,
  X,
  CumsumParams,
  (x: NdArray, axis: number, reverse?: boolean) => NdArray
>

/**
 * Running product along an axis (JAX: `lax.cumprod`). Derivative: `ẏᵢ = xᵢ·ẏᵢ₋₁ + ẋᵢ·yᵢ₋₁`
 * (product rule on `yᵢ = yᵢ₋₁·xᵢ`), exact where entries are zero.
 * @category primitives @since 0.2.0
 */
export const cumprod: Scan<'cumprod'> = bound(
  definePrimitive({
    name: 'cumprod',
    onnx: cumulativeOnnx('prod'),
    batch: scanBatch,
    impl: ([x], { axis, reverse }) => cumulative('prod', x, axis, reverse),
    shape: ([x]) => x,
    jvp: ({ inputs: [x], output, params: { axis, reverse } }, [xDot]) =>
      linearScan(x, lax.mul(xDot as NdArray, shift(output, 1, axis, reverse, 1)), axis, reverse),
    vjp: ({ inputs: [x], output, params: { axis, reverse } }, yBar) => [
      lax.mul(linearScanT(x, yBar, axis, reverse), shift(output, 1, axis, reverse, 1)),
    ],
  }),
  (bind) =>
    (x, axis, reverse = false) =>
      bind([x], { axis, reverse }),
)

/**
 * Running log-sum-exp along an axis (JAX: `lax.cumlogsumexp`). Derivative:
 * `ẏᵢ = e^(yᵢ₋₁−yᵢ)·ẏᵢ₋₁ + e^(xᵢ−yᵢ)·ẋᵢ`, both weights in [0, 1].
 * @category primitives @since 0.2.0
 */
export const cumlogsumexp: Scan<'cumlogsumexp'> = bound(
  definePrimitive({
    name: 'cumlogsumexp',
    onnx: cumulativeOnnx('logsumexp'),
    batch: scanBatch,
    impl: ([x], { axis, reverse }) => cumulative('logsumexp', x, axis, reverse),
    shape: ([x]) => x,
    jvp: ({ inputs: [x], output, params: { axis, reverse } }, [xDot]) => {
      const [carry, own] = lseWeights(x, output, axis, reverse)
      return linearScan(carry, lax.mul(own, xDot as NdArray), axis, reverse)
    },
    vjp: ({ inputs: [x], output, params: { axis, reverse } }, yBar) => {
      const [carry, own] = lseWeights(x, output, axis, reverse)
      return [lax.mul(own, linearScanT(carry, yBar, axis, reverse))]
    },
  }),
  (bind) =>
    (x, axis, reverse = false) =>
      bind([x], { axis, reverse }),
)

/** cumlogsumexp's recurrence weights `e^(yᵢ₋₁−yᵢ)` and `e^(xᵢ−yᵢ)` (0 where both are −∞). */
const lseWeights = (x: NdArray, y: NdArray, axis: number, reverse: boolean): [NdArray, NdArray] => [
  nanToZero(lax.exp(lax.sub(shift(y, 1, axis, reverse, -Infinity), y))),
  nanToZero(lax.exp(lax.sub(x, y))),
]

const extremum = <N extends 'cummax' | 'cummin'>(name: N, op: ScanOp): Scan<N> =>
  bound(
    definePrimitive<N, X, CumsumParams>({
      name,
      onnx: cumulativeOnnx(op === 'max' ? 'max' : 'min'),
      batch: scanBatch,
      impl: ([x], { axis, reverse }) => cumulative(op, x, axis, reverse),
      shape: ([x]) => x,
      // ẏᵢ = ẋ at the argmax path
      jvp: ({ inputs: [x], output, params: { axis, reverse } }, [xDot]) =>
        takeAlong(xDot as NdArray, scanArgPath(x, output, axis, reverse), axis),
      // x̄ = ȳ added back along the argmax path
      vjp: ({ inputs: [x], output, params: { axis, reverse } }, yBar) => [
        takeAlongT(yBar, scanArgPath(x, output, axis, reverse), axis, x.shape),
      ],
    }),
    (bind) =>
      (x, axis, reverse = false) =>
        bind([x], { axis, reverse }),
  )

/**
 * Running maximum along an axis (JAX: `lax.cummax`; NaN propagates). The derivative follows the
 * argmax path (to the latest position holding the running maximum).
 * @category primitives @since 0.2.0
 */
export const cummax: Scan<'cummax'> = extremum('cummax', 'max')

/**
 * Running minimum along an axis (JAX: `lax.cummin`; NaN propagates). The derivative follows the
 * argmin path (to the latest position holding the running minimum).
 * @category primitives @since 0.2.0
 */
export const cummin: Scan<'cummin'> = extremum('cummin', 'min')
