/**
 * The driver of the WebAssembly SIMD gemm (`./simdGemm`): copies A and B into wasm memory (one
 * `set` each), stages C (zero-padded to whole tiles), packs KC-deep slices of op(A) and op(B)
 * (transposes are absorbed by the packing), calls `macro` per MC-tall block — split across
 * helper threads by column panels for large products (`./threads`) — and copies C back.
 */
import { InternalError } from '../../errors'
import type { FloatBuffer, GemmArgs, GemmUpdate } from '../gemmArgs'
import { packPanels, roundUp } from '../pack'
import {
  buildGemmModule,
  TILE_F32,
  TILE_F64,
  type MacroFn,
  type PackFn,
  type TileShape,
  type UpdateFn,
} from './simdGemm'
import type { CopyRowsFn } from './simdGemm'
import { GEMM_JOB, gemmCommit, gemmUnit, SCRATCH_BYTES, UNIT_COLUMNS, type Kernels } from './gemmUnits'
import { ensureBytes, exported, instantiate, type MemoryViews } from './runtime'
import { STEALING_GAIN } from './splitPolicy'
import { noteLocalSplit } from './splitStats'
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
  const update = exported<UpdateFn>(exports, 'update' + suffix)
  if (macro === null || packA === null || packB === null || update === null) return null
  return { macro, packA, packB, update, mr: shape.mr, nr: shape.nr, bytes }
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

/**
 * Work units per thread in a threaded k-slice: enough that a thread slowed down by another process
 * on its core leaves its share to the others (units are claimed dynamically), few enough that
 * claiming stays negligible (one compare-and-swap per unit of ≥ ~0.1 M multiply-adds).
 */
const UNITS_PER_THREAD = 8

/**
 * Products from this many multiply-adds (m·n·k; `setParMinWork`) on split across threads; smaller
 * ones run on the calling thread without asking the split policy. Measured (f32 n³, threaded vs one
 * thread, interleaved, median (min) ms, real-time priority so the helper had a core on the loaded
 * two-vCPU guest): every product threaded, 160³ 0.204 (0.149) vs 0.172 (0.169), 192³ 0.343 (0.279)
 * vs 0.404 (0.276), 256³ 0.658 (0.542) vs 0.953 (0.650) (the threaded path alone costs +11 % CPU at
 * 256³); through the public API with the policy (W1 with its output copy, p50 of 200) 256³ never
 * won: 0.83 vs 0.79, 0.85 vs 0.78 with a busy core, 2.65 vs 2.57 in a slow spell of the host (a gap
 * of the same size remains with it alone: ordering noise). W2's 128·784·256 (25.7 M) stay threaded.
 */
let parMinWork = 20_000_000

/**
 * Sets the work (m·n·k) from which products are split across threads; returns the previous value.
 * A testing hook (tests of the threaded path on small shapes): the default suits every size.
 */
export function setParMinWork(work: number): number {
  const prev = parMinWork
  parMinWork = work
  return prev
}

const buildShared = (pages: number): Uint8Array<ArrayBuffer> => buildGemmModule(TILE_F32, TILE_F64, pages)

interface Threaded {
  readonly pool: ThreadPool
  readonly state: WasmState
  /** The module's row copy on the shared memory (a helper's block of C out of its scratch). */
  readonly copyRows: CopyRowsFn
}

let threaded: Threaded | null | undefined

/** The helpers' job source (GEMM_JOB unless a test wrapped it: `setGemmHelperJob`). */
let helperJob: string = GEMM_JOB

/**
 * Runs the threaded products on a pool whose helpers run `wrap(GEMM_JOB)` (a job of the same
 * signature, e.g. one that stalls like a descheduled helper), or on the default pool again with
 * null. A testing hook: it lets a test make the caller take units back from a helper on demand.
 */
export function setGemmHelperJob(wrap: ((job: string) => string) | null): void {
  helperJob = wrap === null ? GEMM_JOB : wrap(GEMM_JOB)
}

/** The pool and its kernels on the shared memory, when helpers are available and ready. */
function threadedGemm(work: number): Threaded | null {
  if (work < parMinWork) return null
  const pool = threadPool(buildShared, helperJob, SCRATCH_BYTES)
  if (pool === null || pool.ready() === 0) return null
  if (threaded === undefined || threaded?.pool !== pool) {
    const state = stateOf(pool.exports)
    const copyRows = exported<CopyRowsFn>(pool.exports, 'copyRows')
    threaded = state === null || copyRows === null ? null : { pool, state, copyRows }
  }
  return threaded
}

/**
 * Starts the gemm's helper threads if they are not running and returns how many are ready to take
 * work (0 with one thread, without worker_threads, or while they boot). For tests and benchmarks
 * that want the threaded path from their first call.
 */
export function gemmHelpersReady(): number {
  return threadPool(buildShared, helperJob, SCRATCH_BYTES)?.ready() ?? 0
}

/**
 * C[m×n] (+)= op(A)·op(B) with the WebAssembly kernels (same contract as `gemm`); a, b and c must
 * all be Float32Array or all Float64Array. Callers check `wasmGemmAvailable()` first.
 */
export function gemmWasmImpl(...args: GemmArgs): void {
  gemmWasmUpdate(args, null)
}

/**
 * `gemmWasmImpl`, and with `u` (beta 0, k > 0) its update C ← P − C·scale applied to each staged
 * chunk of C before it is copied back: the gradient is never stored, the updated value is.
 */
export function gemmWasmUpdate(args: GemmArgs, u: GemmUpdate | null): void {
  const [, , m, n, k, , , , , c, cOff, beta] = args
  const local = getState()
  if (local === null)
    throw new InternalError('gemmWasm: WebAssembly SIMD is not available (check wasmGemmAvailable() first)')
  if (m <= 0 || n <= 0) return
  if (u !== null && (k <= 0 || beta !== 0)) throw new InternalError('gemmWasm: an update needs beta 0 and k > 0')
  if (k <= 0) {
    if (beta === 0) c.fill(0, cOff, cOff + m * n)
    return
  }
  const par = threadedGemm(m * n * k)
  if (par === null || !gemmJudged(local, par, args, u)) gemmOn(local, null, args, u)
}

/**
 * The product on the helpers or, while threading this product shape does not pay (its pool's
 * policy: see `SplitPolicy`: its first call, a product under a few hand-offs, a recent loss or a
 * split where a helper fell behind), on the one-thread path itself; the policy times both whole,
 * staging included, so a threaded product is never judged against a one-thread time it does not match.
 * False when the threaded staging does not fit its memory (nothing done).
 */
function gemmJudged(local: WasmState, par: Threaded, args: GemmArgs, u: GemmUpdate | null): boolean {
  const [transA, transB, m, n, k, , , , , c, , beta] = args
  const key = `${m},${n},${k},${+transA},${+transB},${c.BYTES_PER_ELEMENT},${beta}${u === null ? '' : ',u'}`
  const policy = par.pool.policy(key, STEALING_GAIN)
  const t0 = performance.now()
  if (!policy.threaded()) {
    noteLocalSplit()
    gemmOn(local, null, args, u)
    policy.recordAlone(performance.now() - t0)
    return true
  }
  const late = par.pool.late()
  par.pool.wake()
  if (!gemmOn(par.state, par, args, u)) return false
  policy.recordThreaded(performance.now() - t0, par.pool.late() > late)
  return true
}

/** One MB_MAX × NB_MAX chunk of C: rows i0…i0+mb−1, columns j0…j0+nb−1 (padded to mPad × nPad). */
interface Chunk {
  readonly i0: number
  readonly j0: number
  readonly mb: number
  readonly nb: number
  readonly mPad: number
  readonly nPad: number
}

/** The chunks of an m×n product, in order. */
function* chunksOf(m: number, n: number, MR: number, NR: number): Generator<Chunk> {
  for (let i0 = 0; i0 < m; i0 += MB_MAX) {
    const mb = m - i0 < MB_MAX ? m - i0 : MB_MAX
    for (let j0 = 0; j0 < n; j0 += NB_MAX) {
      const nb = n - j0 < NB_MAX ? n - j0 : NB_MAX
      yield { i0, j0, mb, nb, mPad: roundUp(mb, MR), nPad: roundUp(nb, NR) }
    }
  }
}

/**
 * Stages a chunk of C at `cBase` for beta = 1 (for beta = 0 the first k-slice overwrites the
 * whole staged chunk, padding included; padding rows and columns are never copied back).
 */
function stageC(mem: FloatBuffer, cBase: number, c: FloatBuffer, cOff: number, n: number, ch: Chunk): void {
  if (ch.nb === n && ch.nPad === n) {
    mem.set(c.subarray(cOff + ch.i0 * n, cOff + (ch.i0 + ch.mb) * n), cBase)
    return
  }
  for (let i = 0; i < ch.mb; i++) {
    const src = cOff + (ch.i0 + i) * n + ch.j0
    mem.set(c.subarray(src, src + ch.nb), cBase + i * ch.nPad)
  }
}

/** Copies a staged chunk of C back. */
function copyBack(mem: FloatBuffer, cBase: number, c: FloatBuffer, cOff: number, n: number, ch: Chunk): void {
  if (ch.nb === n && ch.nPad === n) {
    c.set(mem.subarray(cBase, cBase + ch.mb * n), cOff + ch.i0 * n)
    return
  }
  for (let i = 0; i < ch.mb; i++) {
    const src = cBase + i * ch.nPad
    c.set(mem.subarray(src, src + ch.nb), cOff + (ch.i0 + i) * n + ch.j0)
  }
}

/**
 * Copies a staged chunk of C back; with `u`, first C ← P − C·scale on the staged chunk (P staged
 * at `pBase` as C is: same padded rows; the padding is computed on and never copied back).
 */
function store(
  kern: Kernels,
  mem: FloatBuffer,
  cBase: number,
  pBase: number,
  c: FloatBuffer,
  cOff: number,
  n: number,
  ch: Chunk,
  u: GemmUpdate | null,
): void {
  if (u !== null) {
    const E = kern.bytes
    stageC(mem, pBase, u.p, u.pOff, n, ch)
    if (ch.mb * ch.nPad > 0) kern.update(cBase * E, pBase * E, ch.mb * ch.nPad * E, u.scale)
  }
  copyBack(mem, cBase, c, cOff, n, ch)
}

/** The element strides of op(A) and op(B): A's along rows and depth, B's along depth and columns. */
const stridesOf = (transA: boolean, transB: boolean, m: number, n: number, k: number) => ({
  ars: transA ? 1 : k,
  acs: transA ? m : 1,
  brs: transB ? 1 : n,
  bcs: transB ? k : 1,
})

/**
 * The driver on one set of kernels and their memory, with helper threads when `par` is given;
 * false (nothing done) when that memory cannot hold the staging.
 */
function gemmOn(s: WasmState, par: Threaded | null, args: GemmArgs, u: GemmUpdate | null): boolean {
  const [transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, beta] = args
  const kern = c instanceof Float64Array ? s.f64 : s.f32
  const { mr: MR, nr: NR, bytes: E } = kern
  const { ars, acs, brs, bcs } = stridesOf(transA, transB, m, n, k)
  const kcMax = k < KC ? k : KC
  const mbMax = roundUp(m < MB_MAX ? m : MB_MAX, MR)
  const nbMax = roundUp(n < NB_MAX ? n : NB_MAX, NR)
  // Operands within budget are copied whole into wasm memory and packed there.
  const raw = (m * k + k * n) * E <= rawMaxBytes
  if (par !== null && raw && n % NR === 0 && k > KC && m <= columnsMaxM(E)) return gemmColumns(kern, par, args, u)
  // Layout in elements (after the helpers' scratch): C chunk, packed A slice, packed B slice, the
  // raw copies of A and B, then (with an update) the staged chunk of P.
  const cBase = par === null ? 0 : par.pool.reserved / E
  const aBase = cBase + mbMax * nbMax
  const bBase = aBase + mbMax * kcMax
  const rawA = bBase + kcMax * nbMax
  const rawB = rawA + (raw ? m * k : 0)
  const pBase = rawB + (raw ? k * n : 0)
  const bytes = (pBase + (u === null ? 0 : mbMax * nbMax)) * E
  const views: MemoryViews | null = par === null ? ensureBytes(bytes) : par.pool.views(bytes)
  if (views === null) return false
  const mem: FloatBuffer = E === 8 ? views.f64 : views.f32
  if (raw) {
    mem.set(a.subarray(aOff, aOff + m * k), rawA)
    mem.set(b.subarray(bOff, bOff + k * n), rawB)
  }
  for (const ch of chunksOf(m, n, MR, NR)) {
    if (beta !== 0) stageC(mem, cBase, c, cOff, n, ch)
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = k - p0 < KC ? k - p0 : KC
      const relB = p0 * brs + ch.j0 * bcs
      const relA = ch.i0 * ars + p0 * acs
      if (raw) {
        packRaw(kern.packB, E, mem, b, bOff, rawB, relB, bcs, brs, ch.nb, kc, bBase, NR)
        packRaw(kern.packA, E, mem, a, aOff, rawA, relA, ars, acs, ch.mb, kc, aBase, MR)
      } else {
        packPanels(b, bOff + relB, bcs, brs, ch.nb, kc, mem, bBase, NR)
        packPanels(a, aOff + relA, ars, acs, ch.mb, kc, mem, aBase, MR)
      }
      const zero = beta === 0 && p0 === 0 ? 1 : 0
      sliceProduct(kern, par, [ch.mPad, ch.nPad / NR, kc, aBase * E, bBase * E, cBase * E, ch.nPad * E, zero])
    }
    store(kern, mem, cBase, pBase, c, cOff, n, ch, u)
  }
  return true
}

/**
 * Products with several k-slices and at most this many rows take the whole-depth column split
 * (`gemmColumns`); taller ones keep one split per k-slice, where a unit reuses its block of A
 * (every column unit of the whole-depth split streams all of A).
 */
const COLUMNS_MAX_M = 2 * MC

/**
 * The tallest product (rows) of the whole-depth column split for elements of `bytes` bytes: a
 * float32 unit of 4·MC rows fills the scratch as a float64 one of 2·MC does. For 512² float32 that
 * is one split per product with independent units (each packs its own slices of B), instead of
 * one split per k-slice with a barrier between them, where a helper late for either slice held up
 * the product.
 */
const columnsMaxM = (bytes: number): number => (COLUMNS_MAX_M * 8) / bytes

/** The product of one packed k-slice: mPad, panels, kc, A, B, C (bytes), ldc bytes, zero. */
type Slice = readonly [number, number, number, number, number, number, number, number]

/** The caller's copy of a helper's unit out of its scratch slot into the staged C. */
const commitOf =
  (par: Threaded, p: ReadonlyArray<number>) =>
  (u: number, s: number): void => {
    const views = par.pool.views(0)
    if (views === null) throw new InternalError('gemm: the thread pool memory is gone')
    gemmCommit(views.u8, par.copyRows, p, u, s)
  }

/** Runs the macro over a packed k-slice: on the calling thread, or split across the helpers. */
function sliceProduct(kern: Kernels, par: Threaded | null, sl: Slice): void {
  const [mPad, panels, kc, a, b, c, ldcBytes, zero] = sl
  const { macro, mr: MR, nr: NR, bytes: E } = kern
  const blocks = Math.ceil(mPad / MC)
  if (par === null) {
    for (let ic = 0; ic < mPad; ic += MC) {
      const mc = mPad - ic < MC ? mPad - ic : MC
      macro(mc / MR, panels, kc, a + ic * kc * E, b, c + ic * ldcBytes, ldcBytes, zero)
    }
    return
  }
  const threads = par.pool.ready() + 1
  const chunks = Math.min(panels, Math.ceil((UNITS_PER_THREAD * threads) / blocks))
  const per = Math.min(Math.ceil(panels / chunks), UNIT_COLUMNS / NR)
  const used = Math.ceil(panels / per)
  const p = [E === 8 ? 1 : 0, mPad, MC, MR, panels, per, used, kc, a, b, c, ldcBytes, NR, E, zero, 0]
  par.pool.split(blocks * used, p, (u) => gemmUnit(kern, p, u), commitOf(par, p), false)
}

/**
 * The threaded driver for operands copied whole into memory, n a multiple of NR, several k-slices
 * and few rows (see COLUMNS_MAX_M): per chunk of
 * C, A is packed for every k-slice up front, then one split hands out chunks of column panels over
 * the whole depth, each unit packing its own slices of B (GEMM_JOB's mode 1). One hand-off per
 * chunk of C instead of one per k-slice, and B's packing runs on every thread: what keeps two
 * threads ahead of one for W2's 128×784·784×256 (four k-slices) and degrades to one unit's delay
 * when a helper is descheduled. Same macro calls on the same packed values as `gemmOn`: same bits.
 */
function gemmColumns(kern: Kernels, par: Threaded, args: GemmArgs, u: GemmUpdate | null): boolean {
  const [transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, beta] = args
  const { mr: MR, nr: NR, bytes: E } = kern
  const { ars, acs, brs, bcs } = stridesOf(transA, transB, m, n, k)
  const kcMax = k < KC ? k : KC
  const mbMax = roundUp(m < MB_MAX ? m : MB_MAX, MR)
  const nbMax = n < NB_MAX ? n : NB_MAX
  // Layout in elements (after the helpers' scratch): C chunk, A packed for every slice, the units'
  // B scratch, raw A, raw B, (with an update) the staged chunk of P.
  const o = par.pool.reserved / E
  const aAll = o + mbMax * nbMax
  const bScratch = aAll + mbMax * k
  const rawA = bScratch + nbMax * kcMax
  const rawB = rawA + m * k
  const pBase = rawB + k * n
  const views = par.pool.views((pBase + (u === null ? 0 : mbMax * nbMax)) * E)
  if (views === null) return false
  const mem: FloatBuffer = E === 8 ? views.f64 : views.f32
  mem.set(a.subarray(aOff, aOff + m * k), rawA)
  mem.set(b.subarray(bOff, bOff + k * n), rawB)
  const panelsMax = nbMax / NR
  const chunks = Math.min(panelsMax, UNITS_PER_THREAD * (par.pool.ready() + 1))
  const per = Math.min(Math.ceil(panelsMax / chunks), UNIT_COLUMNS / NR)
  for (const ch of chunksOf(m, n, MR, NR)) {
    if (beta !== 0) stageC(mem, o, c, cOff, n, ch)
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = k - p0 < KC ? k - p0 : KC
      const relA = ch.i0 * ars + p0 * acs
      packRaw(kern.packA, E, mem, a, aOff, rawA, relA, ars, acs, ch.mb, kc, aAll + ch.mPad * p0, MR)
    }
    const panels = ch.nPad / NR
    const used = Math.ceil(panels / per)
    const p = [E === 8 ? 1 : 0, ch.mPad, MC, MR, panels, per, used, k, aAll * E, bScratch * E, o * E]
    p.push(ch.nPad * E, NR, E, beta === 0 ? 1 : 0, 1, (rawB + ch.j0 * bcs) * E, bcs * E, brs * E, kcMax)
    par.pool.split(used, p, (unit) => gemmUnit(kern, p, unit), commitOf(par, p), false)
    store(kern, mem, o, pBase, c, cOff, n, ch, u)
  }
  return true
}
