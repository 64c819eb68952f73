/**
 * ONNX export rule of `regularized_incomplete_beta` I_x(a, b), following
 * `src/ndarray/kernels/special/beta.ts`: SciPy's edge values, the symmetry
 * I_x(a, b) = 1 − I_{1−x}(b, a) chosen where x ≥ (a + 1)/(a + b + 2), the prefactor
 * xᵃ(1 − x)ᵇ/(a·B(a, b)) in log space, and the continued fraction (DLMF 8.17.22) by modified Lentz
 * (its two sub-steps per iteration, the 1e-300 guards, at most 3000 iterations) as a masked ONNX
 * `Loop` stopping where the kernel stops. Float64 throughout.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { NoParams } from '../primitive'
import type { OnnxRule } from '../onnxRule'
import { lgammaPositive } from './onnxIgamma'
import { float64Rule, type OnnxMath } from './onnxMath'

const EPS = 1e-16
const TINY = 1e-300
const MAX_TERMS = 3000

/** v, or TINY where |v| < TINY. */
const guard = (m: OnnxMath, v: string): string => m.where(m.lt(m.f('Abs', v), TINY), TINY, v)

/** The continued fraction of I_x(a, b) by Lentz, as the kernel's `fraction`. */
const fraction = (m: OnnxMath, a: string, b: string, x: string): string => {
  const ab = m.add(a, b)
  const d0 = m.rdiv(1, guard(m, m.rsub(1, m.div(m.mul(ab, x), m.add(a, 1)))))
  const one = m.add(m.mul(x, 0), 1)
  const [, , h] = m.loop([one, d0, d0], MAX_TERMS, (l, [c, d, hv], trip) => {
    const k = l.add(trip, 1)
    const k2 = l.mul(k, 2)
    const am2 = l.add(a, k2)
    const even = l.div(l.mul(l.mul(k, l.sub(b, k)), x), l.mul(l.sub(am2, 1), am2))
    const odd = l.div(l.mul(l.mul(l.f('Neg', l.add(a, k)), l.add(ab, k)), x), l.mul(am2, l.add(am2, 1)))
    let [cv, dv, h] = [c as string, d as string, hv as string]
    for (const coef of [even, odd]) {
      dv = guard(l, l.add(l.mul(coef, dv), 1))
      cv = guard(l, l.add(l.div(coef, cv), 1))
      dv = l.rdiv(1, dv)
      h = l.mul(h, l.mul(dv, cv))
    }
    return { run: l.all(x), next: [cv, dv, h], stop: l.lt(l.f('Abs', l.sub(l.mul(dv, cv), 1)), EPS) }
  })
  return h as string
}

/**
 * lnΓ(a), lnΓ(b), lnΓ(a + b) written once: the three stacked on a new leading axis.
 * Returns log B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b).
 */
const betaln = (m: OnnxMath, a: string, b: string): string => {
  const axis0 = m.emit.ints([0])
  const stacked = m.emit.op(
    'Concat',
    [a, b, m.add(a, b)].map((v) => m.emit.op('Unsqueeze', [v, axis0])),
    { axis: { int: 0 } },
  )
  const lg = lgammaPositive(m, stacked)
  const at = (i: number): string => m.emit.op('Gather', [lg, m.emit.scalar(i, 'int64')], { axis: { int: 0 } })
  return m.sub(m.add(at(0), at(1)), at(2))
}

/** I_x(a, b) for 0 < x < 1 on the fast side: exp(a log x + b log1p(−x) − log B)·(fraction/a). */
const direct = (m: OnnxMath, a: string, b: string, x: string): string => {
  const logPre = m.sub(m.add(m.mul(a, m.log(x)), m.mul(b, m.log1p(m.f('Neg', x)))), betaln(m, a, b))
  return m.mul(m.f('Exp', logPre), m.div(fraction(m, a, b, x), a))
}

/** `regularized_incomplete_beta` (SciPy `betainc`): NaN outside a, b > 0, 0 ≤ x ≤ 1. */
export const betaincOnnx: OnnxRule<NoParams> = float64Rule((m, [a, b, x]) => {
  const [av, bv, xv] = [a as string, b as string, x as string]
  const nan = m.or(m.or(m.f('IsNaN', av), m.f('IsNaN', bv)), m.f('IsNaN', xv))
  const outside = m.or(m.or(m.le(av, 0), m.le(bv, 0)), m.or(m.lt(xv, 0), m.gt(xv, 1)))
  const infinite = m.or(m.f('IsInf', av), m.f('IsInf', bv))
  const fine = m.not(m.or(m.or(nan, outside), m.or(infinite, m.or(m.eq(xv, 0), m.eq(xv, 1)))))
  const [as, bs, xs] = [m.domain(fine, av, 1), m.domain(fine, bv, 1), m.domain(fine, xv, 0.5)]
  const swap = m.not(m.lt(xs, m.div(m.add(as, 1), m.add(m.add(as, bs), 2))))
  const r = direct(m, m.where(swap, bs, as), m.where(swap, as, bs), m.where(swap, m.rsub(1, xs), xs))
  return m.chain(
    [
      [m.or(nan, outside), NaN],
      [m.eq(xv, 0), 0],
      [m.eq(xv, 1), 1],
      [infinite, NaN],
    ],
    m.where(swap, m.rsub(1, r), r),
  )
})
