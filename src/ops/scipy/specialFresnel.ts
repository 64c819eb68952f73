/**
 * The Fresnel integrals S(x) = ∫₀ˣ sin(πt²/2) dt and C(x) = ∫₀ˣ cos(πt²/2) dt of
 * `jax.scipy.special` (`fresnel`), for real x. Below |x| = 1.5 their power series (DLMF 7.6.4,
 * 7.6.6); above, C + iS = (1 + i)/2·(1 − erfc(z)) with z = (1 − i)·√π/2·x (DLMF 7.5.7), erfc
 * from its continued fraction (DLMF 7.9.2, in Laplace's even form) evaluated by the modified Lentz
 * method (Press et al., Numerical Recipes, §5.2 and §6.9) in real and imaginary parts. Both are
 * `whileLoop`s, so `fresnel` runs under `jit` and `vmap`; its derivatives are S′ = sin(πx²/2),
 * C′ = cos(πx²/2) (DLMF 7.2.7), to any order. Re-exported by `./special`.
 *
 * @category scipy
 * @since 0.7.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import { customJvp } from '../../transforms/custom'
import { asFloat, type ArrayLike } from '../convert'
import { abs, cos, neg, sin } from '../unary'
import { add, div, equal, greater, less, mul, sub, where } from '../elementwise'
import { epsOf, iterate, notConverged, ones } from './seriesLoop'

/** The series of C and S: Σ (−1)ⁿθ²ⁿx/((2n)!(4n+1)) and Σ (−1)ⁿθ²ⁿ⁺¹x/((2n+1)!(4n+3)), θ = πx²/2. */
const smallSeries = (x: NdArray): [NdArray, NdArray] => {
  const eps = epsOf(x)
  const theta = mul(mul(x, x), Math.PI / 2)
  const th2 = mul(theta, theta)
  const ts0 = mul(x, theta)
  const [c, s] = iterate([x, div(ts0, 3), x, ts0], 60, (k, [c, s, tc, ts]) => {
    const twoK = mul(k, 2)
    const nc = neg(div(mul(tc!, th2), mul(sub(twoK, 1), twoK)))
    const ns = neg(div(mul(ts!, th2), mul(twoK, add(twoK, 1))))
    const dc = div(nc, add(mul(k, 4), 1))
    const ds = div(ns, add(mul(k, 4), 3))
    return [[add(c!, dc), add(s!, ds), nc, ns], notConverged(dc, c!, eps)]
  })
  return [c!, s!]
}

type Complex = readonly [NdArray, NdArray]
const cmul = ([a, b]: Complex, [c, d]: Complex): Complex => [sub(mul(a, c), mul(b, d)), add(mul(a, d), mul(b, c))]
const cinv = ([a, b]: Complex): Complex => {
  const n = add(mul(a, a), mul(b, b))
  return [div(a, n), neg(div(b, n))]
}

/**
 * K = 1/(b₀ − 1·2/(b₁ − 3·4/(b₂ − …))) with bₙ = 2z² + 1 + 4n, 2z² = −iπx² (Lentz's method), so
 * that erfc(z) = 2z/√π·e^{−z²}·K.
 */
const continuedFraction = (x: NdArray): Complex => {
  const eps = epsOf(x)
  const im = mul(mul(x, x), -Math.PI)
  const one = ones(x)
  const zero = sub(one, one)
  const start: NdArray[] = [one, im, one, im, zero, zero]
  const out = iterate(start, 300, (k, [fr, fi, cr, ci, dr, di]) => {
    const an = neg(mul(sub(mul(k, 2), 1), mul(k, 2)))
    const b: Complex = [add(mul(k, 4), 1), im]
    // D = 1/(b + a·D), C = b + a/C, f ← f·C·D
    const dd = cinv([add(b[0], mul(an, dr!)), add(b[1], mul(an, di!))])
    const ic = cinv([cr!, ci!])
    const cc: Complex = [add(b[0], mul(an, ic[0])), add(b[1], mul(an, ic[1]))]
    const delta = cmul(cc, dd)
    const f = cmul([fr!, fi!], delta)
    const change = add(abs(sub(delta[0], 1)), abs(delta[1]))
    return [[f[0], f[1], cc[0], cc[1], dd[0], dd[1]], greater(change, eps)]
  })
  return cinv([out[0]!, out[1]!])
}

/** C and S for |x| ≥ 1.5 (x ≥ 0) through erfc's continued fraction. */
const largeArgument = (x: NdArray): [NdArray, NdArray] => {
  const k = continuedFraction(x)
  const theta = mul(mul(x, x), Math.PI / 2)
  // erfc(z) = (1 − i)·x·e^{iθ}·K
  const e = cmul(cmul([x, neg(x)], [cos(theta), sin(theta)]), k)
  return [mul(add(sub(1, e[0]), e[1]), 0.5), mul(sub(sub(1, e[0]), e[1]), 0.5)]
}

const fresnelValue = (x: NdArray): [NdArray, NdArray] => {
  const ax = abs(x)
  const small = less(ax, 1.5)
  const inf = equal(ax, Infinity)
  const [cs, ss] = smallSeries(where(small, ax, 0))
  const [cl, sl] = largeArgument(where(small, 2, where(inf, 2, ax)))
  const sign = where(less(x, 0), -1, 1)
  const pick = (a: NdArray, b: NdArray): NdArray => mul(sign, where(inf, 0.5, where(small, a, b)))
  return [pick(ss, sl), pick(cs, cl)]
}

const fresnelCall: (x: NdArray) => [NdArray, NdArray] = customJvp(fresnelValue, ([x], [dx]) => {
  const theta = mul(mul(x!, x!), Math.PI / 2)
  const v = fresnelCall(x!)
  return [v, [mul(sin(theta), dx!), mul(cos(theta), dx!)]] as const
})

/**
 * The Fresnel integrals `[S(x), C(x)]`, S = ∫₀ˣ sin(πt²/2) dt, C = ∫₀ˣ cos(πt²/2) dt, for real
 * x (`jax.scipy.special.fresnel`); ±0.5 at ±inf. Differentiable to any order: S′ = sin(πx²/2),
 * C′ = cos(πx²/2).
 * @example
 * import { scipy } from 'wengert'
 * const [s, c] = scipy.special.fresnel(1)
 * assert.ok(Math.abs(Number(s.item()) - 0.4382591) < 1e-6)
 * assert.ok(Math.abs(Number(c.item()) - 0.7798934) < 1e-6)
 * @category scipy @since 0.7.0
 */
export const fresnel = (x: ArrayLike): readonly [NdArray, NdArray] => fresnelCall(asFloat('scipy.special.fresnel', x))
