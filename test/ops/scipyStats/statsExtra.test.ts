/**
 * scipy.stats.betabinom / multinomial / wrapcauchy against SciPy 1.10's values
 * (test/fixtures/scipy/statsExtra.json, made by scripts/fixtures/scipy_stats_extra.py), JAX's
 * departures from SciPy (betabinom floors k; multinomial wants integer counts), and the
 * derivatives against float64 finite differences.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, scipy, sum, ValueError, type NdArray } from '../../../src/index'

type Num = number | 'inf' | '-inf' | null
interface Fixture {
  readonly betabinom: { k: number[]; n: number; a: number; b: number; logpmf: Num[]; pmf: Num[] }
  readonly multinomial: { x: number[][]; n: number; p: number[]; logpmf: Num[]; pmf: Num[] }
  readonly wrapcauchy: { x: number[]; c: number; logpdf: Num[]; pdf: Num[] }
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/scipy/statsExtra.json', import.meta.url), 'utf8')) as Fixture
const f64 = (v: number[] | number[][]): NdArray => array(v, { dtype: 'float64' })
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)
const num = (v: Num): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === null ? NaN : v)
const close = (got: number[], want: Num[]): void =>
  got.forEach((g, i) => {
    const w = num(want[i] as Num)
    if (!Number.isFinite(w)) expect(g).toBe(w)
    else expect(Math.abs(g - w)).toBeLessThan(1e-12 * Math.max(1, Math.abs(w)))
  })

describe('betabinom', () => {
  const { k, n, a, b } = fx.betabinom
  it.each(['logpmf', 'pmf'] as const)('%s matches SciPy', (m) =>
    close(vals(scipy.stats.betabinom[m](f64(k), n, a, b)), fx.betabinom[m]),
  )
  it('floors k (as JAX; SciPy gives 0 off the integers) and gives NaN for bad parameters', () => {
    expect(vals(scipy.stats.betabinom.logpmf(f64([2.5]), n, a, b))).toEqual(
      vals(scipy.stats.betabinom.logpmf(f64([2]), n, a, b)),
    )
    expect(
      vals(scipy.stats.betabinom.logpmf(f64([1, 1, 1]), f64([0, 5, 5]), f64([1, -1, 1]), f64([1, 1, -1]))),
    ).toEqual([NaN, NaN, NaN])
    expect(vals(scipy.stats.betabinom.logpmf(f64([3]), n, a, b, 2))[0]).toBeCloseTo(
      vals(scipy.stats.betabinom.logpmf(f64([1]), n, a, b))[0] as number,
      12,
    )
  })
  it('differentiates in a and b', () => {
    checkGrads(
      (A: NdArray, B: NdArray) => sum(scipy.stats.betabinom.logpmf(f64([0, 2, 4]), 5, A, B)),
      [f64([2.3]), f64([0.7])],
      { order: 1 },
    )
  })
})

describe('multinomial', () => {
  const { x, n, p } = fx.multinomial
  it.each(['logpmf', 'pmf'] as const)('%s matches SciPy row by row', (m) =>
    x.forEach((row, i) =>
      close(vals(scipy.stats.multinomial[m](array(row, { dtype: 'int32' }), n, f64(p))), [fx.multinomial[m][i] as Num]),
    ),
  )
  it('is −inf unless the counts sum to n, and refuses float counts', () => {
    expect(scipy.stats.multinomial.logpmf(array([1, 1, 1], { dtype: 'int32' }), 8, f64(p)).item()).toBe(-Infinity)
    expect(() => scipy.stats.multinomial.logpmf(f64([1, 3, 4]), 8, f64(p))).toThrow(ValueError)
    expect(() => scipy.stats.multinomial.logpmf(array([1, 3, 4], { dtype: 'int32' }), 8.5, f64(p))).toThrow(
      /integer type/,
    )
  })
  it('differentiates in p', () => {
    checkGrads((P: NdArray) => scipy.stats.multinomial.logpmf(array([1, 3, 4], { dtype: 'int32' }), 8, P), [f64(p)], {
      order: 2,
    })
  })
})

describe('wrapcauchy', () => {
  const { x, c } = fx.wrapcauchy
  it.each(['logpdf', 'pdf'] as const)('%s matches SciPy', (m) =>
    close(vals(scipy.stats.wrapcauchy[m](f64(x), c)), fx.wrapcauchy[m]),
  )
  it('is −inf off [0, 2π] and NaN for c outside (0, 1)', () => {
    expect(vals(scipy.stats.wrapcauchy.logpdf(f64([-0.1, 7]), c))).toEqual([-Infinity, -Infinity])
    expect(vals(scipy.stats.wrapcauchy.logpdf(f64([1, 1]), f64([0, 1])))).toEqual([NaN, NaN])
  })
  it('differentiates in x and c', () => {
    checkGrads((X: NdArray, C: NdArray) => sum(scipy.stats.wrapcauchy.logpdf(X, C)), [f64([0.5, 3]), f64([0.35])], {
      order: 2,
    })
  })
})
