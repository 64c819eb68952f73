/**
 * The sweeps over a recorded reverse tape (./reverse): backward (VJP rules, in reverse order,
 * cotangents in a local table, symbolic zeros skipped) and forward (JVP rules, for `linearize`).
 *
 * @category core
 * @since 0.7.0
 */
import { InternalError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { liveEquations, Var, type Atom } from './equation'
import { levelDepth } from './trace'
import { ForwardRecycler } from './forwardRecycle'
import { Recycler } from './recycle'
import { isZero, Zero, type Linear } from './zero'
import { backwardBlocks, pullBlock } from './backwardFusion'
import { settle } from './deferred'
import { add as addPrimitive } from './primitives/elementwise'
import { pullScalar, ScalarCotangents, scalarSweepEnabled } from './scalarSweep'
import { isMulti, SingleRecord, type Recorded, type RecordedMultiEquation } from './reverseRecord'
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
