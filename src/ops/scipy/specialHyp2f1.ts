/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; x) of `jax.scipy.special` (`hyp2f1`) for real
 * arguments, composed from elementwise operations and one series loop (a `whileLoop`), so it
 * runs under `jit` and `vmap` and has forward-mode derivatives; reverse mode raises, as JAX's
 * (whose series is a `while_loop` too). The special cases are JAX's and SciPy's; the evaluation
 * (Pearson, Olver & Porter, "Numerical methods for the computation of the confluent and Gauss
 * hypergeometric functions", 2017, §4) uses the power series (DLMF 15.2.1) on [0, 0.9], Pfaff's
 * transformation (DLMF 15.8.1) for x < 0, Euler's (15.8.1) when c − a − b ≤ −1, and on
 * (0.9, 1) the 1 − x connection formula (15.8.4), or its limit (15.8.10) when c − a − b is an
 * integer. Re-exported by `./special`.
 *
 * @category scipy
 * @since 0.7.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../../core/lax'
import { asArray, asFloat, checkBroadcast, type ArrayLike } from '../convert'
import { abs, round } from '../unary'
import {
  add,
  div,
  equal,
  greater,
  less,
  lessEqual,
  logicalAnd,
  logicalNot,
  logicalOr,
  mul,
  notEqual,
  pow,
  sub,
  where,
} from '../elementwise'
import { epsOf, iterate, notConverged, ones } from './seriesLoop'
import { gamma } from './specialMore'

/** Σ (a)ₖ(b)ₖ/(c)ₖ·xᵏ/k! (DLMF 15.2.1), summed until the terms stop mattering (or `steps` terms). */
const series = (a: NdArray, b: NdArray, c: NdArray, x: NdArray, steps: number): NdArray => {
  const eps = epsOf(x)
  const [sum] = iterate([ones(x), ones(x)], steps, (k, [s, t]) => {
    const km = sub(k, 1)
    const tn = mul(t!, div(mul(mul(add(a, km), add(b, km)), x), mul(add(c, km), k)))
    return [[add(s!, tn), tn], notConverged(tn, s!, eps)]
  })
  return sum!
}

/** True where v is a non-positive integer (to 50 ulps, as JAX). */
const nonPositiveInteger = (v: NdArray, tol: number): NdArray =>
  logicalAnd(lessEqual(v, 0), less(abs(sub(v, round(v))), tol))

/**
 * ₂F₁(a, b; a + b + m; 1 − w) for an integer m ≥ 0 and small w (Abramowitz & Stegun 15.3.10–11,
 * DLMF 15.8.10): a finite sum of m terms and a series with logarithm and digamma terms.
 */
const integerGap = (a: NdArray, b: NdArray, m: NdArray, w: NdArray): NdArray => {
  const eps = epsOf(w)
  const c = add(add(a, b), m)
  const [finite] = iterate([where(greater(m, 0), ones(w), sub(w, w)), ones(w)], 400, (k, [s, t]) => {
    const km = sub(k, 1)
    const use = less(k, m)
    const tn = where(use, mul(t!, div(mul(mul(add(a, km), add(b, km)), w), mul(k, where(use, sub(k, m), 1)))), 0)
    return [[add(s!, tn), tn], use]
  })
  const logW = lax.log(w)
  const bracket = (n: NdArray): NdArray =>
    add(
      sub(sub(logW, lax.digamma(add(n, 1))), lax.digamma(add(add(n, m), 1))),
      add(lax.digamma(add(add(a, n), m)), lax.digamma(add(add(b, n), m))),
    )
  const u0 = div(1, gamma(add(m, 1)))
  const zero = sub(w, w)
  const [tail] = iterate([mul(u0, bracket(zero)), u0], 500, (k, [s, u]) => {
    const km = sub(k, 1)
    const un = mul(u!, div(mul(mul(add(add(a, m), km), add(add(b, m), km)), w), mul(k, add(k, m))))
    const tn = mul(un, bracket(k))
    return [[add(s!, tn), un], notConverged(tn, s!, eps)]
  })
  const head = div(mul(gamma(where(greater(m, 0), m, 1)), gamma(c)), mul(gamma(add(a, m)), gamma(add(b, m))))
  const sign = where(equal(mul(lax.floor(mul(m, 0.5)), 2), m), 1, -1)
  const rest = div(mul(mul(sign, pow(w, m)), gamma(c)), mul(gamma(a), gamma(b)))
  return sub(mul(head, finite!), mul(rest, tail!))
}

/** ₂F₁ on 0 ≤ z < 1: the series on [0, 0.9], past it the 1 − z connection formula or its integer-gap limit. */
const unitInterval = (a: NdArray, b: NdArray, c: NdArray, z: NdArray, ends: NdArray, tol: number): NdArray => {
  const d = sub(sub(c, a), b)
  const far = logicalAnd(greater(z, 0.9), logicalNot(ends))
  const integral = less(abs(sub(d, round(d))), tol)
  const connect = logicalAnd(far, logicalNot(integral))
  const gap = logicalAnd(far, integral)
  const direct = series(a, b, c, where(far, 0, z), 500)
  const w = where(far, sub(1, z), 0.5)
  const g1 = div(mul(gamma(c), gamma(d)), mul(gamma(sub(c, a)), gamma(sub(c, b))))
  const g2 = div(mul(gamma(c), gamma(lax.neg(d))), mul(gamma(a), gamma(b)))
  const first = mul(g1, series(a, b, sub(1, d), w, 500))
  const second = mul(mul(pow(w, d), g2), series(sub(c, a), sub(c, b), add(1, d), w, 500))
  // a negative gap: Euler's transformation first, (1 − z)^d·₂F₁(c − a, c − b; c; z) has gap −d
  const flip = less(d, 0)
  const m = where(gap, abs(round(d)), 0)
  const limit = integerGap(where(flip, sub(c, a), a), where(flip, sub(c, b), b), m, w)
  const gapValue = mul(where(flip, pow(w, d), 1), limit)
  return where(connect, add(first, second), where(gap, gapValue, direct))
}

const hypValue = (a: NdArray, b: NdArray, c: NdArray, x: NdArray): NdArray => {
  const tol = 50 * epsOf(x)
  const d = sub(sub(c, a), b)
  const s = sub(1, x)
  const ends = logicalOr(nonPositiveInteger(a, tol), nonPositiveInteger(b, tol))
  // Euler's transformation: (1 − x)^d·₂F₁(c − a, c − b; c; x), where the series would converge slowly
  const euler = logicalAnd(logicalAnd(lessEqual(d, -1), less(x, 1)), logicalNot(ends))
  const a1 = where(euler, sub(c, a), a)
  const b1 = where(euler, sub(c, b), b)
  // the terminating parameter first, so that Pfaff's transformation keeps it
  const swap = logicalAnd(nonPositiveInteger(b1, tol), logicalNot(nonPositiveInteger(a1, tol)))
  const p = where(swap, b1, a1)
  const q = where(swap, a1, b1)
  // Pfaff's transformation for x < 0: (1 − x)^(−p)·₂F₁(p, c − q; c; x/(x − 1))
  const neg = logicalAnd(less(x, 0), logicalNot(ends))
  const z = where(neg, div(x, sub(x, 1)), where(logicalOr(ends, less(x, 1)), x, 0))
  const inner = unitInterval(p, where(neg, sub(c, q), q), c, z, ends, tol)
  const general = mul(mul(where(neg, pow(s, lax.neg(p)), 1), where(euler, pow(s, d), 1)), inner)
  const gauss = div(mul(gamma(c), gamma(d)), mul(gamma(sub(c, a)), gamma(sub(c, b))))
  const one = logicalOr(equal(x, 0), logicalAnd(logicalOr(equal(a, 0), equal(b, 0)), notEqual(c, 0)))
  const pole = logicalAnd(lessEqual(c, 0), equal(c, round(c)))
  const notEnds = logicalNot(ends)
  return where(
    one,
    1,
    where(
      pole,
      Infinity,
      where(
        logicalAnd(notEnds, logicalAnd(lessEqual(d, 0), equal(x, 1))),
        Infinity,
        where(logicalAnd(notEnds, greater(x, 1)), Infinity, where(logicalAnd(notEnds, equal(x, 1)), gauss, general)),
      ),
    ),
  )
}

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; x) = Σ (a)ₖ(b)ₖ/(c)ₖ·xᵏ/k! for real arguments
 * (`jax.scipy.special.hyp2f1`). As SciPy and JAX: 1 at x = 0 and where a or b is 0 (c ≠ 0); +inf
 * where c is a non-positive integer, for x > 1, and at x = 1 when c − a − b ≤ 0; the Gauss sum
 * Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) at x = 1. Where a or b is a non-positive integer the series is a
 * polynomial, evaluated for every x (SciPy's values; JAX gives +inf for x > 1). Forward-mode
 * derivatives (`jvp`, `jacfwd`) in all four arguments, except that where c − a − b is an integer
 * and x > 0.9 the limit formula holds that gap fixed, so only the x-derivative is right there;
 * `grad` raises, as JAX's.
 * @example
 * import { scipy } from 'wengert'
 * // ₂F₁(1, 1; 2; x) = −log(1 − x)/x
 * assert.ok(Math.abs(Number(scipy.special.hyp2f1(1, 1, 2, 0.5).item()) - 2 * Math.log(2)) < 1e-6)
 * @category scipy @since 0.7.0
 */
export const hyp2f1 = (a: ArrayLike, b: ArrayLike, c: ArrayLike, x: ArrayLike): NdArray => {
  const name = 'scipy.special.hyp2f1'
  // JS numbers are weak: they take the arrays' dtype (float32 when all four are numbers)
  const arrays = [a, b, c, x].flatMap((v) => (typeof v === 'number' ? [] : [asFloat(name, v)]))
  const dtype = arrays.some((v) => v.dtype === 'float64') ? 'float64' : (arrays[0]?.dtype ?? 'float32')
  const args = [a, b, c, x].map((v) =>
    typeof v === 'number' ? asArray(name, v, dtype) : lax.convertElementType(asFloat(name, v), dtype),
  )
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) checkBroadcast(name, args[i]!, args[j]!)
  return hypValue(args[0]!, args[1]!, args[2]!, args[3]!)
}
