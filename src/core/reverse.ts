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
import type { AnyPrimitive, VjpContext } from './primitive'
import { bind, newLevelId, Tracer, type Level } from './trace'
import { isZero, Zero, type Linear } from './zero'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** An equation's input: a variable of the tape (by index) or a constant. */
export type Atom = number | NdArray

/**
 * One recorded primitive application: `out = prim[params](atoms)`, with the primal values the
 * rules need (its inputs' and its output's values, and residuals of custom rules). An equation
 * is itself the context its rules receive (`inputs`, `output`, `params`, `needs`, `residuals`),
 * so a sweep calls a rule without building anything per equation.
 */
export interface Equation extends VjpContext<ReadonlyArray<NdArray>, unknown> {
  readonly prim: AnyPrimitive
  /** The inputs as tape variables (by index) or constants. */
  readonly atoms: ReadonlyArray<Atom>
  /** The output's variable. */
  readonly out: number
  /** Primal values of the inputs (one level down). */
  readonly inputs: ReadonlyArray<NdArray>
  /** Primal value of the output (one level down). */
  readonly output: NdArray
  /** Which inputs are variables (and so need a cotangent). */
  readonly needs: ReadonlyArray<boolean>
  readonly residuals: unknown
}

/** A value recorded on a tape: its primal and its variable index. */
export class TapeTracer extends Tracer {
  constructor(
    level: ReverseLevel,
    readonly primal: NdArray,
    readonly v: number,
  ) {
    super(level, primal)
  }
}

// -------------------------------------------------------------------------------------
// the recording level
// -------------------------------------------------------------------------------------

/** One reverse-mode transform: records equations while the traced function runs. */
export class ReverseLevel implements Level {
  readonly id = newLevelId()
  active = true
  /** The equations recorded so far, in program (topological) order. */
  equations: Equation[] = []
  /** Number of variables allocated so far (inputs and equation outputs). */
  nVars = 0

  /** A new input variable holding `primal`. */
  input(primal: NdArray): TapeTracer {
    return new TapeTracer(this, primal, this.nVars++)
  }

  /** The atom of `x` on this tape: its variable, or `x` itself as a constant. */
  atom(x: NdArray): Atom {
    return x instanceof TapeTracer && x._level === this ? x.v : x
  }

  /**
   * Hands over the recorded tape and forgets it, so that a tracer of this (closed) level that
   * outlives the transform — a closure-captured or leaked value — does not keep the whole tape
   * and its saved values alive.
   */
  release(): SweepTape {
    const tape: SweepTape = { equations: this.equations, nVars: this.nVars }
    this.equations = []
    return tape
  }

  process(prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray {
    const n = inputs.length
    const atoms = new Array<Atom>(n)
    const values = new Array<NdArray>(n)
    let mask = 0
    for (let i = 0; i < n; i++) {
      const x = inputs[i] as NdArray
      if (x instanceof TapeTracer && x._level === this) {
        atoms[i] = x.v
        values[i] = x.primal
        mask |= 1 << i
      } else {
        atoms[i] = x
        values[i] = x
      }
    }
    let output: NdArray
    let residuals: unknown
    if (prim.forward !== undefined) {
      const r = prim.forward(values, params)
      output = r[0]
      residuals = r[1]
    } else output = bind(prim, values, params)
    const out = this.nVars++
    const needs =
      n <= MAX_SHARED_NEEDS
        ? ((SHARED_NEEDS[n] as ReadonlyArray<ReadonlyArray<boolean>>)[mask] as ReadonlyArray<boolean>)
        : maskToNeeds(n, mask)
    this.equations.push({ prim, params, atoms, out, inputs: values, output, needs, residuals })
    return new TapeTracer(this, output, out)
  }
}

/** `needs` of an equation from the bit mask of its variable inputs. */
const maskToNeeds = (n: number, mask: number): ReadonlyArray<boolean> =>
  Array.from({ length: n }, (_, i) => (mask & (1 << i)) !== 0)

/** NOTE: `needs` arrays for up to 3 inputs are shared (frozen), so recording allocates none. */
const MAX_SHARED_NEEDS = 3
const SHARED_NEEDS: ReadonlyArray<ReadonlyArray<ReadonlyArray<boolean>>> = Array.from(
  { length: MAX_SHARED_NEEDS + 1 },
  (_, n) => Array.from({ length: 1 << n }, (_, mask) => Object.freeze(maskToNeeds(n, mask))),
)

// -------------------------------------------------------------------------------------
// sweeps
// -------------------------------------------------------------------------------------

/** What a sweep needs of a tape: its equations and the number of variables. */
export interface SweepTape {
  readonly equations: ReadonlyArray<Equation>
  readonly nVars: number
}

const accumulate = (
  table: Array<NdArray | undefined>,
  v: number,
  ct: NdArray,
  add: (a: NdArray, b: NdArray) => NdArray,
): void => {
  const prev = table[v]
  table[v] = prev === undefined ? ct : add(prev, ct)
}

/**
 * Keeps only the equations that some of `outputs` depend on (one reverse walk), for a tape that
 * is kept to be swept later (`vjp`'s pullback, `linearize`, the Jacobians): values computed on
 * the side (aux outputs, debugging, dead code) are then not kept alive.
 */
export const prune = (tape: SweepTape, outputs: ReadonlyArray<number>): SweepTape => {
  const kept = liveEquations(tape.equations, tape.nVars, outputs)
  return kept.length === tape.equations.length ? tape : { equations: kept, nVars: tape.nVars }
}

/**
 * The equations (in order) that some of `outputs` depend on, among equations over `nVars`
 * variables whose inputs are variables (numbers) or constants. Also `jit`'s dead-code pass.
 */
export const liveEquations = <E extends { readonly atoms: ReadonlyArray<unknown>; readonly out: number }>(
  eqs: ReadonlyArray<E>,
  nVars: number,
  outputs: ReadonlyArray<number>,
): E[] => {
  const live = liveScratch(nVars)
  for (const v of outputs) live[v] = 1
  const kept: E[] = []
  for (let e = eqs.length - 1; e >= 0; e--) {
    const eq = eqs[e] as E
    if (live[eq.out] === 0) continue
    kept.push(eq)
    const atoms = eq.atoms
    for (let i = 0; i < atoms.length; i++) {
      const a = atoms[i]
      if (typeof a === 'number') live[a] = 1
    }
  }
  live.fill(0, 0, nVars)
  return kept.reverse()
}

/** NOTE: one zeroed scratch buffer for the live marks (the walk calls nothing, so it is never shared). */
let scratch = new Uint8Array(1024)
const liveScratch = (n: number): Uint8Array => {
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, 2 * scratch.length))
  return scratch
}

/**
 * The backward sweep: seeds cotangents of some variables and returns the cotangents of
 * `wanted` variables, which must be input variables (undefined where nothing flowed). Walks the
 * tape once in reverse (it is already in topological order); equations whose output got no
 * cotangent are skipped, and each equation's output cotangent is dropped once it has been
 * pulled back, so the table holds only the cotangents of the current frontier. With `consume`
 * (a tape swept once) each equation is also dropped from the tape once pulled back.
 * JAX: backward_pass.
 */
export const backwardPass = (
  tape: SweepTape,
  seeds: ReadonlyArray<readonly [number, NdArray]>,
  wanted: ReadonlyArray<number>,
  add: (a: NdArray, b: NdArray) => NdArray,
  consume = false,
): Array<NdArray | undefined> => {
  const cts = new Array<NdArray | undefined>(tape.nVars)
  for (const [v, ct] of seeds) accumulate(cts, v, ct, add)
  const eqs = tape.equations
  // consume: the tape is swept once (grad); each equation is dropped from it once pulled back,
  // so the values it saved can be collected during the sweep, not only after it
  const drop = consume ? (eqs as Array<Equation | undefined>) : undefined
  for (let e = eqs.length - 1; e >= 0; e--) {
    const eq = eqs[e] as Equation
    if (drop !== undefined) drop[e] = undefined
    const yBar = cts[eq.out]
    if (yBar === undefined) continue
    cts[eq.out] = undefined
    if (eq.prim.derivative === 'none') continue
    const xBars = eq.prim.vjp(eq, yBar)
    const atoms = eq.atoms
    for (let i = 0; i < atoms.length; i++) {
      const a = atoms[i]
      const xBar = xBars[i]
      if (typeof a !== 'number' || xBar === undefined || isZero(xBar)) continue
      accumulate(cts, a, xBar, add)
    }
  }
  return wanted.map((v) => cts[v])
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
    const atoms = eq.atoms
    const ts = new Array<Linear>(atoms.length)
    let any = false
    for (let i = 0; i < atoms.length; i++) {
      const a = atoms[i]
      const t = typeof a === 'number' ? tangents[a] : undefined
      if (t !== undefined && !isZero(t)) any = true
      ts[i] = t ?? Zero.like(eq.inputs[i] as NdArray)
    }
    tangents[eq.out] = eq.prim.derivative === 'none' || !any ? Zero.like(eq.output) : eq.prim.jvp(eq, ts)
  }
  return wanted.map((v) => {
    const t = tangents[v]
    if (t === undefined) throw new InternalError(`forward sweep: variable ${v} has no tangent`)
    return t
  })
}
