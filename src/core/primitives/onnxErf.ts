/**
 * ONNX export rules of `erfc`, `erf_inv`, `ndtri` and `log_ndtr`, following
 * `src/ndarray/kernels/special/erf.ts` branch for branch: the all-positive series of erf below 1,
 * Laplace's continued fraction for erfcx from its tail (the kernel's 30 + 200/z² terms), e^(−x²)
 * from an exact split of x, Halley's method from A&S 26.2.23's guess for the inverses (at most
 * six steps, stopping where the kernel stops). Loops are {@link OnnxMath.loop}s; all in float64.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { NoParams } from '../primitive'
import type { OnnxRule } from '../onnxRule'
import { float64Rule, type OnnxMath } from './onnxMath'

const EPS = 2 ** -53
const SQRT_PI = 1.772453850905516
const LN2_HI = 6.9314718036912381649e-1
const LN2_LO = 1.90821492927058770002e-10

/** erf x for |x| < 1 (x outside is replaced by 0): 2x e^(−x²)/√π · Σ (2x²)ⁿ/(2n+1)!!. */
const erfSeries = (m: OnnxMath, x: string): string => {
  const xs = m.domain(m.lt(m.f('Abs', x), 1), x, 0)
  const y = m.mul(m.mul(xs, xs), 2)
  const one = m.add(m.mul(xs, 0), 1)
  const [, sum] = m.loop([one, one], 100, (l, [term, s], trip) => {
    const t = l.mul(term as string, l.div(y, l.add(l.mul(trip, 2), 3)))
    return { run: l.gt(term as string, l.mul(s as string, EPS)), next: [t, l.add(s as string, t)] }
  })
  return m.mul(m.mul(m.mul(xs, 2 / SQRT_PI), m.f('Exp', m.f('Neg', m.mul(xs, xs)))), sum as string)
}

/** e^(z²) erfc z for z ≥ 1 (others replaced by 1): Laplace's fraction from its tail; 1/(√π z) above 1e8. */
const erfcxFraction = (m: OnnxMath, z: string): string => {
  const zs = m.domain(m.ge(z, 1), z, 1)
  const terms = m.f('Ceil', m.add(m.rdiv(200, m.mul(zs, zs)), 30))
  const top = 230 // the most terms, at z = 1
  const [f] = m.loop([zs], top, (l, [fv], trip) => {
    const n = l.rsub(top, trip) // terms above the element's count leave it as it is
    const next = l.where(l.le(n, terms), l.add(zs, l.div(l.div(n, 2), fv as string)), fv as string)
    return { run: l.all(zs), next: [next] }
  })
  const far = m.gt(zs, 1e8)
  return m.rdiv(1, m.mul(m.where(far, zs, f as string), SQRT_PI))
}

/** e^(−x²)·2ᵏ, x = hi + lo with hi² exact (`Math.round` as ⌊v + ½⌋, exact for |v| < 2⁵²). */
const expNegSq = (m: OnnxMath, x: string, k = 0): string => {
  const ax = m.f('Abs', x)
  const hi = m.div(m.f('Floor', m.add(m.mul(ax, 2 ** 21), 0.5)), 2 ** 21)
  const a = m.f('Exp', m.add(m.f('Neg', m.mul(hi, hi)), k * LN2_HI))
  const b = m.f('Exp', m.sub(m.c(k * LN2_LO), m.mul(m.sub(ax, hi), m.add(ax, hi))))
  return m.where(m.gt(ax, 40), 0, m.mul(a, b))
}

/** erfc x, the kernel's branches (NaN passes through). */
const erfc = (m: OnnxMath, x: string): string => {
  const a = m.f('Abs', x)
  const s = erfSeries(m, a)
  const tail = m.where(m.gt(a, 27.5), 0, m.mul(erfcxFraction(m, a), expNegSq(m, a)))
  const small = m.lt(a, 1)
  const neg = m.where(small, m.add(s, 1), m.rsub(2, tail))
  const pos = m.where(small, m.rsub(1, s), tail)
  return m.chain([[m.f('IsNaN', x), x]], m.where(m.lt(x, 0), neg, pos))
}

/** erf x (NaN passes through). */
const erf = (m: OnnxMath, x: string): string => {
  const a = m.f('Abs', x)
  const big = m.mul(m.f('Sign', x), m.rsub(1, erfc(m, a)))
  return m.where(m.lt(a, 1), erfSeries(m, x), big)
}

/** e^(x²) erfc x for x ≥ 0 (or NaN). */
const erfcxNonNeg = (m: OnnxMath, x: string): string => {
  const small = m.mul(m.f('Exp', m.mul(x, x)), m.rsub(1, erfSeries(m, x)))
  return m.chain(
    [
      [m.f('IsNaN', x), x],
      [m.lt(x, 1), small],
      [m.eq(x, Infinity), 0],
    ],
    erfcxFraction(m, x),
  )
}

export const erfcOnnx: OnnxRule<NoParams> = float64Rule((m, [x]) => erfc(m, x as string))

/** Φ(t) for t ≤ 0 (the kernel's ndtr on its negative side). */
const ndtrNonPos = (m: OnnxMath, t: string): string => {
  const central = m.add(m.mul(erfSeries(m, m.div(t, Math.SQRT2)), 0.5), 0.5)
  const e = expNegSq(m, m.div(t, 2))
  const tail = m.mul(m.mul(erfcxNonNeg(m, m.div(m.f('Neg', t), Math.SQRT2)), 0.5), m.mul(e, e))
  return m.chain(
    [
      [m.lt(m.f('Abs', t), 1), central],
      [m.lt(t, -40), 0],
    ],
    tail,
  )
}

/** log Φ(x): log1p(−Φ(−x)) for x ≥ 0, log(erfcx(−x/√2)/2) − x²/2 below. */
export const logNdtrOnnx: OnnxRule<NoParams> = float64Rule((m, [x]) => {
  const xs = x as string
  const upper = m.log1p(m.f('Neg', ndtrNonPos(m, m.f('Neg', m.f('Abs', xs)))))
  const xn = m.domain(m.lt(xs, 0), xs, -1)
  const lower = m.sub(m.log(m.mul(erfcxNonNeg(m, m.div(m.f('Neg', xn), Math.SQRT2)), 0.5)), m.mul(m.mul(xn, 0.5), xn))
  return m.chain(
    [
      [m.f('IsNaN', xs), xs],
      [m.ge(xs, 0), upper],
      [m.eq(xs, -Infinity), -Infinity],
    ],
    lower,
  )
})

/** Halley's method x ← x − δ/(1 + xδ) with the Newton step δ = `step(x)`, at most 6 steps, as the kernel. */
const halley = (m: OnnxMath, x0: string, step: (l: OnnxMath, x: string) => string): string => {
  const [x] = m.loop([x0], 6, (l, [xv]) => {
    const delta = step(l, xv as string)
    const next = l.sub(xv as string, l.div(delta, l.add(l.mul(xv as string, delta), 1)))
    return {
      run: l.all(xv as string),
      next: [next],
      stop: l.le(l.f('Abs', delta), l.mul(l.f('Abs', next), 2 * EPS)),
    }
  })
  return x as string
}

/** erfcinv(q) for 0 < q ≤ ½ (others replaced by ¼). */
const erfcinvTail = (m: OnnxMath, q: string): string => {
  const qs = m.domain(m.and(m.gt(q, 0), m.le(q, 0.5)), q, 0.25)
  const t = m.f('Sqrt', m.mul(m.sub(m.log(qs), Math.LN2), -2))
  const num = m.horner(t, [2.515517, 0.802853, 0.010328])
  const den = m.horner(t, [1, 1.432788, 0.189269, 0.001308])
  const guess = m.div(m.sub(t, m.div(num, den)), Math.SQRT2)
  const tiny = m.lt(qs, 1e-290)
  const scaled = m.where(tiny, m.mul(qs, 2 ** 600), qs)
  return halley(m, guess, (l, x) => {
    const cx = erfcxNonNeg(l, x)
    const e = l.where(tiny, expNegSq(l, x, 600), expNegSq(l, x))
    return l.mul(l.f('Neg', l.rsub(1, l.div(scaled, l.mul(cx, e)))), l.mul(cx, SQRT_PI / 2))
  })
}

/** erfinv(y) for |y| ≤ ½ (others replaced by 0), relatively accurate near 0. */
const erfinvCentral = (m: OnnxMath, y: string): string => {
  const ys = m.domain(m.le(m.f('Abs', y), 0.5), y, 0)
  const y2 = m.mul(ys, ys)
  const inner = m.add(m.mul(y2, (7 * Math.PI) / 40), 1)
  const guess = m.mul(m.mul(ys, SQRT_PI / 2), m.add(m.mul(m.mul(y2, Math.PI / 12), inner), 1))
  const x = halley(m, guess, (l, xv) => l.mul(l.mul(l.sub(erf(l, xv), ys), SQRT_PI / 2), l.f('Exp', l.mul(xv, xv))))
  return m.where(m.eq(ys, 0), 0, x)
}

/** erfcinv(q): NaN outside [0, 2], ±inf at the ends. */
const erfcinv = (m: OnnxMath, q: string): string =>
  m.chain(
    [
      [m.not(m.and(m.ge(q, 0), m.le(q, 2))), NaN],
      [m.eq(q, 0), Infinity],
      [m.eq(q, 2), -Infinity],
      [m.le(q, 0.5), erfcinvTail(m, q)],
      [m.ge(q, 1.5), m.f('Neg', erfcinvTail(m, m.rsub(2, q)))],
      [m.eq(q, 1), 0],
    ],
    erfinvCentral(m, m.rsub(1, q)),
  )

/** erfinv(y): NaN outside [−1, 1], ±inf at ±1. */
export const erfInvOnnx: OnnxRule<NoParams> = float64Rule((m, [y]) => {
  const ys = y as string
  const a = m.f('Abs', ys)
  return m.chain(
    [
      [m.not(m.le(a, 1)), NaN],
      [m.le(a, 0.5), erfinvCentral(m, ys)],
      [m.eq(a, 1), m.mul(ys, Infinity)],
    ],
    m.mul(m.f('Sign', ys), erfcinvTail(m, m.rsub(1, a))),
  )
})

/** Φ⁻¹(p) = −√2 erfcinv(2p): NaN outside [0, 1]. */
export const ndtriOnnx: OnnxRule<NoParams> = float64Rule((m, [p]) => {
  const ps = p as string
  const inside = m.and(m.ge(ps, 0), m.le(ps, 1))
  return m.where(inside, m.mul(erfcinv(m, m.mul(ps, 2)), -Math.SQRT2), NaN)
})
