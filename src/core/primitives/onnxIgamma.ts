/**
 * ONNX export rules of the regularised incomplete gamma functions `igamma` (P) and `igammac` (Q),
 * following `gammainc`/`gammaincc` in `src/ndarray/kernels/special/gamma.ts`: the same edge
 * values, the same branches (Legendre's continued fraction by Lentz where x > a + 1, the lower
 * series elsewhere, Q's small-a series where a < 1), the same prefactor xᵃe⁻ˣ/Γ(a + 1) (factor by
 * factor below a = 50 unless one leaves the normal range, through log1pmx and Stirling's
 * correction above), each iteration a masked ONNX `Loop` that stops, element by element, where
 * the kernel's loop stops. All in float64 (float32 rounded once), as the kernels.
 *
 * @category primitives
 * @since 0.2.0
 */
import { EPS } from '../../ndarray/kernels/special/shared'
import type { NoParams } from '../primitive'
import type { OnnxRule } from '../onnxRule'
import { lgamma2p, lgammaPos, stirling } from './onnxGamma'
import { float64Rule, type OnnxMath } from './onnxMath'

const MIN_NORMAL = 2 ** -1022
const MAX_TERMS = 1e7

/** lnΓ(1 + f) for 0 ≤ f < 1 (the kernel's `lgamma1p`). */
export const lgamma1p = (m: OnnxMath, f: string): string => {
  const low = m.lt(f, 0.5)
  const g = lgamma2p(m, m.where(low, f, m.sub(f, 1)))
  return m.where(low, m.sub(g, m.log1p(f)), g)
}

/** lnΓ(x) for x > 0, +inf at +inf and NaN through (the kernel's `gammaln` on x > 0). */
export const lgammaPositive = (m: OnnxMath, x: string): string => {
  const fine = m.and(m.gt(x, 0), m.lt(x, Infinity))
  return m.where(fine, lgammaPos(m, m.domain(fine, x, 1)), x)
}

/** Γ(1 + a) for 0 ≤ a < 50: Γ(1 + f)·(f + 1)…(f + n), a = n + f. */
const gamma1p = (m: OnnxMath, a: string): string => {
  const n = m.f('Floor', a)
  const f = m.sub(a, n)
  let g = m.f('Exp', lgamma1p(m, f))
  for (let k = 1; k < 50; k++) g = m.where(m.le(m.c(k), n), m.mul(g, m.add(f, k)), g)
  return g
}

/** log(1 + t) − t for |t| < ½: −t²/(2 + t) + 2Σ u²ᵏ⁺¹/(2k + 1), u = t/(2 + t), as long as the kernel sums. */
const log1pmxSeries = (m: OnnxMath, t: string): string => {
  const u = m.div(t, m.add(t, 2))
  const u2 = m.mul(u, u)
  const [sum] = m.loop([m.mul(t, 0), m.mul(u, u2)], 1000, (l, [s, p], trip) => {
    const next = l.add(s as string, l.div(p as string, l.add(l.mul(trip, 2), 3)))
    const pow = l.mul(p as string, u2)
    const run = l.or(l.gt(l.f('Abs', p as string), l.mul(l.f('Abs', s as string), EPS * EPS)), l.eq(s as string, 0))
    return { run, next: [next, pow], stop: l.eq(pow, 0) }
  })
  return m.add(m.div(m.mul(m.f('Neg', t), t), m.add(t, 2)), m.mul(sum as string, 2))
}

/** xᵃe⁻ˣ/Γ(a + 1) for finite a, x > 0 (the kernel's `gammaPrefactor`). */
export const gammaPrefactor = (m: OnnxMath, a: string, x: string): string => {
  const small = m.lt(a, 50)
  const as = m.domain(small, a, 1)
  const p = m.pow(x, as)
  const e = m.f('Exp', m.f('Neg', x))
  const direct = m.div(m.mul(p, e), gamma1p(m, as))
  const normal = m.and(
    m.and(m.ge(p, MIN_NORMAL), m.ge(e, MIN_NORMAL)),
    m.and(m.ge(direct, MIN_NORMAL), m.lt(direct, Infinity)),
  )
  const below1 = m.lt(as, 1)
  const lg = m.where(below1, lgamma1p(m, m.domain(below1, as, 0.5)), lgammaPos(m, m.add(as, 1)))
  const viaLog = m.f('Exp', m.sub(m.sub(m.mul(as, m.log(x)), x), lg))
  const ab = m.domain(small, 50, a)
  const t = m.div(m.sub(x, ab), ab)
  const near = m.lt(m.f('Abs', t), 0.5)
  const ex = m.where(
    near,
    m.mul(ab, log1pmxSeries(m, m.domain(near, t, 0))),
    m.add(m.mul(ab, m.log(m.div(x, ab))), m.sub(ab, x)),
  )
  const large = m.div(m.f('Exp', m.sub(ex, stirling(m, ab))), m.f('Sqrt', m.mul(ab, 2 * Math.PI)))
  return m.where(small, m.where(normal, direct, viaLog), large)
}

/** Σₙ xⁿ/((a+1)…(a+n)) of P's series, summed while the kernel sums. */
const lowerSum = (m: OnnxMath, a: string, x: string): string => {
  const one = m.add(m.mul(x, 0), 1)
  const [, sum] = m.loop([one, one], MAX_TERMS - 1, (l, [term, s], trip) => {
    const next = l.mul(term as string, l.div(x, l.add(a, l.add(trip, 1))))
    return { run: l.gt(term as string, l.mul(s as string, EPS)), next: [next, l.add(s as string, next)] }
  })
  return sum as string
}

/** Legendre's continued fraction h of Q (x > a + 1) by Lentz, stopping where the kernel stops. */
const upperFraction = (m: OnnxMath, a: string, x: string): string => {
  const b0 = m.sub(m.add(x, 1), a)
  const d0 = m.rdiv(1, b0)
  const c0 = m.add(m.mul(x, 0), 1 / 1e-300)
  const [, , , h] = m.loop([b0, c0, d0, d0], MAX_TERMS - 1, (l, [b, c, d, hv], trip) => {
    const i = l.add(trip, 1)
    const an = l.mul(l.f('Neg', i), l.sub(i, a))
    const bn = l.add(b as string, 2)
    const dn = l.rdiv(1, l.add(l.mul(an, d as string), bn))
    const cn = l.add(bn, l.div(an, c as string))
    const delta = l.mul(dn, cn)
    return {
      run: l.all(x),
      next: [bn, cn, dn, l.mul(hv as string, delta)],
      stop: l.le(l.f('Abs', l.sub(delta, 1)), EPS),
    }
  })
  return h as string
}

/** Q for a < 1, x ≤ a + 1: −expm1(u) − eᵘ·a·Σₙ≥₁ (−x)ⁿ/(n!(a+n)), eᵘ = xᵃ/Γ(a+1). */
const upperSmallA = (m: OnnxMath, a: string, x: string): string => {
  const u = m.sub(m.mul(a, m.log(x)), lgamma1p(m, a))
  const [, sum] = m.loop([m.add(m.mul(x, 0), 1), m.mul(x, 0)], 199, (l, [term, s], trip) => {
    const n = l.add(trip, 1)
    const tn = l.mul(term as string, l.div(l.f('Neg', x), n))
    const sn = l.add(s as string, l.div(tn, l.add(a, n)))
    return { run: l.all(x), next: [tn, sn], stop: l.le(l.f('Abs', tn), l.mul(l.f('Abs', sn), EPS)) }
  })
  return m.sub(m.f('Neg', m.expm1(u)), m.mul(m.mul(m.f('Exp', u), a), sum as string))
}

/** The kernel's edge values, then `regular(a, x)` on finite a, x > 0 (stand-ins elsewhere). */
const withEdges = (
  m: OnnxMath,
  a: string,
  x: string,
  lower: boolean,
  regular: (a: string, x: string) => string,
): string => {
  const fine = m.and(m.and(m.gt(a, 0), m.lt(a, Infinity)), m.and(m.gt(x, 0), m.lt(x, Infinity)))
  const [p, q] = lower ? [1, 0] : [0, 1]
  return m.chain(
    [
      [m.or(m.or(m.f('IsNaN', a), m.f('IsNaN', x)), m.or(m.lt(a, 0), m.lt(x, 0))), NaN],
      [m.eq(a, 0), m.where(m.eq(x, 0), NaN, p)],
      [m.eq(x, 0), q],
      [m.eq(a, Infinity), m.where(m.eq(x, Infinity), NaN, q)],
      [m.eq(x, Infinity), p],
    ],
    regular(m.domain(fine, a, 1), m.domain(fine, x, 1)),
  )
}

/** P(a, x) or Q(a, x) on finite a, x > 0, by the kernel's branches. */
const incompleteGamma = (m: OnnxMath, a: string, x: string, lower: boolean): string => {
  const frac = m.gt(x, m.add(a, 1))
  const pre = gammaPrefactor(m, a, x)
  const q = m.mul(m.mul(pre, a), upperFraction(m, m.domain(frac, a, 1), m.domain(frac, x, 3)))
  const series = m.mul(pre, lowerSum(m, m.domain(frac, 1, a), m.domain(frac, 1, x)))
  if (lower) return m.where(frac, m.rsub(1, q), series)
  const smallA = m.and(m.not(frac), m.lt(a, 1))
  const qSmall = upperSmallA(m, m.domain(smallA, a, 0.5), m.domain(smallA, x, 1))
  return m.chain(
    [
      [frac, q],
      [smallA, qSmall],
    ],
    m.rsub(1, series),
  )
}

/** `igamma`: P(a, x) (SciPy `gammainc`). */
export const igammaOnnx: OnnxRule<NoParams> = float64Rule((m, [a, x]) =>
  withEdges(m, a as string, x as string, true, (av, xv) => incompleteGamma(m, av, xv, true)),
)

/** `igammac`: Q(a, x) (SciPy `gammaincc`). */
export const igammacOnnx: OnnxRule<NoParams> = float64Rule((m, [a, x]) =>
  withEdges(m, a as string, x as string, false, (av, xv) => incompleteGamma(m, av, xv, false)),
)
