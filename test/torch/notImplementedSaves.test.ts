/**
 * Difftest seeds 323822, 327463, 330004, 321995 (issue 10): a NotImplemented node saves nothing, so
 * an in-place change of its result is not refused and backward raises the op's own error
 * (aten::scatter_ for the in-place form); pairwise_distance's norm reads its result, so an
 * in-place change of it is refused at the first backward. Expected texts: PyTorch 1.13 and 2.x.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

describe('saved tensors of NotImplemented and norm nodes', () => {
  it('aminmax results modified in place: backward raises the not-implemented error', () => {
    const x = torch.tensor([1.875, 0.25], { dtype: torch.float64, requires_grad: true })
    const { min, max } = torch.aminmax(x)
    min.detach().zero_()
    expect(() => max.add(min).sum().backward()).toThrow('derivative for aten::aminmax is not implemented')
  })
  it('scatter_ with reduce names aten::scatter_, scatter aten::scatter', () => {
    const x = torch.tensor([[0.5], [1.5]], { dtype: torch.float64, requires_grad: true })
    const idx = torch.tensor([[0], [0]], { dtype: torch.int64 })
    const a = x.clone()
    a.scatter_(1, idx, 2.5, { reduce: 'multiply' })
    expect(() => a.sum().backward()).toThrow('derivative for aten::scatter_ is not implemented')
    const b = x.scatter(1, idx, 2.5, { reduce: 'multiply' })
    expect(() => b.sum().backward()).toThrow('derivative for aten::scatter is not implemented')
  })
  it('pairwise_distance result modified in place: the first backward is refused', () => {
    const x = torch.tensor([1.375, 0.875, -0.25], { dtype: torch.float64, requires_grad: true })
    const d = torch.nn.functional.pairwise_distance(x, torch.tensor([-1.25], { dtype: torch.float64 }))
    d.relu_()
    expect(() => d.mean().backward()).toThrow('is at version 1; expected version 0 instead')
  })
})
