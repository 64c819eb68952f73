/**
 * Accumulating indexed updates leave untouched elements exactly as they were (a −0 stays −0), as
 * PyTorch adds into self in place (test/torch/fixtures/add_at_signed_zero.py): put(accumulate),
 * index_add, index_put(accumulate); values with the signs of zeros, and gradients.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

type T = torch.Tensor
interface Case {
  readonly y: Array<number | '-0'>
  readonly gx?: number[]
  readonly gs?: number[]
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/add_at_signed_zero.json', import.meta.url), 'utf8'),
) as Record<string, Case>

const idx = (): T => torch.tensor([1, 3], { dtype: torch.int64 })
const forms: Record<string, (x: T, s: T) => T> = {
  put: (x, s) => x.put(idx(), s, { accumulate: true }),
  index_add: (x, s) => x.index_add(0, idx(), s, { alpha: 2 }),
  index_put: (x, s) => x.index_put([idx()], s, true),
  'index_add 2-d': (x, s) => x.reshape(2, 2).index_add(1, torch.tensor([1], { dtype: torch.int64 }), s.reshape(2, 1)),
}
const signed = (v: number | '-0'): number => (v === '-0' ? -0 : v)

describe('accumulating indexed updates keep untouched elements (PyTorch fixtures)', () => {
  it.each(Object.entries(forms))('%s', (name, f) => {
    // Arrange
    const want = fixture[name] as Case
    const x = torch.tensor([-0, 1.5, -0, 2], { requires_grad: true })
    const s = torch.tensor([0.25, -1], { requires_grad: true })
    // Act
    const y = f(x.mul(1), s)
    y.mul(torch.arange(1, 5).reshape(...y.shape))
      .sum()
      .backward()
    // Assert: Object.is tells −0 from +0
    const got = y.detach().reshape(-1).tolist() as number[]
    got.forEach((v, i) => expect(Object.is(v, signed(want.y[i] as number | '-0'))).toBe(true))
    expect(x.grad?.tolist()).toEqual(want.gx)
    expect(s.grad?.tolist()).toEqual(want.gs)
  })

  it('a touched 0-d element adds as PyTorch does', () => {
    const y = torch.tensor(-0).index_add(0, torch.tensor([0], { dtype: torch.int64 }), torch.tensor([0]))
    expect(Object.is(y.item(), signed(fixture['index_add 0-d touched']?.y[0] as number))).toBe(true)
  })
})
