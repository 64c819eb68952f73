import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import { sampleDirichlet, sampleGamma } from '../../src/torch/sampling'
import fixture from './fixtures/rng_samplers.json'

// Reference: test/torch/fixtures/rng_samplers.py run on PyTorch 1.13 (CPU, AVX2 kernels). Exact:
// float32 normals in blocks of 16 go through the emulated AVX2 log/sin/cos (avxMath32.ts). Float64
// normals call the C library's log/sin/cos, which can differ from JavaScript's by an ulp (TOL64).
const cases = fixture as unknown as Record<string, ReadonlyArray<unknown>>
const flat = (t: torch.Tensor): number[] => t.detach().reshape(-1).tolist() as number[]
const exact = (got: ReadonlyArray<number>, want: unknown): void => expect(got).toEqual(want)
const TOL64 = 4 * 2 ** -52
const close64 = (got: ReadonlyArray<number>, want: unknown): void => {
  const w = want as number[]
  expect(got.length).toBe(w.length)
  got.forEach((g, i) => expect(Math.abs(g - (w[i] as number))).toBeLessThanOrEqual(TOL64 * Math.max(1, Math.abs(g))))
}

describe("float32 normals in blocks of 16 are PyTorch's AVX2 kernel's", () => {
  it('randn of 16+ values, tails, 2-D shapes, normal_(mean, std)', () => {
    const c = cases['randn blocks']!
    ;[16, 31, 32, 47, 100, 257, 1000].forEach((n, s) => {
      torch.manual_seed(s)
      exact(flat(torch.randn(n)), c[s])
    })
    torch.manual_seed(7)
    exact(flat(torch.randn(3, 17)), c[7])
    exact(flat(torch.randn(2, 3, 11)), c[8])
    exact(flat(torch.empty(50).normal_(0.3, 2.5)), c[9])
    exact(flat(torch.empty(6, 6).normal_(-1, 0.01)), c[10])
    close64(flat(torch.randn(40, { dtype: torch.float64 })), c[11])
  })
  it('nn.init, Embedding, torch.normal and randn_like', () => {
    const c = cases['normal users']!
    const init = torch.nn.init
    torch.manual_seed(8)
    exact(flat(init.normal_(torch.empty(64), 0.5, 0.2)), c[0])
    exact(flat(init.xavier_normal_(torch.empty(8, 10))), c[1])
    exact(flat(init.kaiming_normal_(torch.empty(6, 7))), c[2])
    exact(flat(new torch.nn.Embedding(10, 4).weight), c[3])
    exact(flat(torch.normal(torch.zeros(33), torch.full([33], 0.7))), c[4])
    exact(flat(torch.randn_like(torch.zeros(5, 5))), c[5])
  })
})

const repeat = (xs: number[], k: number): number[] => Array.from({ length: k }, () => xs).flat()
const f64 = { dtype: torch.float64 }
const f32 = { dtype: torch.float32 }

describe("poisson, binomial and gamma draws are PyTorch's CPU samplers'", () => {
  it('torch.poisson and torch.binomial in float32 and float64', () => {
    const c = cases['poisson binomial']!
    torch.manual_seed(11)
    const lam = [0, 0.5, 3, 9.9, 10, 25, 400, 1e4]
    exact(flat(torch.poisson(torch.tensor(repeat(lam, 8)))), c[0])
    exact(flat(torch.poisson(torch.tensor(repeat(lam, 4)).double())), c[1])
    const n = [0, 5, 10, 40, 100, 1000, 7, 2000]
    const p = [0.3, 0.5, 0.05, 0.3, 0.7, 0.5, 0.95, 0.001]
    exact(flat(torch.binomial(torch.tensor(repeat(n, 8)), torch.tensor(repeat(p, 8)))), c[2])
    exact(flat(torch.binomial(torch.tensor(repeat(n, 4)).double(), torch.tensor(repeat(p, 4)).double())), c[3])
    exact(flat(torch.binomial(torch.full([50], 60, f32), torch.full([50], 0.4))), c[4])
  })
  it('_standard_gamma (α < 1 boosted) and _sample_dirichlet', () => {
    const c = cases.gamma!
    torch.manual_seed(12)
    const alpha = [0.1, 0.5, 0.999, 1, 1.5, 3, 10, 150]
    const g32 = sampleGamma(null, torch.tensor(repeat(alpha, 8))._value())
    exact([...(g32.toTypedArray() as Float32Array)], c[0])
    const g64 = sampleGamma(null, torch.tensor(repeat(alpha, 4)).double()._value())
    exact([...(g64.toTypedArray() as Float64Array)], c[1])
    const conc = torch
      .tensor([
        [0.5, 1, 2],
        [3, 0.2, 1],
      ])
      .repeat(4, 1)
    exact([...(sampleDirichlet(null, conc._value()).toTypedArray() as Float32Array)], c[2])
  })
  it('Gamma, Beta, Dirichlet, Chi2, StudentT, Poisson and Binomial samples in sequence', () => {
    const c = cases['count distributions']!
    const D = torch.distributions
    torch.manual_seed(13)
    const conc = torch.tensor([0.4, 2, 7])
    const rate = torch.tensor([1, 0.5, 3])
    const dists = [
      new D.Gamma(conc, rate),
      new D.Beta(conc, rate),
      new D.Dirichlet(torch.tensor([0.4, 2, 7])),
      new D.Chi2(torch.tensor([1, 3, 10])),
      new D.StudentT(torch.tensor([1, 3, 10]), 0.5, 2),
      new D.Poisson(torch.tensor([0.5, 4, 30])),
      new D.Binomial(torch.tensor([10, 50, 100]), { probs: torch.tensor([0.2, 0.5, 0.9]) }),
    ]
    dists.forEach((d, i) => expect([i, flat(d.sample([6]))]).toEqual([i, c[i]]))
    const g = new D.Gamma(torch.tensor([0.3, 5], f64), 2)
    exact(flat(g.rsample([5])), c[7])
  })
})
