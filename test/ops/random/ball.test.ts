/**
 * random.ball and random.generalizedNormal with a fixed key: for a uniform point in the unit
 * p-ball in d dimensions P(‖x‖ₚ ≤ r) = rᵈ, so ‖x‖ₚᵈ is uniform on [0, 1] (KS distance below the
 * 0.1 % critical value 1.95/√n); generalized-normal draws are checked by the KS distance to
 * the Laplace CDF (p = 1) and the normal N(0, 1/2) CDF (p = 2), both from scipy.stats. Draws are
 * the same eagerly and under jit.
 */
import { describe, expect, it } from 'vitest'
import { array, jit, random, scipy, ValueError, type NdArray } from '../../../src/index'

const N = 3000
const key = random.key(7)
const f64 = { dtype: 'float64' } as const
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)
const ksUniform = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return Math.max(...s.map((f, i) => Math.max((i + 1) / s.length - f, f - i / s.length)))
}
const ks = (xs: number[], cdf: (x: NdArray) => NdArray): number => {
  const s = [...xs].sort((a, b) => a - b)
  const F = vals(cdf(array(s, f64)))
  return Math.max(...F.map((f, i) => Math.max((i + 1) / s.length - f, f - i / s.length)))
}
const KS_CRIT = 1.95 / Math.sqrt(N)

describe('random.ball', () => {
  it.each([
    [3, 2],
    [2, 1],
    [4, 3.5],
  ])('d = %d, p = %s: inside the ball, ‖x‖ₚᵈ uniform', (d, p) => {
    const x = random.ball(key, d, p, [N], f64)
    expect(x.shape).toEqual([N, d])
    const v = vals(x)
    const norms = Array.from({ length: N }, (_, i) =>
      Math.pow(
        v.slice(i * d, (i + 1) * d).reduce((s, c) => s + Math.abs(c) ** p, 0),
        1 / p,
      ),
    )
    expect(Math.max(...norms)).toBeLessThanOrEqual(1)
    expect(ksUniform(norms.map((r) => r ** d))).toBeLessThan(KS_CRIT)
  })

  it('defaults (p = 2, one point), same draws under jit, and bad arguments', () => {
    expect(random.ball(key, 5).shape).toEqual([5])
    const eager = vals(random.ball(key, 3, 2, [4]))
    expect(vals(jit((k: NdArray) => random.ball(k, 3, 2, [4]))(key))).toEqual(eager)
    expect(() => random.ball(key, 0)).toThrow(new ValueError('random.ball: d must be a positive integer, got 0'))
    expect(() => random.ball(key, 2, -1)).toThrow('random.ball: p must be a positive finite number, got -1')
  })
})

describe('random.generalizedNormal', () => {
  it('p = 1 is Laplace(0, 1), p = 2 is N(0, 1/2)', () => {
    const lap = vals(random.generalizedNormal(key, 1, [N], f64))
    expect(ks(lap, (x) => scipy.stats.laplace.cdf(x))).toBeLessThan(KS_CRIT)
    const nor = vals(random.generalizedNormal(key, 2, [N], f64))
    expect(ks(nor, (x) => scipy.stats.norm.cdf(x, 0, Math.SQRT1_2))).toBeLessThan(KS_CRIT)
  })
})
