import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const D = torch.distributions
// expected strings printed by PyTorch 1.13 (/usr/bin/python3) for the same calls
describe('distribution repr follows what PyTorch caches on the instance', () => {
  it('a lazily derived probs/logits joins the repr once read, in arg_constraints order, and survives expand', () => {
    const g = new D.Geometric(torch.tensor(0.25))
    expect(String(g)).toBe('Geometric(probs: 0.25)')
    void g.logits
    expect(String(g)).toBe('Geometric(probs: 0.25, logits: -1.0986123085021973)')
    expect(String(g.expand([2]))).toBe('Geometric(probs: torch.Size([2]), logits: torch.Size([2]))')
    const b = new D.Binomial(3, torch.tensor([0.5, 0.25]))
    expect(String(b.expand([2, 2]))).toBe('Binomial(total_count: torch.Size([2, 2]), probs: torch.Size([2, 2]))')
    void b.logits
    expect(String(b)).toBe('Binomial(total_count: torch.Size([2]), probs: torch.Size([2]), logits: torch.Size([2]))')
    const c = new D.Categorical({ logits: torch.tensor([0.5, 1.0]) })
    void c.probs
    expect(String(c)).toBe('Categorical(probs: torch.Size([2]), logits: torch.Size([2]))')
  })
  it("Beta's repr is Beta(); a float 0-dim IntegerInterval bound prints as a float", () => {
    expect(String(new D.Beta(torch.tensor(1.5), torch.tensor(2.0)))).toBe('Beta()')
    const b = new D.Binomial(1, { logits: torch.tensor(1.875) })
    expect(String(b.support)).toBe('IntegerInterval(lower_bound=0, upper_bound=1.0)')
  })
  it('MultivariateNormal.variance expands the unbroadcast result (ExpandBackward0)', () => {
    const L = torch.tensor(
      [
        [1.5, 0],
        [0.5, 1],
      ],
      { requires_grad: true },
    )
    const v = new D.MultivariateNormal(torch.zeros(3, 2), { scale_tril: L }).variance
    expect(v.grad_fn?.name()).toBe('ExpandBackward0')
    expect(v.tolist()).toEqual([
      [2.25, 1.25],
      [2.25, 1.25],
      [2.25, 1.25],
    ])
  })
})
