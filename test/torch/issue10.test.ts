/**
 * Issue 10 regressions on the facade (difftest classes D6, D15 and the expand message): each
 * expected text or value is what PyTorch 1.13 gives for the same program (run with Debian's
 * /usr/bin/python3; the Python spelling is in each test's comment).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type Loose = { view(): torch.Tensor; reshape(): torch.Tensor; expand(): torch.Tensor }

describe('D15: in-place through an expand that repeats no element', () => {
  it('writes through expand(-1) and new size-1 dimensions', () => {
    // z = torch.zeros(3, 2, 4); z.expand(3, -1, 4).clamp_(min=-0.5, max=1.).add_(1); z.sum() → 24
    const z = torch.zeros(3, 2, 4)
    z.expand(3, -1, 4).clamp_({ min: -0.5, max: 1 }).add_(1)
    expect(z.sum().item()).toBe(24)
    const v = torch.zeros(2)
    v.expand(1, 2).fill_(3)
    expect(v.tolist()).toEqual([3, 3])
  })
  it('still refuses an expand that repeats elements', () => {
    expect(() => torch.zeros(1, 2).expand(3, 2).mul_(2)).toThrow(
      'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.',
    )
  })
})

describe('D6: view/reshape/expand without sizes', () => {
  it('raise PyTorch’s TypeError', () => {
    const t = torch.tensor(1.875) as unknown as Loose
    // torch.tensor(1.875).view() / .reshape() / .expand()
    expect(() => t.view()).toThrow(torch.TorchTypeError)
    expect(() => t.view()).toThrow('view() received an invalid combination of arguments - got (), but expected one of:')
    expect(() => t.reshape()).toThrow('reshape() missing 1 required positional arguments: "shape"')
    expect(() => t.expand()).toThrow('expand() missing 1 required positional arguments: "size"')
    // an explicit empty shape is a 0-d view
    expect(torch.tensor(1.875).view([]).item()).toBe(1.875)
  })
})

describe('expand errors name the last mismatching dimension', () => {
  it('as infer_expand_geometry', () => {
    // torch.zeros(2, 2).expand(3, 3)
    expect(() => torch.zeros(2, 2).expand(3, 3)).toThrow(
      'The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 1.  Target sizes: [3, 3].  Tensor sizes: [2, 2]',
    )
  })
})
