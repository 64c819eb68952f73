/**
 * scipy.stats.gaussianKde against SciPy 1.10 (test/fixtures/scipy/kde.json, made by
 * scripts/fixtures/scipy_kde.py): one- and two-dimensional data, with and without weights, each
 * bandwidth rule; evaluate/logpdf/integrals; resample's shape and moments; JAX's refusals;
 * gradients in the data against finite differences.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, div, random, scipy, ValueError, type NdArray } from '../../../src/index'

interface Case {
  readonly data: number[] | number[][]
  readonly weights: number[] | null
  readonly bw: 'scott' | 'silverman' | number
  readonly points: number[] | number[][]
  readonly covariance: number[]
  readonly neff: number
  readonly evaluate: number[]
  readonly logpdf: number[]
  readonly integrate_gaussian: number
  readonly mean: number[]
  readonly cov: number[][]
  readonly integrate_box_1d?: number
  readonly other: number[] | number[][]
  readonly integrate_kde: number
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/scipy/kde.json', import.meta.url), 'utf8')) as Record<
  string,
  Case
>
const f64 = (v: number[] | number[][]): NdArray => array(v, { dtype: 'float64' })
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)
const close = (got: number[], want: number[], tol = 1e-11): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) =>
    expect(Math.abs(g - (want[i] as number))).toBeLessThan(tol * Math.max(1, Math.abs(want[i] as number))),
  )
}
const make = (c: Case): scipy.stats.GaussianKde =>
  scipy.stats.gaussianKde(f64(c.data), { bwMethod: c.bw, ...(c.weights === null ? {} : { weights: f64(c.weights) }) })

describe.each(Object.keys(fx))('gaussianKde %s', (name) => {
  const c = fx[name] as Case
  it('matches SciPy: covariance, neff, evaluate, logpdf, pdf, call', () => {
    const k = make(c)
    close(vals(k.covariance), c.covariance)
    close([Number(k.neff.item())], [c.neff])
    close(vals(k.evaluate(f64(c.points))), c.evaluate)
    close(vals(k.pdf(f64(c.points))), c.evaluate)
    close(vals(k.call(f64(c.points))), c.evaluate)
    close(vals(k.logpdf(f64(c.points))), c.logpdf)
  })
  it('matches SciPy: the integrals', () => {
    const k = make(c)
    close([Number(k.integrateGaussian(f64(c.mean), f64(c.cov)).item())], [c.integrate_gaussian])
    if (c.integrate_box_1d !== undefined) close([Number(k.integrateBox1d(-0.5, 1.5).item())], [c.integrate_box_1d])
    close([Number(k.integrateKde(scipy.stats.gaussianKde(f64(c.other))).item())], [c.integrate_kde])
  })
})

describe('gaussianKde', () => {
  const data = f64([-1.3, -0.2, 0, 0.4, 1.1, 2.5, 3])
  it('takes a callable bandwidth, and one d-vector as a point', () => {
    const k = scipy.stats.gaussianKde(data, { bwMethod: (kde) => div(2, kde.neff) })
    const s = scipy.stats.gaussianKde(data, { bwMethod: 2 / 7 })
    close(vals(k.covariance), vals(s.covariance))
    const k2 = scipy.stats.gaussianKde(
      f64([
        [0, 1, 2],
        [1, 0, 3],
      ]),
    )
    expect(k2.evaluate(f64([0.5, 0.5])).shape).toEqual([1])
  })
  it('resamples [d, ...shape] around the data', () => {
    const k = scipy.stats.gaussianKde(
      f64([
        [0, 10, 20],
        [1, 1, 1.5],
      ]),
    )
    const r = k.resample(random.key(0), [2000])
    expect(r.shape).toEqual([2, 2000])
    expect(k.resample(random.key(1), [3, 4]).shape).toEqual([2, 3, 4])
    const xs = (r.toArray() as number[][])[0] as number[]
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 10)).toBeLessThan(1)
  })
  it('refuses bad input as JAX does', () => {
    expect(() => scipy.stats.gaussianKde(f64([1]))).toThrow(/multiple elements/)
    expect(() => scipy.stats.gaussianKde(data, { weights: f64([1, 2]) })).toThrow(/of length n/)
    expect(() => scipy.stats.gaussianKde(data, { bwMethod: 'normal' as 'scott' })).toThrow(ValueError)
    const k = scipy.stats.gaussianKde(data)
    expect(() =>
      k.evaluate(
        f64([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow(/points have dimension 2, dataset has dimension 1/)
    expect(() => k.integrateBox1d(f64([0, 1]), 2)).toThrow(/must be scalars/)
    expect(() => k.integrateBox(0, 1)).toThrow(/only 1D box/)
    expect(() => k.setBandwidth('scott')).toThrow(/not supported/)
    expect(() =>
      k.integrateKde(
        scipy.stats.gaussianKde(
          f64([
            [0, 1, 2],
            [1, 0, 3],
          ]),
        ),
      ),
    ).toThrow(/same dimensionality/)
  })
  it('differentiates the log density in the data and the points', () => {
    checkGrads((d: NdArray, x: NdArray) => scipy.stats.gaussianKde(d).logpdf(x).sum(), [data, f64([0.3, 1.7])], {
      order: 1,
    })
  })
})
