/**
 * Issue 10: `torch.round(x, { decimals })` rounds at `decimals` places (it used to ignore the keyword and
 * round to integers: a silent wrong answer). Expected values from PyTorch 1.13
 * (fixtures/round_decimals.py → round_decimals.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'
import fixture from './fixtures/round_decimals.json'

type Case = { values: string[]; node: string; grad: number[] }
const cases = (dtype: 'float32' | 'float64'): Array<[string, Case]> =>
  Object.entries((fixture as unknown as Record<string, Record<string, Case>>)[dtype] as Record<string, Case>)

describe('torch.round with decimals', () => {
  for (const dtype of ['float32', 'float64'] as const)
    it.each(cases(dtype))(`${dtype}, decimals=%s: values, node and zero gradient as PyTorch`, (d, c) => {
      // Arrange
      const x = torch.tensor(fixture.x, { dtype: torch[dtype], requires_grad: true })
      // Act
      const y = torch.round(x, { decimals: Number(d) })
      y.sum().backward()
      // Assert
      expect(y.tolist()).toEqual(c.values.map((v) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v))))
      expect(y.grad_fn?.name()).toBe(c.node)
      expect(x.grad?.tolist()).toEqual(c.grad)
    })

  it('keeps RoundBackward0 without decimals, and rounds in place with round_', () => {
    expect(torch.round(torch.tensor([1.5], { requires_grad: true })).grad_fn?.name()).toBe(fixture.plain_node)
    const z = torch.tensor([1.25, 2.35])
    z.round_({ decimals: 1 })
    expect(z.tolist()).toEqual(fixture.inplace)
  })

  it('refuses integer input with decimals, a positional decimals and a non-integer one', () => {
    expect(() => torch.round(torch.tensor([123n, 456n]), { decimals: -1 })).toThrow(fixture.long_error)
    expect(() => torch.tensor([1.5]).round(2 as never)).toThrow('round() takes 1 positional argument but 2 were given')
    expect(() => torch.tensor([1.5]).round({ decimals: 1.5 })).toThrow(
      "round(): argument 'decimals' must be int, not float",
    )
    expect(() => torch.tensor([1.5]).round_({ decimals: true as never })).toThrow(
      "round_(): argument 'decimals' must be int, not bool",
    )
  })

  it('torch.special.round takes decimals too', () => {
    // 2.675 is 2.67499999999999982… in float64, but its product with 100 rounds to 267.5, which rounds to even: 2.68
    expect(torch.special.round(torch.tensor([2.675], { dtype: torch.float64 }), { decimals: 2 }).tolist()).toEqual([
      2.68,
    ])
  })
})
