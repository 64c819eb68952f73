/**
 * A staged program made runnable: the equations `jit` recorded, compiled once. Equations on
 * arrays call their primitive's `impl` directly (no tracing, no rules, no tape), from a flat plan
 * of steps run by one small loop: generated code would only repeat the same call, and V8 takes
 * seconds to optimise thousands of such calls (an unrolled LSTM step has ~4,600). Runs of
 * element-wise equations become fused loops, each a small function of its own, shared by the
 * runs with the same source (the steps of an unrolled loop), so V8 optimises a handful of loops
 * once. Element-wise equations whose values all have one element — scalar code such as a chain of
 * scalar updates and its gradient — become plain arithmetic on numbers held in a Float64Array
 * register file, with the kernels' own expressions (`scalarExpr`) and float32 rounding, so they
 * give the same bits as the kernels; that code is emitted in chunks of a few hundred statements,
 * which V8 optimises (it does not optimise very large functions). Where `new Function` is not
 * allowed (strict CSP, `node --disallow-code-generation-from-strings`), an interpreter runs the
 * same equations, with no code generation at all.
 *
 * Compiling is four steps: plan the units (fused runs, single equations) and group the scalar
 * ones into chunks, allocate the variables' slots (numbers in registers, arrays in a table), make
 * each unit's step (a call, or its chunk's source), and instantiate the chunks. What may reach the
 * source is set out in ./codegen.
 *
 * @category core
 * @since 0.1.0
 */
import type { DType } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import type { Shape } from '../ndarray/shape'
import { ewiseExpr, numberLiteral, outAval, rounded, substitute } from './codegen'
import { avalOf, countVars, Var, type Equation, type Tape } from './equation'
import { fusedKernel, fusedRuns, fusibleExpr, type FusedRun } from './fusion'
import { interpret, type Program } from './interpret'
import { kernelImpl, makeFunction, runSteps, type CallStep, type Chunk, type Step, type Tables } from './programSteps'
import { compileWasmRun, wasmRuns } from './wasmFusion'
import { gemmUpdateRuns, type GemmUpdateRun } from './gemmFusion'
import { recyclableSlots, releasePlan, startRun, type ReleasePlan } from './programRecycle'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export type { Program }

/** Scalar statements per emitted function: well under V8's limit for optimising a function. */
const CHUNK = 400

// -------------------------------------------------------------------------------------
// compile
// -------------------------------------------------------------------------------------

/**
 * Compiles a program (its variables' ids dense from 0) into a function from the values of its
 * inputs to the values of its outputs. Programs with nothing to compile (no scalar code, no
 * fused run), and every program where code generation is not allowed, are interpreted.
 */
export const compileProgram = (tape: Tape): Program => {
  const analysis = analyze(tape)
  const nothing =
    analysis.forms.every((f) => f === null) &&
    analysis.runs.length + analysis.wasm.length + analysis.updates.length === 0
  if (!canCompile || nothing) return interpret(tape)
  const units = planUnits(tape.equations.length, analysis)
  const slots = allocateSlots(tape, analysis, units)
  const plan = releasePlan(tape, (id) => slots.vSlot[id] as number, units.unitOf)
  const builder = new StepBuilder(tape, analysis, units, slots, plan)
  return instantiate(builder.build(), builder.tables, tape, slots, analysis, plan)
}

/**
 * Per equation: its scalar form and its fusible expression; the fused runs (JavaScript,
 * WebAssembly) and the SGD updates fused into a product's store (./gemmFusion).
 */
interface Analysis {
  readonly forms: ReadonlyArray<string | null>
  readonly fusible: ReadonlyArray<string | null>
  readonly runs: ReadonlyArray<FusedRun>
  readonly wasm: ReadonlyArray<FusedRun>
  readonly updates: ReadonlyArray<GemmUpdateRun>
}

const analyze = (tape: Tape): Analysis => {
  const { equations } = tape
  const updates = gemmUpdateRuns(tape, countVars(tape))
  const taken = new Uint8Array(equations.length)
  for (const r of updates) taken.fill(1, r.first, r.last + 1)
  const forms = equations.map((eq, k) => (taken[k] === 1 ? null : scalarForm(eq)))
  const wasm = wasmRuns(equations, taken)
  for (const r of wasm) taken.fill(1, r.first, r.last + 1)
  const fusible = equations.map((eq, k) => (taken[k] === 1 ? null : fusibleExpr(eq)))
  return { forms, fusible, runs: fusedRuns(equations, fusible), wasm, updates }
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

/** A unit: a fused run (a JavaScript loop, or a WebAssembly one), or one equation (scalar code or a call). */
interface Unit {
  readonly first: number
  readonly last: number
  readonly fused: boolean
  readonly wasm: boolean
  /** Scalar code, emitted into a chunk (the others are calls). */
  readonly code: boolean
  /** A product with its SGD update (one call). */
  readonly update?: GemmUpdateRun
}
interface Units {
  readonly list: ReadonlyArray<Unit>
  /** The unit of each equation. */
  readonly unitOf: Int32Array
  /**
   * The segment of each unit: consecutive scalar units share a chunk (up to CHUNK of them), every
   * other unit is a segment of its own. A number crosses segments through the register file.
   */
  readonly segOf: Int32Array
}

const planUnits = (nEquations: number, a: Analysis): Units => {
  const unitOf = new Int32Array(nEquations)
  const list: Unit[] = []
  const starts = new Map<number, Unit>()
  for (const r of a.runs) starts.set(r.first, { ...r, fused: true, wasm: false, code: false })
  for (const r of a.wasm) starts.set(r.first, { ...r, fused: false, wasm: true, code: false })
  for (const r of a.updates)
    starts.set(r.first, { first: r.first, last: r.last, fused: false, wasm: false, code: false, update: r })
  for (let k = 0; k < nEquations;) {
    const unit = starts.get(k) ?? { first: k, last: k, fused: false, wasm: false, code: a.forms[k] !== null }
    list.push(unit)
    unitOf.fill(list.length - 1, unit.first, unit.last + 1)
    k = unit.last + 1
  }
  const segOf = new Int32Array(list.length)
  let seg = -1
  let inChunk = 0
  list.forEach((unit, u) => {
    const joins = unit.code && u > 0 && (list[u - 1] as Unit).code && inChunk < CHUNK
    if (!joins) {
      seg++
      inChunk = 0
    }
    inChunk++
    segOf[u] = seg
  })
  return { list, unitOf, segOf }
}

// -------------------------------------------------------------------------------------
// step 2: allocate slots
// -------------------------------------------------------------------------------------

/**
 * Where each variable lives. A variable's number lives in a local of the chunk that defines it
 * (a register for V8), and also in the register file R when another segment uses it; a variable
 * used as an array has a slot in the table V.
 */
interface Slots {
  readonly nR: number
  readonly nV: number
  readonly rSlot: Int32Array
  readonly vSlot: Int32Array
  /** The segment defining each variable (inputs: −1). */
  readonly defSeg: Int32Array
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
  const defSeg = defUnit.map((u) => (u < 0 ? -1 : (units.segOf[u] as number)))
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
        if (defSeg[x.id] !== units.segOf[u]) usedElsewhere[x.id] = 1
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
  return { nR, nV, rSlot, vSlot, defSeg, scalarDef, usedAsScalar, usedOutside }
}

// -------------------------------------------------------------------------------------
// step 3: build steps
// -------------------------------------------------------------------------------------

/** Makes each unit's step: calls, and the source of each chunk of scalar code. */
class StepBuilder {
  readonly tables: Tables = { consts: [], shapes: [] }
  private readonly steps: Array<Step | { readonly lines: string[] }> = []
  private point = 0

  constructor(
    private readonly tape: Tape,
    private readonly analysis: Analysis,
    private readonly units: Units,
    private readonly slots: Slots,
    private readonly plan: ReleasePlan,
  ) {}

  /** Every step, chunks still as source lines. */
  build(): ReadonlyArray<Step | { readonly lines: ReadonlyArray<string> }> {
    this.units.list.forEach((unit, u) => {
      const release = this.plan.units[this.point] === u ? this.point++ : -1
      if (unit.code) {
        const last = this.steps[this.steps.length - 1]
        const same = u > 0 && this.units.segOf[u - 1] === this.units.segOf[u] && last !== undefined && 'lines' in last
        const lines = same ? last.lines : []
        if (!same) this.steps.push({ lines })
        this.emitScalar(lines, unit.first)
        // the values this unit read last: their slots are cleared and dead buffers given back
        if (release >= 0) lines.push(`K(V, ${release});`)
      } else if (unit.fused) this.steps.push(this.fusedStep(unit, release))
      else if (unit.wasm) this.wasmSteps(unit, release)
      else if (unit.update !== undefined) {
        const { impl, inputs, output } = unit.update
        this.steps.push(this.call(impl, null, false, inputs, [output], release))
      } else this.steps.push(this.callStep(this.tape.equations[unit.first] as Equation, release))
    })
    return this.steps
  }

  private V(v: number): string {
    return `V[${this.slots.vSlot[v] as number}]`
  }

  /** The number of v as segment s reads it. */
  private num(v: number, s: number): string {
    return this.slots.defSeg[v] === s ? `s${v}` : `R[${this.slots.rSlot[v] as number}]`
  }

  private constant(c: NdArray): string {
    this.tables.consts.push(c)
    return `C[${this.tables.consts.length - 1}]`
  }

  /** A one-element constant's number: a literal when it holds a number, else read from its table slot. */
  private scalarConstant(c: NdArray): string {
    const lit = numberLiteral(c._data[0])
    return lit === null ? `(+${this.constant(c)}._data[0])` : `(${lit})`
  }

  /** A scalar equation: arithmetic on numbers, stored for other segments and boxed when used as an array. */
  private emitScalar(lines: string[], k: number): void {
    const eq = this.tape.equations[k] as Equation
    const seg = this.units.segOf[this.units.unitOf[k] as number] as number
    const out = (eq.outvars[0] as Var).id
    const { shape, dtype } = outAval(eq)
    const ops = eq.invars.map((a) => (a instanceof Var ? this.num(a.id, seg) : this.scalarConstant(a)))
    lines.push(`const s${out} = ${rounded(dtype, substitute(this.analysis.forms[k] as string, ops))};`)
    const r = this.slots.rSlot[out] as number
    if (r >= 0) lines.push(`R[${r}] = s${out};`)
    if ((this.slots.vSlot[out] as number) >= 0) {
      this.tables.shapes.push(shape)
      const box = dtype === 'float32' ? 'B32' : 'B64'
      lines.push(`${this.V(out)} = ${box}(s${out}, S[${this.tables.shapes.length - 1}]);`)
    }
  }

  /** A call of `impl` over `ins`, its results into `outs`. */
  private call(
    impl: CallStep['impl'],
    params: unknown,
    multi: boolean,
    ins: ReadonlyArray<Equation['invars'][number]>,
    outs: ReadonlyArray<Var>,
    release: number,
  ): CallStep {
    const { vSlot, rSlot, usedAsScalar } = this.slots
    return {
      impl,
      params,
      multi,
      slots: Int32Array.from(ins, (a) => (a instanceof Var ? (vSlot[a.id] as number) : -1)),
      consts: ins.map((a) => (a instanceof Var ? undefined : a)),
      outs: Int32Array.from(outs, (v) => vSlot[v.id] as number),
      regs: Int32Array.from(outs, (v) => (usedAsScalar[v.id] === 1 ? (rSlot[v.id] as number) : -1)),
      numbers: null,
      release,
    }
  }

  private callStep(eq: Equation, release: number): CallStep {
    const multi = eq.primitive.multipleResults === true
    return this.call(eq.primitive.impl as CallStep['impl'], eq.params, multi, eq.invars, eq.outvars, release)
  }

  /** A fused JavaScript run: a call of its kernel (shared with the runs of the same source). */
  private fusedStep(unit: Unit, release: number): CallStep {
    const { equations } = this.tape
    const isNumber = (v: number): boolean => this.slots.scalarDef[v] === 1
    const k = fusedKernel(equations, unit, this.analysis.fusible, isNumber, this.slots.usedOutside)
    const shapes = k.outputs.map((v) => v.aval.shape)
    const step = this.call(kernelImpl(k.source, shapes), null, true, k.arrays, k.outputs, release)
    return { ...step, numbers: Int32Array.from(k.numbers, (v) => this.slots.rSlot[v.id] as number) }
  }

  /** A WebAssembly fused run: one call of its compiled loop; its equations one by one if it cannot be compiled. */
  private wasmSteps(unit: Unit, release: number): void {
    const w = compileWasmRun(this.tape.equations, unit, (v) => this.slots.usedOutside[v.id] === 1)
    if (w !== null) {
      this.steps.push(this.call((ins) => w.impl(ins), null, true, w.inputs, w.outputs, release))
      return
    }
    for (let k = unit.first; k <= unit.last; k++)
      this.steps.push(this.callStep(this.tape.equations[k] as Equation, k === unit.last ? release : -1))
  }
}

// -------------------------------------------------------------------------------------
// step 4: instantiate
// -------------------------------------------------------------------------------------

const instantiate = (
  built: ReadonlyArray<Step | { readonly lines: ReadonlyArray<string> }>,
  tables: Tables,
  tape: Tape,
  slots: Slots,
  analysis: Analysis,
  plan: ReleasePlan,
): Program => {
  const steps: Step[] = built.map((s) =>
    'lines' in s ? { chunk: makeFunction('chunk', 'R, V, C, S, H, K', s.lines.join('\n')) as Chunk } : s,
  )
  const outs = tape.outputs.map((o) => (o instanceof Var ? (slots.vSlot[o.id] as number) : o))
  const ins = tape.inputs.map((x) => ({ v: slots.vSlot[x.id] as number, r: slots.rSlot[x.id] as number }))
  // NOTE: one register file and array table per program, reused by its calls; a call that
  // re-enters the same program (a primitive's impl calling the jitted function) gets fresh ones.
  let busy = false
  const dead = recyclableSlots(tape, (id) => slots.vSlot[id] as number)
  const regs = new Float64Array(slots.nR)
  const table = new Array<NdArray | undefined>(slots.nV)
  return {
    size: tape.equations.length,
    scalar: analysis.forms.filter((f) => f !== null).length,
    fused: [...analysis.runs, ...analysis.wasm, ...analysis.updates].reduce((n, r) => n + r.last - r.first + 1, 0),
    run(inputs) {
      const reentrant = busy
      const r = reentrant ? new Float64Array(slots.nR) : regs
      const t = reentrant ? new Array<NdArray | undefined>(slots.nV) : table
      busy = true
      const record = startRun(dead, plan)
      try {
        ins.forEach((x, i) => {
          const value = inputs[i] as NdArray
          if (x.v >= 0) t[x.v] = value
          if (x.r >= 0) r[x.r] = value._data[0] as number
        })
        runSteps(steps, tables, r, t, record.release)
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
