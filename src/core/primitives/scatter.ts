/**
 * Scatter with an operand: `scatter` (set), `scatter_mul`, `scatter_min`, `scatter_max` (JAX:
 * `lax.scatter`, `scatter_mul`, `scatter_min`, `scatter_max`, with the index dimension numbers
 * fixed). `x` has shape `[n, ...rest]`, the int32 `indices` any shape `k` with entries in
 * `[0, n)`, the updates shape `[...k, ...rest]`; row `indices[j]` of `x` combines with row `j` of
 * the updates. Scatter-add with an operand is `x + scatter_add(u, idx, 0, x.shape)` (./indexing).
 * Repeated indices apply in row-major order of `indices`: for `scatter` the last one wins.
 *
 * Derivatives follow JAX: `scatter`'s JVP scatters the tangents (the same writer wins), its VJP
 * zeroes the overwritten cotangent of `x` and gives each update the cotangent of the place it
 * won (zero for an overwritten duplicate); `scatter_mul` is differentiable in the updates only
 * with `uniqueIndices`; `scatter_min/max` share the tangent among the tied winners (operand and
 * updates equal to the result), as JAX's `_scatter_extremal_jvp` does.
 *
 * @category primitives
 * @since 0.2.0
 */
import { scatterInto } from '../../ndarray/kernels/scatter'
import { NotDifferentiableError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import type { Aval } from '../equation'
import type { OnnxContext } from '../onnxRule'
import { bound, definePrimitive, type BoundPrimitive } from '../primitive'
import { offsetIndices } from './indexing'
import { iota } from './matrixRules'
import { isZero, Zero, type Linear } from '../zero'

type XIU = readonly [NdArray, NdArray, NdArray]

/** Params of the scatter family: JAX's `unique_indices` promise (only `scatter_mul`'s rules read it). */
export interface ScatterOpParams {
  readonly uniqueIndices: boolean
}

type ScatterFn = (x: NdArray, idx: NdArray, u: NdArray, uniqueIndices?: boolean) => NdArray

const call =
  (bind: (inputs: XIU, params: ScatterOpParams) => NdArray): ScatterFn =>
  (x, idx, u, uniqueIndices = false) =>
    bind([x, idx, u], { uniqueIndices })

// -------------------------------------------------------------------------------------
// helpers (rules)
// -------------------------------------------------------------------------------------

/** `m` (shape of the indices) broadcast over the trailing `rest` axes of the updates `u`. */
const overRows = (m: NdArray, u: NdArray): NdArray =>
  lax.broadcastInDim(
    m,
    u.shape,
    m.shape.map((_, i) => i),
  )

/** Updates that survive in the result: 1 where update j is the last writer of its row, else 0 (in u's dtype). */
const winners = (x: NdArray, idx: NdArray, u: NdArray): NdArray => {
  const ids = lax.reshape(iota(idx.size), idx.shape)
  const none = lax.broadcastInDim(lax.scalar(-1, 'int32'), [x.shape[0] ?? 1], [])
  const last = lax.scatter(none, idx, ids)
  return overRows(lax.cast(lax.eq(lax.gather(last, idx, 0), ids), u.dtype), u)
}

/** Σ over the updates landing on each row of x: `scatter_add` into zeros of x's shape. */
const sumInto = (v: NdArray, idx: NdArray, x: NdArray): NdArray => lax.scatterAdd(v, idx, 0, x.shape)

/**
 * Tie-shared weights of scatter_min/max: `xw` = [x is the result] / winners of its row (shape of
 * x) and `uw` = [u_j is the result] / winners of its row (shape of u), where the winners of a row
 * are the operand and the updates equal to the result there; ẏ = xw·ẋ + Σ_j uw_j·u̇_j.
 */
const extremalWeights = (x: NdArray, idx: NdArray, u: NdArray, y: NdArray): readonly [NdArray, NdArray] => {
  const uWin = lax.cast(lax.eq(u, lax.gather(y, idx, 0)), u.dtype)
  const xWin = lax.cast(lax.eq(x, y), x.dtype)
  const count = lax.add(xWin, sumInto(uWin, idx, x))
  return [lax.div(xWin, count), lax.div(uWin, lax.gather(count, idx, 0))]
}

// -------------------------------------------------------------------------------------
// primitives
// -------------------------------------------------------------------------------------

/**
 * `x` with rows `indices` set to the updates (the last of repeated indices wins).
 * @category primitives @since 0.2.0
 */
export const scatter: BoundPrimitive<'scatter', XIU, ScatterOpParams, ScatterFn> = bound(
  definePrimitive({
    name: 'scatter',
    onnx: (ctx) => scatterNdOnnx(ctx, 'none'),
    impl: ([x, idx, u]) => scatterInto('set', x, idx, u),
    shape: ([x]) => ({ shape: x.shape, dtype: x.dtype }),
    batch: (_, vals, bdims, p, size) => scatterFamilyBatch(lax.scatter, vals, bdims, p, size),
    // ẏ = scatter(ẋ, idx, u̇): the same writer wins for tangents
    jvp: ({ inputs: [x, idx, u], params }, [xDot, , uDot]) =>
      lax.scatter(lax.instantiate(xDot, x), idx, lax.instantiate(uDot, u), params.uniqueIndices),
    // x̄ = ȳ with the overwritten rows zeroed; ū = ȳ[idx] where update j won its row
    vjp: ({ inputs: [x, idx, u], params, needs }, yBar) => [
      needs[0] ? lax.scatter(yBar, idx, lax.zerosLike(u), params.uniqueIndices) : Zero.like(x),
      Zero.like(idx),
      needs[2] ? lax.mul(lax.gather(yBar, idx, 0), winners(x, idx, u)) : Zero.like(u),
    ],
  }),
  call,
)

const mulNeedsUnique = (): never => {
  throw new NotDifferentiableError('scatter_mul gradients are only implemented if `unique_indices=True`')
}

/**
 * `x` with rows `indices` multiplied by the updates (repeated indices multiply).
 * @category primitives @since 0.2.0
 */
export const scatterMul: BoundPrimitive<'scatter_mul', XIU, ScatterOpParams, ScatterFn> = bound(
  definePrimitive({
    name: 'scatter_mul',
    onnx: (ctx) => scatterNdOnnx(ctx, 'mul'),
    impl: ([x, idx, u]) => scatterInto('mul', x, idx, u),
    shape: ([x]) => ({ shape: x.shape, dtype: x.dtype }),
    batch: (_, vals, bdims, p, size) => scatterFamilyBatch(lax.scatterMul, vals, bdims, p, size),
    // ẏ = ẋ·S(u) + x·Σ u̇ (the second term needs unique indices: then Π over the others is 1)
    jvp: ({ inputs: [x, idx, u], params }, [xDot, , uDot]) => {
      const fromX: Linear = isZero(xDot) ? xDot : lax.scatterMul(xDot, idx, u, params.uniqueIndices)
      if (isZero(uDot)) return fromX
      if (!params.uniqueIndices) mulNeedsUnique()
      const fromU = lax.mul(x, sumInto(uDot, idx, x))
      return isZero(fromX) ? fromU : lax.add(fromX, fromU)
    },
    // x̄ = ȳ·S(u); ū = (ȳ·x)[idx] (unique indices)
    vjp: ({ inputs: [x, idx, u], params, needs }, yBar) => {
      if (needs[2] && !params.uniqueIndices) mulNeedsUnique()
      return [
        needs[0] ? lax.scatterMul(yBar, idx, u, params.uniqueIndices) : Zero.like(x),
        Zero.like(idx),
        needs[2] ? lax.gather(lax.mul(yBar, x), idx, 0) : Zero.like(u),
      ]
    },
  }),
  call,
)

/** scatter_min / scatter_max: one definition, the kernel's comparison differs. */
const extremal = <N extends 'scatter_min' | 'scatter_max'>(
  name: N,
  kind: 'min' | 'max',
): BoundPrimitive<N, XIU, ScatterOpParams, ScatterFn> =>
  bound(
    definePrimitive({
      name,
      onnx: (ctx) => scatterExtremalOnnx(ctx, kind),
      impl: ([x, idx, u]) => scatterInto(kind, x, idx, u),
      shape: ([x]) => ({ shape: x.shape, dtype: x.dtype }),
      batch: (_, vals, bdims, p, size) =>
        scatterFamilyBatch(kind === 'min' ? lax.scatterMin : lax.scatterMax, vals, bdims, p, size),
      // ẏ = xw·ẋ + Σ uw·u̇ (tied winners share the tangent)
      jvp: ({ inputs: [x, idx, u], output: y }, [xDot, , uDot]) => {
        const [xw, uw] = extremalWeights(x, idx, u, y)
        const a = isZero(xDot) ? undefined : lax.mul(xw, xDot)
        const b = isZero(uDot) ? undefined : sumInto(lax.mul(uw, uDot), idx, x)
        return a !== undefined && b !== undefined ? lax.add(a, b) : (a ?? b ?? Zero.like(y))
      },
      // x̄ = ȳ·xw; ū = ȳ[idx]·uw
      vjp: ({ inputs: [x, idx, u], output: y, needs }, yBar) => {
        const [xw, uw] = extremalWeights(x, idx, u, y)
        return [
          needs[0] ? lax.mul(yBar, xw) : Zero.like(x),
          Zero.like(idx),
          needs[2] ? lax.mul(lax.gather(yBar, idx, 0), uw) : Zero.like(u),
        ]
      },
    }),
    call,
  )

/**
 * `x` with each row `indices[j]` replaced by its minimum with update row j.
 * @category primitives @since 0.2.0
 */
export const scatterMin: BoundPrimitive<'scatter_min', XIU, ScatterOpParams, ScatterFn> = extremal('scatter_min', 'min')

/**
 * `x` with each row `indices[j]` replaced by its maximum with update row j.
 * @category primitives @since 0.2.0
 */
export const scatterMax: BoundPrimitive<'scatter_max', XIU, ScatterOpParams, ScatterFn> = extremal('scatter_max', 'max')

// -------------------------------------------------------------------------------------
// batching rule
// -------------------------------------------------------------------------------------

/**
 * The scatter family under vmap. Unbatched indices: the batch axis goes right after the
 * scattered axis of x (axis 1) and after the index axes of the updates, and it is one scatter
 * with rows `[B, ...rest]`. Batched indices: x's batch joins its scattered axis (`[B·n, ...rest]`)
 * and each element's indices are offset by its batch index times n.
 */
const scatterFamilyBatch = (
  f: ScatterFn,
  [x, idx, u]: ReadonlyArray<NdArray>,
  [xb, ib, ub]: ReadonlyArray<number | null>,
  { uniqueIndices }: ScatterOpParams,
  size: number,
): readonly [NdArray, number] => {
  const [x0, i0, u0] = [x as NdArray, idx as NdArray, u as NdArray]
  if ((ib ?? null) === null) {
    const xm = lax.moveBatchAxis(x0, xb ?? null, 1, size)
    const um = lax.moveBatchAxis(u0, ub ?? null, i0.ndim, size)
    return [f(xm, i0, um, uniqueIndices), 1]
  }
  const xf = lax.batchFirst(x0, xb ?? null, size) // [B, n, ...rest]
  const n = xf.shape[1] as number
  const flat = lax.reshape(xf, [size * n, ...xf.shape.slice(2)])
  const ii = offsetIndices(lax.batchFirst(i0, ib ?? null, size), n, size)
  const out = f(flat, ii, lax.batchFirst(u0, ub ?? null, size), uniqueIndices)
  return [lax.reshape(out, xf.shape), 0]
}

// -------------------------------------------------------------------------------------
// export rule
// -------------------------------------------------------------------------------------

/**
 * ONNX ScatterND over x's leading axis: the indices gain a trailing axis of length 1 (int64).
 * ONNX leaves repeated indices of reduction `none` unspecified; wengert's last writer wins.
 */
function scatterNdOnnx({ inputs: [x, idx, u], avals, emit }: OnnxContext<ScatterOpParams>, reduction: string): string {
  // wengert skips rows outside [0, n) where ONNX would wrap or fail: they go to an extra row, dropped after
  const xa = avals[0] as Aval
  const n = xa.shape[0] ?? 1
  const k = avals[1]?.shape.length ?? 0
  const i64 = emit.cast(idx as string, 'int64')
  const outside = emit.op('Or', [
    emit.op('Less', [i64, emit.scalar(0, 'int64')]),
    emit.op('GreaterOrEqual', [i64, emit.scalar(n, 'int64')]),
  ])
  const rows = emit.op('Where', [outside, emit.scalar(n, 'int64'), i64])
  const pads = emit.ints([...xa.shape.map(() => 0), 1, ...xa.shape.slice(1).map(() => 0)])
  const padded = emit.op('Pad', [x as string, pads], { mode: { string: 'edge' } })
  const ii = emit.op('Unsqueeze', [rows, emit.ints([k])])
  const y = emit.op('ScatterND', [padded, ii, u as string], { reduction: { string: reduction } })
  return emit.op('Slice', [y, emit.ints([0]), emit.ints([n]), emit.ints([0])])
}

/**
 * scatter_max/min as ScatterND with reduction max/min (opset 18) on NaN-free values; a position
 * that holds NaN or receives one is NaN, as in wengert (ONNX leaves NaN in max/min unspecified).
 */
function scatterExtremalOnnx(ctx: OnnxContext<ScatterOpParams>, kind: 'min' | 'max'): string {
  const {
    inputs: [x, idx, u],
    emit,
    out,
  } = ctx
  if (emit.opset < 18)
    throw new ValueError(
      `exportOnnx: scatter_${kind} needs ScatterND's reduction '${kind}', from opset 18: export with opsetVersion 18`,
    )
  const clean = (v: string): string => emit.op('Where', [emit.op('IsNaN', [v]), emit.scalar(0, out.dtype), v])
  const y = scatterNdOnnx({ ...ctx, inputs: [clean(x as string), idx as string, clean(u as string)] }, kind)
  const nanIn = emit.cast(emit.op('IsNaN', [u as string]), out.dtype)
  const arrived = scatterNdOnnx(
    { ...ctx, inputs: [emit.op('Expand', [emit.scalar(0, out.dtype), emit.ints(out.shape)]), idx as string, nanIn] },
    'add',
  )
  const nan = emit.op('Or', [emit.op('IsNaN', [x as string]), emit.op('Greater', [arrived, emit.scalar(0, out.dtype)])])
  return emit.op('Where', [nan, emit.scalar(NaN, out.dtype), y])
}
