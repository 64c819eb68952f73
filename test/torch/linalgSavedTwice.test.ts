/**
 * Linear-algebra nodes save tensors as PyTorch's do (inv_ex: the inverse; det: A and the result;
 * matrix_exp: A; solve_triangular: A and the solution), so a second backward without
 * retain_graph raises PyTorch's error (checked against PyTorch 1.13: each of these four raises;
 * difftest class `torch raises @ backward(2nd)`).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const A = (): torch.Tensor =>
  torch.tensor(
    [
      [2, 0.5],
      [0.25, 3],
    ],
    { dtype: torch.float64, requires_grad: true },
  )

const CASES: ReadonlyArray<readonly [string, (a: torch.Tensor) => torch.Tensor]> = [
  ['inv', (a) => torch.linalg.inv(a)],
  ['det', (a) => torch.linalg.det(a)],
  ['matrix_exp', (a) => torch.linalg.matrix_exp(a)],
  ['solve_triangular', (a) => torch.linalg.solve_triangular(a.triu().detach().requires_grad_(), a, { upper: true })],
]

describe('linalg nodes free their saved tensors after backward', () => {
  it.each(CASES)('%s: a second backward raises; retain_graph keeps them', (_, f) => {
    const l = f(A()).sum()
    l.backward()
    expect(() => l.backward()).toThrow('Trying to backward through the graph a second time')
    const k = f(A()).sum()
    k.backward(null, { retain_graph: true })
    expect(() => k.backward()).not.toThrow()
  })
})
