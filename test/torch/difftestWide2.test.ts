/**
 * The differential tester's wide-range classes (issue 10, session 17): class weights requiring
 * grad (refused by PyTorch's autograd for bce, bce_with_logits, nll_loss, multi_margin_loss; a
 * differentiable operand of cross_entropy with class probabilities), F.group_norm's batch check
 * and mvlgamma without a domain check. Expected answers: real PyTorch 1.13 runs of the same
 * programs (fixtures/difftest_wide2.py writes fixtures/difftest_wide2.json; 2.x agrees, see there).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_wide2.json'

describe('difftest wide range, session 17 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const res = outcome(c.ts)
    // edges are not compared (see the fixture script)
    const got = Array.isArray(res)
      ? res.map((t: unknown) => (t === null ? t : { ...(t as object), edges: undefined }))
      : res
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })

  it('group_norm of a 1-D input raises the rank error of PyTorch 2.x (1.13: an IndexError)', () => {
    // torch/nn/functional.py group_norm (2.x) checks input.dim() < 2 before the batch check
    expect(() => torch.nn.functional.group_norm(torch.ones(2), 1)).toThrow(
      'Expected at least 2 dimensions for input tensor but received 1',
    )
  })

  it('cross_entropy with class probabilities passes gradcheck in its weight', () => {
    const x = torch.tensor([[-0.5, 1.25, 0.75]], { dtype: torch.float64, requires_grad: true })
    const y = torch.tensor([[0.25, 0.5, 0.25]], { dtype: torch.float64 })
    const w = torch.tensor([0.5, 2, 1.5], { dtype: torch.float64, requires_grad: true })
    const f = (a: torch.Tensor, b: torch.Tensor): torch.Tensor =>
      torch.nn.functional.cross_entropy(a, y, { weight: b, label_smoothing: 0.25 })
    expect(torch.autograd.gradcheck(f, [x, w])).toBe(true)
  })
})
