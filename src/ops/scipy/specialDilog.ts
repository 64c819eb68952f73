/**
 * Spence's function and the sine and cosine integrals of `jax.scipy.special` (camelCase):
 * `spence` reduces every x ≥ 0 to the dilogarithm's power series on [−½, ½] by the reflection and
 * Landen identities (DLMF 25.12.6, 25.12.3); `sici` sums the power series (DLMF 6.6.5, 6.6.6) for
 * |x| ≤ 4 and the continued fraction of E₁(ix) (modified Lentz, complex arithmetic on real pairs)
 * beyond. Derivatives are the closed forms, given through `customJvp`. Re-exported by `./special`.
 *
 * @category scipy
 * @since 0.2.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import { customJvp } from '../../transforms/custom'
import { asFloat, type ArrayLike } from '../convert'
import { abs, cos, isnan, log, neg, sign, sin, square } from '../unary'
import { add, div, equal, greater, less, lessEqual, logicalNot, logicalOr, mul, sub, where } from '../elementwise'
import { EULER, epsOf, iterate, notConverged, ones } from './seriesLoop'

const PI2_6 = Math.PI ** 2 / 6

/** Li₂(z) = Σ zᵏ/k² for |z| ≤ ½ (DLMF 25.12.10). */
const dilogSeries = (z: NdArray): NdArray => {
  const eps = epsOf(z)
  const [sum] = iterate([z, z], 200, (k, [s, p]) => {
    const pn = mul(p!, z)
    const kn = add(k, 1)
    const d = div(pn, mul(kn, kn))
    return [[add(s!, d), pn], notConverged(d, s!, eps)]
  })
  return sum!
}

/** spence(x) = Li₂(1 − x) for x ≥ 0, by the branch whose series argument lies in [−½, ½]. */
const spenceValue = (x: NdArray): NdArray => {
  const lo = less(x, 0.5)
  const mid = lessEqual(x, 1.5)
  const near = lessEqual(x, 2)
  const xs = where(greater(x, 0), x, 1)
  const arg = where(lo, xs, where(mid, sub(1, xs), where(near, div(sub(xs, 1), xs), div(1, xs))))
  const li = dilogSeries(arg)
  // reflection, DLMF 25.12.6: Li₂(z) + Li₂(1 − z) = π²/6 − log z·log(1 − z)
  const reflect = (z: NdArray, rest: NdArray): NdArray => sub(sub(PI2_6, mul(log(z), log(sub(1, z)))), rest)
  const small = reflect(where(lo, xs, 0.25), li)
  // Landen, DLMF 25.12.3 with z = 1 − x: Li₂(1 − x) = −½ log²x − Li₂((x − 1)/x)
  const u = div(sub(xs, 1), xs)
  const liU = where(near, li, reflect(where(near, 0.75, u), li))
  const large = sub(mul(-0.5, square(log(xs))), liU)
  const v = where(lo, small, where(mid, li, large))
  const edge = where(equal(x, 0), PI2_6, v)
  return where(less(x, 0), NaN, where(isnan(x), x, edge))
}

const spenceCall = customJvp(spenceValue, ([x], [dx]) => {
  // d/dx ∫₁ˣ log t/(1 − t) dt = −log x/(x − 1), whose limit at x = 1 is −1
  const at1 = equal(x!, 1)
  const d = where(at1, -1, div(neg(log(x!)), where(at1, 2, sub(x!, 1))))
  return [spenceValue(x!), mul(d, dx!)]
})

/**
 * Spence's function ∫₁ˣ log t/(1 − t) dt = Li₂(1 − x) for real x ≥ 0 (π²/6 at 0); NaN for x < 0,
 * as JAX (SciPy extends it to complex arguments only). Its derivative is −log x/(x − 1).
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.spence(0).item()) - Math.PI ** 2 / 6) < 1e-6)
 * assert.strictEqual(Number(scipy.special.spence(1).item()), 0)
 * @category scipy @since 0.2.0
 */
export const spence = (x: ArrayLike): NdArray => spenceCall(asFloat('scipy.special.spence', x))

/** [Si(t), Ci(t)] for 0 < t ≤ 4: the power series in t. */
const siciSeries = (t: NdArray): [NdArray, NdArray] => {
  const eps = epsOf(t)
  const [si, ci] = iterate([t, add(log(t), EULER), t], 100, (k, [s, c, u]) => {
    const m = mul(k, 2)
    const u2 = div(mul(neg(u!), t), m)
    const dc = div(u2, m)
    const u3 = div(mul(u2, t), add(m, 1))
    const ds = div(u3, add(m, 1))
    return [[add(s!, ds), add(c!, dc), u3], logicalOr(notConverged(ds, s!, eps), notConverged(dc, c!, eps))]
  })
  return [si!, ci!]
}

/** [Si(t), Ci(t)] for t > 4: E₁(it) = Ci-type continued fraction h, e^{−it}·h = −Ci(t) + i(Si(t) − π/2). */
const siciFraction = (t: NdArray): [NdArray, NdArray] => {
  const eps = epsOf(t)
  const big = t.dtype === 'float64' ? 1e300 : 1e30
  // complex reciprocal of p + iq
  const inv = (p: NdArray, q: NdArray): [NdArray, NdArray] => {
    const n = add(mul(p, p), mul(q, q))
    return [div(p, n), div(neg(q), n)]
  }
  const [d0r, d0i] = inv(ones(t), t)
  const zero = mul(ones(t), 0)
  const start = [ones(t), t, mul(ones(t), big), zero, d0r, d0i, d0r, d0i]
  const out = iterate(start, 300, (k, [br, bi, cr, ci, dr, di, hr, hi]) => {
    const a = neg(square(k))
    const nbr = add(br!, 2)
    const [ndr, ndi] = inv(add(mul(a, dr!), nbr), add(mul(a, di!), bi!))
    const [icr, ici] = inv(cr!, ci!)
    const ncr = add(nbr, mul(a, icr))
    const nci = add(bi!, mul(a, ici))
    const delr = sub(mul(ncr, ndr), mul(nci, ndi))
    const deli = add(mul(ncr, ndi), mul(nci, ndr))
    const nhr = sub(mul(hr!, delr), mul(hi!, deli))
    const nhi = add(mul(hr!, deli), mul(hi!, delr))
    const moving = logicalOr(notConverged(sub(delr, 1), ones(t), eps), notConverged(deli, ones(t), eps))
    return [[nbr, bi!, ncr, nci, ndr, ndi, nhr, nhi], moving]
  })
  const [hr, hi] = [out[6]!, out[7]!]
  const [c, s] = [cos(t), sin(t)]
  // (cos t − i sin t)(hr + i hi)
  const re = add(mul(c, hr), mul(s, hi))
  const im = sub(mul(c, hi), mul(s, hr))
  return [add(Math.PI / 2, im), neg(re)]
}

const siciValue = (x: NdArray): NdArray[] => {
  const t = abs(x)
  const inSeries = lessEqual(t, 4)
  const [ss, cs] = siciSeries(where(logicalOr(logicalNot(inSeries), equal(t, 0)), 1, t))
  const tf = where(logicalOr(inSeries, equal(t, Infinity)), 5, t)
  const [sf, cf] = siciFraction(tf)
  const si0 = where(inSeries, ss, where(equal(t, Infinity), Math.PI / 2, sf))
  const ci0 = where(inSeries, cs, where(equal(t, Infinity), 0, cf))
  const si = where(equal(t, 0), 0, mul(sign(x), si0))
  const ci = where(equal(t, 0), -Infinity, where(equal(x, -Infinity), NaN, ci0))
  return [where(isnan(t), x, si), where(isnan(t), x, ci)]
}

// Si'(x) = sin x/x (1 at 0), Ci'(x) = cos x/x (DLMF 6.2.9, 6.2.11). Two calls, not one with a pair
// output: a pair's rule would multiply Ci's infinite slope at 0 by Si's zero cotangent (NaN).
const siCall = customJvp(
  (x: NdArray): NdArray => siciValue(x)[0]!,
  ([x], [dx]) => {
    const at0 = equal(x!, 0)
    const safe = where(at0, 1, x!)
    return [siciValue(x!)[0]!, mul(where(at0, 1, div(sin(safe), safe)), dx!)]
  },
)
const ciCall = customJvp(
  (x: NdArray): NdArray => siciValue(x)[1]!,
  ([x], [dx]) => [siciValue(x!)[1]!, mul(div(cos(x!), x!), dx!)],
)

/**
 * The sine and cosine integrals [Si(x), Ci(x)]: Si(x) = ∫₀ˣ sin t/t dt (odd), Ci(x) = γ + log|x| +
 * ∫₀^|x| (cos t − 1)/t dt (even, as JAX: real for x < 0, −inf at 0, NaN at −inf). Derivatives
 * sin x/x and cos x/x.
 * @example
 * import { scipy } from 'wengert'
 * const [si, ci] = scipy.special.sici(1)
 * assert.ok(Math.abs(Number(si.item()) - 0.9460831) < 1e-6)
 * assert.ok(Math.abs(Number(ci.item()) - 0.3374039) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const sici = (x: ArrayLike): [NdArray, NdArray] => {
  const a = asFloat('scipy.special.sici', x)
  return [siCall(a), ciCall(a)]
}
