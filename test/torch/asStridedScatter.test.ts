/**
 * torch.as_strided_scatter against real PyTorch 1.13 (fixtures/strided_scatter_buffer.py →
 * strided_scatter_buffer.json): values, node name, the gradient of src and error texts; the
 * gradient of input by float64 central differences (PyTorch's own is not the derivative: see
 * src/torch/asStridedScatter.ts).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'

interface Case {
  readonly src: number[]
  readonly size: number[]
  readonly stride: number[]
  readonly offset: number | null
  readonly value: number[][]
  readonly node: string
  readonly src_grad: number[]
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/strided_scatter_buffer.json', import.meta.url), 'utf8'),
) as {
  readonly scatter: Record<string, Case>
  readonly scatter_errors: Record<string, [string, string]>
}
const D = torch.float64
const base = (): torch.Tensor => torch.arange(12, { dtype: D }).reshape(3, 4)
const INPUTS: Record<string, () => torch.Tensor> = {
  contiguous: base,
  overlap: base,
  transposed: () => base().t(),
  narrowed: () => base().narrow(0, 1, 2),
  rank3: base,
}
const scatterCases = Object.entries(fixture.scatter).filter(([k]) => k in INPUTS) as Array<[string, Case]>

describe('torch.as_strided_scatter against PyTorch 1.13', () => {
  it.each(scatterCases)('%s: value, node and the gradient of src', (name, c) => {
    // Arrange
    const x = (INPUTS[name] as () => torch.Tensor)()
    const s = torch.tensor(c.src, { dtype: D, requires_grad: true })
    // Act
    const y = torch.as_strided_scatter(x, s, c.size, c.stride, c.offset)
    y.mul(sinWeights(y.shape)).sum().backward()
    // Assert
    expect(y.tolist()).toEqual(c.value)
    expect(y.grad_fn?.name()).toBe(c.node)
    // PyTorch's src gradient is not the derivative for overlapping strides or a non-contiguous input
    if (name !== 'overlap' && name !== 'transposed') expect(s.grad?.tolist()).toEqual(c.src_grad)
  })

  it.each(scatterCases)('%s: the gradient of input matches float64 central differences', (name, c) => {
    const x0 = (INPUTS[name] as () => torch.Tensor)().contiguous()
    const s = torch.tensor(c.src, { dtype: D })
    const w = sinWeights(x0.shape)
    const f = (x: torch.Tensor): number =>
      torch.as_strided_scatter(x, s, c.size, c.stride, c.offset).mul(w).sum().item() as number
    const x = x0.clone().requires_grad_(true)
    torch.as_strided_scatter(x, s, c.size, c.stride, c.offset).mul(w).sum().backward()
    const got = x.grad?.reshape(-1).tolist() as number[]
    const flat = x0.reshape(-1).tolist() as number[]
    const h = 1e-6
    flat.forEach((_, i) => {
      const bump = (d: number): torch.Tensor =>
        torch
          .tensor(
            flat.map((v, j) => (j === i ? v + d : v)),
            { dtype: D },
          )
          .reshape(x0.shape)
      expect(got[i]).toBeCloseTo((f(bump(h)) - f(bump(-h))) / (2 * h), 6)
    })
    expect(got.some((g) => g === 0)).toBe(true)
  })

  it('casts src to the dtype of input and is a method too', () => {
    const x = torch.zeros(3, 4)
    const y = x.as_strided_scatter(torch.ones(2, 2, { dtype: D }).mul(2.5), [2, 2], [1, 2], 1)
    expect(y.dtype).toBe(torch.float32)
    expect(y.tolist()).toEqual((fixture.scatter['cast'] as { value: number[][] }).value)
  })

  const calls: Record<string, () => unknown> = {
    src_size: () => torch.as_strided_scatter(torch.zeros(3, 4), torch.ones(3, 2), [2, 2], [1, 2], 1),
    bounds: () => torch.as_strided_scatter(torch.zeros(3, 4), torch.ones(2, 2), [2, 2], [1, 2], 20),
  }
  it.each(Object.entries(fixture.scatter_errors))('error %s', (name, [type, message]) => {
    const f = calls[name] as () => unknown
    expect(f).toThrow(message)
    expect(() => {
      try {
        f()
      } catch (e) {
        throw new Error((e as Error).constructor.name)
      }
    }).toThrow(type)
  })
})
