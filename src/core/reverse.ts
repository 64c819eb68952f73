/**
 * Reverse mode: a level that records one equation per primitive onto a Wengert tape (its records
 * are ./reverseRecord), and the sweeps over a recorded tape (./reverseSweep, re-exported here).
 *
 * @category core
 * @since 0.1.0
 */
import type { NdArray } from '../ndarray/NdArray'
import type { TypedArray } from '../ndarray/dtype'
import { Var, type Atom } from './equation'
import type { AnyMultiPrimitive, AnyPrimitive } from './primitive'
import { bind, bindMulti, newLevelId, Tracer, type Level } from './trace'
import { fusionAvailable } from './backwardFusion'
import { deferralEnabled, deferValue, register, settle, type DeferralScope } from './deferred'
import { MIN_ELEMENTS, wasmOpOf } from './wasmFusion'
import { sizeOf, type Shape } from '../ndarray/shape'
import { LARGE, SingleRecord, type Recorded } from './reverseRecord'
import type { SweepTape } from './reverseSweep'

export type { Recorded, RecordedEquation, RecordedMultiEquation } from './reverseRecord'
export { backwardPass, forwardPass, prune, type SweepTape } from './reverseSweep'

/** A value recorded on a tape: its primal and its variable. */
export class TapeTracer extends Tracer {
  constructor(
    level: ReverseLevel,
    readonly primal: NdArray,
    readonly variable: Var,
  ) {
    super(level, primal)
  }

  /** @internal The data (computed first if the value was deferred: ./deferred). */
  override _values(op: string): TypedArray {
    settle(this)
    return super._values(op)
  }

  override toString(): string {
    settle(this)
    return super.toString()
  }
}

// -------------------------------------------------------------------------------------
// the recording level
// -------------------------------------------------------------------------------------

/** One reverse-mode transform: records equations while the traced function runs. */
export class ReverseLevel implements Level {
  readonly id = newLevelId()
  active = true
  /**
   * `transform`: the public transform recording (its leaked tracers raise, see Level.transform).
   * `defer`: large element-wise values may be recorded without being computed, into this scope
   * (./deferred; only outside every other transform).
   */
  constructor(
    readonly transform?: string,
    readonly defer?: DeferralScope,
  ) {}
  /** The equations recorded so far, in program (topological) order. */
  equations: Recorded[] = []
  /** Number of variables allocated so far (inputs and equation outputs). */
  nVars = 0
  /** Whether an output recorded so far is large (its sweep then recycles buffers: ./recycle). */
  large = false

  /** A new input variable holding `primal`. */
  input(primal: NdArray): TapeTracer {
    return new TapeTracer(this, primal, new Var(this.nVars++, primal))
  }

  /** The atom of `x` on this tape: its variable, or `x` itself as a constant. */
  atom(x: NdArray): Atom {
    return x instanceof TapeTracer && x._level === this ? x.variable : x
  }

  /**
   * Hands over the recorded tape and forgets it, so that a tracer of this (closed) level that
   * outlives the transform — a closure-captured or leaked value — does not keep the whole tape
   * and its saved values alive.
   */
  release(born?: WeakSet<ArrayBuffer>): SweepTape {
    const tape: SweepTape =
      born === undefined
        ? { equations: this.equations, nVars: this.nVars, large: this.large }
        : { equations: this.equations, nVars: this.nVars, large: this.large, born }
    this.equations = []
    this.large = false
    return tape
  }

  process(prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray {
    const n = inputs.length
    const invars = new Array<Atom>(n)
    const values = new Array<NdArray>(n)
    const mask = this.split(inputs, invars, values)
    const direct = !splitDeeper
    if (this.defer !== undefined) {
      const y = deferrable(this.defer, prim, values, params)
      if (y !== undefined) return this.recordPending(this.defer, prim, params, invars, values, mask, y)
      for (let i = 0; i < n; i++) settle(values[i] as NdArray)
    }
    let output: NdArray
    let residuals: unknown
    if (prim.forward !== undefined) {
      const r = prim.forward(values, params)
      output = r[0]
      residuals = r[1]
    } else output = direct ? prim.impl(values, params) : bind(prim, values, params)
    if (output.size >= LARGE) this.large = true
    const rec = new SingleRecord(this.nVars++, output, prim, params, invars, values, needsOf(n, mask), residuals)
    this.equations.push(rec)
    return new TapeTracer(this, output, rec)
  }

  /** Records a deferred equation whose pending output is `output` (./deferred). */
  private recordPending(
    scope: DeferralScope,
    prim: AnyPrimitive,
    params: unknown,
    invars: ReadonlyArray<Atom>,
    values: ReadonlyArray<NdArray>,
    mask: number,
    output: NdArray,
  ): TapeTracer {
    if (output.size >= LARGE) this.large = true
    const rec = new SingleRecord(
      this.nVars++,
      output,
      prim,
      params,
      invars,
      values,
      needsOf(values.length, mask),
      undefined,
    )
    this.equations.push(rec)
    const t = new TapeTracer(this, output, rec)
    register(scope, output, t)
    return t
  }

  processMulti(prim: AnyMultiPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): ReadonlyArray<NdArray> {
    const n = inputs.length
    const invars = new Array<Atom>(n)
    const values = new Array<NdArray>(n)
    const mask = this.split(inputs, invars, values)
    for (let i = 0; i < n; i++) settle(values[i] as NdArray)
    let outputs: ReadonlyArray<NdArray>
    let residuals: unknown
    if (prim.forward !== undefined) [outputs, residuals] = prim.forward(values, params)
    else outputs = bindMulti(prim, values, params)
    const outvars = outputs.map((y) => new Var(this.nVars++, y))
    if (outputs.some((y) => y.size >= LARGE)) this.large = true
    const needs = needsOf(n, mask)
    this.equations.push({ primitive: prim, params, invars, outvars, inputs: values, outputs, needs, residuals })
    return outputs.map((y, i) => new TapeTracer(this, y, outvars[i] as Var))
  }

  /**
   * Fills the atoms and primal values of `inputs`; returns the bit mask of the variable ones, and
   * sets {@link splitDeeper} when some primal value is itself a tracer (of a level below this one).
   */
  private split(inputs: ReadonlyArray<NdArray>, invars: Atom[], values: NdArray[]): number {
    let mask = 0
    let deeper = false
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i] as NdArray
      const v = x instanceof TapeTracer && x._level === this ? x.primal : x
      if (v !== x) {
        invars[i] = (x as TapeTracer).variable
        mask |= 1 << i
      } else invars[i] = x
      values[i] = v
      if (v instanceof Tracer) deeper = true
    }
    splitDeeper = deeper
    return mask
  }
}

/**
 * The pending output of `prim(values)` when the equation may be deferred (./deferred): a large
 * float32 element-wise equation of the backward sweep's fused loops, or a sum of a large float32
 * array, where those loops run; else undefined.
 */
const deferrable = (
  scope: DeferralScope,
  prim: AnyPrimitive,
  values: ReadonlyArray<NdArray>,
  params: unknown,
): NdArray | undefined => {
  if (!deferralEnabled()) return undefined
  const shape = deferrableShape(prim, values, params)
  return shape === undefined ? undefined : deferValue(scope, prim, values, params, shape, sizeOf(shape))
}

/**
 * The output shape of `prim(values, params)` when the backward sweep's fused loops can recompute
 * it (./backwardFusion): a large float32 element-wise equation of those loops, or a sum of a large
 * float32 array, where they run; else undefined. What may be deferred (here, and the facade's
 * values computed on first read: ./deferred `LazyArray`).
 */
export const deferrableShape = (
  prim: AnyPrimitive,
  values: ReadonlyArray<NdArray>,
  params: unknown,
): Shape | undefined => {
  // NOTE: the size test comes first: it is what rejects the small equations (W3: per-op cost),
  // and an element-wise output of MIN_ELEMENTS or more has an input that large (wasmOpOf takes
  // operands of the output's shape or of one element)
  if (!anyLarge(values) || prim.forward !== undefined) return undefined
  const x = values[0]
  const sum = prim.name === 'reduce_sum' && x !== undefined && x.dtype === 'float32' && x.size >= MIN_ELEMENTS
  if ((!sum && prim.ewise === undefined) || !fusionAvailable()) return undefined
  const aval = prim.shape(values, params)
  if (aval.dtype !== 'float32') return undefined
  if (!sum && wasmOpOf(prim.ewise, values, aval) === null) return undefined
  return aval.shape
}

/** True when some of `values` has MIN_ELEMENTS elements or more. */
const anyLarge = (values: ReadonlyArray<NdArray>): boolean => {
  for (let i = 0; i < values.length; i++) if ((values[i] as NdArray).size >= MIN_ELEMENTS) return true
  return false
}

/**
 * Set by the last `split`: some primal value is a tracer, so the primitive is applied through
 * `bind` (the level below interprets it); otherwise its impl runs at once, as `bind` would run it
 * (W3: per-op cost). Read right after `split`, before anything can split again.
 */
let splitDeeper = false

/** `needs` of an equation from the bit mask of its variable inputs. */
const maskToNeeds = (n: number, mask: number): ReadonlyArray<boolean> =>
  Array.from({ length: n }, (_, i) => (mask & (1 << i)) !== 0)

/** NOTE: `needs` arrays for up to 3 inputs are shared (frozen), so recording allocates none. */
const MAX_SHARED_NEEDS = 3
const SHARED_NEEDS: ReadonlyArray<ReadonlyArray<ReadonlyArray<boolean>>> = Array.from(
  { length: MAX_SHARED_NEEDS + 1 },
  (_, n) => Array.from({ length: 1 << n }, (_, mask) => Object.freeze(maskToNeeds(n, mask))),
)
const needsOf = (n: number, mask: number): ReadonlyArray<boolean> =>
  n <= MAX_SHARED_NEEDS
    ? ((SHARED_NEEDS[n] as ReadonlyArray<ReadonlyArray<boolean>>)[mask] as ReadonlyArray<boolean>)
    : maskToNeeds(n, mask)
