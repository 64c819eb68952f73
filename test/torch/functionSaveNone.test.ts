/**
 * ctx.save_for_backward with None among the tensors (src/torch/autograd/function.ts): PyTorch
 * keeps None in its place, so `x, none, w = ctx.saved_tensors` unpacks as saved. Reference from
 * PyTorch 1.13 (/usr/bin/python3): len 3, the middle entry None, x.grad [3, 4], w.grad [1, 2].
 * Also the activation layers' keyword types (src/torch/nn/activations.ts): `{ inplace: true }`
 * and non-default numbers type-check, as `nn.ReLU6(inplace=True)` in torchvision's MobileNetV2.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

class MulSavingNone extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor, w: torch.Tensor): torch.Tensor {
    ctx.save_for_backward(x, null, w)
    return x.mul(w)
  }
  static override backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor): torch.Tensor[] {
    const saved = ctx.saved_tensors
    expect(saved.length).toBe(3)
    const [x, none, w] = saved
    expect(none).toBeNull()
    return [g.mul(w!), g.mul(x!)]
  }
}

describe('ctx.save_for_backward', () => {
  it('keeps a null in its place', () => {
    const x = torch.tensor([1, 2], { requires_grad: true })
    const w = torch.tensor([3, 4], { requires_grad: true })
    ;(MulSavingNone.apply(x, w) as torch.Tensor).sum().backward()
    expect(x.grad!.tolist()).toEqual([3, 4])
    expect(w.grad!.tolist()).toEqual([1, 2])
  })
})

describe('activation keyword types', () => {
  it('take values other than the defaults', () => {
    expect(String(torch.nn.ReLU6({ inplace: true }))).toBe('ReLU6(inplace=True)')
    expect(String(torch.nn.ELU({ alpha: 0.5, inplace: true }))).toBe('ELU(alpha=0.5, inplace=True)')
    expect(String(torch.nn.Hardswish(true))).toBe('Hardswish()')
  })
})
