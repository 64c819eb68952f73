/**
 * Derivatives of the regularised incomplete gamma function P(a, x) with respect to its shape a:
 * ∂P/∂a (XLA: `igamma_grad_a`) and the implicit derivative of a Gamma(a, 1) sample,
 * dx/da = −(∂P/∂a)/(∂P/∂x) (JAX: `random_gamma_grad`; Figurnov, Mohamed and Mnih 2018,
 * "Implicit Reparameterization Gradients", eq. 2 with the CDF P(a, ·)).
 *
 * Both come from one forward-mode (dual-number) evaluation of the same expansions as `gammainc`:
 * with pre = xᵃe⁻ˣ/Γ(a),
 * - x ≤ a + 1: P = (pre/a)·S, S = Σₙ tₙ, tₙ = xⁿ/((a+1)…(a+n)), dtₙ/da = −tₙ Σₖ≤ₙ 1/(a+k);
 * - x > a + 1: Q = pre·g, g = 1/f with f Legendre's continued fraction b₀ + a₁/(b₁ + a₂/(b₂ + …)),
 *   aₙ = −n(n − a), bₙ = x + 2n + 1 − a, evaluated by Wallis' recurrence together with its
 *   a-derivative.
 * Since ∂P/∂x = pre/x, the prefactor cancels from dx/da, which therefore never underflows.
 */
import { gammaln, digamma } from './gamma'
import { EPS } from './shared'

const MAX_TERMS = 100000

/** S and dS/da of the lower series (x ≤ a + 1). */
const seriesDual = (a: number, x: number): [number, number] => {
  let t = 1
  let dt = 0
  let s = 1
  let ds = 0
  let h = 0 // Σₖ≤ₙ 1/(a+k)
  for (let n = 1; n < MAX_TERMS; n++) {
    t *= x / (a + n)
    h += 1 / (a + n)
    dt = -t * h
    s += t
    ds += dt
    if (Math.abs(t) <= EPS * Math.abs(s) && Math.abs(dt) <= EPS * Math.abs(ds)) break
  }
  return [s, ds]
}

/** g = 1/f and dg/da of Legendre's continued fraction (x > a + 1). */
const fractionDual = (a: number, x: number): [number, number] => {
  // Wallis: Aₙ = bₙAₙ₋₁ + aₙAₙ₋₂, Bₙ likewise, f = Aₙ/Bₙ; d/da carried along (dbₙ = −1, daₙ = n)
  let [a0, a1, b0, b1] = [1, x + 1 - a, 0, 1]
  let [da0, da1, db0, db1] = [0, -1, 0, 0]
  let f = a1 / b1
  let df = da1 / b1
  for (let n = 1; n < MAX_TERMS; n++) {
    const an = -n * (n - a)
    const bn = x + 2 * n + 1 - a
    const a2 = bn * a1 + an * a0
    const b2 = bn * b1 + an * b0
    const da2 = -a1 + bn * da1 + n * a0 + an * da0
    const db2 = -b1 + bn * db1 + n * b0 + an * db0
    ;[a0, a1, b0, b1, da0, da1, db0, db1] = [a1, a2, b1, b2, da1, da2, db1, db2]
    // rescale by Bₙ so nothing overflows (f and df are ratios, unchanged)
    const scale = 1 / b1
    ;[a0, a1, b0, b1] = [a0 * scale, a1 * scale, b0 * scale, 1]
    ;[da0, da1, db0, db1] = [da0 * scale, da1 * scale, db0 * scale, db1 * scale]
    const fNext = a1 // / b1 = 1
    const dfNext = da1 - a1 * db1 // d(A/B) with B = 1
    const done = Math.abs(fNext - f) <= EPS * Math.abs(fNext) && Math.abs(dfNext - df) <= EPS * Math.abs(dfNext)
    f = fNext
    df = dfNext
    if (done) break
  }
  return [1 / f, -df / (f * f)]
}

/** dx/da for a Gamma(a, 1) sample x (JAX: `random_gamma_grad`); NaN outside a > 0, x ≥ 0. */
export const randomGammaGrad = (a: number, x: number): number => {
  if (!(a > 0) || !(x >= 0) || Number.isNaN(x)) return NaN
  if (x === 0 || x === Infinity) return 0
  const logx = Math.log(x)
  if (x <= a + 1) {
    const [s, ds] = seriesDual(a, x)
    return -(x / a) * (s * (logx - digamma(a + 1)) + ds)
  }
  const [g, dg] = fractionDual(a, x)
  return x * (g * (logx - digamma(a)) + dg)
}

/** ∂P(a, x)/∂a (XLA: `igamma_grad_a`); NaN outside a > 0, x ≥ 0. */
export const igammaGradA = (a: number, x: number): number => {
  if (!(a > 0) || !(x >= 0) || Number.isNaN(x)) return NaN
  if (x === 0 || x === Infinity) return 0
  const px = Math.exp((a - 1) * Math.log(x) - x - gammaln(a)) // ∂P/∂x
  return -randomGammaGrad(a, x) * px
}
