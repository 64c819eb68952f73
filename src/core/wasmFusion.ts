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
import { FUSED_OPS, fusedKernel, type FusedOp, type FusedSpec, type FusedStep } from '../ndarray/kernels/wasm/fusedLoop'
import { wasmElementwiseAvailable } from '../ndarray/kernels/wasm/simdElementwise'
import { getElementwiseBackend } from '../ndarray/kernels/elementwise'
import { ewiseOf, outAval } from './codegen'
import { avalOf, Var, type Atom, type Aval, type Equation } from './equation'
import type { Ewise } from './primitive'
import { runsOf, type FusedRun } from './fusion'

/** Below this many elements a fused run stays in JavaScript (the call and staging cost more). */
export const MIN_ELEMENTS = 4096

/** The fused-loop operation of an equation, or null when it cannot join a WebAssembly run. */
export const wasmOp = (eq: Equation): FusedOp | null => {
  const ew = ewiseOf(eq)
  return ew === undefined ? null : wasmOpOf(ew, eq.invars.map(avalOf), outAval(eq))
}

/**
 * The fused-loop operation of an element-wise operation `ew` from operands of avals `ins` to a
 * value of aval `out`, or null when it cannot join a WebAssembly run.
 */
export const wasmOpOf = (ew: Ewise | undefined, ins: ReadonlyArray<Aval>, out: Aval): FusedOp | null => {
  if (ew === undefined || (ew.kind !== 'unary' && ew.kind !== 'binary')) return null
  if (!Object.prototype.hasOwnProperty.call(FUSED_OPS, ew.op)) return null
  const op = ew.op as FusedOp
  if (FUSED_OPS[op] !== (ew.kind === 'unary' ? 1 : 2) || ins.length !== FUSED_OPS[op]) return null
  const { shape, dtype } = out
  if (dtype !== 'float32' || sizeOf(shape) < MIN_ELEMENTS) return null
  for (const aval of ins) {
    if (aval.dtype !== 'float32') return null
    if (sizeOf(aval.shape) !== 1 && !shapesEqual(aval.shape, shape)) return null
  }
  return op
}

/**
 * The maximal runs (two equations or more) of consecutive equations that fuse into WebAssembly;
 * equations k with `taken[k]` = 1 (fused otherwise) join none.
 */
export const wasmRuns = (equations: ReadonlyArray<Equation>, taken?: Uint8Array): FusedRun[] =>
  getElementwiseBackend() === 'js' || !wasmElementwiseAvailable()
    ? []
    : runsOf(equations, (eq, k) => taken?.[k] !== 1 && wasmOp(eq) !== null)

/** A run made runnable: its inputs from outside the run, the variables it stores, and the call. */
export interface WasmRun {
  readonly inputs: ReadonlyArray<Atom>
  readonly outputs: ReadonlyArray<Var>
  /** Steps of the compiled loop (products by a constant one are not steps). */
  readonly steps: number
  readonly impl: (inputs: ReadonlyArray<NdArray>) => NdArray[]
}

/** True when every element of a constant equals its first (a broadcast value). */
const uniform = (c: NdArray): boolean => {
  const d = c._data
  const v = d[0] as number
  for (let i = 1; i < d.length; i++) if (!Object.is(d[i], v)) return false
  return true
}

/** Where a run's value comes from: an array input, a scalar input, or a step. */
interface Ref {
  readonly kind: 'array' | 'scalar' | 'step'
  readonly index: number
}

/**
 * The other operand of a product by a constant one (x·1 is x in IEEE arithmetic: the eager kernel
 * returns the other operand's storage for it too, src/ndarray/kernels/uniform.ts), else undefined.
 * The broadcast ones of a sum's gradient are such constants.
 */
const timesOne = (op: FusedOp, args: ReadonlyArray<Ref>, scalars: ReadonlyArray<Atom>): Ref | undefined => {
  if (op !== 'mul') return undefined
  const one = (r: Ref | undefined): boolean => {
    const a = r?.kind === 'scalar' ? scalars[r.index] : undefined
    return a !== undefined && !(a instanceof Var) && a._data[0] === 1
  }
  return one(args[1]) ? args[0] : one(args[0]) ? args[1] : undefined
}

/** A run described to the loop compiler: its inputs (arrays, then scalars), the chain, the stored variables. */
interface Chain {
  readonly arrays: ReadonlyArray<Atom>
  readonly scalars: ReadonlyArray<Atom>
  readonly spec: FusedSpec
  readonly outputs: ReadonlyArray<Var>
}

/** The chain of equations `run.first..run.last`, storing the variables `storeVar` says are used after it. */
const chainOf = (equations: ReadonlyArray<Equation>, run: FusedRun, storeVar: (v: Var) => boolean): Chain => {
  const arrays: Atom[] = []
  const scalars: Atom[] = []
  const operand = new Map<Atom | number, Ref>()
  const key = (a: Atom): Atom | number => (a instanceof Var ? a.id : a)
  const steps: Array<{ op: FusedOp; args: Ref[] }> = []
  const outputs: Var[] = []
  const outputRefs: Ref[] = []
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
    const op = wasmOp(eq) as FusedOp
    const out = eq.outvars[0] as Var
    const alias = timesOne(op, args, scalars)
    const ref = alias ?? { kind: 'step' as const, index: steps.length }
    if (alias === undefined) steps.push({ op, args })
    operand.set(out.id, ref)
    if (storeVar(out)) {
      outputs.push(out)
      outputRefs.push(ref)
    }
  }
  const base = { array: 0, scalar: arrays.length, step: arrays.length + scalars.length }
  const index = (r: Ref): number => base[r.kind] + r.index
  const spec = {
    arrays: arrays.length,
    scalars: scalars.length,
    steps: steps.map((s): FusedStep => ({ op: s.op, args: s.args.map(index) })),
    outputs: outputRefs.map(index),
  }
  return { arrays, scalars, spec, outputs }
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
  const { arrays, scalars, spec, outputs } = chainOf(equations, run, storeVar)
  const kernel = fusedKernel(spec)
  if (kernel === null || outputs.length === 0) return null
  const { shape } = outAval(equations[run.first] as Equation)
  const n = sizeOf(shape)
  const nArrays = arrays.length
  return {
    inputs: [...arrays, ...scalars],
    outputs,
    steps: spec.steps.length,
    impl: (ins) => {
      const data = ins.slice(0, nArrays).map((x) => x._data as Float32Array)
      const nums = ins.slice(nArrays).map((x) => x._data[0] as number)
      const outs = outputs.map(() => allocateUninit('float32', n) as Float32Array)
      kernel(data, nums, outs)
      return outs.map((o) => new NdArray(shape, 'float32', o))
    },
  }
}
