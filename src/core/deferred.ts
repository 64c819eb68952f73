/**
 * Deferred evaluation in `grad`'s eager trace: outside every other transform, the large float32
 * element-wise equations that the backward sweep's fused loops can run (./backwardFusion), and
 * the sums of large float32 arrays, are recorded without being computed. Their values are
 * computed (settled) only when something reads them: a primitive that is not deferred, the user
 * (`item`, `toTypedArray`, printing), another transform's tracer, the sweep's per-equation rules,
 * or the function's output that `valueAndGrad` returns. A value no one reads is never computed:
 * the sweep's fused loop recomputes it in registers from the block's inputs (the gradient of
 * Σ tanh(x)·x is then one pass over x, as under `jit`).
 *
 * A pending value is an array with the right shape and dtype whose storage is a shared
 * placeholder (never written: arrays are values); settling computes it with its primitive's
 * `impl` on its (settled) inputs, as the eager call would have, and points the array and its
 * tracer at the result — the same bits as an eager run. Pending values are registered per
 * recording (a `DeferralScope`, closed by `closeDeferral`): a recording's leftovers are dropped when its
 * transform returns, after which its tracers raise when used.
 *
 * @category core
 * @since 0.2.0
 */
import { outsideBirths } from '../ndarray/bufferPool'
import type { TypedArray } from '../ndarray/dtype'
import { InternalError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import type { Shape } from '../ndarray/shape'
import type { AnyPrimitive } from './primitive'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A value recorded without being computed: its primitive, params and input values. */
interface Pending {
  readonly prim: AnyPrimitive
  readonly params: unknown
  readonly inputs: ReadonlyArray<NdArray>
  /** The arrays that stand for the value (the recorded output, its tracer): pointed at the result. */
  readonly holders: NdArray[]
}

/** Pending values by each array that stands for one. */
const pending = new Map<NdArray, Pending>()

/** The values one recording deferred (so that its transform drops those still pending when it returns). */
export class DeferralScope {
  /** @internal */
  readonly values: Pending[] = []
}

let enabled = true
/** Turns deferral on or off (tests compare both); returns the previous setting. */
export const setDeferral = (on: boolean): boolean => {
  const prev = enabled
  enabled = on
  return prev
}

/** Whether recordings may defer values. */
export const deferralEnabled = (): boolean => enabled

/** Placeholder storage by length (float32, never written). */
const placeholders = new Map<number, Float32Array>()
const MAX_PLACEHOLDERS = 16

// -------------------------------------------------------------------------------------
// recording
// -------------------------------------------------------------------------------------

/** Ends a recording's deferral: its values not settled by now are dropped (never computed). */
export const closeDeferral = (scope: DeferralScope): void => {
  for (const p of scope.values) for (const h of p.holders) pending.delete(h)
  scope.values.length = 0
}

/**
 * A pending float32 value of `shape` for `prim(inputs, params)`: an array whose storage is a
 * placeholder until it is settled. It is pending once {@link register}ed (after its tracer is
 * made: a tracer's constructor settles a pending primal).
 */
export const deferValue = (
  scope: DeferralScope,
  prim: AnyPrimitive,
  inputs: ReadonlyArray<NdArray>,
  params: unknown,
  shape: Shape,
  size: number,
): NdArray => {
  const y = new NdArray(shape, 'float32', placeholder(size))
  const p: Pending = { prim, params, inputs, holders: [y] }
  scope.values.push(p)
  return y
}

/** Makes `y`, the last value of {@link deferValue}, pending, with `holder` (its tracer) standing for it too. */
export const register = (scope: DeferralScope, y: NdArray, holder: NdArray): void => {
  const p = scope.values[scope.values.length - 1]
  if (p === undefined || p.holders[0] !== y) throw new InternalError('register: not the last deferred value')
  p.holders.push(holder)
  pending.set(y, p)
  pending.set(holder, p)
}

/** True when `x` stands for a value not computed yet (a recording's, or a {@link LazyArray} not read yet). */
export const isPending = (x: NdArray): boolean =>
  x instanceof LazyArray ? x._call !== undefined : pending.size !== 0 && pending.has(x)

// -------------------------------------------------------------------------------------
// settling
// -------------------------------------------------------------------------------------

/**
 * Computes `x`'s value if it is pending (its pending inputs first, in order), so that its
 * storage holds its data. A no-op for every other array.
 */
export const settle = (x: NdArray): void => {
  if (pending.size === 0) return
  const root = pending.get(x)
  if (root === undefined) return
  // iterative post-order walk over the pending inputs (a chain may be long)
  const stack: Array<[Pending, number]> = [[root, 0]]
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as [Pending, number]
    const [p, i] = top
    if (i < p.inputs.length) {
      top[1] = i + 1
      const q = pending.get(p.inputs[i] as NdArray)
      if (q !== undefined && !stack.some(([s]) => s === q)) stack.push([q, 0])
      continue
    }
    stack.pop()
    if (pending.get(p.holders[0] as NdArray) === p) compute(p)
  }
}

/** Settles each of `xs` that is pending. */
export const settleAll = (xs: ReadonlyArray<unknown>): void => {
  if (pending.size === 0) return
  for (const x of xs) if (x instanceof NdArray) settle(x)
}

const compute = (p: Pending): void => {
  const y = p.prim.impl(p.inputs, p.params)
  for (const h of p.holders) {
    ;(h as { _data: TypedArray })._data = y._data
    pending.delete(h)
  }
}

/** Shared storage for pending values of `n` float32 elements. */
const placeholder = (n: number): Float32Array => {
  let data = placeholders.get(n)
  if (data === undefined) {
    if (placeholders.size >= MAX_PLACEHOLDERS) placeholders.clear()
    data = new Float32Array(n)
    placeholders.set(n, data)
  }
  return data
}

// -------------------------------------------------------------------------------------
// values computed on first read
// -------------------------------------------------------------------------------------

/** The call a {@link LazyArray} stands for, until its data is first read. */
interface LazyCall {
  readonly inputs: ReadonlyArray<NdArray>
}

/**
 * A float32 value recorded without being computed, which computes itself on the first read of
 * its data: `prim(inputs, params)`, with the same bits as the eager call. Unlike a recording's
 * pending values it needs no scope: the facade's large element-wise results (src/torch/autograd/
 * fusedEwise.ts) live as long as their tensors, and any reader of `_data` — a kernel, `item()`,
 * printing, a copy — settles it, its pending inputs first (an iterative walk: a long chain cannot
 * overflow the stack). The backward sweep's fused loops (./backwardFusion) read instead whether
 * it {@link isPending} and recompute it in registers. Its inputs are values (arrays never change),
 * so a late read computes what an eager one would have. The prim and params stay after settling
 * (a fused backward reads them); the inputs are dropped.
 */
export class LazyArray extends NdArray {
  /** @internal The data once computed (set through `_data`, below). */
  declare _store: TypedArray
  /** @internal The inputs while pending; undefined once computed. */
  declare _call: LazyCall | undefined
  constructor(
    readonly prim: AnyPrimitive,
    readonly params: unknown,
    inputs: ReadonlyArray<NdArray>,
    shape: Shape,
    size: number,
  ) {
    super(shape, 'float32', NO_DATA)
    ;(this as { size: number }).size = size
    this._call = { inputs }
  }
}

const NO_DATA = new Float32Array(0)

// NOTE: an accessor on the prototype (NdArray's fields are set in its constructor, not declared
// with define semantics, so its `this._data = data` goes through the setter): every reader of the
// data of a LazyArray settles it first, and every other array keeps its plain own field
Object.defineProperty(LazyArray.prototype, '_data', {
  get(this: LazyArray): TypedArray {
    if (this._call !== undefined) settleLazy(this)
    return this._store
  },
  set(this: LazyArray, d: TypedArray) {
    this._store = d
  },
})

/** Computes `x` (a pending {@link LazyArray}) and, first, its pending inputs, in post-order. */
const settleLazy = (x: LazyArray): void => {
  // NOTE: outside every birth record: a sweep running now (a backward pass reading a saved value)
  // must not take this forward value for one of its own buffers and recycle it
  outsideBirths(() => {
    const stack: Array<[LazyArray, number]> = [[x, 0]]
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [LazyArray, number]
      const [y, i] = top
      const call = y._call
      if (call === undefined) {
        stack.pop()
        continue
      }
      if (i < call.inputs.length) {
        top[1] = i + 1
        const u = call.inputs[i]
        if (u instanceof LazyArray && u._call !== undefined) stack.push([u, 0])
        continue
      }
      stack.pop()
      y._store = y.prim.impl(call.inputs, y.params)._data
      y._call = undefined
    }
  })
}
