/**
 * torch.diagonal / Tensor.diagonal / torch.linalg.diagonal with offsets and dims against real
 * PyTorch 1.13 (test/torch/fixtures/linalg_diagonal.py → linalg_diagonal.json): values, shapes,
 * gradients, node names; PyTorch's errors; linalg.diagonal's offset in the core.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, linalg } from 'wengert'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'

interface Case {
  readonly offset: number
  readonly dim1: number
  readonly dim2: number
  readonly value: unknown
  readonly shape: number[]
  readonly grad: unknown
  readonly node: string
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/linalg_diagonal.json', import.meta.url), 'utf8')) as {
  cases: Case[]
  linalg: { default: unknown; offset1: unknown }
}
/** PyTorch's weights of the fixture (test/helpers/sinWeights.ts). */
const W = sinWeights
const base = (): torch.Tensor => torch.arange(24, { dtype: torch.float64 }).reshape(2, 3, 4).requires_grad_()

describe('torch.diagonal against PyTorch 1.13', () => {
  it.each(ref.cases.map((c) => [`offset ${c.offset}, dims ${c.dim1}, ${c.dim2}`, c] as const))('%s', (_, c) => {
    for (const f of [
      (x: torch.Tensor) => torch.diagonal(x, c.offset, c.dim1, c.dim2),
      (x: torch.Tensor) => x.diagonal(c.offset, c.dim1, c.dim2),
    ]) {
      const x = base()
      const y = f(x)
      expect(y.shape).toEqual(c.shape)
      expect(y.tolist()).toEqual(c.value)
      expect(y.grad_fn?.name()).toBe(c.node)
      y.mul(W(y.shape)).sum().backward()
      const g = (x.grad?.reshape(-1).tolist() ?? []) as number[]
      const e = [c.grad].flat(3) as number[]
      g.forEach((v, i) => expect(Math.abs(v - e[i]!)).toBeLessThan(1e-12))
    }
  })

  it('torch.linalg.diagonal defaults to the last two dims', () => {
    const x = torch.arange(24, { dtype: torch.float64 }).reshape(2, 3, 4)
    expect(torch.linalg.diagonal(x).tolist()).toEqual(ref.linalg.default)
    expect(torch.linalg.diagonal(x, { offset: 1 }).tolist()).toEqual(ref.linalg.offset1)
    expect(linalg.diagonal(array(x.tolist() as number[][][]), { offset: 1 }).toArray()).toEqual(ref.linalg.offset1)
  })

  it('errors as PyTorch', () => {
    const x = base()
    expect(() => torch.diagonal(x, 0, 1, 1)).toThrow('diagonal dimensions cannot be identical 1, 1')
    expect(() => torch.diagonal(x, 0, 0, 3)).toThrow(
      'Dimension out of range (expected to be in range of [-3, 2], but got 3)',
    )
    expect(() => torch.linalg.diagonal(x, { offset: 1, dim1: 1, dim2: 1 })).toThrow(
      'diagonal dimensions cannot be identical 1, 1',
    )
  })
})

describe('torch.diag (PyTorch 2.x composes it of diag_embed and diagonal)', () => {
  it('puts a vector on diagonal k of a square matrix, with the gradient read back from it', () => {
    const want: Record<number, number[][]> = {
      0: [
        [1, 0, 0],
        [0, 2, 0],
        [0, 0, 3],
      ],
      1: [
        [0, 1, 0, 0],
        [0, 0, 2, 0],
        [0, 0, 0, 3],
        [0, 0, 0, 0],
      ],
      [-2]: [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0],
        [0, 2, 0, 0, 0],
        [0, 0, 3, 0, 0],
      ],
    }
    for (const k of [0, 1, -2]) {
      const v = torch.tensor([1, 2, 3], { dtype: torch.float64, requires_grad: true })
      const m = torch.diag(v, k)
      expect(m.tolist()).toEqual(want[k])
      expect(m.grad_fn?.name()).toBe('DiagEmbedBackward0')
      const w = torch.arange(m.numel(), { dtype: torch.float64 }).reshape(...m.shape)
      m.mul(w).sum().backward()
      // d/dv_i of Σ w·diag(v, k) is the weight at v_i's position
      const n = m.shape[0] as number
      const pos = [0, 1, 2].map((i) => (k >= 0 ? i * n + i + k : (i - k) * n + i))
      expect(v.grad?.tolist()).toEqual(pos)
    }
  })

  it("takes a copy of a matrix's diagonal k (2.x's diagonal_copy: DiagonalBackward0_copy), also of a method", () => {
    const a = torch.arange(12, { dtype: torch.float64 }).reshape(3, 4).requires_grad_()
    expect(torch.diag(a).tolist()).toEqual([0, 5, 10])
    expect(torch.diag(a, 2).tolist()).toEqual([2, 7])
    expect(a.diag(-1).tolist()).toEqual([4, 9])
    const d = torch.diag(a, 1)
    expect(d.grad_fn?.name()).toBe('DiagonalBackward0_copy')
    expect(d._base).toBeNull()
    d.sum().backward()
    expect(a.grad?.tolist()).toEqual([
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ])
  })

  it("refuses other ranks with PyTorch's message", () => {
    expect(() => torch.diag(torch.zeros(2, 2, 2))).toThrow('diag(): Supports 1D or 2D tensors. Got 3D')
    expect(() => torch.diag(torch.tensor(1))).toThrow('diag(): Supports 1D or 2D tensors. Got 0D')
  })
})
