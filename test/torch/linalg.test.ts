/**
 * torch.linalg and torch's matrix functions against real PyTorch 1.13 (float64): values,
 * gradients of sum(out · w) and node names from test/torch/fixtures/linalg.py (→ linalg.json);
 * error texts as PyTorch prints them.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import type { NestedArray } from 'wengert'
import { expectClose } from '../transforms/helpers'
import { f64 } from '../transforms/helpers'

interface Case {
  readonly input: number[][]
  readonly value: NestedArray
  readonly grad: number[][]
  readonly node: string
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/linalg.json', import.meta.url), 'utf8')) as Record<
  string,
  Case
>

const rhs = (): torch.Tensor => torch.tensor([0.3, -1.2, 0.8], { dtype: torch.float64 })
const cases: Record<string, (a: torch.Tensor) => torch.Tensor> = {
  'linalg.cholesky': (a) => torch.linalg.cholesky(a),
  'linalg.cholesky_upper': (a) => torch.linalg.cholesky(a, { upper: true }),
  'linalg.det': (a) => torch.linalg.det(a),
  'linalg.inv': (a) => torch.linalg.inv(a),
  'linalg.solve': (a) => torch.linalg.solve(a, rhs()),
  'linalg.eigvalsh': (a) => torch.linalg.eigvalsh(a),
  'linalg.svdvals': (a) => torch.linalg.svdvals(a),
  'linalg.matrix_power_3': (a) => torch.linalg.matrix_power(a, 3),
  'linalg.matrix_power_m1': (a) => torch.linalg.matrix_power(a, -1),
  tril: (a) => torch.tril(a),
  triu_1: (a) => torch.triu(a, 1),
  trace: (a) => torch.trace(a),
  diagonal: (a) => torch.diagonal(a),
  det: (a) => torch.det(a),
  inverse: (a) => torch.inverse(a),
}

describe('torch.linalg against PyTorch 1.13', () => {
  it.each(Object.keys(cases))('%s: value, gradient and node name', (name) => {
    // Arrange
    const c = fixture[name] as Case
    const a = torch.tensor(c.input, { dtype: torch.float64, requires_grad: true })
    // Act
    const y = (cases[name] as (a: torch.Tensor) => torch.Tensor)(a)
    const n = y.numel()
    const w = torch
      .arange(n, { dtype: torch.float64 })
      .mul(0.1)
      .add(1)
      .reshape([...y.shape]) // a list: y may be 0-d, and reshape() with no sizes raises as in PyTorch
    y.mul(w).sum().backward()
    // Assert
    expectClose(f64(y.flatten().tolist() as number[]), [c.value].flat(3) as number[], { rtol: 1e-9, atol: 1e-10 })
    expectClose(f64(a.grad?.flatten().tolist() as number[]), c.grad.flat(), { rtol: 1e-8, atol: 1e-10 })
    expect(y.grad_fn?.name()).toBe(c.node)
  })
})

describe('torch.linalg errors (PyTorch 1.13 texts)', () => {
  it('not positive definite, batched, not square, too few dims, singular', () => {
    const bad = torch.tensor([
      [1, 2],
      [2, 1],
    ])
    expect(() => torch.linalg.cholesky(bad)).toThrow(
      'linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 2 is not positive-definite).',
    )
    expect(() => torch.linalg.cholesky(bad)).toThrow(torch.linalg.LinAlgError)
    expect(() => torch.linalg.cholesky(torch.stack([torch.eye(2), bad]))).toThrow(
      'linalg.cholesky: (Batch element 1): The factorization could not be completed because the input is not positive-definite (the leading minor of order 2 is not positive-definite).',
    )
    expect(() => torch.linalg.cholesky(torch.ones(2, 3))).toThrow(
      'linalg.cholesky: A must be batches of square matrices, but they are 2 by 3 matrices',
    )
    expect(() => torch.linalg.det(torch.ones(3))).toThrow(
      'linalg.det: The input tensor A must have at least 2 dimensions.',
    )
    expect(() => torch.linalg.inv(torch.zeros(2, 2, 2))).toThrow(
      'linalg.inv: (Batch element 0): The diagonal element 1 is zero, the inversion could not be completed because the input matrix is singular.',
    )
    expect(() => torch.linalg.solve(torch.zeros(2, 2), torch.ones(2))).toThrow(
      'torch.linalg.solve: The solver failed because the input matrix is singular.',
    )
    expect(() => torch.trace(torch.ones(2, 2, 2))).toThrow('trace: expected a matrix, but got tensor with dim 3')
  })
})
