/**
 * ONNX export rules of `lgamma`, `digamma`, `polygamma` and `zeta`, following
 * `src/ndarray/kernels/special/gamma.ts`: lnΓ(2 + z)'s Taylor series in ζ(k) − 1, the recurrence
 * down to it, Stirling's series from 10 and the reflection formula; ψ's asymptotic series from 10
 * with the recurrence, its Taylor series about the positive root, reflection; Hurwitz ζ by the
 * direct sum (a masked Loop) and the Euler–Maclaurin tail. Loops that stop early in the kernel
 * are unrolled with a "done" mask, so the same terms are summed. All in float64; the series'
 * coefficients come from the kernels' own ζ at export time.
 *
 * @category primitives
 * @since 0.2.0
 */
import { ROOT_HI, ROOT_LO, zeta as zetaKernel } from '../../ndarray/kernels/special/gamma'
import { B2K, EM, EPS, EULER, factorial, LOG_SQRT_2PI } from '../../ndarray/kernels/special/shared'
import type { NoParams } from '../primitive'
import type { OnnxRule } from '../onnxRule'
import { float64Rule, type OnnxMath } from './onnxMath'
import type { PolygammaParams } from './special'

/** x % 2 reduced to [−½, ½] for sin(πx) (exact, as the kernel's `sinpi`). */
const sinpi = (m: OnnxMath, x: string): string => {
  const r0 = m.emit.op('Mod', [x, m.c(2)], { fmod: { int: 1 } })
  const r1 = m.chain(
    [
      [m.gt(r0, 1), m.sub(r0, 2)],
      [m.lt(r0, -1), m.add(r0, 2)],
    ],
    r0,
  )
  const r = m.chain(
    [
      [m.gt(r1, 0.5), m.rsub(1, r1)],
      [m.lt(r1, -0.5), m.rsub(-1, r1)],
    ],
    r1,
  )
  return m.f('Sin', m.mul(r, Math.PI))
}

/** cos(πx) with the argument reduced exactly (the kernel's `cospi`). */
const cospi = (m: OnnxMath, x: string): string => {
  const r0 = m.f('Abs', m.emit.op('Mod', [x, m.c(2)], { fmod: { int: 1 } }))
  const r = m.where(m.gt(r0, 1), m.rsub(2, r0), r0)
  return m.chain(
    [
      [m.lt(r, 0.25), m.f('Cos', m.mul(r, Math.PI))],
      [m.gt(r, 0.75), m.f('Neg', m.f('Cos', m.mul(m.rsub(1, r), Math.PI)))],
    ],
    m.f('Sin', m.mul(m.rsub(0.5, r), Math.PI)),
  )
}

/** Σ terms[j] while the kernel's loop would go on: term j is added unless an earlier one met `small`. */
const sumUntil = (
  m: OnnxMath,
  start: string,
  count: number,
  term: (j: number) => string,
  small: (term: string, sum: string) => string,
): string => {
  let sum = start
  let done: string | undefined
  for (let j = 0; j < count; j++) {
    const t = term(j)
    const next = done === undefined ? m.add(sum, t) : m.where(done, sum, m.add(sum, t))
    const stop = small(t, next)
    done = done === undefined ? stop : m.or(done, stop)
    sum = next
  }
  return sum
}

let zetaMinusOne: ReadonlyArray<number> = []

/** lnΓ(2 + z) for |z| ≤ ½: (1 − γ)z + Σₖ≥₂ (−z)ᵏ (ζ(k) − 1)/k, stopping where the kernel stops. */
export const lgamma2p = (m: OnnxMath, z: string): string => {
  if (zetaMinusOne.length === 0) zetaMinusOne = Array.from({ length: 40 }, (_, i) => zetaKernel(i + 2, 2))
  const pows: string[] = [m.mul(z, z)]
  for (let k = 1; k < 40; k++) pows.push(m.mul(pows[k - 1] as string, z))
  const sum = sumUntil(
    m,
    m.mul(z, 0),
    40,
    (j) => m.div(m.mul(pows[j] as string, (j % 2 ? -1 : 1) * (zetaMinusOne[j] ?? 0)), j + 2),
    (t, s) => m.le(m.f('Abs', t), m.mul(m.f('Abs', s), EPS * 0.01)),
  )
  return m.add(m.mul(z, 1 - EULER), sum)
}

/** Stirling's correction μ(x) for x ≥ 10. */
export const stirling = (m: OnnxMath, x: string): string => {
  const coefs = B2K.slice(0, B2K.length - 2).map((b, k) => b / ((2 * k + 2) * (2 * k + 1)))
  return m.div(m.horner(m.rdiv(1, m.mul(x, x)), coefs), x)
}

/** lnΓ(x) for x > 0 (others give any value; NaN, inf pass through). */
export const lgammaPos = (m: OnnxMath, x: string): string => {
  // below 10: x brought down by the recurrence to [1.5, 2.5) with the product of the steps
  let z = m.domain(m.lt(x, 10), x, 2)
  let prod = m.add(m.mul(z, 0), 1)
  for (let i = 0; i < 8; i++) {
    const go = m.ge(z, 2.5)
    const zn = m.sub(z, 1)
    prod = m.where(go, m.mul(prod, zn), prod)
    z = m.where(go, zn, z)
  }
  const arg = m.chain(
    [
      [m.lt(x, 0.5), x],
      [m.lt(x, 1.5), m.sub(x, 1)],
      [m.lt(x, 2.5), m.sub(x, 2)],
    ],
    m.sub(z, 2),
  )
  const g = lgamma2p(m, m.domain(m.lt(x, 10), arg, 0))
  const big = m.domain(m.ge(x, 10), x, 10)
  const lx = m.log(big)
  const stir = m.add(m.add(m.sub(m.mul(big, m.sub(lx, 1)), m.mul(lx, 0.5)), LOG_SQRT_2PI), stirling(m, big))
  return m.chain(
    [
      [m.lt(x, 0.5), m.sub(m.sub(g, m.log1p(x)), m.log(x))],
      [m.lt(x, 1.5), m.sub(g, m.log1p(m.sub(x, 1)))],
      [m.lt(x, 2.5), g],
      [m.lt(x, 10), m.add(m.log(prod), g)],
    ],
    stir,
  )
}

const isInteger = (m: OnnxMath, x: string): string => m.eq(x, m.f('Floor', x))

/** log|Γ(x)|: +inf at 0, −1, −2, …, reflection below 0. */
export const lgammaOnnx: OnnxRule<NoParams> = float64Rule((m, [x]) => {
  const xs = x as string
  const neg = m.domain(m.le(xs, 0), xs, -0.5)
  const reflected = m.sub(m.log(m.rdiv(Math.PI, m.f('Abs', sinpi(m, neg)))), lgammaPos(m, m.rsub(1, neg)))
  return m.chain(
    [
      [m.or(m.f('IsNaN', xs), m.eq(xs, Infinity)), xs],
      [m.eq(xs, -Infinity), -Infinity],
      [m.and(m.le(xs, 0), isInteger(m, xs)), Infinity],
      [m.le(xs, 0), reflected],
    ],
    lgammaPos(m, m.domain(m.gt(xs, 0), xs, 1)),
  )
})

let rootTaylor: ReadonlyArray<number> = []

/** ψ(x) for x > 0. */
const digammaPos = (m: OnnxMath, x: string): string => {
  if (rootTaylor.length === 0)
    rootTaylor = Array.from({ length: 44 }, (_, i) => (i % 2 ? -1 : 1) * zetaKernel(i + 2, ROOT_HI))
  const t = m.sub(x, ROOT_HI)
  let acc = m.mul(t, 0)
  for (let k = rootTaylor.length - 1; k >= 0; k--) acc = m.mul(m.add(acc, rootTaylor[k] ?? 0), t)
  const nearRoot = m.sub(acc, (rootTaylor[0] ?? 0) * ROOT_LO)
  let y = x
  let shift = m.mul(x, 0)
  for (let i = 0; i < 10; i++) {
    const go = m.lt(y, 10)
    shift = m.where(go, m.add(shift, m.rdiv(1, y)), shift)
    y = m.where(go, m.add(y, 1), y)
  }
  const r = m.rdiv(1, m.mul(y, y))
  const sum = m.horner(
    r,
    B2K.slice(0, 8).map((b, k) => b / (2 * k + 2)),
  )
  const asym = m.sub(m.sub(m.sub(m.log(y), m.div(m.c(0.5), y)), m.mul(sum, r)), shift)
  return m.where(m.lt(m.f('Abs', t), 0.5), nearRoot, asym)
}

/** ψ(x): ∓inf at ±0, NaN at negative integers and −inf, reflection below 0. */
export const digamma = (m: OnnxMath, x: string): string => {
  const neg = m.domain(m.lt(x, 0), x, -0.5)
  const reflected = m.sub(digammaPos(m, m.rsub(1, neg)), m.div(m.mul(cospi(m, neg), Math.PI), sinpi(m, neg)))
  return m.chain(
    [
      [m.or(m.f('IsNaN', x), m.eq(x, Infinity)), x],
      [m.eq(x, 0), m.where(m.lt(m.rdiv(1, x), 0), Infinity, -Infinity)],
      [m.and(m.lt(x, 0), isInteger(m, x)), NaN],
      [m.lt(x, 0), reflected],
    ],
    digammaPos(m, m.domain(m.gt(x, 0), x, 1)),
  )
}

export const digammaOnnx: OnnxRule<NoParams> = float64Rule((m, [x]) => digamma(m, x as string))

/** The Euler–Maclaurin tail Σₖ≥₀ (a + k)⁻ˢ for a ≥ max(10, s), stopping where the kernel stops. */
const zetaTail = (m: OnnxMath, s: string, a: string): string => {
  const head = m.add(m.div(m.pow(a, m.rsub(1, s)), m.sub(s, 1)), m.mul(m.pow(a, m.f('Neg', s)), 0.5))
  const rises: string[] = [m.mul(s, m.pow(a, m.rsub(-1, s)))]
  const a2 = m.mul(a, a)
  for (let j = 0; j + 1 < EM.length; j++) {
    const f = m.div(m.mul(m.add(s, 2 * j + 1), m.add(s, 2 * j + 2)), a2)
    rises.push(m.mul(rises[j] as string, f))
  }
  return sumUntil(
    m,
    head,
    EM.length,
    (j) => m.mul(rises[j] as string, EM[j] ?? 0),
    (t, sum) => m.le(m.f('Abs', t), m.mul(m.f('Abs', sum), EPS)),
  )
}

/** ζ(s, q) by the kernel's direct sum and tail, with its special values. */
const zeta = (m: OnnxMath, s: string, q: string): string => {
  const special = m.or(m.or(m.f('IsNaN', s), m.f('IsNaN', q)), m.or(m.le(s, 1), m.f('IsInf', s)))
  const ss = m.domain(special, 2, s)
  const qs = m.domain(m.or(m.f('IsInf', q), m.and(m.le(q, 0), isInteger(m, q))), 1, q)
  const aMin = m.add(m.emit.op('Max', [ss, m.c(10)]), 20)
  const zero = m.mul(qs, 0)
  const [sum, k, early] = m.loop([zero, zero, zero], 1e9, (l, [sv, kv]) => {
    const at = l.add(qs, kv as string)
    const term = l.pow(at, l.f('Neg', ss))
    const next = l.add(sv as string, term)
    const stop = l.or(
      l.or(l.le(l.f('Abs', term), l.mul(l.f('Abs', next), EPS)), l.or(l.f('IsInf', next), l.f('IsNaN', next))),
      l.and(l.eq(next, 0), l.gt(at, 1)),
    )
    return { run: l.lt(at, aMin), next: [next, l.add(kv as string, 1), l.where(stop, 1, 0)], stop }
  })
  const full = m.where(
    m.eq(early as string, 1),
    sum as string,
    m.add(sum as string, zetaTail(m, ss, m.add(qs, k as string))),
  )
  const qInt = isInteger(m, q)
  return m.chain(
    [
      [m.eq(s, 1), Infinity],
      [m.or(m.or(m.f('IsNaN', s), m.f('IsNaN', q)), m.lt(s, 1)), NaN],
      [m.and(m.le(q, 0), qInt), Infinity],
      [m.and(m.le(q, 0), m.not(isInteger(m, s))), NaN],
      [
        m.eq(s, Infinity),
        m.chain(
          [
            [m.lt(q, 1), Infinity],
            [m.eq(q, 1), 1],
          ],
          0,
        ),
      ],
      [m.eq(q, Infinity), 0],
    ],
    full,
  )
}

export const zetaOnnx: OnnxRule<NoParams> = float64Rule((m, [s, q]) => zeta(m, s as string, q as string))

/** ψ⁽ⁿ⁾(x): digamma for n = 0, (−1)ⁿ⁺¹ n! ζ(n + 1, x) for integer n ≥ 1, NaN otherwise. */
export const polygammaOnnx: OnnxRule<PolygammaParams> = float64Rule((m, [x], { m: n }) => {
  const xs = x as string
  if (!Number.isInteger(n) || n < 0) return m.add(m.mul(xs, 0), NaN)
  if (n === 0) return digamma(m, xs)
  return m.mul(zeta(m, m.where(m.all(xs), n + 1, n + 1), xs), (n % 2 ? 1 : -1) * factorial(n))
})
