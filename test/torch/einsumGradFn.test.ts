/**
 * torch.einsum's output node, values and gradient against PyTorch (fixtures/einsum_grad_fn.py):
 * with two operands and a summed label the output is ViewBackward0 (the final view that drops the
 * summed size-1 dims), a product without a summed label is MulBackward0.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

interface Case {
  eq: string
  a: number[]
  b: number[]
  grad_fn: string
  shape: number[]
  values: number[]
  grad: number[]
}
const cases = JSON.parse(readFileSync(new URL('./fixtures/einsum_grad_fn.json', import.meta.url), 'utf8')) as Case[]
const n = (s: number[]): number => s.reduce((p, q) => p * q, 1)

describe('einsum output node', () => {
  for (const c of cases) {
    it(`${c.eq} is ${c.grad_fn}`, () => {
      const a = torch.arange(n(c.a), { dtype: torch.float64 }).mul(0.5).sub(1).reshape(c.a).requires_grad_()
      const b = torch.arange(n(c.b), { dtype: torch.float64 }).mul(0.25).add(0.5).reshape(c.b)
      const y = torch.einsum(c.eq, a, b)
      expect(y.grad_fn?.name()).toBe(c.grad_fn)
      expect([...y.shape]).toEqual(c.shape)
      expect(y.flatten().tolist()).toEqual(c.values)
      y.sum().backward()
      expect(a.grad?.flatten().tolist()).toEqual(c.grad)
    })
  }
})
