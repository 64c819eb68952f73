/**
 * The later jax.random samplers with a fixed key: the Kolmogorov–Smirnov distance to the CDF
 * (from scipy.stats, itself checked against SciPy, or the closed form) below the 0.1 % critical
 * value 1.95/√n, sample moments within a few standard errors, shapes, dtypes, determinism per
 * key, and reparameterised gradients. The draws are not JAX's bit for bit, so no test asks that.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, jit, mean, random, scipy, DTypeError, type NdArray } from '../../../src/index'
import { f64, ks, ksCritical, moments, vals } from './sampleStats'

const N = 4000
const key = random.key(7)
const st = scipy.stats

const KS_CRIT = ksCritical(N)
const map = (x: NdArray, f: (v: number) => number): NdArray => array(vals(x).map(f), f64)

describe('continuous samplers: KS distance and moments', () => {
  const triCdf = (v: number): number => (v < 1 ? v ** 2 / 4 : 1 - (4 - v) ** 2 / 12)
  const cases: ReadonlyArray<readonly [string, () => NdArray, (x: NdArray) => NdArray, number, number]> = [
    [
      'lognormal',
      () => random.lognormal(key, 0.5, [N], f64),
      (x) => st.norm.cdf(map(x, (v) => Math.log(v) / 0.5)),
      Math.exp(0.125),
      (Math.exp(0.25) - 1) * Math.exp(0.25),
    ],
    ['pareto', () => random.pareto(key, 4, [N], f64), (x) => st.pareto.cdf(x, 4), 4 / 3, 4 / (9 * 2)],
    [
      'weibullMin',
      () => random.weibullMin(key, 2, 1.5, [N], f64),
      (x) => map(x, (v) => 1 - Math.exp(-((v / 2) ** 1.5))),
      1.805490585901867, // 2·Γ(1 + 1/1.5) (SciPy)
      1.5027611392557279, // 4·(Γ(1 + 2/1.5) − Γ(1 + 1/1.5)²)
    ],
    [
      'maxwell',
      () => random.maxwell(key, [N], f64),
      (x) =>
        st.chi2.cdf(
          map(x, (v) => v * v),
          3,
        ),
      2 * Math.sqrt(2 / Math.PI),
      3 - 8 / Math.PI,
    ],
    ['chisquare', () => random.chisquare(key, 3.5, [N], f64), (x) => st.chi2.cdf(x, 3.5), 3.5, 7],
    [
      'loggamma (a = 2.5)',
      () => random.loggamma(key, 2.5, [N], f64),
      (x) => st.gamma.cdf(map(x, Math.exp), 2.5),
      0.7031566406452432,
      0.4903577561002349,
    ],
    [
      'loggamma (a = 0.3)',
      () => random.loggamma(key, 0.3, [N], f64),
      (x) => st.gamma.cdf(map(x, Math.exp), 0.3),
      -3.502524222200133,
      12.245364546107734,
    ],
    ['triangular', () => random.triangular(key, 0, 1, 4, [N], f64), (x) => map(x, triCdf), 5 / 3, (16 + 1 - 4) / 18],
  ]
  // moments of loggamma: ψ(a) and ψ′(a) (SciPy's digamma and polygamma(1, a))
  it.each(cases)('%s', (_, draw, cdf, m, v) => {
    const xs = vals(draw())
    expect(ks(xs, cdf)).toBeLessThan(KS_CRIT)
    const [sm, sv] = moments(xs)
    expect(Math.abs(sm - m)).toBeLessThan(5 * Math.sqrt(v / N))
    expect(Math.abs(sv / v - 1)).toBeLessThan(0.15)
  })
})

describe('geometric', () => {
  it('frequencies and moments of a fixed key', () => {
    const x = random.geometric(key, 0.3, [N])
    expect(x.dtype).toBe('int32')
    const xs = vals(x)
    const [m, v] = moments(xs)
    expect(Math.abs(m - 1 / 0.3)).toBeLessThan(5 * Math.sqrt(0.7 / 0.09 / N))
    expect(Math.abs(v / (0.7 / 0.09) - 1)).toBeLessThan(0.15)
    for (const k of [1, 2, 3]) {
      const freq = xs.filter((y) => y === k).length / N
      const p = 0.7 ** (k - 1) * 0.3
      expect(Math.abs(freq - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N))
    }
    expect(Math.min(...xs)).toBe(1)
  })

  it('dtype int64, the shape of p, and a bad dtype', () => {
    const x = random.geometric(key, array([0.2, 0.5, 0.9], f64), undefined, { dtype: 'int64' })
    expect([x.dtype, x.shape]).toEqual(['int64', [3]])
    expect(() => random.geometric(key, 0.5, [2], { dtype: 'float32' as never })).toThrow(DTypeError)
    expect(() => random.geometric(key, 0.5, [2], { size: 2 } as never)).toThrow(/size/)
  })
})

describe('shapes, dtypes and determinism', () => {
  const draws: ReadonlyArray<readonly [string, (k: NdArray) => NdArray]> = [
    ['lognormal', (k) => random.lognormal(k, 1, [2, 3])],
    ['pareto', (k) => random.pareto(k, 2, [2, 3])],
    ['weibullMin', (k) => random.weibullMin(k, 1, 2, [2, 3])],
    ['maxwell', (k) => random.maxwell(k, [2, 3])],
    ['chisquare', (k) => random.chisquare(k, 2, [2, 3])],
    ['loggamma', (k) => random.loggamma(k, 2, [2, 3])],
    ['triangular', (k) => random.triangular(k, 0, 0.5, 1, [2, 3])],
  ]
  it.each(draws)('%s', (_, f) => {
    const [k1, k2] = random.split(key)
    const a = f(k1)
    expect([a.shape, a.dtype]).toEqual([[2, 3], 'float32'])
    expect(f(k1).toArray()).toEqual(a.toArray())
    expect(jit(f)(k1).toArray()).toEqual(a.toArray())
    expect(f(k2).toArray()).not.toEqual(a.toArray())
  })

  it("shape undefined takes the parameters' broadcast shape; float64 on request", () => {
    expect(random.pareto(key, array([1, 2, 3])).shape).toEqual([3])
    expect(random.lognormal(key, array([[1], [2]])).shape).toEqual([2, 1])
    expect(random.triangular(key, 0, array([0.2, 0.4]), 1).shape).toEqual([2])
    expect(random.chisquare(key, 3, [4], f64).dtype).toBe('float64')
    expect(() => random.maxwell(key, [2], { dtype: 'int32' as never })).toThrow(DTypeError)
  })
})

describe('reparameterised gradients', () => {
  it('lognormal: d mean(exp(σz))/dσ = mean(z·exp(σz))', () => {
    const k = random.key(3)
    const z = vals(random.normal(k, [N], f64))
    const want = z.reduce((a, v) => a + v * Math.exp(0.7 * v), 0) / N
    const g = grad((s: NdArray) => mean(random.lognormal(k, s, [N], f64)))(array(0.7, f64))
    expect(Math.abs((g.item() as number) - want)).toBeLessThan(1e-12)
  })

  it('chisquare: the mean of the implicit gradients in df is close to 1 (E = df)', () => {
    const g = grad((d: NdArray) => mean(random.chisquare(key, d, [N], f64)))(array(3, f64))
    expect(Math.abs((g.item() as number) - 1)).toBeLessThan(0.1)
  })

  it('weibullMin: the draw is linear in scale', () => {
    const g = grad((s: NdArray) => mean(random.weibullMin(key, s, 1.5, [N], f64)))(array(2, f64))
    expect(
      Math.abs((g.item() as number) - (mean(random.weibullMin(key, 1, 1.5, [N], f64)).item() as number)),
    ).toBeLessThan(1e-12)
  })
})

describe('shuffle', () => {
  it('is permutation with independent slices, along the axis', () => {
    const x = array([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ])
    const s = random.shuffle(key, x, 1)
    expect(s.toArray()).toEqual(random.permutation(key, x, { axis: 1, independent: true }).toArray())
    for (const [i, row] of (s.toArray() as number[][]).entries())
      expect([...row].sort()).toEqual((x.toArray() as number[][])[i])
  })
})
