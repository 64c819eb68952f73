/**
 * Reverse mode: a level that records one equation per primitive onto a Wengert tape, and the
 * sweeps over a recorded tape — backward (VJP rules, in reverse order, cotangents in a local
 * table, symbolic zeros skipped) and forward (JVP rules, for `linearize`).
 *
 * @category core
 * @since 0.1.0
 */
import { InternalError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import type { TypedArray } from '../ndarray/dtype'
import { liveEquations, Var, type Atom, type Equation } from './equation'
import type { AnyMultiPrimitive, AnyPrimitive, MultiVjpContext, VjpContext } from './primitive'
import { bind, bindMulti, levelDepth, newLevelId, Tracer, type Level } from './trace'
import { ForwardRecycler } from './forwardRecycle'
import { Recycler } from './recycle'
import { MIN_POOLED_BYTES } from '../ndarray/bufferPool'
import { isZero, Zero, type Linear } from './zero'
import { backwardBlocks, fusionAvailable, pullBlock } from './backwardFusion'
import { deferralEnabled, deferValue, register, settle, type DeferralScope } from './deferred'
import { MIN_ELEMENTS, wasmOpOf } from './wasmFusion'
import { sizeOf, type Shape } from '../ndarray/shape'
import { add as addPrimitive } from './primitives/elementwise'
import { pullScalar, ScalarCotangents, scalarSweepEnabled } from './scalarSweep'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One recorded application of a single-result primitive: the program's equation plus the primal
 * values its rules need (its inputs' and its output's values, and residuals of custom rules).
 * The record is itself the context its rules receive (`inputs`, `output`, `params`, `needs`,
 * `residuals`), so a sweep calls a rule without building anything per equation. Its output
 * variable's aval is the output value itself.
 */
export interface RecordedEquation extends Equation, VjpContext<ReadonlyArray<NdArray>, unknown> {
  readonly primitive: AnyPrimitive
  /** Which inputs are variables (and so need a cotangent). */
  readonly needs: ReadonlyArray<boolean>
  readonly residuals: unknown
}

/** One recorded application of a `multipleResults` primitive (its outputs' values are `outputs`). */
export interface RecordedMultiEquation extends Equation, MultiVjpContext<ReadonlyArray<NdArray>, unknown> {
  readonly primitive: AnyMultiPrimitive
  readonly needs: ReadonlyArray<boolean>
}

/**
 * The record of a single-result equation. NOTE: a class that is also its output variable (a
 * `Var` whose aval is the output value, as the level's variables are) and whose one-element
 * `outvars` is made on first read, so recording allocates no variable and no output list per
 * equation (W3: per-op cost). A tracer's variable is then its record, which refers to the
 * records of its inputs: the sweep that consumes the tape (`grad`) cuts each record's inputs once
 * it has pulled it back (`detach`), so a tracer that outlives `grad` keeps only its own value
 * alive, as before; one that outlives a kept pullback (`vjp`) keeps that pullback's tape.
 */
class SingleRecord extends Var implements RecordedEquation {
  private outs: ReadonlyArray<Var> | undefined = undefined
  constructor(
    id: number,
    output: NdArray,
    readonly primitive: AnyPrimitive,
    readonly params: unknown,
    public invars: ReadonlyArray<Atom>,
    public inputs: ReadonlyArray<NdArray>,
    readonly needs: ReadonlyArray<boolean>,
    readonly residuals: unknown,
  ) {
    super(id, output)
  }
  /** The output's value (the variable's aval: one field for both). */
  get output(): NdArray {
    return this.aval as NdArray
  }
  get outvars(): ReadonlyArray<Var> {
    return (this.outs ??= [this])
  }
  /** Forgets the inputs (the record has been pulled back by a sweep that consumes the tape). */
  detach(): void {
    this.invars = NO_ATOMS
    this.inputs = NO_VALUES
  }
}

const NO_ATOMS: ReadonlyArray<Atom> = Object.freeze([])
const NO_VALUES: ReadonlyArray<NdArray> = Object.freeze([])

/** An equation of the reverse tape. */
export type Recorded = RecordedEquation | RecordedMultiEquation

/**
 * True for the record of a `multipleResults` primitive. NOTE: read from the record (two shapes)
 * rather than from its primitive (one shape per primitive), so the check stays cheap in the sweeps.
 */
const isMulti = (eq: Recorded): eq is RecordedMultiEquation =>
  (eq as { readonly output?: unknown }).output === undefined

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

/** Outputs of this many elements or more make a tape `large` (float32 buffers the pool takes). */
const LARGE = MIN_POOLED_BYTES / 4

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

// -------------------------------------------------------------------------------------
// sweeps
// -------------------------------------------------------------------------------------

/** What a sweep needs of a tape: its equations and the number of variables. */
export interface SweepTape {
  readonly equations: ReadonlyArray<Recorded>
  readonly nVars: number
  /** Some recorded output has LARGE elements or more (the sweep may recycle buffers). */
  readonly large?: boolean
  /**
   * The large buffers allocated while the function ran, when it was recorded outside every other
   * transform (a sweep that consumes the tape may then recycle them: ./forwardRecycle).
   */
  readonly born?: WeakSet<ArrayBuffer>
}

type Add = (a: NdArray, b: NdArray) => NdArray
/** An equation's output cotangent and its input cotangents, while they are added into the table. */
type InFlight = readonly [NdArray, ReadonlyArray<Linear>]

/**
 * Adds cotangent `ct` of variable `v` into the table. `inFlight` (recycling sweeps, single-result
 * equations): the equation's output cotangent and input cotangents, so the sum may be made in
 * the entry's own storage when nothing else can see it (`Recycler.addInPlace`).
 */
const accumulate = (
  table: Array<NdArray | undefined>,
  v: number,
  ct: NdArray,
  add: Add,
  rec?: Recycler,
  inFlight?: InFlight,
): void => {
  const prev = table[v]
  const into =
    prev !== undefined && inFlight !== undefined ? rec?.addInPlace(prev, ct, inFlight[0], inFlight[1]) : undefined
  if (into !== undefined) {
    table[v] = into
    return
  }
  const next = prev === undefined ? ct : add(prev, ct)
  table[v] = next
  if (rec === undefined) return
  rec.hold(next)
  if (prev === undefined) return
  rec.release(prev)
  // ct, added out of place, is dead unless the table holds its buffer
  rec.hold(ct)
  rec.release(ct)
}

/**
 * Keeps only the equations that some of `outputs` depend on (one reverse walk), for a tape that
 * is kept to be swept later (`vjp`'s pullback, `linearize`, the Jacobians): values computed on
 * the side (aux outputs, debugging, dead code) are then not kept alive.
 */
export const prune = (tape: SweepTape, outputs: ReadonlyArray<number>): SweepTape => {
  const kept = liveEquations(tape.equations, tape.nVars, outputs)
  return kept.length === tape.equations.length
    ? tape
    : { equations: kept, nVars: tape.nVars, large: tape.large === true }
}

/** Adds the cotangents `xBars` of an equation's inputs into the table (variables only). */
const pullInto = (
  cts: Array<NdArray | undefined>,
  invars: ReadonlyArray<Atom>,
  xBars: ReadonlyArray<Linear>,
  add: Add,
  rec: Recycler | undefined,
  yBar?: NdArray,
): void => {
  const inFlight: InFlight | undefined = rec !== undefined && yBar !== undefined ? [yBar, xBars] : undefined
  for (let i = 0; i < invars.length; i++) {
    const a = invars[i]
    const xBar = xBars[i]
    if (!(a instanceof Var) || xBar === undefined || isZero(xBar)) continue
    accumulate(cts, a.id, xBar, add, rec, inFlight)
  }
}

/** Pulls back a `multipleResults` equation: its outputs' cotangents (zeros where none flowed). */
const pullMulti = (
  eq: RecordedMultiEquation,
  cts: Array<NdArray | undefined>,
  add: Add,
  rec: Recycler | undefined,
): void => {
  let any = false
  const yBars = eq.outvars.map((v, i): Linear => {
    const ct = cts[v.id]
    cts[v.id] = undefined
    if (ct !== undefined) {
      any = true
      rec?.release(ct)
    }
    return ct ?? Zero.like(eq.outputs[i] as NdArray)
  })
  if (!any || eq.primitive.derivative === 'none') return
  pullInto(cts, eq.invars, eq.primitive.vjp(eq, yBars), add, rec)
}

/**
 * The backward sweep: seeds cotangents of some variables and returns the cotangents of
 * `wanted` variables, which must be input variables (undefined where nothing flowed). Walks the
 * tape once in reverse (it is already in topological order); equations whose output got no
 * cotangent are skipped, and each equation's output cotangent is dropped once it has been
 * pulled back, so the table holds only the cotangents of the current frontier. With `consume`
 * (a tape swept once) each equation is also dropped from the tape once pulled back, and with
 * `keep` (the function's outputs, which must survive) the forward values' buffers go back to the
 * pool after their last use (./forwardRecycle). JAX: backward_pass.
 */
export const backwardPass = (
  tape: SweepTape,
  seeds: ReadonlyArray<readonly [number, NdArray]>,
  wanted: ReadonlyArray<number>,
  add: Add,
  consume = false,
  allow?: (eq: Recorded) => boolean,
  keep?: ReadonlyArray<unknown>,
): Array<NdArray | undefined> => {
  const cts = new Array<NdArray | undefined>(tape.nVars)
  for (const [v, ct] of seeds) accumulate(cts, v, ct, add)
  const eqs = tape.equations
  // consume: the tape is swept once (grad); each equation is dropped from it once pulled back,
  // so the values it saved can be collected during the sweep, not only after it
  const drop = consume ? (eqs as Array<Recorded | undefined>) : undefined
  // allow: large cotangents the sweep is done with go back to the buffer pool (./recycle)
  const top = allow !== undefined && tape.large === true && levelDepth() === 0
  const fwd =
    top && consume && keep !== undefined && tape.born !== undefined
      ? ForwardRecycler.of(eqs, tape.born, keep, allow)
      : undefined
  const rec = top ? new Recycler() : undefined
  // blocks of large element-wise equations whose pullback runs as one compiled loop (./backwardFusion)
  const blocks = top ? backwardBlocks(eqs, allow as (eq: Recorded) => boolean) : undefined
  // cotangents of scalar chains as numbers (./scalarSweep), where the sums are the add primitive's
  const nums = top || add !== addPrimitive || !scalarSweepEnabled() ? undefined : new ScalarCotangents(tape.nVars)
  try {
    for (let e = eqs.length - 1; e >= 0; e--) {
      const first = blocks === undefined ? -1 : (blocks[e] as number)
      if (first >= 0) {
        sweepBlock(eqs, first, e, cts, add, rec, drop, fwd)
        e = first
        continue
      }
      const eq = eqs[e] as Recorded
      if (drop !== undefined) drop[e] = undefined
      if (rec !== undefined && !(allow as (eq: Recorded) => boolean)(eq)) rec.disable()
      settleValues(eq)
      if (nums === undefined) pullEquation(eq, cts, add, rec)
      else pullLean(eq, cts, add, nums)
      rec?.flush()
      fwd?.swept(eq, cts)
      if (drop !== undefined && eq instanceof SingleRecord) eq.detach()
    }
  } finally {
    rec?.end()
  }
  return wanted.map((v) => {
    nums?.toArray(v, cts)
    return cts[v]
  })
}

/**
 * Pulls one equation back on numbers when it can (./scalarSweep), else by its rules, its
 * variables' numbers turned into arrays first.
 */
const pullLean = (eq: Recorded, cts: Array<NdArray | undefined>, add: Add, nums: ScalarCotangents): void => {
  if (!isMulti(eq)) {
    const out = (eq instanceof SingleRecord ? eq : (eq.outvars[0] as Var)).id
    if (pullScalar(eq, out, nums, cts, add)) return
  }
  for (const v of eq.outvars) nums.toArray(v.id, cts)
  for (const a of eq.invars) if (a instanceof Var) nums.toArray(a.id, cts)
  pullEquation(eq, cts, add, undefined)
}

/** Pulls block `first..last` back as one program (./backwardFusion), then retires its equations as the loop does. */
const sweepBlock = (
  eqs: ReadonlyArray<Recorded>,
  first: number,
  last: number,
  cts: Array<NdArray | undefined>,
  add: Add,
  rec: Recycler | undefined,
  drop: Array<Recorded | undefined> | undefined,
  fwd: ForwardRecycler | undefined,
): void => {
  pullBlock(
    eqs,
    first,
    last,
    cts,
    add,
    (x) => rec?.hold(x),
    (x) => rec?.release(x),
  )
  rec?.flush()
  for (let k = last; k >= first; k--) {
    const eq = eqs[k] as Recorded
    if (drop !== undefined) drop[k] = undefined
    fwd?.swept(eq, cts)
    if (drop !== undefined && eq instanceof SingleRecord) eq.detach()
  }
}

/** Computes the values of an equation that were deferred (./deferred): its rules read them. */
const settleValues = (eq: Recorded): void => {
  for (let i = 0; i < eq.inputs.length; i++) settle(eq.inputs[i] as NdArray)
  if (!isMulti(eq)) settle(eq.output)
}

/** Pulls the cotangent of one equation's output(s) back into the table. */
const pullEquation = (eq: Recorded, cts: Array<NdArray | undefined>, add: Add, rec: Recycler | undefined): void => {
  if (isMulti(eq)) {
    pullMulti(eq, cts, add, rec)
    return
  }
  const out = (eq instanceof SingleRecord ? eq : (eq.outvars[0] as Var)).id
  const yBar = cts[out]
  if (yBar === undefined) return
  cts[out] = undefined
  rec?.release(yBar)
  if (eq.primitive.derivative === 'none') return
  pullInto(cts, eq.invars, eq.primitive.vjp(eq, yBar), add, rec, yBar)
}

/**
 * The forward sweep over a recorded tape: pushes input tangents through every equation's JVP
 * rule, using the recorded primal values (no re-run of the user's function). Returns the
 * tangents of `wanted` variables.
 */
export const forwardPass = (
  tape: SweepTape,
  seeds: ReadonlyArray<readonly [number, Linear]>,
  wanted: ReadonlyArray<number>,
): Linear[] => {
  const tangents = new Array<Linear | undefined>(tape.nVars)
  for (const [v, t] of seeds) tangents[v] = t
  for (const eq of tape.equations) {
    settleValues(eq)
    const invars = eq.invars
    const ts = new Array<Linear>(invars.length)
    let any = false
    for (let i = 0; i < invars.length; i++) {
      const a = invars[i]
      const t = a instanceof Var ? tangents[a.id] : undefined
      if (t !== undefined && !isZero(t)) any = true
      ts[i] = t ?? Zero.like(eq.inputs[i] as NdArray)
    }
    const flat = eq.primitive.derivative === 'none' || !any
    if (isMulti(eq)) {
      const outTs = flat ? eq.outputs.map((y) => Zero.like(y)) : eq.primitive.jvp(eq, ts)
      eq.outvars.forEach((v, i) => (tangents[v.id] = outTs[i] as Linear))
    } else {
      tangents[(eq.outvars[0] as Var).id] = flat ? Zero.like(eq.output) : eq.primitive.jvp(eq, ts)
    }
  }
  return wanted.map((v) => {
    const t = tangents[v]
    if (t === undefined) throw new InternalError(`forward sweep: variable ${v} has no tangent`)
    return t
  })
}
