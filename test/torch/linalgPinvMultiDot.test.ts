/**
 * torch.linalg.multi_dot, pinv, matrix_rank and torch.pinverse against real PyTorch 1.13
 * (float64): values, shapes, node names and gradients of sum(out · w)
 * (test/torch/fixtures/linalg_pinv_multidot.py → linalg_pinv_multidot.json); PyTorch's errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

interface Case {
  readonly inputs: unknown[]
  readonly value: number[]
  readonly shape: number[]
  readonly node: string | null
  readonly grads?: number[][]
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/linalg_pinv_multidot.json', import.meta.url), 'utf8'),
) as Record<string, Record<string, Case>>
const T = (v: unknown, requiresGrad = false): torch.Tensor =>
  torch.tensor(v as number[], { dtype: torch.float64, requires_grad: requiresGrad })
const D = torch.float64

const near = (got: ReadonlyArray<number>, want: ReadonlyArray<number>, tol = 1e-9): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i] as number
    if (Math.abs(g - w) > tol * (1 + Math.abs(w))) throw new Error(`element ${i}: got ${g}, expected ${w}`)
  })
}
const flat = (t: torch.Tensor): number[] => [t.reshape(-1).tolist() as number[]].flat()

const FNS: Record<string, Record<string, (...xs: torch.Tensor[]) => torch.Tensor>> = {
  multi_dot: {
    mats4: (...xs) => torch.linalg.multi_dot(xs),
    vec_both: (...xs) => torch.linalg.multi_dot(xs),
    vec_first: (...xs) => torch.linalg.multi_dot(xs),
    vec_last: (...xs) => torch.linalg.multi_dot(xs),
  },
  pinv: {
    tall: (a) => torch.linalg.pinv(a as torch.Tensor),
    wide: (a) => torch.linalg.pinv(a as torch.Tensor),
    batched: (a) => torch.linalg.pinv(a as torch.Tensor),
    hermitian: (a) => torch.linalg.pinv(a as torch.Tensor, { hermitian: true }),
    rank1_default: (a) => torch.linalg.pinv(a as torch.Tensor),
    atol_cut: (a) => torch.linalg.pinv(a as torch.Tensor, { atol: 0.5 }),
    rtol_cut: (a) => torch.linalg.pinv(a as torch.Tensor, { rtol: 0.1 }),
    atol_rtol: (a) => torch.linalg.pinv(a as torch.Tensor, { atol: 0.01, rtol: 0.01 }),
    rcond_positional: (a) => torch.linalg.pinv(a as torch.Tensor, 0.1),
    pinverse: (a) => torch.pinverse(a as torch.Tensor),
    pinverse_rcond: (a) => torch.pinverse(a as torch.Tensor, 0.1),
  },
  matrix_rank: {
    default: (a) => torch.linalg.matrix_rank(a as torch.Tensor),
    atol: (a) => torch.linalg.matrix_rank(a as torch.Tensor, { atol: 0.5 }),
    rtol: (a) => torch.linalg.matrix_rank(a as torch.Tensor, { rtol: 0.01 }),
    tol_positional: (a) => torch.linalg.matrix_rank(a as torch.Tensor, 0.5),
    hermitian: (a) => torch.linalg.matrix_rank(a as torch.Tensor, { hermitian: true }),
    batched: (a) => torch.linalg.matrix_rank(a as torch.Tensor),
    atol_tensor: (a) => torch.linalg.matrix_rank(a as torch.Tensor, { atol: T([0.1, 1.5]) }),
  },
}

for (const [group, cases] of Object.entries(fixture))
  describe(`torch.linalg ${group} against PyTorch 1.13`, () => {
    for (const [name, c] of Object.entries(cases))
      it(name, () => {
        const fn = FNS[group]?.[name]
        if (fn === undefined) throw new Error(`no function for ${group}/${name}`)
        const xs = c.inputs.map((x) => T(x, true))
        const out = fn(...xs)
        expect([...out.shape]).toEqual(c.shape)
        expect(out.grad_fn?.name() ?? null).toBe(c.node)
        if (group === 'matrix_rank') {
          expect(out.dtype).toBe(torch.int64)
          expect(flat(out)).toEqual(c.value)
          return
        }
        near(flat(out), c.value)
        const w = torch
          .arange(1, out.numel() + 1, { dtype: D })
          .mul(0.1)
          .reshape(out.shape)
        out.mul(w).sum().backward()
        xs.forEach((x, i) => near(flat(x.grad as torch.Tensor), c.grads?.[i] as number[], 1e-7))
      })
  })

describe('multi_dot, pinv and matrix_rank errors (PyTorch 1.13 texts)', () => {
  const A = torch.randn([2, 3], { dtype: D })
  const B = torch.randn([3, 4], { dtype: D })
  it('multi_dot', () => {
    expect(() => torch.linalg.multi_dot([A])).toThrow('multi_dot(): expected at least 2 tensors but got 1')
    expect(() => torch.linalg.multi_dot([A, torch.randn([3], { dtype: D }), B])).toThrow(
      'multi_dot(): tensor 1 must be 2D but got 1D',
    )
    expect(() => torch.linalg.multi_dot([torch.randn([2, 2, 2]), A])).toThrow(
      'multi_dot(): the first tensor must be 1D or 2D but got 3D',
    )
    expect(() => torch.linalg.multi_dot([A, torch.randn([3, 2, 2])])).toThrow(
      'multi_dot(): the last tensor must be 1D or 2D but got 3D',
    )
    expect(() => torch.linalg.multi_dot([A, B.float()])).toThrow(
      'multi_dot(): all tensors must have be the same dtype but tensor 0 is double and tensor 1 float',
    )
    expect(() => torch.linalg.multi_dot([A, B, torch.randn([5, 4], { dtype: D })])).toThrow(
      'multi_dot(): tensors 1 and 2 with shapes [3, 4] and [5, 4] cannot be multiplied',
    )
    expect(() => torch.linalg.multi_dot([torch.tensor(1), B])).toThrow(
      'multi_dot(): the first tensor must be 1D or 2D but got 0D',
    )
  })
  it('multi_dot of integers stays integer, without a graph', () => {
    const out = torch.linalg.multi_dot([
      torch.tensor([[1, 2]], { dtype: torch.int64 }),
      torch.tensor([[1], [2]], { dtype: torch.int64 }),
    ])
    expect(out.dtype).toBe(torch.int64)
    expect(out.tolist()).toEqual([[5]])
  })
  it('pinv and matrix_rank', () => {
    expect(() => torch.linalg.pinv(torch.randn([3]))).toThrow(
      'linalg.pinv(Float{[3]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types',
    )
    expect(() => torch.linalg.pinv(torch.tensor([[1, 2]]).int())).toThrow('linalg.pinv(Int{[1, 2]}): expected')
    expect(() => torch.linalg.pinv(A, { hermitian: true })).toThrow(
      'linalg.eigh: A must be batches of square matrices, but they are 2 by 3 matrices',
    )
    expect(() => torch.linalg.matrix_rank(torch.randn([3]))).toThrow(
      'torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.',
    )
    // PyTorch 1.13: a keyword no overload names is an invalid combination of arguments
    expect(() => torch.linalg.pinv(A, { rtoll: 1 } as never)).toThrow(
      'linalg_pinv() received an invalid combination of arguments - got (Tensor, rtoll=int), but expected one of:',
    )
  })
})
