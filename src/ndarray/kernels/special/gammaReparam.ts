/**
 * PyTorch's approximate reparameterised gradients of Gamma and Dirichlet samples
 * (`torch._standard_gamma_grad`, `torch._dirichlet_grad`): Jankowiak and Obermeyer 2018,
 * "Pathwise derivatives beyond the reparameterization trick" (ICML), §4 and appendix. They differ
 * from the exact implicit derivative (`randomGammaGrad`, gammaGrad.ts) by up to ~1e-4 relative:
 * the facade uses these so that `rsample` gradients of Gamma, Beta, Dirichlet and StudentT match
 * PyTorch's bit for bit up to the last rounding.
 *
 * Every function works in double precision, as PyTorch's CPU kernels do (their accumulate type is
 * double for float and double alike); `dirichletGrad` rounds to float where PyTorch computes in the
 * storage type (`f32`).
 */
import { digamma } from './gamma'

const F08 = Math.fround(0.8)
const F09 = Math.fround(0.9)
const F11 = Math.fround(1.1)

/** x ≥ 0 small: the series of the regularised lower incomplete gamma and its α-derivative (six terms). */
const gammaGradSmallX = (alpha: number, x: number): number => {
  let numer = 1
  let denom = alpha
  let s1 = numer / denom
  let s2 = numer / (denom * denom)
  for (let i = 1; i <= 5; i++) {
    numer *= -x / i
    denom += 1
    s1 += numer / denom
    s2 += numer / (denom * denom)
  }
  const powXA = Math.pow(x, alpha)
  const pdf = Math.pow(x, alpha - 1) * Math.exp(-x)
  const cdfAlpha = (Math.log(x) - digamma(alpha)) * (powXA * s1) - powXA * s2
  const r = -cdfAlpha / pdf
  return Number.isNaN(r) ? 0 : r
}

/** α > 8: the saddle-point (Rice) expansion, a polynomial one near the mode x ≈ α. */
const gammaGradLargeAlpha = (alpha: number, x: number): number => {
  if (F09 * alpha <= x && x <= F11 * alpha) {
    const n1 = 1 + 24 * alpha * (1 + 12 * alpha)
    const n2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - (65 * x * x) / alpha + alpha * (107 + 3600 * x)
    return (n1 * n2) / (1244160 * (alpha * alpha) * (alpha * alpha))
  }
  const den = Math.sqrt(8 * alpha)
  const t2 = den / (alpha - x)
  const t3 = Math.pow(x - alpha - alpha * Math.log(x / alpha), -1.5)
  const t23 = x < alpha ? t2 - t3 : t2 + t3
  const t1 = Math.log(x / alpha) * t23 - (Math.sqrt(2 / alpha) * (alpha + x)) / ((alpha - x) * (alpha - x))
  const stirling = 1 + (1 / (12 * alpha)) * (1 + 1 / (24 * alpha))
  return (-stirling * (x * t1)) / den
}

/** The fitted bivariate rational approximation in u = log(x/α), v = log α (coefficients of the paper's fit). */
const GAMMA_UV: ReadonlyArray<ReadonlyArray<number>> = [
  [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
  [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
  [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-7],
]

const gammaGradRational = (alpha: number, x: number): number => {
  const u = Math.log(x / alpha)
  const v = Math.log(alpha)
  const c = GAMMA_UV[0]!.map((c0, i) => c0 + u * (GAMMA_UV[1]![i]! + u * GAMMA_UV[2]![i]!))
  const p = c[0]! + v * (c[1]! + v * (c[2]! + v * c[3]!))
  const q = c[4]! + v * (c[5]! + v * (c[6]! + v * c[7]!))
  return Math.exp(p / q)
}

/**
 * dx/dα of a Gamma(α, 1) sample x as PyTorch approximates it (`_standard_gamma_grad`): a Taylor
 * series for x < 0.8, a saddle-point expansion for α > 8, a rational fit in between.
 */
export const standardGammaGrad = (alpha: number, x: number): number => {
  if (x < F08) return gammaGradSmallX(alpha, x)
  if (alpha > 8) return gammaGradLargeAlpha(alpha, x)
  return gammaGradRational(alpha, x)
}
