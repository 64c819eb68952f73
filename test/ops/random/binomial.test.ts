/**
 * random.binomial and random.multinomial (src/ops/random/binomial.ts): samples KS-tested against
 * scipy.stats.binom.cdf (fixtures/binomial.py → binomial.json) on both samplers (inversion below
 * n·min(p, 1−p) = 10, BTRS above) and the p > 1/2 reflection; multinomial rows sum to n and their
 * marginals are binomial; same numbers eagerly, under jit and vmap over keys; invalid parameters.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, jit, random, sum, vmap, type NdArray } from '../../../src/index'
import { f64, vals } from './sampleStats'

interface Case {
  readonly n: number
  readonly p: number
  readonly cdf: number[]
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/binomial.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>

/** sup_k |F_n(k) − F(k)| over the support: the KS distance of integer samples to a discrete CDF. */
const ksDiscrete = (xs: number[], cdf: number[]): number => {
  const counts = new Array<number>(cdf.length).fill(0)
  for (const x of xs) counts[x] = (counts[x] ?? 0) + 1
  let acc = 0
  return Math.max(...cdf.map((f, k) => Math.abs((acc += counts[k] ?? 0) / xs.length - f)))
}
// 0.1 % level of the continuous KS test; conservative for a discrete law
const critical = (m: number): number => 1.95 / Math.sqrt(m)
const N = 4000

describe('random.binomial', () => {
  it.each(['7_0.3', '40_0.3', '25_0.85', '1000_0.4', '5000_0.02', '60_0.5'])('matches Binomial %s (KS)', (name) => {
    // Arrange
    const c = fx[name] as Case
    // Act
    const xs = vals(random.binomial(random.key(7), c.n, c.p, [N], f64))
    // Assert
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= c.n)).toBe(true)
    expect(ksDiscrete(xs, c.cdf)).toBeLessThan(critical(N))
  })
  it('the KS check can fail: the samples reject a neighbouring law', () => {
    const c = fx['1000_0.4'] as Case
    const xs = vals(random.binomial(random.key(7), c.n, 0.41, [N], f64))
    expect(ksDiscrete(xs, c.cdf)).toBeGreaterThan(critical(N))
  })
  it('broadcasts n and p, and gives NaN for invalid parameters (as JAX)', () => {
    const x = random.binomial(random.key(1), array([-1, 3, 0, 4, NaN, 5]), array([0.5, 1.5, 0.3, 1, 0.5, 0]))
    expect(x.dtype).toBe('float32')
    expect(vals(x)).toEqual([NaN, NaN, 0, 4, NaN, 0])
    expect(random.binomial(random.key(1), array([[10], [20]]), array([0.1, 0.9])).shape).toEqual([2, 2])
    expect(random.binomial(random.key(1), 10, array([0.1, 0.9]), [3, 2]).shape).toEqual([3, 2])
  })
  it('gives the same numbers eagerly, under jit and per key under vmap', () => {
    const f = (k: NdArray): NdArray => random.binomial(k, array([3, 50, 400]), 0.35, undefined, f64)
    const k = random.key(3)
    expect(vals(jit(f)(k))).toEqual(vals(f(k)))
    const keys = random.split(k, 3)
    const rows = [0, 1, 2].map((i) => vals(f(keys.at(i).get())))
    expect(vmap(f)(keys).toArray()).toEqual(rows)
  })
  it('rejects bad input', () => {
    expect(() => random.binomial(random.key(0), array([1, 2]), 0.5, [3])).toThrow(
      /random\.binomial: Incompatible shapes for broadcasting: shapes=\[\(3,\), \(2,\)\]/,
    )
    expect(() => random.binomial(random.key(0), 3, 0.5, [2], { dtype: 'int32' as 'float32' })).toThrow(/float dtype/)
    expect(() => random.binomial(array([1, 2, 3]), 3, 0.5)).toThrow(/binomial/)
  })
})

describe('random.multinomial', () => {
  it('rows sum to n and each count is Binomial(n, p_i) (KS)', () => {
    // Arrange
    const p = [0.2, 0.5, 0.3]
    const marg = fx['multinomial_marginals'] as Record<string, number[]>
    // Act
    const x = random.multinomial(random.key(5), 30, array(p), { shape: [N], dtype: 'float64' })
    // Assert
    expect(x.shape).toEqual([N, 3])
    expect(new Set(vals(sum(x, { axis: -1 })))).toEqual(new Set([30]))
    const rows = x.toArray() as number[][]
    p.forEach((pi, i) => {
      expect(
        ksDiscrete(
          rows.map((r) => r[i] as number),
          marg[String(pi)] as number[],
        ),
      ).toBeLessThan(critical(N))
    })
  })
  it('broadcasts n over p.shape[:-1], handles zero probabilities, and stages under jit', () => {
    const x = random.multinomial(
      random.key(2),
      array([5, 50]),
      array([
        [0.5, 0, 0.5],
        [0, 0, 1],
      ]),
    )
    expect(x.shape).toEqual([2, 3])
    const r = x.toArray() as number[][]
    expect([r[0]![1], r[1]]).toEqual([0, [0, 0, 50]])
    expect((r[0]![0] as number) + (r[0]![2] as number)).toBe(5)
    const f = (k: NdArray): NdArray => random.multinomial(k, 20, array([0.1, 0.6, 0.3]), { shape: [4] })
    expect(jit(f)(random.key(9)).toArray()).toEqual(f(random.key(9)).toArray())
    expect(() => random.multinomial(random.key(0), 3, 0.5)).toThrow(/at least one axis/)
  })
})
