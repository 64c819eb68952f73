import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import fixture from './fixtures/cross_map_lrn2d.json'

// Reference: test/torch/fixtures/cross_map_lrn2d.py on PyTorch 1.13 (CPU); the 4-D error text is 2.x's.
interface Case {
  shape: number[]
  size: number
  alpha: number
  beta: number
  k: number
  x: number[]
  g: number[]
  y: number[]
  gx: number[]
  grad_fn: string
}
const fx = fixture as unknown as {
  cases: Case[]
  size1_x: number[]
  size1_y: number[]
  size1_error: string
  reprs: string[]
  error_2x: string
}
const flat = (t: torch.Tensor): number[] => t.detach().reshape(-1).tolist() as number[]
const close = (got: number[], want: number[], tol = 1e-12): void => {
  expect(got.length).toBe(want.length)
  got.forEach((v, i) => expect(Math.abs(v - (want[i] as number))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v))))
}

describe('nn.CrossMapLRN2d as PyTorch', () => {
  it.each(fx.cases.map((c, i) => [i, c] as const))('case %i: forward, grad_fn and backward', (_, c) => {
    const x = torch.tensor(c.x, { dtype: torch.float64 }).reshape(c.shape).requires_grad_()
    const y = torch.nn.CrossMapLRN2d(c.size, c.alpha, c.beta, c.k).forward(x)
    close(flat(y), c.y)
    expect(y.grad_fn?.name()).toBe(c.grad_fn)
    const [gx] = torch.autograd.grad([y], [x], [torch.tensor(c.g, { dtype: torch.float64 }).reshape(c.shape)])
    close(flat(gx!), c.gx)
  })

  it('size 1: forward as PyTorch, backward raises its narrow error', () => {
    const x = torch.tensor(fx.size1_x, { dtype: torch.float64 }).reshape(1, 3, 2, 2).requires_grad_()
    const y = torch.nn.CrossMapLRN2d(1).forward(x)
    close(flat(y), fx.size1_y)
    expect(() => y.sum().backward()).toThrow(fx.size1_error)
  })

  it('rejects input that is not 4-D with the 2.x ValueError', () => {
    const m = torch.nn.CrossMapLRN2d(3)
    expect(() => m.forward(torch.ones(2, 3, 4))).toThrow(fx.error_2x)
    expect(() => m.forward(torch.ones(2, 3, 4))).toThrow(torch.TorchValueError)
  })

  it('repr', () => {
    expect(String(torch.nn.CrossMapLRN2d(5))).toBe(fx.reprs[0])
    expect(String(torch.nn.CrossMapLRN2d(3, 0.001, 0.5, 2))).toBe(fx.reprs[1])
  })

  // With one channel both windows hold that channel alone, so PyTorch's backward is the exact
  // derivative: compare it with float64 central differences.
  it.each([2, 3, 5])('one channel, size %i: backward equals finite differences', (size) => {
    const vals = [0.3, -1.2, 0.7, 2.1, -0.4, 1.5]
    const f = (v: number[]): torch.Tensor =>
      torch.nn.CrossMapLRN2d(size, 0.7, 0.8, 1.3).forward(torch.tensor(v, { dtype: torch.float64 }).reshape(2, 1, 3, 1))
    const x = torch.tensor(vals, { dtype: torch.float64 }).reshape(2, 1, 3, 1).requires_grad_()
    const w = [1, -2, 0.5, 3, -1, 0.25]
    const wt = torch.tensor(w, { dtype: torch.float64 }).reshape(2, 1, 3, 1)
    const [gx] = torch.autograd.grad([torch.nn.CrossMapLRN2d(size, 0.7, 0.8, 1.3).forward(x).mul(wt).sum()], [x])
    const h = 1e-6
    const fd = vals.map((_, i) => {
      const up = [...vals]
      const dn = [...vals]
      up[i] = (up[i] as number) + h
      dn[i] = (dn[i] as number) - h
      return ((f(up).mul(wt).sum().item() as number) - (f(dn).mul(wt).sum().item() as number)) / (2 * h)
    })
    close(flat(gx!), fd, 1e-7)
  })
})
