/**
 * PyTorch's CPU samplers for Poisson, binomial and Gamma draws (ATen's `sample_poisson`,
 * `sample_binomial` and `sample_gamma`) over the Mersenne Twister (mt19937.ts), with their draw
 * order, their double uniforms (53 bits) and double normals (the generator's cached Box–Muller
 * pair), and their float arithmetic where PyTorch's templates compute in the tensor's dtype.
 * ATen compiles these in a file built without fused multiply-adds: plain double arithmetic.
 *
 * - Poisson(λ): λ ≥ 10 by Hörmann's transformed rejection with squeeze (PTRS: "The transformed
 *   rejection method for generating Poisson random variables", Insurance Math. Econom. 12, 1993);
 *   below, by multiplying uniforms until the product falls to e^−λ.
 * - Binomial(n, p): on min(p, 1 − p), Hörmann's BTRS ("The generation of binomial random
 *   variates", J. Stat. Comput. Simul. 46, 1993) when n·p ≥ 10, else the count of geometric
 *   waiting times ⌈log u / log(1 − p)⌉ that fit in n trials.
 * - Gamma(α, 1): Marsaglia and Tsang's method ("A simple method for generating gamma
 *   variables", ACM TOMS 26(3), 2000); α < 1 is boosted to α + 1 and scaled by u^(1/α).
 *
 * @category torch
 * @since 0.2.0
 */
import { gammaln } from '../ndarray/kernels/special/gamma'
import type { MT19937 } from './mt19937'
import { normalDouble, uniformDouble as unit } from './rngKernels'

/** Rounds to float32 when `f32`, else the identity: PyTorch's `scalar_t` arithmetic. */
const rounder = (f32: boolean): ((x: number) => number) => (f32 ? Math.fround : (x: number): number => x)

/** One Poisson(λ) draw (λ ≥ 0, in double). */
export const poissonDraw = (g: MT19937, lambda: number): number => {
  if (lambda >= 10) {
    const slam = Math.sqrt(lambda)
    const loglam = Math.log(lambda)
    const b = 0.931 + 2.53 * slam
    const a = -0.059 + 0.02483 * b
    const invalpha = 1.1239 + 1.1328 / (b - 3.4)
    const vr = 0.9277 - 3.6224 / (b - 2)
    for (;;) {
      const u = unit(g) - 0.5
      const v = unit(g)
      const us = 0.5 - Math.abs(u)
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43)
      if (us >= 0.07 && v <= vr) return k
      if (k < 0 || (us < 0.013 && v > us)) continue
      const lhs = Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
      if (lhs <= -lambda + k * loglam - gammaln(k + 1)) return k
    }
  }
  if (lambda === 0) return 0
  const enlam = Math.exp(-lambda)
  let x = 0
  let prod = 1
  for (;;) {
    prod *= unit(g)
    if (prod <= enlam) return x
    x += 1
  }
}

/** log(k!) − Stirling's approximation of it, for k = 0…9 (ATen's table); a series above. */
const TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
]
const stirlingTail = (k: number): number => {
  if (k <= 9) return TAIL[k] as number
  const kp1sq = (k + 1) * (k + 1)
  return (1 / 12 - (1 / 360 - 1 / 1260 / kp1sq) / kp1sq) / (k + 1)
}

/** BTRS on p ≤ 1/2, n·p ≥ 10 (`r` rounds PyTorch's scalar_t steps). */
const btrs = (g: MT19937, n: number, p: number, r: (x: number) => number): number => {
  const stddev = r(Math.sqrt(r(r(n * p) * r(1 - p))))
  const b = 1.15 + 2.53 * stddev
  const a = -0.0873 + 0.0248 * b + 0.01 * p
  const c = r(n * p) + 0.5
  const vr = 0.92 - 4.2 / b
  const ratio = r(p / r(1 - p))
  const alpha = (2.83 + 5.1 / b) * stddev
  const m = Math.floor(r(r(n + 1) * p))
  for (;;) {
    const u = unit(g) - 0.5
    let v = unit(g)
    const us = 0.5 - Math.abs(u)
    const k = r(Math.floor(((2 * a) / us + b) * u + c))
    if (k < 0 || k > n) continue
    if (us >= 0.07 && v <= vr) return k
    v = Math.log((v * alpha) / (a / (us * us) + b))
    const nk1 = r(r(n - k) + 1)
    const bound =
      (m + 0.5) * Math.log((m + 1) / (ratio * (n - m + 1))) +
      r(n + 1) * Math.log((n - m + 1) / nk1) +
      (k + 0.5) * Math.log((ratio * nk1) / r(k + 1)) +
      stirlingTail(m) +
      stirlingTail(n - m) -
      stirlingTail(k) -
      stirlingTail(r(n - k))
    if (v <= bound) return k
  }
}

/** Inversion by geometric waiting times on p ≤ 1/2, n·p < 10. */
const binomialInversion = (g: MT19937, n: number, p: number, r: (x: number) => number): number => {
  const logprob = r(Math.log1p(-p))
  let sum = 0
  let count = 0
  for (;;) {
    sum += Math.ceil(Math.log(unit(g)) / logprob)
    if (sum > n) return count
    count += 1
  }
}

/** One Binomial(n, p) draw, n and p of the tensor's dtype (`f32` for float32). */
export const binomialDraw = (g: MT19937, n: number, p: number, f32: boolean): number => {
  const r = rounder(f32)
  if (n <= 0 || p <= 0) return 0
  if (p >= 1) return n
  if (p <= 0.5) return r(n * p) >= 10 ? btrs(g, n, p, r) : binomialInversion(g, n, p, r)
  if (p > 0.5) {
    const q = r(1 - p)
    return r(n - (r(n * q) >= 10 ? btrs(g, n, q, r) : binomialInversion(g, n, q, r)))
  }
  return NaN
}

const THIRD_F32 = Math.fround(1 / 3)
const C_F32 = Math.fround(0.0331)

/** One Gamma(α, 1) draw, α of the tensor's dtype (`f32` for float32), before PyTorch's clamp. */
export const gammaDraw = (g: MT19937, alphaIn: number, f32: boolean): number => {
  const r = rounder(f32)
  let alpha = alphaIn
  let scale = 1
  if (alpha < 1) {
    if (alpha === 0) return 0
    scale *= Math.pow(1 - unit(g), r(1 / alpha))
    alpha = r(alpha + 1)
  }
  const d = r(alpha - THIRD_F32)
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let y: number
    do {
      x = normalDouble(g)
      y = 1 + c * x
    } while (y <= 0)
    const v = y * y * y
    const u = 1 - unit(g)
    const xx = x * x
    if (u < 1 - C_F32 * xx * xx) return r(scale * d * v)
    if (Math.log(u) < 0.5 * xx + d * (1 - v + Math.log(v))) return r(scale * d * v)
  }
}

/** Float32's and float64's smallest normal numbers (PyTorch clamps Gamma draws to them). */
export const tinyOf = (f32: boolean): number => (f32 ? 2 ** -126 : 2 ** -1022)
