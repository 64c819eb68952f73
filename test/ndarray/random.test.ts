/**
 * Splittable counter-based random numbers: the Threefry-2x32 block function against Random123's
 * published known-answer vectors, the uniform stream derived from them, keys as values, and the
 * samplers' distributions.
 */
import { describe, expect, it } from 'vitest'
import { DTypeError, ValueError } from '../../src/index'
import * as random from '../../src/ndarray/random'

const values = (x: { toArray(): unknown }): number[] => x.toArray() as number[]
const meanOf = (v: ReadonlyArray<number>): number => v.reduce((a, b) => a + b, 0) / v.length
const varOf = (v: ReadonlyArray<number>): number => {
  const m = meanOf(v)
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length
}

describe('threefry2x32', () => {
  // Random123 known-answer vectors (kat_vectors, threefry2x32_20), as JAX's random tests use them
  it.each([
    { key: [0, 0], ctr: [0, 0], out: [0x6b200159, 0x99ba4efe] },
    { key: [0xffffffff, 0xffffffff], ctr: [0xffffffff, 0xffffffff], out: [0x1cb996fc, 0xbb002be7] },
    { key: [0x13198a2e, 0x03707344], ctr: [0x243f6a88, 0x85a308d3], out: [0xc4923a9c, 0x483df7a0] },
  ])('key $key, counter $ctr', ({ key, ctr, out }) => {
    expect(random.threefry2x32(key[0] as number, key[1] as number, ctr[0] as number, ctr[1] as number)).toEqual(out)
  })
})

describe('keys', () => {
  it('key(0) draws from counter (0, 0): uniform float32 = top 24 bits of each word · 2⁻²⁴', () => {
    // the two words of the zero-key, zero-counter known answer
    const expected = [0x6b200159, 0x99ba4efe].map((w) => (w >>> 8) * 2 ** -24)
    expect(values(random.uniform(random.key(0), [2]))).toEqual(expected)
  })

  it('the same key always gives the same numbers', () => {
    const k = random.key(42)
    expect(values(random.normal(k, [5]))).toEqual(values(random.normal(random.key(42), [5])))
    expect(values(random.uniform(k, [5]))).toEqual(values(random.uniform(k, [5])))
  })

  it('different seeds, including ones past 32 bits, give different streams', () => {
    const a = values(random.uniform(random.key(0), [4]))
    expect(values(random.uniform(random.key(1), [4]))).not.toEqual(a)
    expect(values(random.uniform(random.key(2 ** 32), [4]))).not.toEqual(a)
    expect(values(random.uniform(random.key(-1), [4]))).not.toEqual(a)
  })

  it('split is deterministic and gives distinct keys distinct from the parent', () => {
    const k = random.key(7)
    const [a, b] = random.split(k) as [random.PRNGKey, random.PRNGKey]
    const again = random.split(k)
    expect(String(again[0])).toBe(String(a))
    expect(String(again[1])).toBe(String(b))
    const streams = [k, a, b].map((key) => values(random.uniform(key, [3])))
    expect(new Set(streams.map(String)).size).toBe(3)
    const three = random.split(k, 3)
    expect(three).toHaveLength(3)
    expect(String(three[0])).toBe(String(a))
  })

  it('bad seeds and split counts are ValueErrors', () => {
    expect(() => random.key(1.5)).toThrow(/random.key: seed must be an integer/)
    expect(() => random.split(random.key(0), 0)).toThrow(ValueError)
  })
})

describe('samplers', () => {
  const k = random.key(2024)

  it('uniform: shape, dtype, range [minval, maxval) and moments', () => {
    const u = random.uniform(k, [100, 100])
    expect(u.shape).toEqual([100, 100])
    expect(u.dtype).toBe('float32')
    const v = (u.toArray() as number[][]).flat()
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...v)).toBeLessThan(1)
    // 10⁴ samples: standard error of the mean is 0.003
    expect(Math.abs(meanOf(v) - 0.5)).toBeLessThan(0.015)
    expect(Math.abs(varOf(v) - 1 / 12)).toBeLessThan(0.005)
    const w = values(random.uniform(k, [1000], { minval: -3, maxval: -2, dtype: 'float64' }))
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-3)
    expect(Math.max(...w)).toBeLessThan(-2)
  })

  it('uniform never returns maxval, even where float32 rounding would reach it', () => {
    // [1, 1 + 2⁻²³) holds one float32: 1; lo + (hi − lo)·u rounds up to hi for u > ½
    const v = values(random.uniform(k, [200], { minval: 1, maxval: 1 + 2 ** -23 }))
    expect(v.every((x) => x === 1)).toBe(true)
  })

  it('uniform rejects bad bounds and non-float dtypes', () => {
    expect(() => random.uniform(k, [2], { minval: 1, maxval: 0 })).toThrow(ValueError)
    expect(() => random.uniform(k, [2], { dtype: 'int32' })).toThrow(DTypeError)
  })

  it('normal: standard moments', () => {
    const v = values(random.normal(k, [20000], { dtype: 'float64' }))
    expect(Math.abs(meanOf(v))).toBeLessThan(0.03)
    expect(Math.abs(varOf(v) - 1)).toBeLessThan(0.04)
    // P(|z| > 1.96) = 5%
    const tail = v.filter((z) => Math.abs(z) > 1.96).length / v.length
    expect(Math.abs(tail - 0.05)).toBeLessThan(0.006)
  })

  it('normal is Box–Muller of the uniform float64 stream of the same key', () => {
    // normal(k, [2m]) pairs up uniform(k, [2m]): z₀ = r cos θ, z₁ = r sin θ, r = √(−2 ln(1 − u₀)), θ = 2πu₁
    const n = 64
    const u = values(random.uniform(k, [n], { dtype: 'float64' }))
    const z = values(random.normal(k, [n], { dtype: 'float64' }))
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - (u[i] as number)))
      const t = 2 * Math.PI * (u[i + 1] as number)
      expect(Math.abs((z[i] as number) - r * Math.cos(t))).toBeLessThan(1e-12)
      expect(Math.abs((z[i + 1] as number) - r * Math.sin(t))).toBeLessThan(1e-12)
    }
  })

  it('normal of an odd size is the prefix of the next even size', () => {
    expect(values(random.normal(k, [3]))).toEqual(values(random.normal(k, [4])).slice(0, 3))
    expect(random.normal(k).shape).toEqual([])
    expect(random.normal(k, [2, 3]).dtype).toBe('float32')
  })

  it('bernoulli: bool with the asked probability', () => {
    const b = random.bernoulli(k, 0.3, [10000])
    expect(b.dtype).toBe('bool')
    const frac = (b.toArray() as boolean[]).filter(Boolean).length / 10000
    expect(Math.abs(frac - 0.3)).toBeLessThan(0.015)
    expect((random.bernoulli(k, 0, [50]).toArray() as boolean[]).some(Boolean)).toBe(false)
    expect((random.bernoulli(k, 1, [50]).toArray() as boolean[]).every(Boolean)).toBe(true)
    expect(() => random.bernoulli(k, 1.5, [2])).toThrow(/random.bernoulli: p must be in \[0, 1\]/)
    expect(() => random.bernoulli(k, NaN, [2])).toThrow(ValueError)
  })

  it('randint and permutation', () => {
    const r = values(random.randint(k, [1000], -2, 3))
    expect(new Set(r)).toEqual(new Set([-2, -1, 0, 1, 2]))
    const p = values(random.permutation(k, 10))
    expect([...p].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(p).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('bad shapes are ValueErrors', () => {
    expect(() => random.normal(k, [NaN])).toThrow(ValueError)
    expect(() => random.uniform(k, [1.5])).toThrow(ValueError)
  })
})
