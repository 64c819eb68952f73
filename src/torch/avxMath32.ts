/**
 * Float32 arithmetic as PyTorch's AVX2 CPU kernels do it, for the random-number kernels that must
 * reproduce PyTorch's numbers bit for bit.
 *
 * - `fma32`: a fused multiply-add on floats, rounded once.
 * - `logAvx32` and `sincosAvx32`: the approximate logarithm and sine/cosine PyTorch's float32
 *   `normal_` kernel evaluates 8 lanes at a time (its `avx_mathfun.h`, a vector port of the Cephes
 *   `logf`/`sinf`/`cosf` algorithms by S. L. Moshier). Each is a range reduction followed by a
 *   minimax polynomial in float arithmetic. Debian's PyTorch was compiled by GCC with `-mfma` and
 *   the default `-ffp-contract=fast`, which fuses every multiply whose only use is an add into one
 *   fused multiply-add; the functions below fuse the same operations (checked against PyTorch's
 *   output: 86,016 normals, all equal, while any unfused variant differs).
 *
 * @category torch
 * @since 0.2.0
 */
const F = Math.fround

const scratch = new Float64Array(1)
const scratchWords = new Uint32Array(scratch.buffer)

/**
 * a·b + c for floats a, b, c, rounded once to float. The product is exact in double; the double
 * sum s = a·b + c can be inexact, and then rounding s to float is wrong only when s falls exactly
 * halfway between two floats (its low 29 significand bits are 1 followed by 28 zeros): the exact
 * sum then lies on the side of the sum's rounding error, computed exactly by Knuth's TwoSum.
 */
export const fma32 = (a: number, b: number, c: number): number => {
  const p = a * b
  const s = p + c
  const r = F(s)
  if (r === s || !Number.isFinite(s)) return r
  const v = s - p
  const err = p - (s - v) + (c - v)
  if (err === 0) return r
  scratch[0] = s
  if (((scratchWords[0] as number) & 0x1fffffff) !== 0x10000000) return r
  const other = 2 * s - r
  return err > 0 ? Math.max(r, other) : Math.min(r, other)
}

const f32 = (xs: ReadonlyArray<number>): number[] => xs.map(F)

// Cephes logf: log(1 + x) ≈ x − x²/2 + x³·P(x) on [√½ − 1, √2 − 1]; log 2 split in two parts
const LOG_P = f32([
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
])
const LN2_LO = F(-2.1219444e-4)
const LN2_HI = F(0.693359375)
const SQRT_HALF = F(Math.SQRT1_2)

const fbits = new Float32Array(1)
const fword = new Uint32Array(fbits.buffer)

/** Horner's rule with fused steps: ((c₀·x + c₁)·x + c₂)… */
const horner = (x: number, c: ReadonlyArray<number>): number => {
  let acc = c[0] as number
  for (let k = 1; k < c.length; k++) acc = fma32(acc, x, c[k] as number)
  return acc
}

/**
 * PyTorch's AVX2 float32 natural logarithm of a positive normal float: x = m·2^e with m in
 * [½, 1), moved to [√½, √2) (e decreased), then log x = (m − 1) + P-correction + e·log 2.
 */
export const logAvx32 = (x: number): number => {
  if (!(x > 0)) return NaN
  fbits[0] = Math.max(x, 2 ** -126)
  const w = fword[0] as number
  let e = (w >>> 23) - 126
  fword[0] = (w & 0x807fffff) | 0x3f000000
  const m = fbits[0] as number
  let t = F(m - 1)
  if (m < SQRT_HALF) {
    e -= 1
    t = F(t + m)
  }
  const z = F(t * t)
  let y = F(horner(t, LOG_P) * t)
  y = fma32(y, z, F(e * LN2_LO))
  y = F(y - F(z * 0.5))
  return fma32(e, LN2_HI, F(t + y))
}

// Cephes sinf/cosf: π/4 in three parts for the reduction, polynomials on [−π/4, π/4]
const PIO4 = f32([0.78515625, 2.4187564849853515625e-4, 3.77489497744594108e-8]).map((d) => -d)
const FOUR_OVER_PI = F(4 / Math.PI)
const COS_P = f32([2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2])
const SIN_P = f32([-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1])

/**
 * PyTorch's AVX2 float32 sine and cosine of `x` (|x| < 2²³): the octant j (rounded up to even)
 * of |x|, the remainder r = |x| − j·π/4 in three fused steps, then cos r and sin r by their
 * polynomials, swapped and signed by the octant. Returns [sin x, cos x].
 */
export const sincosAvx32 = (x: number): [number, number] => {
  const ax = Math.abs(x)
  const j = (Math.trunc(F(ax * FOUR_OVER_PI)) + 1) & ~1
  let r = ax
  for (const d of PIO4) r = fma32(j, d, r)
  const z = F(r * r)
  const c = F(fma32(F(horner(z, COS_P) * z), z, -F(z * 0.5)) + 1)
  const s = fma32(F(horner(z, SIN_P) * z), r, r)
  const swap = (j & 2) !== 0
  const sinSign = ((j & 4) !== 0) !== x < 0 ? -1 : 1
  const cosSign = ((j - 2) & 4) === 0 ? -1 : 1
  return [sinSign * (swap ? c : s), cosSign * (swap ? s : c)]
}
