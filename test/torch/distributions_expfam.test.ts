/**
 * ExponentialFamily (Bregman entropy and same-family KL), VonMises, LKJCholesky and Wishart
 * against real PyTorch 1.13 (fixtures/distributions_expfam.py writes
 * fixtures/distributions_expfam.json): values and gradients at 1e-9 in float64, seeded VonMises
 * draws (the same numbers as PyTorch), errors and reprs; the samplers' laws by moments.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { check, checkError, close, dec, leaves, type Enc, type Measured } from '../helpers/distCheck'
import fixture from './fixtures/distributions_expfam.json'

const D = torch.distributions
type T = torch.Tensor
type Dist = torch.distributions.Distribution
const f64 = (v: unknown): T => torch.tensor(v as number[], { dtype: torch.float64 })

const CTORS: Record<string, (p: Record<string, T>) => Dist> = {
  VonMises: (p) => new D.VonMises(p.loc!, p.concentration!),
  LKJCholesky: (p) => new D.LKJCholesky(3, p.concentration!),
  LKJCholesky2: (p) => new D.LKJCholesky({ dim: 2, concentration: p.concentration! }),
  WishartCov: (p) => new D.Wishart(p.df!, { covariance_matrix: p.cov! }),
  WishartTril: (p) => new D.Wishart({ df: p.df!, scale_tril: p.tril! }),
  WishartPrec: (p) => new D.Wishart(p.df!, null, p.prec!),
}

interface Case {
  params: Record<string, Enc>
  value: Enc
  batch_shape: number[]
  event_shape: number[]
  has_rsample: boolean
  [q: string]: unknown
}
const bregman = (d: Dist): T => D.ExponentialFamily.prototype.entropy.call(d as torch.distributions.ExponentialFamily)

describe('VonMises, LKJCholesky, Wishart against PyTorch 1.13', () => {
  for (const [name, c] of Object.entries(fixture.cases as unknown as Record<string, Case>)) {
    it(name, () => {
      const ps = leaves(c.params)
      const d = CTORS[name]!(ps)
      expect([...d.batch_shape]).toEqual(c.batch_shape)
      expect([...d.event_shape]).toEqual(c.event_shape)
      expect(d.has_rsample).toBe(c.has_rsample)
      const v = f64(dec(c.value))
      const r = d as unknown as Record<string, T>
      const qs: Record<string, () => T> = {
        log_prob: () => d.log_prob(v),
        entropy: () => d.entropy(),
        bregman_entropy: () => bregman(d),
      }
      const keys = Object.keys(c).filter(
        (k) => !['params', 'value', 'batch_shape', 'event_shape', 'has_rsample'].includes(k),
      )
      for (const k of keys) check(`${name}.${k}`, ps, qs[k] ?? (() => r[k]!), c[k] as Measured, 1e-9)
    })
  }
})

describe('ExponentialFamily against PyTorch 1.13', () => {
  const F: Record<string, (p: Record<string, T>) => Dist> = {
    Normal: (p) => new D.Normal(p.loc!, p.scale!),
    Gamma: (p) => new D.Gamma(p.concentration!, p.rate!),
    Chi2: (p) => new D.Chi2(p.df!),
    Exponential: (p) => new D.Exponential(p.rate!),
    Bernoulli: (p) => new D.Bernoulli(p.probs!),
    ContinuousBernoulli: (p) => new D.ContinuousBernoulli(p.probs!),
    Wishart: (p) => new D.Wishart(p.df!, { covariance_matrix: p.cov! }),
    Beta: (p) => new D.Beta(p.concentration1!, p.concentration0!),
    Uniform: (p) => new D.Uniform(p.low!, p.high!),
  }
  const br = fixture.bregman as unknown as Record<string, { params: Record<string, Enc>; entropy: Measured }>
  for (const [name, c] of Object.entries(br))
    it(`Bregman entropy of ${name}`, () => {
      const ps = leaves(c.params)
      check(`${name} entropy`, ps, () => bregman(F[name]!(ps)), c.entropy, 1e-9)
    })
  const kls = fixture.kl as unknown as Record<string, { p: Record<string, Enc>; q: Record<string, Enc>; kl: Measured }>
  for (const [name, c] of Object.entries(kls))
    it(`KL ${name}`, () => {
      const [pn, qn = pn] = name.split('_') as [string, string?]
      const [ps, qs] = [leaves(c.p), leaves(c.q)]
      const both = {
        ...Object.fromEntries(Object.entries(ps).map(([k, v]) => [`p_${k}`, v])),
        ...Object.fromEntries(Object.entries(qs).map(([k, v]) => [`q_${k}`, v])),
      }
      check(`kl ${name}`, both, () => D.kl_divergence(F[pn]!(ps), F[qn]!(qs)), c.kl, 1e-9)
    })
  it('the classes PyTorch derives from ExponentialFamily do, the others do not', () => {
    const yes = [
      new D.Normal(0, 1),
      new D.Gamma(1, 1),
      new D.Chi2(2),
      new D.Exponential(1),
      new D.Beta(1, 1),
      new D.Dirichlet(torch.ones(2)),
      new D.Bernoulli(0.5),
      new D.Poisson(1),
      new D.ContinuousBernoulli(0.3),
      new D.Wishart(3, { covariance_matrix: torch.eye(2) }),
    ]
    for (const d of yes) expect(d, d.constructor.name).toBeInstanceOf(D.ExponentialFamily)
    const no = [new D.Laplace(0, 1), new D.Cauchy(0, 1), new D.Binomial(3, 0.5), new D.VonMises(0, 1)]
    for (const d of no) expect(d, d.constructor.name).not.toBeInstanceOf(D.ExponentialFamily)
    // a closed form still wins over the Bregman rule
    const kl = D.kl_divergence(new D.Normal(0, 1), new D.Normal(1, 1))
    expect(kl.item()).toBeCloseTo(0.5, 6)
  })
})

describe('samplers', () => {
  it('VonMises draws the same numbers as PyTorch for float64 parameters, and leaves the stream where it does', () => {
    torch.manual_seed(0)
    const d = new D.VonMises(f64([0.5, -2.0, 3.0]), f64([0.3, 2.0, 20.0]))
    const want = fixture.vonmises_draws
    close(d.sample([4]).tolist(), want.sample, 1e-12, 'VonMises sample')
    close(torch.rand(2, { dtype: torch.float64 }).tolist(), want.next, 0, 'stream after')
  })
  it('VonMises draws in float32 are the float64 draws rounded; the circular moments hold', () => {
    torch.manual_seed(3)
    const d = new D.VonMises(torch.tensor([1.0]), torch.tensor([4.0]))
    const s = d.sample([4000])
    expect(s.dtype).toBe(torch.float32)
    const cosMean = s.sub(1).cos().mean().item()
    // E cos(x − μ) = I1(κ)/I0(κ) = 1 − variance
    expect(Math.abs(cosMean - (1 - d.variance.item()))).toBeLessThan(0.02)
  })
  it('LKJCholesky samples are Cholesky factors of correlation matrices with LKJ marginals', () => {
    torch.manual_seed(1)
    const d = new D.LKJCholesky(3, torch.tensor([0.5, 4.0], { dtype: torch.float64 }))
    const l = d.sample([3000])
    expect([...l.shape]).toEqual([3000, 2, 3, 3])
    expect(D.constraints.corr_cholesky.check(l).all().item()).toBe(true)
    // LKJ(η) in dimension 3: each correlation is Beta(η + 1/2, η + 1/2) on (−1, 1), variance 1/(2η + 2)
    const r = l.matmul(l.mT).select(-2, 2).select(-1, 0)
    const v = r.pow(2).mean(0).tolist() as number[]
    close(v, [1 / 3, 1 / 10], 0.05, 'correlation variance')
  })
  it('Wishart rsample has mean df·Σ and carries gradients to df and the scale', () => {
    torch.manual_seed(2)
    const df = torch.tensor(5.0, { dtype: torch.float64, requires_grad: true })
    const cov = f64([
      [2.0, 0.3],
      [0.3, 1.0],
    ]).requires_grad_()
    const d = new D.Wishart(df, { covariance_matrix: cov })
    const s = d.rsample([4000])
    close(s.mean(0).tolist(), d.mean.tolist(), 0.05, 'mean')
    s.select(-1, 0).select(-1, 0).mean().backward()
    // E[S₀₀] = df·Σ₀₀: d/d df = Σ₀₀ = 2 (the reparameterised estimate), d/dΣ₀₀ = df
    expect(Math.abs(df.grad!.item() - 2)).toBeLessThan(0.2)
    expect(Math.abs(cov.grad!.select(0, 0).select(0, 0).item() - 5)).toBeLessThan(0.5)
  })
})

describe('errors and reprs (PyTorch 1.13 texts)', () => {
  const errs = fixture.errors as unknown as Record<string, [string, string]>
  const cases: Record<string, () => unknown> = {
    lkj_dim: () => new D.LKJCholesky(1, 1),
    vonmises_concentration: () => new D.VonMises(0, torch.tensor(-1)),
    wishart_none: () => new D.Wishart(torch.tensor(3)),
    wishart_dim: () => new D.Wishart(torch.tensor(3), { scale_tril: torch.tensor([1, 2]) }),
    wishart_df: () => new D.Wishart(torch.tensor([1, 4]), { covariance_matrix: torch.eye(2) }),
    wishart_cov: () =>
      new D.Wishart(torch.tensor(3), {
        covariance_matrix: torch.tensor([
          [1, 2],
          [2, 1],
        ]),
      }),
    kl_cross_family: () => D.kl_divergence(new D.Poisson(torch.tensor(1)), new D.Dirichlet(torch.ones(2))),
    poisson_entropy: () => new D.Poisson(torch.tensor(1)).entropy(),
    beta_bregman: () => bregman(new D.Beta(torch.tensor(1), torch.tensor(2))),
  }
  for (const [name, f] of Object.entries(cases)) it(name, () => checkError(name, f, errs[name]!))
  it('an invalid LKJ concentration raises a ValueError (PyTorch names its inner Dirichlet)', () => {
    expect(() => new D.LKJCholesky(3, torch.tensor([1, -1]))).toThrow(/to satisfy the constraint/)
  })
  it('reprs', () => {
    const r = fixture.reprs
    expect(String(new D.VonMises(torch.tensor(0.5), torch.tensor(2)))).toBe(r.vonmises)
    expect(String(new D.LKJCholesky(3, 0.5))).toBe(r.lkj)
    expect(String(new D.Wishart(torch.tensor([3, 4]), { covariance_matrix: torch.eye(2) }))).toBe(r.wishart)
    expect(String(new D.Wishart(torch.tensor(3), { scale_tril: torch.eye(2) }))).toBe(r.wishart_tril)
  })
})
