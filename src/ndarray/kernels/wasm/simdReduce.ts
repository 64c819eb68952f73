/**
 * Sum and max reductions on WebAssembly SIMD for large float arrays, for the two layouts of
 * `../reduce.ts`: rows (each contiguous run of `red` elements reduces to one value) and columns
 * (`red` rows of `inner` elements reduce element-wise into an accumulator row).
 *
 * Sums accumulate in float64 (float32 lanes promoted to f64x2), as the JS loops do; the order
 * differs (per-lane partial sums), so a float64 sum may differ from the JS one in its last bits.
 * Max follows the JS rule `v > acc || v !== v` lane by lane (NaN wins and sticks); lanes are
 * combined in order, so only the sign of a zero maximum may differ from the sequential loop.
 *
 * Like `./simdElementwise`, the drivers stream operands through the shared memory in chunks.
 * The row kernels stop at the last whole step of a row and leave the partial lanes per row; the
 * driver combines them and the few tail elements in JS.
 */
import { FuncBuilder, I32, ModuleBuilder, Op, SimdOp, V128 } from './assembler'
import { ensureBytes, exported, instantiate } from './runtime'
import type { TypedArray } from '../../dtype'

/** The reductions with a wasm kernel. */
export type WasmReduceOp = 'sum' | 'max'

interface ElemType {
  readonly name: 'f32' | 'f64'
  readonly bytes: number
  readonly alignLog2: number
  readonly gt: number
  readonly ne: number
}

const F32T: ElemType = { name: 'f32', bytes: 4, alignLog2: 2, gt: SimdOp.f32x4Gt, ne: SimdOp.f32x4Ne }
const F64T: ElemType = { name: 'f64', bytes: 8, alignLog2: 3, gt: SimdOp.f64x2Gt, ne: SimdOp.f64x2Ne }

/** Bytes of input consumed per step of the row kernels (two accumulators per step). */
const STEP: Record<'f32' | 'f64', number> = { f32: 16, f64: 32 }
/** Bytes of partial results per row written by the row kernels. */
const ROW_OUT = 32

function constV128(f: FuncBuilder, bytes: Uint8Array): void {
  f.simd(SimdOp.v128Const).code.bytes(bytes)
}

function negInfinity(f: FuncBuilder, t: ElemType): void {
  const b = new Uint8Array(16)
  const dv = new DataView(b.buffer)
  if (t.bytes === 8) {
    dv.setFloat64(0, -Infinity, true)
    dv.setFloat64(8, -Infinity, true)
  } else {
    for (let i = 0; i < 4; i++) dv.setFloat32(4 * i, -Infinity, true)
  }
  constV128(f, b)
}

/** acc = (v > acc || v !== v) ? v : acc, lane-wise (locals). */
function maxStep(f: FuncBuilder, t: ElemType, acc: number, v: number): void {
  f.get(v).get(acc)
  f.get(v).get(acc).simd(t.gt)
  f.get(v).get(v).simd(t.ne)
  f.simd(SimdOp.v128Or).simd(SimdOp.v128Bitselect).set(acc)
}

/** Pushes the high two f32 lanes of local v as f64x2. */
function promoteHigh(f: FuncBuilder, v: number): void {
  f.get(v).get(v).shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15])
  f.simd(SimdOp.f64x2PromoteLowF32x4)
}

/**
 * `<op>Rows(rows, len, ptr, out)`: for each row of `len` elements (row stride len·E bytes), the
 * whole steps of the row reduce into two v128 accumulators, stored as 32 bytes at out (then
 * out += 32). sum: f64x2 accumulators (f32 lanes 0-1 and 2-3, or even and odd f64 vectors);
 * max: lanes of the element type (f32: one f32x4 and −∞ padding; f64: two f64x2).
 */
function buildRows(t: ElemType, op: WasmReduceOp): FuncBuilder {
  const E = t.bytes
  const f = new FuncBuilder([I32, I32, I32, I32], [])
  const ROWS = 0
  const LEN = 1
  const PTR = 2
  const OUT = 3
  const rowBytes = f.local(I32)
  const end = f.local(I32)
  const p = f.local(I32)
  const v = f.local(V128)
  const acc0 = f.local(V128)
  const acc1 = f.local(V128)
  const S = STEP[t.name]
  f.get(LEN).i32(E).op(Op.i32Mul).tee(rowBytes).i32(-S).op(Op.i32And).set(end)
  f.begin(Op.block)
  f.begin(Op.loop)
  f.get(ROWS).op(Op.i32Eqz).brIf(1)
  const init = (): void => {
    if (op === 'sum') constV128(f, new Uint8Array(16))
    else negInfinity(f, t)
  }
  init()
  f.set(acc0)
  init()
  f.set(acc1)
  // p runs over the row's whole steps: [PTR, PTR + end).
  f.get(PTR).set(p)
  f.get(PTR).get(end).op(Op.i32Add).set(end)
  f.begin(Op.block)
  f.begin(Op.loop)
  f.get(p).get(end).op(Op.i32GeU).brIf(1)
  if (t.name === 'f32') {
    f.get(p).simdMem(SimdOp.v128Load, 2, 0).set(v)
    if (op === 'sum') {
      f.get(acc0).get(v).simd(SimdOp.f64x2PromoteLowF32x4).simd(SimdOp.f64x2Add).set(acc0)
      f.get(acc1)
      promoteHigh(f, v)
      f.simd(SimdOp.f64x2Add).set(acc1)
    } else {
      maxStep(f, t, acc0, v)
    }
  } else {
    f.get(p).simdMem(SimdOp.v128Load, 3, 0).set(v)
    if (op === 'sum') f.get(acc0).get(v).simd(SimdOp.f64x2Add).set(acc0)
    else maxStep(f, t, acc0, v)
    f.get(p).simdMem(SimdOp.v128Load, 3, 16).set(v)
    if (op === 'sum') f.get(acc1).get(v).simd(SimdOp.f64x2Add).set(acc1)
    else maxStep(f, t, acc1, v)
  }
  f.addTo(p, S)
  f.br(0)
  f.end()
  f.end()
  f.get(end).get(PTR).op(Op.i32Sub).set(end)
  f.get(OUT).get(acc0).simdMem(SimdOp.v128Store, 3, 0)
  f.get(OUT).get(acc1).simdMem(SimdOp.v128Store, 3, 16)
  f.addTo(OUT, ROW_OUT)
  f.get(PTR).get(rowBytes).op(Op.i32Add).set(PTR)
  f.get(ROWS).i32(1).op(Op.i32Sub).set(ROWS)
  f.br(0)
  f.end()
  f.end()
  return f
}

/**
 * `<op>Cols(rows, len, ptr, acc)`: acc[j] ⊕= x[r, j] for every row r of `len` elements (row stride
 * len·E). sum: acc is float64 (f32 input promoted); max: acc has the element type. Whole vectors:
 * the last one of a row reads past its end into lanes of acc's padding.
 */
function buildCols(t: ElemType, op: WasmReduceOp): FuncBuilder {
  const E = t.bytes
  const f = new FuncBuilder([I32, I32, I32, I32], [])
  const ROWS = 0
  const LEN = 1
  const PTR = 2
  const ACC = 3
  const rowBytes = f.local(I32)
  const end = f.local(I32)
  const q = f.local(I32)
  const a = f.local(I32)
  const v = f.local(V128)
  const acc = f.local(V128)
  f.begin(Op.block)
  f.get(LEN).op(Op.i32Eqz).brIf(0)
  f.get(LEN).i32(E).op(Op.i32Mul).tee(rowBytes).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(end)
  f.begin(Op.loop)
  f.get(ROWS).op(Op.i32Eqz).brIf(1)
  f.i32(0).set(q)
  f.get(ACC).set(a)
  f.begin(Op.loop)
  f.get(PTR).get(q).op(Op.i32Add).simdMem(SimdOp.v128Load, t.alignLog2, 0).set(v)
  if (op === 'sum' && t.name === 'f32') {
    f.get(a).get(a).simdMem(SimdOp.v128Load, 3, 0).get(v).simd(SimdOp.f64x2PromoteLowF32x4).simd(SimdOp.f64x2Add)
    f.simdMem(SimdOp.v128Store, 3, 0)
    f.get(a).get(a).simdMem(SimdOp.v128Load, 3, 16)
    promoteHigh(f, v)
    f.simd(SimdOp.f64x2Add).simdMem(SimdOp.v128Store, 3, 16)
    f.addTo(a, 32)
  } else if (op === 'sum') {
    f.get(a).get(a).simdMem(SimdOp.v128Load, 3, 0).get(v).simd(SimdOp.f64x2Add).simdMem(SimdOp.v128Store, 3, 0)
    f.addTo(a, 16)
  } else {
    f.get(a).simdMem(SimdOp.v128Load, t.alignLog2, 0).set(acc)
    maxStep(f, t, acc, v)
    f.get(a).get(acc).simdMem(SimdOp.v128Store, t.alignLog2, 0)
    f.addTo(a, 16)
  }
  f.addTo(q, 16)
  f.get(q).get(end).op(Op.i32LtU).brIf(0)
  f.end()
  f.get(PTR).get(rowBytes).op(Op.i32Add).set(PTR)
  f.get(ROWS).i32(1).op(Op.i32Sub).set(ROWS)
  f.br(0)
  f.end()
  f.end()
  return f
}

/** The module bytes: `<sum|max><Rows|Cols>_<f32|f64>`, memory imported as env.memory. */
export function buildReduceModule(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder().importMemory('env', 'memory', 1)
  for (const t of [F32T, F64T]) {
    for (const op of ['sum', 'max'] as const) {
      m.func(`${op}Rows_${t.name}`, buildRows(t, op))
      m.func(`${op}Cols_${t.name}`, buildCols(t, op))
    }
  }
  return m.encode()
}

type ReduceFn = (rows: number, len: number, ptr: number, out: number) => void

interface ReduceKernels {
  readonly rows: Readonly<Record<string, ReduceFn>>
  readonly cols: Readonly<Record<string, ReduceFn>>
}

let kernels: ReduceKernels | null | undefined

function getKernels(): ReduceKernels | null {
  if (kernels === undefined) {
    const ex = instantiate(buildReduceModule())
    const rows: Record<string, ReduceFn> = {}
    const cols: Record<string, ReduceFn> = {}
    let ok = ex !== null
    if (ex !== null) {
      for (const name of ['sum_f32', 'max_f32', 'sum_f64', 'max_f64']) {
        const [op, ty] = name.split('_')
        const r = exported<ReduceFn>(ex, `${op}Rows_${ty}`)
        const c = exported<ReduceFn>(ex, `${op}Cols_${ty}`)
        if (r === null || c === null) ok = false
        else {
          rows[name] = r
          cols[name] = c
        }
      }
    }
    kernels = ok ? { rows, cols } : null
  }
  return kernels
}

/** True when the reduction module validated and instantiated. */
export function wasmReduceAvailable(): boolean {
  return getKernels() !== null
}

type FloatBuffer = Float32Array | Float64Array
/** Any float or int output buffer (results are written as numbers). */
type OutBuffer = TypedArray

/** Elements per staged chunk (a multiple of every step). */
let CHUNK = 16384
const PAD = 64

/** Sets the chunk size in elements (a multiple of 16; testing hook). Returns the previous one. */
export function setReduceChunk(elements: number): number {
  const prev = CHUNK
  CHUNK = Math.max(16, elements & ~15)
  return prev
}

const align16 = (bytes: number): number => (bytes + 15) & ~15

/** JS max rule. */
const maxOf = (acc: number, v: number): number => (v > acc || v !== v ? v : acc)

/**
 * out[o] = op over x[o·red : (o+1)·red] for o < outer. Returns false when the kernels are
 * unavailable.
 */
export function reduceRowsWasm(op: WasmReduceOp, x: FloatBuffer, outer: number, red: number, out: OutBuffer): boolean {
  const k = getKernels()
  if (k === null) return false
  const f64 = x instanceof Float64Array
  const E = f64 ? 8 : 4
  const fn = k.rows[`${op}_${f64 ? 'f64' : 'f32'}`]
  if (fn === undefined) return false
  const stepElems = STEP[f64 ? 'f64' : 'f32'] / E
  const ch = CHUNK
  const inBytes = align16(ch * E + PAD)
  const resPtr = inBytes
  const maxRows = red >= ch ? 1 : Math.floor(ch / red)
  const views = ensureBytes(resPtr + maxRows * ROW_OUT + PAD)
  const mem: FloatBuffer = f64 ? views.f64 : views.f32
  const res64 = views.f64
  const res32 = views.f32
  const r64 = resPtr / 8
  const r32 = resPtr / 4
  const isSum = op === 'sum'
  /** Folds one row's partial lanes (at result row i) and its tail x[t0:t1] into acc. */
  const fold = (acc: number, i: number, t0: number, t1: number): number => {
    if (isSum) {
      const b = r64 + 4 * i
      acc += (res64[b] as number) + (res64[b + 1] as number) + (res64[b + 2] as number) + (res64[b + 3] as number)
      for (let j = t0; j < t1; j++) acc += x[j] as number
      return acc
    }
    if (f64) {
      const b = r64 + 4 * i
      for (let l = 0; l < 4; l++) acc = maxOf(acc, res64[b + l] as number)
    } else {
      const b = r32 + 8 * i
      for (let l = 0; l < 4; l++) acc = maxOf(acc, res32[b + l] as number)
    }
    for (let j = t0; j < t1; j++) acc = maxOf(acc, x[j] as number)
    return acc
  }
  const init = isSum ? 0 : -Infinity
  if (red >= ch) {
    for (let o = 0; o < outer; o++) {
      let acc = init
      const base = o * red
      for (let c0 = 0; c0 < red; c0 += ch) {
        const len = red - c0 < ch ? red - c0 : ch
        const s = base + c0
        mem.set(x.subarray(s, s + len), 0)
        fn(1, len, 0, resPtr)
        const whole = len - (len % stepElems)
        acc = fold(acc, 0, s + whole, s + len)
      }
      out[o] = acc
    }
    return true
  }
  const whole = red - (red % stepElems)
  for (let o0 = 0; o0 < outer; o0 += maxRows) {
    const h = outer - o0 < maxRows ? outer - o0 : maxRows
    const s = o0 * red
    mem.set(x.subarray(s, s + h * red), 0)
    fn(h, red, 0, resPtr)
    for (let i = 0; i < h; i++) {
      const base = s + i * red
      out[o0 + i] = fold(init, i, base + whole, base + red)
    }
  }
  return true
}

/**
 * out[o·inner + j] = op over r < red of x[(o·red + r)·inner + j]. Returns false when the kernels
 * are unavailable.
 */
export function reduceColsWasm(
  op: WasmReduceOp,
  x: FloatBuffer,
  outer: number,
  red: number,
  inner: number,
  out: OutBuffer,
): boolean {
  const k = getKernels()
  if (k === null) return false
  const f64 = x instanceof Float64Array
  const E = f64 ? 8 : 4
  const fn = k.cols[`${op}_${f64 ? 'f64' : 'f32'}`]
  if (fn === undefined) return false
  const ch = CHUNK
  const w = inner < ch ? inner : ch
  const accE = op === 'sum' ? 8 : E
  const inBytes = align16(ch * E + PAD)
  const accPtr = inBytes
  const views = ensureBytes(accPtr + align16(w * accE + 2 * PAD))
  const mem: FloatBuffer = f64 ? views.f64 : views.f32
  const accView: FloatBuffer = accE === 8 ? views.f64 : views.f32
  const a0 = accPtr / accE
  const init = op === 'sum' ? 0 : -Infinity
  const h = Math.floor(ch / w)
  for (let o = 0; o < outer; o++) {
    for (let c0 = 0; c0 < inner; c0 += w) {
      const cw = inner - c0 < w ? inner - c0 : w
      accView.fill(init, a0, a0 + cw)
      if (cw === inner) {
        // Blocks of whole rows: contiguous in x.
        for (let r0 = 0; r0 < red; r0 += h) {
          const hh = red - r0 < h ? red - r0 : h
          const s = (o * red + r0) * inner
          mem.set(x.subarray(s, s + hh * inner), 0)
          fn(hh, inner, 0, accPtr)
        }
      } else {
        for (let r = 0; r < red; r++) {
          const s = (o * red + r) * inner + c0
          mem.set(x.subarray(s, s + cw), 0)
          fn(1, cw, 0, accPtr)
        }
      }
      const dst = o * inner + c0
      if (out instanceof Float32Array || out instanceof Float64Array) out.set(accView.subarray(a0, a0 + cw), dst)
      else for (let j = 0; j < cw; j++) out[dst + j] = accView[a0 + j] as number
    }
  }
  return true
}
