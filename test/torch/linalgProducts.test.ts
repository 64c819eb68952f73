/**
 * torch.linalg.cross/vander/lstsq/cond and torch.cross/vander/cdist/kron/tensordot/ger against
 * real PyTorch 1.13 (float64): values, shapes, gradients of sum(out · w), node names
 * (test/torch/fixtures/linalg_products.py → linalg_products.json; where PyTorch's own backward
 * fails, as torch.vander's in 1.13, or its node comes from a different composition — cond's
 * NanToNum, torch.vander's CopySlices — only values are compared); lstsq's per-driver outputs; errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { expectClose, f64 } from '../transforms/helpers'

interface Case {
  readonly input: unknown
  readonly value: number[]
  readonly shape: number[]
  readonly grad: number[] | null
  readonly node: string
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/linalg_products.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>
const T = (v: unknown): torch.Tensor => torch.tensor(v as number[], { dtype: torch.float64 })
const b3 = [
  [0.4, 1.1, -0.6],
  [-1.3, 0.7, 0.9],
]
const rhs = [
  [0.3, 1.0],
  [-1.2, 0.5],
  [0.8, -0.4],
  [0.1, 0.2],
]
const pts = [
  [1.5, -0.3],
  [0.2, 2.1],
]
const v = [0.7, -1.3, 0.4]

const cases: Record<string, (a: torch.Tensor) => torch.Tensor> = {
  'linalg.cross': (a) => torch.linalg.cross(a, T(b3)),
  cross: (a) => torch.cross(a, T(b3)),
  'linalg.vander': (a) => torch.linalg.vander(a),
  vander: (a) => torch.vander(a),
  vander_3_inc: (a) => torch.vander(a, 3, true),
  'linalg.lstsq': (a) => torch.linalg.lstsq(a, T(rhs)).solution,
  'linalg.cond': (a) => torch.linalg.cond(a),
  'linalg.cond_fro': (a) => torch.linalg.cond(a, 'fro'),
  'linalg.cond_-inf': (a) => torch.linalg.cond(a, -Infinity),
  cdist: (a) => torch.cdist(a, T(pts)),
  cdist_1: (a) => torch.cdist(a, T(pts), 1),
  cdist_3: (a) => torch.cdist(a, T(pts), 3),
  kron: (a) => torch.kron(a, T(b3)),
  tensordot: (a) => torch.tensordot(a, T(b3), [[1], [1]]),
  ger: (a) => torch.ger(a, T(v)),
}
const NAMES_FROM_OTHER_COMPOSITIONS = ['CopySlices', 'SqueezeBackward1', 'NanToNumBackward0']

describe('torch linalg products against PyTorch 1.13', () => {
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
    expectClose(f64(y.flatten().tolist() as number[]), c.value, { rtol: 1e-9, atol: 1e-10 })
    if (c.grad !== null) expectClose(f64(a.grad?.flatten().tolist() as number[]), c.grad, { rtol: 1e-8, atol: 1e-10 })
    // tensordot: 1.13's ReshapeAliasBackward0 is a view in PyTorch 2.x (scripts/difftest/harness.py RENAMES)
    const node = name === 'tensordot' && c.node === 'ReshapeAliasBackward0' ? 'ViewBackward0' : c.node
    if (!NAMES_FROM_OTHER_COMPOSITIONS.includes(c.node)) expect(y.grad_fn?.name()).toBe(node)
  })

  it.each(['gels', 'gelsy', 'gelsd', 'gelss'] as const)(
    'lstsq driver %s: residuals, rank, singular values',
    (driver) => {
      const want = fixture[`lstsq_${driver}`] as {
        residuals: number[]
        rank: number | number[]
        sv: number[]
        rank_dtype: string
      }
      const r = torch.linalg.lstsq(T(fixture['linalg.lstsq'] && (fixture['linalg.lstsq'] as Case).input), T(rhs), {
        driver,
      })
      expectClose(f64(r.residuals.tolist() as number[]), want.residuals)
      expect(r.rank.tolist()).toEqual(want.rank)
      expect(String(r.rank.dtype)).toBe(want.rank_dtype)
      expectClose(f64(r.singular_values.tolist() as number[]), want.sv)
    },
  )

  it('cdist: zero distance has gradient 0 (PyTorch)', () => {
    const x = torch.tensor([[1, 2]], { dtype: torch.float64, requires_grad: true })
    torch
      .cdist(x, torch.tensor([[1, 2]], { dtype: torch.float64 }))
      .sum()
      .backward()
    expect(x.grad?.tolist()).toEqual([[0, 0]])
  })
})

describe('torch linalg products errors (PyTorch 1.13 texts)', () => {
  const x = torch.ones(2, 3, { dtype: torch.float64 })
  it.each([
    [
      () => torch.linalg.cross(torch.ones(2), torch.ones(2)),
      'linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2',
    ],
    [
      () => torch.linalg.lstsq(torch.ones(5, 3), torch.ones(4, 2)),
      'torch.linalg.lstsq: input.size(-2) should match other.size(-2)',
    ],
    [
      () => torch.linalg.lstsq(torch.ones(5, 3), torch.ones(5, 2), { driver: 'x' as 'gels' }),
      'torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)',
    ],
    [() => torch.cdist(x, torch.ones(2, 4)), 'X1 and X2 must have the same number of columns. X1: 3 X2: 4'],
    [() => torch.cdist(x, x, -1), 'cdist only supports non-negative p values'],
    [() => torch.cdist(torch.ones(3), torch.ones(3)), 'cdist only supports at least 2D tensors, X1 got: 1D'],
    [() => torch.cdist(x, x, 2, 'fast'), 'fast is not a valid value for compute_mode'],
  ] as const)('%#', (f, msg) => {
    expect(f).toThrow(msg)
  })
})
