/**
 * Sub-programs of the control-flow primitives (JAX: the closed jaxprs in `scan`'s, `while`'s and
 * `cond`'s params): a function of arrays traced once into the one program type, with the outer
 * values it closes over turned into extra inputs; running such a program; and the program
 * transformations the control-flow rules are built from — its JVP, its batched form and its
 * split into a forward part that saves residuals and a backward part that reads them (JAX's
 * partial evaluation of the linearized program).
 *
 * @category core
 * @since 0.2.0
 */
import { NdArray } from '../ndarray/NdArray'
import { sizeOf } from '../ndarray/shape'
import { BatchLevel, BatchTracer } from './batching'
import { avalOf, countVars, liveEquations, Var, type Atom, type Aval, type Equation, type Tape } from './equation'
import { JvpLevel } from './jvp'
import { add, batchFirst, moveBatchAxis } from './lax'
import { compileProgram, type Program } from './program'
import { backwardPass, ReverseLevel } from './reverse'
import { StagingLevel, StagingTracer, zerosOf } from './staging'
import { evalTape, printTape } from './tape'
import { live, primalAt, Tracer, withLevel } from './trace'
import { isZero, type Linear } from './zero'

// -------------------------------------------------------------------------------------
// tracing
// -------------------------------------------------------------------------------------

/** A traced sub-program and the outer values it closes over (its first `consts.length` inputs). */
export interface Closed {
  readonly tape: Tape
  readonly consts: ReadonlyArray<NdArray>
}

export { zerosOf }

/** A concrete example of `x`: its shape, dtype and data, never a tracer (tracing reads no level below). */
export const example = (x: NdArray): NdArray => (x instanceof Tracer ? new NdArray(x.shape, x.dtype, x._data) : x)

/** An example of one row of `xs` (its first, or zeros when it has none). */
export const rowExample = (xs: NdArray): NdArray => {
  const shape = xs.shape.slice(1)
  const n = sizeOf(shape)
  const e = example(xs)
  return xs.shape[0] === 0 ? zerosOf({ shape, dtype: xs.dtype }) : new NdArray(shape, xs.dtype, e._data.subarray(0, n))
}

/** Staging that closes over outer values: a tracer of another level becomes an extra input. */
class ClosingLevel extends StagingLevel {
  readonly captured: NdArray[] = []
  readonly capturedVars: Var[] = []
  private readonly byValue = new Map<NdArray, Var>()

  protected override constant(x: NdArray): readonly [Atom, NdArray] {
    if (!(x instanceof Tracer)) return [x, x]
    let v = this.byValue.get(x)
    if (v === undefined) {
      v = this.fresh(x)
      this.byValue.set(x, v)
      this.captured.push(x)
      this.capturedVars.push(v)
    }
    return [v, example(x)]
  }

  /** The output atom of a traced result. */
  outAtom(x: NdArray): Atom {
    const y = live(x)
    return y instanceof StagingTracer && y._level === this ? y.variable : this.constant(y)[0]
  }
}

/**
 * Traces `f` once on staged inputs with the avals (and example values) of `examples` into a
 * closed program: inputs are the captured outer values, then `examples`' stand-ins.
 */
export const traceClosed = (f: (xs: NdArray[]) => ReadonlyArray<NdArray>, examples: ReadonlyArray<NdArray>): Closed => {
  const level = new ClosingLevel()
  return withLevel(level, () => {
    const ins = examples.map((x) => level.input(example(x)))
    const outputs = f(ins).map((y) => level.outAtom(y))
    const ids = outputs.filter((a): a is Var => a instanceof Var).map((v) => v.id)
    const equations = liveEquations(level.equations, level.nVars, ids)
    const tape: Tape = {
      inputs: [...level.capturedVars, ...level.inputs],
      equations,
      outputs,
      toString: () => printTape(tape),
    }
    return { tape, consts: level.captured }
  })
}

/** Traces a function of a closed program's own inputs (the transformations below capture nothing). */
const retrace = (f: (xs: NdArray[]) => ReadonlyArray<NdArray>, examples: ReadonlyArray<NdArray>): Tape =>
  traceClosed(f, examples).tape

// -------------------------------------------------------------------------------------
// running
// -------------------------------------------------------------------------------------

const programs = new WeakMap<Tape, Program>()

/** The compiled program of a sub-program (compiled on first use, then kept with it). */
export const programOf = (tape: Tape): Program => {
  let p = programs.get(tape)
  if (p === undefined) {
    p = compileProgram(tape)
    programs.set(tape, p)
  }
  return p
}

/** Applies a sub-program to values that may be traced (through `bind`: every level sees it). */
export const apply = (tape: Tape, inputs: ReadonlyArray<NdArray>): NdArray[] => evalTape(tape, ...inputs)

// -------------------------------------------------------------------------------------
// transformations (called inside a trace)
// -------------------------------------------------------------------------------------

/**
 * The JVP of a sub-program applied to `primals` with `tangents` (undefined: a zero tangent):
 * its outputs and their tangents (symbolic zeros where none flows).
 */
export const jvpApply = (
  tape: Tape,
  primals: ReadonlyArray<NdArray>,
  tangents: ReadonlyArray<NdArray | undefined>,
): readonly [NdArray[], Linear[]] =>
  withLevel(new JvpLevel(), (level) => {
    const ins = primals.map((p, i) => {
      const t = tangents[i]
      return t === undefined ? p : level.lift(p, t)
    })
    const split = apply(tape, ins).map((y) => level.split(y))
    return [split.map(([p]) => p), split.map(([, t]) => t)]
  })

/**
 * A sub-program applied to a batch of `size`: `vals` batched along axis 0 where `batched`.
 * Returns the outputs (batched along axis 0, or not) and which are batched; `force` batches an
 * output even when it does not depend on the batch. `axisName`: the batch axis's name, passed on
 * from the batching rule that calls this (collectives inside the sub-program reduce over it).
 */
export const batchApply = (
  tape: Tape,
  vals: ReadonlyArray<NdArray>,
  batched: ReadonlyArray<boolean>,
  size: number,
  force: ReadonlyArray<boolean>,
  axisName?: string,
): readonly [NdArray[], boolean[]] =>
  withLevel(new BatchLevel(size, axisName), (level) => {
    const ins = vals.map((x, i) => (batched[i] === true ? level.tracer(x, 0) : x))
    const outs = apply(tape, ins)
    const isB = outs.map((y) => y instanceof BatchTracer && y._level === level)
    const ys = outs.map((y, j) => {
      if (y instanceof BatchTracer && y._level === level) return moveBatchAxis(y.primal, y.bdim, 0, size)
      return force[j] === true ? batchFirst(y, null, size) : y
    })
    return [ys, isB.map((b, j) => b || force[j] === true)]
  })

// -------------------------------------------------------------------------------------
// reverse mode: the forward/backward split
// -------------------------------------------------------------------------------------

/**
 * A sub-program split for reverse mode. `forward` takes the program's inputs and returns its
 * outputs and then the residuals; `backward` takes the program's first `nFixed` inputs, the
 * residuals and one cotangent per output, and returns one cotangent per input.
 */
export interface Split {
  readonly forward: Tape
  readonly backward: Tape
  readonly residuals: ReadonlyArray<Aval>
}

/**
 * Splits `tape` into a forward part that saves residuals and a backward part: traces the VJP of
 * the program (forward and backward together), then keeps in the backward part every equation
 * that depends on a cotangent, and those that depend only on the first `nFixed` inputs (which the
 * backward part receives, unless `recomputeInvariant` is false) or whose outputs `saveable`
 * refuses — recomputed there instead of saved.
 * The values the backward part reads from the forward part are the residuals.
 */
export const splitVjp = (
  tape: Tape,
  nFixed: number,
  saveable: (eq: Equation) => boolean,
  examples: ReadonlyArray<NdArray>,
  recomputeInvariant = true,
): Split => {
  const n = tape.inputs.length
  const outAvals = tape.outputs.map(avalOf)
  const joint = retrace((xs) => jointVjp(tape, xs.slice(0, n), xs.slice(n)), [...examples, ...outAvals.map(zerosOf)])
  const fixed = new Set(joint.inputs.slice(0, nFixed).map((v) => v.id))
  const unknown = new Set(joint.inputs.slice(n).map((v) => v.id))
  const invariant = new Set(fixed)
  for (const eq of joint.equations) {
    const vars = eq.invars.filter((a): a is Var => a instanceof Var)
    if (vars.some((v) => unknown.has(v.id))) eq.outvars.forEach((v) => unknown.add(v.id))
    else if (vars.every((v) => invariant.has(v.id))) eq.outvars.forEach((v) => invariant.add(v.id))
  }
  const recomputed = (eq: Equation): boolean => {
    const v = (eq.outvars[0] as Var).id
    return unknown.has(v) || (recomputeInvariant && invariant.has(v)) || !saveable(eq)
  }
  const barOuts = joint.outputs.slice(tape.outputs.length)
  const needed = new Set(barOuts.filter((a): a is Var => a instanceof Var).map((v) => v.id))
  const back: Equation[] = []
  for (let e = joint.equations.length - 1; e >= 0; e--) {
    const eq = joint.equations[e] as Equation
    if (!eq.outvars.some((v) => needed.has(v.id)) || !recomputed(eq)) continue
    back.push(eq)
    for (const a of eq.invars) if (a instanceof Var) needed.add(a.id)
  }
  back.reverse()
  const defined = new Set([...fixed, ...unknown, ...back.flatMap((eq) => eq.outvars.map((v) => v.id))])
  const residualVars = varsById(joint, needed, defined)
  const forwardOuts = [...joint.outputs.slice(0, tape.outputs.length), ...residualVars]
  const fwdIds = forwardOuts.filter((a): a is Var => a instanceof Var).map((v) => v.id)
  const forward: Tape = closedTape(
    joint.inputs.slice(0, n),
    liveEquations(joint.equations, countVars(joint), fwdIds),
    forwardOuts,
  )
  const backward: Tape = closedTape(
    [...joint.inputs.slice(0, nFixed), ...residualVars, ...joint.inputs.slice(n)],
    back,
    barOuts,
  )
  return { forward, backward, residuals: residualVars.map((v) => v.aval) }
}

/** The variables of `joint` among `needed` that `defined` lacks: the residuals, in program order. */
const varsById = (joint: Tape, needed: ReadonlySet<number>, defined: ReadonlySet<number>): Var[] => {
  const out: Var[] = []
  const take = (v: Var): void => {
    if (needed.has(v.id) && !defined.has(v.id)) out.push(v)
  }
  joint.inputs.forEach(take)
  for (const eq of joint.equations) eq.outvars.forEach(take)
  return out
}

const closedTape = (
  inputs: ReadonlyArray<Var>,
  equations: ReadonlyArray<Equation>,
  outputs: ReadonlyArray<Atom>,
): Tape => {
  const tape: Tape = { inputs, equations, outputs, toString: () => printTape(tape) }
  return tape
}

/** The program's outputs and the cotangents of its inputs (zeros where none flows), given output cotangents. */
const jointVjp = (tape: Tape, primals: ReadonlyArray<NdArray>, bars: ReadonlyArray<NdArray>): NdArray[] => {
  const level = new ReverseLevel()
  const [ins, outs] = withLevel(level, () => {
    const ins = primals.map((p) => level.input(p))
    return [ins, apply(tape, ins)] as const
  })
  const seeds: Array<readonly [number, NdArray]> = []
  outs.forEach((y, j) => {
    const a = level.atom(y)
    if (a instanceof Var) seeds.push([a.id, bars[j] as NdArray])
  })
  const cts = backwardPass(
    level.release(),
    seeds,
    ins.map((t) => t.variable.id),
    add,
  )
  return [...outs.map((y) => primalAt(level, y)), ...cts.map((c, i) => c ?? zerosOf(primals[i] as NdArray))]
}

/** A tangent as an array (zeros for a symbolic zero). */
export const materialize = (t: Linear, like: Aval): NdArray => (isZero(t) ? zerosOf(like) : t)

/** The cotangents of a sub-program's inputs at `primals`, given its outputs' cotangents `bars`. */
export const vjpApply = (tape: Tape, primals: ReadonlyArray<NdArray>, bars: ReadonlyArray<NdArray>): NdArray[] =>
  jointVjp(tape, primals, bars).slice(tape.outputs.length)
