/**
 * Staging (for `jit`): a level that records every primitive applied to its tracers as one
 * equation of a program, computing the trace-time example values as it goes (except for loops and
 * other sub-program primitives, recorded without running: see `abstractTrace`). Its tracers are
 * abstract: they stand for every array of their shape and dtype, so reading their data is
 * refused (`refuseAbstract`); equations keep only the avals of their variables (no values).
 *
 * @category core
 * @since 0.1.0
 */
import { allocate } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { sizeOf } from '../ndarray/shape'
import { avalOf, avalOfValue, Var, type Atom, type Aval, type Equation } from './equation'
import type { AnyMultiPrimitive, AnyPrimitive } from './primitive'
import { bind, bindMulti, live, newLevelId, Tracer, type Level } from './trace'

/** Zeros of an aval. */
export const zerosOf = (a: Aval): NdArray => new NdArray(a.shape, a.dtype, allocate(a.dtype, sizeOf(a.shape)))

/** A value of a staged program: its trace-time example and its variable. */
export class StagingTracer extends Tracer {
  constructor(
    level: StagingLevel,
    readonly primal: NdArray,
    readonly variable: Var,
  ) {
    super(level, primal)
  }
}

/** One staging transform: records equations while the staged function runs. */
export class StagingLevel implements Level {
  readonly id = newLevelId()
  readonly abstract = 'jit'
  active = true
  readonly equations: Equation[] = []
  /** The program's input variables. */
  readonly inputs: Var[] = []
  /** Number of variables allocated so far (inputs and equation outputs). */
  nVars = 0
  /** False once a primitive was staged without running: the trace-time values are then placeholders. */
  ranAll = true

  /** A new input variable whose trace-time example is `x`. */
  input(x: NdArray): StagingTracer {
    const v = this.fresh(x)
    this.inputs.push(v)
    return new StagingTracer(this, x, v)
  }

  process(prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray {
    const [invars, values] = this.split(inputs)
    const output = bind(prim, values, params)
    const out = this.fresh(output)
    this.equations.push({ primitive: prim, params, invars, outvars: [out] })
    return new StagingTracer(this, output, out)
  }

  processMulti(prim: AnyMultiPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): ReadonlyArray<NdArray> {
    const [invars, values] = this.split(inputs)
    const outputs =
      prim.abstractTrace === true ? this.placeholders(prim, invars, params) : bindMulti(prim, values, params)
    const outvars = outputs.map((y) => this.fresh(y))
    this.equations.push({ primitive: prim, params, invars, outvars })
    return outputs.map((y, i) => new StagingTracer(this, y, outvars[i] as Var))
  }

  /**
   * The trace-time examples of a primitive staged without running it (`abstractTrace`): zeros of
   * its output avals. The values of this trace are then not the function's results (`ranAll`).
   */
  private placeholders(prim: AnyMultiPrimitive, invars: ReadonlyArray<Atom>, params: unknown): NdArray[] {
    this.ranAll = false
    return prim.shape(invars.map(avalOf), params).map(zerosOf)
  }

  /** A new variable with the aval (not the value) of `x`. */
  protected fresh(x: NdArray): Var {
    return new Var(this.nVars++, avalOfValue(x))
  }

  /** The atoms and trace-time values of `inputs` (constants are kept as their live values). */
  private split(inputs: ReadonlyArray<NdArray>): [Atom[], NdArray[]] {
    const n = inputs.length
    const invars = new Array<Atom>(n)
    const values = new Array<NdArray>(n)
    for (let i = 0; i < n; i++) {
      const x = inputs[i] as NdArray
      if (x instanceof StagingTracer && x._level === this) {
        invars[i] = x.variable
        values[i] = x.primal
      } else {
        const [a, c] = this.constant(live(x))
        invars[i] = a
        values[i] = c
      }
    }
    return [invars, values]
  }

  /**
   * The atom and trace-time value of an input that is not this level's tracer: here the value
   * itself, as a constant of the program (a level that closes over outer tracers overrides it).
   */
  protected constant(x: NdArray): readonly [Atom, NdArray] {
    return [x, x]
  }
}
