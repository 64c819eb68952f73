/**
 * scipy.stats.gumbelR / gumbelL against SciPy's values (test/fixtures/scipy/gumbel.json, made by
 * scripts/fixtures/scipy_gumbel.py), and the logpdf's derivative in x against float64 finite
 * differences.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, scipy, sum, type NdArray } from '../../../src/index'

interface Fixture {
  readonly x: number[]
  readonly q: number[]
  readonly loc: number
  readonly scale: number
  readonly gumbel_r: Record<string, number[]>
  readonly gumbel_l: Record<string, number[]>
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/scipy/gumbel.json', import.meta.url), 'utf8')) as Fixture
const f64 = (v: number[]): NdArray => array(v, { dtype: 'float64' })
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)

describe.each([
  ['gumbelR', scipy.stats.gumbelR, fx.gumbel_r],
  ['gumbelL', scipy.stats.gumbelL, fx.gumbel_l],
] as const)('%s', (_name, dist, ref) => {
  it.each(['logpdf', 'pdf', 'cdf', 'logcdf', 'sf', 'logsf'] as const)('%s matches SciPy', (m) => {
    const got = vals(dist[m](f64(fx.x), fx.loc, fx.scale))
    got.forEach((v, i) => expect(Math.abs(v - (ref[m]?.[i] as number))).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))))
  })

  it('ppf matches SciPy and differentiates in x', () => {
    const got = vals(dist.ppf(f64(fx.q), fx.loc, fx.scale))
    got.forEach((v, i) => expect(Math.abs(v - (ref.ppf?.[i] as number))).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))))
    checkGrads((x: NdArray) => sum(dist.logpdf(x, fx.loc, fx.scale)), [f64([-1, 0.3, 2])], { order: 2 })
  })
})
