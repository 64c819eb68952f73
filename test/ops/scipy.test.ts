/**
 * scipy.special and scipy.stats against SciPy 1.10 (fixtures/scipySpecialStats.py makes the
 * JSON), and their gradients against float64 central differences.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, scipy, NotDifferentiableError, type NdArray } from '../../src/index'
import fixture from './fixtures/scipySpecialStats.json'

const f64 = (v: number): NdArray => array(v, { dtype: 'float64' })
const sp = scipy.special
const st = scipy.stats
type Fn = (...a: NdArray[]) => NdArray
const special: Record<string, Fn> = {
  gammaln: sp.gammaln,
  digamma: sp.digamma,
  polygamma2: (x) => sp.polygamma(2, x),
  betaln: sp.betaln,
  erfc: sp.erfc,
  erfinv: sp.erfinv,
  ndtr: sp.ndtr,
  ndtri: sp.ndtri,
  logNdtr: sp.logNdtr,
  logit: sp.logit,
  expit: sp.expit,
  xlogy: sp.xlogy,
  xlog1py: sp.xlog1py,
  entr: sp.entr,
  i0e: sp.i0e,
  i1e: sp.i1e,
  gammainc: sp.gammainc,
  gammaincc: sp.gammaincc,
  zeta: sp.zeta,
}
const stats: Record<string, Fn> = {
  'norm.logpdf': st.norm.logpdf,
  'norm.cdf': st.norm.cdf,
  'norm.logcdf': st.norm.logcdf,
  'norm.sf': st.norm.sf,
  'norm.ppf': st.norm.ppf,
  'expon.logpdf': st.expon.logpdf,
  'expon.cdf': st.expon.cdf,
  'laplace.logpdf': st.laplace.logpdf,
  'laplace.cdf': st.laplace.cdf,
  'logistic.logpdf': st.logistic.logpdf,
  'logistic.ppf': st.logistic.ppf,
  'cauchy.logpdf': st.cauchy.logpdf,
  'cauchy.cdf': st.cauchy.cdf,
  'uniform.logpdf': st.uniform.logpdf,
  'gamma.logpdf': st.gamma.logpdf,
  'gamma.cdf': st.gamma.cdf,
  'beta.logpdf': st.beta.logpdf,
  't.logpdf': st.t.logpdf,
  'poisson.logpmf': st.poisson.logpmf,
  'poisson.cdf': st.poisson.cdf,
  'bernoulli.logpmf': st.bernoulli.logpmf,
  'geom.logpmf': st.geom.logpmf,
  'binom.logpmf': st.binom.logpmf,
  'truncnorm.logpdf': st.truncnorm.logpdf,
  'dirichlet.logpdf': (...v) =>
    st.dirichlet.logpdf(
      array(
        v.slice(0, 3).map((x) => x.item() as number),
        { dtype: 'float64' },
      ),
      array(
        v.slice(3).map((x) => x.item() as number),
        { dtype: 'float64' },
      ),
    ),
  'multivariateNormal.logpdf': (...v) => {
    const n = v.map((x) => x.item() as number)
    return st.multivariateNormal.logpdf(
      array(n.slice(0, 2), { dtype: 'float64' }),
      array(n.slice(2, 4), { dtype: 'float64' }),
      array([n.slice(4, 6), n.slice(6, 8)], { dtype: 'float64' }),
    )
  },
}

const close = (got: number, wanted: number | string, rtol: number): void => {
  const want = Number(wanted)
  if (!Number.isFinite(want)) expect(got).toBe(want)
  else expect(Math.abs(got - want)).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(want)))
}

describe('scipy.special against SciPy 1.10', () => {
  it.each(Object.entries(fixture.special).filter(([k]) => k in special))('%s', (name, cases) => {
    for (const [args, want] of cases as Array<[number[], number | string]>)
      close(special[name]!(...args.map(f64)).item() as number, want, 1e-13)
  })

  it('logsumexp with b and returnSign', () => {
    const [args, [v, s]] = (fixture.special.logsumexp_b_sign as unknown as Array<[number[], [number, number]]>)[0]!
    const a = array(args.slice(0, 3), { dtype: 'float64' })
    const b = array(args.slice(3), { dtype: 'float64' })
    const [gv, gs] = sp.logsumexp(a, { b, returnSign: true })
    close(gv.item() as number, v, 1e-14)
    expect(gs.item()).toBe(s)
  })
})

describe('scipy.stats against SciPy 1.10', () => {
  it.each(Object.entries(fixture.stats))('%s', (name, cases) => {
    for (const [args, want] of cases as Array<[number[], number | string]>)
      close(stats[name]!(...args.map(f64)).item() as number, want, 1e-12)
  })
})

/** Central difference of a scalar function in float64. */
const fd = (f: (x: number) => number, x: number, h = 1e-5): number => (f(x + h) - f(x - h)) / (2 * h)

describe('gradients against float64 central differences', () => {
  const cases: ReadonlyArray<readonly [string, (x: NdArray) => NdArray, number]> = [
    ['gammainc in a', (a) => sp.gammainc(a, f64(2.2)), 1.7],
    ['gammaincc in a', (a) => sp.gammaincc(a, f64(5)), 2.5],
    ['gammainc in x', (x) => sp.gammainc(f64(1.7), x), 0.9],
    ['zeta in q', (q) => sp.zeta(f64(3), q), 1.3],
    ['logNdtr', (x) => sp.logNdtr(x), -4],
    ['gamma.logpdf in a', (a) => st.gamma.logpdf(f64(2), a), 2.5],
    ['gamma.cdf in a', (a) => st.gamma.cdf(f64(2), a), 2.5],
    ['norm.logpdf in scale', (s) => st.norm.logpdf(f64(1), f64(0.3), s), 1.4],
    ['beta.logpdf in b', (b) => st.beta.logpdf(f64(0.3), f64(2), b), 3],
    ['t.logpdf in df', (d) => st.t.logpdf(f64(0.7), d), 4],
  ]
  it.each(cases)('%s', (_, f, x0) => {
    const g = grad(f)(f64(x0)).item() as number
    close(
      g,
      fd((x) => f(f64(x)).item() as number, x0),
      1e-7,
    )
  })

  it('i1e has derivative ½ at 0 (the limit)', () => {
    expect(grad((x: NdArray) => sp.i1e(x))(f64(0)).item()).toBe(0.5)
  })

  it('zeta has no derivative in its order, as JAX: a typed error', () => {
    expect(() => grad((s: NdArray) => sp.zeta(s, f64(2)))(f64(3))).toThrow(NotDifferentiableError)
  })
})

describe('JS numbers next to float64 arrays stay exact (weak scalars)', () => {
  // expected values: SciPy 1.10 (`special.gammainc(0.7, 0.5)`, `stats.gamma.cdf(0.5, 0.7)`,
  // `stats.norm.cdf(0.7, 0.1, 1.3)`, `stats.poisson.cdf(3, 2.3)`, `special.xlogy(0.7, 0.3)`); a
  // number rounded to float32 first is off by ~1e-8
  const f64 = (v: number): NdArray => array([v], { dtype: 'float64' })
  const one = (x: NdArray): number => (x.toArray() as number[])[0] as number
  it.each([
    ['special.gammainc', () => scipy.special.gammainc(0.7, f64(0.5)), 0.5575152928771887],
    ['special.xlogy', () => scipy.special.xlogy(0.7, f64(0.3)), -0.8427809630281552],
    ['stats.gamma.cdf', () => scipy.stats.gamma.cdf(f64(0.5), 0.7), 0.5575152928771887],
    ['stats.norm.cdf', () => scipy.stats.norm.cdf(0.7, f64(0.1), f64(1.3)), 0.6777938331150943],
    ['stats.poisson.cdf', () => scipy.stats.poisson.cdf(f64(3), 2.3), 0.7993470511946271],
  ])('%s', (_, run, want) => {
    const got = run()
    expect(got.dtype).toBe('float64')
    expect(Math.abs(one(got) - want)).toBeLessThan(1e-14)
  })
})
