/**
 * The work units of the threaded WebAssembly gemm (`./gemmDriver`): the job a helper thread runs
 * (its source, for `./threads`) and the same unit on the calling thread, over the layout of packed
 * operands and staged C that the driver lays out.
 *
 * @category kernels
 * @since 0.2.0
 */
import type { CopyRowsFn, MacroFn, PackFn, UpdateFn } from './simdGemm'

/** The kernels of one dtype. */
export interface Kernels {
  readonly macro: MacroFn
  readonly packA: PackFn
  readonly packB: PackFn
  readonly update: UpdateFn
  readonly mr: number
  readonly nr: number
  readonly bytes: number
}

/**
 * One work unit on a helper, in one of two modes (p[15]).
 *
 * Mode 0, one k-slice: the `macro` call for one MC-tall row block and one chunk of NR-wide column
 * panels (unit u = row block ⌊u / chunks⌋, chunk u mod chunks). Params: dtype (0 f32, 1 f64),
 * mPad, MC, MR, panels, panels per chunk, chunks, kc, A, B, C (byte offsets of the packed slices
 * and the staged C), ldc bytes, NR, element bytes, zero (overwrite C), mode.
 *
 * Mode 1, whole depth (`gemmColumns`): unit u is chunk u of the column panels over every k-slice
 * and row block; it packs its own slices of B (from the raw copy) into its own scratch. Params as
 * mode 0 but p[7] = k, p[8] = A packed for every slice (slice p0 at mPad·p0 elements), p[9] = the
 * scratch of unit 0 (unit u's at u·per·NR·KC elements), then p[16] = the raw B's byte offset of
 * the chunk's first column, p[17] / p[18] = its byte strides along columns / depth, p[19] = KC.
 *
 * Given a private scratch slot of the helper (s ≥ 0, a stealing split), the unit computes its block
 * of C there (rows of np·NR elements; mode 1 packs B after the block) and the calling thread copies
 * the block to the staged C (`gemmCommit`); with s < 0 it writes the staged C directly. The same
 * macro calls on the same values either way: the same bits. `gemmUnit` is the unit on the calling
 * thread.
 */
export const GEMM_JOB = `(() => {
  const rows = (m, src, ss, dst, ds, n, bytes) => {
    const b = new Uint8Array(m.buffer)
    for (let r = 0; r < n; r++) b.copyWithin(dst + r * ds, src + r * ss, src + r * ss + bytes)
  }
  const block = (p, u) => {
    const MC = p[2], per = p[5], chunks = p[6], NR = p[12], E = p[13], mode = p[15]
    const ic = mode === 0 ? ((u / chunks) | 0) * MC : 0, j0 = (mode === 0 ? u % chunks : u) * per
    const rowsOf = mode === 0 ? (p[1] - ic < MC ? p[1] - ic : MC) : p[1]
    const np = p[4] - j0 < per ? p[4] - j0 : per
    return { ic, j0, mc: rowsOf, np, at: p[10] + ic * p[11] + j0 * NR * E, width: np * NR * E }
  }
  const run = (ex, p, u, m, s) => {
    const f = p[0] === 1 ? ex.macro_f64 : ex.macro_f32
    const mPad = p[1], MC = p[2], MR = p[3], NR = p[12], E = p[13], zero = p[14]
    const { ic, j0, mc, np, at, width } = block(p, u)
    const c = s < 0 ? at : s, ldc = s < 0 ? p[11] : width
    if (s >= 0 && zero === 0) rows(m, at, p[11], s, width, mc, width)
    if (p[15] === 0) {
      const kc = p[7]
      f(mc / MR, np, kc, p[8] + ic * kc * E, p[9] + j0 * NR * kc * E, c, ldc, zero)
      return
    }
    const pack = p[0] === 1 ? ex.packB_f64 : ex.packB_f32
    const k = p[7], xs = p[17], ps = p[18], KC = p[19]
    const scratch = s < 0 ? p[9] + j0 * NR * KC * E : s + mPad * width
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = k - p0 < KC ? k - p0 : KC
      pack(p[16] + j0 * NR * xs + p0 * ps, xs, ps, np, kc, scratch)
      for (let i = 0; i < mPad; i += MC) {
        const h = mPad - i < MC ? mPad - i : MC
        f(h / MR, np, kc, p[8] + (mPad * p0 + i * kc) * E, scratch, c + i * ldc, ldc, p0 === 0 ? zero : 0)
      }
    }
  }
  return run
})()`

/**
 * Widest block of C (columns) a unit computes: with MC or COLUMNS_MAX_M rows, plus (whole depth)
 * KC rows of packed B, a float64 unit fits the helper's scratch (SCRATCH_BYTES).
 */
export const UNIT_COLUMNS = 128

/**
 * Bytes of one private scratch slot of a helper (the driver's COLUMNS_MAX_M, KC: ./gemmDriver):
 * (COLUMNS_MAX_M + KC) · UNIT_COLUMNS float64 values, as many bytes as (columnsMaxM(4) + KC) ·
 * UNIT_COLUMNS float32 values.
 */
export const SCRATCH_BYTES = 512 * 1024

/** The unit parameters (the layout GEMM_JOB reads; mode 0 leaves the last four 0). */
type UnitParams = readonly number[]

/** GEMM_JOB's unit on the calling thread. */
export function gemmUnit(k: Kernels, p: UnitParams, u: number): void {
  const q = (i: number): number => p[i] as number
  const [mPad, MC, MR, panels, per, chunks, ldc, NR, E] = [q(1), q(2), q(3), q(4), q(5), q(6), q(11), q(12), q(13)]
  if (q(15) === 0) {
    const kc = q(7)
    const ic = Math.floor(u / chunks) * MC
    const j0 = (u % chunks) * per
    const mc = Math.min(MC, mPad - ic)
    const np = Math.min(per, panels - j0)
    k.macro(mc / MR, np, kc, q(8) + ic * kc * E, q(9) + j0 * NR * kc * E, q(10) + ic * ldc + j0 * NR * E, ldc, q(14))
    return
  }
  const [depth, xs, ps, KCu] = [q(7), q(17), q(18), q(19)]
  const j0 = u * per
  const np = Math.min(per, panels - j0)
  const scratch = q(9) + j0 * NR * KCu * E
  for (let p0 = 0; p0 < depth; p0 += KCu) {
    const kc = Math.min(KCu, depth - p0)
    k.packB(q(16) + j0 * NR * xs + p0 * ps, xs, ps, np, kc, scratch)
    for (let ic = 0; ic < mPad; ic += MC) {
      const mc = Math.min(MC, mPad - ic)
      const c = q(10) + ic * ldc + j0 * NR * E
      k.macro(mc / MR, np, kc, q(8) + (mPad * p0 + ic * kc) * E, scratch, c, ldc, p0 === 0 ? q(14) : 0)
    }
  }
}

/** Unit u's block of C in the staged C: its first byte, its rows and its width in bytes (GEMM_JOB's `block`). */
function blockOf(p: UnitParams, u: number): { readonly at: number; readonly rows: number; readonly width: number } {
  const q = (i: number): number => p[i] as number
  const [mPad, MC, panels, per, chunks, ldc, NR, E] = [q(1), q(2), q(4), q(5), q(6), q(11), q(12), q(13)]
  const whole = q(15) !== 0
  const ic = whole ? 0 : Math.floor(u / chunks) * MC
  const j0 = (whole ? u : u % chunks) * per
  const rows = whole ? mPad : Math.min(MC, mPad - ic)
  const np = Math.min(per, panels - j0)
  return { at: q(10) + ic * ldc + j0 * NR * E, rows, width: np * NR * E }
}

/**
 * Copies unit u's block of C, computed by a helper into its scratch slot at byte `s` (rows of the
 * block's width), to the staged C: the calling thread's side of a stealing split. `copyRows` (the
 * module's v128 row copy) when the width is a multiple of 16 bytes (always, with whole NR-wide
 * panels), else a `copyWithin` per row of `mem`.
 */
export function gemmCommit(mem: Uint8Array, copyRows: CopyRowsFn, p: UnitParams, u: number, s: number): void {
  const { at, rows, width } = blockOf(p, u)
  const ldc = p[11] as number
  if (width % 16 === 0) {
    copyRows(s, width, at, ldc, rows, width)
    return
  }
  for (let r = 0; r < rows; r++) mem.copyWithin(at + r * ldc, s + r * width, s + (r + 1) * width)
}
