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

/** True when `x` stands for a value not computed yet. */
export const isPending = (x: NdArray): boolean => pending.size !== 0 && pending.has(x)

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
