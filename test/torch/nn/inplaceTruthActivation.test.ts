// Every F.* function with an `inplace` flag reads it by Python truth, as PyTorch's `if inplace:`
// does (fixture: fixtures/inplace_truth.py, run on PyTorch 1.13; the branch is the same in 2.x).
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch/index'
import fixture from './fixtures/inplace_truth.json'

const FLAGS: Readonly<Record<string, unknown>> = {
  '1': 1,
  '0': 0,
  "'x'": 'x',
  "''": '',
  '[0]': [0],
  '[]': [],
  nan: Number.NaN,
}

type Fn = (input: torch.Tensor, ...rest: unknown[]) => torch.Tensor
const fnOf = (name: string): Fn => (torch.nn.functional as unknown as Record<string, Fn>)[name] as Fn

describe('F.* inplace flag follows Python truth', () => {
  it('covers the 19 functions with an inplace flag', () => {
    expect(new Set(fixture.cases.map((c) => c.fn)).size).toBe(19)
  })
  for (const c of fixture.cases) {
    it(`${c.fn}(x, ..., inplace=${c.flag})`, () => {
      const x = torch.tensor(fixture.base, { dtype: torch.float64 }).reshape(c.shape)
      const y = fnOf(c.fn)(x, ...c.args, { inplace: FLAGS[c.flag] })
      const xs = x.flatten().tolist() as number[]
      expect(xs.some((v, i) => v !== fixture.base[i])).toBe(c.overwritten)
      expect(y === x).toBe(c.same)
      const ys = y.flatten().tolist() as number[]
      ys.forEach((v, i) => expect(Math.abs(v - (c.values[i] as number))).toBeLessThan(1e-12))
    })
  }
  it('a several-element tensor flag is ambiguous, as in PyTorch', () => {
    const x = torch.tensor([-1, 2])
    expect(() => fnOf('elu')(x, { inplace: torch.ones(2) })).toThrow(
      'Boolean value of Tensor with more than one value is ambiguous',
    )
  })
})
