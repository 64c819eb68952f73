/**
 * A staged program made runnable: the equations `jit` recorded, compiled once into JavaScript.
 * Equations on arrays call their primitive's `impl` directly (no tracing, no rules, no tape).
 * Element-wise equations whose values all have one element — scalar code such as a chain of
 * scalar updates and its gradient — become plain arithmetic on numbers held in a Float64Array
 * register file, with the kernels' own expressions (`scalarExpr`) and float32 rounding, so they
 * give the same bits as the kernels. The code is emitted in chunks of a few hundred statements,
 * which V8 optimises (it does not optimise very large functions). Where `new Function` is not
 * allowed (strict CSP), an interpreter runs the same equations.
 *
 * @category core
 * @since 0.1.0
 */
import { scalarExpr, scalarHelpers } from '../ndarray/kernels/expressions'
import type { DType } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import type { Shape } from '../ndarray/shape'
import { fusedRuns, fusibleExpr } from './fusion'
import type { StagedAtom, StagedEquation } from './staging'

/** A compiled program: inputs in, the values of its output variables out. */
export interface Program {
  run(inputs: ReadonlyArray<NdArray>): NdArray[]
  /** Number of equations; how many run as scalar arithmetic, and how many in fused loops. */
  readonly size: number
  readonly scalar: number
  readonly fused: number
}

interface Aval {
  readonly shape: Shape
  readonly dtype: DType
}

/** Statements per emitted function: well under V8's limit for optimising a function. */
const CHUNK = 400

type Impl = (inputs: ReadonlyArray<NdArray>, params: unknown) => NdArray
type Chunk = (
  I: ReadonlyArray<NdArray>,
  R: Float64Array,
  V: Array<NdArray | undefined>,
  P: ReadonlyArray<Impl>,
  Q: ReadonlyArray<unknown>,
  C: ReadonlyArray<NdArray>,
  S: ReadonlyArray<Shape>,
  H: Readonly<Record<string, (x: number) => number>>,
) => void

const box32 = (x: number, shape: Shape): NdArray => new NdArray(shape, 'float32', Float32Array.of(x))
const ndarray = (shape: Shape, dtype: DType, data: Float32Array | Float64Array): NdArray =>
  new NdArray(shape, dtype, data)
const box64 = (x: number, shape: Shape): NdArray => new NdArray(shape, 'float64', Float64Array.of(x))

/** A JS literal that reads back as exactly `x`. */
const literal = (x: number): string =>
  Number.isNaN(x)
    ? 'NaN'
    : x === Infinity
      ? 'Infinity'
      : x === -Infinity
        ? '-Infinity'
        : Object.is(x, -0)
          ? '-0'
          : String(x)

const isScalarFloat = (a: Aval, dtype: DType): boolean =>
  a.dtype === dtype && (dtype === 'float32' || dtype === 'float64') && a.shape.every((d) => d === 1)

/** The expression of a scalar equation, or null when it is not one. */
const scalarForm = (eq: StagedEquation, avals: ReadonlyArray<Aval>): string | null => {
  const ew = eq.prim.ewise
  if (ew === undefined || !isScalarFloat(eq, eq.dtype)) return null
  for (const a of eq.atoms) {
    const aval = typeof a === 'number' ? avals[a] : a
    if (aval === undefined || !isScalarFloat(aval, eq.dtype)) return null
  }
  return scalarExpr(ew.kind, ew.op, eq.dtype)
}

/**
 * Compiles `equations` over variables with `avals` (the first `nInputs` are the inputs) into a
 * program returning the values of `outputs` (variables).
 */
export const compileProgram = (
  equations: ReadonlyArray<StagedEquation>,
  avals: ReadonlyArray<Aval>,
  nInputs: number,
  outputs: ReadonlyArray<number>,
): Program => {
  const forms = equations.map((eq) => scalarForm(eq, avals))
  const fusible = equations.map((eq) => fusibleExpr(eq, avals))
  const runs = fusedRuns(equations, fusible)
  if ((forms.every((f) => f === null) && runs.length === 0) || !canCompile)
    return interpreter(equations, avals.length, nInputs, outputs)
  const nVars = avals.length
  // the units of code: a fused run, or one equation
  const unitOf = new Int32Array(equations.length)
  const units: Array<{ readonly first: number; readonly last: number; readonly fused: boolean }> = []
  for (let k = 0, r = 0; k < equations.length;) {
    const run = runs[r]
    if (run !== undefined && run.first === k) {
      units.push({ ...run, fused: true })
      r++
    } else units.push({ first: k, last: k, fused: false })
    const u = units[units.length - 1] as { first: number; last: number }
    for (let j = u.first; j <= u.last; j++) unitOf[j] = units.length - 1
    k = u.last + 1
  }
  const fusedIn = (k: number): boolean => (units[unitOf[k] as number] as { fused: boolean }).fused
  // Units are emitted in chunks; a variable's number lives in a local of the chunk that
  // defines it (a register for V8), and also in the register file R when another chunk uses it.
  const chunkOf = (u: number): number => Math.floor(u / CHUNK)
  const defUnit = new Int32Array(nVars).fill(-1) // inputs: -1, emitted in chunk 0
  equations.forEach((eq, k) => {
    defUnit[eq.out] = unitOf[k] as number
  })
  const defChunk = (v: number): number => chunkOf(Math.max(0, defUnit[v] as number))
  // which variables live as numbers (R) and which as arrays (V); some as both
  const scalarDef = new Uint8Array(nVars)
  const usedAsScalar = new Uint8Array(nVars)
  const usedAsArray = new Uint8Array(nVars)
  const usedElsewhere = new Uint8Array(nVars)
  /** Used after its run (or outside any run): fused results that must be stored. */
  const usedOutside = new Uint8Array(nVars)
  equations.forEach((eq, k) => {
    const scalar = forms[k] !== null
    const u = unitOf[k] as number
    if (scalar) scalarDef[eq.out] = 1
    for (const a of eq.atoms) {
      if (typeof a !== 'number') continue
      if (defUnit[a] !== u) usedOutside[a] = 1
      // scalar code reads numbers; inside a run a one-element value is read as a number if it is one
      if (scalar || (fusedIn(k) && scalarDef[a] === 1)) {
        usedAsScalar[a] = 1
        if (defChunk(a) !== chunkOf(u)) usedElsewhere[a] = 1
      } else usedAsArray[a] = 1
    }
  })
  for (const v of outputs) {
    usedAsArray[v] = 1
    usedOutside[v] = 1
  }
  const rSlot = new Int32Array(nVars).fill(-1)
  const vSlot = new Int32Array(nVars).fill(-1)
  let nR = 0
  let nV = 0
  for (let v = 0; v < nVars; v++) {
    if (usedElsewhere[v] === 1) rSlot[v] = nR++
    if (scalarDef[v] === 0 || usedAsArray[v] === 1) vSlot[v] = nV++
  }
  const impls: Impl[] = []
  const params: unknown[] = []
  const consts: NdArray[] = []
  const shapes: Shape[] = []
  const bodies: string[][] = Array.from({ length: Math.max(1, chunkOf(units.length - 1) + 1) }, () => [])
  const V = (v: number): string => `V[${vSlot[v]}]`
  const constant = (c: NdArray): string => {
    consts.push(c)
    return `C[${consts.length - 1}]`
  }
  const shape = (sh: Shape): string => {
    shapes.push(sh)
    return `S[${shapes.length - 1}]`
  }
  /** The number of v as chunk c reads it. */
  const num = (v: number, c: number): string => (defChunk(v) === c ? `s${v}` : `R[${rSlot[v]}]`)
  /** Defines v's number in its chunk (from `expr`), and stores it for other chunks. */
  const defineNum = (lines: string[], v: number, expr: string): void => {
    lines.push(`const s${v} = ${expr};`)
    if ((rSlot[v] as number) >= 0) lines.push(`R[${rSlot[v]}] = s${v};`)
  }
  const rounded = (dtype: DType, expr: string): string => (dtype === 'float32' ? `Math.fround(${expr})` : `(${expr})`)
  const substitute = (form: string, ops: ReadonlyArray<string>): string =>
    form.replace(/\b[ab]\b/g, (m) => (m === 'a' ? (ops[0] as string) : (ops[1] as string)))
  const first = bodies[0] as string[]
  for (let v = 0; v < nInputs; v++) {
    if ((vSlot[v] as number) >= 0) first.push(`${V(v)} = I[${v}];`)
    if (usedAsScalar[v] === 1) defineNum(first, v, `I[${v}]._data[0]`)
  }
  units.forEach((unit, u) => {
    const c = chunkOf(u)
    const lines = bodies[c] as string[]
    if (unit.fused) {
      lines.push(
        fusedLoop(equations, unit.first, unit.last, fusible, avals, {
          V,
          num: (v) => num(v, c),
          constant,
          shape,
          rounded,
          substitute,
          usedOutside,
          isNumber: (v) => scalarDef[v] === 1,
        }),
      )
      return
    }
    const k = unit.first
    const eq = equations[k] as StagedEquation
    const form = forms[k]
    const out = eq.out
    if (form !== null && form !== undefined) {
      const ops = eq.atoms.map((a) => (typeof a === 'number' ? num(a, c) : `(${literal(a._data[0] as number)})`))
      defineNum(lines, out, rounded(eq.dtype, substitute(form, ops)))
      if ((vSlot[out] as number) >= 0)
        lines.push(`${V(out)} = ${eq.dtype === 'float32' ? 'B32' : 'B64'}(s${out}, ${shape(eq.shape)});`)
    } else {
      impls.push(eq.prim.impl)
      params.push(eq.params)
      const args = eq.atoms.map((a) => (typeof a === 'number' ? V(a) : constant(a)))
      lines.push(`${V(out)} = P[${impls.length - 1}]([${args.join(', ')}], Q[${impls.length - 1}]);`)
      if (usedAsScalar[out] === 1) defineNum(lines, out, `${V(out)}._data[0]`)
    }
  })
  const chunks: Chunk[] = bodies.map((lines) => {
    // Math functions and helpers are hoisted into locals: less bytecode per statement, which
    // V8 runs and optimises sooner
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
      `return function chunk(I, R, V, P, Q, C, S, H) {\n${hoisted.join(' ')}\n${body}\n}`,
    )(box32, box64, ndarray) as Chunk
  })
  const outSlots = outputs.map((v) => vSlot[v] as number)
  // NOTE: one register file and array table per program, reused by its calls; a call that
  // re-enters the same program (a primitive's impl calling the jitted function) gets fresh ones.
  let busy = false
  const regs = new Float64Array(nR)
  const table = new Array<NdArray | undefined>(nV)
  return {
    size: equations.length,
    scalar: forms.filter((f) => f !== null).length,
    fused: runs.reduce((n, r) => n + r.last - r.first + 1, 0),
    run(inputs) {
      const reentrant = busy
      const r = reentrant ? new Float64Array(nR) : regs
      const t = reentrant ? new Array<NdArray | undefined>(nV) : table
      busy = true
      try {
        for (const c of chunks) c(inputs, r, t, impls, params, consts, shapes, scalarHelpers)
        return outSlots.map((s) => t[s] as NdArray)
      } finally {
        if (!reentrant) {
          busy = false
          t.fill(undefined)
        }
      }
    },
  }
}

let canCompile = true
try {
  canCompile = new Function('return 1')() === 1
} catch {
  canCompile = false
}

/** The same program without code generation: each equation calls its `impl`. */
const interpreter = (
  equations: ReadonlyArray<StagedEquation>,
  nVars: number,
  nInputs: number,
  outputs: ReadonlyArray<number>,
): Program => ({
  size: equations.length,
  scalar: 0,
  fused: 0,
  run(inputs) {
    const vals = new Array<NdArray | undefined>(nVars)
    for (let v = 0; v < nInputs; v++) vals[v] = inputs[v]
    const arg = (a: StagedAtom): NdArray => (typeof a === 'number' ? (vals[a] as NdArray) : a)
    for (const eq of equations) vals[eq.out] = eq.prim.impl(eq.atoms.map(arg), eq.params)
    return outputs.map((v) => vals[v] as NdArray)
  },
})

/** What `fusedLoop` needs of the program being emitted. */
interface Emit {
  /** The array slot of a variable, and its number as the current chunk reads it. */
  readonly V: (v: number) => string
  readonly num: (v: number) => string
  readonly constant: (c: NdArray) => string
  readonly shape: (s: Shape) => string
  readonly rounded: (dtype: DType, expr: string) => string
  readonly substitute: (form: string, ops: ReadonlyArray<string>) => string
  readonly usedOutside: Uint8Array
  /** Whether a variable is held as a number (computed by scalar code). */
  readonly isNumber: (v: number) => boolean
}

/**
 * One loop over the elements of equations `first..last` (one output shape): inputs from before
 * the run are read from their arrays (or, with one element, hoisted as numbers), each equation's
 * value is a local, and the values used after the run are stored into fresh arrays.
 */
const fusedLoop = (
  equations: ReadonlyArray<StagedEquation>,
  first: number,
  last: number,
  exprs: ReadonlyArray<string | null>,
  avals: ReadonlyArray<Aval>,
  e: Emit,
): string => {
  const head = equations[first] as StagedEquation
  const n = head.shape.reduce((a, b) => a * b, 1)
  const ctor = head.dtype === 'float32' ? 'Float32Array' : 'Float64Array'
  const inside = new Set<number>()
  const pre: string[] = []
  const body: string[] = []
  const post: string[] = []
  const hoisted = new Map<string, string>()
  const hoist = (key: string, expr: string): string => {
    let name = hoisted.get(key)
    if (name === undefined) {
      name = `h${hoisted.size}`
      hoisted.set(key, name)
      pre.push(`const ${name} = ${expr};`)
    }
    return name
  }
  for (let k = first; k <= last; k++) {
    const eq = equations[k] as StagedEquation
    const ops = eq.atoms.map((a) => {
      if (typeof a !== 'number') {
        if (a.size === 1) return `(${literal(a._data[0] as number)})`
        return `${hoist(`c${e.constant(a)}`, `${e.constant(a)}._data`)}[i]`
      }
      if (inside.has(a)) return `e${a}`
      const aval = avals[a] as Aval
      if (aval.shape.reduce((x, y) => x * y, 1) === 1)
        return hoist(`n${a}`, e.isNumber(a) ? e.num(a) : `${e.V(a)}._data[0]`)
      return `${hoist(`v${a}`, `${e.V(a)}._data`)}[i]`
    })
    body.push(`const e${eq.out} = ${e.rounded(eq.dtype, e.substitute(exprs[k] as string, ops))};`)
    inside.add(eq.out)
    if (e.usedOutside[eq.out] === 1) {
      pre.push(`const o${eq.out} = new ${ctor}(${n});`)
      body.push(`o${eq.out}[i] = e${eq.out};`)
      post.push(`${e.V(eq.out)} = NDA(${e.shape(eq.shape)}, '${eq.dtype}', o${eq.out});`)
    }
  }
  return `{\n${pre.join('\n')}\nfor (let i = 0; i < ${n}; i++) {\n${body.join('\n')}\n}\n${post.join('\n')}\n}`
}
