/**
 * Eager fusion of the backward sweep (./reverse): a block of consecutive large float32
 * element-wise equations on the tape (a tanh, the products and sums around it, and a sum over
 * all of them) has its cotangents pulled back by one compiled program instead of one kernel call
 * per rule. The block's VJP rules are staged once per block signature (as `jit` stages a
 * function: ./staging) and compiled (./program), so their element-wise passes — the products of
 * `mul`'s rule, `tanh_backward`, the adds of the accumulation — run as one WebAssembly SIMD loop
 * (./wasmFusion) over the data, and the broadcast cotangent of a sum is read as a scalar inside
 * that loop instead of filling an array (`inlineScalarBroadcasts`). The gradient of Σ tanh(x)·x
 * is then one pass reading x and tanh(x) instead of a fill and two passes.
 *
 * The program computes what the sweep would: the same rules in the same order, accumulated in
 * the same order (the table's earlier cotangents are its inputs and the sums its outputs), and
 * each fused step is the kernel's bits. Only the library's own rules are fused (no custom rule,
 * no residuals), only outside every other transform, and only where the WebAssembly kernels run.
 *
 * @category core
 * @since 0.2.0
 */
import { getElementwiseBackend } from '../ndarray/kernels/elementwise'
import { wasmElementwiseAvailable } from '../ndarray/kernels/wasm/simdElementwise'
import type { NdArray } from '../ndarray/NdArray'
import { shapesEqual, sizeOf } from '../ndarray/shape'
import { ewiseOf, outAval } from './codegen'
import { avalOf, liveEquations, Var, type Atom, type Equation } from './equation'
import { compileProgram, compiles, type Program } from './program'
import type { Recorded, RecordedEquation } from './reverse'
import { StagingLevel, StagingTracer } from './staging'
import { bind, withLevel } from './trace'
import { isPending, settle } from './deferred'
import { MIN_ELEMENTS, wasmOp } from './wasmFusion'
import { isZero, type Linear } from './zero'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

type Add = (a: NdArray, b: NdArray) => NdArray

/** A compiled block backward: its program and, per program output, the external input it is the cotangent of. */
interface Compiled {
  readonly program: Program
  readonly outputs: ReadonlyArray<number>
  /** Every output is computed or passed through from an input (none is a constant). */
  readonly cacheable: boolean
}

/** The block's operands, numbered as the program's inputs take them. */
interface Operands {
  /** Variables read by the block and defined before it, and their values. */
  readonly externals: Var[]
  readonly externalValues: NdArray[]
  /** Constant operands. */
  readonly constants: NdArray[]
  /** Per block equation, per input: `e<k>` external, `c<k>` constant, `o<k>` the block's equation k. */
  readonly refs: string[][]
  /** Block equation index of each variable defined in the block. */
  readonly inBlock: Map<number, number>
}

/** Compiled block backwards by signature, least recently used first; at most MAX_CACHED. */
const cache = new Map<string, Compiled>()
const MAX_CACHED = 64

let enabled = true
/** Turns the fusion on or off (tests compare both sweeps); returns the previous setting. */
export const setBackwardFusion = (on: boolean): boolean => {
  const prev = enabled
  enabled = on
  return prev
}

/** The programs compiled so far, least recently used first (tests read their sizes). */
export const compiledBlocks = (): ReadonlyArray<Program> => [...cache.values()].map((c) => c.program)

// -------------------------------------------------------------------------------------
// blocks
// -------------------------------------------------------------------------------------

/** The float32 input of a sum whose input is large enough to fuse, else undefined. */
const sumInput = (eq: Recorded): Atom | undefined => {
  if (eq.primitive.name !== 'reduce_sum') return undefined
  const x = eq.invars[0]
  return x !== undefined && wasmSized(avalOf(x)) ? x : undefined
}

const wasmSized = (a: { readonly shape: ReadonlyArray<number>; readonly dtype: string }): boolean =>
  a.dtype === 'float32' && sizeOf(a.shape) >= MIN_ELEMENTS

/** The shape a block equation runs over, or undefined when it cannot join a block. */
const blockShape = (eq: Recorded, allow: (eq: Recorded) => boolean): ReadonlyArray<number> | undefined => {
  if (eq.primitive.multipleResults === true || eq.primitive.forward !== undefined || !allow(eq)) return undefined
  const s = sumInput(eq)
  if (s !== undefined) return avalOf(s).shape
  return wasmOp(eq) !== null ? outAval(eq).shape : undefined
}

/** Whether blocks are fused here (on, code generation allowed, WebAssembly element-wise kernels). */
export const fusionAvailable = (): boolean =>
  enabled && compiles() && getElementwiseBackend() !== 'js' && wasmElementwiseAvailable()

/**
 * Where the blocks of a tape end: `first[last]` is the first equation of the block ending at
 * `last` (−1 elsewhere); undefined when the tape has none or fusion is off here. A block is a
 * maximal run of two or more equations over one shape, each a large float32 element-wise
 * equation of the fused loops' operations or a sum of one, at least one of them element-wise.
 */
export const backwardBlocks = (
  eqs: ReadonlyArray<Recorded>,
  allow: (eq: Recorded) => boolean,
): Int32Array | undefined => {
  if (!fusionAvailable()) return undefined
  let first: Int32Array | undefined
  let start = -1
  let shape: ReadonlyArray<number> | undefined
  let ewise = false
  const close = (end: number): void => {
    if (start >= 0 && end > start && ewise) (first ??= new Int32Array(eqs.length).fill(-1))[end] = start
    start = -1
    ewise = false
  }
  for (let k = 0; k < eqs.length; k++) {
    const eq = eqs[k] as Recorded
    const s = blockShape(eq, allow)
    if (s === undefined || (start >= 0 && !shapesEqual(s, shape as ReadonlyArray<number>))) close(k - 1)
    if (s === undefined) continue
    if (start < 0) {
      start = k
      shape = s
    }
    if (sumInput(eq) === undefined) ewise = true
  }
  close(eqs.length - 1)
  return first
}

// -------------------------------------------------------------------------------------
// the block's pullback
// -------------------------------------------------------------------------------------

/** Numbers the operands of equations `first..last` (all single-result records). */
const operandsOf = (eqs: ReadonlyArray<RecordedEquation>): Operands => {
  const ops: Operands = { externals: [], externalValues: [], constants: [], refs: [], inBlock: new Map() }
  const ext = new Map<number, number>()
  const con = new Map<NdArray, number>()
  eqs.forEach((eq, k) => {
    ops.refs.push(
      eq.invars.map((a, i) => {
        if (!(a instanceof Var)) {
          let c = con.get(a)
          if (c === undefined) con.set(a, (c = ops.constants.push(a) - 1))
          return `c${c}`
        }
        const b = ops.inBlock.get(a.id)
        if (b !== undefined) return `o${b}`
        let e = ext.get(a.id)
        if (e === undefined) {
          ext.set(a.id, (e = ops.externals.push(a) - 1))
          ops.externalValues.push(eq.inputs[i] as NdArray)
        }
        return `e${e}`
      }),
    )
    ops.inBlock.set((eq.outvars[0] as Var).id, k)
  })
  return ops
}

const avalKey = (a: { readonly shape: ReadonlyArray<number>; readonly dtype: string }): string =>
  `${a.dtype}[${a.shape.join(',')}]`

/** The signature of a block's pullback: its equations, operand avals, and which cotangents flow in. */
const signature = (eqs: ReadonlyArray<RecordedEquation>, ops: Operands, seeded: ReadonlyArray<boolean>): string => {
  const parts = eqs.map(
    (eq, k) =>
      `${eq.primitive.name}${eq.primitive.formatParams(eq.params)}(${(ops.refs[k] as string[]).join(' ')})` +
      `${eq.needs.map((b) => (b ? 1 : 0)).join('')}:${avalKey(eq.output)}`,
  )
  parts.push(ops.externals.map((v) => avalKey(v.aval)).join(' '), ops.constants.map(avalKey).join(' '))
  parts.push(seeded.map((b) => (b ? 1 : 0)).join(''))
  return parts.join(';')
}

/**
 * Pulls the cotangents of block `first..last` back into the table `cts` with one compiled
 * program: the cotangents of its variables (from later equations) and those already held for the
 * variables it reads are taken out of the table, and the sums for the latter put back. `hold` and
 * `release` tell the sweep's buffer recycling what entered and left the table.
 */
export const pullBlock = (
  tape: ReadonlyArray<Recorded>,
  first: number,
  last: number,
  cts: Array<NdArray | undefined>,
  add: Add,
  hold: (x: NdArray) => void,
  release: (x: NdArray) => void,
): void => {
  const eqs = tape.slice(first, last + 1) as RecordedEquation[]
  const ops = operandsOf(eqs)
  // which of the block's outputs, then of its external variables, have a cotangent already
  const seedIds = [...eqs.map((eq) => (eq.outvars[0] as Var).id), ...ops.externals.map((v) => v.id)]
  const seeded = seedIds.map((id) => cts[id] !== undefined)
  if (!seeded.slice(0, eqs.length).some((b) => b)) return
  const seeds: NdArray[] = []
  seedIds.forEach((id, i) => {
    if (!seeded[i]) return
    const ct = cts[id] as NdArray
    seeds.push(ct)
    cts[id] = undefined
    release(ct)
  })
  // values deferred by the recording (./deferred) are recomputed by the program, not read
  ops.externalValues.forEach(settle)
  const deferred = eqs.map((eq) => isPending(eq.output))
  const inputs = [...ops.externalValues, ...ops.constants, ...eqs.flatMap((eq, k) => (deferred[k] ? [] : [eq.output]))]
  const key = `${signature(eqs, ops, seeded)};${deferred.map((b) => (b ? 1 : 0)).join('')}`
  let results: ReadonlyArray<NdArray>
  let compiled = cache.get(key)
  if (compiled !== undefined) {
    cache.delete(key)
    results = compiled.program.run([...inputs, ...seeds])
  } else [compiled, results] = stage(eqs, ops, inputs, deferred, seeded, seeds, add)
  // NOTE: a program whose output is a constant would hand the same array to every sweep, whose
  // recycling could pool it: such a block is staged anew each time (no rule of a fused op does it)
  if (compiled.cacheable) cache.set(key, compiled)
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string)
  compiled.outputs.forEach((e, j) => {
    const ct = results[j] as NdArray
    cts[(ops.externals[e] as Var).id] = ct
    hold(ct)
  })
}

/**
 * The block's reverse sweep on staged values: each equation's rule turns its output's cotangent
 * (table[k]) into its inputs' (block outputs by index, external variables by eqs.length + e).
 */
const sweepBlock = (
  eqs: ReadonlyArray<RecordedEquation>,
  ops: Operands,
  table: Array<NdArray | undefined>,
  value: (ref: string) => NdArray,
  add: Add,
): void => {
  for (let k = eqs.length - 1; k >= 0; k--) {
    const eq = eqs[k] as RecordedEquation
    const yBar = table[k]
    if (yBar === undefined) continue
    table[k] = undefined
    const refs = ops.refs[k] as string[]
    const ctx = { inputs: refs.map(value), output: value(`o${k}`), params: eq.params, needs: eq.needs }
    const xBars: ReadonlyArray<Linear> = eq.primitive.vjp({ ...ctx, residuals: eq.residuals }, yBar)
    refs.forEach((ref, i) => {
      const xBar = xBars[i]
      if (ref[0] === 'c' || xBar === undefined || isZero(xBar)) return
      const at = ref[0] === 'o' ? Number(ref.slice(1)) : eqs.length + Number(ref.slice(1))
      const prev = table[at]
      table[at] = prev === undefined ? xBar : add(prev, xBar)
    })
  }
}

/**
 * Stages the block's pullback (its rules run on staged values in the sweep's order), compiles it,
 * and returns it with this call's results (the staged run's values).
 */
const stage = (
  eqs: ReadonlyArray<RecordedEquation>,
  ops: Operands,
  inputs: ReadonlyArray<NdArray>,
  deferred: ReadonlyArray<boolean>,
  seeded: ReadonlyArray<boolean>,
  seeds: ReadonlyArray<NdArray>,
  add: Add,
): [Compiled, NdArray[]] => {
  const level = new StagingLevel()
  return withLevel(level, () => {
    const staged = inputs.map((x) => level.input(x))
    const nExt = ops.externals.length
    const nIn = nExt + ops.constants.length
    // the block's outputs: read from the inputs, or recomputed (deferred) from the block's operands
    const outs: NdArray[] = []
    const value = (ref: string): NdArray => {
      const i = Number(ref.slice(1))
      return (ref[0] === 'e' ? staged[i] : ref[0] === 'c' ? staged[nExt + i] : outs[i]) as NdArray
    }
    let read = nIn
    eqs.forEach((eq, k) =>
      outs.push(
        deferred[k] ? bind(eq.primitive, (ops.refs[k] as string[]).map(value), eq.params) : (staged[read++] as NdArray),
      ),
    )
    // the table of the block's sweep: block outputs by index k, external variables by eqs.length + e
    const table = new Array<NdArray | undefined>(eqs.length + nExt)
    let s = 0
    seeded.forEach((b, i) => {
      if (b) table[i] = level.input(seeds[s++] as NdArray)
    })
    sweepBlock(eqs, ops, table, value, add)
    const outputs: number[] = []
    const outVals: NdArray[] = []
    for (let e = 0; e < nExt; e++) {
      const ct = table[eqs.length + e]
      if (ct === undefined) continue
      outputs.push(e)
      outVals.push(ct)
    }
    const outAtoms = outVals.map((x): Atom => (x instanceof StagingTracer && x._level === level ? x.variable : x))
    const equations = liveEquations(
      inlineScalarBroadcasts(level.equations),
      level.nVars,
      outAtoms.flatMap((a) => (a instanceof Var ? [a.id] : [])),
    )
    const program = compileProgram({ inputs: level.inputs, equations, outputs: outAtoms })
    const results = outVals.map((x) => (x instanceof StagingTracer ? x.primal : x))
    return [{ program, outputs, cacheable: outAtoms.every((a) => a instanceof Var) }, results]
  })
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * The equations with each binary element-wise operand that is a broadcast of a one-element value
 * (`broadcast_in_dim` of a sum's cotangent) replaced by that value, where the other operand has
 * the output's shape: the kernels and fused loops read it as a scalar (the same operation per
 * element, so the same bits) instead of a filled array. Broadcasts no longer read are dropped by
 * the dead-code pass after.
 */
export const inlineScalarBroadcasts = (equations: ReadonlyArray<Equation>): Equation[] => {
  const sources = new Map<number, Atom>()
  return equations.map((eq) => {
    const x = eq.invars[0]
    if (eq.primitive.name === 'broadcast_in_dim' && x !== undefined && sizeOf(avalOf(x).shape) === 1) {
      sources.set((eq.outvars[0] as Var).id, x)
      return eq
    }
    const ew = ewiseOf(eq)
    if (ew?.kind !== 'binary' || eq.invars.length !== 2) return eq
    const shape = outAval(eq).shape
    const sourceOf = (a: Atom): Atom | undefined => (a instanceof Var ? sources.get(a.id) : undefined)
    // one operand at most: the other keeps the output's shape
    const invars = eq.invars.map((a, i) => {
      const src = sourceOf(a)
      const other = eq.invars[1 - i] as Atom
      const full = sourceOf(other) === undefined && shapesEqual(avalOf(other).shape, shape)
      return src !== undefined && full && avalOf(src).dtype === avalOf(a).dtype ? src : a
    })
    return invars.every((a, i) => a === eq.invars[i]) ? eq : { ...eq, invars }
  })
}
