/**
 * LowRankMultivariateNormal, MixtureSameFamily and LogNormal (a TransformedDistribution) against
 * real PyTorch 1.13 (fixtures/distributions_more.py writes fixtures/distributions_more.json):
 * values and gradients at 1e-9 in float64, shapes, validation errors, reprs, KL; sampling
 * moments of seeded draws; LowRank rsample gradients against finite differences of the same noise.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { check, checkError, close, dec, leaves, t64, type Enc, type Measured } from '../helpers/distCheck'
import fixture from './fixtures/distributions_more.json'

const D = torch.distributions
type T = torch.Tensor
type Dist = torch.distributions.Distribution

const CTORS: Record<string, (p: Record<string, T>) => Dist> = {
  LowRank: (p) => new D.LowRankMultivariateNormal(p.loc!, p.cov_factor!, p.cov_diag!),
  LowRankBatch: (p) =>
    new D.LowRankMultivariateNormal({ loc: p.loc!, cov_factor: p.cov_factor!, cov_diag: p.cov_diag! }),
  MixtureNormal: (p) =>
    new D.MixtureSameFamily(new D.Categorical({ logits: p.logits! }), new D.Normal(p.loc!, p.scale!)),
  MixtureIndependent: (p) =>
    new D.MixtureSameFamily({
      mixture_distribution: new D.Categorical({ logits: p.logits! }),
      component_distribution: new D.Independent(new D.Normal(p.loc!, p.scale!), 1),
    }),
  LogNormal: (p) => new D.LogNormal(p.loc!, p.scale!),
  FisherSnedecor: (p) => new D.FisherSnedecor(p.df1!, p.df2!),
  ContinuousBernoulli: (p) => new D.ContinuousBernoulli(p.probs!),
  ContinuousBernoulliLogits: (p) => new D.ContinuousBernoulli({ logits: p.logits! }),
}

interface Case {
  params: Record<string, Enc>
  value: Enc
  batch_shape: number[]
  event_shape: number[]
  has_rsample: boolean
  [q: string]: unknown
}

describe('LowRankMultivariateNormal, MixtureSameFamily, LogNormal against PyTorch 1.13', () => {
  for (const [name, c] of Object.entries(fixture.cases as unknown as Record<string, Case>)) {
    it(name, () => {
      const ps = leaves(c.params)
      const d = CTORS[name]!(ps)
      expect([...d.batch_shape]).toEqual(c.batch_shape)
      expect([...d.event_shape]).toEqual(c.event_shape)
      expect(d.has_rsample).toBe(c.has_rsample)
      const v = t64(dec(c.value))
      const r = d as unknown as Record<string, T>
      const qs: Record<string, () => T> = {
        log_prob: () => d.log_prob(v),
        entropy: () => d.entropy(),
        cdf: () => d.cdf(v),
        icdf: () => d.icdf(v),
      }
      const keys = Object.keys(c).filter(
        (k) => !['params', 'value', 'batch_shape', 'event_shape', 'has_rsample'].includes(k),
      )
      expect(keys.length).toBeGreaterThan(2)
      for (const k of keys) check(`${name}.${k}`, ps, qs[k] ?? (() => r[k]!), c[k] as Measured, 1e-9)
    })
  }
  it('KL(LogNormal ‖ LogNormal) goes through the base Normals', () => {
    const c = fixture.kl_lognormal as unknown as { p: Record<string, Enc>; q: Record<string, Enc>; kl: Measured }
    const [ps, qs] = [leaves(c.p), leaves(c.q)]
    const both = {
      ...Object.fromEntries(Object.entries(ps).map(([k, v]) => [`p_${k}`, v])),
      ...Object.fromEntries(Object.entries(qs).map(([k, v]) => [`q_${k}`, v])),
    }
    const kl = (): T => D.kl_divergence(new D.LogNormal(ps.loc!, ps.scale!), new D.LogNormal(qs.loc!, qs.scale!))
    check('kl LogNormal', both, kl, c.kl, 1e-9)
  })
})

describe('cross-family kl_divergence against PyTorch 1.13', () => {
  type Mk = (p: Record<string, T>) => Dist
  const F: Record<string, Mk> = {
    Exponential: (p) => new D.Exponential(p.rate!),
    Gamma: (p) => new D.Gamma(p.concentration!, p.rate!),
    Gumbel: (p) => new D.Gumbel(p.loc!, p.scale!),
    Normal: (p) => new D.Normal(p.loc!, p.scale!),
    Laplace: (p) => new D.Laplace(p.loc!, p.scale!),
    Uniform: (p) => new D.Uniform(p.low!, p.high!),
    Beta: (p) => new D.Beta(p.concentration1!, p.concentration0!),
    Pareto: (p) => new D.Pareto(p.scale!, p.alpha!),
  }
  const kls = fixture.kl_cross as unknown as Record<
    string,
    { p: Record<string, Enc>; q: Record<string, Enc>; kl: Measured }
  >
  for (const [name, c] of Object.entries(kls)) {
    it(name, () => {
      const [pn, qn] = name.split('_') as [string, string]
      const [ps, qs] = [leaves(c.p), leaves(c.q)]
      const both = {
        ...Object.fromEntries(Object.entries(ps).map(([k, v]) => [`p_${k}`, v])),
        ...Object.fromEntries(Object.entries(qs).map(([k, v]) => [`q_${k}`, v])),
      }
      check(`kl ${name}`, both, () => D.kl_divergence(F[pn]!(ps), F[qn]!(qs)), c.kl, 1e-9)
    })
  }
})

describe('validation errors and reprs (PyTorch 1.13 texts)', () => {
  const errs = fixture.errors as unknown as Record<string, [string, string]>
  const ones = (...s: number[]): T => torch.ones(s)
  const cases: Record<string, () => unknown> = {
    lowrank_loc: () => new D.LowRankMultivariateNormal(torch.tensor(0), ones(1, 1), ones(1)),
    lowrank_factor_dim: () => new D.LowRankMultivariateNormal(torch.zeros(2), ones(2), ones(2)),
    lowrank_factor_shape: () => new D.LowRankMultivariateNormal(torch.zeros(2), ones(3, 1), ones(2)),
    lowrank_diag_shape: () => new D.LowRankMultivariateNormal(torch.zeros(2), ones(2, 1), ones(3)),
    lowrank_batch: () => new D.LowRankMultivariateNormal(torch.zeros(3, 2), ones(4, 2, 1), ones(2)),
    lowrank_diag_positive: () => new D.LowRankMultivariateNormal(torch.zeros(2), ones(2, 1), torch.tensor([1, -1])),
    mixture_not_categorical: () =>
      new D.MixtureSameFamily(
        new D.Normal(0, 1) as unknown as torch.distributions.Categorical,
        new D.Normal(torch.zeros(2), 1),
      ),
    mixture_component_count: () => new D.MixtureSameFamily(new D.Categorical(ones(3)), new D.Normal(torch.zeros(2), 1)),
    mixture_batch: () => new D.MixtureSameFamily(new D.Categorical(ones(3, 2)), new D.Normal(torch.zeros(4, 2), 1)),
    lognormal_scale: () => new D.LogNormal(0, -1),
    fisher_df: () => new D.FisherSnedecor(torch.tensor([1, -1]), 1),
    cb_probs: () => new D.ContinuousBernoulli(torch.tensor([0.5, 1.5]), { validate_args: true }),
    cb_both: () => new D.ContinuousBernoulli(torch.tensor(0.5), torch.tensor(0)),
  }
  for (const [name, f] of Object.entries(cases)) it(name, () => checkError(name, f, errs[name]!))
  it('reprs and class relations', () => {
    const r = fixture.reprs
    expect(String(new D.LowRankMultivariateNormal(torch.zeros(2), ones(2, 1), ones(2)))).toBe(r.lowrank)
    expect(String(new D.MixtureSameFamily(new D.Categorical(ones(2)), new D.Normal(torch.zeros(2), 1)))).toBe(r.mixture)
    expect(String(new D.LogNormal(0, 1))).toBe(r.lognormal)
    expect(String(new D.FisherSnedecor(torch.tensor(2), torch.tensor(3)))).toBe(r.fisher)
    expect(String(new D.ContinuousBernoulli(torch.tensor([0.3, 0.6])))).toBe(r.cb)
    expect(new D.LogNormal(0, 1)).toBeInstanceOf(D.TransformedDistribution)
    expect(new D.LogNormal(0, 1).transforms.map(String)).toEqual(['ExpTransform()'])
  })
})

/** Mean and variance of n draws within 5 standard errors of the true ones. */
const moments = (d: Dist, n: number): void => {
  const s = d.sample([n]).to(torch.float64)
  const [mean, variance] = [d.mean.to(torch.float64), d.variance.to(torch.float64)]
  expect([...s.shape]).toEqual([n, ...d.batch_shape, ...d.event_shape])
  const seMean = variance.div(n).sqrt()
  const seVar = s.sub(mean).pow(4).mean(0).sub(variance.pow(2)).clamp_min(0).div(n).sqrt()
  expect(s.mean(0).sub(mean).abs().le(seMean.mul(5).add(1e-12)).all().item(), `${String(d)} mean`).toBe(true)
  expect(s.var(0).sub(variance).abs().le(seVar.mul(5).add(1e-5)).all().item(), `${String(d)} var`).toBe(true)
}

describe('sampling moments (seeded draws, within 5 standard errors)', () => {
  const f = (v: unknown): T => t64(v)
  it('LowRankMultivariateNormal (and the sample covariance)', () => {
    torch.manual_seed(41)
    const d = new D.LowRankMultivariateNormal(
      f([0.3, -1, 0.5]),
      f([
        [0.5, -0.2],
        [1, 0.3],
        [-0.4, 0.8],
      ]),
      f([0.7, 1.2, 0.4]),
    )
    moments(d, 50_000)
    torch.manual_seed(42)
    const s = d.sample([50_000])
    const c = s
      .sub(s.mean(0))
      .transpose(0, 1)
      .matmul(s.sub(s.mean(0)))
      .div(50_000)
    close(c.tolist(), d.covariance_matrix.tolist(), 0.05, 'sample covariance')
  })
  it('MixtureSameFamily of Normals (batched)', () => {
    torch.manual_seed(43)
    const mix = new D.Categorical({
      logits: f([
        [0.2, -1, 0.5],
        [1, 0, -0.5],
      ]),
    })
    moments(
      new D.MixtureSameFamily(
        mix,
        new D.Normal(
          f([
            [0.3, -1, 2],
            [0, 1, -2],
          ]),
          f([
            [0.5, 1.5, 1],
            [0.8, 0.6, 2],
          ]),
        ),
      ),
      50_000,
    )
  })
  it('MixtureSameFamily of Independent Normals (event axes)', () => {
    torch.manual_seed(44)
    const comp = new D.Independent(
      new D.Normal(
        f([
          [0.3, -1],
          [2, 0],
          [1, -2],
        ]),
        f([
          [0.5, 1.5],
          [1, 0.8],
          [0.6, 2],
        ]),
      ),
      1,
    )
    moments(new D.MixtureSameFamily(new D.Categorical({ logits: f([0.2, -1, 0.5]) }), comp), 50_000)
  })
  it('ContinuousBernoulli', () => {
    torch.manual_seed(47)
    moments(new D.ContinuousBernoulli(f([0.2, 0.5, 0.9])), 50_000)
  })
  it('FisherSnedecor', () => {
    torch.manual_seed(46)
    moments(new D.FisherSnedecor(f([9, 12]), f([20, 30])), 50_000)
  })
  it('LogNormal', () => {
    torch.manual_seed(45)
    moments(new D.LogNormal(f([0.3, -1]), f([0.5, 0.3])), 50_000)
  })
})

describe('LowRankMultivariateNormal rsample gradients against finite differences of the same noise', () => {
  const W = [
    [0.5, -0.2],
    [1, 0.3],
    [-0.4, 0.8],
  ]
  const fd = (mk: (p: number[]) => [Dist, T], p0: number[], seed: number): void => {
    const [d, p] = mk(p0)
    torch.manual_seed(seed)
    const g = torch.autograd.grad(d.rsample([3]).sum(), p)[0]!.tolist() as number[]
    const h = 1e-6
    const at = (i: number, dx: number): number => {
      torch.manual_seed(seed)
      return mk(p0.map((v, j) => (j === i ? v + dx : v)))[0]
        .rsample([3])
        .sum()
        .item() as number
    }
    close(
      g,
      p0.map((_, i) => (at(i, h) - at(i, -h)) / (2 * h)),
      1e-6,
      'rsample grad',
    )
  }
  it('cov_diag', () =>
    fd(
      (v) => {
        const p = t64(v, true)
        return [new D.LowRankMultivariateNormal(t64([0.3, -1, 0.5]), t64(W), p), p]
      },
      [0.7, 1.2, 0.4],
      51,
    ))
  it('cov_factor', () =>
    fd(
      (v) => {
        const p = t64(v, true)
        return [new D.LowRankMultivariateNormal(t64([0.3, -1, 0.5]), p.reshape(3, 2), t64([0.7, 1.2, 0.4])), p]
      },
      W.flat(),
      52,
    ))
})
