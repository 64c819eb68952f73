/**
 * The one recorded-program type (JAX: `Jaxpr`, `JaxprEqn`, `Var`, `Literal`). The reverse tape,
 * `jit`'s staging and compiler, `makeTape`, `printTape`/`checkTape`/`evalTape` and exporters all
 * read and write these equations; the recording levels differ only in what they keep beside
 * them (the reverse tape: the primal values its rules need; staging: nothing but avals).
 *
 * @category core
 * @since 0.2.0
 */
import type { DType } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import type { Shape } from '../ndarray/shape'
import type { AnyMultiPrimitive, AnyPrimitive } from './primitive'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Abstract value: a shape and a dtype, what a shape rule computes and what a program variable
 * stands for.
 *
 * @example
 * import { array, type Aval } from 'wengert'
 * const a: Aval = array([1, 2, 3])
 * assert.deepStrictEqual([a.shape, a.dtype], [[3], 'float32'])
 * @category core
 * @since 0.2.0
 */
export interface Aval {
  readonly shape: Shape
  readonly dtype: DType
}

/**
 * A program variable: assigned once, by a program input or an equation output. Its `id` is
 * unique within its program (ids are dense from 0, so tables indexed by variable are arrays).
 *
 * @example
 * import { makeTape, array, sin, type NdArray } from 'wengert'
 * const tape = makeTape((x: NdArray) => sin(x))(array([1, 2]))
 * const [x] = tape.inputs
 * assert.deepStrictEqual(x?.aval, { shape: [2], dtype: 'float32' })
 * @category core
 * @since 0.2.0
 */
export class Var {
  // NOTE: declared fields set in the constructor, as NdArray's: a reverse tape's records (one per
  // recorded op) extend Var
  declare readonly id: number
  declare readonly aval: Aval
  constructor(id: number, aval: Aval) {
    this.id = id
    this.aval = aval
  }
}

/**
 * An equation input: a variable, or a constant array (a closed-over value or a scalar operand;
 * JAX: `Literal`).
 *
 * @example
 * import { makeTape, array, mul, isVar, type NdArray } from 'wengert'
 * const tape = makeTape((x: NdArray) => mul(x, 2))(array([1, 2]))
 * const [a, b] = tape.equations[0]?.invars ?? []
 * assert.ok(a !== undefined && isVar(a) && b !== undefined && !isVar(b))
 * @category core
 * @since 0.2.0
 */
export type Atom = Var | NdArray

/**
 * True when an atom is a variable (otherwise it is a constant array).
 *
 * @example
 * import { isVar, array, Var } from 'wengert'
 * assert.ok(isVar(new Var(0, { shape: [], dtype: 'float32' })) && !isVar(array(1)))
 * @category core
 * @since 0.2.0
 */
export const isVar = (a: Atom): a is Var => a instanceof Var

/** The aval of an atom (a constant is its own aval). */
export const avalOf = (a: Atom): Aval => (a instanceof Var ? a.aval : a)

/** A primitive an equation applies: single-result (`bind`) or multiple-results (`bindMulti`). */
export type Bindable = AnyPrimitive | AnyMultiPrimitive

/**
 * One equation: `outvars = primitive[params](invars)`. A single-result primitive has one output
 * variable, a `multipleResults` one has one per result. Equations hold the primitive's
 * definition and canonical params, never closures of their own.
 *
 * The fields are named as JAX's `JaxprEqn` names them: `inputs`/`outputs` are the names of the
 * primal values in a rule's context (STYLE C2), and the reverse tape's equations are their
 * rules' contexts too (an equation with its saved values), so the two sets of names must differ.
 *
 * @example
 * import { makeTape, array, sin, type NdArray } from 'wengert'
 * const [eq] = makeTape((x: NdArray) => sin(x))(array([1, 2])).equations
 * assert.strictEqual(eq?.primitive.name, 'sin')
 * assert.strictEqual(eq?.outvars.length, 1)
 * @category core
 * @since 0.2.0
 */
export interface Equation {
  readonly primitive: Bindable
  readonly params: unknown
  readonly invars: ReadonlyArray<Atom>
  readonly outvars: ReadonlyArray<Var>
}

/**
 * A recorded program (JAX: a closed jaxpr): input variables, equations in topological order and
 * output atoms. `String(tape)` of a tape made by `makeTape` prints it as a jaxpr.
 *
 * @example
 * import { makeTape, printTape, array, mul, sin, type NdArray } from 'wengert'
 * const tape = makeTape((a: NdArray, b: NdArray) => sin(mul(a, b)))(array([1]), array([2]))
 * assert.strictEqual(tape.inputs.length, 2)
 * assert.strictEqual(tape.equations.length, 2)
 * assert.ok(printTape(tape).includes('d:f32[1] = sin c'))
 * @category core
 * @since 0.2.0
 */
export interface Tape {
  readonly inputs: ReadonlyArray<Var>
  readonly equations: ReadonlyArray<Equation>
  readonly outputs: ReadonlyArray<Atom>
  /** The printed program (`printTape`), for tapes made by `makeTape`. */
  toString(): string
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** A plain aval (shape and dtype only) of a value, so a program keeps no example data alive. */
export const avalOfValue = (x: Aval): Aval => ({ shape: x.shape, dtype: x.dtype })

/** One more than the largest variable id of a tape: the size of tables indexed by variable. */
export const countVars = (tape: Tape): number => {
  let n = 0
  for (const v of tape.inputs) n = Math.max(n, v.id + 1)
  for (const eq of tape.equations) for (const v of eq.outvars) n = Math.max(n, v.id + 1)
  return n
}

/**
 * The equations (in order) that some of the variables `outputs` (by id) depend on, among
 * equations over `nVars` variables: one reverse walk. The reverse tape's pruning and `jit`'s
 * dead-code pass.
 */
export const liveEquations = <E extends Equation>(
  eqs: ReadonlyArray<E>,
  nVars: number,
  outputs: ReadonlyArray<number>,
): E[] => {
  const live = liveScratch(nVars)
  for (const v of outputs) live[v] = 1
  const kept: E[] = []
  for (let e = eqs.length - 1; e >= 0; e--) {
    const eq = eqs[e] as E
    if (!anyLive(live, eq.outvars)) continue
    kept.push(eq)
    const ins = eq.invars
    for (let i = 0; i < ins.length; i++) {
      const a = ins[i]
      if (a instanceof Var) live[a.id] = 1
    }
  }
  live.fill(0, 0, nVars)
  return kept.reverse()
}

const anyLive = (live: Uint8Array, outs: ReadonlyArray<Var>): boolean => {
  for (let i = 0; i < outs.length; i++) if (live[(outs[i] as Var).id] === 1) return true
  return false
}

/** NOTE: one zeroed scratch buffer for the live marks (the walk calls nothing, so it is never shared). */
let scratch = new Uint8Array(1024)
const liveScratch = (n: number): Uint8Array => {
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, 2 * scratch.length))
  return scratch
}
