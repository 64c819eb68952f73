/**
 * det's derivative is the cofactor matrix cof(A) = adj(A)ᵀ (Jacobi's formula), also at singular
 * matrices (JAX's convention; the product form through the LU factors gave NaN there). Expected
 * values: cofactors computed here from their definition (signed minors, plain JS, never the code
 * under test); second order against float64 finite differences (det is a polynomial, so central
 * differences are exact up to rounding), in the core and in the facade (torch.det /
 * torch.linalg.det; PyTorch 1.13 itself returns a zero gradient at exactly singular matrices —
 * test/torch/fixtures/linalg_lu_expm.json, key `det` — which is not the derivative).
 */
import { describe, expect, it } from 'vitest'
import { array, checkGrads, grad, hessian, jit, linalg, vmap, type NdArray } from 'wengert'
import * as torch from 'wengert/torch'
import { expectClose, f64 } from '../transforms/helpers'

type M = number[][]

/** det by cofactor expansion along the first row (exact for small integer matrices). */
const detOf = (a: M): number =>
  a.length === 1 ? a[0]![0]! : a[0]!.reduce((s, v, j) => s + (j % 2 === 0 ? 1 : -1) * v * detOf(minor(a, 0, j)), 0)
const minor = (a: M, i: number, j: number): M => a.filter((_, r) => r !== i).map((row) => row.filter((_, c) => c !== j))
/** cof(A)ᵢⱼ = (−1)^(i+j)·det(A without row i and column j). */
const cofactorOf = (a: M): M =>
  a.map((row, i) => row.map((_, j) => (a.length === 1 ? 1 : ((i + j) % 2 === 0 ? 1 : -1) * detOf(minor(a, i, j)))))

const SINGULAR: Record<string, M> = {
  '2x2 rank 1': [
    [1, 2],
    [2, 4],
  ],
  '3x3 rank 2': [
    [1, 2, 3],
    [2, 4, 6],
    [1, 0, 1],
  ],
  '3x3 rank 2, zero pivot in the middle': [
    [2, -1, 0.5],
    [4, -2, 1],
    [1, 3, -2],
  ],
  '4x4 rank 3': [
    [1, 2, 0, -1],
    [0, 1, 3, 2],
    [1, 3, 3, 1],
    [2, -1, 1, 0],
  ],
  '1x1 zero': [[0]],
  '3x3 rank 1 (adjugate 0)': [
    [1, 2, 3],
    [2, 4, 6],
    [-1, -2, -3],
  ],
}

describe('det at singular matrices: the gradient is the cofactor matrix', () => {
  it.each(Object.keys(SINGULAR))('%s', (k) => {
    const a = SINGULAR[k]!
    expect(detOf(a)).toBe(0)
    expectClose(linalg.det(f64(a)), 0, { atol: 1e-12 })
    const g = grad((x: NdArray) => linalg.det(x))(f64(a))
    expectClose(g, cofactorOf(a), { rtol: 1e-12, atol: 1e-12 })
    if (a.length > 1)
      expect(
        cofactorOf(a)
          .flat()
          .some((v) => v !== 0) || k.includes('adjugate 0'),
      ).toBe(true)
  })

  it('second order at singular and regular matrices against finite differences', () => {
    for (const a of [SINGULAR['3x3 rank 2']!, SINGULAR['4x4 rank 3']!, SINGULAR['2x2 rank 1']!]) {
      checkGrads((x: NdArray) => linalg.det(x), [f64(a)], { order: 2 })
    }
    checkGrads(
      (x: NdArray) => linalg.det(x),
      [
        f64([
          [1, 2, -1],
          [4, -2, 3],
          [-2, 1, 5],
        ]),
      ],
      { order: 3 },
    )
  })

  it('second order stays exact at near-singular matrices (no det(A)·A⁻¹ cancellation)', () => {
    // regression: the Hessian went through det(A)·A⁻¹, whose derivative cancels terms of size
    // ‖A⁻¹‖²·det(A); at these matrices it lost 1e-6 (2×2) and 1e-9 (3×3) of absolute accuracy
    const near: M[] = [
      [
        [-6.16173422e-1, -5.44014635e-1],
        [-8.38190317e-9, -7.4505806e-9],
      ],
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9.000001],
      ],
    ]
    for (const a of near) {
      const h = hessian((x: NdArray) => linalg.det(x))(f64(a))
      // ∂cof(A)ᵢⱼ/∂aₖₗ by central differences of the JS cofactors (quadratic at most: exact up to rounding)
      const expected = a.map((row, i) =>
        row.map((_, j) =>
          a.map((r, k) =>
            r.map((__, l) => {
              const at = (s: number): number => {
                const m = a.map((q) => [...q])
                m[k]![l]! += s
                return cofactorOf(m)[i]![j]!
              }
              return (at(0.5) - at(-0.5)) / 1
            }),
          ),
        ),
      )
      expectClose(h, expected, { atol: 1e-12 })
    }
  })

  it('batched, under vmap and jit', () => {
    const batch = [
      SINGULAR['3x3 rank 2']!,
      [
        [1, 2, -1],
        [4, -2, 3],
        [-2, 1, 5],
      ],
    ]
    const expected = batch.map(cofactorOf)
    const b = array(batch, { dtype: 'float64' })
    const g = (x: NdArray): NdArray => grad((y: NdArray) => linalg.det(y))(x)
    expectClose(grad((x: NdArray) => linalg.det(x).sum())(b), expected, { rtol: 1e-12, atol: 1e-12 })
    expectClose(vmap(g)(b), expected, { rtol: 1e-12, atol: 1e-12 })
    expectClose(jit(vmap(g))(b), expected, { rtol: 1e-12, atol: 1e-12 })
  })

  it('facade: torch.det and torch.linalg.det gradients (and create_graph second order)', () => {
    for (const [name, f] of [
      ['det', torch.det],
      ['linalg.det', torch.linalg.det],
    ] as const) {
      const a = torch.tensor(SINGULAR['3x3 rank 2']!, { dtype: torch.float64, requires_grad: true })
      const d = f(a)
      expect(d.grad_fn?.name(), name).toBe('LinalgDetBackward0')
      const [g] = torch.autograd.grad([d], [a], { create_graph: true })
      expectClose(array(g!.tolist() as M, { dtype: 'float64' }), cofactorOf(SINGULAR['3x3 rank 2']!), { atol: 1e-12 })
      // d/dA of Σ cof(A)ᵢⱼ·Wᵢⱼ at the singular A, against central differences of the JS cofactors
      const w = [
        [0.5, -1, 2],
        [1, 0.25, -0.5],
        [-2, 1, 1.5],
      ]
      const [h] = torch.autograd.grad([g!.mul(torch.tensor(w, { dtype: torch.float64 })).sum()], [a])
      const base = SINGULAR['3x3 rank 2']!
      const fd = base.map((row, i) =>
        row.map((_, j) => {
          const at = (s: number): number => {
            const m = base.map((r) => [...r])
            m[i]![j]! += s
            return cofactorOf(m).reduce((acc, r, p) => acc + r.reduce((t, v, q) => t + v * w[p]![q]!, 0), 0)
          }
          return (at(1e-3) - at(-1e-3)) / 2e-3
        }),
      )
      expectClose(array(h!.tolist() as M, { dtype: 'float64' }), fd, { rtol: 1e-8, atol: 1e-8 })
    }
  })
})
