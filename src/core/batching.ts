/**
 * Batching (for `vmap`): a level whose tracers carry a batched value and the axis of it that is
 * the batch (`bdim`; null for a value that is the same for every element). Each primitive's
 * definition says how it batches (its `batch`): usually the same primitive with the batch axis
 * moved to the front and its params shifted by one axis. This module applies that rule; the
 * rules themselves live in the definitions (src/core/primitives). Rules bind primitives, so they
 * compose with every other transform (per-example gradients are `vmap(grad(f))`).
 *
 * @category core
 * @since 0.1.0
 */
import type { NdArray } from '../ndarray/NdArray'
import { batchFirst, reshape, type BDim } from './lax'
import type { AnyMultiPrimitive, AnyPrimitive, BatchFn, Leading } from './primitive'
import { bind, live, newLevelId, Tracer, type Level } from './trace'

export { batchFirst, moveBatchAxis, type BDim } from './lax'

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

/** One vmap: a batch of `size` elements, its axis named `axisName` when the vmap named it. */
export class BatchLevel implements Level {
  readonly id = newLevelId()
  readonly abstract = 'vmap'
  active = true

  constructor(
    readonly size: number,
    readonly axisName?: string,
  ) {}

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
    const rule = prim.batch
    const [out, bdim] =
      typeof rule === 'function'
        ? rule(prim, vals, bdims, params, this.size, this.axisName)
        : rule.kind === 'vectorized'
          ? elementwise(prim, vals, bdims, params, this.size)
          : leading(rule, prim, vals, bdims, params, this.size)
    return bdim === null ? out : this.tracer(out, bdim)
  }

  /** A `multipleResults` primitive: its own batching rule gives every output with its batch axis. */
  processMulti(prim: AnyMultiPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): ReadonlyArray<NdArray> {
    const vals = inputs.map((x) => (x instanceof BatchTracer && x._level === this ? x.primal : live(x)))
    const bdims = inputs.map((x) => (x instanceof BatchTracer && x._level === this ? x.bdim : null))
    const [outs, outBdims] = prim.batch(prim, vals, bdims, params, this.size, this.axisName)
    return outs.map((y, i) => {
      const b = outBdims[i] ?? null
      return b === null ? y : this.tracer(y, b)
    })
  }
}

// -------------------------------------------------------------------------------------
// the mechanical rules
// -------------------------------------------------------------------------------------

/** `leading(params)`: every batched input's axis to the front, rebound with `params(p, size)`. */
const leading = (
  rule: Leading<unknown>,
  prim: AnyPrimitive,
  vals: ReadonlyArray<NdArray>,
  bdims: ReadonlyArray<BDim>,
  params: unknown,
  size: number,
): readonly [NdArray, BDim] => {
  const xs = vals.map((x, i) => {
    const b = bdims[i] ?? null
    return rule.materialize || b !== null ? batchFirst(x, b, size) : x
  })
  return [bind(prim, xs, rule.params(params, size)), 0]
}

/**
 * `vectorized`: element-wise primitives with NumPy broadcasting. Batched inputs get their batch
 * axis first and ones inserted after it up to the output's rank, so the batch axis lines up and
 * unbatched inputs broadcast against it.
 */
const elementwise: BatchFn<unknown> = (prim, vals, bdims, params) => {
  const rank = Math.max(...vals.map((x, i) => x.ndim - (bdims[i] === null ? 0 : 1)))
  const xs = vals.map((x, i) => {
    const b = bdims[i] ?? null
    if (b === null) return x
    const first = batchFirst(x, b, 0)
    const own = first.shape.slice(1)
    return own.length === rank
      ? first
      : reshape(first, [first.shape[0] as number, ...new Array<number>(rank - own.length).fill(1), ...own])
  })
  return [bind(prim, xs, params), 0]
}
