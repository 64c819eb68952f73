/**
 * F.linear's `weight.t()` handed to addmm is a held view (issue 18): its transpose is never
 * computed, the product reads the weight with a transpose flag. Everything observable must be as
 * with an ordinary `t()` view: values and gradients (bit for bit: the same products), the graph,
 * the saved-tensor version error, create_graph gradients, forward AD, and reading the view's value
 * through a saved-tensor hook. The reference is the same composition written with `weight.t()`.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const F = torch.nn.functional

const data = (n: number, m: number, s: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Math.sin(s + 3 * i + j) * (1 + i)))

const leaves = (xGrad: boolean) => ({
  x: torch.tensor(data(4, 3, 0.5), { requires_grad: xGrad }),
  w: torch.tensor(data(2, 3, 1.5), { requires_grad: true }),
  b: torch.tensor([0.25, -1], { requires_grad: true }),
})

/** The result and leaf gradients of `f(x, w, b)` after a weighted backward. */
const run = (f: (x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) => torch.Tensor) => {
  const { x, w, b } = leaves(true)
  const y = f(x, w, b)
  y.backward(torch.tensor(data(4, 2, 2.5)))
  return { y: y.tolist(), gx: x.grad?.tolist(), gw: w.grad?.tolist(), gb: b.grad?.tolist(), fn: y.grad_fn?.name() }
}

describe('F.linear with a held weight.t()', () => {
  it('gives the values and gradients of addmm over an ordinary t() view, bit for bit', () => {
    const held = run((x, w, b) => F.linear(x, w, b))
    const plain = run((x, w, b) => b.addmm(x, w.t()))
    expect(held).toEqual(plain)
    expect(held.fn).toBe('AddmmBackward0')
  })

  it('keeps the graph: AddmmBackward0 over TBackward0 over the weight, column-major strides', () => {
    const { x, w, b } = leaves(false)
    const y = F.linear(x, w, b)
    const edges = y.grad_fn?.next_functions.map(([n]) => n?.name() ?? null)
    expect(edges).toEqual(['torch::autograd::AccumulateGrad', null, 'TBackward0'])
    const t = y.grad_fn?.next_functions[2]?.[0]
    expect(t?.next_functions[0]?.[0]?.name()).toBe('torch::autograd::AccumulateGrad')
    const wt = w.t()
    expect([wt.stride(0), wt.stride(1)]).toEqual([1, 3])
  })

  it('raises the saved-tensor version error of an ordinary t() view (its grad_fn regenerated)', () => {
    const message = (f: (x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) => torch.Tensor): string => {
      const { x, w, b } = leaves(true)
      const y = f(x, w, b)
      torch.no_grad(() => w.mul_(2))
      try {
        y.sum().backward()
      } catch (e) {
        return (e as Error).message
      }
      return 'no error'
    }
    const held = message((x, w, b) => F.linear(x, w, b))
    expect(held).toContain('[torch.FloatTensor [3, 2]], which is output 0 of AsStridedBackward0, is at version 1')
    expect(held).toBe(message((x, w, b) => b.addmm(x, w.t())))
  })

  it('reads the view through a saved-tensor hook and under create_graph as an ordinary t()', () => {
    const packed: number[][][] = []
    const second = (f: (x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) => torch.Tensor) => {
      const { x, w, b } = leaves(true)
      const y = torch.autograd.graph.saved_tensors_hooks(
        (t) => {
          packed.push(t.tolist() as number[][])
          return t
        },
        (t) => t as torch.Tensor,
        () => f(x, w, b),
      )
      const [gx] = torch.autograd.grad(y.square().sum(), [x], { create_graph: true })
      const [gw] = torch.autograd.grad((gx as torch.Tensor).square().sum(), [w])
      return (gw as torch.Tensor).tolist()
    }
    const held = second((x, w, b) => F.linear(x, w, b))
    const heldPacked = packed.splice(0)
    expect(held).toEqual(second((x, w, b) => b.addmm(x, w.t())))
    expect(heldPacked).toEqual(packed)
    expect(heldPacked).toContainEqual(
      [
        [Math.sin(1.5), Math.sin(4.5) * 2],
        [Math.sin(2.5), Math.sin(5.5) * 2],
        [Math.sin(3.5), Math.sin(6.5) * 2],
      ].map((r) => r.map((v) => Math.fround(v))),
    )
  })

  it('gives forward-AD tangents of the ordinary composition', () => {
    const fwd = torch.autograd.forward_ad
    const tangent = (f: (x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) => torch.Tensor) =>
      fwd.dual_level(() => {
        const { x, b } = leaves(false)
        const w = fwd.make_dual(torch.tensor(data(2, 3, 1.5)), torch.tensor(data(2, 3, 4.5)))
        return fwd.unpack_dual(f(x, w, b)).tangent?.tolist()
      })
    expect(tangent((x, w, b) => F.linear(x, w, b))).toEqual(tangent((x, w, b) => b.addmm(x, w.t())))
  })
})
