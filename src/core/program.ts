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
 * each unit's step (a call, or its chunk's source), and instantiate the chunks; the first two are
 * ./programPlan. What may reach the source is set out in ./codegen.
 *
 * @category core
 * @since 0.1.0
 */
import type { NdArray } from '../ndarray/NdArray'
import { numberLiteral, outAval, rounded, substitute } from './codegen'
import { Var, type Equation, type Tape } from './equation'
import { fusedKernel } from './fusion'
import { interpret, type Program } from './interpret'
import { kernelImpl, makeFunction, runSteps, type CallStep, type Chunk, type Step, type Tables } from './programSteps'
import { compileWasmRun } from './wasmFusion'
import { allocateSlots, analyze, planUnits, type Analysis, type Slots, type Unit, type Units } from './programPlan'
import { recyclableSlots, releasePlan, startRun, type ReleasePlan } from './programRecycle'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export type { Program }

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
