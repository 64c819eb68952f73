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
import type { AnyPrimitive } from './primitive'
import type { Equation as RecordedEquation, SweepTape } from './reverse'
import { bind } from './trace'
import type { Aval } from './zero'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A tape variable. */
export interface Var {
  readonly _tag: 'Var'
  readonly id: number
  readonly aval: Aval
}

/** A constant used by an equation (a closed-over array or a scalar). */
export interface Literal {
  readonly _tag: 'Literal'
  readonly value: NdArray
}

/** An equation input. */
export type TapeAtom = Var | Literal

/** One equation: `outputs = primitive[params](inputs)`. */
export interface TapeEquation {
  readonly primitive: string
  readonly params: unknown
  readonly inputs: ReadonlyArray<TapeAtom>
  readonly outputs: ReadonlyArray<Var>
  /** @internal the primitive definition, for replay */
  readonly prim: AnyPrimitive
}

/** A recorded program. `toString()` prints it one equation per line. @category transforms @since 0.1.0 */
export interface Tape {
  readonly inputs: ReadonlyArray<Var>
  readonly equations: ReadonlyArray<TapeEquation>
  readonly outputs: ReadonlyArray<TapeAtom>
  toString(): string
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Builds the public tape from a recorded one: its input variables (with their avals) and its
 * outputs (variables, or constants for outputs that do not depend on the inputs).
 */
export const tapeFromRecording = (
  recorded: SweepTape,
  inputs: ReadonlyArray<readonly [number, Aval]>,
  outputs: ReadonlyArray<NdArray | number>,
): Tape => {
  const vars = new Map<number, Var>()
  const mkVar = (id: number, a: Aval): Var => {
    const v: Var = { _tag: 'Var', id, aval: { shape: a.shape, dtype: a.dtype } }
    vars.set(id, v)
    return v
  }
  const inputVars = inputs.map(([id, a]) => mkVar(id, a))
  const atom = (a: number | NdArray): TapeAtom => {
    if (typeof a !== 'number') return { _tag: 'Literal', value: a }
    const v = vars.get(a)
    if (v === undefined) throw new InternalError(`tape: variable ${a} is used before it is defined`)
    return v
  }
  const equations = recorded.equations.map((eq: RecordedEquation): TapeEquation => {
    const ins = eq.atoms.map(atom)
    return {
      primitive: eq.prim.name,
      params: eq.params,
      inputs: ins,
      outputs: [mkVar(eq.out, eq.output)],
      prim: eq.prim,
    }
  })
  const tape: Tape = {
    inputs: inputVars,
    equations,
    outputs: outputs.map(atom),
    toString: () => printTape(tape),
  }
  return tape
}

// -------------------------------------------------------------------------------------
// printing
// -------------------------------------------------------------------------------------

/** Variable names like a jaxpr's: a, b, …, z, ba, bb, … */
const varName = (i: number): string => {
  let s = ''
  let n = i
  do {
    s = String.fromCharCode(97 + (n % 26)) + s
    n = Math.floor(n / 26)
  } while (n > 0)
  return s
}

const avalStr = (a: Aval): string => `${shortDType[a.dtype]}${fmtShape(a.shape)}`

const literalStr = (x: NdArray): string => {
  if (x.size === 1 && x.ndim === 0) {
    const v = x.item()
    return typeof v === 'boolean' ? String(v) : Number.isInteger(v) && x.dtype !== 'int32' ? `${v}.0` : String(v)
  }
  return `const:${avalStr(x)}`
}

/** Prints a tape in the jaxpr form: `{ lambda a:f32[3] . let b:f32[3] = sin a in ( b ) }`. */
export const printTape = (tape: Tape): string => {
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
  const atomStr = (a: TapeAtom): string => (a._tag === 'Var' ? name(a) : literalStr(a.value))
  const header = tape.inputs.map((v) => `${name(v)}:${avalStr(v.aval)}`).join(' ')
  const lines = tape.equations.map((eq) => {
    const outs = eq.outputs.map((v) => `${name(v)}:${avalStr(v.aval)}`).join(' ')
    const ins = eq.inputs.map(atomStr).join(' ')
    return `${outs} = ${eq.primitive}${eq.prim.formatParams(eq.params)} ${ins}`
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

/**
 * Validates a tape: single assignment, every variable defined before use, and every
 * equation's output agreeing with its primitive's shape rule. Throws a ShapeError/ValueError.
 */
export const checkTape = (tape: Tape): void => {
  const defined = new Set<number>(tape.inputs.map((v) => v.id))
  const avalOf = (a: TapeAtom): Aval => (a._tag === 'Var' ? a.aval : { shape: a.value.shape, dtype: a.value.dtype })
  tape.equations.forEach((eq, i) => {
    for (const a of eq.inputs) {
      if (a._tag === 'Var' && !defined.has(a.id))
        throw new ValueError(`checkTape: equation ${i} (${eq.primitive}) uses an undefined variable`)
    }
    const expected = eq.prim.shape(eq.inputs.map(avalOf), eq.params)
    for (const o of eq.outputs) {
      if (defined.has(o.id)) throw new ValueError(`checkTape: equation ${i} (${eq.primitive}) assigns a variable twice`)
      defined.add(o.id)
      if (!shapesEqual(o.aval.shape, expected.shape) || o.aval.dtype !== expected.dtype) {
        throw new ShapeError(
          `checkTape: equation ${i} (${eq.primitive}) records ${avalStr(o.aval)} but its shape rule gives ${avalStr(expected)}`,
        )
      }
    }
  })
  for (const a of tape.outputs) {
    if (a._tag === 'Var' && !defined.has(a.id)) throw new ValueError('checkTape: an output is an undefined variable')
  }
}

/** Replays a tape on new inputs through `bind`; the result can be differentiated again. */
export const evalTape = (tape: Tape, ...args: ReadonlyArray<NdArray>): NdArray[] => {
  if (args.length !== tape.inputs.length) {
    throw new ValueError(`evalTape: the tape takes ${tape.inputs.length} inputs, got ${args.length}`)
  }
  const env = new Map<number, NdArray>()
  tape.inputs.forEach((v, i) => {
    const x = args[i] as NdArray
    if (!shapesEqual(x.shape, v.aval.shape) || x.dtype !== v.aval.dtype) {
      throw new ShapeError(`evalTape: input ${i} must be ${avalStr(v.aval)}, got ${avalStr(x)}`)
    }
    env.set(v.id, x)
  })
  const read = (a: TapeAtom): NdArray => (a._tag === 'Var' ? (env.get(a.id) as NdArray) : a.value)
  for (const eq of tape.equations) {
    const out = bind(eq.prim, eq.inputs.map(read), eq.params)
    env.set((eq.outputs[0] as Var).id, out)
  }
  return tape.outputs.map(read)
}
