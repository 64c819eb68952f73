/**
 * The records of the reverse tape (./reverse): one per primitive application, holding the
 * program's equation and the primal values its rules need.
 *
 * @category core
 * @since 0.7.0
 */
import type { NdArray } from '../ndarray/NdArray'
import { MIN_POOLED_BYTES } from '../ndarray/bufferPool'
import { Var, type Atom, type Equation } from './equation'
import type { AnyMultiPrimitive, AnyPrimitive, MultiVjpContext, VjpContext } from './primitive'

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
export class SingleRecord extends Var implements RecordedEquation {
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
export const isMulti = (eq: Recorded): eq is RecordedMultiEquation =>
  (eq as { readonly output?: unknown }).output === undefined

/** Outputs of this many elements or more make a tape `large` (float32 buffers the pool takes). */
export const LARGE = MIN_POOLED_BYTES / 4
