/**
 * Movement primitives, all linear, written next to their adjoints: broadcast_in_dim ↔
 * reduce_sum, pad ↔ slice, transpose ↔ transpose(inverse), flip ↔ flip, reshape ↔ reshape,
 * concatenate ↔ slices (gather ↔ scatter_add are in `./indexing`). Under `vmap` each binds
 * itself once with the batch axis in front and its params shifted past it.
 *
 * @category primitives
 * @since 0.1.0
 */
import { ShapeError, fmtShape } from '../../ndarray/errors'
import * as K from '../../ndarray/kernels/movement'
import type { NdArray } from '../../ndarray/NdArray'
import { shapesEqual, sizeOf } from '../../ndarray/shape'
import * as lax from '../lax'
import type { OnnxContext, OnnxEmitter } from '../onnxRule'
import { bound, definePrimitive, leading, shiftAxes, type BoundPrimitive } from '../primitive'
import { Zero } from '../zero'

type X = readonly [NdArray]

/** The reshape primitive's params must keep the size (ops resolve -1 before binding). */
const checkSameSize = (from: ReadonlyArray<number>, to: ReadonlyArray<number>): ReadonlyArray<number> => {
  if (sizeOf(from) !== sizeOf(to))
    throw new ShapeError(
      `reshape: cannot reshape ${fmtShape(from)} (size ${sizeOf(from)}) into ${fmtShape(to)} (size ${sizeOf(to)})`,
    )
  return to
}

/** Same data, new shape. Adjoint: reshape back. @category primitives @since 0.1.0 */
export const reshape: BoundPrimitive<
  'reshape',
  X,
  { readonly shape: ReadonlyArray<number> },
  (x: NdArray, shape: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'reshape',
    onnx: ({ inputs: [x], params: { shape }, emit }) => emit.op('Reshape', [x as string, emit.ints(shape)]),
    batch: leading((p: { readonly shape: ReadonlyArray<number> }, size) => ({ shape: [size, ...p.shape] })),
    impl: ([x], { shape }) => K.reshape(x, checkSameSize(x.shape, shape)),
    shape: ([x], { shape }) => ({ shape: checkSameSize(x.shape, shape), dtype: x.dtype }),
    linear: true,
    jvp: ({ params: { shape } }, [xDot]) => lax.reshape(xDot as NdArray, shape),
    vjp: ({ inputs: [x] }, yBar) => [lax.reshape(yBar, x.shape)],
  }),
  (bind) => (x, shape) => (shapesEqual(x.shape, shape) ? x : bind([x], { shape })),
)

/** Params of broadcast_in_dim: input axis i becomes output axis dims[i]. */
export interface BroadcastParams {
  readonly shape: ReadonlyArray<number>
  readonly dims: ReadonlyArray<number>
}

/**
 * broadcast_in_dim's params must place each input axis on a later output axis (`dims` strictly
 * increasing, in range) whose size it has or stretches from 1; JAX's shape rule checks the same.
 */
const checkBroadcast = (from: ReadonlyArray<number>, p: BroadcastParams): ReadonlyArray<number> => {
  const { shape, dims } = p
  const ok =
    dims.length === from.length &&
    dims.every(
      (d, i) =>
        Number.isInteger(d) &&
        d >= 0 &&
        d < shape.length &&
        (i === 0 || d > (dims[i - 1] as number)) &&
        (from[i] === 1 || from[i] === shape[d]),
    )
  if (!ok)
    throw new ShapeError(
      `broadcast_in_dim: operand dimension sizes must either be 1, or be equal to their corresponding dimensions in the target broadcast shape, with strictly increasing broadcast_dimensions, one per operand axis; got operand of shape ${fmtShape(from)}, target broadcast shape ${fmtShape(shape)}, broadcast_dimensions ${fmtShape(dims)}`,
    )
  return shape
}

/** Broadcast into a larger shape (JAX's broadcast_in_dim). Adjoint: reduce_sum. @category primitives @since 0.1.0 */
export const broadcastInDim: BoundPrimitive<
  'broadcast_in_dim',
  X,
  BroadcastParams,
  (x: NdArray, shape: ReadonlyArray<number>, dims: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'broadcast_in_dim',
    onnx: broadcastOnnx,
    batch: leading((p: BroadcastParams, size) => ({ shape: [size, ...p.shape], dims: [0, ...shiftAxes(p.dims)] })),
    impl: ([x], p) => K.broadcastInDim(x, checkBroadcast(x.shape, p), p.dims),
    shape: ([x], p) => ({ shape: checkBroadcast(x.shape, p), dtype: x.dtype }),
    linear: true,
    jvp: ({ params: { shape, dims } }, [xDot]) => lax.broadcastInDim(xDot as NdArray, shape, dims),
    // x̄ = Σ ȳ over new axes and stretched size-1 axes, reshaped to x
    vjp: ({ inputs: [x], params: { shape, dims } }, yBar) => {
      const sumAxes: number[] = []
      for (let a = 0; a < shape.length; a++) {
        const i = dims.indexOf(a)
        if (i < 0 || (x.shape[i] === 1 && shape[a] !== 1)) sumAxes.push(a)
      }
      return [lax.reshape(lax.reduceSum(yBar, sumAxes), x.shape)]
    },
  }),
  (bind) => (x, shape, dims) => (shapesEqual(x.shape, shape) ? x : bind([x], { shape, dims })),
)

/** Permute axes. Adjoint: the inverse permutation. @category primitives @since 0.1.0 */
export const transpose: BoundPrimitive<
  'transpose',
  X,
  { readonly perm: ReadonlyArray<number> },
  (x: NdArray, perm: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'transpose',
    onnx: ({ inputs: [x], params: { perm }, emit }) => emit.op('Transpose', [x as string], { perm: { ints: perm } }),
    batch: leading((p: { readonly perm: ReadonlyArray<number> }) => ({ perm: [0, ...shiftAxes(p.perm)] })),
    impl: ([x], { perm }) => K.transpose(x, perm),
    shape: ([x], { perm }) => ({ shape: perm.map((p) => x.shape[p] as number), dtype: x.dtype }),
    linear: true,
    jvp: ({ params: { perm } }, [xDot]) => lax.transpose(xDot as NdArray, perm),
    vjp: ({ params: { perm } }, yBar) => {
      const inv = new Array<number>(perm.length)
      perm.forEach((p, i) => {
        inv[p] = i
      })
      return [lax.transpose(yBar, inv)]
    },
  }),
  (bind) => (x, perm) => (perm.every((p, i) => p === i) ? x : bind([x], { perm })),
)

/** Params of slice: positive steps, in-range starts and limits. */
export interface SliceParams {
  readonly starts: ReadonlyArray<number>
  readonly limits: ReadonlyArray<number>
  readonly steps: ReadonlyArray<number>
}

const sliceShape = (shape: ReadonlyArray<number>, { starts, limits, steps }: SliceParams): number[] =>
  shape.map((_, i) => Math.max(0, Math.ceil(((limits[i] as number) - (starts[i] as number)) / (steps[i] as number))))

/** Strided slice. Adjoint: pad with zeros (interior padding for steps). @category primitives @since 0.1.0 */
export const slice: BoundPrimitive<
  'slice',
  X,
  SliceParams,
  (x: NdArray, starts: ReadonlyArray<number>, limits: ReadonlyArray<number>, steps: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'slice',
    onnx: ({ inputs: [x], params: p, emit }) => sliceOnnx(emit, x as string, p.starts, p.limits, p.steps),
    batch: leading((p: SliceParams, size) => ({
      starts: [0, ...p.starts],
      limits: [size, ...p.limits],
      steps: [1, ...p.steps],
    })),
    impl: ([x], p) => K.slice(x, p.starts, p.limits, p.steps),
    shape: ([x], p) => ({ shape: sliceShape(x.shape, p), dtype: x.dtype }),
    linear: true,
    jvp: ({ params }, [xDot]) => lax.slice(xDot as NdArray, params.starts, params.limits, params.steps),
    // x̄ = pad(ȳ): starts before, step−1 between, the rest after
    vjp: ({ inputs: [x], params: { starts, steps } }, yBar) => {
      const lo = starts
      const interior = steps.map((s) => s - 1)
      const hi = x.shape.map((d, i) => {
        const n = yBar.shape[i] as number
        const used = n === 0 ? (starts[i] as number) : (starts[i] as number) + (n - 1) * (steps[i] as number) + 1
        return d - used
      })
      return [lax.pad(yBar, lo, hi, interior, 0)]
    },
  }),
  (bind) => (x, starts, limits, steps) => bind([x], { starts, limits, steps }),
)

/** Params of pad: non-negative edge and interior padding, a constant fill value. */
export interface PadParams {
  readonly lo: ReadonlyArray<number>
  readonly hi: ReadonlyArray<number>
  readonly interior: ReadonlyArray<number>
  readonly value: number
}

/** Pad with a constant. Adjoint: slice (the fill value is a constant). @category primitives @since 0.1.0 */
export const pad: BoundPrimitive<
  'pad',
  X,
  PadParams,
  (
    x: NdArray,
    lo: ReadonlyArray<number>,
    hi: ReadonlyArray<number>,
    interior: ReadonlyArray<number>,
    value: number,
  ) => NdArray
> = bound(
  definePrimitive({
    name: 'pad',
    onnx: padOnnx,
    batch: leading((p: PadParams) => ({
      lo: [0, ...p.lo],
      hi: [0, ...p.hi],
      interior: [0, ...p.interior],
      value: p.value,
    })),
    impl: ([x], { lo, hi, interior, value }) => K.pad(x, lo, hi, interior, value),
    shape: ([x], { lo, hi, interior }) => ({
      shape: x.shape.map((d, i) =>
        d === 0
          ? (lo[i] as number) + (hi[i] as number)
          : d + (lo[i] as number) + (hi[i] as number) + (d - 1) * (interior[i] as number),
      ),
      dtype: x.dtype,
    }),
    linear: true,
    jvp: ({ params: { lo, hi, interior } }, [xDot]) => lax.pad(xDot as NdArray, lo, hi, interior, 0),
    vjp: ({ inputs: [x], params: { lo, interior } }, yBar) => [
      lax.slice(
        yBar,
        lo,
        x.shape.map((d, i) => (lo[i] as number) + (d === 0 ? 0 : (d - 1) * ((interior[i] as number) + 1) + 1)),
        interior.map((s) => s + 1),
      ),
    ],
  }),
  (bind) => (x, lo, hi, interior, value) => bind([x], { lo, hi, interior, value }),
)

/** Reverse axes. Self-adjoint. @category primitives @since 0.1.0 */
export const flip: BoundPrimitive<
  'flip',
  X,
  { readonly axes: ReadonlyArray<number> },
  (x: NdArray, axes: ReadonlyArray<number>) => NdArray
> = bound(
  definePrimitive({
    name: 'flip',
    // a slice with step −1 from the last element to before the first, along each flipped axis
    onnx: ({ inputs: [x], avals: [a], params: { axes }, emit }) =>
      emit.op('Slice', [
        x as string,
        emit.ints(axes.map(() => -1)),
        emit.ints(axes.map((ax) => -((a?.shape[ax] ?? 0) + 1))),
        emit.ints(axes),
        emit.ints(axes.map(() => -1)),
      ]),
    batch: leading((p: { readonly axes: ReadonlyArray<number> }) => ({ axes: shiftAxes(p.axes) })),
    impl: ([x], { axes }) => K.flip(x, axes),
    shape: ([x]) => x,
    linear: true,
    jvp: ({ params: { axes } }, [xDot]) => lax.flip(xDot as NdArray, axes),
    vjp: ({ params: { axes } }, yBar) => [lax.flip(yBar, axes)],
  }),
  (bind) => (x, axes) => (axes.length === 0 ? x : bind([x], { axes })),
)

/** Join along an axis (any number of inputs of one dtype). Adjoint: slices. @category primitives @since 0.1.0 */
export const concatenate: BoundPrimitive<
  'concatenate',
  ReadonlyArray<NdArray>,
  { readonly axis: number },
  (xs: ReadonlyArray<NdArray>, axis: number) => NdArray
> = bound(
  definePrimitive({
    name: 'concatenate',
    onnx: ({ inputs, params: { axis }, emit }) => emit.op('Concat', inputs, { axis: { int: axis } }),
    // unbatched inputs are broadcast to the batch too: every piece needs the batch axis
    batch: leading((p: { readonly axis: number }) => ({ axis: p.axis + 1 }), true),
    impl: (xs, { axis }) => K.concatenate(xs, axis),
    shape: (xs, { axis }) => {
      const first = xs[0] as (typeof xs)[number]
      const shape = first.shape.slice()
      shape[axis] = xs.reduce((s, x) => s + (x.shape[axis] as number), 0)
      return { shape, dtype: first.dtype }
    },
    linear: true,
    jvp: ({ inputs, params: { axis } }, tangents) =>
      lax.concatenate(
        tangents.map((t, i) => lax.instantiate(t, inputs[i] as NdArray)),
        axis,
      ),
    vjp: ({ inputs, params: { axis }, needs }, yBar) => {
      let start = 0
      return inputs.map((x, i) => {
        const w = x.shape[axis] as number
        const s = start
        start += w
        if (!needs[i]) return Zero.like(x)
        const starts = yBar.shape.map((_, a) => (a === axis ? s : 0))
        const limits = yBar.shape.map((d, a) => (a === axis ? s + w : d))
        return lax.slice(
          yBar,
          starts,
          limits,
          limits.map(() => 1),
        )
      })
    },
  }),
  (bind) => (xs, axis) => bind(xs, { axis }),
)

// -------------------------------------------------------------------------------------
// export rules
// -------------------------------------------------------------------------------------

/** ONNX Slice over every axis. */
function sliceOnnx(
  emit: OnnxEmitter,
  x: string,
  starts: ReadonlyArray<number>,
  limits: ReadonlyArray<number>,
  steps: ReadonlyArray<number>,
): string {
  const axes = starts.map((_, i) => i)
  return emit.op('Slice', [x, emit.ints(starts), emit.ints(limits), emit.ints(axes), emit.ints(steps)])
}

/**
 * broadcast_in_dim: input axis i becomes output axis dims[i]. The input is put in dims order
 * (Transpose, when dims are not increasing), given size-1 axes where the output has new ones
 * (Reshape), then broadcast (Expand).
 */
function broadcastOnnx({
  inputs: [x],
  avals: [a],
  params: { shape, dims },
  emit,
}: OnnxContext<BroadcastParams>): string {
  const order = dims.map((d, i) => [d, i] as const).sort((p, q) => p[0] - q[0])
  let cur = x as string
  if (order.some(([, i], k) => i !== k)) cur = emit.op('Transpose', [cur], { perm: { ints: order.map(([, i]) => i) } })
  const inShape = a?.shape ?? []
  const withOnes = shape.map((_, ax) => {
    const i = dims.indexOf(ax)
    return i < 0 ? 1 : (inShape[i] as number)
  })
  cur = emit.op('Reshape', [cur, emit.ints(withOnes)])
  return emit.op('Expand', [cur, emit.ints(shape)])
}

/**
 * pad: interior padding first, one axis at a time (each element gets `k` fill values after it:
 * a new axis of size 1 padded to k + 1, merged, the trailing k sliced off), then ONNX Pad for the
 * edges.
 */
export function padOnnx({ inputs: [x], avals: [a], out, params, emit }: OnnxContext<PadParams>): string {
  const { lo, hi, interior, value } = params
  const fill = emit.scalar(value, out.dtype)
  let cur = x as string
  const shape = (a?.shape ?? []).slice()
  for (let ax = 0; ax < shape.length; ax++) {
    const k = interior[ax] as number
    const d = shape[ax] as number
    if (k === 0 || d === 0) continue
    const split = [...shape.slice(0, ax + 1), 1, ...shape.slice(ax + 1)]
    const padHi = split.map((_, i) => (i === ax + 1 ? k : 0))
    cur = emit.op('Reshape', [cur, emit.ints(split)])
    cur = emit.op('Pad', [cur, emit.ints([...split.map(() => 0), ...padHi]), fill], { mode: { string: 'constant' } })
    const merged = shape.slice()
    merged[ax] = d * (k + 1)
    cur = emit.op('Reshape', [cur, emit.ints(merged)])
    const limits = merged.slice()
    limits[ax] = d + (d - 1) * k
    cur = sliceOnnx(
      emit,
      cur,
      merged.map(() => 0),
      limits,
      merged.map(() => 1),
    )
    shape[ax] = limits[ax] as number
  }
  if (lo.every((v) => v === 0) && hi.every((v) => v === 0)) return emit.op('Identity', [cur])
  return emit.op('Pad', [cur, emit.ints([...lo, ...hi]), fill], { mode: { string: 'constant' } })
}
