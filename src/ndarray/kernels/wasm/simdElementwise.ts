/**
 * Element-wise kernels on WebAssembly SIMD (f32x4 / f64x2) for large float arrays: binary
 * arithmetic and comparisons with scalar and row/column broadcasting, a few unary ops, float32
 * tanh, exp and log, and `select`.
 *
 * Operands live in JS typed arrays, so the drivers below stream them through the shared wasm
 * memory (`./runtime`) in chunks of CHUNK elements: copy a chunk of each full-size operand in
 * (`TypedArray.set`, a memcpy), run the kernel on it while it is in L1/L2, copy the result chunk
 * out. Broadcast operands (a scalar, a row repeated down the rows, a column repeated along them)
 * are copied once. Kernels work in whole vectors: the last vector of a row may read past the
 * row's end and write up to 15 bytes past it, into the next output row (rewritten right after)
 * or the padding after the chunk (never copied back); every staging buffer has that padding.
 *
 * Results are bitwise those of the JS loops in `../elementwise.ts`: float32 add/sub/mul/div/sqrt
 * in f32 arithmetic round exactly like the float64 JS expression rounded to float32, max/min
 * reproduce the JS expressions' NaN and signed-zero choices with compare + bitselect, and float32
 * tanh, exp and log run the operations of their float32 twins in ../math32 (`./simdMath`).
 */
import { F32, F64, FuncBuilder, I32, ModuleBuilder, Op, SimdOp, V128, type ValType } from './assembler'
import { ensureBytes, exported, instantiate, type MemoryViews } from './runtime'
import { emitExp32, emitLog32, emitTanh32, hoistConstants, mathLocals } from './simdMath'

// -------------------------------------------------------------------------------------
// element types
// -------------------------------------------------------------------------------------

interface ElemType {
  readonly name: 'f32' | 'f64'
  readonly bytes: number
  readonly alignLog2: number
  readonly lanes: number
  readonly scalar: ValType
  readonly splat: number
  readonly add: number
  readonly sub: number
  readonly mul: number
  readonly div: number
  readonly neg: number
  readonly abs: number
  readonly sqrt: number
  readonly eq: number
  readonly ne: number
  readonly lt: number
  readonly gt: number
  readonly le: number
}

const F32T: ElemType = {
  name: 'f32',
  bytes: 4,
  alignLog2: 2,
  lanes: 4,
  scalar: F32,
  splat: SimdOp.v128Load32Splat,
  add: SimdOp.f32x4Add,
  sub: SimdOp.f32x4Sub,
  mul: SimdOp.f32x4Mul,
  div: SimdOp.f32x4Div,
  neg: SimdOp.f32x4Neg,
  abs: SimdOp.f32x4Abs,
  sqrt: SimdOp.f32x4Sqrt,
  eq: SimdOp.f32x4Eq,
  ne: SimdOp.f32x4Ne,
  lt: SimdOp.f32x4Lt,
  gt: SimdOp.f32x4Gt,
  le: SimdOp.f32x4Le,
}

const F64T: ElemType = {
  name: 'f64',
  bytes: 8,
  alignLog2: 3,
  lanes: 2,
  scalar: F64,
  splat: SimdOp.v128Load64Splat,
  add: SimdOp.f64x2Add,
  sub: SimdOp.f64x2Sub,
  mul: SimdOp.f64x2Mul,
  div: SimdOp.f64x2Div,
  neg: SimdOp.f64x2Neg,
  abs: SimdOp.f64x2Abs,
  sqrt: SimdOp.f64x2Sqrt,
  eq: SimdOp.f64x2Eq,
  ne: SimdOp.f64x2Ne,
  lt: SimdOp.f64x2Lt,
  gt: SimdOp.f64x2Gt,
  le: SimdOp.f64x2Le,
}

/** A do-while loop over byte offset `q` = 0, 16, … while q < local `end` (end > 0). */
function vectorLoop(f: FuncBuilder, q: number, end: number, body: () => void): void {
  f.i32(0).set(q)
  f.begin(Op.loop)
  body()
  f.addTo(q, 16)
  f.get(q).get(end).op(Op.i32LtU).brIf(0)
  f.end()
}

/** Pushes `base + q` (locals). */
function addr(f: FuncBuilder, base: number, q: number): FuncBuilder {
  return f.get(base).get(q).op(Op.i32Add)
}

// -------------------------------------------------------------------------------------
// binary arithmetic
// -------------------------------------------------------------------------------------

/** The binary operations with a wasm kernel. */
export type WasmBinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'tanhBackward'
export const WASM_BINARY_OPS: ReadonlyArray<WasmBinaryOp> = ['add', 'sub', 'mul', 'div', 'max', 'min', 'tanhBackward']

/** Pushes a v128 of ones in the lanes of `t`. */
function ones(f: FuncBuilder, t: ElemType): void {
  const b = new Uint8Array(16)
  const dv = new DataView(b.buffer)
  for (let i = 0; i < 16; i += t.bytes) {
    if (t.bytes === 8) dv.setFloat64(i, 1, true)
    else dv.setFloat32(i, 1, true)
  }
  f.simd(SimdOp.v128Const).code.bytes(b)
}

/** Pushes op(va, vb) from two v128 locals. */
function emitBinary(f: FuncBuilder, t: ElemType, op: WasmBinaryOp, va: number, vb: number): void {
  switch (op) {
    case 'add':
      f.get(va).get(vb).simd(t.add)
      return
    case 'sub':
      f.get(va).get(vb).simd(t.sub)
      return
    case 'mul':
      f.get(va).get(vb).simd(t.mul)
      return
    case 'div':
      f.get(va).get(vb).simd(t.div)
      return
    case 'tanhBackward':
      // b·(1 − a·a), each step rounded to the element type (the float32 kernels' expression)
      f.get(vb)
      ones(f, t)
      f.get(va).get(va).simd(t.mul).simd(t.sub).simd(t.mul)
      return
    case 'max':
    case 'min':
      // JS: (a > b || a !== a) ? a : b   (min: a < b). bitselect(a, b, mask) takes a where mask.
      f.get(va).get(vb)
      f.get(va)
        .get(vb)
        .simd(op === 'max' ? t.gt : t.lt)
      f.get(va).get(va).simd(t.ne)
      f.simd(SimdOp.v128Or).simd(SimdOp.v128Bitselect)
      return
  }
}

/** The params of the row kernels (binary and compare): `op(rows, cols, a, aRowStride, b, bRowStride, out, mode)`. */
const ROW_PARAMS = { ROWS: 0, COLS: 1, A: 2, ARS: 3, B: 4, BRS: 5, O: 6, MODE: 7 } as const

/**
 * The row loop of the binary and compare kernels: per row, `inner(aVec, bVec)` for the mode
 * (0: both vectors; 1: a is a scalar, splat into va; 2: b is, into vb), then a, b and out move to
 * the next row (out by the local or param `outStride`).
 */
function rowsByMode(
  f: FuncBuilder,
  t: ElemType,
  outStride: number,
  va: number,
  vb: number,
  inner: (aVec: boolean, bVec: boolean) => void,
): void {
  const p = ROW_PARAMS
  f.begin(Op.block)
  f.begin(Op.loop)
  f.get(p.ROWS).op(Op.i32Eqz).brIf(1)
  f.get(p.MODE).op(Op.i32Eqz)
  f.begin(Op.if)
  inner(true, true)
  f.op(Op.else)
  f.get(p.MODE).i32(1).op(Op.i32Eq)
  f.begin(Op.if)
  f.get(p.A).simdMem(t.splat, t.alignLog2, 0).set(va)
  inner(false, true)
  f.op(Op.else)
  f.get(p.B).simdMem(t.splat, t.alignLog2, 0).set(vb)
  inner(true, false)
  f.end()
  f.end()
  f.get(p.A).get(p.ARS).op(Op.i32Add).set(p.A)
  f.get(p.B).get(p.BRS).op(Op.i32Add).set(p.B)
  f.get(p.O).get(outStride).op(Op.i32Add).set(p.O)
  f.get(p.ROWS).i32(1).op(Op.i32Sub).set(p.ROWS)
  f.br(0)
  f.end()
  f.end()
}

/**
 * `op(rows, cols, a, aRowStride, b, bRowStride, out, mode)`, pointers and strides in bytes: for
 * each of `rows` rows, out[0:cols] = a[0:cols] op b[0:cols], then a += aRowStride, b +=
 * bRowStride, out += cols·E. mode 0: both vectors; 1: a is one scalar per row (splat); 2: b is.
 */
function buildBinary(t: ElemType, op: WasmBinaryOp): FuncBuilder {
  const E = t.bytes
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32, I32, I32], [])
  const { COLS, A, B, O } = ROW_PARAMS
  const rowBytes = f.local(I32)
  const end = f.local(I32)
  const q = f.local(I32)
  const va = f.local(V128)
  const vb = f.local(V128)
  f.get(COLS).i32(E).op(Op.i32Mul).tee(rowBytes).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(end)
  const inner = (aVec: boolean, bVec: boolean): void => {
    vectorLoop(f, q, end, () => {
      if (aVec) addr(f, A, q).simdMem(SimdOp.v128Load, t.alignLog2, 0).set(va)
      if (bVec) addr(f, B, q).simdMem(SimdOp.v128Load, t.alignLog2, 0).set(vb)
      addr(f, O, q)
      emitBinary(f, t, op, va, vb)
      f.simdMem(SimdOp.v128Store, t.alignLog2, 0)
    })
  }
  rowsByMode(f, t, rowBytes, va, vb, inner)
  return f
}

/** Module 1 (one per dtype, to stay under 4 KiB): the binary kernels, exported as `<op>_<f32|f64>`. */
export function buildBinaryModule(dtype: 'f32' | 'f64'): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder().importMemory('env', 'memory', 1)
  const t = dtype === 'f32' ? F32T : F64T
  for (const op of WASM_BINARY_OPS) m.func(`${op}_${t.name}`, buildBinary(t, op))
  return m.encode()
}

// -------------------------------------------------------------------------------------
// unary, tanh, select
// -------------------------------------------------------------------------------------

/** The unary operations with a wasm kernel (tanh, exp: float32 only). */
export type WasmUnaryOp = 'neg' | 'abs' | 'sqrt' | 'square' | 'tanh' | 'exp' | 'log'

/** `op(n, a, out)`: out[0:n] = op(a[0:n]), pointers in bytes. */
function buildUnary(t: ElemType, op: PlainUnaryOp): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32], [])
  const N = 0
  const A = 1
  const O = 2
  const end = f.local(I32)
  const q = f.local(I32)
  const v = f.local(V128)
  f.begin(Op.block)
  f.get(N).op(Op.i32Eqz).brIf(0)
  f.get(N).i32(t.bytes).op(Op.i32Mul).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(end)
  vectorLoop(f, q, end, () => {
    addr(f, O, q)
    addr(f, A, q).simdMem(SimdOp.v128Load, t.alignLog2, 0)
    if (op === 'square') f.tee(v).get(v).simd(t.mul)
    else f.simd(op === 'neg' ? t.neg : op === 'abs' ? t.abs : t.sqrt)
    f.simdMem(SimdOp.v128Store, t.alignLog2, 0)
  })
  f.end()
  return f
}

/** The float32 transcendental kernels and their emitters (`./simdMath`). */
const TRANSCENDENTAL = { tanh: emitTanh32, exp: emitExp32, log: emitLog32 } as const
type Transcendental = keyof typeof TRANSCENDENTAL

/**
 * `<tanh|exp|log>_f32(n, a, out)`: out = op(a) on f32x4 lanes, the same bits as `tanh32`,
 * `exp32`, `log32` in ../math32 (which states their accuracy).
 */
function buildTranscendental(op: Transcendental): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32], [])
  const N = 0
  const A = 1
  const O = 2
  const end = f.local(I32)
  const q = f.local(I32)
  const ml = mathLocals(f)
  hoistConstants(f, (scratch) => TRANSCENDENTAL[op](scratch, mathLocals(scratch)))
  f.begin(Op.block)
  f.get(N).op(Op.i32Eqz).brIf(0)
  f.get(N).i32(4).op(Op.i32Mul).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(end)
  vectorLoop(f, q, end, () => {
    addr(f, O, q)
    addr(f, A, q).simdMem(SimdOp.v128Load, 2, 0)
    TRANSCENDENTAL[op](f, ml)
    f.simdMem(SimdOp.v128Store, 2, 0)
  })
  f.end()
  return f
}

/**
 * `select_<f32|f64>(n, cond, a, b, out, mode)`: out = cond ? a : b over n lanes, cond bytes
 * (0 = false, anything else true). mode bit 0: a is a scalar (splat); bit 1: b is.
 */
function buildSelect(t: ElemType): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32], [])
  const N = 0
  const C = 1
  const A = 2
  const B = 3
  const O = 4
  const MODE = 5
  const end = f.local(I32)
  const q = f.local(I32)
  const cq = f.local(I32)
  const aStep = f.local(I32)
  const bStep = f.local(I32)
  f.begin(Op.block)
  f.get(N).op(Op.i32Eqz).brIf(0)
  f.get(N).i32(t.bytes).op(Op.i32Mul).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(end)
  // A scalar operand is staged as one vector of copies and read with pointer step 0.
  f.i32(16).set(aStep)
  f.i32(16).set(bStep)
  f.get(MODE).i32(1).op(Op.i32And)
  f.begin(Op.if)
  f.i32(0).set(aStep)
  f.end()
  f.get(MODE).i32(2).op(Op.i32And)
  f.begin(Op.if)
  f.i32(0).set(bStep)
  f.end()
  f.get(C).set(cq)
  vectorLoop(f, q, end, () => {
    addr(f, O, q)
    f.get(B).simdMem(SimdOp.v128Load, t.alignLog2, 0)
    f.get(A).simdMem(SimdOp.v128Load, t.alignLog2, 0)
    f.get(cq).simdMem(SimdOp.v128Load32Zero, 0, 0)
    if (t.lanes === 4) {
      // bitselect(b, a, cond == 0): four condition bytes widened to 32-bit lane masks
      f.simd(SimdOp.i16x8ExtendLowI8x16U).simd(SimdOp.i32x4ExtendLowI16x8U)
      f.simd(SimdOp.v128Const).code.bytes(new Uint8Array(16))
      f.simd(SimdOp.i32x4Eq)
    } else {
      // bitselect(b, a, cond == 0): two condition bytes compared with 0, sign-extended to 64 bits
      f.simd(SimdOp.v128Const).code.bytes(new Uint8Array(16))
      f.simd(SimdOp.i8x16Eq)
      f.simd(SimdOp.i16x8ExtendLowI8x16S).simd(SimdOp.i32x4ExtendLowI16x8S).simd(SimdOp.i64x2ExtendLowI32x4S)
    }
    f.simd(SimdOp.v128Bitselect)
    f.simdMem(SimdOp.v128Store, t.alignLog2, 0)
    f.addTo(cq, t.lanes)
    f.get(A).get(aStep).op(Op.i32Add).set(A)
    f.get(B).get(bStep).op(Op.i32Add).set(B)
  })
  f.end()
  return f
}

/** Module 2: unary kernels `<op>_<f32|f64>`. */
export function buildUnaryModule(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder().importMemory('env', 'memory', 1)
  for (const t of [F32T, F64T]) for (const op of PLAIN_UNARY) m.func(`${op}_${t.name}`, buildUnary(t, op))
  return m.encode()
}

/** Module 5: the float32 transcendental kernels `tanh_f32`, `exp_f32`, `log_f32`. */
export function buildMathModule(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder().importMemory('env', 'memory', 1)
  for (const op of ['tanh', 'exp', 'log'] as const) m.func(`${op}_f32`, buildTranscendental(op))
  return m.encode()
}

// -------------------------------------------------------------------------------------
// comparisons, float64 select
// -------------------------------------------------------------------------------------

/** The comparisons with a wasm kernel (gt and ge run as lt and le with swapped operands). */
export type WasmCompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'
type CoreCompareOp = 'eq' | 'ne' | 'lt' | 'le'
const CORE_COMPARE: ReadonlyArray<CoreCompareOp> = ['eq', 'ne', 'lt', 'le']

/**
 * `op(rows, cols, a, aRowStride, b, bRowStride, out, mode)` as `buildBinary`, writing one byte
 * (1 or 0) per element, 16 elements per step: the lane masks are narrowed i32 → i16 → i8
 * (float64: i64 masks narrow to duplicated bytes, then a shuffle keeps every other one) and
 * negated to 1. Rows of the output are cols bytes apart; steps overrun by up to 15 elements.
 */
function buildCompare(t: ElemType, op: CoreCompareOp): FuncBuilder {
  const E = t.bytes
  const G = 16 / t.lanes
  const cmp = op === 'eq' ? t.eq : op === 'ne' ? t.ne : op === 'lt' ? t.lt : t.le
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32, I32, I32], [])
  const { COLS, A, B, O } = ROW_PARAMS
  const end = f.local(I32)
  const q = f.local(I32)
  const qi = f.local(I32)
  const va = f.local(V128)
  const vb = f.local(V128)
  f.get(COLS).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(end)
  /** Pushes the mask of vector g of this step. */
  const mask = (g: number, aVec: boolean, bVec: boolean): void => {
    if (aVec) addr(f, A, qi).simdMem(SimdOp.v128Load, t.alignLog2, 16 * g)
    else f.get(va)
    if (bVec) addr(f, B, qi).simdMem(SimdOp.v128Load, t.alignLog2, 16 * g)
    else f.get(vb)
    f.simd(cmp)
  }
  /** Pushes 16 bytes (−1 or 0, in order) for the masks of vectors g0 … g0+3 (f32) or duplicated pairs (f64). */
  const quad = (g0: number, aVec: boolean, bVec: boolean): void => {
    mask(g0, aVec, bVec)
    mask(g0 + 1, aVec, bVec)
    f.simd(SimdOp.i16x8NarrowI32x4S)
    mask(g0 + 2, aVec, bVec)
    mask(g0 + 3, aVec, bVec)
    f.simd(SimdOp.i16x8NarrowI32x4S)
    f.simd(SimdOp.i8x16NarrowI16x8S)
  }
  const inner = (aVec: boolean, bVec: boolean): void => {
    f.i32(0).set(qi)
    vectorLoop(f, q, end, () => {
      addr(f, O, q)
      quad(0, aVec, bVec)
      if (G === 8) {
        quad(4, aVec, bVec)
        f.shuffle([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30])
      }
      f.simd(SimdOp.i8x16Neg)
      f.simdMem(SimdOp.v128Store, 0, 0)
      f.addTo(qi, 16 * E)
    })
  }
  rowsByMode(f, t, COLS, va, vb, inner)
  return f
}

/**
 * Modules 3 and 4 (one per dtype, to stay under 4 KiB): comparisons `<eq|ne|lt|le>_<f32|f64>`
 * and `select_<f32|f64>`.
 */
export function buildCompareModule(dtype: 'f32' | 'f64'): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder().importMemory('env', 'memory', 1)
  const t = dtype === 'f32' ? F32T : F64T
  for (const op of CORE_COMPARE) m.func(`${op}_${t.name}`, buildCompare(t, op))
  m.func(`select_${t.name}`, buildSelect(t))
  return m.encode()
}

// -------------------------------------------------------------------------------------
// instances
// -------------------------------------------------------------------------------------

type BinaryFn = (
  rows: number,
  cols: number,
  a: number,
  ars: number,
  b: number,
  brs: number,
  o: number,
  mode: number,
) => void
type UnaryFn = (n: number, a: number, o: number) => void
type SelectFn = (n: number, c: number, a: number, b: number, o: number, mode: number) => void

interface BinaryKernels {
  readonly f32: Readonly<Record<WasmBinaryOp, BinaryFn>>
  readonly f64: Readonly<Record<WasmBinaryOp, BinaryFn>>
}

interface UnaryKernels {
  readonly f32: Readonly<Record<PlainUnaryOp, UnaryFn>>
  readonly f64: Readonly<Record<PlainUnaryOp, UnaryFn>>
  readonly f32Math: Readonly<Record<Transcendental, UnaryFn>>
}

interface CompareKernels {
  readonly f32: Readonly<Record<CoreCompareOp, BinaryFn>>
  readonly f64: Readonly<Record<CoreCompareOp, BinaryFn>>
  readonly select32: SelectFn
  readonly select64: SelectFn
}

let binaryKernels: BinaryKernels | null | undefined
let unaryKernels: UnaryKernels | null | undefined
let compareKernels: CompareKernels | null | undefined

/** The exports `<op>_<suffix>` for every op, or null if one is missing. */
function exportTable<Name extends string, F>(
  ex: WebAssembly.Exports,
  ops: ReadonlyArray<Name>,
  suffix: string,
): Record<Name, F> | null {
  const table: Partial<Record<Name, F>> = {}
  for (const op of ops) {
    const fn = exported<F>(ex, `${op}_${suffix}`)
    if (fn === null) return null
    table[op] = fn
  }
  return table as Record<Name, F>
}

function getCompare(): CompareKernels | null {
  if (compareKernels === undefined) {
    const ex32 = instantiate(buildCompareModule('f32'))
    const ex64 = instantiate(buildCompareModule('f64'))
    const f32 = ex32 === null ? null : exportTable<CoreCompareOp, BinaryFn>(ex32, CORE_COMPARE, 'f32')
    const f64 = ex64 === null ? null : exportTable<CoreCompareOp, BinaryFn>(ex64, CORE_COMPARE, 'f64')
    const select32 = ex32 === null ? null : exported<SelectFn>(ex32, 'select_f32')
    const select64 = ex64 === null ? null : exported<SelectFn>(ex64, 'select_f64')
    compareKernels =
      f32 === null || f64 === null || select32 === null || select64 === null ? null : { f32, f64, select32, select64 }
  }
  return compareKernels
}

function getBinary(): BinaryKernels | null {
  if (binaryKernels === undefined) {
    const ex32 = instantiate(buildBinaryModule('f32'))
    const ex64 = instantiate(buildBinaryModule('f64'))
    const f32 = ex32 === null ? null : exportTable<WasmBinaryOp, BinaryFn>(ex32, WASM_BINARY_OPS, 'f32')
    const f64 = ex64 === null ? null : exportTable<WasmBinaryOp, BinaryFn>(ex64, WASM_BINARY_OPS, 'f64')
    binaryKernels = f32 === null || f64 === null ? null : { f32, f64 }
  }
  return binaryKernels
}

const PLAIN_UNARY = ['neg', 'abs', 'sqrt', 'square'] as const
type PlainUnaryOp = (typeof PLAIN_UNARY)[number]

function getUnary(): UnaryKernels | null {
  if (unaryKernels === undefined) {
    const ex = instantiate(buildUnaryModule())
    const f32 = ex === null ? null : exportTable<PlainUnaryOp, UnaryFn>(ex, PLAIN_UNARY, 'f32')
    const f64 = ex === null ? null : exportTable<PlainUnaryOp, UnaryFn>(ex, PLAIN_UNARY, 'f64')
    const exMath = instantiate(buildMathModule())
    const f32Math = exMath === null ? null : exportTable<Transcendental, UnaryFn>(exMath, ['tanh', 'exp', 'log'], 'f32')
    unaryKernels = f32 === null || f64 === null || f32Math === null ? null : { f32, f64, f32Math }
  }
  return unaryKernels
}

/** True when the element-wise wasm modules validated and instantiated in this runtime. */
export function wasmElementwiseAvailable(): boolean {
  return getBinary() !== null && getUnary() !== null && getCompare() !== null
}

// -------------------------------------------------------------------------------------
// drivers
// -------------------------------------------------------------------------------------

type FloatBuffer = Float32Array | Float64Array

/** Elements per staged chunk (64 KiB of float32, 128 KiB of float64 per buffer). */
let CHUNK = 16384
/** Slack after every staging buffer, in bytes (a comparison step may read 15 elements past the end). */
const PAD = 128

/** Sets the chunk size in elements (a multiple of 16; testing hook). Returns the previous one. */
export function setWasmChunk(elements: number): number {
  const prev = CHUNK
  CHUNK = Math.max(16, elements & ~15)
  return prev
}

const align16 = (bytes: number): number => (bytes + 15) & ~15

function floatView(v: MemoryViews, f64: boolean): FloatBuffer {
  return f64 ? v.f64 : v.f32
}

/**
 * How an operand maps onto the [rows, cols] output: FULL (rows·cols elements, row-major like the
 * output), SCALAR (one element), ROW (cols elements, the same for every row), COL (rows
 * elements, one per row).
 */
export type Kind = 0 | 1 | 2 | 3
export const FULL = 0
export const SCALAR = 1
export const ROW = 2
export const COL = 3

/**
 * out[r, c] = a[…] op b[…] over a [rows, cols] output, each operand laid out as its Kind says.
 * a, b and out share the float type; a and b may not both be per-row scalars (Scalar/Col).
 * Returns false (doing nothing) when the kernels are unavailable.
 */
export function binaryWasm(
  op: WasmBinaryOp,
  a: FloatBuffer,
  aKind: Kind,
  b: FloatBuffer,
  bKind: Kind,
  out: FloatBuffer,
  rows: number,
  cols: number,
): boolean {
  const k = getBinary()
  if (k === null) return false
  runBinary((out instanceof Float64Array ? k.f64 : k.f32)[op], a, aKind, b, bKind, out, rows, cols)
  return true
}

/**
 * out[r, c] = a[…] op b[…] as bool bytes (1/0) over a [rows, cols] output, with the operand
 * layouts of `binaryWasm`; a and b share the float type. Returns false when unavailable.
 */
export function compareWasm(
  op: WasmCompareOp,
  a: FloatBuffer,
  aKind: Kind,
  b: FloatBuffer,
  bKind: Kind,
  out: Uint8Array,
  rows: number,
  cols: number,
): boolean {
  const k = getCompare()
  if (k === null) return false
  const table = a instanceof Float64Array ? k.f64 : k.f32
  // gt and ge are lt and le with the operands swapped.
  if (op === 'gt' || op === 'ge') runBinary(table[op === 'gt' ? 'lt' : 'le'], b, bKind, a, aKind, out, rows, cols)
  else runBinary(table[op], a, aKind, b, bKind, out, rows, cols)
  return true
}

/** The chunked driver behind `binaryWasm` and `compareWasm` (out: floats, or bool bytes). */
function runBinary(
  fn: BinaryFn,
  a: FloatBuffer,
  aKind: Kind,
  b: FloatBuffer,
  bKind: Kind,
  out: FloatBuffer | Uint8Array,
  rows: number,
  cols: number,
): void {
  const f64 = a instanceof Float64Array
  const E = f64 ? 8 : 4
  const ch = CHUNK
  const aScalar = aKind === SCALAR || aKind === COL
  const bScalar = bKind === SCALAR || bKind === COL
  const mode = aScalar ? 1 : bScalar ? 2 : 0
  // Layout (bytes): chunk of a, chunk of b, chunk of out, then the broadcast operands whole.
  const chunkBytes = align16(ch * E + PAD)
  const aChunk = 0
  const bChunk = chunkBytes
  const oChunk = 2 * chunkBytes
  const aSmall = 3 * chunkBytes
  const aSmallLen = aKind === FULL ? 0 : a.length
  const bSmall = align16(aSmall + aSmallLen * E + PAD)
  const bSmallLen = bKind === FULL ? 0 : b.length
  const views = ensureBytes(bSmall + bSmallLen * E + PAD)
  const mem = floatView(views, f64)
  if (aSmallLen > 0) mem.set(a, aSmall / E)
  if (bSmallLen > 0) mem.set(b, bSmall / E)
  // The output chunk as a view of out's type; bool output is one byte per element.
  const bytesOut = out instanceof Uint8Array
  const oView: FloatBuffer | Uint8Array = bytesOut ? views.u8 : mem
  const oBase = bytesOut ? oChunk : oChunk / E
  // x op x (e.g. y·y): stage the operand once and point both pointers at it.
  const same = a === b && aKind === FULL && bKind === FULL
  if (rows === 1 || cols >= ch) {
    // Row by row, in pieces of at most ch columns.
    for (let r = 0; r < rows; r++) {
      for (let c0 = 0; c0 < cols; c0 += ch) {
        const len = cols - c0 < ch ? cols - c0 : ch
        const s = r * cols + c0
        let ap: number
        let bp: number
        if (aKind === FULL) {
          mem.set(a.subarray(s, s + len), aChunk / E)
          ap = aChunk
        } else {
          ap = aSmall + (aKind === ROW ? c0 : aKind === COL ? r : 0) * E
        }
        if (same) {
          bp = aChunk
        } else if (bKind === FULL) {
          mem.set(b.subarray(s, s + len), bChunk / E)
          bp = bChunk
        } else {
          bp = bSmall + (bKind === ROW ? c0 : bKind === COL ? r : 0) * E
        }
        fn(1, len, ap, 0, bp, 0, oChunk, mode)
        out.set(oView.subarray(oBase, oBase + len), s)
      }
    }
    return
  }
  // Blocks of whole rows.
  const h = Math.floor(ch / cols)
  const rowBytes = cols * E
  for (let r0 = 0; r0 < rows; r0 += h) {
    const hh = rows - r0 < h ? rows - r0 : h
    const s = r0 * cols
    const len = hh * cols
    let ap: number
    let ars: number
    let bp: number
    let brs: number
    if (aKind === FULL) {
      mem.set(a.subarray(s, s + len), aChunk / E)
      ap = aChunk
      ars = rowBytes
    } else {
      ap = aSmall + (aKind === COL ? r0 * E : 0)
      ars = aKind === COL ? E : 0
    }
    if (same) {
      bp = aChunk
      brs = rowBytes
    } else if (bKind === FULL) {
      mem.set(b.subarray(s, s + len), bChunk / E)
      bp = bChunk
      brs = rowBytes
    } else {
      bp = bSmall + (bKind === COL ? r0 * E : 0)
      brs = bKind === COL ? E : 0
    }
    fn(hh, cols, ap, ars, bp, brs, oChunk, mode)
    out.set(oView.subarray(oBase, oBase + len), s)
  }
}

/**
 * out = op(x) element-wise (same length, same float type; tanh: Float32Array only). Returns false
 * when the kernels are unavailable.
 */
export function unaryWasm(op: WasmUnaryOp, x: FloatBuffer, out: FloatBuffer): boolean {
  const k = getUnary()
  if (k === null) return false
  const f64 = out instanceof Float64Array
  const math = op === 'tanh' || op === 'exp' || op === 'log'
  if (math && f64) return false
  const E = f64 ? 8 : 4
  const ch = CHUNK
  const n = x.length
  const chunkBytes = align16(ch * E + PAD)
  const oChunk = chunkBytes
  const mem = floatView(ensureBytes(2 * chunkBytes), f64)
  const oBase = oChunk / E
  const fn = math ? k.f32Math[op] : (f64 ? k.f64 : k.f32)[op]
  for (let s = 0; s < n; s += ch) {
    const len = n - s < ch ? n - s : ch
    mem.set(x.subarray(s, s + len), 0)
    fn(len, 0, oChunk)
    out.set(mem.subarray(oBase, oBase + len), s)
  }
  return true
}

/**
 * out[i] = cond[i] ? a[…] : b[…] over float32 or float64, cond full-length bytes; a and b
 * full-length or (aScalar / bScalar) one element. Returns false when the kernels are unavailable.
 */
export function selectWasm(
  cond: Uint8Array,
  a: FloatBuffer,
  aScalar: boolean,
  b: FloatBuffer,
  bScalar: boolean,
  out: FloatBuffer,
): boolean {
  const f64 = out instanceof Float64Array
  const k = getCompare()
  if (k === null) return false
  const fn = f64 ? k.select64 : k.select32
  const E = f64 ? 8 : 4
  const ch = CHUNK
  const n = out.length
  const chunkBytes = align16(ch * E + PAD)
  const aChunk = 0
  const bChunk = chunkBytes
  const oChunk = 2 * chunkBytes
  const cChunk = 3 * chunkBytes
  const views = ensureBytes(cChunk + align16(ch + PAD))
  const mem = floatView(views, f64)
  const mode = (aScalar ? 1 : 0) | (bScalar ? 2 : 0)
  // A scalar branch is staged as a whole vector of copies, read with pointer step 0.
  if (aScalar) mem.fill(a[0] as number, aChunk / E, aChunk / E + 16 / E)
  if (bScalar) mem.fill(b[0] as number, bChunk / E, bChunk / E + 16 / E)
  const oBase = oChunk / E
  for (let s = 0; s < n; s += ch) {
    const len = n - s < ch ? n - s : ch
    views.u8.set(cond.subarray(s, s + len), cChunk)
    if (!aScalar) mem.set(a.subarray(s, s + len), aChunk / E)
    if (!bScalar) mem.set(b.subarray(s, s + len), bChunk / E)
    fn(len, cChunk, aChunk, bChunk, oChunk, mode)
    out.set(mem.subarray(oBase, oBase + len), s)
  }
  return true
}
