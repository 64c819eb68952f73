/**
 * −0 vs 0 where PyTorch returns 0 (issue 10, difftest class D2). Expected values from IEEE
 * arithmetic: log_softmax of one element is x − logsumexp(x) = x − x, which is +0 for every
 * finite x (round to nearest), as PyTorch prints it.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

describe('signed zeros as PyTorch', () => {
  it.each([-0.75, 0.5, -3])('log_softmax of the 0-d tensor %s is +0 (method and functional), gradient 0', (v) => {
    const x = torch.tensor(v, { requires_grad: true })
    const a = x.log_softmax(-1)
    const b = torch.nn.functional.log_softmax(x, { dim: -1 })
    expect(Object.is(a.item(), 0)).toBe(true)
    expect(Object.is(b.item(), 0)).toBe(true)
    expect(Object.is(a.mean().item(), 0)).toBe(true)
    a.add(b).backward()
    expect(x.grad?.item()).toBe(0)
  })
})
