/**
 * The pack functions of the WebAssembly SIMD gemm module (`./simdGemm`): `pack(src, xs, ps,
 * panels, depth, dst)` copies W-wide panels of a strided matrix into the [panel][p][x] layout the
 * micro-kernel reads. Three loops, chosen per call by the strides: v128 copies when a panel's W
 * values at one depth are contiguous (xs one element), 4×4 blocks transposed in registers when
 * each row is contiguous along depth (ps one element, float32), scalar copies otherwise.
 */
import { FuncBuilder, I32, Op, SimdOp, V128 } from './assembler'

/** What a pack loop needs of an element type (a subset of `./simdGemm`'s ElemType). */
export interface PackElem {
  readonly bytes: number
  readonly alignLog2: number
  /** Scalar load and store. */
  readonly load: number
  readonly store: number
}

/**
 * Emits `pack(src, xs, ps, panels, depth, dst)`: copies `panels` full W-wide panels of a strided
 * matrix — element (x, p) at byte src + x*xs + p*ps — to dst as [panel][p][x]. When xs is one
 * element (the W values for one p are contiguous) each step is v128 copies; when ps is one float32
 * element (a row-major A, a B stored transposed) 4×4 blocks are transposed in registers (packing
 * W2's 128×784 input: 18 → 6.5 µs); otherwise W scalar copies per step.
 */
export function buildPack(t: PackElem, W: number): FuncBuilder {
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
      f.get(P_DST)
        .get(s)
        .simdMem(SimdOp.v128Load, t.alignLog2, 16 * v)
        .simdMem(SimdOp.v128Store, t.alignLog2, 16 * v)
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
  const params = { src: P_SRC, xs: P_XS, ps: P_PS, panels: P_PANELS, depth: P_DEPTH, dst: P_DST }
  if (E === 4 && W % 4 === 0) {
    // Rows contiguous along depth (ps one element): 4×4 blocks transposed in registers.
    f.get(P_PS).i32(E).op(Op.i32Eq)
    f.begin(Op.if)
    emitTransposingPack(f, W, params, panelStride)
    f.op(Op.else)
    emitScalarPack(f, t, W, params, [s, cnt, x, panelStride])
    f.end()
  } else {
    emitScalarPack(f, t, W, params, [s, cnt, x, panelStride])
  }
  f.end()
  f.end()
  return f
}

/** The parameters (local indices) of a pack function. */
interface PackParams {
  readonly src: number
  readonly xs: number
  readonly ps: number
  readonly panels: number
  readonly depth: number
  readonly dst: number
}

/** The general pack loop: W scalar copies per depth step, any strides. */
function emitScalarPack(
  f: FuncBuilder,
  t: PackElem,
  W: number,
  p: PackParams,
  [s, cnt, x, panelStride]: readonly [number, number, number, number],
): void {
  const E = t.bytes
  const ps = p.ps
  {
    f.begin(Op.loop)
    f.get(p.src).set(s)
    f.get(p.depth).set(cnt)
    f.begin(Op.loop)
    f.get(s).set(x)
    for (let i = 0; i < W; i++) {
      f.get(p.dst)
        .get(x)
        .mem(t.load, t.alignLog2, 0)
        .mem(t.store, t.alignLog2, E * i)
      if (i < W - 1) f.get(x).get(p.xs).op(Op.i32Add).set(x)
    }
    f.get(s).get(ps).op(Op.i32Add).set(s)
    f.addTo(p.dst, W * E)
    f.get(cnt).i32(1).op(Op.i32Sub).tee(cnt).brIf(0)
    f.end()
    f.get(p.src).get(panelStride).op(Op.i32Add).set(p.src)
    f.get(p.panels).i32(1).op(Op.i32Sub).tee(p.panels).brIf(0)
    f.end()
  }
}

/** i8x16.shuffle lanes picking four 32-bit lanes (0-3 of the first operand, 4-7 of the second). */
const lanes32 = (l: readonly [number, number, number, number]): number[] =>
  l.flatMap((i) => [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3])
const INTERLEAVE_LO = lanes32([0, 4, 1, 5])
const INTERLEAVE_HI = lanes32([2, 6, 3, 7])
const HALVES_LO = lanes32([0, 1, 4, 5])
const HALVES_HI = lanes32([2, 3, 6, 7])

/**
 * The float32 pack loop for a source whose W rows of a panel are each contiguous along depth: per
 * four depth steps and four rows, four v128 loads (one per row), a 4×4 transpose in registers
 * (eight shuffles) and four v128 stores; the last depth % 4 steps by scalar copies. The same
 * values land in the same places as the scalar loop's (a copy: nothing is rounded).
 */
function emitTransposingPack(f: FuncBuilder, W: number, p: PackParams, panelStride: number): void {
  const s = f.local(I32)
  const cnt = f.local(I32)
  const row = f.local(I32)
  const [v0, v1, v2, v3] = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)]
  const [t0, t1, t2, t3] = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)]
  const rowBytes = W * 4
  f.begin(Op.loop) // over panels
  f.get(p.src).set(s)
  f.get(p.depth).i32(2).op(Op.i32ShrU).set(cnt)
  f.begin(Op.block)
  f.get(cnt).op(Op.i32Eqz).brIf(0)
  f.begin(Op.loop) // over blocks of four depth steps
  for (let g = 0; g < W / 4; g++) {
    // rows 4g … 4g+3 at depth p … p+3
    f.get(s)
    if (g > 0)
      f.get(p.xs)
        .i32(4 * g)
        .op(Op.i32Mul)
        .op(Op.i32Add)
    f.set(row)
    ;[v0, v1, v2, v3].forEach((vr, r) => {
      f.get(row).simdMem(SimdOp.v128Load, 2, 0).set(vr)
      if (r < 3) f.get(row).get(p.xs).op(Op.i32Add).set(row)
    })
    f.get(v0).get(v1).shuffle(INTERLEAVE_LO).set(t0)
    f.get(v0).get(v1).shuffle(INTERLEAVE_HI).set(t1)
    f.get(v2).get(v3).shuffle(INTERLEAVE_LO).set(t2)
    f.get(v2).get(v3).shuffle(INTERLEAVE_HI).set(t3)
    const store = (j: number, a: number, b: number, lanes: number[]): void => {
      f.get(p.dst)
        .get(a)
        .get(b)
        .shuffle(lanes)
        .simdMem(SimdOp.v128Store, 2, j * rowBytes + 16 * g)
    }
    store(0, t0, t2, HALVES_LO)
    store(1, t0, t2, HALVES_HI)
    store(2, t1, t3, HALVES_LO)
    store(3, t1, t3, HALVES_HI)
  }
  f.addTo(s, 16)
  f.addTo(p.dst, 4 * rowBytes)
  f.get(cnt).i32(1).op(Op.i32Sub).tee(cnt).brIf(0)
  f.end()
  f.end()
  // the last depth % 4 steps
  f.get(p.depth).i32(3).op(Op.i32And).set(cnt)
  f.begin(Op.block)
  f.get(cnt).op(Op.i32Eqz).brIf(0)
  f.begin(Op.loop)
  f.get(s).set(row)
  for (let i = 0; i < W; i++) {
    f.get(p.dst)
      .get(row)
      .mem(Op.f32Load, 2, 0)
      .mem(Op.f32Store, 2, 4 * i)
    if (i < W - 1) f.get(row).get(p.xs).op(Op.i32Add).set(row)
  }
  f.addTo(s, 4)
  f.addTo(p.dst, rowBytes)
  f.get(cnt).i32(1).op(Op.i32Sub).tee(cnt).brIf(0)
  f.end()
  f.end()
  f.get(p.src).get(panelStride).op(Op.i32Add).set(p.src)
  f.get(p.panels).i32(1).op(Op.i32Sub).tee(p.panels).brIf(0)
  f.end()
}

/**
 * Emits `copyRows(src, srcStride, dst, dstStride, rows, bytes)`: copies `rows` rows of `bytes` bytes
 * (a multiple of 16) from byte `src` to byte `dst`, the rows `srcStride` / `dstStride` bytes apart,
 * by v128 loads and stores: how the calling thread copies a helper's block of C out of its scratch
 * (a shared memory, where a JavaScript `copyWithin` per row ran at ~2 GB/s).
 */
export function buildCopyRows(): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32], [])
  const [SRC, SS, DST, DS, ROWS, BYTES] = [0, 1, 2, 3, 4, 5]
  const i = f.local(I32)
  f.begin(Op.block)
  f.get(ROWS).op(Op.i32Eqz).brIf(0)
  f.get(BYTES).op(Op.i32Eqz).brIf(0)
  f.begin(Op.loop)
  f.i32(0).set(i)
  f.begin(Op.loop)
  f.get(DST).get(i).op(Op.i32Add)
  f.get(SRC).get(i).op(Op.i32Add).simdMem(SimdOp.v128Load, 0, 0)
  f.simdMem(SimdOp.v128Store, 0, 0)
  f.get(i).i32(16).op(Op.i32Add).tee(i).get(BYTES).op(Op.i32LtU).brIf(0)
  f.end()
  f.get(SRC).get(SS).op(Op.i32Add).set(SRC)
  f.get(DST).get(DS).op(Op.i32Add).set(DST)
  f.get(ROWS).i32(1).op(Op.i32Sub).tee(ROWS).brIf(0)
  f.end()
  f.end()
  return f
}
