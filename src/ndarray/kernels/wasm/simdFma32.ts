/**
 * float32 `x + α·y`, `addcmul`, `addcdiv` and `lerp` on WebAssembly SIMD, rounding each element as
 * PyTorch's CPU kernels do: every fused multiply-add `a·b + c` of float32 numbers rounded once.
 *
 * WebAssembly has no fused multiply-add, so it is emulated exactly on f64x2 lanes by rounding to
 * odd (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms using
 * rounding to odd", IEEE Trans. Computers 57(4), 2008):
 * 1. `p = a·b` is exact in float64 (two 24-bit significands make at most 48 bits; float32
 *    exponents stay far inside float64's normal range).
 * 2. `s = p + c` rounds to nearest; Knuth's two-sum `e` is the exact error `p + c − s`.
 * 3. Where `e ≠ 0` and `s`'s last significand bit is even, `s` moves one float64 step towards
 *    `p + c` (its bit pattern ±1): the exact sum lies strictly between `s` and that neighbour, and
 *    of two neighbours exactly one is odd, so `s` is now `p + c` rounded to odd.
 * 4. A float64 rounded to odd has 53 ≥ 24 + 2 bits, so rounding it to float32 (demote, to nearest
 *    even) gives the correctly rounded `p + c`, ties included: rounding to odd never lands on a
 *    float32 midpoint unless the exact sum is that midpoint.
 * NaN and infinite sums make `e` NaN and skip step 3; signed zeros follow IEEE addition as a
 * fused multiply-add's final addition does. The products `v·t1`, the quotient of addcdiv and the
 * difference of lerp are single float32 operations (f32x4 arithmetic rounds correctly).
 *
 * The TypeScript loops of ../../../torch/methods/pointwiseFused compute the same bits (tested
 * against these kernels in test/ndarray/simdFma32.test.ts).
 */
import { F32, FuncBuilder, I32, ModuleBuilder, Op, SimdOp, V128 } from './assembler'
import { ensureBytes, exported, instantiate } from './runtime'

/** SIMD opcodes of 64-bit integer lanes the emulation needs (beside ./assembler's table). */
const I64x2 = { shrS: 0xcc, sub: 0xd1, eq: 0xd6 } as const

/** Pushes a v128 constant of two equal little-endian 64-bit integer lanes (`lo` the low 32 bits, `hi` the high). */
function constI64(f: FuncBuilder, lo: number, hi: number): void {
  const b = new Uint8Array(16)
  const dv = new DataView(b.buffer)
  for (const at of [0, 8]) {
    dv.setUint32(at, lo >>> 0, true)
    dv.setUint32(at + 4, hi >>> 0, true)
  }
  f.simd(SimdOp.v128Const).code.bytes(b)
}

/** The v128 locals of the fused multiply-adds of one vector, and the hoisted constants. */
interface FmaLocals {
  readonly p: readonly [number, number] // the products of the low and the high lane pairs
  readonly c: readonly [number, number] // the addends
  readonly s: readonly [number, number] // the float64 sums
  readonly bp: number
  readonly e: number
  readonly one: number // i64 lanes of 1
  readonly zero: number
  readonly low29: number // i64 lanes of 2^29 − 1
  readonly mid: number // i64 lanes of 2^28: a float32 midpoint's low 29 bits
  readonly tiny: number // f64 lanes of 2^-126, the smallest normal float32
  readonly mask: number
}

function fmaLocals(f: FuncBuilder): FmaLocals {
  const two = (): [number, number] => [f.local(V128), f.local(V128)]
  const l = { p: two(), c: two(), s: two(), bp: f.local(V128), e: f.local(V128), mask: f.local(V128) }
  const consts = { one: [1, 0], zero: [0, 0], low29: [2 ** 29 - 1, 0], mid: [2 ** 28, 0] } as const
  const locals = { one: 0, zero: 0, low29: 0, mid: 0 }
  for (const k of ['one', 'zero', 'low29', 'mid'] as const) {
    locals[k] = f.local(V128)
    constI64(f, consts[k][0], consts[k][1])
    f.set(locals[k])
  }
  const tiny = f.local(V128)
  f.f64(2 ** -126)
    .simd(SimdOp.f64x2Splat)
    .set(tiny)
  return { ...l, ...locals, tiny }
}

/**
 * Moves the float64 sum `s = p + c` of local `s` to `p + c` rounded to odd (steps 2-3 above):
 * `s + ((((s ^ e) >> 63) | 1) & mask)`, mask = e ≠ 0 ∧ e = e ∧ s even.
 */
function emitToOdd(f: FuncBuilder, l: FmaLocals, p: number, c: number, s: number): void {
  f.get(s).get(c).simd(SimdOp.f64x2Sub).set(l.bp)
  // e = (p − bp) + (c − (s − bp))
  f.get(p).get(l.bp).simd(SimdOp.f64x2Sub)
  f.get(c).get(s).get(l.bp).simd(SimdOp.f64x2Sub).simd(SimdOp.f64x2Sub)
  f.simd(SimdOp.f64x2Add).set(l.e)
  f.get(s)
  f.get(s).get(l.e).simd(SimdOp.v128Xor).i32(63).simd(I64x2.shrS).get(l.one).simd(SimdOp.v128Or)
  f.get(l.e).get(l.zero).simd(SimdOp.f64x2Ne)
  f.get(l.e).get(l.e).simd(SimdOp.f64x2Eq).simd(SimdOp.v128And)
  f.get(s).get(l.one).simd(SimdOp.v128And).get(l.zero).simd(I64x2.eq).simd(SimdOp.v128And)
  f.simd(SimdOp.v128And).simd(SimdOp.i64x2Add).set(s)
}

const LOW = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]

/** An operand of {@link emitFma4}: a local of four float32 lanes, or of one float32 value splat over two f64 lanes. */
type Operand = { readonly f32: number } | { readonly f64: number }

/** Pushes the low (or high) two lanes of an operand as f64x2. */
function emitHalf(f: FuncBuilder, v: Operand, high: boolean): void {
  if ('f64' in v) {
    f.get(v.f64)
    return
  }
  f.get(v.f32)
  if (high) f.get(v.f32).shuffle(HIGH_TO_LOW)
  f.simd(SimdOp.f64x2PromoteLowF32x4)
}

/**
 * Pushes the f32x4 `a·b + c`, each lane rounded once. The float64 sum `s` rounded to float32
 * already is that unless `s` is a float32 midpoint (its low 29 significand bits 2^28) or below the
 * normal float32 range (where the midpoints sit elsewhere); only a vector with such a lane
 * (rare) runs {@link emitToOdd}.
 */
function emitFma4(f: FuncBuilder, l: FmaLocals, a: Operand, b: Operand, c: Operand): void {
  for (const h of [0, 1] as const) {
    emitHalf(f, a, h === 1)
    emitHalf(f, b, h === 1)
    f.simd(SimdOp.f64x2Mul).set(l.p[h])
    emitHalf(f, c, h === 1)
    f.tee(l.c[h]).get(l.p[h]).simd(SimdOp.f64x2Add).tee(l.s[h])
    f.get(l.low29).simd(SimdOp.v128And).get(l.mid).simd(I64x2.eq)
    f.get(l.s[h]).simd(SimdOp.f64x2Abs).get(l.tiny).simd(SimdOp.f64x2Lt).simd(SimdOp.v128Or)
    if (h === 1) f.get(l.mask).simd(SimdOp.v128Or)
    f.set(l.mask)
  }
  f.get(l.mask).simd(SimdOp.v128AnyTrue)
  f.begin(Op.if)
  for (const h of [0, 1] as const) emitToOdd(f, l, l.p[h], l.c[h], l.s[h])
  f.end()
  f.get(l.s[0]).simd(SimdOp.f32x4DemoteF64x2Zero)
  f.get(l.s[1]).simd(SimdOp.f32x4DemoteF64x2Zero)
  f.shuffle(LOW)
}

/** Which kernel: the fused ops of the facade. */
export type Fma32Op = 'axpy' | 'addcmul' | 'addcdiv' | 'lerp'
const OPS: ReadonlyArray<Fma32Op> = ['axpy', 'addcmul', 'addcdiv', 'lerp']

// parameters of every kernel: (n, x, a, b, out, scalar, bStep); pointers in bytes
const P = { N: 0, X: 1, A: 2, B: 3, O: 4, S: 5, BSTEP: 6 } as const

/**
 * `<op>_f32(n, x, a, b, out, s, bStep)` over n float32 elements (whole vectors: reads and writes
 * up to 12 bytes past n). axpy: x + s·a; addcmul: x + (s·a)·b; addcdiv: x + (s·a)/b; lerp: x, end
 * a, weight b (pointer step bStep: 16, or 0 for a weight splat into one vector).
 */
function buildKernel(op: Fma32Op): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32, I32, F32, I32], [])
  const end = f.local(I32)
  const q = f.local(I32)
  const bq = f.local(I32)
  const [vx, va, vb, vs, half, vs64] = [1, 2, 3, 4, 5, 6].map(() => f.local(V128)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const l = fmaLocals(f)
  f.get(P.S).simd(SimdOp.f32x4Splat).set(vs)
  f.get(P.S).op(Op.f64PromoteF32).simd(SimdOp.f64x2Splat).set(vs64)
  f.f32(0.5).simd(SimdOp.f32x4Splat).set(half)
  f.begin(Op.block)
  f.get(P.N).op(Op.i32Eqz).brIf(0)
  f.get(P.N).i32(4).op(Op.i32Mul).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(end)
  f.i32(0).set(q)
  f.i32(0).set(bq)
  f.begin(Op.loop)
  f.get(P.O).get(q).op(Op.i32Add)
  f.get(P.X).get(q).op(Op.i32Add).simdMem(SimdOp.v128Load, 2, 0).set(vx)
  f.get(P.A).get(q).op(Op.i32Add).simdMem(SimdOp.v128Load, 2, 0).set(va)
  if (op !== 'axpy') f.get(P.B).get(bq).op(Op.i32Add).simdMem(SimdOp.v128Load, 2, 0).set(vb)
  emitBody(f, op, l, { vx, va, vb, vs, half, vs64 })
  f.simdMem(SimdOp.v128Store, 2, 0)
  f.addTo(q, 16)
  f.get(bq).get(P.BSTEP).op(Op.i32Add).set(bq)
  f.get(q).get(end).op(Op.i32LtU).brIf(0)
  f.end()
  f.end()
  return f
}

interface Vecs {
  readonly vx: number
  readonly va: number
  readonly vb: number
  readonly vs: number
  readonly half: number
  readonly vs64: number
}

/** Pushes one output vector of `op` from the loaded vectors. */
function emitBody(f: FuncBuilder, op: Fma32Op, l: FmaLocals, v: Vecs): void {
  const { vx, va, vb, vs, half, vs64 } = v
  if (op === 'axpy') return emitFma4(f, l, { f64: vs64 }, { f32: va }, { f32: vx })
  if (op === 'addcmul') {
    f.get(vs).get(va).simd(SimdOp.f32x4Mul).set(va)
    return emitFma4(f, l, { f32: va }, { f32: vb }, { f32: vx })
  }
  if (op === 'addcdiv') {
    f.get(vx).get(vs).get(va).simd(SimdOp.f32x4Mul).get(vb).simd(SimdOp.f32x4Div).simd(SimdOp.f32x4Add)
    return
  }
  // lerp: |w| < 0.5 ? w·d + x : (w − 1)·d + end, d = end − x (vs: the weight's lanes below 0.5)
  f.get(vb).simd(SimdOp.f32x4Abs).get(half).simd(SimdOp.f32x4Lt).set(vs)
  f.get(vb).get(vb).f32(1).simd(SimdOp.f32x4Splat).simd(SimdOp.f32x4Sub).get(vs).simd(SimdOp.v128Bitselect).set(vb)
  f.get(vx).get(va).get(vs).simd(SimdOp.v128Bitselect).set(vs)
  f.get(va).get(vx).simd(SimdOp.f32x4Sub).set(va)
  emitFma4(f, l, { f32: vb }, { f32: va }, { f32: vs })
}

/** The module with `<op>_f32` for every op. */
export function buildFma32Module(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder().importMemory('env', 'memory', 1)
  for (const op of OPS) m.func(`${op}_f32`, buildKernel(op))
  return m.encode()
}

type KernelFn = (n: number, x: number, a: number, b: number, o: number, s: number, bStep: number) => void

/** undefined = not built yet, null = unavailable. */
let kernels: Record<Fma32Op, KernelFn> | null | undefined

function getKernels(): Record<Fma32Op, KernelFn> | null {
  if (kernels === undefined) {
    const ex = instantiate(buildFma32Module())
    const table: Partial<Record<Fma32Op, KernelFn>> = {}
    for (const op of OPS) {
      const fn = ex === null ? null : exported<KernelFn>(ex, `${op}_f32`)
      if (fn !== null) table[op] = fn
    }
    kernels = Object.keys(table).length === OPS.length ? (table as Record<Fma32Op, KernelFn>) : null
  }
  return kernels
}

/** Elements per staged chunk (64 KiB per float32 buffer). */
const CHUNK = 16384
/** Staging buffer stride in bytes: a chunk plus a vector of slack. */
const STRIDE = CHUNK * 4 + 64

/**
 * `out = op(x, a, b, s)` over float32 arrays of out's length (see {@link buildKernel}; b unused by
 * axpy; for lerp, b of length 1 is a weight shared by every element). Returns false when the
 * kernels are unavailable, leaving out untouched.
 */
export function fma32Wasm(
  op: Fma32Op,
  x: Float32Array,
  a: Float32Array,
  b: Float32Array | null,
  s: number,
  out: Float32Array,
): boolean {
  const k = getKernels()
  if (k === null) return false
  const fn = k[op]
  const mem = ensureBytes(4 * STRIDE).f32
  const [xo, ao, bo, oo] = [0, STRIDE, 2 * STRIDE, 3 * STRIDE]
  const shared = b !== null && b.length === 1 && out.length !== 1
  if (shared) mem.fill(b[0] as number, bo / 4, bo / 4 + 4)
  const n = out.length
  for (let at = 0; at < n; at += CHUNK) {
    const len = Math.min(CHUNK, n - at)
    mem.set(x.subarray(at, at + len), xo / 4)
    mem.set(a.subarray(at, at + len), ao / 4)
    if (b !== null && !shared) mem.set(b.subarray(at, at + len), bo / 4)
    fn(len, xo, ao, bo, oo, s, shared ? 0 : 16)
    out.set(mem.subarray(oo / 4, oo / 4 + len), at)
  }
  return true
}
