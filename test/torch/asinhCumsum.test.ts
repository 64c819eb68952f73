/**
 * The facade's asinh and cumsum on the primitives added by the add-a-primitive checklist (issue 9):
 * values, gradients and node names against PyTorch (test/torch/fixtures/asinh_cumsum.py), and
 * cumsum as one pass (a NaN poisons only what follows it, as in PyTorch; the facade's earlier
 * triangular-matmul cumsum spread it over the whole row).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

describe('torch.asinh and torch.cumsum', () => {
  it('values, gradient and node names equal PyTorch', () => {
    // Arrange
    const x = torch.tensor(
      [
        [-2, 0.5, 3],
        [1, 4, -1],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const w = torch.tensor(
      [
        [1, 2, 3],
        [-1, 0.5, 2],
      ],
      { dtype: torch.float64 },
    )
    // Act
    const y = torch.asinh(x)
    const z = y.cumsum(1)
    z.mul(w).sum().backward()
    // Assert
    expect([y.grad_fn?.name(), z.grad_fn?.name()]).toEqual(['AsinhBackward0', 'CumsumBackward0'])
    const close = (a: number[][], b: number[][]): void =>
      a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i]?.[j] ?? NaN, 14)))
    close(z.tolist() as number[][], [
      [-1.4436354751788103, -0.9624236501192068, 0.85602280911286],
      [0.881373587019543, 2.9760861342806444, 2.0947125472611012],
    ])
    close(x.grad?.tolist() as number[][], [
      [2.6832815729997477, 4.47213595499958, 0.9486832980505138],
      [1.0606601717798212, 0.6063390625908325, 1.414213562373095],
    ])
  })

  it('cumsum: NaN poisons only what follows; integers stay integers; dtype casts first; 0-d', () => {
    expect(torch.tensor([1, 2, NaN, 4]).cumsum(0).tolist()).toEqual([1, 3, NaN, NaN])
    const i = torch.tensor([1, 2, 3], { dtype: torch.int64 }).cumsum(0)
    expect([i.dtype, i.tolist()]).toEqual([torch.int64, [1, 3, 6]])
    const d = torch
      .tensor([
        [1, 2],
        [3, 4],
      ])
      .cumsum({ dim: 0, dtype: torch.float64 })
    expect([d.dtype, d.tolist()]).toEqual([
      torch.float64,
      [
        [1, 2],
        [4, 6],
      ],
    ])
    expect(torch.tensor(5).cumsum(0).item()).toBe(5)
    expect(() => (torch.tensor([1, 2]).cumsum as () => unknown)()).toThrow(/cumsum\(\) received an invalid combination/)
  })
})
