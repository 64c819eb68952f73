/**
 * The later scipy.special and scipy.stats names against SciPy 1.10 (fixtures/scipyMore.py makes
 * the JSON), their gradients against float64 central differences, and vmap against a loop.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, scipy, vmap, ValueError, type NdArray } from '../../src/index'
import fixture from './fixtures/scipyMore.json'

const f64 = (v: number): NdArray => array(v, { dtype: 'float64' })
const sp = scipy.special
const st = scipy.stats
type Fn = (...a: NdArray[]) => NdArray
const special: Record<string, Fn> = {
  gamma: sp.gamma,
  gammasgn: sp.gammasgn,
  beta: sp.beta,
  poch: sp.poch,
  factorial: (n) => sp.factorial(n),
  i0: sp.i0,
  i1: sp.i1,
  multigammaln3: (a) => sp.multigammaln(a, 3),
  relEntr: sp.relEntr,
  klDiv: sp.klDiv,
}

const close = (got: number, wanted: number | string, rtol: number): void => {
  const want = Number(wanted)
  if (!Number.isFinite(want)) expect(got).toBe(want)
  else expect(Math.abs(got - want)).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(want)))
}
const closeAll = (got: unknown, want: unknown, rtol: number): void => {
  const g = (got as number[][]).flat()
  ;(want as number[][]).flat().forEach((w, i) => close(g[i]!, w, rtol))
}

describe('scipy.special (more) against SciPy 1.10', () => {
  it.each(Object.entries(fixture.special))('%s', (name, cases) => {
    expect(special[name]).toBeDefined()
    for (const [args, want] of cases as Array<[number[], number | string]>)
      close(special[name]!(...args.map(f64)).item() as number, want, 1e-12)
  })

  it('softmax and logSoftmax over all axes and one axis', () => {
    const x = array(fixture.arrays.x, { dtype: 'float64' })
    closeAll(sp.softmax(x).toArray(), fixture.arrays.softmax, 1e-14)
    closeAll(sp.softmax(x, { axis: 1 }).toArray(), fixture.arrays.softmax1, 1e-14)
    closeAll(sp.logSoftmax(x).toArray(), fixture.arrays.logSoftmax, 1e-14)
    closeAll(sp.logSoftmax(x, { axis: 0 }).toArray(), fixture.arrays.logSoftmax0, 1e-14)
  })

  it('bad arguments raise typed errors', () => {
    expect(() => sp.factorial(3, true)).toThrow(/exact=true is not supported/)
    expect(() => sp.multigammaln(2, 0)).toThrow(ValueError)
    expect(() => sp.softmax(array([1, 2]), { axis: 3 })).toThrow(/softmax/)
    expect(() => sp.softmax(array([1, 2]), { axes: 0 } as never)).toThrow(/axes/)
  })
})

/** Central difference of a scalar function in float64. */
const fd = (f: (x: number) => number, x: number, h = 1e-5): number => (f(x + h) - f(x - h)) / (2 * h)

describe('gradients against float64 central differences', () => {
  const cases: ReadonlyArray<readonly [string, (x: NdArray) => NdArray, number]> = [
    ['gamma', (x) => sp.gamma(x), 2.7],
    ['gamma (negative)', (x) => sp.gamma(x), -1.3],
    ['factorial', (x) => sp.factorial(x), 3.2],
    ['beta in a', (a) => sp.beta(a, f64(2.5)), 1.4],
    ['poch in m', (m) => sp.poch(f64(0.7), m), 3.3],
    ['beta in b (negative)', (b) => sp.beta(f64(-0.5), b), -1.2],
    ['i0', (x) => sp.i0(x), -1.7],
    ['i1', (x) => sp.i1(x), 2.2],
    ['multigammaln', (x) => sp.multigammaln(x, 4), 3.1],
    ['relEntr in p', (p) => sp.relEntr(p, f64(0.7)), 1.3],
    ['klDiv in q', (q) => sp.klDiv(f64(1.3), q), 0.6],
  ]
  it.each(cases)('%s', (_, f, x0) => {
    const g = grad(f)(f64(x0)).item() as number
    close(
      g,
      fd((x) => f(f64(x)).item() as number, x0),
      1e-7,
    )
  })

  it('softmax: the gradient of Σ w·softmax(x) against differences', () => {
    const w = array([0.3, -1.2, 2.0], { dtype: 'float64' })
    const x0 = [0.5, -0.25, 1.5]
    const loss = (x: NdArray): NdArray => scipy.special.logsumexp(sp.logSoftmax(x), { b: w })
    const g = grad(loss)(array(x0, { dtype: 'float64' })).toArray() as number[]
    x0.forEach((_, i) => {
      const at = (v: number): number => {
        const y = [...x0]
        y[i] = v
        return loss(array(y, { dtype: 'float64' })).item() as number
      }
      close(g[i]!, fd(at, x0[i]!), 1e-7)
    })
  })
})

describe('vmap agrees with a loop', () => {
  it.each([
    ['gamma', sp.gamma],
    ['i0', sp.i0],
    ['klDiv', (x: NdArray) => sp.klDiv(x, f64(0.5))],
  ] as const)('%s', (_, f) => {
    const xs = [0.3, 1.7, 4.2]
    const v = vmap(f as (x: NdArray) => NdArray)(array(xs, { dtype: 'float64' })).toArray() as number[]
    xs.forEach((x, i) => expect(v[i]).toBe((f as (x: NdArray) => NdArray)(f64(x)).item()))
  })
})

const stats: Record<string, Fn> = {
  'chi2.logpdf': st.chi2.logpdf,
  'chi2.cdf': st.chi2.cdf,
  'chi2.sf': st.chi2.sf,
  'chi2.logpdf_locscale': st.chi2.logpdf,
  'pareto.logpdf': st.pareto.logpdf,
  'pareto.cdf': st.pareto.cdf,
  'pareto.ppf': st.pareto.ppf,
  'vonmises.logpdf': st.vonmises.logpdf,
  'nbinom.logpmf': st.nbinom.logpmf,
  'gennorm.logpdf': st.gennorm.logpdf,
  'gennorm.cdf': st.gennorm.cdf,
  'norm.isf': st.norm.isf,
  'expon.isf': st.expon.isf,
  'expon.logcdf': st.expon.logcdf,
  'expon.logsf': st.expon.logsf,
  'logistic.isf': st.logistic.isf,
  'cauchy.isf': st.cauchy.isf,
  'cauchy.sf': st.cauchy.sf,
  'cauchy.logcdf': st.cauchy.logcdf,
  'cauchy.logsf': st.cauchy.logsf,
  'gamma.logcdf': st.gamma.logcdf,
  'gamma.logsf': st.gamma.logsf,
  'bernoulli.cdf': st.bernoulli.cdf,
  'bernoulli.ppf': st.bernoulli.ppf,
  'truncnorm.cdf': st.truncnorm.cdf,
  'truncnorm.logcdf': st.truncnorm.logcdf,
  'truncnorm.sf': st.truncnorm.sf,
  'truncnorm.logsf': st.truncnorm.logsf,
}

describe('scipy.stats (more) against SciPy 1.10', () => {
  it.each(Object.entries(fixture.stats))('%s', (name, cases) => {
    expect(stats[name]).toBeDefined()
    for (const [args, want] of cases as Array<[number[], number | string]>)
      close(stats[name]!(...args.map(f64)).item() as number, want, 1e-12)
  })

  it('the other functions agree with their definitions', () => {
    const x = f64(2.3)
    close(st.chi2.logcdf(x, 3).item() as number, Math.log(st.chi2.cdf(x, 3).item() as number), 1e-14)
    close(st.chi2.logsf(x, 3).item() as number, Math.log(st.chi2.sf(x, 3).item() as number), 1e-14)
    close(st.pareto.sf(x, 1.5).item() as number, 2.3 ** -1.5, 1e-14)
    close(st.pareto.logsf(x, 1.5).item() as number, -1.5 * Math.log(2.3), 1e-14)
    close(st.pareto.logcdf(x, 1.5).item() as number, Math.log1p(-(2.3 ** -1.5)), 1e-14)
    close(st.pareto.cdf(st.pareto.ppf(f64(0.3), 1.5, 1, 2), 1.5, 1, 2).item() as number, 0.3, 1e-14)
    expect(Number.isNaN(st.vonmises.logpdf(x, 0).item())).toBe(true)
    // JAX's bernoulli.ppf: 0 at q = 0 (SciPy: −1), NaN for p outside [0, 1]
    expect(st.bernoulli.ppf(f64(0), 0.3).item()).toBe(0)
    expect(Number.isNaN(st.bernoulli.ppf(f64(0.5), 1.3).item())).toBe(true)
    close(st.nbinom.pmf(f64(2), 3, 0.4).item() as number, 6 * 0.4 ** 3 * 0.36, 1e-14)
    close(st.gennorm.pdf(x, 2).item() as number, Math.exp(-(2.3 ** 2)) / Math.sqrt(Math.PI), 1e-14)
  })
})

describe('stats gradients against float64 central differences', () => {
  const cases: ReadonlyArray<readonly [string, (x: NdArray) => NdArray, number]> = [
    ['chi2.logpdf in x', (x) => st.chi2.logpdf(x, f64(3)), 2.1],
    ['chi2.cdf in df', (k) => st.chi2.cdf(f64(2.5), k), 3.5],
    ['pareto.logpdf in b', (b) => st.pareto.logpdf(f64(2.5), b), 1.7],
    ['pareto.cdf in scale', (s) => st.pareto.cdf(f64(2.5), f64(1.7), f64(0), s), 1.2],
    ['vonmises.logpdf in kappa', (k) => st.vonmises.logpdf(f64(0.4), k), 2.2],
    ['nbinom.logpmf in n', (n) => st.nbinom.logpmf(f64(4), n, f64(0.35)), 2.6],
    ['gennorm.logpdf in beta', (b) => st.gennorm.logpdf(f64(-1.4), b), 1.6],
    ['gennorm.cdf in x', (x) => st.gennorm.cdf(x, f64(1.6)), -0.8],
    ['truncnorm.cdf in a', (a) => st.truncnorm.cdf(f64(0.3), a, f64(2)), -1.1],
    ['cauchy.logsf in scale', (s) => st.cauchy.logsf(f64(1.5), f64(0.2), s), 0.8],
    ['norm.isf in q', (q) => st.norm.isf(q, f64(1), f64(2)), 0.3],
  ]
  it.each(cases)('%s', (_, f, x0) => {
    close(
      grad(f)(f64(x0)).item() as number,
      fd((x) => f(f64(x)).item() as number, x0),
      1e-7,
    )
  })

  it('vmap of chi2.logpdf agrees with a loop', () => {
    const xs = [0.4, 1.9, 6.2]
    const v = vmap((x: NdArray) => st.chi2.logpdf(x, 2.5))(array(xs, { dtype: 'float64' })).toArray() as number[]
    xs.forEach((x, i) => expect(v[i]).toBe(st.chi2.logpdf(f64(x), 2.5).item()))
  })
})
