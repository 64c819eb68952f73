/**
 * Batching (for `vmap`): a level whose tracers carry a batched value and the axis of it that is
 * the batch (`bdim`; null for a value that is the same for every element). Each primitive has a
 * batching rule that applies it to the whole batch at once — usually the same primitive with the
 * batch axis moved to the front and its params shifted by one axis. Rules bind primitives, so
 * they compose with every other transform (per-example gradients are `vmap(grad(f))`).
 *
 * @category core
 * @since 0.1.0
 */
import { InternalError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import * as lax from './lax'
import type { AnyMultiPrimitive, AnyPrimitive, PrimBatchRule } from './primitive'
import { bind, live, newLevelId, Tracer, type Level } from './trace'

/** A batch axis, or null for a value shared by the whole batch. */
export type BDim = number | null

/** A batched value as the traced function sees it: its per-element shape; `primal` holds the batch. */
export class BatchTracer extends Tracer {
  constructor(
    level: BatchLevel,
    readonly primal: NdArray,
    readonly bdim: number,
  ) {
    super(level, primal, [...primal.shape.slice(0, bdim), ...primal.shape.slice(bdim + 1)])
  }
}

/**
 * Applies `prim` to a batch: `vals` are the batched values (bdims[i] says where each batch axis
 * is); returns the batched output and its batch axis. The same type as a primitive's own `batch`.
 */
export type BatchRule = PrimBatchRule

/** One vmap: a batch of `size` elements. */
export class BatchLevel implements Level {
  readonly id = newLevelId()
  readonly abstract = 'vmap'
  active = true

  constructor(readonly size: number) {}

  /** `x` batched along `bdim`. */
  tracer(x: NdArray, bdim: number): BatchTracer {
    return new BatchTracer(this, x, bdim)
  }

  process(prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray {
    const n = inputs.length
    const vals = new Array<NdArray>(n)
    const bdims = new Array<BDim>(n)
    for (let i = 0; i < n; i++) {
      const x = inputs[i] as NdArray
      if (x instanceof BatchTracer && x._level === this) {
        vals[i] = x.primal
        bdims[i] = x.bdim
      } else {
        vals[i] = live(x)
        bdims[i] = null
      }
    }
    const rule = batchRules.get(prim.name) ?? prim.batch
    if (rule === undefined) throw new InternalError(`vmap: no batching rule for ${prim.name}`)
    const [out, bdim] = rule(prim, vals, bdims, params, this.size)
    return bdim === null ? out : this.tracer(out, bdim)
  }

  /** A `multipleResults` primitive: its own batching rule gives every output with its batch axis. */
  processMulti(prim: AnyMultiPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): ReadonlyArray<NdArray> {
    const vals = inputs.map((x) => (x instanceof BatchTracer && x._level === this ? x.primal : live(x)))
    const bdims = inputs.map((x) => (x instanceof BatchTracer && x._level === this ? x.bdim : null))
    const [outs, outBdims] = prim.batch(prim, vals, bdims, params, this.size)
    return outs.map((y, i) => {
      const b = outBdims[i] ?? null
      return b === null ? y : this.tracer(y, b)
    })
  }
}

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** `x` with its batch axis first; an unbatched `x` is broadcast to the batch. */
export const batchFirst = (x: NdArray, bdim: BDim, size: number): NdArray => {
  if (bdim === null)
    return lax.broadcastInDim(
      x,
      [size, ...x.shape],
      range(x.ndim).map((i) => i + 1),
    )
  if (bdim === 0) return x
  return lax.transpose(x, [bdim, ...range(x.ndim).filter((i) => i !== bdim)])
}

/** `x` with batch axis `from` moved to `to` (an unbatched `x` is broadcast there). */
export const moveBatchAxis = (x: NdArray, from: BDim, to: number, size: number): NdArray => {
  const first = batchFirst(x, from, size)
  if (to === 0) return first
  const perm = range(first.ndim - 1).map((i) => i + 1)
  perm.splice(to, 0, 0)
  return lax.transpose(first, perm)
}

const shift = (axes: ReadonlyArray<number>): number[] => axes.map((a) => a + 1)

/** A rule that moves every batched input's axis to the front and rebinds with `params(p)`. */
const leading =
  (params: (p: never, size: number) => unknown, materialize = false): BatchRule =>
  (prim, vals, bdims, p, size) => {
    const xs = vals.map((x, i) => (materialize || bdims[i] !== null ? batchFirst(x, bdims[i] as BDim, size) : x))
    return [bind(prim, xs, params(p as never, size)), 0]
  }

/**
 * Element-wise primitives with NumPy broadcasting: batched inputs get their batch axis first and
 * ones inserted after it up to the output's rank, so the batch axis lines up and unbatched inputs
 * broadcast against it.
 */
const elementwise: BatchRule = (prim, vals, bdims, params) => {
  const rank = Math.max(...vals.map((x, i) => x.ndim - (bdims[i] === null ? 0 : 1)))
  const xs = vals.map((x, i) => {
    const b = bdims[i] as BDim
    if (b === null) return x
    const first = batchFirst(x, b, 0)
    const own = first.shape.slice(1)
    return own.length === rank
      ? first
      : lax.reshape(first, [first.shape[0] as number, ...new Array<number>(rank - own.length).fill(1), ...own])
  })
  return [bind(prim, xs, params), 0]
}

// -------------------------------------------------------------------------------------
// rules
// -------------------------------------------------------------------------------------

type Axes = { readonly axes: ReadonlyArray<number> }
type Axis = { readonly axis: number }

const reduce = leading((p: Axes) => ({ axes: shift(p.axes) }))

/** gather/scatter_add with batched indices: the batch joins the gathered axis (offset indices). */
const gatherBatched = (x: NdArray, xb: BDim, idx: NdArray, ib: number, axis: number, size: number): NdArray => {
  const xf = batchFirst(x, xb, size) // [B, ...x]
  const len = xf.shape[axis + 1] as number
  // [B, ...x] -> [B, x[axis], rest...] -> [B·x[axis], rest...]
  const perm = [0, axis + 1, ...range(xf.ndim).filter((i) => i !== 0 && i !== axis + 1)]
  const moved = lax.transpose(xf, perm)
  const flat = lax.reshape(moved, [size * len, ...moved.shape.slice(2)])
  const ii = batchFirst(idx, ib, size)
  const offsets = lax.broadcastInDim(lax.mul(arangeLike(size, ii), lax.scalarLike(len, ii)), ii.shape, [0])
  const g = lax.gather(flat, lax.add(ii, offsets), 0) // [B, ...idx, rest...]
  // rest = x[:axis] + x[axis+1:]: put x[:axis] back in front of the index axes
  const k = ii.ndim - 1
  const before = axis
  const out = range(g.ndim)
  const idxAxes = out.slice(1, 1 + k)
  const beforeAxes = out.slice(1 + k, 1 + k + before)
  const afterAxes = out.slice(1 + k + before)
  return lax.transpose(g, [0, ...beforeAxes, ...idxAxes, ...afterAxes])
}

/** 0, 1, …, n − 1 in `like`'s dtype. */
const arangeLike = (n: number, like: NdArray): NdArray => {
  const data = new Int32Array(n)
  for (let i = 0; i < n; i++) data[i] = i
  return lax.cast(new NdArray([n], 'int32', data), like.dtype)
}

interface MatmulFlags {
  readonly transA: boolean
  readonly transB: boolean
}

/**
 * matmul with one operand batched folds the batch into that operand's free dimension, so the
 * batch is one large product rather than a broadcast copy of the other operand and many small
 * ones: A batched [B, m, k] (stored transposed: one transpose first) times B [k, n] is a
 * [B·m, k]·[k, n] product; A [m, k] times B batched is A·[k, B·n] (stored transposed [B, n, k]:
 * no copy). Otherwise both operands get the batch first (a batched product).
 */
const matmulRule = (
  prim: AnyPrimitive,
  a: NdArray,
  ab: BDim,
  b: NdArray,
  bb: BDim,
  p: MatmulFlags,
  size: number,
): readonly [NdArray, BDim] => {
  if (ab !== null && bb === null && b.ndim === 2 && a.ndim === 3) {
    let af = batchFirst(a, ab, size) // [S, m, k] (or [S, k, m] stored transposed)
    if (p.transA) af = lax.transpose(af, [0, 2, 1])
    const [s, m, k] = af.shape as [number, number, number]
    const out = bind(prim, [lax.reshape(af, [s * m, k]), b], { transA: false, transB: p.transB })
    return [lax.reshape(out, [s, m, out.shape[1] as number]), 0]
  }
  if (ab === null && bb !== null && a.ndim === 2 && b.ndim === 3) {
    const bf = batchFirst(b, bb, size)
    // A·[k, S·n]: from [S, n, k] (stored transposed) by a reshape; from [S, k, n] by a transpose
    const [s, x, y] = bf.shape as [number, number, number]
    const flat = p.transB ? lax.reshape(bf, [s * x, y]) : lax.reshape(lax.transpose(bf, [1, 0, 2]), [x, s * y])
    const out = bind(prim, [a, flat], p)
    return [lax.reshape(out, [out.shape[0] as number, s, p.transB ? x : y]), 1]
  }
  return [bind(prim, [batchFirst(a, ab, size), batchFirst(b, bb, size)], p), 0]
}

const batchRules = new Map<string, BatchRule>([
  ['reduce_sum', reduce],
  ['reduce_max', reduce],
  ['reduce_and', reduce],
  ['reduce_or', reduce],
  ['argmax', leading((p: Axis) => ({ axis: p.axis + 1 }))],
  ['argmin', leading((p: Axis) => ({ axis: p.axis + 1 }))],
  ['reshape', leading((p: { shape: ReadonlyArray<number> }, size) => ({ shape: [size, ...p.shape] }))],
  [
    'broadcast_in_dim',
    leading((p: { shape: ReadonlyArray<number>; dims: ReadonlyArray<number> }, size) => ({
      shape: [size, ...p.shape],
      dims: [0, ...shift(p.dims)],
    })),
  ],
  ['transpose', leading((p: { perm: ReadonlyArray<number> }) => ({ perm: [0, ...shift(p.perm)] }))],
  [
    'slice',
    leading(
      (p: { starts: ReadonlyArray<number>; limits: ReadonlyArray<number>; steps: ReadonlyArray<number> }, size) => ({
        starts: [0, ...p.starts],
        limits: [size, ...p.limits],
        steps: [1, ...p.steps],
      }),
    ),
  ],
  [
    'pad',
    leading(
      (p: {
        lo: ReadonlyArray<number>
        hi: ReadonlyArray<number>
        interior: ReadonlyArray<number>
        value: number
      }) => ({ lo: [0, ...p.lo], hi: [0, ...p.hi], interior: [0, ...p.interior], value: p.value }),
    ),
  ],
  ['flip', leading((p: Axes) => ({ axes: shift(p.axes) }))],
  ['concatenate', leading((p: Axis) => ({ axis: p.axis + 1 }), true)],
  [
    'matmul',
    (prim, vals, bdims, params, size) =>
      matmulRule(
        prim,
        vals[0] as NdArray,
        bdims[0] ?? null,
        vals[1] as NdArray,
        bdims[1] ?? null,
        params as MatmulFlags,
        size,
      ),
  ],
  [
    'gather',
    (_, [x, idx], [xb, ib], params, size) => {
      const { axis } = params as Axis
      if (ib === null) return [lax.gather(batchFirst(x as NdArray, xb as BDim, size), idx as NdArray, axis + 1), 0]
      if (xb === null) return [lax.gather(x as NdArray, batchFirst(idx as NdArray, ib as number, size), axis), axis]
      return [gatherBatched(x as NdArray, xb as BDim, idx as NdArray, ib as number, axis, size), 0]
    },
  ],
  [
    'scatter_add',
    (_, [u, idx], [ub, ib], params, size) => {
      const { axis, shape } = params as Axis & { shape: ReadonlyArray<number> }
      const idxNd = (idx as NdArray).ndim - (ib === null ? 0 : 1)
      // u: [...shape[:axis], ...idx, ...shape[axis+1:]] per element
      if (ib === null)
        return [
          lax.scatterAdd(batchFirst(u as NdArray, ub as BDim, size), idx as NdArray, axis + 1, [size, ...shape]),
          0,
        ]
      // batched indices: scatter into [B·shape[axis], rest...] with offset indices, then unflatten
      const len = shape[axis] as number
      const uf = batchFirst(u as NdArray, ub as BDim, size) // [B, before..., idx..., after...]
      const ii = batchFirst(idx as NdArray, ib as BDim, size)
      const k = idxNd
      const all = range(uf.ndim)
      const beforeAxes = all.slice(1, 1 + axis)
      const idxAxes = all.slice(1 + axis, 1 + axis + k)
      const afterAxes = all.slice(1 + axis + k)
      const um = lax.transpose(uf, [0, ...idxAxes, ...beforeAxes, ...afterAxes]) // [B, idx..., before..., after...]
      const offsets = lax.broadcastInDim(lax.mul(arangeLike(size, ii), lax.scalarLike(len, ii)), ii.shape, [0])
      const rest = [...shape.slice(0, axis), ...shape.slice(axis + 1)]
      const flat = lax.scatterAdd(um, lax.add(ii, offsets), 0, [size * len, ...rest]) // [B·len, before..., after...]
      const un = lax.reshape(flat, [size, len, ...rest]) // [B, len, before..., after...]
      const r = range(un.ndim)
      return [lax.transpose(un, [0, ...r.slice(2, 2 + axis), 1, ...r.slice(2 + axis)]), 0]
    },
  ],
])

const ELEMENTWISE = new Set([
  'add',
  'sub',
  'mul',
  'div',
  'max',
  'pow',
  'atan2',
  'tanh_backward',
  'abs',
  'neg',
  'exp',
  'expm1',
  'log',
  'log1p',
  'sin',
  'cos',
  'sqrt',
  'reciprocal',
  'tanh',
  'logistic',
  'erf',
  'sign',
  'floor',
  'ceil',
  'round',
  'is_nan',
  'is_finite',
  'not',
  'and',
  'or',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'select',
  'convert_element_type',
  'stop_gradient',
])
for (const name of ELEMENTWISE) batchRules.set(name, elementwise)
