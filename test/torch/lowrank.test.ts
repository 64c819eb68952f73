/**
 * torch.svd_lowrank / pca_lowrank on matrices of rank ≤ q, where the randomized result is exact:
 * singular values and reconstructions against real PyTorch 1.13 (fixtures/lowrank.py writes
 * fixtures/lowrank.json), orthonormal factors, gradients against float64 finite differences and
 * the error texts.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/lowrank.json'

const mat = (m: number, n: number, k: number): torch.Tensor => {
  const a = torch
    .arange(m * k, { dtype: torch.float64 })
    .mul(0.37)
    .sin()
    .reshape(m, k)
  const b = torch
    .arange(k * n, { dtype: torch.float64 })
    .mul(0.61)
    .cos()
    .reshape(k, n)
  return a.matmul(b)
}
const close = (got: torch.Tensor, want: unknown, atol = 1e-9): void => {
  expect(got.allclose(torch.tensor(want as number[], { dtype: torch.float64 }), { atol, rtol: 1e-9 })).toBe(true)
}

describe('svd_lowrank', () => {
  it.each(fixture.svd.map((c) => [`${c.m}x${c.n} rank ${c.k}, q=${c.q}`, c] as const))('%s', (_, c) => {
    // Arrange
    torch.manual_seed(3)
    const a = mat(c.m, c.n, c.k)
    // Act
    const [U, S, V] = torch.svd_lowrank(a, { q: c.q })
    // Assert
    close(S, c.S)
    close(U.matmul(torch.diag(S)).matmul(V.mT), c.recon)
    close(V.mT.matmul(V), torch.eye(c.q, { dtype: torch.float64 }).tolist())
    expect([U.shape, V.shape]).toEqual([
      [c.m, c.q],
      [c.n, c.q],
    ])
  })

  it('gives the gradient of the largest singular value (float64 central differences)', () => {
    const a0 = mat(5, 4, 2)
    const f = (a: torch.Tensor): torch.Tensor => {
      torch.manual_seed(5)
      return torch.svd_lowrank(a, { q: 2, niter: 2 })[1].select(0, 0)
    }
    const a = a0.clone().requires_grad_()
    f(a).backward()
    const g = a.grad!.reshape(-1).tolist() as number[]
    const h = 1e-6
    for (let i = 0; i < 20; i += 3) {
      const e = torch.zeros(20, { dtype: torch.float64 })
      e.index_fill_(0, torch.tensor([i], { dtype: torch.int64 }), h)
      const d = e.reshape(5, 4)
      expect(g[i]).toBeCloseTo((f(a0.add(d)).item() - f(a0.sub(d)).item()) / (2 * h), 6)
    }
  })
})

describe('pca_lowrank', () => {
  it('centres the columns and decomposes the rest', () => {
    torch.manual_seed(4)
    const [U, S, V] = torch.pca_lowrank(mat(6, 4, 2).add(3), { q: 2 })
    close(S, fixture.pca.S)
    close(U.matmul(torch.diag(S)).matmul(V.mT), fixture.pca.recon)
  })
  it('raises PyTorch’s errors for q and niter', () => {
    expect(() => torch.pca_lowrank(mat(3, 4, 2), { q: 5 })).toThrow(fixture.errors.q[1] as string)
    expect(() => torch.pca_lowrank(mat(3, 4, 2), { q: 2, niter: -1 })).toThrow(fixture.errors.niter[1] as string)
  })
})
