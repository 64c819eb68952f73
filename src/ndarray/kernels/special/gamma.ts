/** lnΓ, ψ, ψ⁽ⁿ⁾, Hurwitz ζ and the regularised incomplete gamma functions (see ../special.ts). */
import { B2K, cospi, EM, EPS, EULER, factorial, log1pmx, LOG_SQRT_2PI, sinpi, stirlingCorrection } from './shared'

// -------------------------------------------------------------------------------------
// zeta and the gamma family
// -------------------------------------------------------------------------------------

/** Euler–Maclaurin tail Σₖ≥₀ (a + k)⁻ˢ for a ≥ max(10, s). */
const zetaTail = (s: number, a: number): number => {
  let total = a ** (1 - s) / (s - 1) + 0.5 * a ** -s
  let rise = s * a ** (-s - 1) // s(s+1)…(s+2j−2)·a^(−s−2j+1), j = 1
  for (let j = 0; j < EM.length; j++) {
    const term = (EM[j] ?? 0) * rise
    total += term
    if (Math.abs(term) <= EPS * Math.abs(total)) break
    rise *= ((s + 2 * j + 1) * (s + 2 * j + 2)) / (a * a)
  }
  return total
}

/** Hurwitz zeta ζ(s, q) = Σₖ≥₀ (q + k)⁻ˢ (SciPy: `zeta(x, q)`); s < 1 is NaN, as is q < 0 with s not an integer. */
export const zeta = (s: number, q: number): number => {
  if (s === 1) return Infinity // SciPy: before looking at q
  if (Number.isNaN(s) || Number.isNaN(q) || s < 1) return NaN
  if (q <= 0) {
    if (q === Math.floor(q)) return Infinity // a pole, −inf included
    if (s !== Math.floor(s)) return NaN
  }
  if (s === Infinity) return q < 1 ? Infinity : q === 1 ? 1 : 0
  if (q === Infinity) return 0
  const aMin = Math.max(10, s) + 20 // where 12 Euler–Maclaurin terms reach an ulp
  let sum = 0
  let k = 0
  for (; q + k < aMin; k++) {
    const term = (q + k) ** -s
    sum += term
    if (Math.abs(term) <= EPS * Math.abs(sum) || !Number.isFinite(sum) || (sum === 0 && q + k > 1)) return sum
  }
  return sum + zetaTail(s, q + k)
}

/** ζ(k) − 1 for k = 2, 3, …, computed once on first use. */
let zetaMinusOne: ReadonlyArray<number> = []
const zetaMinusOneTable = (): ReadonlyArray<number> => {
  if (zetaMinusOne.length === 0) zetaMinusOne = Array.from({ length: 40 }, (_, i) => zeta(i + 2, 2))
  return zetaMinusOne
}

/** lnΓ(2 + z) for |z| ≤ ½: (1 − γ)z + Σₖ≥₂ (−z)ᵏ (ζ(k) − 1)/k. */
const lgamma2p = (z: number): number => {
  const c = zetaMinusOneTable()
  let sum = 0
  let pow = z * z
  for (let k = 2; k < c.length + 2; k++) {
    const term = ((k % 2 ? -pow : pow) * (c[k - 2] ?? 0)) / k
    sum += term
    if (Math.abs(term) <= EPS * 0.01 * Math.abs(sum)) break
    pow *= z
  }
  return (1 - EULER) * z + sum
}

/** lnΓ(1 + a) for 0 ≤ a < 1, to full relative accuracy. */
const lgamma1p = (a: number): number => (a < 0.5 ? lgamma2p(a) - Math.log1p(a) : lgamma2p(a - 1))

/** log|Γ(x)| (SciPy: `gammaln`): +inf at the poles 0, −1, −2, …; gammaln(−inf) = −inf. */
export const gammaln = (x: number): number => {
  if (Number.isNaN(x) || x === Infinity) return x
  if (x === -Infinity) return -Infinity
  if (x <= 0) {
    if (x === Math.floor(x)) return Infinity
    return Math.log(Math.PI / Math.abs(sinpi(x))) - gammaln(1 - x) // Γ(x)Γ(1−x) = π/sin(πx)
  }
  if (x < 0.5) return lgamma2p(x) - Math.log1p(x) - Math.log(x)
  if (x < 1.5) return lgamma2p(x - 1) - Math.log1p(x - 1)
  if (x < 2.5) return lgamma2p(x - 2)
  if (x < 10) {
    let prod = 1
    let z = x
    while (z >= 2.5) prod *= --z // z − 1 is exact
    return Math.log(prod) + lgamma2p(z - 2)
  }
  const lx = Math.log(x)
  return x * (lx - 1) - 0.5 * lx + LOG_SQRT_2PI + stirlingCorrection(x)
}

// ψ's positive root as hi + lo, and ψ's Taylor coefficients about hi: cₖ = (−1)ᵏ⁺¹ ζ(k + 1, hi)
export const ROOT_HI = 1.4616321449683622
export const ROOT_LO = 9.549995429965697e-17
let rootTaylor: ReadonlyArray<number> = []
const digammaNearRoot = (x: number): number => {
  if (rootTaylor.length === 0)
    rootTaylor = Array.from({ length: 44 }, (_, i) => (i % 2 ? -1 : 1) * zeta(i + 2, ROOT_HI))
  const t = x - ROOT_HI // exact
  let sum = 0
  for (let k = rootTaylor.length - 1; k >= 0; k--) sum = (sum + (rootTaylor[k] ?? 0)) * t
  return sum - (rootTaylor[0] ?? 0) * ROOT_LO
}

/** ψ(x) = d/dx lnΓ(x) (SciPy: `psi`/`digamma`): ψ(±0) = ∓inf, NaN at negative integers and −inf. */
export const digamma = (x: number): number => {
  if (Number.isNaN(x) || x === Infinity) return x
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity
  if (x < 0) {
    if (x === Math.floor(x)) return NaN // also −inf
    return digamma(1 - x) - (Math.PI * cospi(x)) / sinpi(x) // ψ(1−x) − ψ(x) = π cot(πx)
  }
  if (Math.abs(x - ROOT_HI) < 0.5) return digammaNearRoot(x)
  let shift = 0
  while (x < 10) shift += 1 / x++
  const r = 1 / (x * x)
  let sum = 0
  for (let k = 7; k >= 0; k--) sum = sum * r + (B2K[k] ?? 0) / (2 * k + 2)
  return Math.log(x) - 0.5 / x - sum * r - shift
}

/** ψ⁽ⁿ⁾(x) (SciPy: `polygamma`): digamma for n = 0, (−1)ⁿ⁺¹ n! ζ(n + 1, x) for integer n ≥ 1, else NaN. */
export const polygamma = (n: number, x: number): number => {
  if (!Number.isInteger(n) || n < 0) return NaN
  if (n === 0) return digamma(x)
  return (n % 2 ? 1 : -1) * factorial(n) * zeta(n + 1, x)
}

// -------------------------------------------------------------------------------------
// incomplete gamma
// -------------------------------------------------------------------------------------

/** Γ(1 + a) for 0 ≤ a < 50: Γ(1 + f)·(f + 1)(f + 2)…(f + n), a = n + f (each f + k is exact). */
const gamma1p = (a: number): number => {
  const n = Math.floor(a)
  const f = a - n
  let g = Math.exp(lgamma1p(f))
  for (let k = 1; k <= n; k++) g *= f + k
  return g
}

const MIN_NORMAL = 2 ** -1022

/** xᵃ e⁻ˣ / Γ(a + 1), without the cancellation of its logarithm's terms. */
const gammaPrefactor = (a: number, x: number): number => {
  if (a < 50) {
    // factor by factor, each to an ulp, unless one of them leaves the normal range
    const p = x ** a
    const e = Math.exp(-x)
    const direct = (p * e) / gamma1p(a)
    if (p >= MIN_NORMAL && e >= MIN_NORMAL && direct >= MIN_NORMAL && direct < Infinity) return direct
    return Math.exp(a * Math.log(x) - x - (a < 1 ? lgamma1p(a) : gammaln(a + 1)))
  }
  // exp(a·(log(x/a) − (x − a)/a) − μ(a))/√(2πa): through log1pmx near x = a, where its terms
  // cancel, and directly elsewhere, where (x − a)/a near −1 would lose x's digits
  const t = (x - a) / a
  const e = Math.abs(t) < 0.5 ? a * log1pmx(t) : a * Math.log(x / a) + (a - x)
  return Math.exp(e - stirlingCorrection(a)) / Math.sqrt(2 * Math.PI * a)
}

const MAX_TERMS = 1e7 // the series and the fraction need O(√a) terms where x ≈ a

/** P(a, x) by its series: xᵃe⁻ˣ/Γ(a+1) · Σₙ xⁿ/((a+1)…(a+n)). */
const lowerSeries = (a: number, x: number): number => {
  let term = 1
  let sum = 1
  for (let n = 1; term > EPS * sum && n < MAX_TERMS; n++) {
    term *= x / (a + n)
    sum += term
  }
  return gammaPrefactor(a, x) * sum
}

/** Q(a, x) by Legendre's continued fraction (x > a + 1), by Lentz's method. */
const upperFraction = (a: number, x: number): number => {
  let b = x + 1 - a
  let c = 1 / 1e-300
  let d = 1 / b
  let h = d
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    c = b + an / c
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) <= EPS) break
  }
  return gammaPrefactor(a, x) * a * h
}

/** Q(a, x) for a < 1, x ≤ a + 1: −expm1(u) − eᵘ·a·Σₙ≥₁ (−x)ⁿ/(n!(a+n)), eᵘ = xᵃ/Γ(a+1). */
const upperSmallA = (a: number, x: number): number => {
  const u = a * Math.log(x) - lgamma1p(a)
  let term = 1
  let sum = 0
  for (let n = 1; n < 200; n++) {
    term *= -x / n
    sum += term / (a + n)
    if (Math.abs(term) <= EPS * Math.abs(sum)) break
  }
  return -Math.expm1(u) - Math.exp(u) * a * sum
}

/** The edge cases SciPy gives, or undefined when a > 0 and x > 0 are both finite. */
const incompleteGammaEdge = (a: number, x: number, lower: boolean): number | undefined => {
  if (Number.isNaN(a) || Number.isNaN(x) || a < 0 || x < 0) return NaN
  if (a === 0) return x === 0 ? NaN : lower ? 1 : 0
  if (x === 0) return lower ? 0 : 1
  if (a === Infinity) return x === Infinity ? NaN : lower ? 0 : 1
  if (x === Infinity) return lower ? 1 : 0
  return undefined
}

/** The regularised lower incomplete gamma P(a, x) = γ(a, x)/Γ(a) (SciPy: `gammainc`). */
export const gammainc = (a: number, x: number): number =>
  incompleteGammaEdge(a, x, true) ?? (x > a + 1 ? 1 - upperFraction(a, x) : lowerSeries(a, x))

/** The regularised upper incomplete gamma Q(a, x) = 1 − P(a, x) (SciPy: `gammaincc`), relatively accurate in its tail. */
export const gammaincc = (a: number, x: number): number =>
  incompleteGammaEdge(a, x, false) ??
  (x > a + 1 ? upperFraction(a, x) : a < 1 ? upperSmallA(a, x) : 1 - lowerSeries(a, x))
