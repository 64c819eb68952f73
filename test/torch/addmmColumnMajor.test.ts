/**
 * AddmmBackward0 gives a column-major operand (a `t()` view, F.linear's weight) its gradient as a
 * swapped tensor (the transposed product, read through one lazy transpose), and the 2-D
 * TBackward0 before it hands that product to its leaf without a transpose (issue 18, W2). Each
 * case checks values against the same computation with the transposed operand made contiguous
 * first (no column-major path: plain matmul + add), and what PyTorch's layout contract shows.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const F = torch.nn.functional

/** Leaves with the values of `t`, for the reference computation. */
const leaf = (t: torch.Tensor): torch.Tensor => t.detach().clone().requires_grad_()

const closeTo = (a: torch.Tensor | null, b: torch.Tensor | null): void => {
  expect(a).not.toBeNull()
  expect(b).not.toBeNull()
  expect(torch.allclose(a as torch.Tensor, b as torch.Tensor, { rtol: 1e-6, atol: 1e-6 })).toBe(true)
}

describe('addmm with a transposed operand', () => {
  it('F.linear: the weight gradient is the leaf’s layout, stolen (version 0), with the reference values', () => {
    torch.manual_seed(3)
    const w = torch.randn(3, 5, { requires_grad: true })
    const b = torch.randn(3, { requires_grad: true })
    const x = torch.randn(4, 5, { requires_grad: true })
    const y = F.linear(x, w, b)
    expect(y.grad_fn?.name()).toBe('AddmmBackward0')
    y.pow(2).sum().backward()
    const [w2, b2, x2] = [leaf(w), leaf(b), leaf(x)]
    x2.matmul(w2.t().contiguous()).add(b2).pow(2).sum().backward()
    closeTo(w.grad, w2.grad)
    closeTo(b.grad, b2.grad)
    closeTo(x.grad, x2.grad)
    const g = w.grad as torch.Tensor
    expect([g.is_contiguous(), g._version, g.stride()]).toEqual([true, 0, [5, 1]])
  })

  it('a hook on the t() view sees a column-major gradient with the reference values', () => {
    torch.manual_seed(4)
    const w = torch.randn(3, 5, { requires_grad: true })
    const x = torch.randn(2, 5)
    const wt = w.t()
    const seen: torch.Tensor[] = []
    wt.register_hook((g) => void seen.push(g))
    torch.zeros(3).addmm(x, wt).mul(torch.arange(6).reshape(2, 3)).sum().backward()
    const ref = x.t().matmul(torch.arange(6).reshape(2, 3).float())
    const g = seen[0] as torch.Tensor
    expect([g.shape, g.is_contiguous(), g.stride()]).toEqual([[5, 3], false, [1, 5]])
    closeTo(g, ref)
    closeTo(w.grad, ref.t())
  })

  it('the gradients of a t() view used twice are summed, retained and captured with the reference values', () => {
    torch.manual_seed(5)
    const w = torch.randn(4, 3, { requires_grad: true })
    const x1 = torch.randn(2, 3)
    const x2 = torch.randn(5, 3)
    const loss = (wt: torch.Tensor): torch.Tensor =>
      torch
        .ones(4)
        .addmm(x1, wt)
        .sum()
        .add(torch.zeros(5, 4).addmm(x2, wt, { alpha: 2 }).pow(2).sum())
    const wtA = w.t()
    const [gwt] = torch.autograd.grad(loss(wtA), [wtA])
    const wt = w.t()
    wt.retain_grad()
    loss(wt).backward()
    const w2 = leaf(w)
    loss(w2.t().contiguous()).backward()
    closeTo(w.grad, w2.grad)
    closeTo(wt.grad, (w2.grad as torch.Tensor).t())
    closeTo(gwt ?? null, (w2.grad as torch.Tensor).t())
  })

  it('a transposed mat1, beta and alpha: the reference values', () => {
    torch.manual_seed(6)
    const a = torch.randn(3, 4, { requires_grad: true })
    const m = torch.randn(3, 2, { requires_grad: true })
    const s = torch.randn(1, 2, { requires_grad: true })
    s.addmm(a.t(), m, { beta: 0.5, alpha: -3 }).exp().sum().backward()
    const [a2, m2, s2] = [leaf(a), leaf(m), leaf(s)]
    s2.mul(0.5).add(a2.t().contiguous().matmul(m2).mul(-3)).exp().sum().backward()
    closeTo(a.grad, a2.grad)
    closeTo(m.grad, m2.grad)
    closeTo(s.grad, s2.grad)
    expect((a.grad as torch.Tensor).is_contiguous()).toBe(true)
  })

  it('create_graph through F.linear: the second derivative of the reference', () => {
    torch.manual_seed(7)
    const w = torch.randn(2, 3, { requires_grad: true })
    const x = torch.randn(4, 3, { requires_grad: true })
    const [gx] = torch.autograd.grad(F.linear(x, w, torch.zeros(2)).pow(3).sum(), [x], { create_graph: true })
    ;(gx as torch.Tensor).sum().backward()
    const [w2, x2] = [leaf(w), leaf(x)]
    const [gx2] = torch.autograd.grad(x2.matmul(w2.t().contiguous()).pow(3).sum(), [x2], { create_graph: true })
    ;(gx2 as torch.Tensor).sum().backward()
    closeTo(gx ?? null, gx2 ?? null)
    closeTo(w.grad, w2.grad)
  })
})
