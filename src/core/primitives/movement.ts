/**
 * Movement primitives, all linear, written next to their adjoints: broadcast_in_dim ↔
 * reduce_sum, pad ↔ slice, transpose ↔ transpose(inverse), flip ↔ flip, reshape ↔ reshape,
 * concatenate ↔ slices, gather ↔ scatter_add.
 *
 * @category primitives
 * @since 0.1.0
 */
import { ShapeError, fmtShape } from '../../ndarray/errors'
import * as K from '../../ndarray/kernels/movement'
import type { NdArray } from '../../ndarray/NdArray'
import { sizeOf } from '../../ndarray/shape'
import * as lax from '../lax'
import { definePrimitive } from '../primitive'
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
export const reshape = definePrimitive<'reshape', X, { readonly shape: ReadonlyArray<number> }>({
  name: 'reshape',
  impl: ([x], { shape }) => K.reshape(x, checkSameSize(x.shape, shape)),
  shape: ([x], { shape }) => ({ shape: checkSameSize(x.shape, shape), dtype: x.dtype }),
  linear: true,
  jvp: ({ params: { shape } }, [xDot]) => lax.reshape(xDot as NdArray, shape),
  vjp: ({ inputs: [x] }, yBar) => [lax.reshape(yBar, x.shape)],
})

/** Params of broadcast_in_dim: input axis i becomes output axis dims[i]. */
export interface BroadcastParams {
  readonly shape: ReadonlyArray<number>
  readonly dims: ReadonlyArray<number>
}

/** Broadcast into a larger shape (JAX's broadcast_in_dim). Adjoint: reduce_sum. @category primitives @since 0.1.0 */
export const broadcast_in_dim = definePrimitive<'broadcast_in_dim', X, BroadcastParams>({
  name: 'broadcast_in_dim',
  impl: ([x], { shape, dims }) => K.broadcastInDim(x, shape, dims),
  shape: ([x], { shape }) => ({ shape, dtype: x.dtype }),
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
})

/** Permute axes. Adjoint: the inverse permutation. @category primitives @since 0.1.0 */
export const transpose = definePrimitive<'transpose', X, { readonly perm: ReadonlyArray<number> }>({
  name: 'transpose',
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
})

/** Params of slice: positive steps, in-range starts and limits. */
export interface SliceParams {
  readonly starts: ReadonlyArray<number>
  readonly limits: ReadonlyArray<number>
  readonly steps: ReadonlyArray<number>
}

const sliceShape = (shape: ReadonlyArray<number>, { starts, limits, steps }: SliceParams): number[] =>
  shape.map((_, i) => Math.max(0, Math.ceil(((limits[i] as number) - (starts[i] as number)) / (steps[i] as number))))

/** Strided slice. Adjoint: pad with zeros (interior padding for steps). @category primitives @since 0.1.0 */
export const slice = definePrimitive<'slice', X, SliceParams>({
  name: 'slice',
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
})

/** Params of pad: non-negative edge and interior padding, a constant fill value. */
export interface PadParams {
  readonly lo: ReadonlyArray<number>
  readonly hi: ReadonlyArray<number>
  readonly interior: ReadonlyArray<number>
  readonly value: number
}

/** Pad with a constant. Adjoint: slice (the fill value is a constant). @category primitives @since 0.1.0 */
export const pad = definePrimitive<'pad', X, PadParams>({
  name: 'pad',
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
})

/** Reverse axes. Self-adjoint. @category primitives @since 0.1.0 */
export const flip = definePrimitive<'flip', X, { readonly axes: ReadonlyArray<number> }>({
  name: 'flip',
  impl: ([x], { axes }) => K.flip(x, axes),
  shape: ([x]) => x,
  linear: true,
  jvp: ({ params: { axes } }, [xDot]) => lax.flip(xDot as NdArray, axes),
  vjp: ({ params: { axes } }, yBar) => [lax.flip(yBar, axes)],
})

/** Join along an axis (any number of inputs of one dtype). Adjoint: slices. @category primitives @since 0.1.0 */
export const concatenate = definePrimitive<'concatenate', ReadonlyArray<NdArray>, { readonly axis: number }>({
  name: 'concatenate',
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
})

/** Params of gather/scatter_add. */
export interface GatherParams {
  readonly axis: number
}

/**
 * Gather along an axis with int32 indices (in range, non-negative). Adjoint: scatter_add.
 * @category primitives @since 0.1.0
 */
export const gather = definePrimitive<'gather', readonly [NdArray, NdArray], GatherParams>({
  name: 'gather',
  impl: ([x, idx], { axis }) => K.gather(x, idx, axis),
  shape: ([x, idx], { axis }) => ({
    shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)],
    dtype: x.dtype,
  }),
  linear: true,
  jvp: ({ inputs: [, idx], params: { axis } }, [xDot]) => lax.gather(xDot as NdArray, idx, axis),
  vjp: ({ inputs: [x, idx], params: { axis } }, yBar) => [lax.scatterAdd(yBar, idx, axis, x.shape), Zero.like(idx)],
})

/**
 * Adds updates into zeros of `shape` at gathered positions (repeated indices accumulate).
 * Adjoint: gather.
 * @category primitives @since 0.1.0
 */
export const scatter_add = definePrimitive<
  'scatter_add',
  readonly [NdArray, NdArray],
  GatherParams & { readonly shape: ReadonlyArray<number> }
>({
  name: 'scatter_add',
  impl: ([u, idx], { axis, shape }) => K.scatterAdd(shape, idx, u, axis),
  shape: ([u], { shape }) => ({ shape, dtype: u.dtype }),
  linear: true,
  jvp: ({ inputs: [, idx], params: { axis, shape } }, [uDot]) => lax.scatterAdd(uDot as NdArray, idx, axis, shape),
  vjp: ({ inputs: [u, idx], params: { axis } }, yBar) => [
    sizeOf(u.shape) === 0 ? Zero.like(u) : lax.gather(yBar, idx, axis),
    Zero.like(idx),
  ],
})
