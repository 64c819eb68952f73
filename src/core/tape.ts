/**
 * The Wengert tape as data: a readonly list of equations over named variables that can be
 * printed (like a jaxpr), checked, and replayed through `bind` (so a replayed tape can be
 * differentiated again).
 *
 * @category core
 * @since 0.1.0
 */
import { shortDType } from '../ndarray/dtype'
import { InternalError, ShapeError, ValueError, fmtShape } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import { describeValue } from '../internal/options'
import { avalOf, avalOfValue, Var, type Atom, type Aval, type Equation, type Tape } from './equation'
import type { SweepTape } from './reverse'
import { bind, bindMulti } from './trace'

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** `u` as a tape (`inputs`, `equations` and `outputs` lists), or a ValueError naming `op`. */
export const requireTape = (op: string, u: unknown): Tape => {
  const isList = (k: string): boolean => Array.isArray((u as Record<string, unknown>)[k])
  if (u === null || typeof u !== 'object' || !['inputs', 'equations', 'outputs'].every(isList))
    throw new ValueError(`${op}: tape must be a Tape (from makeTape), got ${describeValue(u)}`)
  return u as Tape
}

/**
 * The program of a reverse recording, without its saved values: its input variables, its
 * equations (fresh variables holding avals only) and its outputs (variables, or constants for
 * outputs that do not depend on the inputs). `String()` of the result prints it.
 */
export const tapeFromRecording = (
  recorded: SweepTape,
  inputs: ReadonlyArray<Var>,
  outputs: ReadonlyArray<number | NdArray>,
): Tape => {
  const vars = new Map<number, Var>()
  const fresh = (v: Var): Var => {
    const w = new Var(v.id, avalOfValue(v.aval))
    vars.set(v.id, w)
    return w
  }
  const inputVars = inputs.map(fresh)
  const byId = (id: number): Var => vars.get(id) ?? undefinedVar(id)
  const atom = (a: Atom): Atom => (a instanceof Var ? byId(a.id) : a)
  const equations = recorded.equations.map((eq): Equation => ({
    primitive: eq.primitive,
    params: eq.params,
    invars: eq.invars.map(atom),
    outvars: eq.outvars.map(fresh),
  }))
  const tape: Tape = {
    inputs: inputVars,
    equations,
    outputs: outputs.map((o) => (typeof o === 'number' ? byId(o) : o)),
    toString: () => printTape(tape),
  }
  return tape
}

const undefinedVar = (id: number): never => {
  throw new InternalError(`tape: variable ${id} is used before it is defined`)
}

// -------------------------------------------------------------------------------------
// printing
// -------------------------------------------------------------------------------------

/** Variable names like a jaxpr's: a, b, …, z, ba, bb, … (also the graph pictures' names). */
export const varName = (i: number): string => {
  let s = ''
  let n = i
  do {
    s = String.fromCharCode(97 + (n % 26)) + s
    n = Math.floor(n / 26)
  } while (n > 0)
  return s
}

/** An aval as a jaxpr prints it: `f32[2,3]`. */
export const avalStr = (a: Aval): string => `${shortDType[a.dtype]}${fmtShape(a.shape)}`

/** A constant as a jaxpr prints it: a scalar's value, otherwise `const:f32[3]`. */
export const literalStr = (x: NdArray): string => {
  if (x.size === 1 && x.ndim === 0) {
    const v = x.item()
    return typeof v === 'boolean' ? String(v) : Number.isInteger(v) && x.dtype !== 'int32' ? `${v}.0` : String(v)
  }
  return `const:${avalStr(x)}`
}

/** Prints a tape in the jaxpr form: `{ lambda a:f32[3] . let b:f32[3] = sin a in ( b ) }`. */
export const printTape = (tape: Tape): string => {
  requireTape('printTape', tape)
  // rename variables densely in order of appearance
  const names = new Map<number, string>()
  const name = (v: Var): string => {
    let s = names.get(v.id)
    if (s === undefined) {
      s = varName(names.size)
      names.set(v.id, s)
    }
    return s
  }
  const atomStr = (a: Atom): string => (a instanceof Var ? name(a) : literalStr(a))
  const header = tape.inputs.map((v) => `${name(v)}:${avalStr(v.aval)}`).join(' ')
  const lines = tape.equations.map((eq) => {
    const outs = eq.outvars.map((v) => `${name(v)}:${avalStr(v.aval)}`).join(' ')
    const ins = eq.invars.map(atomStr).join(' ')
    return `${outs} = ${eq.primitive.name}${eq.primitive.formatParams(eq.params)} ${ins}`
  })
  const outs = tape.outputs.map(atomStr).join(' ')
  if (lines.length === 0) return `{ lambda ${header} . let in ( ${outs} ) }`
  return [
    `{ lambda ${header} .`,
    ...lines.map((l, i) => `  ${i === 0 ? 'let ' : '    '}${l}`),
    `  in ( ${outs} ) }`,
  ].join('\n')
}

// -------------------------------------------------------------------------------------
// checking and replay
// -------------------------------------------------------------------------------------

/** The avals an equation's primitive's shape rule gives for its inputs, one per output. */
const ruleAvals = (eq: Equation): ReadonlyArray<Aval> => {
  const avals = eq.invars.map(avalOf)
  const p = eq.primitive
  return p.multipleResults === true ? p.shape(avals, eq.params) : [p.shape(avals, eq.params)]
}

const sameAval = (a: Aval, b: Aval): boolean => shapesEqual(a.shape, b.shape) && a.dtype === b.dtype

/**
 * Validates a tape: single assignment, every variable defined before use, and every
 * equation's outputs agreeing with its primitive's shape rule. Throws a ShapeError/ValueError.
 */
export const checkTape = (tape: Tape): void => {
  requireTape('checkTape', tape)
  const defined = new Set<number>(tape.inputs.map((v) => v.id))
  tape.equations.forEach((eq, i) => {
    const what = `checkTape: equation ${i} (${eq.primitive.name})`
    for (const a of eq.invars) {
      if (a instanceof Var && !defined.has(a.id)) throw new ValueError(`${what} uses an undefined variable`)
    }
    const expected = ruleAvals(eq)
    if (expected.length !== eq.outvars.length)
      throw new ShapeError(`${what} has ${eq.outvars.length} outputs but its shape rule gives ${expected.length}`)
    eq.outvars.forEach((o, k) => {
      if (defined.has(o.id)) throw new ValueError(`${what} assigns a variable twice`)
      defined.add(o.id)
      const e = expected[k] as Aval
      if (!sameAval(o.aval, e))
        throw new ShapeError(`${what} records ${avalStr(o.aval)} but its shape rule gives ${avalStr(e)}`)
    })
  })
  for (const a of tape.outputs) {
    if (a instanceof Var && !defined.has(a.id)) throw new ValueError('checkTape: an output is an undefined variable')
  }
}

/** Replays a tape on new inputs through `bind`; the result can be differentiated again. */
export const evalTape = (tape: Tape, ...args: ReadonlyArray<NdArray>): NdArray[] => {
  requireTape('evalTape', tape)
  if (args.length !== tape.inputs.length) {
    throw new ValueError(`evalTape: the tape takes ${tape.inputs.length} inputs, got ${args.length}`)
  }
  const env = new Map<number, NdArray>()
  tape.inputs.forEach((v, i) => {
    const x = args[i] as NdArray
    if (!sameAval(x, v.aval)) throw new ShapeError(`evalTape: input ${i} must be ${avalStr(v.aval)}, got ${avalStr(x)}`)
    env.set(v.id, x)
  })
  const read = (a: Atom): NdArray => (a instanceof Var ? (env.get(a.id) as NdArray) : a)
  for (const eq of tape.equations) {
    const p = eq.primitive
    const ins = eq.invars.map(read)
    const outs = p.multipleResults === true ? bindMulti(p, ins, eq.params) : [bind(p, ins, eq.params)]
    eq.outvars.forEach((v, k) => env.set(v.id, outs[k] as NdArray))
  }
  return tape.outputs.map(read)
}
