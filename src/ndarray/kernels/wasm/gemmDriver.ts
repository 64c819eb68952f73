/**
 * The driver of the WebAssembly SIMD gemm (`./simdGemm`): copies A and B into wasm memory (one
 * `set` each), stages C (zero-padded to whole tiles), packs KC-deep slices of op(A) and op(B)
 * (transposes are absorbed by the packing), calls `macro` per MC-tall block — split across
 * helper threads by column panels for large products (`./threads`) — and copies C back.
 */
import { InternalError } from '../../errors'
import type { FloatBuffer, GemmArgs } from '../gemmArgs'
import { packPanels, roundUp } from '../pack'
import { buildGemmModule, TILE_F32, TILE_F64, type MacroFn, type PackFn, type TileShape } from './simdGemm'
import { ensureBytes, exported, instantiate, type MemoryViews } from './runtime'
import { threadPool, type ThreadPool } from './threads'

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

/**
 * Packs like `packPanels`, but the full panels are copied by the wasm `packFn` from the raw copy of the
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
  if (done < count)
    packPanels(src, srcOff + rel + done * xs, xs, ps, count - done, depth, mem, dst + done * depth, width)
}

// ---------------------------------------------------------------------------------------------
// Threads
// ---------------------------------------------------------------------------------------------

/**
 * One work unit of a k-slice on a helper: the `macro` call for one MC-tall row block and one chunk
 * of NR-wide column panels (unit u = row block ⌊u / chunks⌋, chunk u mod chunks). Params: dtype
 * (0 f32, 1 f64), mPad, MC, MR, panels, panels per chunk, chunks, kc, A, B, C (byte offsets of the
 * packed slices and the staged C), ldc bytes, NR, element bytes, zero (overwrite C). `gemmUnit`
 * is the same computation on the calling thread.
 */
const GEMM_JOB = `(ex, p, u) => {
  const f = p[0] === 1 ? ex.macro_f64 : ex.macro_f32
  const mPad = p[1], MC = p[2], MR = p[3], panels = p[4], per = p[5], chunks = p[6], kc = p[7]
  const ldc = p[11], NR = p[12], E = p[13]
  const ic = ((u / chunks) | 0) * MC, j0 = (u % chunks) * per
  const mc = mPad - ic < MC ? mPad - ic : MC, np = panels - j0 < per ? panels - j0 : per
  f(mc / MR, np, kc, p[8] + ic * kc * E, p[9] + j0 * NR * kc * E, p[10] + ic * ldc + j0 * NR * E, ldc, p[14])
}`

/** Indices into the unit parameters (the layout GEMM_JOB reads). */
type UnitParams = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
]

/** GEMM_JOB's unit on the calling thread. */
function gemmUnit(macro: MacroFn, p: UnitParams, u: number): void {
  const [, mPad, MC, MR, panels, per, chunks, kc, a, b, c, ldc, NR, E, zero] = p
  const ic = Math.floor(u / chunks) * MC
  const j0 = (u % chunks) * per
  const mc = Math.min(MC, mPad - ic)
  const np = Math.min(per, panels - j0)
  macro(mc / MR, np, kc, a + ic * kc * E, b + j0 * NR * kc * E, c + ic * ldc + j0 * NR * E, ldc, zero)
}

/**
 * Work units per thread in a threaded k-slice: enough that a thread slowed down by another process
 * on its core leaves its share to the others (units are claimed dynamically), few enough that
 * claiming stays negligible (one compare-and-swap per unit of ≥ ~0.1 M multiply-adds).
 */
const UNITS_PER_THREAD = 8

/**
 * Products from this many multiply-adds (m·n·k) on split their column panels across threads.
 * Measured (f32, µs, 1 vs 2 threads, medians of 300; this machine's timings vary ±30 % between
 * runs): 64³ 38 vs 26, 96³ 87 vs 87, 128³ 200 vs 143, 256³ 1521 vs 969; W2's small products
 * 128·256·10 59 vs 60-83 and 128·10·256 67-116 vs 33-111 (the hand-off, 5-40 µs per k-slice,
 * eats the gain): from ~1 M multiply-adds on it pays reliably.
 */
const PAR_MIN_WORK = 128 * 128 * 64

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
export function gemmWasmImpl(...args: GemmArgs): void {
  const [, , m, n, k, , , , , c, cOff, beta] = args
  const local = getState()
  if (local === null)
    throw new InternalError('gemmWasm: WebAssembly SIMD is not available (check wasmGemmAvailable() first)')
  if (m <= 0 || n <= 0) return
  if (k <= 0) {
    if (beta === 0) c.fill(0, cOff, cOff + m * n)
    return
  }
  const par = threadedGemm(m * n * k)
  if (par === null || !gemmOn(par.state, par, args)) gemmOn(local, null, args)
}

/**
 * The driver on one set of kernels and their memory, with helper threads when `par` is given;
 * false (nothing done) when that memory cannot hold the staging.
 */
function gemmOn(s: WasmState, par: Threaded | null, args: GemmArgs): boolean {
  const [transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, beta] = args
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
          packPanels(b, bOff + relB, bcs, brs, nb, kc, mem, bBase, NR)
          packPanels(a, aOff + relA, ars, acs, mb, kc, mem, aBase, MR)
        }
        const zero = beta === 0 && p0 === 0 ? 1 : 0
        const panels = nPad / NR
        const blocks = Math.ceil(mPad / MC)
        if (par === null) {
          for (let ic = 0; ic < mPad; ic += MC) {
            const mc = mPad - ic < MC ? mPad - ic : MC
            macro(mc / MR, panels, kc, (aBase + ic * kc) * E, bBase * E, (cBase + ic * nPad) * E, ldcBytes, zero)
          }
          continue
        }
        const threads = par.pool.ready() + 1
        const chunks = Math.min(panels, Math.ceil((UNITS_PER_THREAD * threads) / blocks))
        const per = Math.ceil(panels / chunks)
        const used = Math.ceil(panels / per)
        const p: UnitParams = [
          E === 8 ? 1 : 0,
          mPad,
          MC,
          MR,
          panels,
          per,
          used,
          kc,
          aBase * E,
          bBase * E,
          cBase * E,
          ldcBytes,
          NR,
          E,
          zero,
        ]
        par.pool.split(blocks * used, p, (u) => gemmUnit(macro, p, u))
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
