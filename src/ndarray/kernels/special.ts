/**
 * Scalar special functions in float64 with `scipy.special`'s semantics (its values at poles,
 * infinities, NaN and domain edges), the numeric kernels of the special-function primitives.
 *
 * Measured maximum relative error against mpmath (60 digits; Hurwitz ζ by a 200-digit
 * Euler–Maclaurin sum, since mpmath's own loses digits for large q) over the grids of
 * scripts/fixtures/special.py; test/ndarray/special.test.ts asserts bounds just above these:
 *   gammaln 4e-16 (x > 0)   digamma 1.3e-15 (x > 0)   polygamma 8e-16 (x > 0)   zeta 6e-16 (q > 0)
 *   erf 5e-16   erfc 9e-16   erfcx 1e-15   erfinv 7e-16   erfcinv 7e-16   ndtr 9e-16
 *   log_ndtr 1e-15   ndtri 9e-16   i0e 7e-16   i1e 7e-16   xlogy, xlog1py, entr, logit, expit 2e-16
 *   gammainc 7e-15, gammaincc 7e-15 (the worst near x = a = 1e5: rounding in the O(√a) terms of
 *   the series and fraction; 1e-15 for a < 1e3)
 * Where the function is ill-conditioned the error follows its condition number, as SciPy's does:
 * gammaln 4e-12 relative near its zeros at x < 0; polygamma, zeta 5e-9 at q < 0 (terms of
 * opposite signs); gammainc, gammaincc 2e-13 for a ≥ 50 far from x = a (exp of an exponent
 * ≈ a·(log(x/a) − (x − a)/a), whose rounding the condition number amplifies).
 *
 * Algorithms (all written here from the mathematics; no code copied):
 * - gammaln: Taylor series of lnΓ(2 + z) in ζ(k) − 1 on |z| ≤ ½, the recurrence down to it,
 *   Stirling's series from 10, reflection for x < 0 (Abramowitz & Stegun 6.1.33, 6.1.40, 6.1.17).
 * - digamma: asymptotic series from 10 with the recurrence below it (A&S 6.3.18, 6.3.5), the
 *   Taylor series about its positive root 1.46163… (coefficients ±ζ(k + 1, root)), reflection.
 * - zeta (Hurwitz) and polygamma: direct sum then Euler–Maclaurin with Bernoulli numbers, as in
 *   Cephes' `zeta`; polygamma(n, x) = (−1)ⁿ⁺¹ n! ζ(n + 1, x).
 * - erf/erfc/erfcx: the all-positive series erf x = 2x e^(−x²)/√π Σ (2x²)ⁿ/(2n+1)!! (A&S 7.1.6)
 *   below 1, Laplace's continued fraction for erfcx (A&S 7.1.14) from 1, evaluated from its
 *   tail, with e^(−x²) taken from an exact split of x² (the device of Cephes' `expx2`).
 * - erfinv, erfcinv, ndtri: Halley's method on erf/erfc (Newton's with the second derivative)
 *   from A&S 26.2.23's rational guess, ndtri(p) = −√2 erfcinv(2p) (2p is exact). (Giles 2010
 *   and Wichura's AS241 are polynomial fits; Halley's method on an accurate erfc reaches full
 *   double precision without fitted coefficients.)
 * - log_ndtr: log(erfcx(−x/√2)/2) − x²/2 for x < 0, log1p(−ndtr(−x)) otherwise. erfcx is also
 *   what the derivative of log_ndtr needs: φ(x)/Φ(x) = √(2/π)/erfcx(−x/√2) for x < 0.
 * - i0e, i1e: the power series below 20, Hankel's asymptotic series above (A&S 9.6.10, 9.7.1).
 * - gammainc, gammaincc: the series for P and the Legendre continued fraction for Q (Numerical
 *   Recipes §6.2, Lentz's method), with the prefactor xᵃe⁻ˣ/Γ(a + 1) factor by factor for a < 50
 *   and as exp(a·log1pmx((x−a)/a) − μ(a))/√(2πa) above (Temme's form, μ Stirling's correction),
 *   and the small-a form of Q (Gautschi 1979) that keeps Q's relative accuracy when a < 1.
 *
 * Deviations from SciPy 1.10, where SciPy's value is an artifact: gammaln at subnormal x is
 * −log x (SciPy: inf); zeta(inf, q > 1) is 0 (SciPy: nan); erfcinv(5e-324) is 27.2 (SciPy: inf,
 * it halves q to 0); expit(−745) is 5e-324 (SciPy: 0).
 */
import { EPS } from './special/shared'

export { digamma, gammainc, gammaincc, gammaln, polygamma, zeta } from './special/gamma'
export { betainc } from './special/beta'
export { erf, erfc, erfcinv, erfcx, erfinv, logNdtr, ndtr, ndtri } from './special/erf'

// -------------------------------------------------------------------------------------
// Bessel functions
// -------------------------------------------------------------------------------------

/** e^(−x) Iᵥ(x) for ν ∈ {0, 1} and x ≥ 0: power series below 20, Hankel's expansion above. */
const besselIe = (nu: 0 | 1, x: number): number => {
  if (x === Infinity) return 0
  if (x <= 20) {
    const y = (x * x) / 4
    let term = nu === 0 ? 1 : x / 2
    let sum = term
    for (let k = 1; term > EPS * sum; k++) {
      term *= y / (k * (k + nu))
      sum += term
    }
    return sum * Math.exp(-x)
  }
  const mu = 4 * nu * nu
  let term = 1
  let sum = 1
  for (let k = 1; k < 60; k++) {
    const next = (-term * (mu - (2 * k - 1) ** 2)) / (k * 8 * x)
    if (Math.abs(next) >= Math.abs(term)) break // the asymptotic series' smallest term
    term = next
    sum += term
    if (Math.abs(term) <= EPS * Math.abs(sum)) break
  }
  return sum / Math.sqrt(2 * Math.PI * x)
}

/** e^(−|x|) I₀(x) (SciPy: `i0e`). */
export const i0e = (x: number): number => (Number.isNaN(x) ? x : besselIe(0, Math.abs(x)))

/** e^(−|x|) I₁(x) (SciPy: `i1e`), odd in x; i1e(±0) = +0. */
export const i1e = (x: number): number => (x === 0 || Number.isNaN(x) ? x + 0 : Math.sign(x) * besselIe(1, Math.abs(x)))

// -------------------------------------------------------------------------------------
// logarithms and the logistic function
// -------------------------------------------------------------------------------------

/** x·log y with 0·log y = 0 for any y but NaN (SciPy: `xlogy`). */
export const xlogy = (x: number, y: number): number => (x === 0 && !Number.isNaN(y) ? 0 : x * Math.log(y))

/** x·log(1 + y) with 0·log(1 + y) = 0 for any y but NaN (SciPy: `xlog1py`). */
export const xlog1py = (x: number, y: number): number => (x === 0 && !Number.isNaN(y) ? 0 : x * Math.log1p(y))

/** −x·log x, 0 at 0 and −inf for x < 0 (SciPy: `entr`). */
export const entr = (x: number): number => (x > 0 ? -x * Math.log(x) : x === 0 ? 0 : Number.isNaN(x) ? x : -Infinity)

/** log(p/(1 − p)) (SciPy: `logit`), relatively accurate near ½; NaN outside [0, 1]. */
export const logit = (p: number): number => {
  if (!(p >= 0 && p <= 1)) return NaN
  if (p < 0.25) return Math.log(p) - Math.log1p(-p)
  if (p > 0.75) return Math.log(p) - Math.log(1 - p) // 1 − p exact
  return Math.log1p((2 * p - 1) / (1 - p)) // 2p − 1 exact
}

/** The logistic sigmoid 1/(1 + e⁻ˣ) (SciPy: `expit`), without overflow. */
export const expit = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}
