/**
 * F.hardshrink / F.softshrink read `lambd` from a trailing keyword object (it was taken as the
 * threshold itself, so every element compared false and the result was all zeros: differential
 * tester, wide seeds). Expected values: PyTorch 1.13, fixtures/shrink_keywords.py.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

interface Case {
  name: 'hardshrink' | 'softshrink'
  kw: { lambd?: number }
  values: number[]
  grad: number[]
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/shrink_keywords.json', import.meta.url), 'utf8')) as {
  x: number[]
  cases: Case[]
  hardshrink_nan: Array<number | null>
}

describe('F.hardshrink / F.softshrink keywords', () => {
  for (const c of fx.cases)
    it(`${c.name}(${JSON.stringify(c.kw)}) matches PyTorch`, () => {
      const x = torch.tensor(fx.x, { dtype: torch.float64, requires_grad: true })
      // JavaScript programs (the tester's) pass keywords as a trailing object, as Python passes lambd=
      const f = torch.nn.functional[c.name] as unknown as (x: torch.Tensor, kw: object) => torch.Tensor
      const y = f(x, c.kw)
      expect(y.tolist()).toEqual(c.values)
      const w = torch.arange(1, 9, { dtype: torch.float64 })
      const [g] = torch.autograd.grad(y.mul(w).sum(), x)
      expect(g?.tolist()).toEqual(c.grad)
    })
  it('hardshrink passes NaN through', () => {
    const y = torch.nn.functional.hardshrink(torch.tensor([Number.NaN, 0.25, -2], { dtype: torch.float64 }))
    expect((y.tolist() as number[]).map((v) => (Number.isNaN(v) ? null : v))).toEqual(fx.hardshrink_nan)
  })
  it('refuses an unknown keyword', () => {
    const x = torch.tensor([1])
    const f = torch.nn.functional.hardshrink as unknown as (x: torch.Tensor, kw: object) => torch.Tensor
    expect(() => f(x, { lamda: 1 })).toThrow(/lamda/)
  })
})
