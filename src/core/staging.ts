/**
 * Staging (for `jit`): a level that records every primitive applied to its tracers as one
 * equation of a program, computing the trace-time example values as it goes. Its tracers are
 * abstract: they stand for every array of their shape and dtype, so reading their data is
 * refused (`refuseAbstract`); equations keep only the avals of their variables (no values).
 *
 * @category core
 * @since 0.1.0
 */
import type { NdArray } from '../ndarray/NdArray'
import { avalOfValue, Var, type Atom, type Equation } from './equation'
import type { AnyMultiPrimitive, AnyPrimitive } from './primitive'
import { bind, bindMulti, live, newLevelId, Tracer, type Level } from './trace'

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
    const outputs = bindMulti(prim, values, params)
    const outvars = outputs.map((y) => this.fresh(y))
    this.equations.push({ primitive: prim, params, invars, outvars })
    return outputs.map((y, i) => new StagingTracer(this, y, outvars[i] as Var))
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
