/**
 * torch.linalg.vector_norm / matrix_norm / norm against real PyTorch 1.13 (float64): values,
 * shapes, gradients of sum(out · w), node names (test/torch/fixtures/linalg_norm.py →
 * linalg_norm.json), PyTorch's zero gradient at a zero vector; error texts.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { expectClose, f64 } from '../transforms/helpers'

interface Case {
  readonly input: unknown
  readonly value: number[]
  readonly shape: number[]
  readonly grad: number[]
  readonly node: string
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/linalg_norm.json', import.meta.url), 'utf8')) as Record<
  string,
  Case
>

const L = torch.linalg
const cases: Record<string, (a: torch.Tensor) => torch.Tensor> = {
  vector_norm: (a) => L.vector_norm(a),
  vector_norm_1_dim1: (a) => L.vector_norm(a, 1, 1),
  vector_norm_3_dim02_keepdim: (a) => L.vector_norm(a, 3, [0, 2], true),
  vector_norm_inf: (a) => L.vector_norm(a, Infinity),
  'vector_norm_-inf': (a) => L.vector_norm(a, -Infinity),
  'vector_norm_0.5': (a) => L.vector_norm(a, 0.5),
  vector_norm_zero: (a) => L.vector_norm(a),
  vector_norm_3_zero: (a) => L.vector_norm(a, 3),
  matrix_norm: (a) => L.matrix_norm(a),
  matrix_norm_nuc: (a) => L.matrix_norm(a, 'nuc'),
  matrix_norm_2: (a) => L.matrix_norm(a, 2),
  'matrix_norm_-2': (a) => L.matrix_norm(a, -2),
  matrix_norm_1: (a) => L.matrix_norm(a, 1),
  'matrix_norm_-1_keepdim': (a) => L.matrix_norm(a, -1, { keepdim: true }),
  matrix_norm_inf: (a) => L.matrix_norm(a, Infinity),
  'matrix_norm_-inf_dim02': (a) => L.matrix_norm(a, -Infinity, [0, 2]),
  matrix_norm_nuc_dim20_keepdim: (a) => L.matrix_norm(a, 'nuc', [2, 0], true),
  norm: (a) => L.norm(a),
  norm_ord1_2d: (a) => L.norm(a, 1),
  norm_ord3_1d: (a) => L.norm(a, 3),
  norm_dim1: (a) => L.norm(a, { dim: 1 }),
  norm_fro_dim12: (a) => L.norm(a, 'fro', [1, 2]),
  norm_inf_dim21: (a) => L.norm(a, Infinity, [2, 1]),
}

describe('torch.linalg norms against PyTorch 1.13', () => {
  it.each(Object.keys(cases))('%s: value, shape, gradient, node name', (name) => {
    // Arrange
    const c = fixture[name] as Case
    const a = torch.tensor(c.input as number[], { dtype: torch.float64, requires_grad: true })
    // Act
    const y = (cases[name] as (a: torch.Tensor) => torch.Tensor)(a)
    const w = torch
      .arange(y.numel(), { dtype: torch.float64 })
      .mul(0.1)
      .add(1)
      .reshape([...y.shape])
    y.mul(w).sum().backward()
    // Assert
    expect([...y.shape]).toEqual(c.shape)
    expectClose(f64(y.flatten().tolist() as number[]), c.value, { atol: 1e-10 })
    expectClose(f64(a.grad?.flatten().tolist() as number[]), c.grad, { rtol: 1e-8, atol: 1e-10 })
    if (c.node !== 'PermuteBackward0') expect(y.grad_fn?.name()).toBe(c.node)
  })

  it('dtype casts the input first', () => {
    const y = L.vector_norm(torch.tensor([3, 4], { dtype: torch.float32 }), { dtype: torch.float64 })
    expect(y.dtype).toBe(torch.float64)
    expect(y.item()).toBe(5)
  })
})

describe('torch.linalg norm errors (PyTorch 1.13 texts)', () => {
  const A = torch.ones(3, 4, { dtype: torch.float64 })
  it.each([
    [
      () => L.norm(torch.ones(2, 3, 4), 2),
      'linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D.',
    ],
    [() => L.matrix_norm(A, 3), 'linalg.matrix_norm: Order 3 not supported.'],
    [() => L.matrix_norm(torch.ones(3)), 'linalg.matrix_norm: The input tensor A must have at least 2 dimensions.'],
    [
      () => L.norm(A, { dim: [0, 1, 1] }),
      'linalg.norm: If dim is specified, it must be of length 1 or 2. Got [0, 1, 1]',
    ],
    [() => L.norm(A, 'fro', 1), 'linalg.matrix_norm: dim must be a 2-tuple. Got 1'],
    [() => L.matrix_norm(A, 'fro', [0, 0]), 'linalg.matrix_norm: dims must be different. Got (0, 0)'],
    [
      () => L.vector_norm(torch.ones(2, { dtype: torch.int64 })),
      'linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long',
    ],
    [
      () => L.vector_norm(A, 'fro' as unknown as number),
      "linalg_vector_norm(): argument 'ord' (position 2) must be Number, not str",
    ],
  ] as const)('%#', (f, msg) => {
    expect(f).toThrow(msg)
  })
})
