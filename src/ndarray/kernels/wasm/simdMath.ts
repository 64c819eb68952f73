/**
 * float32 `exp`, `log` and `tanh` on f32x4 lanes: emitters that replace the f32x4 on top of a
 * function's stack by its image, with the operations of the scalar twins in `../math32` in the
 * same order (so the results are the same bits; accuracy is stated there). Used by the unary
 * kernels (`./simdElementwise`) and by `jit`'s fused loops (`./fusedLoop`).
 */
import { FuncBuilder, SimdOp, V128 } from './assembler'
import {
  EXP_HI,
  EXP_LO,
  EXP_P,
  LN2_C1,
  LN2_C2,
  LOG2E,
  LOG_P,
  MIN_NORMAL,
  SQRT_HALF,
  SUBNORMAL_SCALE,
  ROUND_MAGIC,
  TANH_EXP_HI,
  TANH_P,
  TANH_SPLIT,
} from '../math32'

/**
 * Splat constants hoisted into v128 locals before a kernel's loop (`hoistConstants`): V8 builds a
 * v128.const from general registers each time it is executed, a local is one register or load.
 */
const pools = new WeakMap<FuncBuilder, Map<string, number>>()

function splat(f: FuncBuilder, key: string, fill: (dv: DataView, i: number) => void): void {
  const local = pools.get(f)?.get(key)
  if (local !== undefined) {
    f.get(local)
    return
  }
  const b = new Uint8Array(16)
  const dv = new DataView(b.buffer)
  for (let i = 0; i < 4; i++) fill(dv, 4 * i)
  f.simd(SimdOp.v128Const).code.bytes(b)
  recording?.add(key)
}

let recording: Set<string> | undefined

/** Pushes a v128 with every f32 lane equal to v. */
export function f32x4Const(f: FuncBuilder, v: number): void {
  splat(f, `f${Object.is(v, -0) ? '-0' : String(v)}`, (dv, i) => dv.setFloat32(i, v, true))
}

/** Pushes a v128 with every i32 lane equal to v. */
export function i32x4Const(f: FuncBuilder, v: number): void {
  splat(f, `i${v}`, (dv, i) => dv.setInt32(i, v, true))
}

/**
 * Declares a v128 local for every splat constant `body` emits and initialises it here; `body`'s
 * later emissions into f read the locals.
 */
export function hoistConstants(f: FuncBuilder, body: (scratch: FuncBuilder) => void): void {
  const seen = new Set<string>()
  recording = seen
  try {
    body(new FuncBuilder(f.params, f.results))
  } finally {
    recording = undefined
  }
  const pool = pools.get(f) ?? new Map<string, number>()
  pools.set(f, pool)
  for (const key of seen) {
    if (pool.has(key)) continue
    const v = Number(key.slice(1))
    if (key[0] === 'f') f32x4Const(f, v)
    else i32x4Const(f, v)
    const local = f.local(V128)
    f.set(local)
    pool.set(key, local)
  }
}

/** Scratch v128 locals the emitters share (declare once per function). */
export interface MathLocals {
  readonly a: number
  readonly b: number
  readonly c: number
  readonly d: number
  readonly e: number
  readonly g: number
  readonly h: number
}

export function mathLocals(f: FuncBuilder): MathLocals {
  return {
    a: f.local(V128),
    b: f.local(V128),
    c: f.local(V128),
    d: f.local(V128),
    e: f.local(V128),
    g: f.local(V128),
    h: f.local(V128),
  }
}

/** Pushes the polynomial coefficients[0]·v^n + … in Horner form over local v (one mul and one add per step). */
function horner(f: FuncBuilder, coefficients: ReadonlyArray<number>, v: number): void {
  f32x4Const(f, coefficients[0] as number)
  for (let i = 1; i < coefficients.length; i++) {
    f.get(v).simd(SimdOp.f32x4Mul)
    f32x4Const(f, coefficients[i] as number)
    f.simd(SimdOp.f32x4Add)
  }
}

/** exp of the f32x4 on the stack (see `exp32`). Uses locals a, b, c, d. */
export function emitExp32(f: FuncBuilder, l: MathLocals): void {
  f32x4Const(f, EXP_HI)
  f.simd(SimdOp.f32x4Pmin)
  f32x4Const(f, EXP_LO)
  f.simd(SimdOp.f32x4Pmax)
  emitExpReduced(f, l)
  // × 2^k1 × 2^k2 with k1 = k >> 1, k2 = k − k1: each factor's exponent field is (k_i + 127) << 23.
  const { a: c, b: k } = l
  f.get(k).simd(SimdOp.i32x4TruncSatF32x4S).tee(k).i32(1).simd(SimdOp.i32x4ShrS).tee(c)
  i32x4Const(f, 127)
  f.simd(SimdOp.i32x4Add).i32(23).simd(SimdOp.i32x4Shl).simd(SimdOp.f32x4Mul)
  f.get(k).get(c).simd(SimdOp.i32x4Sub)
  i32x4Const(f, 127)
  f.simd(SimdOp.i32x4Add).i32(23).simd(SimdOp.i32x4Shl).simd(SimdOp.f32x4Mul)
}

/**
 * exp32's reduction and polynomial of the clamped f32x4 on the stack: leaves e^r on the stack and
 * k (as f32 lanes) in local b, so that e^x = e^r · 2^k. Uses locals a, b, c, d.
 */
function emitExpReduced(f: FuncBuilder, l: MathLocals): void {
  const { a: c, b: k, c: r, d: z } = l
  f.tee(c)
  f32x4Const(f, LOG2E)
  f.simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Nearest).set(k)
  f.get(c).get(k)
  f32x4Const(f, LN2_C1)
  f.simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Sub)
  f.get(k)
  f32x4Const(f, LN2_C2)
  f.simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Sub).tee(r)
  f.get(r).simd(SimdOp.f32x4Mul).set(z)
  f32x4Const(f, 1)
  horner(f, EXP_P, r)
  f.get(z).simd(SimdOp.f32x4Mul).get(r).simd(SimdOp.f32x4Add)
  f.simd(SimdOp.f32x4Add)
}

/**
 * exp32 of the f32x4 u ≥ 0 (or NaN) on the stack as tanh's large branch uses it, in fewer steps
 * with the same bits where they matter: u is clamped to TANH_EXP_HI instead of EXP_HI (beyond it,
 * 1 − 2/(e^u + 1) rounds to 1 either way), there is no lower clamp, and 2^k (k ≤ 29) is one
 * normal power of two, so e^r · 2^k is the same exact product as e^r · 2^k1 · 2^k2. k comes from
 * the rounding add of ROUND_MAGIC (u·log2e ≤ 29 < 2²²), the same value as f32x4.nearest, without
 * i32x4.trunc_sat (several instructions on x64).
 */
function emitExpTanh(f: FuncBuilder, l: MathLocals): void {
  const { a: c, b: m, c: r, d: z } = l
  f32x4Const(f, TANH_EXP_HI)
  f.simd(SimdOp.f32x4Pmin).tee(c)
  // k = nearest(u·log2e) by adding 1.5·2²³ (the add rounds half to even, as f32x4.nearest does):
  // m's low mantissa bits then hold k, so 2^k's bits are (m << 23) + (127 << 23)
  f32x4Const(f, LOG2E)
  f.simd(SimdOp.f32x4Mul)
  f32x4Const(f, ROUND_MAGIC)
  f.simd(SimdOp.f32x4Add).tee(m)
  f32x4Const(f, ROUND_MAGIC)
  f.simd(SimdOp.f32x4Sub).set(z)
  f.get(c).get(z)
  f32x4Const(f, LN2_C1)
  f.simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Sub)
  f.get(z)
  f32x4Const(f, LN2_C2)
  f.simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Sub).tee(r)
  f.get(r).simd(SimdOp.f32x4Mul).set(z)
  f32x4Const(f, 1)
  horner(f, EXP_P, r)
  f.get(z).simd(SimdOp.f32x4Mul).get(r).simd(SimdOp.f32x4Add)
  f.simd(SimdOp.f32x4Add)
  f.get(m).i32(23).simd(SimdOp.i32x4Shl)
  i32x4Const(f, 127 << 23)
  f.simd(SimdOp.i32x4Add).simd(SimdOp.f32x4Mul)
}

/** log of the f32x4 on the stack (see `log32`). Uses locals a, b, c, d, e. */
export function emitLog32(f: FuncBuilder, l: MathLocals): void {
  const { a: x, b: sub, c: e, d: m, e: z } = l
  f.tee(x)
  f32x4Const(f, MIN_NORMAL)
  f.simd(SimdOp.f32x4Lt).set(sub)
  // bits of x, subnormals scaled by 2^25
  f.get(x)
  f32x4Const(f, SUBNORMAL_SCALE)
  f.simd(SimdOp.f32x4Mul).get(x).get(sub).simd(SimdOp.v128Bitselect).tee(m)
  f.i32(23).simd(SimdOp.i32x4ShrU)
  i32x4Const(f, 0xff)
  f.simd(SimdOp.v128And)
  i32x4Const(f, 126)
  f.simd(SimdOp.i32x4Sub)
  f.get(sub)
  i32x4Const(f, 25)
  f.simd(SimdOp.v128And).simd(SimdOp.i32x4Sub).set(e)
  f.get(m)
  i32x4Const(f, 0x007fffff)
  f.simd(SimdOp.v128And)
  i32x4Const(f, 0x3f000000)
  f.simd(SimdOp.v128Or).tee(m)
  f32x4Const(f, SQRT_HALF)
  f.simd(SimdOp.f32x4Lt).set(sub)
  // e − 1 where m < √½ (the mask is −1), and m doubled there
  f.get(e).get(sub).simd(SimdOp.i32x4Add).simd(SimdOp.f32x4ConvertI32x4S).set(e)
  f.get(m).get(m).simd(SimdOp.f32x4Add).get(m).get(sub).simd(SimdOp.v128Bitselect)
  f32x4Const(f, 1)
  f.simd(SimdOp.f32x4Sub).tee(m)
  f.get(m).simd(SimdOp.f32x4Mul).set(z)
  horner(f, LOG_P, m)
  f.get(m).simd(SimdOp.f32x4Mul).get(z).simd(SimdOp.f32x4Mul)
  f32x4Const(f, LN2_C2)
  f.get(e).simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Add)
  f32x4Const(f, -0.5)
  f.get(z).simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Add)
  f.get(m).simd(SimdOp.f32x4Add).set(z)
  // (m + y) + C1·e: the add is commutative, so m + y above is the twin's f(m + y)
  f.get(z)
  f32x4Const(f, LN2_C1)
  f.get(e).simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Add)
  // x = 0 → −∞, x < 0 → NaN, x = +∞ → +∞, NaN → itself
  f.set(z)
  f32x4Const(f, -Infinity)
  f.get(z).get(x)
  f32x4Const(f, 0)
  f.simd(SimdOp.f32x4Eq).simd(SimdOp.v128Bitselect).set(z)
  f32x4Const(f, NaN)
  f.get(z).get(x)
  f32x4Const(f, 0)
  f.simd(SimdOp.f32x4Lt).simd(SimdOp.v128Bitselect).set(z)
  f32x4Const(f, Infinity)
  f.get(z).get(x)
  f32x4Const(f, Infinity)
  f.simd(SimdOp.f32x4Eq).simd(SimdOp.v128Bitselect).set(z)
  f.get(x).get(z).get(x).get(x).simd(SimdOp.f32x4Ne).simd(SimdOp.v128Bitselect)
}

/** tanh of the f32x4 on the stack (see `tanh32`). Uses every local. */
export function emitTanh32(f: FuncBuilder, l: MathLocals): void {
  const { e: x, g: small, h: ax } = l
  const z = l.d
  f.tee(x).simd(SimdOp.f32x4Abs).tee(ax).get(ax).simd(SimdOp.f32x4Mul).set(z)
  horner(f, TANH_P, z)
  f.set(small)
  f.get(ax).get(ax).get(z).simd(SimdOp.f32x4Mul).get(small).simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Add).set(small)
  f32x4Const(f, 1)
  f32x4Const(f, 2)
  f.get(ax).get(ax).simd(SimdOp.f32x4Add)
  emitExpTanh(f, l)
  f32x4Const(f, 1)
  f.simd(SimdOp.f32x4Add).simd(SimdOp.f32x4Div).simd(SimdOp.f32x4Sub).set(l.a)
  // small where |x| < split, big elsewhere, then the sign of x
  f.get(small).get(l.a).get(ax)
  f32x4Const(f, TANH_SPLIT)
  f.simd(SimdOp.f32x4Lt).simd(SimdOp.v128Bitselect)
  f.get(x)
  i32x4Const(f, -0x80000000)
  f.simd(SimdOp.v128And).simd(SimdOp.v128Or)
}
