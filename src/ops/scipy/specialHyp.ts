/**
 * Kummer's confluent hypergeometric function ₁F₁(a; b; x) of `jax.scipy.special` (`hyp1f1`):
 * the power series for |x| < 100 (negative x through Kummer's transformation, DLMF 13.2.39, which
 * avoids the series' cancellation) and the large-x asymptotic series (DLMF 13.7.1) beyond.
 * Derivatives: in x, (a/b)·₁F₁(a+1; b+1; x) (DLMF 13.3.15); in a and b, the power series
 * differentiated term by term (digamma differences, as JAX). Re-exported by `./special`.
 *
 * @category scipy
 * @since 0.2.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import { customJvp } from '../../transforms/custom'
import * as lax from '../../core/lax'
import { asArray, asFloat, checkBroadcast, type ArrayLike } from '../convert'
import { abs, exp, log, neg } from '../unary'
import {
  add,
  div,
  equal,
  greaterEqual,
  less,
  logicalAnd,
  logicalNot,
  logicalOr,
  mul,
  notEqual,
  sub,
  where,
} from '../elementwise'
import { epsOf, iterate, notConverged, ones } from './seriesLoop'
import { gamma } from './specialMore'

/** Σ (a)ₖ/(b)ₖ·xᵏ/k! (DLMF 13.2.2), up to 500 terms. */
const kummerSeries = (a: NdArray, b: NdArray, x: NdArray): NdArray => {
  const eps = epsOf(x)
  const [sum] = iterate([ones(x), ones(x)], 500, (k, [s, t]) => {
    const km = sub(k, 1)
    const tn = mul(t!, div(mul(add(a, km), x), mul(add(b, km), k)))
    return [[add(s!, tn), tn], notConverged(tn, s!, eps)]
  })
  return sum!
}

/** Γ(b)/Γ(a)·e^{x+shift}·x^{a−b}·Σ (b−a)ₖ(1−a)ₖ/(k!·xᵏ) for large positive x, summed while the terms shrink. */
const kummerAsymptotic = (a: NdArray, b: NdArray, x: NdArray, shift: NdArray): NdArray => {
  const eps = epsOf(x)
  const [sum] = iterate([ones(x), ones(x)], 250, (k, [s, t]) => {
    const km = sub(k, 1)
    const tn = div(mul(t!, mul(add(sub(b, a), km), add(sub(1, a), km))), mul(k, x))
    const use = less(abs(tn), abs(t!))
    return [[where(use, add(s!, tn), s!), where(use, tn, 0)], notConverged(tn, s!, eps)]
  })
  const scale = exp(add(add(x, shift), mul(sub(a, b), log(x))))
  return mul(mul(div(gamma(b), gamma(a)), scale), sum!)
}

const hypValue = (a: NdArray, b: NdArray, x: NdArray): NdArray => {
  const negX = less(x, 0)
  // Kummer's transformation for x < 0: ₁F₁(a; b; x) = eˣ·₁F₁(b − a; b; −x)
  const aa = where(negX, sub(b, a), a)
  const xx = abs(x)
  const large = greaterEqual(xx, 100)
  const series = kummerSeries(aa, b, where(large, 0, xx))
  // the factor eˣ of the transformation joins the asymptotic form's exponent (no overflow × underflow)
  const asym = kummerAsymptotic(aa, b, where(large, xx, 100), where(negX, x, 0))
  const general = where(large, asym, where(negX, mul(exp(x), series), series))
  const aZero = equal(a, 0)
  return where(aZero, 1, where(equal(a, b), exp(x), where(equal(b, 0), Infinity, general)))
}

/** The a- and b-derivatives of the power series: Σ tₖ(ψ(a+k) − ψ(a)) and Σ tₖ(ψ(b) − ψ(b+k)). */
const parameterDerivatives = (a: NdArray, b: NdArray, x: NdArray): [NdArray, NdArray] => {
  const eps = epsOf(x)
  const z = mul(ones(x), 0)
  const out = iterate([ones(x), z, z, z, z], 500, (k, [t, ha, hb, sa, sb]) => {
    const km = sub(k, 1)
    const tn = mul(t!, div(mul(add(a, km), x), mul(add(b, km), k)))
    const nha = add(ha!, div(1, add(a, km)))
    const nhb = add(hb!, div(1, add(b, km)))
    const da = mul(tn, nha)
    const db = neg(mul(tn, nhb))
    const moving = logicalOr(notConverged(da, sa!, eps), notConverged(db, sb!, eps))
    return [[tn, nha, nhb, add(sa!, da), add(sb!, db)], logicalAnd(moving, notEqual(tn, 0))]
  })
  return [out[3]!, out[4]!]
}

const hypCall: (a: NdArray, b: NdArray, x: NdArray) => NdArray = customJvp(hypValue, ([a, b, x], [da, db, dx]) => {
  const [pa, pb] = parameterDerivatives(a!, b!, x!)
  const safeB = where(equal(b!, 0), 1, b!)
  const px = mul(div(a!, safeB), hypCall(add(a!, 1), add(b!, 1), x!))
  const special = logicalOr(equal(a!, 0), logicalAnd(equal(a!, b!), logicalNot(equal(a!, 0))))
  const t = add(add(mul(pa, da!), mul(pb, db!)), mul(px, dx!))
  return [hypValue(a!, b!, x!), where(special, mul(where(equal(a!, 0), 0, exp(x!)), dx!), t)]
})

/**
 * Kummer's confluent hypergeometric function ₁F₁(a; b; x) = Σ (a)ₖ/(b)ₖ·xᵏ/k! for real a, b, x.
 * Like JAX: 1 where a = 0 (also at a = b = 0, where SciPy gives inf), eˣ where a = b, +inf where
 * b = 0 ≠ a. Differentiable in a, b and x (see the module comment for the rules), to any order in
 * x; the a- and b-series are a `whileLoop`, so a second reverse-mode derivative in a or b raises.
 * @example
 * import { scipy } from 'wengert'
 * assert.ok(Math.abs(Number(scipy.special.hyp1f1(1, 2, 1).item()) - (Math.E - 1)) < 1e-6)
 * @category scipy @since 0.2.0
 */
export const hyp1f1 = (a: ArrayLike, b: ArrayLike, x: ArrayLike): NdArray => {
  const name = 'scipy.special.hyp1f1'
  // JS numbers are weak: they take the arrays' dtype (float32 when all three are numbers)
  const arrays = [a, b, x].flatMap((v) => (typeof v === 'number' ? [] : [asFloat(name, v)]))
  const dtype = arrays.some((v) => v.dtype === 'float64') ? 'float64' : (arrays[0]?.dtype ?? 'float32')
  const [p, q, r] = [a, b, x].map((v) =>
    typeof v === 'number' ? asArray(name, v, dtype) : lax.convertElementType(asFloat(name, v), dtype),
  )
  checkBroadcast(name, p!, q!)
  checkBroadcast(name, p!, r!)
  checkBroadcast(name, q!, r!)
  return hypCall(p!, q!, r!)
}
