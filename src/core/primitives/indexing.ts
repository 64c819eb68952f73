/**
 * Indexing primitives, an adjoint pair: gather ↔ scatter_add. Their batching rules fold a
 * batch of index arrays into one gather (or scatter) over a flattened axis with offset indices.
 *
 * @category primitives
 * @since 0.1.0
 */
import * as K from '../../ndarray/kernels/movement'
import { NdArray } from '../../ndarray/NdArray'
import { sizeOf } from '../../ndarray/shape'
import * as lax from '../lax'
import type { OnnxContext } from '../onnxRule'
import { bound, definePrimitive, type BoundPrimitive } from '../primitive'
import { Zero } from '../zero'

type XI = readonly [NdArray, NdArray]

/** Params of gather/scatter_add. */
export interface GatherParams {
  readonly axis: number
}

/** Params of scatter_add: also the shape scattered into. */
export interface ScatterParams extends GatherParams {
  readonly shape: ReadonlyArray<number>
}

// -------------------------------------------------------------------------------------
// primitives
// -------------------------------------------------------------------------------------

/**
 * Gather along an axis with int32 indices (in range, non-negative). Adjoint: scatter_add.
 * @category primitives @since 0.1.0
 */
export const gather: BoundPrimitive<'gather', XI, GatherParams, (x: NdArray, idx: NdArray, axis: number) => NdArray> =
  bound(
    definePrimitive({
      name: 'gather',
      onnx: ({ inputs: [x, idx], params: { axis }, emit }) =>
        emit.op('Gather', [x as string, idx as string], { axis: { int: axis } }),
      impl: ([x, idx], { axis }) => K.gather(x, idx, axis),
      shape: ([x, idx], { axis }) => ({
        shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)],
        dtype: x.dtype,
      }),
      batch: (_, [x, idx], [xb, ib], { axis }, size) =>
        gatherBatch(x as NdArray, xb ?? null, idx as NdArray, ib ?? null, axis, size),
      linear: true,
      jvp: ({ inputs: [, idx], params: { axis } }, [xDot]) => lax.gather(xDot as NdArray, idx, axis),
      vjp: ({ inputs: [x, idx], params: { axis } }, yBar) => [lax.scatterAdd(yBar, idx, axis, x.shape), Zero.like(idx)],
    }),
    (bind) => (x, idx, axis) => bind([x, idx], { axis }),
  )

/**
 * Adds updates into zeros of `shape` at gathered positions (repeated indices accumulate).
 * Adjoint: gather.
 * @category primitives @since 0.1.0
 */
export const scatterAdd: BoundPrimitive<
  'scatter_add',
  XI,
  ScatterParams,
  (u: NdArray, idx: NdArray, axis: number, shape: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'scatter_add',
    onnx: scatterAddOnnx,
    impl: ([u, idx], { axis, shape }) => K.scatterAdd(shape, idx, u, axis),
    shape: ([u], { shape }) => ({ shape, dtype: u.dtype }),
    batch: (_, [u, idx], [ub, ib], params, size) =>
      scatterBatch(u as NdArray, ub ?? null, idx as NdArray, ib ?? null, params, size),
    linear: true,
    jvp: ({ inputs: [, idx], params: { axis, shape } }, [uDot]) => lax.scatterAdd(uDot as NdArray, idx, axis, shape),
    vjp: ({ inputs: [u, idx], params: { axis } }, yBar) => [
      sizeOf(u.shape) === 0 ? Zero.like(u) : lax.gather(yBar, idx, axis),
      Zero.like(idx),
    ],
  }),
  (bind) => (u, idx, axis, shape) => bind([u, idx], { axis, shape }),
)

// -------------------------------------------------------------------------------------
// batching rules
// -------------------------------------------------------------------------------------

type BDim = number | null
/** A batched result and its batch axis. */
type Batched = readonly [NdArray, BDim]

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** 0, 1, …, n − 1 in `like`'s dtype. */
const arangeLike = (n: number, like: NdArray): NdArray => {
  const data = new Int32Array(n)
  for (let i = 0; i < n; i++) data[i] = i
  return lax.cast(new NdArray([n], 'int32', data), like.dtype)
}

/** `idx` (batch first, `len` positions per element) offset by `len` times its batch index. */
export const offsetIndices = (ii: NdArray, len: number, size: number): NdArray =>
  lax.add(ii, lax.broadcastInDim(lax.mul(arangeLike(size, ii), lax.scalarLike(len, ii)), ii.shape, [0]))

/**
 * gather under vmap. Unbatched indices gather along the shifted axis; unbatched `x` gathers with
 * the batched indices as they are; with both batched, the batch joins the gathered axis
 * (indices offset by their batch element) so it is one gather.
 */
const gatherBatch = (x: NdArray, xb: BDim, idx: NdArray, ib: BDim, axis: number, size: number): Batched => {
  if (ib === null) return [lax.gather(lax.batchFirst(x, xb, size), idx, axis + 1), 0]
  if (xb === null) return [lax.gather(x, lax.batchFirst(idx, ib, size), axis), axis]
  const xf = lax.batchFirst(x, xb, size) // [B, ...x]
  const len = xf.shape[axis + 1] as number
  // [B, ...x] -> [B, x[axis], rest...] -> [B·x[axis], rest...]
  const perm = [0, axis + 1, ...range(xf.ndim).filter((i) => i !== 0 && i !== axis + 1)]
  const moved = lax.transpose(xf, perm)
  const flat = lax.reshape(moved, [size * len, ...moved.shape.slice(2)])
  const ii = lax.batchFirst(idx, ib, size)
  const g = lax.gather(flat, offsetIndices(ii, len, size), 0) // [B, ...idx, rest...]
  // rest = x[:axis] + x[axis+1:]: put x[:axis] back in front of the index axes
  const k = ii.ndim - 1
  const out = range(g.ndim)
  const idxAxes = out.slice(1, 1 + k)
  const beforeAxes = out.slice(1 + k, 1 + k + axis)
  const afterAxes = out.slice(1 + k + axis)
  return [lax.transpose(g, [0, ...beforeAxes, ...idxAxes, ...afterAxes]), 0]
}

/**
 * scatter_add under vmap. Unbatched indices scatter into the batched shape along the shifted
 * axis; batched indices scatter into [B·shape[axis], rest...] with offset indices, then unflatten.
 */
const scatterBatch = (
  u: NdArray,
  ub: BDim,
  idx: NdArray,
  ib: BDim,
  { axis, shape }: ScatterParams,
  size: number,
): Batched => {
  const uf = lax.batchFirst(u, ub, size) // [B, ...shape[:axis], ...idx, ...shape[axis+1:]]
  if (ib === null) return [lax.scatterAdd(uf, idx, axis + 1, [size, ...shape]), 0]
  const len = shape[axis] as number
  const ii = lax.batchFirst(idx, ib, size)
  const k = ii.ndim - 1
  const all = range(uf.ndim)
  const beforeAxes = all.slice(1, 1 + axis)
  const idxAxes = all.slice(1 + axis, 1 + axis + k)
  const afterAxes = all.slice(1 + axis + k)
  const um = lax.transpose(uf, [0, ...idxAxes, ...beforeAxes, ...afterAxes]) // [B, idx..., before..., after...]
  const rest = [...shape.slice(0, axis), ...shape.slice(axis + 1)]
  const flat = lax.scatterAdd(um, offsetIndices(ii, len, size), 0, [size * len, ...rest]) // [B·len, before..., after...]
  const un = lax.reshape(flat, [size, len, ...rest]) // [B, len, before..., after...]
  const r = range(un.ndim)
  return [lax.transpose(un, [0, ...r.slice(2, 2 + axis), 1, ...r.slice(2 + axis)]), 0]
}

// -------------------------------------------------------------------------------------
// export rules
// -------------------------------------------------------------------------------------

/**
 * scatter_add as ONNX ScatterND with reduction `add` (opset ≥ 16) into zeros: the scattered
 * axis is moved to the front of the zeros and the index axes to the front of the updates.
 */
function scatterAddOnnx({
  inputs: [u, idx],
  avals,
  out,
  params: { axis, shape },
  emit,
}: OnnxContext<ScatterParams>): string {
  const k = avals[1]?.shape.length ?? 0
  const rank = shape.length
  const toFront = [axis, ...range(rank).filter((i) => i !== axis)]
  const zeros = emit.op('Expand', [
    emit.scalar(0, out.dtype),
    emit.ints([shape[axis] as number, ...shape.filter((_, i) => i !== axis)]),
  ])
  // updates [pre(axis), idx(k), post] -> [idx(k), pre, post]
  const uPerm = [...range(k).map((i) => axis + i), ...range(axis), ...range(rank - 1 - axis).map((i) => axis + k + i)]
  const uT = emit.op('Transpose', [u as string], { perm: { ints: uPerm } })
  const ii = emit.op('Unsqueeze', [idx as string, emit.ints([k])])
  const ii64 = emit.op('Cast', [ii], { to: { int: 7 } })
  const scattered = emit.op('ScatterND', [zeros, ii64, uT], { reduction: { string: 'add' } })
  const back = range(rank).map((i) => toFront.indexOf(i))
  return emit.op('Transpose', [scattered], { perm: { ints: back } })
}
