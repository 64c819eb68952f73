/**
 * Staging (for `jit`): a level that records every primitive applied to its tracers as one
 * equation of a program, computing the trace-time example values as it goes. Its tracers are
 * abstract: they stand for every array of their shape and dtype, so reading their data is
 * refused (`refuseAbstract`); equations only keep the shapes and dtypes of their outputs.
 *
 * @category core
 * @since 0.1.0
 */
import type { DType } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import type { Shape } from '../ndarray/shape'
import type { AnyPrimitive } from './primitive'
import { bind, live, newLevelId, Tracer, type Level } from './trace'

/** An equation's input: a program variable (by index) or a constant. */
export type StagedAtom = number | NdArray

/** `out = prim[params](atoms)`, with the output's shape and dtype. */
export interface StagedEquation {
  readonly prim: AnyPrimitive
  readonly params: unknown
  readonly atoms: ReadonlyArray<StagedAtom>
  readonly out: number
  readonly shape: Shape
  readonly dtype: DType
}

/** A value of a staged program: its trace-time example and its variable. */
export class StagingTracer extends Tracer {
  constructor(
    level: StagingLevel,
    readonly primal: NdArray,
    readonly v: number,
  ) {
    super(level, primal)
  }
}

/** One staging transform: records equations while the staged function runs. */
export class StagingLevel implements Level {
  readonly id = newLevelId()
  readonly abstract = 'jit'
  active = true
  readonly equations: StagedEquation[] = []
  /** Shapes and dtypes of the variables (inputs first). */
  readonly avals: Array<{ readonly shape: Shape; readonly dtype: DType }> = []

  /** A new input variable whose trace-time example is `x`. */
  input(x: NdArray): StagingTracer {
    this.avals.push({ shape: x.shape, dtype: x.dtype })
    return new StagingTracer(this, x, this.avals.length - 1)
  }

  process(prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray {
    const n = inputs.length
    const atoms = new Array<StagedAtom>(n)
    const values = new Array<NdArray>(n)
    for (let i = 0; i < n; i++) {
      const x = inputs[i] as NdArray
      if (x instanceof StagingTracer && x._level === this) {
        atoms[i] = x.v
        values[i] = x.primal
      } else {
        const c = live(x)
        atoms[i] = c
        values[i] = c
      }
    }
    const output = bind(prim, values, params)
    const out = this.avals.length
    this.avals.push({ shape: output.shape, dtype: output.dtype })
    this.equations.push({ prim, params, atoms, out, shape: output.shape, dtype: output.dtype })
    return new StagingTracer(this, output, out)
  }
}
