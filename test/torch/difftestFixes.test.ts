/**
 * Regression tests for the differences the differential tester's second op vocabulary
 * (scripts/difftest/gen-ops-more.ts, gen-ops-index.ts) left after its first fixes. Expected values
 * from PyTorch (test/torch/fixtures/difftest_fixes.py; 2.x's where it differs from 1.13).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'

const fx = JSON.parse(readFileSync(new URL('./fixtures/difftest_fixes.json', import.meta.url), 'utf8')) as {
  scatter_reduce_kw: {
    prod_kw: number[]
    sum_no_self: number[]
    amax_fn: number[]
    mean_pos: number[]
    errors: string[]
  }
}
const f64 = { dtype: torch.float64 }

describe('difftest fixes', () => {
  it('scatter_reduce takes reduce and include_self by keyword', () => {
    const x = torch.tensor([0.5, -1, 2], f64)
    const i = torch.tensor([0, 1, 0], { dtype: torch.int64 })
    const s = torch.tensor([1, 3, -2], f64)
    const e = fx.scatter_reduce_kw
    expect(x.scatter_reduce(0, i, s, { reduce: 'prod' }).tolist()).toEqual(e.prod_kw)
    expect(x.scatter_reduce(0, i, s, { reduce: 'sum', include_self: false }).tolist()).toEqual(e.sum_no_self)
    expect(torch.scatter_reduce(x, 0, i, s, { reduce: 'amax' }).tolist()).toEqual(e.amax_fn)
    expect(x.scatter_reduce(0, i, s, 'mean', { include_self: false }).tolist()).toEqual(e.mean_pos)
    const y = x.clone()
    y.scatter_reduce_(0, i, s, { reduce: 'prod' })
    expect(y.tolist()).toEqual(e.prod_kw)
    expect(() => x.scatter_reduce(0, i, s)).toThrow(e.errors[0])
    expect(() => (x.scatter_reduce as (...a: unknown[]) => unknown)(0, i, s, 'sum', false)).toThrow(e.errors[1])
  })
})
