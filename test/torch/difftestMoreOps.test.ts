/**
 * Regression tests for what the differential tester's second op vocabulary
 * (scripts/difftest/gen-ops-more.ts, gen-ops-index.ts) found: `Tensor.norm(p=-inf)` summed
 * |x|^-inf instead of taking the smallest magnitude; `torch.cdist`, `torch.tensordot` and
 * `take_along_dim` ignored their keyword arguments; `scatter(…, reduce=)` dropped requires_grad
 * instead of recording PyTorch's NotImplemented node. Expected values from PyTorch
 * (test/torch/fixtures/difftest_more_ops.py).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'
import { typeName } from '../helpers/nodeNames'

const fx = JSON.parse(readFileSync(new URL('./fixtures/difftest_more_ops.json', import.meta.url), 'utf8')) as {
  norm_neg_inf: { value: number; grad: number[] }
  norm_neg_inf_0d: number
  cdist_inf: number[][]
  cdist_1: number[][]
  tensordot_pair: number[][]
  tensordot_count: number[][]
  take_along_dim: number[][]
  diagonal_kw: number[][]
  scatter_reduce_arg: { values: number[]; grad_fn: string; requires_grad: boolean; error: string }
  remainder: { values: string[]; grad: number[] }
  fmod: { values: string[]; grad: number[] }
}
const f64 = { dtype: torch.float64 }
const m = (): torch.Tensor =>
  torch.tensor(
    [
      [1, 2],
      [3, 4],
    ],
    f64,
  )

describe('found by the second difftest vocabulary', () => {
  it('Tensor.norm(p=-inf) is the smallest magnitude, with its gradient', () => {
    const x = torch.tensor([0.5, -2, 0.75], { dtype: torch.float64, requires_grad: true })
    const y = x.norm({ p: -Infinity })
    y.backward()
    expect(y.item()).toBe(fx.norm_neg_inf.value)
    expect(x.grad?.tolist()).toEqual(fx.norm_neg_inf.grad)
    expect(torch.tensor(-0.5, f64).norm({ p: -Infinity }).item()).toBe(fx.norm_neg_inf_0d)
  })

  it('torch.cdist reads p by keyword', () => {
    const a = torch.tensor(
      [
        [0, 0],
        [3, -4],
      ],
      f64,
    )
    const b = torch.tensor([[1, 1]], f64)
    expect(torch.cdist(a, b, { p: Infinity }).tolist()).toEqual(fx.cdist_inf)
    expect(torch.cdist(a, b, { p: 1 }).tolist()).toEqual(fx.cdist_1)
    expect(torch.cdist(a, b, 1).tolist()).toEqual(fx.cdist_1)
  })

  it('torch.tensordot reads dims by keyword', () => {
    expect(torch.tensordot(m(), m(), { dims: [[1], [0]] }).tolist()).toEqual(fx.tensordot_pair)
    expect(torch.tensordot(m(), m(), { dims: 1 }).tolist()).toEqual(fx.tensordot_count)
    // 2.x's node (1.13 names it ReshapeAliasBackward0, renamed as in scripts/difftest/harness.py)
    const w = torch.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    expect(torch.tensordot(w, m(), { dims: 1 }).grad_fn?.name()).toBe('ViewBackward0')
  })

  it('diagonal reads offset, dim1 and dim2 by keyword', () => {
    const x = torch.arange(24, { dtype: torch.float64 }).reshape(2, 3, 4)
    const kw = x.diagonal({ offset: 1, dim1: 2, dim2: 0 })
    expect(kw.tolist()).toEqual(fx.diagonal_kw)
  })

  it('take_along_dim reads dim by keyword', () => {
    const idx = torch.tensor([[1], [0]], { dtype: torch.int64 })
    expect(torch.take_along_dim(m(), idx, { dim: 1 }).tolist()).toEqual(fx.take_along_dim)
    expect(m().take_along_dim(idx, { dim: 1 }).tolist()).toEqual(fx.take_along_dim)
  })

  it('scatter(…, reduce=) records a NotImplemented node whose backward raises', () => {
    const s = torch.tensor([1, 2], { requires_grad: true })
    const r = s.scatter(0, torch.tensor([0], { dtype: torch.int64 }), torch.tensor([3]), { reduce: 'add' })
    const e = fx.scatter_reduce_arg
    expect(r.tolist()).toEqual(e.values)
    expect(typeName(r.grad_fn)).toBe(e.grad_fn)
    expect(r.requires_grad).toBe(e.requires_grad)
    expect(() => r.sum().backward()).toThrow(e.error)
  })

  it.each(['remainder', 'fmod'] as const)(
    '%s gives a zero result the sign of the dividend, with gradient 1',
    (name) => {
      const a = torch.tensor([-1.125, 1.125, -1.125, 1.125, -1, 0, -0, -1.3], {
        dtype: torch.float64,
        requires_grad: true,
      })
      const b = torch.tensor([-0.125, -0.125, 0.125, 0.125, 0.5, -0.5, 0.5, 0.5], f64)
      const r = torch[name](a, b)
      r.sum().backward()
      // Python's str of a float: '-0.0', '0.0', '-0.3…'
      const py = (x: number): string => (Object.is(x, -0) ? '-0.0' : Number.isInteger(x) ? `${x}.0` : String(x))
      expect((r.tolist() as number[]).map(py)).toEqual(fx[name].values)
      expect(a.grad?.tolist()).toEqual(fx[name].grad)
    },
  )
})
