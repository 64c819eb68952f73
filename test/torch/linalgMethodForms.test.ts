/**
 * Tensor method forms of the torch.* linear-algebra functions: each gives what its function
 * gives (values and node names), as PyTorch's methods do.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const A = (): torch.Tensor =>
  torch.tensor(
    [
      [4, 1, 0.5],
      [1, 3, -0.25],
      [0.5, -0.25, 2],
    ],
    { dtype: torch.float64, requires_grad: true },
  )

describe('linear-algebra methods', () => {
  it('det, logdet, inverse, cholesky, pinverse, matrix_power, trace', () => {
    const a = A()
    // det by the rule of Sarrus
    expect(a.det().item()).toBeCloseTo(4 * (3 * 2 - 0.0625) - 1 * (2 + 0.125) + 0.5 * (-0.25 - 1.5), 12)
    expect(a.det().grad_fn?.name()).toBe('LinalgDetBackward0')
    expect(a.logdet().item()).toBeCloseTo(Math.log(a.det().item()), 12)
    const eye = a.matmul(a.inverse()).tolist() as number[][]
    eye.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 12)))
    const l = a.cholesky()
    expect(l.matmul(l.t()).sub(a).abs().max().item()).toBeLessThan(1e-12)
    expect(a.cholesky(true).t().sub(l).abs().max().item()).toBeLessThan(1e-12)
    expect(a.pinverse().sub(a.inverse()).abs().max().item()).toBeLessThan(1e-12)
    expect(a.matrix_power(2).sub(a.matmul(a)).abs().max().item()).toBeLessThan(1e-12)
    expect(a.trace().item()).toBe(9)
    expect(a.trace().grad_fn?.name()).toBe('TraceBackward0')
  })
  it('slogdet, svd, kron, cross', () => {
    const a = A()
    const [sign, logabs] = a.slogdet()
    expect(sign.item()).toBe(1)
    expect(logabs.item()).toBeCloseTo(Math.log(a.det().item()), 12)
    const [u, s, v] = a.svd()
    expect(u.matmul(torch.diag(s)).matmul(v.t()).sub(a).abs().max().item()).toBeLessThan(1e-12)
    const k = torch.tensor([[1, 2]], { dtype: torch.float64 }).kron(torch.tensor([[1], [10]], { dtype: torch.float64 }))
    expect(k.tolist()).toEqual([
      [1, 2],
      [10, 20],
    ])
    const x = torch.tensor([1, 0, 0], { dtype: torch.float64 })
    expect(x.cross(torch.tensor([0, 1, 0], { dtype: torch.float64 })).tolist()).toEqual([0, 0, 1])
  })
})
