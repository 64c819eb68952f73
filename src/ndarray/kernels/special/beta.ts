/**
 * The regularised incomplete beta function I_x(a, b) (SciPy: `betainc`), float64. Method: the
 * continued fraction of I_x(a, b) (DLMF 8.17.22), evaluated by the modified Lentz algorithm, on
 * the side of the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it converges fast (x below
 * (a + 1)/(a + b + 2)); the prefactor xᵃ(1 − x)ᵇ/(a·B(a, b)) in log space.
 */
import { gammaln } from './gamma'

const EPS = 1e-16
const TINY = 1e-300
const MAX_TERMS = 3000

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), for a, b > 0. */
export const betaln = (a: number, b: number): number => gammaln(a) + gammaln(b) - gammaln(a + b)

/** The continued fraction 1/(1 + d₁/(1 + d₂/(1 + …))) of I_x(a, b) (DLMF 8.17.22), by Lentz. */
const fraction = (a: number, b: number, x: number): number => {
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  d = Math.abs(d) < TINY ? TINY : d
  d = 1 / d
  let h = d
  for (let m = 1; m <= MAX_TERMS; m++) {
    const m2 = 2 * m
    // the even step d_{2m}, then the odd step d_{2m+1}
    for (const coef of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + coef * d
      d = Math.abs(d) < TINY ? TINY : d
      c = 1 + coef / c
      c = Math.abs(c) < TINY ? TINY : c
      d = 1 / d
      h *= d * c
    }
    if (Math.abs(d * c - 1) < EPS) break
  }
  return h
}

/** I_x(a, b) for 0 < x < 1 on the fast side of the symmetry. */
const direct = (a: number, b: number, x: number): number =>
  Math.exp(a * Math.log(x) + b * Math.log1p(-x) - betaln(a, b)) * (fraction(a, b, x) / a)

/**
 * I_x(a, b) = B(x; a, b)/B(a, b), for a, b > 0 and 0 ≤ x ≤ 1; NaN outside (SciPy's domain).
 */
export const betainc = (a: number, b: number, x: number): number => {
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(x) || a <= 0 || b <= 0 || x < 0 || x > 1) return NaN
  if (x === 0) return 0
  if (x === 1) return 1
  if (!Number.isFinite(a) || !Number.isFinite(b)) return NaN
  return x < (a + 1) / (a + b + 2) ? direct(a, b, x) : 1 - direct(b, a, 1 - x)
}
