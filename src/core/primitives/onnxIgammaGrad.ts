/**
 * ONNX export rules of `random_gamma_grad` (dx/da of a Gamma(a, 1) sample) and `igamma_grad_a`
 * (∂P/∂a), following `src/ndarray/kernels/special/gammaGrad.ts`: the dual-number lower series
 * where x ≤ a + 1 and Legendre's continued fraction with its a-derivative by Wallis' recurrence
 * (rescaled each step) elsewhere, each a masked ONNX `Loop` stopping where the kernel's loop
 * stops, with ψ and lnΓ written as `./onnxGamma` writes them. Float64 throughout.
 *
 * @category primitives
 * @since 0.2.0
 */
import { EPS } from '../../ndarray/kernels/special/shared'
import type { NoParams } from '../primitive'
import type { OnnxRule } from '../onnxRule'
import { digamma } from './onnxGamma'
import { lgammaPositive } from './onnxIgamma'
import { float64Rule, type OnnxMath } from './onnxMath'

const MAX_TERMS = 100000

/** |v| ≤ EPS·|ref|. */
const small = (m: OnnxMath, v: string, ref: string): string => m.le(m.f('Abs', v), m.mul(m.f('Abs', ref), EPS))

/** S and dS/da of the lower series (x ≤ a + 1). */
const seriesDual = (m: OnnxMath, a: string, x: string): [string, string] => {
  const zero = m.mul(x, 0)
  const one = m.add(zero, 1)
  const [, , s, ds] = m.loop([one, zero, one, zero], MAX_TERMS - 1, (l, [t, h, sv, dsv], trip) => {
    const an = l.add(a, l.add(trip, 1))
    const tn = l.mul(t as string, l.div(x, an))
    const hn = l.add(h as string, l.rdiv(1, an))
    const dt = l.mul(l.f('Neg', tn), hn)
    const sn = l.add(sv as string, tn)
    const dsn = l.add(dsv as string, dt)
    return { run: l.all(x), next: [tn, hn, sn, dsn], stop: l.and(small(l, tn, sn), small(l, dt, dsn)) }
  })
  return [s as string, ds as string]
}

/** g = 1/f and dg/da of Legendre's continued fraction (x > a + 1), by the kernel's rescaled Wallis recurrence. */
const fractionDual = (m: OnnxMath, a: string, x: string): [string, string] => {
  const zero = m.mul(x, 0)
  const a1 = m.sub(m.add(x, 1), a)
  const minus1 = m.add(zero, -1)
  // state: A₀, A₁, B₀, dA₀, dA₁, dB₀, dB₁, f, df (B₁ is 1 after every rescaling, and at the start)
  const init = [m.add(zero, 1), a1, zero, zero, minus1, zero, zero, a1, minus1]
  const out = m.loop(init, MAX_TERMS - 1, (l, s, trip) => {
    const [a0, a1v, b0, da0, da1, db0, db1, f, df] = s as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    const n = l.add(trip, 1)
    const an = l.mul(l.f('Neg', n), l.sub(n, a))
    const bn = l.sub(l.add(l.add(x, l.mul(n, 2)), 1), a)
    const a2 = l.add(l.mul(bn, a1v), l.mul(an, a0))
    const b2 = l.add(bn, l.mul(an, b0))
    const da2 = l.add(l.add(l.add(l.f('Neg', a1v), l.mul(bn, da1)), l.mul(n, a0)), l.mul(an, da0))
    const db2 = l.add(l.add(l.add(l.c(-1), l.mul(bn, db1)), l.mul(n, b0)), l.mul(an, db0))
    const scale = l.rdiv(1, b2)
    const fNext = l.mul(a2, scale)
    const da1n = l.mul(da2, scale)
    const db1n = l.mul(db2, scale)
    const dfNext = l.sub(da1n, l.mul(fNext, db1n))
    const stop = l.and(small(l, l.sub(fNext, f), fNext), small(l, l.sub(dfNext, df), dfNext))
    const next = [l.mul(a1v, scale), fNext, scale, l.mul(da1, scale), da1n, l.mul(db1, scale), db1n, fNext, dfNext]
    return { run: l.all(x), next, stop }
  })
  const f = out[7] as string
  const df = out[8] as string
  return [m.rdiv(1, f), m.div(m.f('Neg', df), m.mul(f, f))]
}

/** dx/da on finite a > 0, x > 0 (the kernel's `randomGammaGrad` past its edge cases). */
const gammaGradRegular = (m: OnnxMath, a: string, x: string): string => {
  const series = m.le(x, m.add(a, 1))
  const logx = m.log(x)
  const psi = digamma(m, m.where(series, m.add(a, 1), a))
  const [s, ds] = seriesDual(m, m.domain(series, a, 1), m.domain(series, x, 1))
  const [g, dg] = fractionDual(m, m.domain(series, 1, a), m.domain(series, 3, x))
  const viaSeries = m.mul(m.f('Neg', m.div(x, a)), m.add(m.mul(s, m.sub(logx, psi)), ds))
  const viaFraction = m.mul(x, m.add(m.mul(g, m.sub(logx, psi)), dg))
  return m.where(series, viaSeries, viaFraction)
}

/** NaN outside a > 0, x ≥ 0; 0 at x = 0 and x = ∞; NaN at a = ∞; `regular` elsewhere (stand-ins at the others). */
const withEdges = (m: OnnxMath, a: string, x: string, regular: (a: string, x: string) => string): string => {
  const fine = m.and(m.and(m.gt(a, 0), m.lt(a, Infinity)), m.and(m.gt(x, 0), m.lt(x, Infinity)))
  return m.chain(
    [
      [m.not(m.and(m.gt(a, 0), m.ge(x, 0))), NaN],
      [m.or(m.eq(x, 0), m.eq(x, Infinity)), 0],
      [m.eq(a, Infinity), NaN], // the kernel's series gives −(x/∞)·(1·(log x − ψ(∞))) = NaN
    ],
    regular(m.domain(fine, a, 1), m.domain(fine, x, 1)),
  )
}

/** `random_gamma_grad`: dx/da = −(∂P/∂a)/(∂P/∂x) of a Gamma(a, 1) sample x. */
export const randomGammaGradOnnx: OnnxRule<NoParams> = float64Rule((m, [a, x]) =>
  withEdges(m, a as string, x as string, (av, xv) => gammaGradRegular(m, av, xv)),
)

/** `igamma_grad_a`: ∂P(a, x)/∂a = −dx/da · xᵃ⁻¹e⁻ˣ/Γ(a). */
export const igammaGradAOnnx: OnnxRule<NoParams> = float64Rule((m, [a, x]) =>
  withEdges(m, a as string, x as string, (av, xv) => {
    const px = m.f('Exp', m.sub(m.sub(m.mul(m.add(av, -1), m.log(xv)), xv), lgammaPositive(m, av)))
    return m.mul(m.f('Neg', gammaGradRegular(m, av, xv)), px)
  }),
)
