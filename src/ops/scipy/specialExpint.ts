/**
 * The exponential integrals of `jax.scipy.special` (camelCase): `expi`, `exp1`, `expn`. Values
 * come from power series (small arguments) and a modified-Lentz continued fraction or the
 * asymptotic series (large ones), stepped elementwise by `./seriesLoop`; derivatives are the
 * closed forms of DLMF §6.2 and §8.19 (given through `customJvp`). Re-exported by `./special`.
 *
 * @category scipy
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { customJvp } from '../../transforms/custom'
import { asFloat, coerceBroadcast, type ArrayLike } from '../convert'
import { exp, log, neg } from '../unary'
import { add, div, equal, greater, less, lessEqual, logicalOr, mul, sub, where } from '../elementwise'
import { EULER, epsOf, iterate, notConverged, ones } from './seriesLoop'

/** E_n(x) for x ≤ 1 (x > 0, n ≥ 1): DLMF 8.19.8's series, the k = n − 1 term carrying log x and ψ(n). */
const expnSeries = (n: NdArray, x: NdArray): NdArray => {
  const eps = epsOf(x)
  const nm1 = sub(n, 1)
  const start = where(equal(nm1, 0), sub(neg(log(x)), EULER), div(1, where(equal(nm1, 0), 1, nm1)))
  const psi = lax.digamma(n)
  const [sum] = iterate([start, ones(x)], 200, (k, [s, fact]) => {
    const f = mul(fact!, div(neg(x), k))
    const hit = equal(k, nm1)
    const d = where(hit, mul(f, add(neg(log(x)), psi)), div(neg(f), where(hit, 1, sub(k, nm1))))
    return [[add(s!, d), f], logicalOr(notConverged(d, s!, eps), less(k, nm1))]
  })
  return sum!
}

/** E_n(x) for x > 1: e^{−x} times DLMF 8.19.17's continued fraction, by the modified Lentz method. */
const expnFraction = (n: NdArray, x: NdArray): NdArray => {
  const eps = epsOf(x)
  const tiny = x.dtype === 'float64' ? 1e-300 : 1e-30
  const b0 = add(x, n)
  const d0 = div(1, b0)
  const [, , , h] = iterate([b0, add(mul(x, 0), 1 / tiny), d0, d0], 1000, (k, [b, c, d, hh]) => {
    const an = neg(mul(k, add(sub(n, 1), k)))
    const bn = add(b!, 2)
    const dn = div(1, add(mul(an, d!), bn))
    const cn = add(bn, div(an, c!))
    const del = mul(cn, dn)
    return [[bn, cn, dn, mul(hh!, del)], notConverged(sub(del, 1), ones(x), eps)]
  })
  return mul(h!, exp(neg(x)))
}

/** E_n(x) on the whole real line (x, n broadcast, float), NaN outside JAX's domain. */
const expnValue = (n: NdArray, x: NdArray): NdArray => {
  const small = lessEqual(x, 1)
  const nPos = where(greater(n, 0), n, 1)
  const series = expnSeries(nPos, where(logicalOr(small, lessEqual(x, 0)), where(greater(x, 0), x, 0.5), 0.5))
  const frac = expnFraction(nPos, where(small, 2, x))
  const zero = where(less(n, 2), Infinity, div(1, where(less(n, 2), 1, sub(n, 1))))
  const general = where(equal(x, 0), zero, where(small, series, frac))
  const order0 = div(exp(neg(x)), x)
  const bad = logicalOr(logicalOr(less(n, 0), less(x, 0)), lax.ne(lax.floor(n), n))
  const finite = where(equal(x, Infinity), 0, general)
  return where(bad, NaN, where(equal(n, 0), order0, finite))
}

const expnCall: (n: NdArray, x: NdArray) => NdArray = customJvp(
  (n: NdArray, x: NdArray): NdArray => expnValue(lax.stopGradient(n), x),
  ([n, x], [, dx]) => {
    // DLMF 8.19.13: d/dx E_n(x) = −E_{n−1}(x); for n = 0, E_0 = e^{−x}/x and E_0' = −e^{−x}(x + 1)/x².
    const lower = expnCall(where(equal(n!, 0), 1, sub(n!, 1)), x!)
    const d0 = div(mul(exp(neg(x!)), add(x!, 1)), mul(x!, x!))
    return [expnValue(n!, x!), mul(neg(where(equal(n!, 0), d0, lower)), dx!)]
  },
)

/**
 * The generalized exponential integral E_n(x) = ∫₁^∞ e^{−xt}/tⁿ dt, for integer n ≥ 0 and x ≥ 0:
 * E_n(0) = 1/(n − 1) for n ≥ 2 and +inf for n ≤ 1; NaN for n < 0, non-integer n or x < 0. The
 * derivative in x is −E_{n−1}(x) (DLMF 8.19.13); n is not differentiated (its tangent is
 * ignored, as JAX's `nondiff_argnums`).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.expn(2, 1).item()) - 0.1484955) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const expn = (n: ArrayLike, x: ArrayLike): NdArray => {
  const weak = (v: ArrayLike): ArrayLike => (typeof v === 'number' ? v : asFloat('scipy.special.expn', v))
  const [nn, xx] = coerceBroadcast('scipy.special.expn', weak(n), weak(x))
  const xf = asFloat('scipy.special.expn', xx)
  return expnCall(lax.convertElementType(nn, xf.dtype), xf)
}

/**
 * The exponential integral E₁(x) = ∫ₓ^∞ e^{−t}/t dt = expn(1, x): +inf at 0, NaN for x < 0.
 * Its derivative is −e^{−x}/x (DLMF 6.2.1).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.exp1(1).item()) - 0.2193839) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const exp1 = (x: ArrayLike): NdArray => {
  const xf = asFloat('scipy.special.exp1', x)
  return expnCall(ones(xf), xf)
}

/** Ei(x) for x > 0: γ + log x + Σ xᵏ/(k·k!) up to 40 (DLMF 6.6.1), the asymptotic series e^x/x·Σ k!/xᵏ beyond (DLMF 6.12.2). */
const expiPositive = (x: NdArray): NdArray => {
  const eps = epsOf(x)
  const big = greater(x, 40)
  const xs = where(big, 1, x)
  const [sum] = iterate([add(add(log(xs), EULER), xs), xs], 400, (k, [s, t]) => {
    const kn = add(k, 1)
    const tn = mul(t!, div(mul(xs, k), mul(kn, kn)))
    return [[add(s!, tn), tn], notConverged(tn, s!, eps)]
  })
  const xb = where(big, x, 50)
  const [asym] = iterate([ones(xb), ones(xb)], 60, (k, [s, t]) => {
    const tn = mul(t!, div(k, xb))
    const use = less(tn, t!)
    return [[where(use, add(s!, tn), s!), where(use, tn, 0)], notConverged(tn, s!, eps)]
  })
  return where(big, mul(div(exp(xb), xb), asym!), sum!)
}

/** Ei on the real line: −E₁(−x) for x < 0, −inf at 0, +inf at +inf. */
const expiValue = (x: NdArray): NdArray => {
  const pos = expiPositive(where(greater(x, 0), x, 1))
  const neg1 = neg(expnValue(ones(x), where(less(x, 0), neg(x), 1)))
  const posInf = where(equal(x, Infinity), Infinity, pos)
  return where(equal(x, 0), -Infinity, where(greater(x, 0), posInf, where(less(x, 0), neg1, x)))
}

const expiCall = customJvp(expiValue, ([x], [dx]) => [expiValue(x!), mul(div(exp(x!), x!), dx!)])

/**
 * The exponential integral Ei(x) = −PV∫_{−x}^∞ e^{−t}/t dt: −E₁(−x) for x < 0, −inf at 0. Its
 * derivative is eˣ/x (DLMF 6.2.5).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.expi(1).item()) - 1.8951178) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const expi = (x: ArrayLike): NdArray => expiCall(asFloat('scipy.special.expi', x))
