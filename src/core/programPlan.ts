/**
 * The planning half of compiling a program (./program): the analysis of its equations (scalar
 * forms, fusible expressions, fused runs), step 1 (plan the units and group the scalar ones into
 * chunks) and step 2 (allocate each variable's slots).
 *
 * @category core
 * @since 0.7.0
 */
import type { DType } from '../ndarray/dtype'
import type { Shape } from '../ndarray/shape'
import { ewiseExpr, outAval } from './codegen'
import { avalOf, countVars, Var, type Equation, type Tape } from './equation'
import { fusedRuns, fusibleExpr, type FusedRun } from './fusion'
import { wasmRuns } from './wasmFusion'
import { gemmUpdateRuns, type GemmUpdateRun } from './gemmFusion'

/** Scalar statements per emitted function: well under V8's limit for optimising a function. */
const CHUNK = 400

/**
 * Per equation: its scalar form and its fusible expression; the fused runs (JavaScript,
 * WebAssembly) and the SGD updates fused into a product's store (./gemmFusion).
 */
export interface Analysis {
  readonly forms: ReadonlyArray<string | null>
  readonly fusible: ReadonlyArray<string | null>
  readonly runs: ReadonlyArray<FusedRun>
  readonly wasm: ReadonlyArray<FusedRun>
  readonly updates: ReadonlyArray<GemmUpdateRun>
}

export const analyze = (tape: Tape): Analysis => {
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
export interface Unit {
  readonly first: number
  readonly last: number
  readonly fused: boolean
  readonly wasm: boolean
  /** Scalar code, emitted into a chunk (the others are calls). */
  readonly code: boolean
  /** A product with its SGD update (one call). */
  readonly update?: GemmUpdateRun
}
export interface Units {
  readonly list: ReadonlyArray<Unit>
  /** The unit of each equation. */
  readonly unitOf: Int32Array
  /**
   * The segment of each unit: consecutive scalar units share a chunk (up to CHUNK of them), every
   * other unit is a segment of its own. A number crosses segments through the register file.
   */
  readonly segOf: Int32Array
}

export const planUnits = (nEquations: number, a: Analysis): Units => {
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
export interface Slots {
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

export const allocateSlots = (tape: Tape, a: Analysis, units: Units): Slots => {
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
