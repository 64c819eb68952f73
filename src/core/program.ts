/**
 * A staged program made runnable: the equations `jit` recorded, compiled once into JavaScript.
 * Equations on arrays call their primitive's `impl` directly (no tracing, no rules, no tape).
 * Element-wise equations whose values all have one element — scalar code such as a chain of
 * scalar updates and its gradient — become plain arithmetic on numbers held in a Float64Array
 * register file, with the kernels' own expressions (`scalarExpr`) and float32 rounding, so they
 * give the same bits as the kernels. The code is emitted in chunks of a few hundred statements,
 * which V8 optimises (it does not optimise very large functions). Where `new Function` is not
 * allowed (strict CSP, `node --disallow-code-generation-from-strings`), an interpreter runs the
 * same equations, with no code generation at all.
 *
 * Compiling is four steps: plan the units of code (fused runs, single equations), allocate the
 * variables' slots (numbers in registers, arrays in a table), emit each unit's source, and
 * instantiate the chunks. What may reach the source is set out in ./codegen.
 *
 * @category core
 * @since 0.1.0
 */
import { scalarHelpers } from '../ndarray/kernels/expressions'
import type { DType } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import type { Shape } from '../ndarray/shape'
import { ewiseExpr, numberLiteral, outAval, rounded, substitute, type Emit } from './codegen'
import { avalOf, countVars, Var, type Equation, type Tape } from './equation'
import { fusedLoop, fusedRuns, fusibleExpr, type FusedRun } from './fusion'
import { interpret, type Program } from './interpret'
import { compileWasmRun, wasmRuns } from './wasmFusion'
import { recyclableSlots, releasePlan, startRun, type ReleasePlan, type RunRecord } from './programRecycle'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export type { Program }

/** Statements per emitted function: well under V8's limit for optimising a function. */
const CHUNK = 400

type Impl = (inputs: ReadonlyArray<NdArray>, params: unknown) => NdArray | ReadonlyArray<NdArray>
/** The tables a chunk reads at run time: everything but fixed text and numbers reaches code through them. */
interface Tables {
  readonly impls: Impl[]
  readonly params: unknown[]
  readonly consts: NdArray[]
  readonly shapes: Shape[]
}
type Chunk = (
  I: ReadonlyArray<NdArray>,
  R: Float64Array,
  V: Array<NdArray | undefined>,
  P: ReadonlyArray<Impl>,
  Q: ReadonlyArray<unknown>,
  C: ReadonlyArray<NdArray>,
  S: ReadonlyArray<Shape>,
  H: Readonly<Record<string, (x: number) => number>>,
  K: RunRecord['release'],
) => void

const box32 = (x: number, shape: Shape): NdArray => new NdArray(shape, 'float32', Float32Array.of(x))
const box64 = (x: number, shape: Shape): NdArray => new NdArray(shape, 'float64', Float64Array.of(x))
const ndarray = (shape: Shape, dtype: DType, data: Float32Array | Float64Array): NdArray =>
  new NdArray(shape, dtype, data)

// -------------------------------------------------------------------------------------
// compile
// -------------------------------------------------------------------------------------

/**
 * Compiles a program (its variables' ids dense from 0) into a function from the values of its
 * inputs to the values of its outputs. Programs with nothing to compile (no scalar code, no
 * fused run), and every program where code generation is not allowed, are interpreted.
 */
export const compileProgram = (tape: Tape): Program => {
  const analysis = analyze(tape.equations)
  const nothing = analysis.forms.every((f) => f === null) && analysis.runs.length === 0 && analysis.wasm.length === 0
  if (!canCompile || nothing) return interpret(tape)
  const units = planUnits(tape.equations.length, analysis.runs, analysis.wasm)
  const slots = allocateSlots(tape, analysis, units)
  const plan = releasePlan(tape, (id) => slots.vSlot[id] as number, units.unitOf)
  const emitter = new Emitter(tape, analysis, units, slots, plan)
  return instantiate(emitter.emit(), emitter.tables, tape, slots, analysis, plan)
}

/** Per equation: its scalar form and its fusible expression; the fused runs (JavaScript, WebAssembly). */
interface Analysis {
  readonly forms: ReadonlyArray<string | null>
  readonly fusible: ReadonlyArray<string | null>
  readonly runs: ReadonlyArray<FusedRun>
  readonly wasm: ReadonlyArray<FusedRun>
}

const analyze = (equations: ReadonlyArray<Equation>): Analysis => {
  const forms = equations.map(scalarForm)
  const wasm = wasmRuns(equations)
  const inWasm = new Uint8Array(equations.length)
  for (const r of wasm) inWasm.fill(1, r.first, r.last + 1)
  const fusible = equations.map((eq, k) => (inWasm[k] === 1 ? null : fusibleExpr(eq)))
  return { forms, fusible, runs: fusedRuns(equations, fusible), wasm }
}

const isScalarFloat = (shape: Shape, dtype: DType, want: DType): boolean =>
  dtype === want && (want === 'float32' || want === 'float64') && shape.every((d) => d === 1)

/** The expression of a scalar equation (every value one float element), or null when it is not one. */
const scalarForm = (eq: Equation): string | null => {
  if (eq.outvars.length !== 1) return null
  const { shape, dtype } = outAval(eq)
  if (!isScalarFloat(shape, dtype, dtype)) return null
  for (const a of eq.invars) {
    const aval = avalOf(a)
    if (!isScalarFloat(aval.shape, aval.dtype, dtype)) return null
  }
  return ewiseExpr(eq, dtype)
}

// -------------------------------------------------------------------------------------
// step 1: plan units
// -------------------------------------------------------------------------------------

/** A unit of code: a fused run (a JavaScript loop, or a WebAssembly one), or one equation. */
interface Unit {
  readonly first: number
  readonly last: number
  readonly fused: boolean
  readonly wasm: boolean
}
interface Units {
  readonly list: ReadonlyArray<Unit>
  /** The unit of each equation. */
  readonly unitOf: Int32Array
}

const planUnits = (nEquations: number, js: ReadonlyArray<FusedRun>, wasm: ReadonlyArray<FusedRun>): Units => {
  const unitOf = new Int32Array(nEquations)
  const list: Unit[] = []
  const starts = new Map<number, Unit>()
  for (const r of js) starts.set(r.first, { ...r, fused: true, wasm: false })
  for (const r of wasm) starts.set(r.first, { ...r, fused: false, wasm: true })
  for (let k = 0; k < nEquations;) {
    const unit = starts.get(k) ?? { first: k, last: k, fused: false, wasm: false }
    list.push(unit)
    unitOf.fill(list.length - 1, unit.first, unit.last + 1)
    k = unit.last + 1
  }
  return { list, unitOf }
}

const chunkOf = (u: number): number => Math.floor(u / CHUNK)

// -------------------------------------------------------------------------------------
// step 2: allocate slots
// -------------------------------------------------------------------------------------

/**
 * Where each variable lives. Units are emitted in chunks; a variable's number lives in a local
 * of the chunk that defines it (a register for V8), and also in the register file R when another
 * chunk uses it; a variable used as an array has a slot in the table V.
 */
interface Slots {
  readonly nR: number
  readonly nV: number
  readonly rSlot: Int32Array
  readonly vSlot: Int32Array
  /** The chunk defining each variable (inputs: chunk 0). */
  readonly defChunk: Int32Array
  /** Computed by scalar code (held as a number). */
  readonly scalarDef: Uint8Array
  readonly usedAsScalar: Uint8Array
  /** Used outside its unit (fused results that must be stored). */
  readonly usedOutside: Uint8Array
}

const allocateSlots = (tape: Tape, a: Analysis, units: Units): Slots => {
  const nVars = countVars(tape)
  const defUnit = new Int32Array(nVars).fill(-1)
  tape.equations.forEach((eq, k) => eq.outvars.forEach((v) => (defUnit[v.id] = units.unitOf[k] as number)))
  const defChunk = defUnit.map((u) => chunkOf(Math.max(0, u)))
  const scalarDef = new Uint8Array(nVars)
  const usedAsScalar = new Uint8Array(nVars)
  const usedAsArray = new Uint8Array(nVars)
  const usedElsewhere = new Uint8Array(nVars)
  const usedOutside = new Uint8Array(nVars)
  tape.equations.forEach((eq, k) => {
    const scalar = a.forms[k] !== null
    const u = units.unitOf[k] as number
    const fused = (units.list[u] as Unit).fused
    if (scalar) scalarDef[(eq.outvars[0] as Var).id] = 1
    for (const x of eq.invars) {
      if (!(x instanceof Var)) continue
      if (defUnit[x.id] !== u) usedOutside[x.id] = 1
      // scalar code reads numbers; inside a run a one-element value is read as a number if it is one
      if (scalar || (fused && scalarDef[x.id] === 1)) {
        usedAsScalar[x.id] = 1
        if (defChunk[x.id] !== chunkOf(u)) usedElsewhere[x.id] = 1
      } else usedAsArray[x.id] = 1
    }
  })
  for (const o of tape.outputs) {
    if (!(o instanceof Var)) continue
    usedAsArray[o.id] = 1
    usedOutside[o.id] = 1
  }
  const rSlot = new Int32Array(nVars).fill(-1)
  const vSlot = new Int32Array(nVars).fill(-1)
  let nR = 0
  let nV = 0
  for (let v = 0; v < nVars; v++) {
    if (usedElsewhere[v] === 1) rSlot[v] = nR++
    if (scalarDef[v] === 0 || usedAsArray[v] === 1) vSlot[v] = nV++
  }
  return { nR, nV, rSlot, vSlot, defChunk, scalarDef, usedAsScalar, usedOutside }
}

// -------------------------------------------------------------------------------------
// step 3: emit
// -------------------------------------------------------------------------------------

/** Emits the source of every unit into its chunk, collecting the tables the code reads. */
class Emitter {
  readonly tables: Tables = { impls: [], params: [], consts: [], shapes: [] }
  private readonly bodies: string[][]

  constructor(
    private readonly tape: Tape,
    private readonly analysis: Analysis,
    private readonly units: Units,
    private readonly slots: Slots,
    private readonly plan: ReleasePlan,
  ) {
    this.bodies = Array.from({ length: Math.max(1, chunkOf(units.list.length - 1) + 1) }, () => [])
  }

  /** The source lines of every chunk. */
  emit(): ReadonlyArray<ReadonlyArray<string>> {
    this.emitInputs()
    let point = 0
    this.units.list.forEach((unit, u) => {
      const lines = this.bodies[chunkOf(u)] as string[]
      if (unit.fused) lines.push(fusedLoop(this.tape.equations, unit, this.analysis.fusible, this.view(chunkOf(u))))
      else if (unit.wasm) this.emitWasmRun(lines, unit, chunkOf(u))
      else this.emitEquation(lines, unit.first, chunkOf(u))
      // the values this unit read last: their slots are cleared and dead buffers given back
      if (this.plan.units[point] === u) lines.push(`K(V, ${point++});`)
    })
    return this.bodies
  }

  private V(v: number): string {
    return `V[${this.slots.vSlot[v] as number}]`
  }

  /** The number of v as chunk c reads it. */
  private num(v: number, c: number): string {
    return this.slots.defChunk[v] === c ? `s${v}` : `R[${this.slots.rSlot[v] as number}]`
  }

  /** Defines v's number in its chunk (from `expr`), and stores it for other chunks. */
  private defineNum(lines: string[], v: number, expr: string): void {
    lines.push(`const s${v} = ${expr};`)
    if ((this.slots.rSlot[v] as number) >= 0) lines.push(`R[${this.slots.rSlot[v] as number}] = s${v};`)
  }

  private constant(c: NdArray): string {
    this.tables.consts.push(c)
    return `C[${this.tables.consts.length - 1}]`
  }

  private shape(sh: Shape): string {
    this.tables.shapes.push(sh)
    return `S[${this.tables.shapes.length - 1}]`
  }

  /** A one-element constant's number: a literal when it holds a number, else read from its table slot. */
  private scalarConstant(c: NdArray): string {
    const lit = numberLiteral(c._data[0])
    return lit === null ? `(+${this.constant(c)}._data[0])` : `(${lit})`
  }

  /** What the fused-loop emitter sees of this program, from chunk c. */
  private view(c: number): Emit {
    return {
      V: (v) => this.V(v),
      num: (v) => this.num(v, c),
      constant: (x) => this.constant(x),
      shape: (s) => this.shape(s),
      scalarConstant: (x) => this.scalarConstant(x),
      usedOutside: this.slots.usedOutside,
      isNumber: (v) => this.slots.scalarDef[v] === 1,
    }
  }

  private emitInputs(): void {
    const first = this.bodies[0] as string[]
    this.tape.inputs.forEach((x, i) => {
      if ((this.slots.vSlot[x.id] as number) >= 0) first.push(`${this.V(x.id)} = I[${i}];`)
      if (this.slots.usedAsScalar[x.id] === 1) this.defineNum(first, x.id, `I[${i}]._data[0]`)
    })
  }

  /**
   * A WebAssembly fused run: one call of its compiled loop (through the impl table, like a
   * primitive with several results); its equations one by one if the loop cannot be compiled.
   */
  private emitWasmRun(lines: string[], unit: Unit, c: number): void {
    const w = compileWasmRun(this.tape.equations, unit, (v) => this.slots.usedOutside[v.id] === 1)
    if (w === null) {
      for (let k = unit.first; k <= unit.last; k++) this.emitEquation(lines, k, c)
      return
    }
    const { impls, params } = this.tables
    impls.push((ins) => w.impl(ins))
    params.push(null)
    const args = w.inputs.map((a) => (a instanceof Var ? this.V(a.id) : this.constant(a))).join(', ')
    lines.push(`{ const T = P[${impls.length - 1}]([${args}], Q[${impls.length - 1}]);`)
    w.outputs.forEach((v, i) => lines.push(`${this.V(v.id)} = T[${i}];`))
    lines.push('}')
  }

  /** One equation outside any run: scalar arithmetic, or a call of its primitive's impl. */
  private emitEquation(lines: string[], k: number, c: number): void {
    const eq = this.tape.equations[k] as Equation
    const form = this.analysis.forms[k]
    if (form !== null && form !== undefined) {
      const out = (eq.outvars[0] as Var).id
      const { shape, dtype } = outAval(eq)
      const ops = eq.invars.map((a) => (a instanceof Var ? this.num(a.id, c) : this.scalarConstant(a)))
      this.defineNum(lines, out, rounded(dtype, substitute(form, ops)))
      if ((this.slots.vSlot[out] as number) >= 0)
        lines.push(`${this.V(out)} = ${dtype === 'float32' ? 'B32' : 'B64'}(s${out}, ${this.shape(shape)});`)
      return
    }
    const { impls, params } = this.tables
    impls.push(eq.primitive.impl)
    params.push(eq.params)
    const args = eq.invars.map((a) => (a instanceof Var ? this.V(a.id) : this.constant(a))).join(', ')
    const call = `P[${impls.length - 1}]([${args}], Q[${impls.length - 1}])`
    if (eq.primitive.multipleResults === true) {
      lines.push(`{ const T = ${call};`, ...eq.outvars.map((v, i) => `${this.V(v.id)} = T[${i}];`), '}')
    } else lines.push(`${this.V((eq.outvars[0] as Var).id)} = ${call};`)
    for (const v of eq.outvars)
      if (this.slots.usedAsScalar[v.id] === 1) this.defineNum(lines, v.id, `${this.V(v.id)}._data[0]`)
  }
}

// -------------------------------------------------------------------------------------
// step 4: instantiate
// -------------------------------------------------------------------------------------

/**
 * One chunk's function. Math functions and helpers are hoisted into locals: less bytecode per
 * statement, which V8 runs and optimises sooner.
 */
const chunkFunction = (lines: ReadonlyArray<string>): Chunk => {
  const body = lines
    .join('\n')
    .replace(/\b(Math|H)\.(\w+)/g, (_, ns: string, name: string) => `${ns === 'H' ? 'H_' : 'M_'}${name}`)
  const hoisted = [...new Set(body.match(/\b[MH]_\w+/g) ?? [])].map(
    (local) => `const ${local} = ${local[0] === 'M' ? 'Math' : 'H'}.${local.slice(2)};`,
  )
  return new Function(
    'B32',
    'B64',
    'NDA',
    `return function chunk(I, R, V, P, Q, C, S, H, K) {\n${hoisted.join(' ')}\n${body}\n}`,
  )(box32, box64, ndarray) as Chunk
}

const instantiate = (
  bodies: ReadonlyArray<ReadonlyArray<string>>,
  tables: Tables,
  tape: Tape,
  slots: Slots,
  analysis: Analysis,
  plan: ReleasePlan,
): Program => {
  const chunks = bodies.map(chunkFunction)
  const outs = tape.outputs.map((o) => (o instanceof Var ? (slots.vSlot[o.id] as number) : o))
  const { impls, params, consts, shapes } = tables
  // NOTE: one register file and array table per program, reused by its calls; a call that
  // re-enters the same program (a primitive's impl calling the jitted function) gets fresh ones.
  let busy = false
  const dead = recyclableSlots(tape, (id) => slots.vSlot[id] as number)
  const regs = new Float64Array(slots.nR)
  const table = new Array<NdArray | undefined>(slots.nV)
  return {
    size: tape.equations.length,
    scalar: analysis.forms.filter((f) => f !== null).length,
    fused: [...analysis.runs, ...analysis.wasm].reduce((n, r) => n + r.last - r.first + 1, 0),
    run(inputs) {
      const reentrant = busy
      const r = reentrant ? new Float64Array(slots.nR) : regs
      const t = reentrant ? new Array<NdArray | undefined>(slots.nV) : table
      busy = true
      const record = startRun(dead, plan)
      try {
        for (const c of chunks) c(inputs, r, t, impls, params, consts, shapes, scalarHelpers, record.release)
        const result = outs.map((s) => (typeof s === 'number' ? (t[s] as NdArray) : s))
        record.finish(t, result)
        return result
      } catch (e) {
        record.abandon()
        throw e
      } finally {
        if (!reentrant) {
          busy = false
          t.fill(undefined)
        }
      }
    },
  }
}

/** Whether code generation is allowed here (it is not under a strict CSP or `--disallow-code-generation-from-strings`). */
let canCompile = true
try {
  canCompile = new Function('return 1')() === 1
} catch {
  canCompile = false
}

/** Whether `jit` compiles programs to JavaScript here (false: it interprets them). */
export const compiles = (): boolean => canCompile
