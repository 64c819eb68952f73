/**
 * torch.autograd.grad's argument handling (regression: a grad_outputs tensor passed positionally,
 * PyTorch's third parameter, was taken for the options object and ignored, so a scalar output
 * silently used ones). Expected values are y = x² at x = [1, 2, 3] with v = [1, 0.5, 2]:
 * ∂(v·y)/∂x = 2·x·v = [2, 2, 12]; messages from PyTorch 1.13.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const setup = () => {
  const x = torch.tensor([1, 2, 3], { dtype: torch.float64, requires_grad: true })
  return { x, y: x.mul(x) }
}
const v = () => torch.tensor([1, 0.5, 2], { dtype: torch.float64 })

describe('torch.autograd.grad arguments', () => {
  it('takes grad_outputs positionally, with options after it', () => {
    const { x, y } = setup()
    expect(torch.autograd.grad(y, x, v(), { retain_graph: true })[0]?.tolist()).toEqual([2, 2, 12])
    expect(torch.autograd.grad(y, [x], [v()])[0]?.tolist()).toEqual([2, 2, 12])
  })

  it('a positional scalar grad_output scales a scalar output', () => {
    const { x, y } = setup()
    expect(torch.autograd.grad(y.sum(), x, torch.tensor(3, { dtype: torch.float64 }))[0]?.tolist()).toEqual([6, 12, 18])
  })

  it('refuses grad_outputs twice, unknown and unsupported options', () => {
    const { x, y } = setup()
    expect(() => torch.autograd.grad(y, x, v(), { grad_outputs: v() })).toThrow(
      "grad() got multiple values for argument 'grad_outputs'",
    )
    expect(() => torch.autograd.grad(y, x, { grad_outputs: v(), retainGraph: true } as never)).toThrow(
      "unexpected keyword argument 'retainGraph'",
    )
    expect(() => torch.autograd.grad(y, x, { grad_outputs: v(), is_grads_batched: true })).toThrow(/not supported/)
  })
})
