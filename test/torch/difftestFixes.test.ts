/**
 * Regression tests for the differences the differential tester's second op vocabulary
 * (scripts/difftest/gen-ops-more.ts, gen-ops-index.ts) left after its first fixes. Expected values
 * from PyTorch (test/torch/fixtures/difftest_fixes.py; 2.x's where it differs from 1.13).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'

const fx = JSON.parse(readFileSync(new URL('./fixtures/difftest_fixes.json', import.meta.url), 'utf8')) as {
  float_to_int: { int32: number[]; int32_from_f32: number[]; int16: number[]; uint8: number[]; int64: number[] }
  diagonal_fn_kw: { all_kw: number[][]; mixed: number[][] }
  grad_version_passed_on: Record<'fmod' | 'remainder', { version: number; grad: number; other_grad: number }>
  roll_no_dims: { values: number[][]; grad_fn: string; grad: number[][]; grad_fn_0: string }
  xlogy_scalar: { values: number[]; grad_fn: string; grad: number[] }
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

  it('a float cast to int32 and smaller ints gives INT_MIN for NaN, ±inf and beyond the range (PyTorch on x86)', () => {
    const v = torch.tensor([NaN, Infinity, -Infinity, 3e9, -3e9, 2.7, -2.7], f64)
    const e = fx.float_to_int
    expect(v.int().tolist()).toEqual(e.int32)
    expect(v.float().to(torch.int32).tolist()).toEqual(e.int32_from_f32)
    expect(v.to(torch.int16).tolist()).toEqual(e.int16)
    expect(v.to(torch.uint8).tolist()).toEqual(e.uint8)
    // PyTorch gives INT64_MIN (e.int64); wengert's int64 is exact to 2**53 only and refuses
    expect(e.int64[0]).toBe(-(2 ** 63))
    expect(() => v.long()).toThrow('NaN has no exact int64 value')
  })

  it('torch.diagonal reads offset, dim1 and dim2 by keyword', () => {
    const a = torch.arange(24, f64).reshape(2, 3, 4)
    expect(torch.diagonal(a, { offset: 1, dim1: 2, dim2: 0 }).tolist()).toEqual(fx.diagonal_fn_kw.all_kw)
    expect(torch.diagonal(a, -1, { dim1: 2, dim2: 1 }).tolist()).toEqual(fx.diagonal_fn_kw.mixed)
  })

  it.each(['fmod', 'remainder'] as const)('%s passes the incoming gradient on to self, _version and all', (name) => {
    const a = torch.tensor(0.875, { requires_grad: true })
    const b = torch.tensor(-0.375, { requires_grad: true })
    const c = a[name](b).clone()
    c.set(null, null, -3.5)
    c.pow(2).sum().backward()
    const e = fx.grad_version_passed_on[name]
    expect(a.grad?._version).toBe(e.version)
    expect(a.grad?.item()).toBe(e.grad)
    expect(b.grad?.item()).toBe(e.other_grad)
  })

  it('roll without dims rolls the flattened tensor, node RollBackward0', () => {
    const x = torch.arange(6, f64).reshape(2, 3).requires_grad_()
    const r = x.roll(2)
    r.mul(torch.arange(6, f64).reshape(2, 3)).sum().backward()
    const e = fx.roll_no_dims
    expect(r.tolist()).toEqual(e.values)
    expect(r.grad_fn?.name()).toBe(e.grad_fn)
    expect(x.grad?.tolist()).toEqual(e.grad)
    expect(x.roll(0).grad_fn?.name()).toBe(e.grad_fn_0)
  })

  it('xlogy with a number other records XlogyBackward2', () => {
    const x = torch.tensor([0, 2, 0.5], { dtype: torch.float64, requires_grad: true })
    const r = x.xlogy(3)
    r.sum().backward()
    // log(3) in 1 ulp (a libm's last bit)
    ;(r.tolist() as number[]).forEach((v, k) => expect(v).toBeCloseTo(fx.xlogy_scalar.values[k] as number, 14))
    expect(r.grad_fn?.name()).toBe(fx.xlogy_scalar.grad_fn)
    ;(x.grad?.tolist() as number[]).forEach((v, k) => expect(v).toBeCloseTo(fx.xlogy_scalar.grad[k] as number, 14))
  })
})
