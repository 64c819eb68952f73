/**
 * scipy.special.bernoulli against SciPy 1.10 (test/fixtures/scipy/bernoulli.json, made by
 * scripts/fixtures/scipy_bernoulli.py) to float32 rounding, and its refusals.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { scipy, ValueError } from '../../../src/index'

const fx = JSON.parse(readFileSync(new URL('../../fixtures/scipy/bernoulli.json', import.meta.url), 'utf8')) as {
  b40: number[]
}

describe('scipy.special.bernoulli', () => {
  it('matches SciPy to float32 rounding for n = 0…40', () => {
    const got = scipy.special.bernoulli(40)
    expect(got.dtype).toBe('float32')
    ;(got.toArray() as number[]).forEach((v, i) => {
      const w = fx.b40[i] as number
      expect(Math.abs(v - w)).toBeLessThanOrEqual(2 ** -23 * Math.abs(w))
    })
    expect(scipy.special.bernoulli(0).toArray()).toEqual([1])
    expect(scipy.special.bernoulli(2).toArray()).toEqual([1, -0.5, Math.fround(1 / 6)])
  })
  it('refuses a negative or fractional n', () => {
    expect(() => scipy.special.bernoulli(-1)).toThrow(/non-negative integer/)
    expect(() => scipy.special.bernoulli(2.5)).toThrow(ValueError)
  })
})
