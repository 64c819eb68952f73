/**
 * float32 `exp`, `log` and `tanh` computed in float32 arithmetic, one rounding per operation: the
 * scalar twins of the WebAssembly SIMD versions (`./wasm/simdMath`), which run the same
 * operations in the same order on f32x4 lanes, so the JavaScript loops, `jit`'s fused loops and
 * the SIMD kernels give the same bits. Each `Math.fround(a op b)` of float32 operands is the
 * correctly rounded float32 result, as the f32x4 instruction is (WebAssembly SIMD without
 * relaxed-SIMD has no fused multiply-add, so nothing differs).
 *
 * Accuracy against float64 `Math` over the whole float32 range (test/ndarray/math32.test.ts:
 * dense sampling of the bit patterns plus the edge cases): exp ≤ 1 ulp, log ≤ 1 ulp, tanh ≤ 1.1
 * ulp (measured maxima 0.97, 0.80 and 1.05 ulp of the correctly rounded result). tanh over every
 * float32 from +0 to +∞ and the NaNs (scripts/tanh32Exhaustive.mjs; the sign is copied): worst
 * 1.0565 ulp, at x = 0.7592115.
 *
 * - exp: Cody-Waite reduction x = k·ln2 + r with |r| ≤ ln2/2 (ln2 in two parts, the first exact
 *   times k), e^r = 1 + (r + r²·P(r)) with Cephes' degree-5 P, times 2^k applied as two powers of
 *   two so results from the largest finite value down to the subnormals round once.
 * - log: x = 2^e·m with m in [√½, √2) (subnormals scaled by 2²⁵ first), log(1 + f) =
 *   f − f²/2 + f³·P(f) with Cephes' degree-8 P, plus e·ln2 in two parts.
 * - tanh: |x| < 0.75: |x| + |x|³·P(x²) (degree 5, fitted for relative error on [0, 0.75]); beyond,
 *   1 − 2/(e^{2|x|} + 1) with the exp above; the sign of x is copied onto the result. The SIMD
 *   kernel's exp there takes a shortcut with the same bits (TANH_EXP_HI).
 *
 * @category kernels
 * @since 0.2.0
 */

const f = Math.fround

/** exp: inputs are clamped to [EXP_LO, EXP_HI] (beyond, the float32 result is 0 or +∞ anyway). */
export const EXP_LO = -104
export const EXP_HI = 89
export const LOG2E = f(Math.LOG2E)
/** ln 2 in two parts: EXP_C1 has 9 significant bits, so k·EXP_C1 is exact for |k| ≤ 150. */
export const LN2_C1 = 0.693359375
export const LN2_C2 = f(-2.1219444e-4)
/** e^r = 1 + r + r²·P(r), P's coefficients from the highest degree down (Cephes' expf). */
export const EXP_P: ReadonlyArray<number> = [
  1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1,
].map(f)

/** log(1 + f) = f − f²/2 + f³·P(f), P from the highest degree down (Cephes' logf). */
export const LOG_P: ReadonlyArray<number> = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f)
export const SQRT_HALF = f(Math.SQRT1_2)
/** The smallest normal float32, and 2²⁵ (the scale that makes every subnormal normal). */
export const MIN_NORMAL = 2 ** -126
export const SUBNORMAL_SCALE = 2 ** 25

/**
 * Above this, e^u (u = 2|x|) is so large that tanh's 1 − 2/(e^u + 1) rounds to 1 (it does from u ≈
 * 18.03 on: 2/(e^u + 1) ≤ 2^−25), so the SIMD kernel may clamp u there instead of at EXP_HI.
 */
export const TANH_EXP_HI = 20

/** 1.5·2²³: v + ROUND_MAGIC − ROUND_MAGIC is v rounded half to even, for |v| < 2²². */
export const ROUND_MAGIC = 12582912

/** tanh(x) = x + x³·P(x²) below TANH_SPLIT; P from the highest degree down. */
export const TANH_SPLIT = 0.75
export const TANH_P: ReadonlyArray<number> = [
  0.001740741077810526, -0.007663706783205271, 0.02145613171160221, -0.05389392003417015, 0.13332709670066833,
  -0.33333316445350647,
].map(f)

/** Round half to even of a float32 integer-valued candidate, as f32x4.nearest does. */
const nearest = (x: number): number => {
  const r = Math.round(x)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** 2^k for k in [−80, 80] (the factors exp32 scales by), indexed by k + 80. */
const POW2 = Float64Array.from({ length: 161 }, (_, i) => 2 ** (i - 80))

// The coefficients as plain constants: the twins are hot scalar code.
const [E0, E1, E2, E3, E4, E5] = EXP_P as [number, number, number, number, number, number]
const [L0, L1, L2, L3, L4, L5, L6, L7, L8] = LOG_P as [
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
const [T0, T1, T2, T3, T4, T5] = TANH_P as [number, number, number, number, number, number]

/** e^x in float32 arithmetic (x a float32 value). */
export const exp32 = (x: number): number => {
  if (x !== x) return x
  const c = x > EXP_HI ? EXP_HI : x < EXP_LO ? EXP_LO : x
  const k = nearest(f(c * LOG2E))
  const r = f(f(c - f(k * LN2_C1)) - f(k * LN2_C2))
  const z = f(r * r)
  let p = f(f(E0 * r) + E1)
  p = f(f(p * r) + E2)
  p = f(f(p * r) + E3)
  p = f(f(p * r) + E4)
  p = f(f(p * r) + E5)
  const y = f(1 + f(f(p * z) + r))
  const k1 = k >> 1
  return f(f(y * (POW2[k1 + 80] as number)) * (POW2[k - k1 + 80] as number))
}

const bits = new Int32Array(1)
const bitsF = new Float32Array(bits.buffer)

/** log(x) in float32 arithmetic (x a float32 value). */
export const log32 = (x: number): number => {
  if (!(x > 0) || x === Infinity) return x === 0 ? -Infinity : x < 0 ? NaN : x
  const sub = x < MIN_NORMAL
  bitsF[0] = sub ? x * SUBNORMAL_SCALE : x
  const b = bits[0] as number
  let e = ((b >>> 23) & 0xff) - 126 - (sub ? 25 : 0)
  bits[0] = (b & 0x007fffff) | 0x3f000000
  let m = bitsF[0] as number
  if (m < SQRT_HALF) {
    e -= 1
    m = f(m + m)
  }
  m = f(m - 1)
  const z = f(m * m)
  let y = f(f(L0 * m) + L1)
  y = f(f(y * m) + L2)
  y = f(f(y * m) + L3)
  y = f(f(y * m) + L4)
  y = f(f(y * m) + L5)
  y = f(f(y * m) + L6)
  y = f(f(y * m) + L7)
  y = f(f(y * m) + L8)
  y = f(f(y * m) * z)
  y = f(y + f(LN2_C2 * e))
  y = f(y + f(-0.5 * z))
  return f(f(m + y) + f(LN2_C1 * e))
}

/** tanh(x) in float32 arithmetic (x a float32 value). */
export const tanh32 = (x: number): number => {
  if (x !== x) return x
  const ax = Math.abs(x)
  let r: number
  if (ax < TANH_SPLIT) {
    const z = f(ax * ax)
    let p = f(f(T0 * z) + T1)
    p = f(f(p * z) + T2)
    p = f(f(p * z) + T3)
    p = f(f(p * z) + T4)
    p = f(f(p * z) + T5)
    r = f(ax + f(f(ax * z) * p))
  } else {
    r = f(1 - f(2 / f(exp32(f(ax + ax)) + 1)))
  }
  return x < 0 || (x === 0 && 1 / x < 0) ? -r : r
}
