/**
 * Statistical tests of every sampler with a fixed key: sample moments within a few standard
 * errors of the distribution's, and the Kolmogorov–Smirnov distance to the CDF (taken from
 * scipy.stats, itself checked against SciPy) below the 0.1 % critical value 1.95/√n. Plus the
 * reparameterised and implicit gradients of the draws.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, mean, mul, random, scipy, type NdArray } from '../../../src/index'
import { f64, ks, ksCritical, moments, vals } from './sampleStats'

const N = 4000
const key = random.key(2024)

const KS_CRIT = ksCritical(N)

describe('continuous samplers: KS distance and moments', () => {
  const st = scipy.stats
  const cases: ReadonlyArray<readonly [string, () => NdArray, (x: NdArray) => NdArray, number, number]> = [
    [
      'uniform',
      () => random.uniform(key, [N], { minval: -1, maxval: 3, ...f64 }),
      (x) => st.uniform.cdf(x, -1, 4),
      1,
      16 / 12,
    ],
    ['normal', () => random.normal(key, [N], f64), (x) => st.norm.cdf(x), 0, 1],
    ['exponential', () => random.exponential(key, [N], f64), (x) => st.expon.cdf(x), 1, 1],
    ['laplace', () => random.laplace(key, [N], f64), (x) => st.laplace.cdf(x), 0, 2],
    ['logistic', () => random.logistic(key, [N], f64), (x) => st.logistic.cdf(x), 0, Math.PI ** 2 / 3],
    ['cauchy', () => random.cauchy(key, [N], f64), (x) => st.cauchy.cdf(x), NaN, NaN],
    ['gamma(0.5)', () => random.gamma(key, 0.5, [N], f64), (x) => st.gamma.cdf(x, 0.5), 0.5, 0.5],
    ['gamma(4)', () => random.gamma(key, 4, [N], f64), (x) => st.gamma.cdf(x, 4), 4, 4],
    [
      'truncatedNormal',
      () => random.truncatedNormal(key, 0, Infinity, [N], f64),
      (x) => scipy.special.erf(mul(x, Math.SQRT1_2)),
      NaN,
      NaN,
    ],
  ]
  it.each(cases)('%s', (_, draw, cdf, m, v) => {
    const xs = vals(draw())
    expect(ks(xs, cdf)).toBeLessThan(KS_CRIT)
    if (!Number.isNaN(m)) {
      const [sm, sv] = moments(xs)
      expect(Math.abs(sm - m)).toBeLessThan(4 * Math.sqrt(v / N))
      expect(Math.abs(sv / v - 1)).toBeLessThan(0.15)
    }
  })

  it('beta(2, 5) and t(5) moments; dirichlet rows sum to 1 with means α/Σα', () => {
    const [bm] = moments(vals(random.beta(key, 2, 5, [N], f64)))
    expect(Math.abs(bm - 2 / 7)).toBeLessThan(0.01)
    const [tm, tv] = moments(vals(random.t(key, 5, [N], f64)))
    expect(Math.abs(tm)).toBeLessThan(0.07)
    expect(Math.abs(tv / (5 / 3) - 1)).toBeLessThan(0.2)
    const d = random.dirichlet(key, array([1, 2, 7], f64), [N], f64)
    const rows = d.toArray() as number[][]
    expect(rows.every((r) => Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-12)).toBe(true)
    expect(Math.abs(rows.reduce((a, r) => a + (r[2] as number), 0) / N - 0.7)).toBeLessThan(0.01)
  })

  it('multivariateNormal has the covariance asked for (all three methods)', () => {
    for (const method of ['cholesky', 'eigh', 'svd'] as const) {
      const x = random.multivariateNormal(
        key,
        array([1, -1], f64),
        array(
          [
            [2, 0.6],
            [0.6, 1],
          ],
          f64,
        ),
        [N],
        { method },
      )
      const r = x.toArray() as number[][]
      const c = r.reduce((a, [p, q]) => a + ((p as number) - 1) * ((q as number) + 1), 0) / N
      expect(Math.abs(c - 0.6)).toBeLessThan(0.08)
    }
  })
})

describe('discrete samplers: frequencies', () => {
  const freq = (xs: number[], k: number): number => xs.filter((v) => v === k).length / xs.length
  it('bernoulli, randint, categorical, choice with p, poisson', () => {
    expect(Math.abs(freq(vals(random.bernoulli(key, 0.3, [N])), 1) - 0.3)).toBeLessThan(0.03)
    const r = vals(random.randint(key, [N], -2, 3))
    for (let k = -2; k < 3; k++) expect(Math.abs(freq(r, k) - 0.2)).toBeLessThan(0.03)
    const p = [0.1, 0.6, 0.3]
    const c = vals(random.categorical(key, array(p.map(Math.log)), { shape: [N] }))
    p.forEach((pk, k) => expect(Math.abs(freq(c, k) - pk)).toBeLessThan(0.03))
    const ch = vals(random.choice(key, 3, [N], { p: array(p) }))
    p.forEach((pk, k) => expect(Math.abs(freq(ch, k) - pk)).toBeLessThan(0.03))
    for (const lam of [3, 25]) {
      const [m, v] = moments(vals(random.poisson(key, lam, [N])))
      expect(Math.abs(m - lam)).toBeLessThan(4 * Math.sqrt(lam / N))
      expect(Math.abs(v / lam - 1)).toBeLessThan(0.15)
    }
  })

  it('permutation is uniform over positions; choice without replacement has no repeats', () => {
    const keys = random.split(key, 600)
    const first = [...keys].map((k) => vals(random.permutation(k, 4))[0] as number)
    for (let k = 0; k < 4; k++) expect(Math.abs(freq(first, k) - 0.25)).toBeLessThan(0.07)
    const d = vals(random.choice(key, 10, [10], { replace: false }))
    expect(new Set(d).size).toBe(10)
  })
})

describe('gradients of draws', () => {
  it('uniform draws reparameterised: d/dminval of minval + u·(maxval − minval) is 1 − u', () => {
    const z = random.normal(key, [], f64)
    const gs = grad((lo: NdArray) => random.uniform(key, [], { minval: lo, maxval: 5, ...f64 }))(array(1, f64))
    const u = random.uniform(key, [], f64).item() as number
    expect(gs.item()).toBeCloseTo(1 - u, 12)
    expect(Number.isFinite(z.item())).toBe(true)
  })

  it('gamma: the implicit gradient has E[dx/da] = dE[x]/da = 1 and E[2x dx/da] = d(a + a²)/da', () => {
    for (const a of [0.4, 2, 7]) {
      const g = grad((al: NdArray) => mean(random.gamma(key, al, [N], f64)))(array(a, f64)).item() as number
      expect(Math.abs(g - 1)).toBeLessThan(0.06)
      const g2 = grad((al: NdArray) => {
        const x = random.gamma(key, al, [N], f64)
        return mean(mul(x, x))
      })(array(a, f64)).item() as number
      expect(Math.abs(g2 / (1 + 2 * a) - 1)).toBeLessThan(0.1)
    }
  })
})
