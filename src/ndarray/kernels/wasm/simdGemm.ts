/**
 * gemm on a WebAssembly SIMD micro-kernel, float32 (f32x4) and float64 (f64x2).
 *
 * The module is generated at load time by `./assembler` (no committed binary). Per dtype it holds
 * `macro`, which multiplies packed panels — for every NR-wide panel of B and MR-tall panel of A it
 * keeps an MR×NR block of C in v128 locals over the whole k-slice (no FMA: Node 20 has no relaxed
 * SIMD, so multiply then add) — and `packA`/`packB`, which copy strided panels. The TypeScript
 * driver below copies A and B into the module's memory (one `set` each), stages C zero-padded to
 * whole tiles, packs KC-deep slices of op(A) and op(B) (transposes are absorbed by the packing),
 * calls `macro` per MC-tall block, and copies C back.
 */
import { packPanelPadded } from '../pack'
import { FuncBuilder, I32, ModuleBuilder, Op, SimdOp, V128 } from './assembler'
import { ensureBytes, exported, instantiate, type MemoryViews } from './runtime'
import { threadPool, type ThreadPool } from './threads'

/** How one element type maps to wasm instructions. */
interface ElemType {
  /** Bytes per element and its log2 (memarg alignment). */
  readonly bytes: number
  readonly alignLog2: number
  /** Elements per v128. */
  readonly lanes: number
  readonly simdMul: number
  readonly simdAdd: number
  /** v128.loadN_splat for one element. */
  readonly splat: number
  /** Scalar load and store. */
  readonly load: number
  readonly store: number
}

const F32X4: ElemType = {
  bytes: 4,
  alignLog2: 2,
  lanes: 4,
  simdMul: SimdOp.f32x4Mul,
  simdAdd: SimdOp.f32x4Add,
  splat: SimdOp.v128Load32Splat,
  load: Op.f32Load,
  store: Op.f32Store,
}

const F64X2: ElemType = {
  bytes: 8,
  alignLog2: 3,
  lanes: 2,
  simdMul: SimdOp.f64x2Mul,
  simdAdd: SimdOp.f64x2Add,
  splat: SimdOp.v128Load64Splat,
  load: Op.f64Load,
  store: Op.f64Store,
}

/** Register tile of C (rows × columns) and k-loop unroll factor (power of two). */
export interface TileShape {
  readonly mr: number
  readonly nr: number
  readonly unroll: number
}

/**
 * 4×8 f32 (8 v128 accumulators) and 4×4 f64 (8 accumulators): with the B vectors and one splat
 * this fits V8's 16 xmm registers. Unroll 1 measured fastest: unrolling 2-4× cost 40-50% in V8.
 */
export const TILE_F32: TileShape = { mr: 4, nr: 8, unroll: 1 }
export const TILE_F64: TileShape = { mr: 4, nr: 4, unroll: 1 }

/** Depth of a packed k-slice and rows of A per `macro` call (the MC×KC block of A stays in L2). */
const KC = 256
const MC = 128
/** Largest C chunk (rows, columns) staged in wasm memory at once; bounds memory use. */
const MB_MAX = 1024
const NB_MAX = 2048
/** Operands with (m·k + k·n)·bytes up to this are copied whole and packed in wasm. */
let rawMaxBytes = 64 * 1024 * 1024

/**
 * Sets the operand size in bytes ((m·k + k·n)·element size) up to which A and B are copied into wasm
 * memory and packed there; larger ones are packed slice by slice in TypeScript. Returns the
 * previous value. A testing hook: the default suits every size.
 */
export function setWasmRawLimit(bytes: number): number {
  const prev = rawMaxBytes
  rawMaxBytes = bytes
  return prev
}

/**
 * Emits `macro(mPanels, nPanels, kc, aPtr, bPtr, cPtr, ldcBytes, zero)` for one element type and tile
 * shape. Pointers in bytes; A and B packed as [panel][p][MR or NR], C row-major with row stride
 * ldcBytes; C += A·B over the tile grid (zero ≠ 0: C = A·B, C is not read).
 */
function buildMacro(t: ElemType, shape: TileShape): FuncBuilder {
  const MR = shape.mr
  const NR = shape.nr
  const UNROLL = shape.unroll
  const E = t.bytes
  const NV = NR / t.lanes
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32, I32, I32], [])
  const P_MP = 0
  const P_NP = 1
  const P_KC = 2
  const P_A = 3
  const P_B = 4
  const P_C = 5
  const P_LDC = 6
  const P_ZERO = 7
  const jp = f.local(I32)
  const ip = f.local(I32)
  const ap = f.local(I32)
  const bp = f.local(I32)
  const cp = f.local(I32)
  const crow = f.local(I32)
  const cnt = f.local(I32)
  const bPanel = f.local(I32)
  const cCol = f.local(I32)
  const bPanelBytes = f.local(I32)
  const acc: number[][] = []
  for (let r = 0; r < MR; r++) {
    const row: number[] = []
    for (let v = 0; v < NV; v++) row.push(f.local(V128))
    acc.push(row)
  }
  const bv: number[] = []
  for (let v = 0; v < NV; v++) bv.push(f.local(V128))
  const av = f.local(V128)

  const accRow = (r: number): number[] => acc[r] ?? []
  /** One k step at byte offsets (aOffset, bOffset) from ap/bp. */
  const step = (aOffset: number, bOffset: number): void => {
    for (let v = 0; v < NV; v++) f.get(bp).simdMem(SimdOp.v128Load, t.alignLog2, bOffset + 16 * v).set(bv[v] ?? 0)
    for (let r = 0; r < MR; r++) {
      f.get(ap).simdMem(t.splat, t.alignLog2, aOffset + E * r).set(av)
      for (let v = 0; v < NV; v++) {
        const acv = accRow(r)[v] ?? 0
        f.get(acv).get(av).get(bv[v] ?? 0).simd(t.simdMul).simd(t.simdAdd).set(acv)
      }
    }
  }
  /** A counted loop of `body` run `cnt` times (skipped when cnt = 0). */
  const countedLoop = (body: () => void): void => {
    f.begin(Op.block)
    f.get(cnt).op(Op.i32Eqz).brIf(0)
    f.begin(Op.loop)
    body()
    f.get(cnt).i32(1).op(Op.i32Sub).tee(cnt).brIf(0)
    f.end()
    f.end()
  }

  // bPanelBytes = kc * NR * E
  f.get(P_KC).i32(NR * E).op(Op.i32Mul).set(bPanelBytes)
  f.get(P_C).set(cCol)
  f.get(P_B).set(bPanel)
  f.get(P_NP).set(jp)
  f.begin(Op.loop) // over B panels (columns of C)
  {
    f.get(P_A).set(ap)
    f.get(cCol).set(cp)
    f.get(P_MP).set(ip)
    f.begin(Op.loop) // over A panels (rows of C)
    {
      // Load the C tile, or start from zeros (then C needs no clearing before the first k-slice).
      f.get(P_ZERO)
      f.begin(Op.if)
      for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) f.i32(0).simd(SimdOp.i32x4Splat).set(accRow(r)[v] ?? 0)
      f.op(Op.else)
      f.get(cp).set(crow)
      for (let r = 0; r < MR; r++) {
        for (let v = 0; v < NV; v++) f.get(crow).simdMem(SimdOp.v128Load, t.alignLog2, 16 * v).set(accRow(r)[v] ?? 0)
        if (r < MR - 1) f.get(crow).get(P_LDC).op(Op.i32Add).set(crow)
      }
      f.end()
      f.get(bPanel).set(bp)
      // Unrolled k loop, then the remainder.
      f.get(P_KC).i32(Math.log2(UNROLL)).op(Op.i32ShrU).set(cnt)
      countedLoop(() => {
        for (let u = 0; u < UNROLL; u++) step(u * MR * E, u * NR * E)
        f.addTo(ap, UNROLL * MR * E)
        f.addTo(bp, UNROLL * NR * E)
      })
      f.get(P_KC).i32(UNROLL - 1).op(Op.i32And).set(cnt)
      countedLoop(() => {
        step(0, 0)
        f.addTo(ap, MR * E)
        f.addTo(bp, NR * E)
      })
      // Store the C tile.
      f.get(cp).set(crow)
      for (let r = 0; r < MR; r++) {
        for (let v = 0; v < NV; v++) f.get(crow).get(accRow(r)[v] ?? 0).simdMem(SimdOp.v128Store, t.alignLog2, 16 * v)
        if (r < MR - 1) f.get(crow).get(P_LDC).op(Op.i32Add).set(crow)
      }
      // Next row tile: ap already points at the next A panel.
      f.get(cp).get(P_LDC).i32(MR).op(Op.i32Mul).op(Op.i32Add).set(cp)
      f.get(ip).i32(1).op(Op.i32Sub).tee(ip).brIf(0)
    }
    f.end()
    f.addTo(cCol, NR * E)
    f.get(bPanel).get(bPanelBytes).op(Op.i32Add).set(bPanel)
    f.get(jp).i32(1).op(Op.i32Sub).tee(jp).brIf(0)
  }
  f.end()
  return f
}

/**
 * Emits `pack(src, xs, ps, panels, depth, dst)`: copies `panels` full W-wide panels of a strided
 * matrix — element (x, p) at byte src + x*xs + p*ps — to dst as [panel][p][x]. When xs is one
 * element (the W values for one p are contiguous) each step is v128 copies; otherwise W scalar ones.
 */
function buildPack(t: ElemType, W: number): FuncBuilder {
  const E = t.bytes
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32], [])
  const P_SRC = 0
  const P_XS = 1
  const P_PS = 2
  const P_PANELS = 3
  const P_DEPTH = 4
  const P_DST = 5
  const s = f.local(I32)
  const cnt = f.local(I32)
  const x = f.local(I32)
  const panelStride = f.local(I32)
  f.get(P_XS).i32(W).op(Op.i32Mul).set(panelStride)
  f.begin(Op.block)
  f.get(P_PANELS).op(Op.i32Eqz).brIf(0)
  f.get(P_DEPTH).op(Op.i32Eqz).brIf(0)
  f.get(P_XS).i32(E).op(Op.i32Eq)
  f.begin(Op.if)
  {
    f.begin(Op.loop)
    f.get(P_SRC).set(s)
    f.get(P_DEPTH).set(cnt)
    f.begin(Op.loop)
    for (let v = 0; v < (W * E) / 16; v++) {
      f.get(P_DST).get(s).simdMem(SimdOp.v128Load, t.alignLog2, 16 * v).simdMem(SimdOp.v128Store, t.alignLog2, 16 * v)
    }
    f.get(s).get(P_PS).op(Op.i32Add).set(s)
    f.addTo(P_DST, W * E)
    f.get(cnt).i32(1).op(Op.i32Sub).tee(cnt).brIf(0)
    f.end()
    f.get(P_SRC).get(panelStride).op(Op.i32Add).set(P_SRC)
    f.get(P_PANELS).i32(1).op(Op.i32Sub).tee(P_PANELS).brIf(0)
    f.end()
  }
  f.op(Op.else)
  {
    f.begin(Op.loop)
    f.get(P_SRC).set(s)
    f.get(P_DEPTH).set(cnt)
    f.begin(Op.loop)
    f.get(s).set(x)
    for (let i = 0; i < W; i++) {
      f.get(P_DST).get(x).mem(t.load, t.alignLog2, 0).mem(t.store, t.alignLog2, E * i)
      if (i < W - 1) f.get(x).get(P_XS).op(Op.i32Add).set(x)
    }
    f.get(s).get(P_PS).op(Op.i32Add).set(s)
    f.addTo(P_DST, W * E)
    f.get(cnt).i32(1).op(Op.i32Sub).tee(cnt).brIf(0)
    f.end()
    f.get(P_SRC).get(panelStride).op(Op.i32Add).set(P_SRC)
    f.get(P_PANELS).i32(1).op(Op.i32Sub).tee(P_PANELS).brIf(0)
    f.end()
  }
  f.end()
  f.end()
  return f
}

/**
 * The module bytes: memory imported as env.memory; `macro`, `packA`, `packB` exported per dtype
 * with suffix `_f32` / `_f64`. Tile shapes are parameters only for experiments: the driver
 * assumes TILE_F32 and TILE_F64.
 */
export function buildGemmModule(f32: TileShape = TILE_F32, f64: TileShape = TILE_F64, sharedMaxPages?: number): Uint8Array<ArrayBuffer> {
  return new ModuleBuilder()
    .importMemory('env', 'memory', 1, sharedMaxPages)
    .func('macro_f32', buildMacro(F32X4, f32))
    .func('packA_f32', buildPack(F32X4, f32.mr))
    .func('packB_f32', buildPack(F32X4, f32.nr))
    .func('macro_f64', buildMacro(F64X2, f64))
    .func('packA_f64', buildPack(F64X2, f64.mr))
    .func('packB_f64', buildPack(F64X2, f64.nr))
    .encode()
}

/** C (+)= A·B over the tile grid; zero = 1 overwrites C instead of adding to it. */
type MacroFn = (mp: number, np: number, kc: number, a: number, b: number, c: number, ldc: number, zero: number) => void
type PackFn = (src: number, xs: number, ps: number, panels: number, depth: number, dst: number) => void

/** The kernels of one dtype. */
interface Kernels {
  readonly macro: MacroFn
  readonly packA: PackFn
  readonly packB: PackFn
  readonly mr: number
  readonly nr: number
  readonly bytes: number
}

interface WasmState {
  readonly f32: Kernels
  readonly f64: Kernels
}

/** undefined = not tried yet, null = unavailable. */
let state: WasmState | null | undefined

function kernels(exports: WebAssembly.Exports, suffix: string, shape: TileShape, bytes: number): Kernels | null {
  const macro = exported<MacroFn>(exports, 'macro' + suffix)
  const packA = exported<PackFn>(exports, 'packA' + suffix)
  const packB = exported<PackFn>(exports, 'packB' + suffix)
  if (macro === null || packA === null || packB === null) return null
  return { macro, packA, packB, mr: shape.mr, nr: shape.nr, bytes }
}

function stateOf(exports: WebAssembly.Exports | null): WasmState | null {
  if (exports === null) return null
  const f32 = kernels(exports, '_f32', TILE_F32, 4)
  const f64 = kernels(exports, '_f64', TILE_F64, 8)
  if (f32 === null || f64 === null) return null
  return { f32, f64 }
}

const init = (): WasmState | null => stateOf(instantiate(buildGemmModule()))

function getState(): WasmState | null {
  if (state === undefined) state = init()
  return state
}

/** True when the WebAssembly SIMD gemm validated and instantiated in this runtime. */
export function wasmGemmAvailable(): boolean {
  return getState() !== null
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to
}

type FloatBuffer = Float32Array | Float64Array

/**
 * Packs `count` (x) × `depth` (p) of a strided matrix — element (x, p) at src[off + x*xs + p*ps] —
 * into width-wide panels at dst[d0 + (x/width)*depth*width + p*width + x%width], zero-padding the
 * last panel. The TypeScript fallback for operands too large to copy whole, and for edge panels.
 */
function pack(
  src: FloatBuffer,
  off: number,
  xs: number,
  ps: number,
  count: number,
  depth: number,
  dst: FloatBuffer,
  d0: number,
  width: number,
): void {
  let d = d0
  for (let x0 = 0; x0 < count; x0 += width) {
    const w = count - x0 < width ? count - x0 : width
    const base = off + x0 * xs
    if (w === width && xs === 1) {
      // The panel's values for one p are contiguous in the source.
      let s = base
      for (let p = 0; p < depth; p++) {
        for (let x = 0; x < width; x++) dst[d + x] = src[s + x] as number
        d += width
        s += ps
      }
    } else if (w === width && ps === 1) {
      // Each row x of the panel is contiguous along p: stream the rows one by one.
      for (let x = 0; x < width; x++) {
        let s = base + x * xs
        let dd = d + x
        for (let p = 0; p < depth; p++) {
          dst[dd] = src[s] as number
          dd += width
          s++
        }
      }
      d += depth * width
    } else {
      d = packPanelPadded(src, base, xs, ps, depth, w, width, dst, d)
    }
  }
}

/**
 * Packs like `pack`, but the full panels are copied by the wasm `packFn` from the raw copy of the
 * operand at element index `rawBase` in wasm memory; the zero-padded last panel (if any) is packed
 * in TypeScript from the original buffer. `rel` is the element offset of (x0, p0) in the operand.
 */
function packRaw(
  packFn: PackFn,
  bytes: number,
  mem: FloatBuffer,
  src: FloatBuffer,
  srcOff: number,
  rawBase: number,
  rel: number,
  xs: number,
  ps: number,
  count: number,
  depth: number,
  dst: number,
  width: number,
): void {
  const full = Math.floor(count / width)
  if (full > 0) packFn((rawBase + rel) * bytes, xs * bytes, ps * bytes, full, depth, dst * bytes)
  const done = full * width
  if (done < count) pack(src, srcOff + rel + done * xs, xs, ps, count - done, depth, mem, dst + done * depth, width)
}

// ---------------------------------------------------------------------------------------------
// Threads
// ---------------------------------------------------------------------------------------------

/**
 * A helper's share of one k-slice: the `macro` calls of the calling thread's MC loop over a range
 * of the NR-wide column panels. Params: dtype (0 f32, 1 f64), mPad, MC, MR, panels, kc, A, B, C
 * (byte offsets of the helper's first panel), ldc bytes, element bytes, zero (overwrite C).
 */
const GEMM_JOB = `(ex, p) => {
  const f = p[0] === 1 ? ex.macro_f64 : ex.macro_f32
  const mPad = p[1], MC = p[2], MR = p[3], np = p[4], kc = p[5], a = p[6], b = p[7], c = p[8], ldc = p[9], E = p[10], zero = p[11]
  for (let ic = 0; ic < mPad; ic += MC) {
    const mc = mPad - ic < MC ? mPad - ic : MC
    f(mc / MR, np, kc, a + ic * kc * E, b, c + ic * ldc, ldc, zero)
  }
}`

/**
 * Products from this many multiply-adds (m·n·k) on split their column panels across threads:
 * below it the hand-off (~5-40 µs per k-slice) costs more than the second core saves.
 */
const PAR_MIN_WORK = 64 * 64 * 64

const buildShared = (pages: number): Uint8Array<ArrayBuffer> => buildGemmModule(TILE_F32, TILE_F64, pages)

interface Threaded {
  readonly pool: ThreadPool
  readonly state: WasmState
}

let threaded: Threaded | null | undefined

/** The pool and its kernels on the shared memory, when helpers are available and ready. */
function threadedGemm(work: number): Threaded | null {
  if (work < PAR_MIN_WORK) return null
  const pool = threadPool(buildShared, GEMM_JOB)
  if (pool === null || pool.ready() === 0) return null
  if (threaded === undefined || threaded?.pool !== pool) {
    const state = stateOf(pool.exports)
    threaded = state === null ? null : { pool, state }
  }
  return threaded
}

/**
 * Starts the gemm's helper threads if they are not running and returns how many are ready to take
 * work (0 with one thread, without worker_threads, or while they boot). For tests and benchmarks
 * that want the threaded path from their first call.
 */
export function gemmHelpersReady(): number {
  return threadPool(buildShared, GEMM_JOB)?.ready() ?? 0
}

/**
 * C[m×n] (+)= op(A)·op(B) with the WebAssembly kernels (same contract as `gemm`); a, b and c must
 * all be Float32Array or all Float64Array. Callers check `wasmGemmAvailable()` first.
 */
export function gemmWasmImpl(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatBuffer,
  aOff: number,
  b: FloatBuffer,
  bOff: number,
  c: FloatBuffer,
  cOff: number,
  beta: 0 | 1,
): void {
  const local = getState()
  if (local === null) throw new Error('gemmWasm: WebAssembly SIMD is not available')
  if (m <= 0 || n <= 0) return
  if (k <= 0) {
    if (beta === 0) c.fill(0, cOff, cOff + m * n)
    return
  }
  const par = threadedGemm(m * n * k)
  if (par === null || !gemmOn(par.state, par, transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, beta)) {
    gemmOn(local, null, transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, beta)
  }
}

/**
 * The driver on one set of kernels and their memory, with helper threads when `par` is given;
 * false (nothing done) when that memory cannot hold the staging.
 */
function gemmOn(
  s: WasmState,
  par: Threaded | null,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatBuffer,
  aOff: number,
  b: FloatBuffer,
  bOff: number,
  c: FloatBuffer,
  cOff: number,
  beta: 0 | 1,
): boolean {
  const kern = c instanceof Float64Array ? s.f64 : s.f32
  const { macro, mr: MR, nr: NR, bytes: E } = kern
  const ars = transA ? 1 : k
  const acs = transA ? m : 1
  const brs = transB ? 1 : n
  const bcs = transB ? k : 1
  const kcMax = k < KC ? k : KC
  const mbMax = roundUp(m < MB_MAX ? m : MB_MAX, MR)
  const nbMax = roundUp(n < NB_MAX ? n : NB_MAX, NR)
  // Operands within budget are copied whole into wasm memory and packed there.
  const raw = (m * k + k * n) * E <= rawMaxBytes
  // Layout in elements: C chunk, packed A slice, packed B slice, then the raw copies of A and B.
  const cBase = 0
  const aBase = mbMax * nbMax
  const bBase = aBase + mbMax * kcMax
  const rawA = bBase + kcMax * nbMax
  const rawB = rawA + (raw ? m * k : 0)
  const bytes = (rawB + (raw ? k * n : 0)) * E
  const views: MemoryViews | null = par === null ? ensureBytes(bytes) : par.pool.views(bytes)
  if (views === null) return false
  const mem: FloatBuffer = E === 8 ? views.f64 : views.f32
  if (raw) {
    mem.set(a.subarray(aOff, aOff + m * k), rawA)
    mem.set(b.subarray(bOff, bOff + k * n), rawB)
  }
  for (let i0 = 0; i0 < m; i0 += MB_MAX) {
    const mb = m - i0 < MB_MAX ? m - i0 : MB_MAX
    const mPad = roundUp(mb, MR)
    for (let j0 = 0; j0 < n; j0 += NB_MAX) {
      const nb = n - j0 < NB_MAX ? n - j0 : NB_MAX
      const nPad = roundUp(nb, NR)
      const ldcBytes = nPad * E
      // Stage C for beta = 1 (for beta = 0 the first k-slice overwrites the whole staged chunk,
      // padding included; padding rows and columns are never copied back).
      if (beta === 0) {
        // nothing to stage
      } else if (nb === n && nPad === n) {
        mem.set(c.subarray(cOff + i0 * n, cOff + (i0 + mb) * n), cBase)
      } else {
        for (let i = 0; i < mb; i++) {
          const src = cOff + (i0 + i) * n + j0
          mem.set(c.subarray(src, src + nb), cBase + i * nPad)
        }
      }
      for (let p0 = 0; p0 < k; p0 += KC) {
        const kc = k - p0 < KC ? k - p0 : KC
        const relB = p0 * brs + j0 * bcs
        const relA = i0 * ars + p0 * acs
        if (raw) {
          packRaw(kern.packB, E, mem, b, bOff, rawB, relB, bcs, brs, nb, kc, bBase, NR)
          packRaw(kern.packA, E, mem, a, aOff, rawA, relA, ars, acs, mb, kc, aBase, MR)
        } else {
          pack(b, bOff + relB, bcs, brs, nb, kc, mem, bBase, NR)
          pack(a, aOff + relA, ars, acs, mb, kc, mem, aBase, MR)
        }
        // column panels [0, mine) here, the rest split evenly across the ready helpers
        const zero = beta === 0 && p0 === 0 ? 1 : 0
        const panels = nPad / NR
        const helpers = par === null ? 0 : Math.min(par.pool.ready(), panels - 1)
        const mine = Math.ceil(panels / (helpers + 1))
        for (let h = 0; h < helpers; h++) {
          const p0h = mine + Math.floor((h * (panels - mine)) / helpers)
          const p1h = mine + Math.floor(((h + 1) * (panels - mine)) / helpers)
          ;(par as Threaded).pool.post(h, [E === 8 ? 1 : 0, mPad, MC, MR, p1h - p0h, kc, aBase * E, (bBase + p0h * NR * kc) * E, (cBase + p0h * NR) * E, ldcBytes, E, zero])
        }
        for (let ic = 0; ic < mPad; ic += MC) {
          const mc = mPad - ic < MC ? mPad - ic : MC
          macro(mc / MR, mine, kc, (aBase + ic * kc) * E, bBase * E, (cBase + ic * nPad) * E, ldcBytes, zero)
        }
        for (let h = 0; h < helpers; h++) (par as Threaded).pool.wait(h)
      }
      // Copy C back.
      if (nb === n && nPad === n) {
        c.set(mem.subarray(cBase, cBase + mb * n), cOff + i0 * n)
      } else {
        for (let i = 0; i < mb; i++) {
          const src = cBase + i * nPad
          c.set(mem.subarray(src, src + nb), cOff + (i0 + i) * n + j0)
        }
      }
    }
  }
  return true
}
