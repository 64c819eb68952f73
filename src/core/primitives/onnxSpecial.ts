/**
 * ONNX export rules of `atan2`, the logarithms `xlogy`/`xlog1py`/`entr`/`logit` and the scaled
 * Bessel functions `bessel_i0e`/`bessel_i1e`: the branches and series of wengert's kernels
 * (`src/ndarray/kernels/special.ts`, `Math.atan2`'s special values) written with
 * {@link OnnxMath}, in float64.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { NoParams } from '../primitive'
import type { OnnxRule } from '../onnxRule'
import { float64Rule, type OnnxMath } from './onnxMath'

const EPS = 2 ** -53

/** The sign bit of x (true for −0 and negative values; false for NaN). */
const signBit = (m: OnnxMath, x: string): string => m.or(m.lt(x, 0), m.lt(m.rdiv(1, x), 0))

// fdlibm's arctangent (V8's `Math.atan`/`Math.atan2`): the breakpoints, atan at them split as
// hi + lo, and the odd minimax polynomial's coefficients on the reduced argument
const ATAN_HI = [4.63647609000806093515e-1, 7.85398163397448278999e-1, 9.82793723247329054082e-1, 1.570796326794896558]
const ATAN_LO = [
  2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17, 6.12323399573676603587e-17,
]
const AT_EVEN = [3.33333333333329318027e-1, 1.42857142725034663711e-1, 9.09088713343650656196e-2]
const AT_EVEN2 = [6.66107313738753120669e-2, 4.97687799461593236017e-2, 1.62858201153657823623e-2]
const AT_ODD = [-1.99999999998764832476e-1, -1.1111110405462355788e-1, -7.69187620504482999495e-2]
const AT_ODD2 = [-5.83357013379057348645e-2, -3.6531572744216915527e-2]
const PI_LO = 1.2246467991473531772e-16

/** atan t for t ≥ 0 (or NaN), as fdlibm reduces it: about 0, ½, 1, 3/2 or ∞, then one polynomial. */
const atanNonNeg = (m: OnnxMath, t: string): string => {
  const [b0, b1, b2, b3] = [m.lt(t, 0.4375), m.lt(t, 0.6875), m.lt(t, 1.1875), m.lt(t, 2.4375)]
  const r = m.chain(
    [
      [b0, t],
      [b1, m.div(m.sub(m.mul(t, 2), 1), m.add(t, 2))],
      [b2, m.div(m.sub(t, 1), m.add(t, 1))],
      [b3, m.div(m.sub(t, 1.5), m.add(m.mul(t, 1.5), 1))],
    ],
    m.rdiv(-1, t),
  )
  const z = m.mul(r, r)
  const w = m.mul(z, z)
  const s1 = m.mul(z, m.horner(w, [...AT_EVEN, ...AT_EVEN2]))
  const s2 = m.mul(w, m.horner(w, [...AT_ODD, ...AT_ODD2]))
  const rs = m.mul(r, m.add(s1, s2))
  const at = (id: number): string => m.rsub(ATAN_HI[id] as number, m.sub(m.sub(rs, ATAN_LO[id] as number), r))
  return m.chain(
    [
      [b0, m.sub(r, rs)],
      [b1, at(0)],
      [b2, at(1)],
      [b3, at(2)],
      [m.ge(t, 2 ** 66), ATAN_HI[3] as number],
    ],
    at(3),
  )
}

/** atan2(y, x) as V8 computes it (fdlibm): `Math.atan2`'s values at zeros (signed), infinities and NaN. */
export const atan2Onnx: OnnxRule<NoParams> = float64Rule((m, [y, x]) => {
  const ys = y as string
  const xs = x as string
  const yNeg = signBit(m, ys)
  const pm = (v: number): string => m.where(yNeg, -v, v)
  const z = atanNonNeg(m, m.f('Abs', m.div(ys, xs)))
  const left = m.where(yNeg, m.sub(m.sub(z, PI_LO), Math.PI), m.rsub(Math.PI, m.sub(z, PI_LO)))
  const general = m.where(signBit(m, xs), left, m.where(yNeg, m.f('Neg', z), z))
  const bothInf = m.and(m.f('IsInf', ys), m.f('IsInf', xs))
  return m.chain(
    [
      [m.or(m.f('IsNaN', ys), m.f('IsNaN', xs)), NaN],
      [m.eq(ys, 0), m.where(signBit(m, xs), pm(Math.PI), ys)],
      [m.eq(xs, 0), pm(Math.PI / 2)],
      [bothInf, m.where(m.gt(xs, 0), pm(Math.PI / 4), pm((3 * Math.PI) / 4))],
    ],
    general,
  )
})

/** x·g(y) with 0 where x = 0 and y is not NaN (SciPy's `xlogy`/`xlog1py`). */
const xTimes = (g: (m: OnnxMath, y: string) => string): OnnxRule<NoParams> =>
  float64Rule((m, [x, y]) =>
    m.where(m.and(m.eq(x as string, 0), m.not(m.f('IsNaN', y as string))), 0, m.mul(x as string, g(m, y as string))),
  )

export const xlogyOnnx: OnnxRule<NoParams> = xTimes((m, y) => m.log(y))
export const xlog1pyOnnx: OnnxRule<NoParams> = xTimes((m, y) => m.log1p(y))

/** −x·log x, 0 at 0, −inf below, NaN at NaN. */
export const entrOnnx: OnnxRule<NoParams> = float64Rule((m, [x]) => {
  const xs = x as string
  return m.chain(
    [
      [m.gt(xs, 0), m.f('Neg', m.mul(xs, m.log(xs)))],
      [m.eq(xs, 0), 0],
      [m.f('IsNaN', xs), xs],
    ],
    -Infinity,
  )
})

/** log(p/(1 − p)) by the kernel's three branches; NaN outside [0, 1]. */
export const logitOnnx: OnnxRule<NoParams> = float64Rule((m, [p]) => {
  const ps = p as string
  const logP = m.log(ps)
  return m.chain(
    [
      [m.not(m.and(m.ge(ps, 0), m.le(ps, 1))), NaN],
      [m.lt(ps, 0.25), m.sub(logP, m.log1p(m.f('Neg', ps)))],
      [m.gt(ps, 0.75), m.sub(logP, m.log(m.rsub(1, ps)))],
    ],
    m.log1p(m.div(m.sub(m.mul(ps, 2), 1), m.rsub(1, ps))),
  )
})

/** e^(−x) Iᵥ(x) for x ≥ 0 (not NaN): the power series up to 20, Hankel's series above, 0 at inf. */
const besselIe = (m: OnnxMath, nu: 0 | 1, x: string): string => {
  const small = m.le(x, 20)
  const xs = m.domain(small, x, 0)
  const y = m.div(m.mul(xs, xs), 4)
  const first = nu === 0 ? m.add(m.mul(xs, 0), 1) : m.div(xs, 2)
  const [, sum] = m.loop([first, first], 200, (l, [term, s], trip) => {
    const k = l.add(trip, 1)
    const t = l.mul(term as string, l.div(y, l.mul(k, l.add(k, nu))))
    return { run: l.gt(term as string, l.mul(s as string, EPS)), next: [t, l.add(s as string, t)] }
  })
  const series = m.mul(sum as string, m.f('Exp', m.f('Neg', xs)))
  const xa = m.domain(small, 21, x)
  const mu = 4 * nu * nu
  const one = m.add(m.mul(xa, 0), 1)
  const [, asum] = m.loop([one, one], 59, (l, [term, s], trip) => {
    const k = l.add(trip, 1)
    const odd = l.sub(l.mul(k, 2), 1)
    const nextTerm = l.div(l.mul(l.f('Neg', term as string), l.rsub(mu, l.mul(odd, odd))), l.mul(l.mul(k, 8), xa))
    const s2 = l.add(s as string, nextTerm)
    return {
      run: l.lt(l.f('Abs', nextTerm), l.f('Abs', term as string)),
      next: [nextTerm, s2],
      stop: l.le(l.f('Abs', nextTerm), l.mul(l.f('Abs', s2), EPS)),
    }
  })
  const hankel = m.div(asum as string, m.f('Sqrt', m.mul(xa, 2 * Math.PI)))
  return m.chain([[m.eq(x, Infinity), 0]], m.where(small, series, hankel))
}

/** e^(−|x|)I₀(x). */
export const besselI0eOnnx: OnnxRule<NoParams> = float64Rule((m, [x]) =>
  m.where(m.f('IsNaN', x as string), x as string, besselIe(m, 0, m.f('Abs', x as string))),
)

/** e^(−|x|)I₁(x), odd; +0 at ±0. */
export const besselI1eOnnx: OnnxRule<NoParams> = float64Rule((m, [x]) => {
  const xs = x as string
  const odd = m.mul(m.f('Sign', xs), besselIe(m, 1, m.f('Abs', xs)))
  return m.chain(
    [
      [m.f('IsNaN', xs), xs],
      [m.eq(xs, 0), 0],
    ],
    odd,
  )
})
