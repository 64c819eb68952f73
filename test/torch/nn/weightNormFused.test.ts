/**
 * `torch._weight_norm` as the weight-norm hooks and parametrizations run it: one fused node
 * (WeightNormInterfaceBackward0) along the first or last axis with PyTorch's backward formula — a
 * zero-norm row gives NaN gradients for both v and g (the composite's chain rule gave inf for v:
 * difftest seed 420008) — and the composite ops for any other dim. Expected values:
 * fixtures/weight_norm_fused.py on PyTorch 1.13 (same code path in 2.x); second derivatives against
 * float64 central differences there, since PyTorch's double backward through the fused node reads
 * its saved norms as constants (not the derivative of its first derivative; wengert's is exact).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { weightNormValue } from '../../../src/torch/nn/weightNormCore'
import fixture from '../fixtures/weight_norm_fused.json'

type Flat = ReadonlyArray<number | string> | null | undefined
const flat = (t: torch.Tensor | null | undefined): number[] | null =>
  t === null || t === undefined ? null : (t.detach().flatten().tolist() as number[])
const close = (got: number[] | null, want: Flat, digits = 12): void => {
  if (want === null || want === undefined) return void expect(got).toBeNull()
  expect(got).not.toBeNull()
  want.forEach((x, i) => {
    const y = (got as number[])[i] as number
    if (x === 'nan') expect(y).toBeNaN()
    else expect(y).toBeCloseTo(x as number, digits)
  })
}

describe('torch._weight_norm (fused along the first or last axis)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const v = torch.tensor(c.v, { dtype: torch.float64, requires_grad: true })
    const g = torch.tensor(c.g, { dtype: torch.float64, requires_grad: true })
    const w = weightNormValue(v, g, c.dim)
    expect(w.grad_fn?.name()).toBe(c.node)
    close(flat(w), c.w)
    const gw = torch.tensor(c.gw, { dtype: torch.float64 })
    const [gv, gg] = torch.autograd.grad([w], [v, g], { grad_outputs: [gw], create_graph: true })
    close(flat(gv), c.gv)
    close(flat(gg), c.gg)
    const second = torch.autograd.grad(
      [
        (gv as torch.Tensor)
          .mul(gv as torch.Tensor)
          .sum()
          .add((gg as torch.Tensor).sum()),
      ],
      [v, g],
      {
        allow_unused: true,
      },
    )
    if (c.second_v === null) return
    close(flat(second[0]), c.second_v, 6)
    close(flat(second[1]), c.second_g, 6)
  })

  it('a weight-normed Linear with a zero-norm row gives PyTorch NaN gradients, not inf (seed 420008)', () => {
    const m = torch.nn.utils.weight_norm(torch.nn.Linear(1, 2))
    torch.no_grad(() => {
      m.weight_g.copy_(torch.tensor([[-0.125], [0.375]]))
      m.weight_v.copy_(torch.tensor([[0], [0.125]]))
    })
    m.call(torch.tensor([[-0.5]]))
      .sum()
      .backward()
    const gv = flat(m.weight_v.grad) as number[]
    expect(gv[0]).toBeNaN()
    expect(gv[1]).toBe(0)
    expect((flat(m.weight_g.grad) as number[])[0]).toBeNaN()
  })
})
