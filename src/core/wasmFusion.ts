/**
 * Fusion into WebAssembly SIMD for `jit`'s programs: runs of consecutive float32 element-wise
 * equations over large arrays of one shape (a tanh, its gradient, the products and sums around
 * them) become one fused loop compiled to WebAssembly (../ndarray/kernels/wasm/fusedLoop): one
 * pass over the data, the intermediate values in SIMD registers, only the values used after the
 * run stored. Each step computes the float32 kernel's bits, so results equal eager ones.
 *
 * A run is described to the loop compiler by operation names (from its fixed table) and operand
 * indices only. One-element operands, and constant arrays whose elements are all equal (the
 * broadcast ones of a sum's gradient), are read as scalars.
 *
 * @category core
 * @since 0.2.0
 */
import { allocateUninit } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual, sizeOf } from '../ndarray/shape'
import { FUSED_OPS, fusedKernel, type FusedOp, type FusedStep } from '../ndarray/kernels/wasm/fusedLoop'
import { wasmElementwiseAvailable } from '../ndarray/kernels/wasm/simdElementwise'
import { getElementwiseBackend } from '../ndarray/kernels/elementwise'
import { ewiseOf, outAval } from './codegen'
import { avalOf, Var, type Atom, type Equation } from './equation'
import { runsOf, type FusedRun } from './fusion'

/** Below this many elements a fused run stays in JavaScript (the call and staging cost more). */
const MIN_ELEMENTS = 4096

/** The fused-loop operation of an equation, or null when it cannot join a WebAssembly run. */
const wasmOp = (eq: Equation): FusedOp | null => {
  const ew = ewiseOf(eq)
  if (ew === undefined || (ew.kind !== 'unary' && ew.kind !== 'binary')) return null
  if (!Object.prototype.hasOwnProperty.call(FUSED_OPS, ew.op)) return null
  const op = ew.op as FusedOp
  if (FUSED_OPS[op] !== (ew.kind === 'unary' ? 1 : 2) || eq.invars.length !== FUSED_OPS[op]) return null
  const { shape, dtype } = outAval(eq)
  if (dtype !== 'float32' || sizeOf(shape) < MIN_ELEMENTS) return null
  for (const a of eq.invars) {
    const aval = avalOf(a)
    if (aval.dtype !== 'float32') return null
    if (sizeOf(aval.shape) !== 1 && !shapesEqual(aval.shape, shape)) return null
  }
  return op
}

/** The maximal runs (two equations or more) of consecutive equations that fuse into WebAssembly. */
export const wasmRuns = (equations: ReadonlyArray<Equation>): FusedRun[] =>
  getElementwiseBackend() === 'js' || !wasmElementwiseAvailable() ? [] : runsOf(equations, (eq) => wasmOp(eq) !== null)

/** A run made runnable: its inputs from outside the run, the variables it stores, and the call. */
export interface WasmRun {
  readonly inputs: ReadonlyArray<Atom>
  readonly outputs: ReadonlyArray<Var>
  readonly impl: (inputs: ReadonlyArray<NdArray>) => NdArray[]
}

/** True when every element of a constant equals its first (a broadcast value). */
const uniform = (c: NdArray): boolean => {
  const d = c._data
  const v = d[0] as number
  for (let i = 1; i < d.length; i++) if (!Object.is(d[i], v)) return false
  return true
}

/**
 * Compiles equations `run.first..run.last`; `storeVar(v)` says whether a variable defined in the
 * run is used after it. Null when the loop cannot be compiled here.
 */
export const compileWasmRun = (
  equations: ReadonlyArray<Equation>,
  run: FusedRun,
  storeVar: (v: Var) => boolean,
): WasmRun | null => {
  const arrays: Atom[] = []
  const scalars: Atom[] = []
  const operand = new Map<Atom | number, { kind: 'array' | 'scalar' | 'step'; index: number }>()
  const key = (a: Atom): Atom | number => (a instanceof Var ? a.id : a)
  const steps: Array<{ op: FusedOp; args: Array<{ kind: 'array' | 'scalar' | 'step'; index: number }> }> = []
  const outputs: Var[] = []
  const outputSteps: number[] = []
  for (let k = run.first; k <= run.last; k++) {
    const eq = equations[k] as Equation
    const args = eq.invars.map((a) => {
      const known = operand.get(key(a))
      if (known !== undefined) return known
      const scalar = sizeOf(avalOf(a).shape) === 1 || (!(a instanceof Var) && uniform(a))
      const list = scalar ? scalars : arrays
      const ref = { kind: scalar ? ('scalar' as const) : ('array' as const), index: list.length }
      list.push(a)
      operand.set(key(a), ref)
      return ref
    })
    const out = eq.outvars[0] as Var
    operand.set(out.id, { kind: 'step', index: steps.length })
    if (storeVar(out)) {
      outputs.push(out)
      outputSteps.push(steps.length)
    }
    steps.push({ op: wasmOp(eq) as FusedOp, args })
  }
  const base = { array: 0, scalar: arrays.length, step: arrays.length + scalars.length }
  const index = (r: { kind: 'array' | 'scalar' | 'step'; index: number }): number => base[r.kind] + r.index
  const spec = {
    arrays: arrays.length,
    scalars: scalars.length,
    steps: steps.map((s): FusedStep => ({ op: s.op, args: s.args.map(index) })),
    outputs: outputSteps.map((s) => base.step + s),
  }
  const kernel = fusedKernel(spec)
  if (kernel === null || outputs.length === 0) return null
  const { shape } = outAval(equations[run.first] as Equation)
  const n = sizeOf(shape)
  const nArrays = arrays.length
  return {
    inputs: [...arrays, ...scalars],
    outputs,
    impl: (ins) => {
      const data = ins.slice(0, nArrays).map((x) => x._data as Float32Array)
      const nums = ins.slice(nArrays).map((x) => x._data[0] as number)
      const outs = outputs.map(() => allocateUninit('float32', n) as Float32Array)
      kernel(data, nums, outs)
      return outs.map((o) => new NdArray(shape, 'float32', o))
    },
  }
}
