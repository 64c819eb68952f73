/** erf, erfc, erfcx, their inverses and the normal distribution's Φ, log Φ, Φ⁻¹ (see ../special.ts). */
import { EPS, expNegSq, SQRT_PI } from './shared'

// -------------------------------------------------------------------------------------
// error function and the normal distribution
// -------------------------------------------------------------------------------------

/** erf x for |x| < 1: 2x e^(−x²)/√π · Σ (2x²)ⁿ/(1·3·…·(2n+1)), all terms positive. */
const erfSeries = (x: number): number => {
  const y = 2 * x * x
  let term = 1
  let sum = 1
  for (let n = 1; term > EPS * sum; n++) {
    term *= y / (2 * n + 1)
    sum += term
  }
  return ((2 * x) / SQRT_PI) * Math.exp(-x * x) * sum
}

/**
 * e^(z²) erfc z for z ≥ 1: 1/(√π (z + ½/(z + 1/(z + (3/2)/(z + …))))), evaluated from the tail
 * (backward recurrence is more accurate than Lentz's forward method here); 30 + 200/z² terms reach
 * a correctly rounded result over the grids of the tests.
 */
const erfcxFraction = (z: number): number => {
  if (z > 1e8) return 1 / (SQRT_PI * z) // the fraction's next term is below an ulp
  let f = z
  for (let n = Math.ceil(30 + 200 / (z * z)); n >= 1; n--) f = z + n / 2 / f
  return 1 / (SQRT_PI * f)
}

/** The error function (SciPy: `erf`). */
export const erf = (x: number): number => {
  if (Math.abs(x) < 1) return erfSeries(x)
  if (Number.isNaN(x)) return x
  return Math.sign(x) * (1 - erfc(Math.abs(x)))
}

/** The complementary error function 1 − erf x (SciPy: `erfc`), relatively accurate in the right tail. */
export const erfc = (x: number): number => {
  if (Number.isNaN(x)) return x
  if (x < 0) return x > -1 ? 1 + erfSeries(-x) : 2 - erfc(-x)
  if (x < 1) return 1 - erfSeries(x)
  return x > 27.5 ? 0 : erfcxFraction(x) * expNegSq(x)
}

/** The scaled complementary error function e^(x²) erfc x (SciPy: `erfcx`). */
export const erfcx = (x: number): number => {
  if (Number.isNaN(x)) return x
  if (x < 0) return x < -26.7 ? Infinity : 2 / expNegSq(x) - erfcx(-x)
  if (x < 1) return Math.exp(x * x) * (1 - erfSeries(x))
  return x === Infinity ? 0 : erfcxFraction(x)
}

/** The standard normal CDF Φ(x) (SciPy: `ndtr`). */
export const ndtr = (x: number): number => {
  if (Number.isNaN(x)) return x
  if (Math.abs(x) < 1) return 0.5 + 0.5 * erf(x / Math.SQRT2)
  if (x > 0) return 1 - ndtr(-x)
  // Φ(x) = ½ erfcx(−x/√2) e^(−x²/2), the exponential from x itself (x/√2 is rounded)
  return x < -40 ? 0 : 0.5 * erfcx(-x / Math.SQRT2) * expNegSq(x / 2) ** 2 // e^(−x²/2) = (e^(−(x/2)²))², x/2 exact
}

/** log Φ(x) (SciPy: `log_ndtr`), accurate for very negative x (≈ −x²/2 − log(−x√(2π))). */
export const logNdtr = (x: number): number => {
  if (Number.isNaN(x)) return x
  if (x >= 0) return Math.log1p(-ndtr(-x))
  if (x === -Infinity) return -Infinity
  return Math.log(0.5 * erfcx(-x / Math.SQRT2)) - 0.5 * x * x // (0.5x)·x cannot overflow early
}

/**
 * Halley's method for f(x) = F(x) − target with F = erf or erfc, both with F'' = −2x F': given
 * the Newton step δ = f/F' (from `step`, written so nothing overflows), x ← x − δ/(1 + xδ).
 */
const halley = (x: number, step: (x: number) => number): number => {
  for (let i = 0; i < 6; i++) {
    const delta = step(x)
    x -= delta / (1 + x * delta)
    if (Math.abs(delta) <= 2 * EPS * Math.abs(x)) break
  }
  return x
}

/** erfcinv(q) for 0 < q ≤ ½ (so x ≥ 0.47). */
const erfcinvTail = (q: number): number => {
  // A&S 26.2.23 for the upper normal quantile of q/2 (error below 4.5e−4), divided by √2
  const t = Math.sqrt(-2 * (Math.log(q) - Math.LN2)) // q/2 could underflow
  const guess = t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)))
  // δ = (erfc x − q)/(−erfc'(x)) written with erfcx, so nothing under- or overflows; a
  // subnormal q and erfc x are both scaled by 2⁶⁰⁰ to keep their digits
  const k = q < 1e-290 ? 600 : 0
  const qs = q * 2 ** k
  return halley(guess / Math.SQRT2, (x) => -(1 - qs / (erfcx(x) * expNegSq(x, k))) * erfcx(x) * (SQRT_PI / 2))
}

/** erfinv(y) for |y| ≤ ½, with relative accuracy near 0. */
const erfinvCentral = (y: number): number => {
  if (y === 0) return 0
  const guess = (SQRT_PI / 2) * y * (1 + (Math.PI / 12) * y * y * (1 + (7 * Math.PI * y * y) / 40))
  return halley(guess, (x) => (erf(x) - y) * (SQRT_PI / 2) * Math.exp(x * x))
}

/** The inverse error function (SciPy: `erfinv`): ±inf at ±1, NaN outside [−1, 1]. */
export const erfinv = (y: number): number => {
  if (!(Math.abs(y) <= 1)) return NaN
  if (Math.abs(y) <= 0.5) return erfinvCentral(y)
  return Math.abs(y) === 1 ? y * Infinity : Math.sign(y) * erfcinvTail(1 - Math.abs(y)) // 1 − |y| exact
}

/** The inverse complementary error function (SciPy: `erfcinv`): inf at 0, −inf at 2, NaN outside [0, 2]. */
export const erfcinv = (q: number): number => {
  if (!(q >= 0 && q <= 2)) return NaN
  if (q === 0) return Infinity
  if (q === 2) return -Infinity
  if (q <= 0.5) return erfcinvTail(q)
  if (q >= 1.5) return -erfcinvTail(2 - q) // exact
  return q === 1 ? -0 : erfinvCentral(1 - q) // exact
}

/** The standard normal quantile Φ⁻¹(p) (SciPy: `ndtri`): ∓inf at 0 and 1, NaN outside [0, 1]. */
export const ndtri = (p: number): number => (p >= 0 && p <= 1 ? -Math.SQRT2 * erfcinv(2 * p) : NaN)
