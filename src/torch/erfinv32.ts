/**
 * PyTorch's float32 `erfinv` as its CPU kernel computes it (Debian's PyTorch 1.13 on glibc 2.36),
 * so that `nn.init.trunc_normal_` reproduces PyTorch's numbers for a seed.
 *
 * PyTorch's `calc_erfinv` is the rational first guess of Pavlis's MATLAB `erfinv` (central range
 * |y| ≤ 0.7, a tail form in sqrt(−log((1−|y|)/2)) outside), evaluated in float with the polynomials
 * contracted to fused multiply-adds (its AVX2 build), then two Newton steps that call the C
 * library's `erff` and `expf`. glibc 2.36's `erff` is the float port of Sun's fdlibm `erf`
 * (rational approximations on [0, 0.84375), [0.84375, 1.25), [1.25, 1/0.35), [1/0.35, 6)),
 * computed in float arithmetic: `erf32` below evaluates the same approximations, every
 * operation rounded to float. `expf` and `logf` are within half an ulp, so a correctly rounded
 * double result rounded to float stands in for them.
 *
 * @category torch
 * @since 0.2.0
 */
import { fma32 } from './avxMath32'

const F = Math.fround

/** Horner evaluation in float, each step rounded: c[0] + s·(c[1] + s·(…)). */
const horner = (s: number, c: ReadonlyArray<number>): number => {
  let acc = c[c.length - 1] as number
  for (let i = c.length - 2; i >= 0; i--) acc = F((c[i] as number) + F(s * acc))
  return acc
}

const f32 = (xs: number[]): number[] => xs.map(F)
// fdlibm's coefficients for erf (Sun Microsystems, 1993), as float
const ERX = F(8.4506291151e-1)
const EFX = F(1.2837916613e-1)
const PP = f32([1.2837916613e-1, -3.2504209876e-1, -2.8481749818e-2, -5.770270247e-3, -2.3763017452e-5])
const QQ = f32([1, 3.9791721106e-1, 6.50222525e-2, 5.0813062117e-3, 1.3249473704e-4, -3.9602282413e-6])
const PA = f32([
  -2.3621185683e-3, 4.1485610604e-1, -3.7220788002e-1, 3.1834661961e-1, -1.1089469492e-1, 3.5478305072e-2,
  -2.1663755178e-3,
])
const QA = f32([
  1, 1.0642088205e-1, 5.4039794207e-1, 7.1828655899e-2, 1.2617121637e-1, 1.3637083583e-2, 1.1984500103e-2,
])
const RA = f32([
  -9.8649440333e-3, -6.938585639e-1, -1.0558626175e1, -6.2375331879e1, -1.6239666748e2, -1.8460508728e2,
  -8.1287437439e1, -9.8143291473,
])
const SA = f32([
  1, 1.965127182e1, 1.3765776062e2, 4.3456588745e2, 6.4538726807e2, 4.2900814819e2, 1.0863500214e2, 6.5702495575,
  -6.0424413532e-2,
])
const RB = f32([
  -9.864943102e-3, -7.9928326607e-1, -1.7757955551e1, -1.6063638306e2, -6.3756646729e2, -1.0250950928e3,
  -4.8351919556e2,
])
const SB = f32([
  1, 3.0338060379e1, 3.2579251099e2, 1.5367296143e3, 3.1998581543e3, 2.553050293e3, 4.7452853394e2, -2.2440952301e1,
])

const bits = new Float32Array(1)
const word = new Uint32Array(bits.buffer)
/** `x` with the low 12 bits of its float significand cleared. */
const truncate12 = (x: number): number => {
  bits[0] = x
  word[0] = (word[0] as number) & 0xfffff000
  return bits[0] as number
}

/** erf of a float in float arithmetic, as glibc 2.36's `erff`. */
export const erf32 = (x: number): number => {
  if (Number.isNaN(x)) return x
  const ax = Math.abs(F(x))
  const sign = x < 0 ? -1 : 1
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return F(x + F(EFX * x))
    const z = F(x * x)
    const y = F(horner(z, PP) / horner(z, QQ))
    return F(x + F(x * y))
  }
  if (ax < 1.25) {
    const s = F(ax - 1)
    const q = F(horner(s, PA) / horner(s, QA))
    return sign > 0 ? F(ERX + q) : F(-ERX - q)
  }
  if (ax >= 6) return sign
  const s = F(1 / F(ax * ax))
  const small = ax < 2.857142925262451 // 0x4036DB6E
  const rs = F(horner(s, small ? RA : RB) / horner(s, small ? SA : SB))
  const z = truncate12(ax)
  const e1 = F(Math.exp(F(F(-z * z) - 0.5625)))
  const e2 = F(Math.exp(F(F(F(z - ax) * F(z + ax)) + rs)))
  const r = F(e1 * e2)
  return sign > 0 ? F(1 - F(r / ax)) : F(F(r / ax) - 1)
}

// Pavlis's coefficients for the first guess
const A = f32([0.886226899, -1.645349621, 0.914624893, -0.140543331])
const B = f32([-2.118377725, 1.442710462, -0.329097515, 0.012229801])
const C = f32([-1.970840454, -1.624906493, 3.429567803, 1.641345311])
const D = f32([3.5438892, 1.6370678])
const TWO_OVER_SQRT_PI = F(2 / F(Math.sqrt(Math.PI)))

/** Horner evaluation with fused multiply-adds: c[0] + s·(c[1] + s·(…)). */
const hornerFma = (s: number, c: ReadonlyArray<number>): number => {
  let acc = c[c.length - 1] as number
  for (let i = c.length - 2; i >= 0; i--) acc = fma32(acc, s, c[i] as number)
  return acc
}

/** PyTorch's float32 `erfinv` (CPU), bit for bit. */
export const erfinv32 = (yIn: number): number => {
  const y = F(yIn)
  const ay = Math.abs(y)
  if (Number.isNaN(y) || ay > 1) return NaN
  if (ay === 1) return y * Infinity
  let x: number
  if (ay <= F(0.7)) {
    const z = F(y * y)
    const num = hornerFma(z, A)
    const dem = fma32(hornerFma(z, B), z, 1)
    x = F(F(y * num) / dem)
  } else {
    const z = F(Math.sqrt(F(-F(Math.log(F(F(1 - ay) / 2))))))
    const num = hornerFma(z, C)
    const dem = fma32(hornerFma(z, D), z, 1)
    x = F((y < 0 ? -Math.abs(num) : Math.abs(num)) / dem)
  }
  for (let step = 0; step < 2; step++) x = F(x - F(F(erf32(x) - y) / F(TWO_OVER_SQRT_PI * F(Math.exp(F(-x * x))))))
  return x
}
