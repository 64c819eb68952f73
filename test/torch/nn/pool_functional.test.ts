/**
 * F.max_pool1d/2d and F.avg_pool1d/2d against PyTorch 1.13 (values, indices, input gradients,
 * node names; fixture test/torch/fixtures/pool.json from pool.py beside it), second order, and
 * PyTorch's error texts.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

const F = nn.functional

interface PoolCase {
  fn: 'max_pool1d' | 'max_pool2d' | 'avg_pool1d' | 'avg_pool2d'
  kw: Record<string, unknown>
  x: number[]
  xShape: number[]
  y: number[]
  yShape: number[]
  idx: number[] | null
  cot: number[]
  gx: number[]
  gradFn: string
}
const cases = JSON.parse(readFileSync(new URL('../fixtures/pool.json', import.meta.url), 'utf8')) as PoolCase[]

const t64 = (xs: number[], shape: number[], requires_grad = false): torch.Tensor =>
  torch.tensor(xs, { dtype: torch.float64 }).reshape(shape).detach().requires_grad_(requires_grad)
const flat = (t: torch.Tensor): number[] => {
  const v = t.tolist()
  return Array.isArray(v) ? (v.flat(5) as number[]) : [v as number]
}
const close = (t: torch.Tensor, expected: number[]): void => {
  const got = flat(t)
  expect(got.length).toBe(expected.length)
  got.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThan(1e-12))
}

describe('pooling vs PyTorch 1.13', () => {
  it.each(cases.map((c, i) => [`${i} ${c.fn} ${JSON.stringify(c.kw)}`, c] as const))('%s', (_, c) => {
    const x = t64(c.x, c.xShape, true)
    const fn = F[c.fn] as (x: torch.Tensor, kw: Record<string, unknown>) => torch.Tensor | [torch.Tensor, torch.Tensor]
    const r = fn(x, c.kw)
    const [y, idx] = Array.isArray(r) ? r : [r, undefined]
    expect(String(y.shape)).toBe(`torch.Size([${c.yShape.join(', ')}])`)
    close(y, c.y)
    expect(y.grad_fn?.name()).toBe(c.gradFn)
    if (c.idx !== null) {
      expect(idx?.dtype).toBe(torch.int64)
      expect(flat(idx as torch.Tensor)).toEqual(c.idx)
    }
    y.mul(t64(c.cot, c.yShape)).sum().backward()
    close(x.grad as torch.Tensor, c.gx)
  })

  it('second order through max pooling (select-and-scatter differentiates again)', () => {
    const x = torch.rand(1, 2, 5, 5, { dtype: torch.float64, requires_grad: true })
    const f = (v: torch.Tensor): torch.Tensor => (F.max_pool2d(v, 2, { stride: 1 }) as torch.Tensor).pow(2)
    expect(torch.autograd.gradgradcheck(f, [x])).toBe(true)
    const g = (v: torch.Tensor): torch.Tensor => F.avg_pool2d(v, 3, { stride: 2, padding: 1 }).pow(2)
    expect(torch.autograd.gradgradcheck(g, [x])).toBe(true)
  })

  it("PyTorch's errors", () => {
    expect(() => F.max_pool2d(torch.rand(1, 6, 6), 3, { padding: 2 })).toThrow(
      'pad should be at most half of kernel size, but got pad=2 and kernel_size=3',
    )
    expect(() => F.max_pool2d(torch.rand(1, 2, 2), 3)).toThrow(
      'Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small',
    )
    expect(() => F.max_pool2d(torch.rand(2, 2), 1)).toThrow('non-empty 3D or 4D (batch mode) tensor expected for input')
  })
})
