/**
 * The steps a compiled program (./program) runs: chunks of generated scalar code, and calls —
 * a primitive's `impl`, a WebAssembly fused run, or a fused loop's kernel — resolved once into a
 * flat plan (operand slots, output slots, registers) that one small loop runs. V8 optimises that
 * loop once, whatever the program's size; generated code making the same calls would be one call
 * site per equation, which V8 takes seconds to optimise in a program of thousands.
 *
 * Fused loops' kernels are cached by source: the runs of an unrolled loop (the same equations on
 * other values) share one function, so V8 optimises it after a few runs instead of optimising
 * hundreds of copies. What may reach the source is set out in ./codegen.
 *
 * @category core
 * @since 0.2.0
 */
import { allocateUninit, type DType } from '../ndarray/dtype'
import { scalarHelpers } from '../ndarray/kernels/expressions'
import { NdArray } from '../ndarray/NdArray'
import type { Shape } from '../ndarray/shape'
import type { RunRecord } from './programRecycle'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A primitive's implementation, as the program calls it. */
export type Impl = (inputs: ReadonlyArray<NdArray>, params: unknown) => NdArray | ReadonlyArray<NdArray>

/** Generated scalar code: registers, the array table, constants, shapes, helpers, release points. */
export type Chunk = (
  R: Float64Array,
  V: Array<NdArray | undefined>,
  C: ReadonlyArray<NdArray>,
  S: ReadonlyArray<Shape>,
  H: Readonly<Record<string, (x: number) => number>>,
  K: RunRecord['release'],
) => void

/** A call: operands from the array table (or constants), outputs into it. */
export interface CallStep {
  readonly impl: Impl
  readonly params: unknown
  readonly multi: boolean
  /** Per operand: its slot in the array table, or −1 for a constant (in `consts`). */
  readonly slots: Int32Array
  readonly consts: ReadonlyArray<NdArray | undefined>
  /** Per output: its slot in the array table. */
  readonly outs: Int32Array
  /** Per output: the register its number is stored in (read by scalar code), or −1. */
  readonly regs: Int32Array
  /** Registers whose numbers are passed as the params (a fused loop's one-element operands), or null. */
  readonly numbers: Int32Array | null
  /** The release point run after this step, or −1. */
  readonly release: number
}

/** A step of a compiled program. */
export type Step = CallStep | { readonly chunk: Chunk }

/** The tables generated code reads: everything but fixed text and numbers reaches code through them. */
export interface Tables {
  readonly consts: NdArray[]
  readonly shapes: Shape[]
}

// -------------------------------------------------------------------------------------
// run
// -------------------------------------------------------------------------------------

/** Runs every step of a program over its registers `R` and array table `V`. */
export const runSteps = (
  steps: ReadonlyArray<Step>,
  tables: Tables,
  R: Float64Array,
  V: Array<NdArray | undefined>,
  release: RunRecord['release'],
): void => {
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k] as Step
    if ('chunk' in s) s.chunk(R, V, tables.consts, tables.shapes, scalarHelpers, release)
    else call(s, R, V, release)
  }
}

// NOTE: the operand array is fresh per call: an impl that re-enters the program keeps its own.
const call = (s: CallStep, R: Float64Array, V: Array<NdArray | undefined>, release: RunRecord['release']): void => {
  const n = s.slots.length
  const args = new Array<NdArray>(n)
  for (let j = 0; j < n; j++) {
    const slot = s.slots[j] as number
    args[j] = (slot >= 0 ? V[slot] : s.consts[j]) as NdArray
  }
  const params = s.numbers === null ? s.params : Array.from(s.numbers, (r) => R[r] as number)
  const y = s.impl(args, params)
  if (s.multi) for (let j = 0; j < s.outs.length; j++) V[s.outs[j] as number] = (y as ReadonlyArray<NdArray>)[j]
  else V[s.outs[0] as number] = y as NdArray
  for (let j = 0; j < s.regs.length; j++) {
    const r = s.regs[j] as number
    if (r >= 0) R[r] = (V[s.outs[j] as number] as NdArray)._data[0] as number
  }
  if (s.release >= 0) release(V, s.release)
}

// -------------------------------------------------------------------------------------
// functions from source
// -------------------------------------------------------------------------------------

/**
 * A function made from generated source (a function expression named `name` with `params`).
 * Math functions and helpers are hoisted into locals: less bytecode per statement, which V8 runs
 * and optimises sooner.
 */
export const makeFunction = (name: string, params: string, source: string): unknown => {
  const body = source.replace(/\b(Math|H)\.(\w+)/g, (_, ns: string, fn: string) => `${ns === 'H' ? 'H_' : 'M_'}${fn}`)
  const hoisted = [...new Set(body.match(/\b[MH]_\w+/g) ?? [])].map(
    (local) => `const ${local} = ${local[0] === 'M' ? 'Math' : 'H'}.${local.slice(2)};`,
  )
  return new Function(
    'H',
    'B32',
    'B64',
    'NDA',
    'ALLOC',
    `${hoisted.join(' ')}\nreturn function ${name}(${params}) {\n${body}\n}`,
  )(scalarHelpers, box32, box64, ndarray, allocateUninit)
}

const box32 = (x: number, shape: Shape): NdArray => new NdArray(shape, 'float32', Float32Array.of(x))
const box64 = (x: number, shape: Shape): NdArray => new NdArray(shape, 'float64', Float64Array.of(x))
const ndarray = (shape: Shape, dtype: DType, data: Float32Array | Float64Array): NdArray =>
  new NdArray(shape, dtype, data)

type Kernel = (A: ReadonlyArray<NdArray>, N: ReadonlyArray<number>, S: ReadonlyArray<Shape>) => NdArray[]

/** Compiled fused loops by source (bounded: cleared when full). */
const kernels = new Map<string, Kernel>()
const MAX_KERNELS = 2048
let compiled = 0

/** The impl of a fused loop (./fusion `fusedKernel`): its compiled kernel, with its output shapes. */
export const kernelImpl = (source: string, shapes: ReadonlyArray<Shape>): Impl => {
  let kernel = kernels.get(source)
  if (kernel === undefined) {
    if (kernels.size >= MAX_KERNELS) kernels.clear()
    kernel = makeFunction('fused', 'A, N, S', source) as Kernel
    compiled++
    kernels.set(source, kernel)
  }
  const k = kernel
  return (ins, numbers) => k(ins, numbers as ReadonlyArray<number>, shapes)
}

/** How many fused-loop kernels have been compiled (tests: runs with one source compile once). */
export const compiledKernels = (): number => compiled
