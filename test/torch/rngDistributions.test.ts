import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import fixture from './fixtures/rng_streams.json'

// Reference: the "distributions" case of test/torch/fixtures/rng_streams.py (PyTorch 1.13, CPU).
// Exact but for Gumbel's float32 logs (TOL32).
const cases = fixture as unknown as Record<string, ReadonlyArray<number[]>>
const flat = (t: torch.Tensor): number[] => t.reshape(-1).tolist() as number[]
const TOL32 = 4 * 2 ** -23

describe("torch.distributions samplers draw PyTorch's values", () => {
  it('sample((4,)) of each family in sequence', () => {
    const c = cases.distributions!
    const D = torch.distributions
    torch.manual_seed(41)
    const loc = torch.tensor([0, 1, -2])
    const scale = torch.tensor([1, 0.5, 2])
    const dists = [
      new D.Normal(loc, scale),
      new D.Uniform(loc, loc.add(scale)),
      new D.Exponential(scale),
      new D.Laplace(loc, scale),
      new D.Gumbel(loc, scale),
      new D.Cauchy(loc, scale),
      new D.LogNormal(loc, scale),
      new D.Bernoulli({ probs: scale.div(2) }),
      new D.Categorical({ probs: torch.tensor([0.2, 0.3, 0.5]) }),
      new D.Geometric({ probs: scale.div(2) }),
    ]
    dists.forEach((d, i) => {
      const got = flat(d.sample([4]))
      const want = c[i]!
      expect([i, got.length]).toEqual([i, want.length])
      if (i !== 4) return expect([i, got]).toEqual([i, want])
      // Gumbel: loc − scale·log(−log u) in float32, whose vectorised logs differ from JavaScript's by an ulp
      got.forEach((g, j) =>
        expect([i, j, Math.abs(g - want[j]!) <= TOL32 * Math.max(1, Math.abs(g))]).toEqual([i, j, true]),
      )
    })
    expect(flat(torch.randint_like(torch.zeros(5), 3, 9))).toEqual(c[10])
  })
})
