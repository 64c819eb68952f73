/**
 * The WebAssembly SIMD gemm module, float32 (f32x4) and float64 (f64x2), generated at load time
 * by `./assembler` (no committed binary). Per dtype it holds `macro`, which multiplies packed
 * panels — for every NR-wide panel of B and MR-tall panel of A it keeps an MR×NR block of C in
 * v128 locals over the whole k-slice (no FMA: Node 20 has no relaxed SIMD, so multiply then add)
 * — and `packA`/`packB`, which copy strided panels (`./simdPack`). `./gemmDriver` stages operands and calls them.
 */
import { F32, F64, FuncBuilder, I32, ModuleBuilder, Op, SimdOp, V128 } from './assembler'
import { buildCopyRows, buildPack } from './simdPack'

/** How one element type maps to wasm instructions. */
interface ElemType {
  /** Bytes per element and its log2 (memarg alignment). */
  readonly bytes: number
  readonly alignLog2: number
  /** Elements per v128. */
  readonly lanes: number
  readonly simdMul: number
  readonly simdAdd: number
  readonly simdSub: number
  /** The scalar value type and its splat into a v128. */
  readonly scalar: typeof F32 | typeof F64
  readonly simdSplat: number
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
  simdSub: SimdOp.f32x4Sub,
  scalar: F32,
  simdSplat: SimdOp.f32x4Splat,
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
  simdSub: SimdOp.f64x2Sub,
  scalar: F64,
  simdSplat: SimdOp.f64x2Splat,
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
    for (let v = 0; v < NV; v++)
      f.get(bp)
        .simdMem(SimdOp.v128Load, t.alignLog2, bOffset + 16 * v)
        .set(bv[v] ?? 0)
    for (let r = 0; r < MR; r++) {
      f.get(ap)
        .simdMem(t.splat, t.alignLog2, aOffset + E * r)
        .set(av)
      for (let v = 0; v < NV; v++) {
        const acv = accRow(r)[v] ?? 0
        f.get(acv)
          .get(av)
          .get(bv[v] ?? 0)
          .simd(t.simdMul)
          .simd(t.simdAdd)
          .set(acv)
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
  f.get(P_KC)
    .i32(NR * E)
    .op(Op.i32Mul)
    .set(bPanelBytes)
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
      for (let r = 0; r < MR; r++)
        for (let v = 0; v < NV; v++)
          f.i32(0)
            .simd(SimdOp.i32x4Splat)
            .set(accRow(r)[v] ?? 0)
      f.op(Op.else)
      f.get(cp).set(crow)
      for (let r = 0; r < MR; r++) {
        for (let v = 0; v < NV; v++)
          f.get(crow)
            .simdMem(SimdOp.v128Load, t.alignLog2, 16 * v)
            .set(accRow(r)[v] ?? 0)
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
      f.get(P_KC)
        .i32(UNROLL - 1)
        .op(Op.i32And)
        .set(cnt)
      countedLoop(() => {
        step(0, 0)
        f.addTo(ap, MR * E)
        f.addTo(bp, NR * E)
      })
      // Store the C tile.
      f.get(cp).set(crow)
      for (let r = 0; r < MR; r++) {
        for (let v = 0; v < NV; v++)
          f.get(crow)
            .get(accRow(r)[v] ?? 0)
            .simdMem(SimdOp.v128Store, t.alignLog2, 16 * v)
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
 * `update(c, p, bytes, s)`: C ← P − C·s over `bytes` bytes (a positive multiple of 16: the caller
 * skips empty chunks) at c and p, a multiply then a subtraction per lane, each rounded to the
 * element type as the element-wise kernels round them: the SGD update `p − lr·g` applied to a
 * staged product before it is stored. Written small (no zero-length guard, the scalar splat in
 * the loop): the module must stay under the 4 KiB synchronous-compile limit.
 */
function buildUpdate(t: ElemType): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, t.scalar], [])
  const [C, P, BYTES, S] = [0, 1, 2, 3]
  const i = f.local(I32)
  f.begin(Op.loop)
  f.get(C).get(i).op(Op.i32Add)
  f.get(P).get(i).op(Op.i32Add).simdMem(SimdOp.v128Load, 0, 0)
  f.get(C).get(i).op(Op.i32Add).simdMem(SimdOp.v128Load, 0, 0)
  f.get(S).simd(t.simdSplat).simd(t.simdMul).simd(t.simdSub)
  f.simdMem(SimdOp.v128Store, 0, 0)
  f.get(i).i32(16).op(Op.i32Add).tee(i).get(BYTES).op(Op.i32LtU).brIf(0)
  f.end()
  return f
}

/**
 * The module bytes: memory imported as env.memory; `macro`, `packA`, `packB`, `update` exported per dtype
 * with suffix `_f32` / `_f64`, and `copyRows`. Tile shapes are parameters only for experiments: the driver
 * assumes TILE_F32 and TILE_F64.
 */
export function buildGemmModule(
  f32: TileShape = TILE_F32,
  f64: TileShape = TILE_F64,
  sharedMaxPages?: number,
): Uint8Array<ArrayBuffer> {
  return new ModuleBuilder()
    .importMemory('env', 'memory', 1, sharedMaxPages)
    .func('macro_f32', buildMacro(F32X4, f32))
    .func('packA_f32', buildPack(F32X4, f32.mr))
    .func('packB_f32', buildPack(F32X4, f32.nr))
    .func('update_f32', buildUpdate(F32X4))
    .func('macro_f64', buildMacro(F64X2, f64))
    .func('packA_f64', buildPack(F64X2, f64.mr))
    .func('packB_f64', buildPack(F64X2, f64.nr))
    .func('update_f64', buildUpdate(F64X2))
    .func('copyRows', buildCopyRows())
    .encode()
}

/** C (+)= A·B over the tile grid; zero = 1 overwrites C instead of adding to it. */
export type MacroFn = (
  mp: number,
  np: number,
  kc: number,
  a: number,
  b: number,
  c: number,
  ldc: number,
  zero: number,
) => void
/** Copies `rows` rows of `bytes` bytes (a multiple of 16) between strided places (see buildCopyRows). */
export type CopyRowsFn = (
  src: number,
  srcStride: number,
  dst: number,
  dstStride: number,
  rows: number,
  bytes: number,
) => void
/** C ← P − C·s over `bytes` bytes at byte addresses c and p (see buildUpdate). */
export type UpdateFn = (c: number, p: number, bytes: number, s: number) => void
/** Copies `panels` full W-wide panels of a strided matrix (see buildPack). */
export type PackFn = (src: number, xs: number, ps: number, panels: number, depth: number, dst: number) => void
