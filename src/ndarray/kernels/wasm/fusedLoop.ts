/**
 * Fused element-wise loops on WebAssembly SIMD: a chain of float32 element-wise operations over
 * arrays of one length, compiled into one module whose loop computes every step on f32x4 lanes
 * in locals and stores only the requested results — one pass over the data, no temporaries.
 * `jit` (src/core/wasmFusion.ts) builds the chain from a program's equations.
 *
 * The module is emitted as bytes from a description made only of operation names from a fixed
 * table and small integers (operand indices): no user string reaches it. Each step computes what
 * the float32 JavaScript kernel of its operation computes, bit for bit: single IEEE operations
 * (add, sub, mul, div, sqrt, neg, abs), max/min with the kernels' NaN rule, tanh/exp/log as
 * their float32 twins (../math32), tanhBackward as b·(1 − a·a) in float32 steps.
 *
 * Operands are streamed through the shared memory in chunks, as in `./simdElementwise`; large chains
 * with a tanh, exp or log run on the helper threads too (./fusedThreads).
 */
import { FuncBuilder, I32, ModuleBuilder, Op, SimdOp, V128 } from './assembler'
import { chainHelpersReady, driveJudged, PAR_MIN_ELEMENTS } from './fusedThreads'
import { ensureBytes, exported, instantiate } from './runtime'
import { emitExp32, emitLog32, emitTanh32, f32x4Const, hoistConstants, mathLocals, type MathLocals } from './simdMath'

/** The operations a fused loop runs. */
export const FUSED_OPS = {
  add: 2,
  sub: 2,
  mul: 2,
  div: 2,
  max: 2,
  min: 2,
  tanhBackward: 2,
  neg: 1,
  abs: 1,
  sqrt: 1,
  square: 1,
  copy: 1,
  tanh: 1,
  exp: 1,
  log: 1,
} as const
export type FusedOp = keyof typeof FUSED_OPS

/** One step: `op` applied to earlier values (indices: array inputs, then scalar inputs, then steps). */
export interface FusedStep {
  readonly op: FusedOp
  readonly args: ReadonlyArray<number>
}

/** A chain: `arrays` full-length inputs, `scalars` one-element inputs, the steps, the values stored. */
export interface FusedSpec {
  readonly arrays: number
  readonly scalars: number
  readonly steps: ReadonlyArray<FusedStep>
  readonly outputs: ReadonlyArray<number>
}

/** Runs a compiled chain: out[j][i] = value outputs[j] at element i, for i < n. */
export type FusedKernel = (
  arrays: ReadonlyArray<Float32Array>,
  scalars: ReadonlyArray<number>,
  out: Float32Array[],
) => void

const TRANSCENDENTAL = { tanh: emitTanh32, exp: emitExp32, log: emitLog32 } as const

/** Pushes step `s` of the chain, its operands in the v128 locals `args`. */
function emitStep(f: FuncBuilder, op: FusedOp, args: ReadonlyArray<number>, ml: MathLocals): void {
  const a = args[0] as number
  const b = args[1] as number
  const simple: Partial<Record<FusedOp, number>> = {
    add: SimdOp.f32x4Add,
    sub: SimdOp.f32x4Sub,
    mul: SimdOp.f32x4Mul,
    div: SimdOp.f32x4Div,
  }
  const code = simple[op]
  if (code !== undefined) {
    f.get(a).get(b).simd(code)
    return
  }
  switch (op) {
    case 'max':
    case 'min':
      // JS: (a > b || a !== a) ? a : b   (min: a < b)
      f.get(a).get(b).get(a).get(b)
      f.simd(op === 'max' ? SimdOp.f32x4Gt : SimdOp.f32x4Lt)
      f.get(a).get(a).simd(SimdOp.f32x4Ne).simd(SimdOp.v128Or).simd(SimdOp.v128Bitselect)
      return
    case 'tanhBackward':
      f.get(b)
      f32x4Const(f, 1)
      f.get(a).get(a).simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Sub).simd(SimdOp.f32x4Mul)
      return
    case 'neg':
      f.get(a).simd(SimdOp.f32x4Neg)
      return
    case 'abs':
      f.get(a).simd(SimdOp.f32x4Abs)
      return
    case 'sqrt':
      f.get(a).simd(SimdOp.f32x4Sqrt)
      return
    case 'square':
      f.get(a).get(a).simd(SimdOp.f32x4Mul)
      return
    case 'copy':
      f.get(a)
      return
    case 'tanh':
    case 'exp':
    case 'log':
      f.get(a)
      TRANSCENDENTAL[op](f, ml)
      return
  }
}

/**
 * Vectors per loop iteration: copies of the chain on consecutive vectors, independent of each
 * other, so the core overlaps their long dependency chains (a tanh is ~50 operations deep).
 * Measured on W4's chains (10⁶ float32, one thread, CPU-time minima): one tanh per copy runs
 * 2.8 → 2.4 → 2.0 → 1.8 ms with 1, 2, 3, 4 copies, and slower again from 6 (the copies' values
 * no longer fit the registers); two tanh steps are fastest with 2 copies. So: four tanh-sized
 * steps per iteration at most, and at most MAX_UNROLLED_STEPS steps of any kind.
 */
const MAX_UNROLL = 4
const MAX_UNROLLED_STEPS = 32

/** The copies of a chain per loop iteration (see MAX_UNROLL). */
export const unrollOf = (spec: FusedSpec): number => {
  const transcendental = spec.steps.filter((st) => st.op in TRANSCENDENTAL).length
  const byMath = Math.floor(MAX_UNROLL / Math.max(1, transcendental))
  const bySteps = Math.floor(MAX_UNROLLED_STEPS / Math.max(1, spec.steps.length))
  return Math.max(1, Math.min(byMath, bySteps))
}

/** One copy of the chain in a loop iteration: its math scratch and its values' locals (inputs, then steps). */
interface Copy {
  readonly ml: MathLocals
  readonly value: ReadonlyArray<number>
}

/** `unroll` copies of the chain's locals; the scalar inputs' locals are shared (read-only in the loop). */
function copiesOf(f: FuncBuilder, spec: FusedSpec, unroll: number): Copy[] {
  const scalars = Array.from({ length: spec.scalars }, () => f.local(V128))
  return Array.from({ length: unroll }, () => {
    const value: number[] = []
    for (let i = 0; i < spec.arrays; i++) value.push(f.local(V128))
    value.push(...scalars)
    for (let s = 0; s < spec.steps.length; s++) value.push(f.local(V128))
    return { ml: mathLocals(f), value }
  })
}

/** The body of one iteration at byte offset local q: loads of every copy, their steps, their stores. */
function emitIteration(f: FuncBuilder, spec: FusedSpec, copies: ReadonlyArray<Copy>, q: number): void {
  const nIn = spec.arrays + spec.scalars
  copies.forEach(({ value }, u) => {
    for (let j = 0; j < spec.arrays; j++)
      f.get(1 + j)
        .get(q)
        .op(Op.i32Add)
        .simdMem(SimdOp.v128Load, 2, 16 * u)
        .set(value[j] as number)
  })
  for (const { ml, value } of copies)
    spec.steps.forEach((st, s) => {
      emitStep(
        f,
        st.op,
        st.args.map((i) => value[i] as number),
        ml,
      )
      f.set(value[nIn + s] as number)
    })
  copies.forEach(({ value }, u) => {
    spec.outputs.forEach((v, j) => {
      f.get(1 + nIn + j)
        .get(q)
        .op(Op.i32Add)
        .get(value[v] as number)
        .simdMem(SimdOp.v128Store, 2, 16 * u)
    })
  })
}

/**
 * `run(n, array ptrs…, scalar ptrs…, out ptrs…)`, byte pointers: for each `unrollOf(spec)` whole
 * vectors of the n elements, loads the array inputs, computes the steps into locals and stores
 * the outputs (the last iteration reads and writes up to 60 bytes past n, into the callers' PAD).
 * Each copy of the chain has its own locals, so the copies are independent: the same operations
 * on other elements, the same bits.
 */
function buildChain(spec: FusedSpec): FuncBuilder {
  const nIn = spec.arrays + spec.scalars
  const params = new Array<typeof I32>(1 + nIn + spec.outputs.length).fill(I32)
  const f = new FuncBuilder(params, [])
  const end = f.local(I32)
  const q = f.local(I32)
  const copies = copiesOf(f, spec, unrollOf(spec))
  const first = (copies[0] as Copy).value
  hoistConstants(f, (scratch) => {
    const sl = mathLocals(scratch)
    for (const st of spec.steps)
      emitStep(
        scratch,
        st.op,
        st.args.map((i) => first[i] as number),
        sl,
      )
  })
  for (let j = 0; j < spec.scalars; j++)
    f.get(1 + spec.arrays + j)
      .simdMem(SimdOp.v128Load32Splat, 2, 0)
      .set(first[spec.arrays + j] as number)
  const bytes = 16 * copies.length
  f.begin(Op.block)
  f.get(0).op(Op.i32Eqz).brIf(0)
  // end: 4n rounded up to whole iterations
  f.get(0)
    .i32(4)
    .op(Op.i32Mul)
    .i32(bytes - 1)
    .op(Op.i32Add)
    .i32(-bytes)
    .op(Op.i32And)
    .set(end)
  f.i32(0).set(q)
  f.begin(Op.loop)
  emitIteration(f, spec, copies, q)
  f.addTo(q, bytes)
  f.get(q).get(end).op(Op.i32LtU).brIf(0)
  f.end()
  f.end()
  return f
}

/** The module bytes of a chain (exported as `run`), on a shared memory of that many pages at most if given. */
export function buildFusedModule(spec: FusedSpec, sharedMaxPages?: number): Uint8Array<ArrayBuffer> {
  return new ModuleBuilder().importMemory('env', 'memory', 1, sharedMaxPages).func('run', buildChain(spec)).encode()
}

/** Elements per staged chunk (a multiple of 4·MAX_UNROLL: only the last chunk is ragged). */
let CHUNK = 16384
/** Bytes after each staged buffer: the last iteration's copies reach 16·MAX_UNROLL − 4 bytes past n. */
const PAD = 64

/** Sets the chunk size in elements (a multiple of 16; testing hook). Returns the previous one. */
export function setFusedChunk(elements: number): number {
  const prev = CHUNK
  CHUNK = Math.max(16, elements & ~15)
  return prev
}

type RunFn = (...ptrs: number[]) => void

/** The chain's key: its shape as text of op names from FUSED_OPS and integers. */
const keyOf = (spec: FusedSpec): string =>
  `${spec.arrays};${spec.scalars};${spec.steps.map((s) => `${s.op}(${s.args.join(',')})`).join(' ')};${spec.outputs.join(',')}`

const cache = new Map<string, RunFn | null>()

/**
 * Compiles a chain (cached by its structure); null when WebAssembly SIMD is unavailable or the
 * description is malformed (an unknown op, an operand index not before its step).
 */
export function fusedKernel(spec: FusedSpec): FusedKernel | null {
  const nIn = spec.arrays + spec.scalars
  const valid =
    spec.steps.every(
      (st, s) =>
        Object.prototype.hasOwnProperty.call(FUSED_OPS, st.op) &&
        st.args.length === FUSED_OPS[st.op] &&
        st.args.every((i) => Number.isInteger(i) && i >= 0 && i < nIn + s),
    ) && spec.outputs.every((v) => Number.isInteger(v) && v >= 0 && v < nIn + spec.steps.length)
  if (!valid) return null
  const key = keyOf(spec)
  let fn = cache.get(key)
  if (fn === undefined) {
    const ex = instantiate(buildFusedModule(spec))
    fn = ex === null ? null : exported<RunFn>(ex, 'run')
    cache.set(key, fn)
  }
  if (fn === null) return null
  const run = fn
  if (!spec.steps.some((st) => st.op in TRANSCENDENTAL))
    return (arrays, scalars, out) => drive(run, spec, arrays, scalars, out)
  // compute-bound chains of large arrays also run on the helper threads (./fusedThreads)
  const build = (pages: number): Uint8Array<ArrayBuffer> => buildFusedModule(spec, pages)
  return (arrays, scalars, out) =>
    driveJudged(key, build, arrays, scalars, out, () => drive(run, spec, arrays, scalars, out))
}

/**
 * Starts the helper threads of a chain (when it is one they run) and returns how many are ready
 * (0 with one thread, without worker_threads, or while they boot). For tests and benchmarks.
 */
export function fusedHelpersReady(spec: FusedSpec): number {
  return chainHelpersReady(keyOf(spec), (pages) => buildFusedModule(spec, pages), spec.outputs.length)
}

const MATH_SPECS = {
  tanh: { arrays: 1, scalars: 0, steps: [{ op: 'tanh', args: [0] }], outputs: [1] },
  exp: { arrays: 1, scalars: 0, steps: [{ op: 'exp', args: [0] }], outputs: [1] },
  log: { arrays: 1, scalars: 0, steps: [{ op: 'log', args: [0] }], outputs: [1] },
} as const satisfies Record<keyof typeof TRANSCENDENTAL, FusedSpec>

/**
 * out = op(x) for float32 tanh, exp or log over a large array as a one-step chain, so that it runs
 * on the helper threads too (same emitters as the unary kernels: same bits). False (nothing done)
 * below PAR_MIN_ELEMENTS or without WebAssembly SIMD.
 */
export function largeMath32(op: keyof typeof TRANSCENDENTAL, x: Float32Array, out: Float32Array): boolean {
  if (x.length < PAR_MIN_ELEMENTS) return false
  const k = fusedKernel(MATH_SPECS[op])
  if (k === null) return false
  k([x], [], [out])
  return true
}

const align16 = (bytes: number): number => (bytes + 15) & ~15

function drive(
  run: RunFn,
  spec: FusedSpec,
  arrays: ReadonlyArray<Float32Array>,
  scalars: ReadonlyArray<number>,
  out: Float32Array[],
): void {
  const n = (out[0] ?? arrays[0])?.length ?? 0
  const ch = CHUNK
  const chunkBytes = align16(ch * 4 + PAD)
  const nBufs = spec.arrays + spec.outputs.length
  const scalarBase = nBufs * chunkBytes
  const mem = ensureBytes(scalarBase + align16(4 * spec.scalars) + PAD).f32
  const ptrs = new Array<number>(1 + spec.arrays + spec.scalars + spec.outputs.length)
  for (let j = 0; j < spec.arrays; j++) ptrs[1 + j] = j * chunkBytes
  for (let j = 0; j < spec.scalars; j++) {
    mem[scalarBase / 4 + j] = scalars[j] as number
    ptrs[1 + spec.arrays + j] = scalarBase + 4 * j
  }
  const outBase = spec.arrays * chunkBytes
  for (let j = 0; j < spec.outputs.length; j++) ptrs[1 + spec.arrays + spec.scalars + j] = outBase + j * chunkBytes
  for (let s = 0; s < n; s += ch) {
    const len = n - s < ch ? n - s : ch
    for (let j = 0; j < spec.arrays; j++)
      mem.set((arrays[j] as Float32Array).subarray(s, s + len), (j * chunkBytes) / 4)
    ptrs[0] = len
    run(...ptrs)
    for (let j = 0; j < spec.outputs.length; j++) {
      const o = (outBase + j * chunkBytes) / 4
      ;(out[j] as Float32Array).set(mem.subarray(o, o + len), s)
    }
  }
}
