/** nn.utils: gradient clipping by norm and by value, parameters to one vector and back. */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

const withGrads = (...gs: number[][]): torch.Tensor[] =>
  gs.map((g) => {
    const p = torch.zeros(g.length, { dtype: torch.float64, requires_grad: true })
    p.grad = torch.tensor(g, { dtype: torch.float64 })
    return p
  })

describe('clip_grad_norm_', () => {
  it('scales all gradients by max_norm / (total + 1e-6) when the joint 2-norm is larger, and returns the norm', () => {
    const ps = withGrads([3, 0], [0, 4])
    const total = nn.utils.clip_grad_norm_(ps, 2.5)
    expect(total.item()).toBe(5)
    const c = 2.5 / (5 + 1e-6)
    expect(ps[0]?.grad?.tolist()).toEqual([3 * c, 0])
    expect(ps[1]?.grad?.tolist()).toEqual([0, 4 * c])
  })

  it('leaves small gradients alone, supports the max norm and other orders, skips params without grad', () => {
    const ps = withGrads([0.1, -0.2])
    expect(nn.utils.clip_grad_norm_(ps, 10).item()).toBeCloseTo(Math.sqrt(0.05), 12)
    expect(ps[0]?.grad?.tolist()).toEqual([0.1, -0.2])
    expect(nn.utils.clip_grad_norm_(withGrads([1, -7, 2]), 1, Infinity).item()).toBe(7)
    expect(nn.utils.clip_grad_norm_(withGrads([1, -2]), 1, { norm_type: 1 }).item()).toBe(3)
    expect(nn.utils.clip_grad_norm_([torch.ones(2, { requires_grad: true })], 1).item()).toBe(0)
    expect(() => nn.utils.clip_grad_norm_(withGrads([Infinity]), 1, { error_if_nonfinite: true })).toThrow(
      'The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped.',
    )
  })
})

describe('clip_grad_value_ and vectors', () => {
  it('clamps gradients element-wise', () => {
    const ps = withGrads([-3, 0.5, 2])
    nn.utils.clip_grad_value_(ps, 1)
    expect(ps[0]?.grad?.tolist()).toEqual([-1, 0.5, 1])
  })

  it('flattens parameters into one vector and writes a vector back', () => {
    const m = nn.Linear(2, 2)
    const v = nn.utils.parameters_to_vector(m.parameters())
    expect(v.shape).toEqual([6])
    nn.utils.vector_to_parameters(torch.arange(6).float(), m.parameters())
    expect(m.weight.tolist()).toEqual([
      [0, 1],
      [2, 3],
    ])
    expect(m.bias?.tolist()).toEqual([4, 5])
    expect(m.weight.is_leaf).toBe(true)
  })
})
