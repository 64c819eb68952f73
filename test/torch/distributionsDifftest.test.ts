/**
 * torch.distributions behaviour the differential tester's dist kind (seeds 440000–441999) found
 * wrong, against real PyTorch 1.13 runs (scripts/fixtures/dist_difftest.py writes
 * test/fixtures/torch/dist_difftest.json; each case reads the same in 2.x's source):
 * - kl_divergence of PyTorch's registered cross-family pairs (they raised NotImplementedError),
 *   with +inf entries set by index assignment (version 1) where PyTorch sets them so;
 * - Gamma.rsample clamps through a detached alias: the draw keeps DivBackward0 and version 1;
 * - the base class's unimplemented quantities raise NotImplementedError with no message;
 * - angle of a complex tensor is one AngleBackward0 node, its gradient 0 at z = 0;
 * - torch.bernoulli of float64 probabilities draws a double uniform per element;
 * - the mode of a distribution without one names the class as Python prints it;
 * - quantities whose last op PyTorch records differently (a reverse subtraction, an expand, an
 *   index assignment into a clone) record PyTorch's node and version;
 * - a 1-D transform's n of -1 is refused; Beta validates through the Dirichlet PyTorch builds
 *   first; OneHotCategorical has the Categorical pair's KL;
 * - the modes of Gamma, Exponential, Beta, Dirichlet, Bernoulli and Binomial record PyTorch's ops.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from '../fixtures/torch/dist_difftest.json'
import { typeName } from '../helpers/nodeNames'

const D = torch.distributions
const t = (x: number[]): torch.Tensor => torch.tensor(x, { dtype: torch.float64 })
const MAKE: Record<string, () => torch.distributions.Distribution> = {
  Normal: () => D.Normal(t([0.3, -1]), t([1.5, 0.7])),
  Gamma: () => D.Gamma(t([2.5, 0.7]), t([1.25, 2])),
  Exponential: () => D.Exponential(t([1.5, 0.5])),
  Beta: () => D.Beta(t([2, 0.75]), t([1.5, 3])),
  Uniform: () => D.Uniform(t([0.25, -0.5]), t([0.75, 2.5])),
  Gumbel: () => D.Gumbel(t([0.5, -1]), t([1.5, 0.8])),
  Pareto: () => D.Pareto(t([0.5, 1.5]), t([2.5, 1.5])),
  Cauchy: () => D.Cauchy(t([0.5, -1]), t([1.5, 0.8])),
  Bernoulli: () => D.Bernoulli({ probs: t([0.25, 0.75]) }),
  Poisson: () => D.Poisson(t([1.5, 3])),
  Binomial: () => D.Binomial({ total_count: t([3, 4]), probs: t([0.25, 0.5]) }),
  Binomial2: () => D.Binomial({ total_count: t([3, 2]), probs: t([0.5, 0.125]) }),
}

describe('kl_divergence of the cross-family pairs', () => {
  for (const c of fixture.kl_cross)
    it(`${c.p} ‖ ${c.q}`, () => {
      const r = D.kl_divergence(MAKE[c.p]!(), MAKE[c.q]!())
      const got = (r.tolist() as number[]).map((x) => (Number.isFinite(x) ? x : null))
      got.forEach((x, k) => {
        const want = c.values[k] ?? null
        if (want === null) expect(x).toBeNull()
        else expect(x).toBeCloseTo(want, 12)
      })
      expect(r._version).toBe(c.version)
    })
})

describe('Gamma.rsample', () => {
  it('keeps the division node and counts the clamp in its version', () => {
    const c = torch.tensor([1.5, 2.5], { requires_grad: true })
    torch.manual_seed(3)
    const s = D.Gamma(c, torch.tensor([1, 2])).rsample()
    s.sum().backward()
    const f = fixture.gamma_rsample
    expect(s.grad_fn?.name()).toBe(f.grad_fn)
    expect(s._version).toBe(f.version)
    ;(s.tolist() as number[]).forEach((x, k) => expect(x).toBeCloseTo(f.values[k]!, 6))
    // the implicit-reparameterisation gradient agrees to ~3e-5 relative only (left open: see the report)
    ;(c.grad!.tolist() as number[]).forEach((x, k) => expect(x).toBeCloseTo(f.grad[k]!, 3))
  })
})

describe('quantities the base class does not implement', () => {
  it("raise NotImplementedError with PyTorch's (empty) message", () => {
    const d = D.TransformedDistribution(D.Normal(t([0]), t([1])), [new D.transforms.ExpTransform()])
    const f = fixture.not_implemented as Record<string, string>
    for (const [name, msg] of Object.entries(f)) {
      const get = (): unknown => (name === 'entropy' ? d.entropy() : (d as unknown as Record<string, unknown>)[name])
      expect(get).toThrow(torch.NotImplementedError)
      try {
        get()
      } catch (e) {
        expect((e as Error).message).toBe(msg)
      }
    }
  })
})

describe('angle of a complex tensor', () => {
  it('records AngleBackward0 with gradient 0 at z = 0', () => {
    const x = torch.tensor([1, -2, 0, 0.5], { dtype: torch.float64, requires_grad: true })
    const y = torch.tensor([0.5, 1.5, 0, -3], { dtype: torch.float64, requires_grad: true })
    const a = torch.complex(x, y).angle()
    a.mul(torch.tensor([1, 2, 3, 4], { dtype: torch.float64 }))
      .sum()
      .backward()
    const f = fixture.complex_angle
    expect(a.grad_fn?.name()).toBe(f.grad_fn)
    ;(a.tolist() as number[]).forEach((v, k) => expect(v).toBeCloseTo(f.values[k]!, 12))
    ;(x.grad!.tolist() as number[]).forEach((v, k) =>
      expect(Object.is(v, f.gx[k]) || Math.abs(v - f.gx[k]!) < 1e-12).toBe(true),
    )
    ;(y.grad!.tolist() as number[]).forEach((v, k) => expect(Math.abs(v - f.gy[k]!) < 1e-12).toBe(true))
  })
})

describe('bernoulli of float64 probabilities', () => {
  it("draws PyTorch's double uniforms (float ones for float32)", () => {
    const p = torch.tensor([0.2, 0.5, 0.7, 0.9, 0.1, 0.6], { dtype: torch.float64 })
    for (const [name, dt] of [
      ['f64', torch.float64],
      ['f32', torch.float32],
    ] as const) {
      torch.manual_seed(0)
      const got = (torch.bernoulli(p.to(dt).expand(2, 6)).flatten().tolist() as number[]).map(Number)
      expect(got).toEqual(fixture.bernoulli_f64[name])
    }
  })
})

describe('mode of a distribution without one', () => {
  it('names the class with its module path', () => {
    const m = fixture.mode_message as Record<string, string>
    const ds: Record<string, torch.distributions.Distribution> = {
      RelaxedBernoulli: D.RelaxedBernoulli(torch.tensor(0.5), { probs: torch.tensor([0.5]) }),
      RelaxedOneHotCategorical: D.RelaxedOneHotCategorical(torch.tensor(0.5), { probs: torch.tensor([0.5, 0.5]) }),
    }
    for (const [name, d] of Object.entries(ds)) expect(() => d.mode).toThrow(m[name]!)
  })
})

describe("quantities recorded with PyTorch's last op", () => {
  const r = (x: number[] | number[][]): torch.Tensor => torch.tensor(x, { dtype: torch.float64, requires_grad: true })
  const r0 = (x: number): torch.Tensor => torch.tensor(x, { dtype: torch.float64, requires_grad: true })
  const v = torch.tensor([0.5, -1.25], { dtype: torch.float64 })
  const cases: Record<string, () => torch.Tensor> = {
    cauchy_log_prob: () => D.Cauchy(r([0.25, 1]), r([1.5, 0.5])).log_prob(v),
    laplace_cdf: () => D.Laplace(r([0.25, 1]), r([1.5, 0.5])).cdf(v),
    exponential_cdf: () => D.Exponential(r([1.5, 0.5])).cdf(v.abs()),
    exponential_entropy: () => D.Exponential(r([1.5, 0.5])).entropy(),
    beta_entropy: () => D.Beta(r([1.5, 0.75]), r([2, 2.5])).entropy(),
    mvn_entropy: () =>
      D.MultivariateNormal(
        r([
          [0.5, 1],
          [0, -1],
        ]),
        {
          scale_tril: r([
            [1.5, 0],
            [0.25, 0.75],
          ]),
        },
      ).entropy(),
    studentt_mean: () => D.StudentT(r([3, 2.5]), r([0.5, 1]), r([1.5, 2])).mean,
    studentt_variance: () => D.StudentT(r([3, 2.5]), r([0.5, 1]), r([1.5, 2])).variance,
    uniform_kl: () => D.kl_divergence(D.Uniform(r([0, 0.5]), r([1, 2])), D.Uniform(r([-1, 1]), r([1.5, 3]))),
    studentt_variance_0d: () => D.StudentT(r0(1.5), r0(0.5), r0(1.5)).variance,
    beta_uniform_0d: () => D.kl_divergence(D.Beta(r0(2), r0(1.5)), D.Uniform(r0(0.25), r0(2))),
    gamma_mode: () => D.Gamma(r([0.5, 2.5]), r([1.5, 2])).mode,
    exponential_mode: () => D.Exponential(r([0.5, 2.5])).mode,
    beta_mode: () => D.Beta(r([0.5, 2.5]), r([1.5, 2])).mode,
    dirichlet_mode: () =>
      D.Dirichlet(
        r([
          [0.5, 0.75, 0.25],
          [1.5, 2, 0.5],
        ]),
      ).mode,
    dirichlet_mode_0d: () => D.Dirichlet(r([0.5, 0.75, 0.25])).mode,
    bernoulli_mode: () => D.Bernoulli({ probs: r([0.5, 0.25, 0.75]) }).mode,
    binomial_mode: () => D.Binomial({ total_count: 4, probs: r([0.5, 0.25]) }).mode,
  }
  const nodes = fixture.nodes as Record<
    string,
    { grad_fn: string | null; version: number; values: Array<number | null>; nan: boolean[] }
  >
  for (const [name, f] of Object.entries(cases))
    it(name, () => {
      const x = f()
      const want = nodes[name]!
      expect(typeName(x.grad_fn)).toBe(want.grad_fn)
      expect(x._version).toBe(want.version)
      ;([x.flatten().tolist()].flat() as number[]).forEach((y, k) => {
        const w = want.values[k] ?? null
        if (want.nan[k] === true) expect(Number.isNaN(y)).toBe(true)
        else if (w === null) expect(Number.isFinite(y)).toBe(false)
        else expect(y).toBeCloseTo(w, 12)
      })
    })
})

describe('argument errors and the OneHotCategorical KL', () => {
  const msg = (f: () => unknown): [string, string] | null => {
    try {
      f()
    } catch (e) {
      return [(e as Error).name, (e as Error).message.split('\n')[0]!]
    }
    return null
  }
  it("raise PyTorch's class and message", () => {
    const e = fixture.errors
    expect(msg(() => torch.fft.fft(torch.ones(3), { n: -1 }))).toEqual(e.fft_n)
    expect(msg(() => torch.fft.ihfft(torch.ones(3), { n: -1 }))).toEqual(e.ihfft_n)
    expect(msg(() => D.Beta(torch.tensor([1, 2]), torch.tensor([-0.5, 1])))).toEqual(e.beta)
  })
  it('OneHotCategorical ‖ OneHotCategorical', () => {
    const p = D.OneHotCategorical({ logits: t([0.5, -1, 0.25, 1, 0, 0]).reshape(2, 3) })
    const q = D.OneHotCategorical({ probs: t([0.25, 0.5, 0.25, 0.125, 0.5, 0.375]).reshape(2, 3) })
    ;(D.kl_divergence(p, q).tolist() as number[]).forEach((x, k) => expect(x).toBeCloseTo(fixture.onehot_kl[k]!, 12))
  })
})
