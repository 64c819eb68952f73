/**
 * The torch.distributions families added after the first 18 against real PyTorch 1.13
 * (fixtures/distributions_families.py writes fixtures/distributions_families.json): log_prob,
 * entropy, mean, variance, mode, cdf and icdf values and gradients (float64, 1e-9), shapes,
 * supports, validation errors and reprs; sampling moments of 10⁵ seeded draws; rsample gradients
 * against finite differences of the same noise.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { check, checkError, close, dec, leaves, t64, type Enc, type Measured } from '../helpers/distCheck'
import fixture from './fixtures/distributions_families.json'

const D = torch.distributions
type T = torch.Tensor
type Dist = torch.distributions.Distribution

const CTORS: Record<string, (p: Record<string, T>) => Dist> = {
  Gumbel: (p) => new D.Gumbel(p.loc!, p.scale!),
  HalfNormal: (p) => new D.HalfNormal(p.scale!),
  HalfCauchy: (p) => new D.HalfCauchy(p.scale!),
  Pareto: (p) => new D.Pareto(p.scale!, p.alpha!),
  Weibull: (p) => new D.Weibull(p.scale!, p.concentration!),
  Kumaraswamy: (p) => new D.Kumaraswamy(p.concentration1!, p.concentration0!),
  LogisticNormal: (p) => new D.LogisticNormal(p.loc!, p.scale!),
  Geometric: (p) => new D.Geometric(p.probs!),
  GeometricLogits: (p) => new D.Geometric({ logits: p.logits! }),
  NegativeBinomial: (p) => new D.NegativeBinomial(p.total_count!, p.probs!),
  NegativeBinomialLogits: (p) => new D.NegativeBinomial(4, { logits: p.logits! }),
  Multinomial: (p) => new D.Multinomial(4, p.probs!),
  MultinomialLogits: (p) => new D.Multinomial(3, { logits: p.logits! }),
  Chi2: (p) => new D.Chi2(p.df!),
  RelaxedBernoulli: (p) => new D.RelaxedBernoulli(p.temperature!, p.probs!),
  LogitRelaxedBernoulli: (p) => new D.LogitRelaxedBernoulli(t64(0.4), { logits: p.logits! }),
  RelaxedOneHotCategorical: (p) => new D.RelaxedOneHotCategorical(p.temperature!, { logits: p.logits! }),
  ExpRelaxedCategorical: (p) => new D.ExpRelaxedCategorical(t64(1.3), p.probs!),
}

interface Case {
  params: Record<string, Enc>
  value: Enc
  icdf_at: Enc | null
  batch_shape: number[]
  event_shape: number[]
  support: string
  has_rsample: boolean
  [q: string]: unknown
}

describe('distribution families against PyTorch 1.13', () => {
  for (const [name, c] of Object.entries(fixture.cases as unknown as Record<string, Case>)) {
    it(name, () => {
      const ps = leaves(c.params)
      const d = CTORS[name]!(ps)
      expect([...d.batch_shape]).toEqual(c.batch_shape)
      expect([...d.event_shape]).toEqual(c.event_shape)
      if (!c.support.includes('tensor')) expect(String(d.support)).toBe(c.support)
      expect(d.has_rsample).toBe(c.has_rsample)
      const v = t64(dec(c.value))
      const qs: Record<string, () => T> = {
        log_prob: () => d.log_prob(v),
        entropy: () => d.entropy(),
        mean: () => d.mean,
        variance: () => d.variance,
        mode: () => d.mode,
        cdf: () => d.cdf(v),
        icdf: () => d.icdf(t64(dec(c.icdf_at!))),
      }
      for (const [k, f] of Object.entries(qs)) {
        const want = c[k] as Measured | null | undefined
        if (want === null || want === undefined) continue
        check(`${name}.${k}`, ps, f, want, 1e-9)
      }
    })
  }
})

describe('validation errors and reprs (PyTorch 1.13 texts)', () => {
  const errs = fixture.errors as unknown as Record<string, [string, string]>
  const cases: Record<string, () => unknown> = {
    geometric_zero: () => new D.Geometric(torch.tensor([0.5, 0])),
    geometric_range: () => new D.Geometric(torch.tensor([1.5])),
    gumbel_scale: () => new D.Gumbel(0, -1),
    halfnormal_scale: () => new D.HalfNormal(torch.tensor([1, -1])),
    halfnormal_support: () => new D.HalfNormal(1).log_prob(torch.tensor(-1)),
    pareto_support: () => new D.Pareto(torch.tensor(2), torch.tensor(1)).log_prob(torch.tensor(1)),
    multinomial_count: () => new D.Multinomial(2.5, torch.ones(2)),
    multinomial_support: () => new D.Multinomial(2, torch.ones(2)).log_prob(torch.tensor([2, 1])),
    negbin_probs: () => new D.NegativeBinomial(2, torch.tensor(1)),
    chi2_df: () => new D.Chi2(torch.tensor(-1)),
    relaxed_both: () => new D.RelaxedBernoulli(torch.tensor(1)),
  }
  for (const [name, f] of Object.entries(cases)) it(name, () => checkError(name, f, errs[name]!))
  it('reprs', () => {
    const r = fixture.reprs
    expect(String(new D.Gumbel(0, 1))).toBe(r.gumbel)
    expect(String(new D.HalfNormal(1))).toBe(r.halfnormal)
    expect(String(new D.Chi2(torch.tensor(2)))).toBe(r.chi2)
    expect(String(new D.Geometric(torch.tensor(0.3, { dtype: torch.float64 })))).toBe(r.geometric)
    expect(String(new D.Multinomial(3, torch.ones(3)))).toBe(r.multinomial)
    expect(String(new D.Pareto(1, 2))).toBe(r.pareto)
  })
  it('the TransformedDistribution forms', () => {
    expect(new D.Gumbel(0, 1)).toBeInstanceOf(D.TransformedDistribution)
    expect(new D.HalfNormal(1).transforms.map(String)).toEqual(['AbsTransform()'])
    expect(new D.Chi2(3)).toBeInstanceOf(D.Gamma)
    expect(new D.OneHotCategoricalStraightThrough(torch.ones(2))).toBeInstanceOf(D.OneHotCategorical)
  })
})

/** Mean and variance of n draws within 5 standard errors of the true ones. */
const moments = (d: Dist, n = 100_000): void => {
  const s = d.sample([n]).to(torch.float64)
  const [mean, variance] = [d.mean.to(torch.float64), d.variance.to(torch.float64)]
  const seMean = variance.div(n).sqrt()
  const seVar = s.sub(mean).pow(4).mean(0).sub(variance.pow(2)).clamp_min(0).div(n).sqrt()
  expect(s.mean(0).sub(mean).abs().le(seMean.mul(5).add(1e-12)).all().item(), `${String(d)} mean`).toBe(true)
  expect(s.var(0).sub(variance).abs().le(seVar.mul(5).add(1e-5)).all().item(), `${String(d)} var`).toBe(true)
}

describe('sampling moments (10⁵ seeded draws, within 5 standard errors)', () => {
  const f = (v: number[]): T => t64(v)
  const dists: Record<string, () => Dist> = {
    Gumbel: () => new D.Gumbel(f([0.3, -1]), f([0.5, 2])),
    HalfNormal: () => new D.HalfNormal(f([0.5, 2])),
    Pareto: () => new D.Pareto(f([0.5]), f([5.5])),
    Weibull: () => new D.Weibull(f([0.5, 1.5]), f([2.5, 0.9])),
    Kumaraswamy: () => new D.Kumaraswamy(f([0.5, 2.5]), f([1.5, 3])),
    Geometric: () => new D.Geometric(f([0.2, 0.7])),
    NegativeBinomial: () => new D.NegativeBinomial(f([3, 5.5]), f([0.2, 0.7])),
    Multinomial: () => new D.Multinomial(5, f([0.2, 0.3, 0.5])),
    Chi2: () => new D.Chi2(f([0.7, 3])),
    OneHotCategoricalStraightThrough: () => new D.OneHotCategoricalStraightThrough(f([0.2, 0.3, 0.5])),
  }
  for (const [name, mk] of Object.entries(dists)) {
    it(name, () => {
      torch.manual_seed(21)
      moments(mk())
    })
  }
  it('RelaxedOneHotCategorical draws lie on the simplex; low temperature approaches one-hot frequencies', () => {
    torch.manual_seed(22)
    const s = new D.RelaxedOneHotCategorical(t64(0.05), f([0.2, 0.3, 0.5])).sample([20_000])
    close(s.sum(-1).sub(1).abs().max().item(), 0, 1e-12, 'sums')
    const top = s.argmax(-1)
    ;[0.2, 0.3, 0.5].forEach((p, i) =>
      expect(Math.abs((top.eq(i).to(torch.float64).mean().item() as number) - p)).toBeLessThan(0.02),
    )
  })
})

describe('rsample gradients against finite differences of the same noise', () => {
  const fd = (mk: (p: T) => Dist, p0: number[], seed: number): void => {
    const p = t64(p0, true)
    torch.manual_seed(seed)
    const g = torch.autograd.grad(mk(p).rsample([3]).sum(), p)[0]!.tolist() as number[]
    const h = 1e-6
    const at = (i: number, dx: number): number => {
      torch.manual_seed(seed)
      return mk(t64(p0.map((v, j) => (j === i ? v + dx : v))))
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
  it('Gumbel (scale)', () => fd((s) => new D.Gumbel(t64([0.3, -1]), s), [0.5, 1.5], 31))
  it('HalfNormal', () => fd((s) => new D.HalfNormal(s), [0.5, 1.5], 32))
  it('Weibull (concentration)', () => fd((k) => new D.Weibull(t64([0.5, 1.5]), k), [2.5, 0.9], 33))
  it('Kumaraswamy', () => fd((c) => new D.Kumaraswamy(c, t64([1.5, 3])), [0.5, 2.5], 34))
  it('RelaxedBernoulli (probs)', () => fd((p) => new D.RelaxedBernoulli(t64(0.7), p), [0.2, 0.7], 35))
  it('RelaxedOneHotCategorical (logits)', () =>
    fd((l) => new D.RelaxedOneHotCategorical(t64(0.7), { logits: l }).expand([2]) as Dist, [0.2, -1.3, 0.5], 36))
  it('LogisticNormal (loc)', () => fd((l) => new D.LogisticNormal(l, t64([0.5, 1.5])), [0.3, -1], 37))
  it('OneHotCategoricalStraightThrough passes probs gradients straight through', () => {
    const p = t64([0.2, 0.3, 0.5], true)
    torch.manual_seed(38)
    const s = new D.OneHotCategoricalStraightThrough(p).rsample()
    s.mul(t64([1, 2, 3]))
      .sum()
      .backward()
    // d/dp of (p / Σp)·w = (w − Σ p̂·w)/Σp
    close(p.grad!.tolist(), [1 - 2.3, 2 - 2.3, 3 - 2.3], 1e-12, 'grad')
  })
})

describe('kl_divergence of the new pairs against PyTorch 1.13', () => {
  const KLC: Record<string, (p: Record<string, T>) => Dist> = {
    Gumbel: CTORS.Gumbel!,
    Geometric: CTORS.Geometric!,
    HalfNormal: CTORS.HalfNormal!,
    Laplace: (p) => new D.Laplace(p.loc!, p.scale!),
    Pareto: CTORS.Pareto!,
    Poisson: (p) => new D.Poisson(p.rate!),
    Chi2: CTORS.Chi2!,
    Transformed: (p) => new D.TransformedDistribution(new D.Normal(p.loc!, p.scale!), [new D.ExpTransform()]),
  }
  const kls = fixture.kl as unknown as Record<string, { p: Record<string, Enc>; q: Record<string, Enc>; kl: Measured }>
  for (const [name, c] of Object.entries(kls)) {
    it(name, () => {
      const [ps, qs] = [leaves(c.p), leaves(c.q)]
      const both = {
        ...Object.fromEntries(Object.entries(ps).map(([k, v]) => [`p_${k}`, v])),
        ...Object.fromEntries(Object.entries(qs).map(([k, v]) => [`q_${k}`, v])),
      }
      check(`kl ${name}`, both, () => D.kl_divergence(KLC[name]!(ps), KLC[name]!(qs)), c.kl, 1e-9)
    })
  }
  it('TransformedDistributions with different transforms have no KL', () => {
    const p = new D.TransformedDistribution(new D.Normal(0, 1), [new D.ExpTransform()])
    const q = new D.TransformedDistribution(new D.Normal(0, 1), [new D.SigmoidTransform()])
    expect(() => D.kl_divergence(p, q)).toThrow(torch.NotImplementedError)
  })
})
