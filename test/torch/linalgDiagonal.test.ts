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
