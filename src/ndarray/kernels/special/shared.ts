/** Constants and exactly-reduced helpers shared by the special-function kernels (see ../special.ts). */

// -------------------------------------------------------------------------------------
// constants and helpers
// -------------------------------------------------------------------------------------

export const SQRT_PI = 1.772453850905516
export const LOG_SQRT_2PI = 0.9189385332046728 // ½ log 2π
export const EULER = 0.5772156649015329 // γ
export const EPS = 2 ** -53

/** Bernoulli numbers B₂, B₄, …, B₂₄. */
export const B2K = [
  1 / 6,
  -1 / 30,
  1 / 42,
  -1 / 30,
  5 / 66,
  -691 / 2730,
  7 / 6,
  -3617 / 510,
  43867 / 798,
  -174611 / 330,
  854513 / 138,
  -236364091 / 2730,
] as const
export const factorial = (n: number): number => {
  let f = 1
  for (let i = 2; i <= n; i++) f *= i
  return f
}
/** B₂ⱼ/(2j)!, the Euler–Maclaurin coefficients. */
export const EM = B2K.map((b, j) => b / factorial(2 * j + 2))

/** sin(πx), with the argument reduced exactly. */
export const sinpi = (x: number): number => {
  let r = x % 2
  if (r > 1) r -= 2
  else if (r < -1) r += 2
  if (r > 0.5) r = 1 - r
  else if (r < -0.5) r = -1 - r
  return Math.sin(Math.PI * r)
}

/** cos(πx), with the argument reduced exactly. */
export const cospi = (x: number): number => {
  let r = Math.abs(x % 2)
  if (r > 1) r = 2 - r
  if (r < 0.25) return Math.cos(Math.PI * r)
  if (r > 0.75) return -Math.cos(Math.PI * (1 - r))
  return Math.sin(Math.PI * (0.5 - r))
}

/** log(1 + t) − t without cancellation: −t²/(2+t) + 2Σ u²ᵏ⁺¹/(2k+1), u = t/(2+t). */
export const log1pmx = (t: number): number => {
  if (Math.abs(t) >= 0.5) return Math.log1p(t) - t
  const u = t / (2 + t)
  const u2 = u * u
  let pow = u * u2
  let sum = 0
  for (let k = 3; Math.abs(pow) > EPS * EPS * Math.abs(sum) || sum === 0; k += 2) {
    sum += pow / k
    pow *= u2
    if (pow === 0) break
  }
  return (-t * t) / (2 + t) + 2 * sum
}

const LN2_HI = 6.9314718036912381649e-1 // ln 2 = LN2_HI + LN2_LO, k·LN2_HI exact for |k| < 2¹¹
const LN2_LO = 1.90821492927058770002e-10

/**
 * e^(−x²)·2ᵏ to a few ulp (k lifts results that would be subnormal): x = hi + lo with hi² exact,
 * e^(−hi² + k·ln 2)·e^(−lo(x + hi)).
 */
export const expNegSq = (x: number, k = 0): number => {
  const ax = Math.abs(x)
  if (ax > 40) return 0
  const hi = Math.round(ax * 2 ** 21) / 2 ** 21
  return Math.exp(-hi * hi + k * LN2_HI) * Math.exp(k * LN2_LO - (ax - hi) * (ax + hi))
}

/** Stirling's correction μ(x) = lnΓ(x) − ((x − ½) log x − x + ½ log 2π), for x ≥ 10. */
export const stirlingCorrection = (x: number): number => {
  const r = 1 / (x * x)
  let sum = 0
  for (let k = B2K.length - 3; k >= 0; k--) sum = sum * r + (B2K[k] ?? 0) / ((2 * k + 2) * (2 * k + 1))
  return sum / x
}
