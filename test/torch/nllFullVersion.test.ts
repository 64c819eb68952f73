/**
 * poisson_nll_loss / gaussian_nll_loss with `full` add the term in place before the reduction, so
 * an unreduced result is at version 1 (difftest seeds 402028, 411625). Expected: real PyTorch 1.13
 * (fixtures/nll_full_version.py writes fixtures/nll_full_version.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/nll_full_version.json'

const F = torch.nn.functional

describe('NLL losses with full: version and node (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [`${c.name} full=${c.full} ${c.reduction}`, c] as const))('%s', (_, c) => {
    const x = torch.tensor(
      [
        [0.5, 1.25],
        [2.0, 0.75],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const t = torch.tensor(
      [
        [1.5, 0.0],
        [3.0, 2.0],
      ],
      { dtype: torch.float64 },
    )
    const reduction = c.reduction as 'none' | 'mean' | 'sum'
    const out =
      c.name === 'poisson_nll_loss'
        ? F.poisson_nll_loss(x, t, { full: c.full, reduction })
        : F.gaussian_nll_loss(x, t, torch.full([2, 2], 0.5, { dtype: torch.float64 }), { full: c.full, reduction })
    expect([out._version, out.grad_fn?.name()]).toEqual([c.version, c.grad_fn])
    ;(out.detach().flatten().tolist() as number[]).forEach((v, k) => expect(v).toBeCloseTo(c.values[k] as number, 12))
  })
})
