/**
 * Matrix-vector products on WebAssembly SIMD (f32x4 for float32, f64x2 for float64): the n = 1 and
 * m = 1 cases of gemm, where the register-tiled gemm kernel would waste its tile on padding.
 *
 * Two kernels per dtype, on a row-major matrix M[rows×len] and a vector v:
 * - `dot`:  out[i] = Σ_p M[i, p] · v[p]   (out has `rows` entries): four rows at a time share
 *   each load of v; a scalar loop finishes rows whose length is not a whole number of vectors.
 * - `axpy`: out[j] = Σ_p v[p] · M[p, j]   (out has `len` entries): four rows of M at a time are
 *   scaled and added into out, which stays in L1. The last vector of a row may run past its end
 *   (reading the next row, or the padding after M) into padding lanes of out, never copied back.
 *
 * The module (generated at load time by `./assembler`, compiled on first use) imports the shared
 * memory of `./runtime`; the driver copies M and v in, runs a kernel and copies out back.
 */
import { InternalError } from '../../errors'
import { F32, F64, FuncBuilder, I32, ModuleBuilder, Op, SimdOp, V128, type ValType } from './assembler'
import { ensureBytes, exported, instantiate } from './runtime'

interface ElemType {
  readonly bytes: number
  readonly alignLog2: number
  readonly lanes: number
  readonly scalar: ValType
  readonly load: number
  readonly store: number
  readonly add: number
  readonly mul: number
  readonly simdAdd: number
  readonly simdMul: number
  readonly splat: number
  readonly extract: number
}

const F32T: ElemType = {
  bytes: 4,
  alignLog2: 2,
  lanes: 4,
  scalar: F32,
  load: Op.f32Load,
  store: Op.f32Store,
  add: Op.f32Add,
  mul: Op.f32Mul,
  simdAdd: SimdOp.f32x4Add,
  simdMul: SimdOp.f32x4Mul,
  splat: SimdOp.v128Load32Splat,
  extract: SimdOp.f32x4ExtractLane,
}

const F64T: ElemType = {
  bytes: 8,
  alignLog2: 3,
  lanes: 2,
  scalar: F64,
  load: Op.f64Load,
  store: Op.f64Store,
  add: Op.f64Add,
  mul: Op.f64Mul,
  simdAdd: SimdOp.f64x2Add,
  simdMul: SimdOp.f64x2Mul,
  splat: SimdOp.v128Load64Splat,
  extract: SimdOp.f64x2ExtractLane,
}

/** Rows per block in both kernels. */
const R = 4

/** Pushes a zero v128. */
function zero(f: FuncBuilder): void {
  f.simd(SimdOp.v128Const).code.bytes(new Uint8Array(16))
}

/** Runs `block(R)` while at least R rows are left in the param `rowsParam`, then `block(1)` for the rest. */
function rowBlocks(f: FuncBuilder, rowsParam: number, R: number, block: (rows: number) => void): void {
  for (const rows of [R, 1]) {
    f.begin(Op.block)
    f.begin(Op.loop)
    f.get(rowsParam).i32(rows).op(Op.i32LtS).brIf(1)
    block(rows)
    f.br(0)
    f.end()
    f.end()
  }
}

/** `dot(rows, len, mat, vec, out)`, pointers in bytes. */
function buildDot(t: ElemType): FuncBuilder {
  const E = t.bytes
  const f = new FuncBuilder([I32, I32, I32, I32, I32], [])
  const P_ROWS = 0
  const P_LEN = 1
  const P_MAT = 2
  const P_VEC = 3
  const P_OUT = 4
  const lenBytes = f.local(I32)
  const vecEnd = f.local(I32)
  const q = f.local(I32)
  const v = f.local(V128)
  const rowPtr: number[] = []
  const acc: number[] = []
  const tail: number[] = []
  for (let r = 0; r < R; r++) {
    rowPtr.push(f.local(I32))
    acc.push(f.local(V128))
    tail.push(f.local(t.scalar))
  }
  const at = (xs: number[], i: number): number => xs[i] ?? 0
  f.get(P_LEN).i32(E).op(Op.i32Mul).set(lenBytes)
  // Bytes of each row covered by whole vectors.
  f.get(lenBytes).i32(-16).op(Op.i32And).set(vecEnd)

  /** One pass over `rows` rows starting at P_MAT, writing `rows` results at P_OUT. */
  const block = (rows: number): void => {
    for (let r = 0; r < rows; r++) {
      if (r === 0) f.get(P_MAT).set(at(rowPtr, 0))
      else
        f.get(at(rowPtr, r - 1))
          .get(lenBytes)
          .op(Op.i32Add)
          .set(at(rowPtr, r))
      zero(f)
      f.set(at(acc, r))
    }
    f.i32(0).set(q)
    f.begin(Op.block)
    f.begin(Op.loop)
    f.get(q).get(vecEnd).op(Op.i32GeU).brIf(1)
    f.get(P_VEC).get(q).op(Op.i32Add).simdMem(SimdOp.v128Load, t.alignLog2, 0).set(v)
    for (let r = 0; r < rows; r++) {
      f.get(at(acc, r))
      f.get(at(rowPtr, r)).get(q).op(Op.i32Add).simdMem(SimdOp.v128Load, t.alignLog2, 0)
      f.get(v).simd(t.simdMul).simd(t.simdAdd).set(at(acc, r))
    }
    f.addTo(q, 16)
    f.br(0)
    f.end()
    f.end()
    // Horizontal sums, then the scalar tail of each row.
    for (let r = 0; r < rows; r++) {
      f.get(at(acc, r)).lane(t.extract, 0)
      for (let l = 1; l < t.lanes; l++) f.get(at(acc, r)).lane(t.extract, l).op(t.add)
      f.set(at(tail, r))
    }
    f.begin(Op.block)
    f.begin(Op.loop)
    f.get(q).get(lenBytes).op(Op.i32GeU).brIf(1)
    for (let r = 0; r < rows; r++) {
      f.get(at(tail, r))
      f.get(at(rowPtr, r)).get(q).op(Op.i32Add).mem(t.load, t.alignLog2, 0)
      f.get(P_VEC).get(q).op(Op.i32Add).mem(t.load, t.alignLog2, 0)
      f.op(t.mul).op(t.add).set(at(tail, r))
    }
    f.addTo(q, E)
    f.br(0)
    f.end()
    f.end()
    for (let r = 0; r < rows; r++)
      f.get(P_OUT)
        .get(at(tail, r))
        .mem(t.store, t.alignLog2, r * E)
    f.addTo(P_OUT, rows * E)
    f.get(P_MAT).get(lenBytes).i32(rows).op(Op.i32Mul).op(Op.i32Add).set(P_MAT)
    f.get(P_ROWS).i32(rows).op(Op.i32Sub).set(P_ROWS)
  }
  rowBlocks(f, P_ROWS, R, block)
  return f
}

/** `axpy(rows, len, mat, vec, out)`, pointers in bytes; out is overwritten. */
function buildAxpy(t: ElemType): FuncBuilder {
  const E = t.bytes
  const f = new FuncBuilder([I32, I32, I32, I32, I32], [])
  const P_ROWS = 0
  const P_LEN = 1
  const P_MAT = 2
  const P_VEC = 3
  const P_OUT = 4
  const lenBytes = f.local(I32)
  const vecEnd = f.local(I32)
  const q = f.local(I32)
  const rowPtr: number[] = []
  const scale: number[] = []
  for (let r = 0; r < R; r++) {
    rowPtr.push(f.local(I32))
    scale.push(f.local(V128))
  }
  const at = (xs: number[], i: number): number => xs[i] ?? 0
  f.get(P_LEN).i32(E).op(Op.i32Mul).set(lenBytes)
  // Row length in bytes rounded up to whole vectors.
  f.get(lenBytes).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(vecEnd)
  // out = 0
  f.i32(0).set(q)
  f.begin(Op.block)
  f.begin(Op.loop)
  f.get(q).get(vecEnd).op(Op.i32GeU).brIf(1)
  f.get(P_OUT).get(q).op(Op.i32Add)
  zero(f)
  f.simdMem(SimdOp.v128Store, t.alignLog2, 0)
  f.addTo(q, 16)
  f.br(0)
  f.end()
  f.end()
  const block = (rows: number): void => {
    for (let r = 0; r < rows; r++) {
      if (r === 0) f.get(P_MAT).set(at(rowPtr, 0))
      else
        f.get(at(rowPtr, r - 1))
          .get(lenBytes)
          .op(Op.i32Add)
          .set(at(rowPtr, r))
      f.get(P_VEC)
        .simdMem(t.splat, t.alignLog2, r * E)
        .set(at(scale, r))
    }
    f.i32(0).set(q)
    f.begin(Op.block)
    f.begin(Op.loop)
    f.get(q).get(vecEnd).op(Op.i32GeU).brIf(1)
    f.get(P_OUT).get(q).op(Op.i32Add) // store address
    f.get(P_OUT).get(q).op(Op.i32Add).simdMem(SimdOp.v128Load, t.alignLog2, 0)
    for (let r = 0; r < rows; r++) {
      f.get(at(rowPtr, r)).get(q).op(Op.i32Add).simdMem(SimdOp.v128Load, t.alignLog2, 0)
      f.get(at(scale, r)).simd(t.simdMul).simd(t.simdAdd)
    }
    f.simdMem(SimdOp.v128Store, t.alignLog2, 0)
    f.addTo(q, 16)
    f.br(0)
    f.end()
    f.end()
    f.addTo(P_VEC, rows * E)
    f.get(P_MAT).get(lenBytes).i32(rows).op(Op.i32Mul).op(Op.i32Add).set(P_MAT)
    f.get(P_ROWS).i32(rows).op(Op.i32Sub).set(P_ROWS)
  }
  rowBlocks(f, P_ROWS, R, block)
  return f
}

/** The module bytes: `dot_f32`, `axpy_f32`, `dot_f64`, `axpy_f64`; memory imported as env.memory. */
export function buildGemvModule(): Uint8Array<ArrayBuffer> {
  return new ModuleBuilder()
    .importMemory('env', 'memory', 1)
    .func('dot_f32', buildDot(F32T))
    .func('axpy_f32', buildAxpy(F32T))
    .func('dot_f64', buildDot(F64T))
    .func('axpy_f64', buildAxpy(F64T))
    .encode()
}

type GemvFn = (rows: number, len: number, mat: number, vec: number, out: number) => void

interface GemvKernels {
  readonly dot32: GemvFn
  readonly axpy32: GemvFn
  readonly dot64: GemvFn
  readonly axpy64: GemvFn
}

/** undefined = not tried yet, null = unavailable. */
let kernels: GemvKernels | null | undefined

function init(): GemvKernels | null {
  const ex = instantiate(buildGemvModule())
  if (ex === null) return null
  const dot32 = exported<GemvFn>(ex, 'dot_f32')
  const axpy32 = exported<GemvFn>(ex, 'axpy_f32')
  const dot64 = exported<GemvFn>(ex, 'dot_f64')
  const axpy64 = exported<GemvFn>(ex, 'axpy_f64')
  if (dot32 === null || axpy32 === null || dot64 === null || axpy64 === null) return null
  return { dot32, axpy32, dot64, axpy64 }
}

function getKernels(): GemvKernels | null {
  if (kernels === undefined) kernels = init()
  return kernels
}

/** True when the WebAssembly SIMD matrix-vector kernels validated and instantiated. */
export function wasmGemvAvailable(): boolean {
  return getKernels() !== null
}

type FloatBuffer = Float32Array | Float64Array

const align16 = (bytes: number): number => (bytes + 15) & ~15

/** Matrices above this many bytes are staged in blocks of rows (bounds the memory's growth). */
let matMaxBytes = 32 * 1024 * 1024

/** Sets the block size in bytes for staging the matrix (testing hook); returns the previous one. */
export function setGemvBlockBytes(bytes: number): number {
  const prev = matMaxBytes
  matMaxBytes = bytes
  return prev
}

/**
 * c[cOff + i] (+)= Σ_p mat[matOff + i·len + p] · vec[vecOff + p] for i < rows (`dot`), or
 * c[cOff + j] (+)= Σ_p vec[vecOff + p] · mat[matOff + p·len + j] for j < len (`axpy`, p < rows).
 * beta 0 overwrites, 1 accumulates. mat, vec and c share one dtype; bounds are the caller's.
 */
export function gemvWasmImpl(
  axpy: boolean,
  rows: number,
  len: number,
  mat: FloatBuffer,
  matOff: number,
  vec: FloatBuffer,
  vecOff: number,
  c: FloatBuffer,
  cOff: number,
  beta: 0 | 1,
): void {
  const k = getKernels()
  if (k === null)
    throw new InternalError('gemvWasm: WebAssembly SIMD is not available (check wasmGemvAvailable() first)')
  const outLen = axpy ? len : rows
  if (outLen <= 0) return
  const f64 = c instanceof Float64Array
  const E = f64 ? 8 : 4
  const vecLen = axpy ? rows : len
  // Rows of M per staged block (one block unless M is large).
  const rowBytes = len * E
  const rb = rows * rowBytes <= matMaxBytes || rowBytes === 0 ? rows : Math.max(1, Math.floor(matMaxBytes / rowBytes))
  // Layout (bytes): v, out, then a block of M and 16 bytes of slack (a row's last vector may
  // read past the block's end).
  const outPtr = align16(vecLen * E)
  const matPtr = align16(outPtr + outLen * E + 16)
  const views = ensureBytes(matPtr + align16(rb * rowBytes) + 16)
  const mem: FloatBuffer = f64 ? views.f64 : views.f32
  mem.set(vec.subarray(vecOff, vecOff + vecLen), 0)
  const fn = f64 ? (axpy ? k.axpy64 : k.dot64) : axpy ? k.axpy32 : k.dot32
  const o = outPtr / E
  for (let r0 = 0; r0 < rows || r0 === 0; r0 += rb) {
    const h = rows - r0 < rb ? rows - r0 : rb
    mem.set(mat.subarray(matOff + r0 * len, matOff + (r0 + h) * len), matPtr / E)
    if (axpy) {
      // This block's partial sums (the kernel overwrites out), added to c.
      fn(h, len, matPtr, r0 * E, outPtr)
      addInto(c, cOff, mem, o, outLen, r0 === 0 ? beta : 1)
    } else {
      fn(h, len, matPtr, 0, outPtr + r0 * E)
    }
  }
  if (!axpy) addInto(c, cOff, mem, o, outLen, beta)
}

/** c[cOff:cOff+n] = src[s:s+n] (beta 0) or += (beta 1). */
function addInto(c: FloatBuffer, cOff: number, src: FloatBuffer, s: number, n: number, beta: 0 | 1): void {
  if (beta === 0) c.set(src.subarray(s, s + n), cOff)
  else for (let i = 0; i < n; i++) c[cOff + i] = (c[cOff + i] as number) + (src[s + i] as number)
}
