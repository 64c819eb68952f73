/**
 * ctx.mark_dirty of torch.autograd.Function (src/torch/autograd/functionDirty.ts): the modified
 * input is returned as itself with the Function's grad_fn, its version bumped by the in-place op
 * and once more for the rebase, and PyTorch's errors. Reference behaviour from PyTorch 1.13
 * (/usr/bin/python3): `y is b`, version +2, grad_fn IncBackward, a.grad [3, 3], y [3, 6]; the leaf
 * message is "has been used" in 1.13 and 2.x alike (torch/csrc/autograd/custom_function.cpp; the
 * "is being used" wording is the generic in-place check's, not a Function's).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

class Inc extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor): torch.Tensor {
    x.mul_(3)
    ctx.mark_dirty(x)
    return x
  }
  static override backward(_ctx: torch.autograd.FunctionCtx, g: torch.Tensor): torch.Tensor {
    return g.mul(3)
  }
}

class Forgot extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor): torch.Tensor {
    ctx.mark_dirty(x)
    return x.mul(2)
  }
  static override backward(_ctx: torch.autograd.FunctionCtx, g: torch.Tensor): torch.Tensor {
    return g
  }
}

describe('autograd.Function ctx.mark_dirty', () => {
  it('returns the modified input itself, rebased onto the Function node', () => {
    const a = torch.tensor([1.0, 2.0], { requires_grad: true })
    const b = a.mul(1)
    const v = b._version
    const y = Inc.apply(b) as torch.Tensor
    expect(y).toBe(b)
    expect(b._version - v).toBe(2)
    expect(y.grad_fn?.name()).toBe('IncBackward')
    y.sum().backward()
    expect(a.grad?.tolist()).toEqual([3, 3])
    expect(y.tolist()).toEqual([3, 6])
  })
  it("raises PyTorch's errors", () => {
    expect(() => Inc.apply(torch.tensor([1.0], { requires_grad: true }))).toThrow(
      'a leaf Variable that requires grad has been used in an in-place operation.',
    )
    expect(() => Forgot.apply(torch.tensor([1.0]).mul(1))).toThrow(
      'Some elements marked as dirty during the forward method were not returned as output.',
    )
    // no input requires grad: the modified tensor is returned, values changed
    const c = torch.tensor([1.0, 2.0])
    expect((Inc.apply(c) as torch.Tensor).tolist()).toEqual([3, 6])
    expect(c.tolist()).toEqual([3, 6])
  })
})
