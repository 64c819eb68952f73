/**
 * torch.gradient against real PyTorch 1.13 (fixtures/gradient_fn.py writes fixtures/gradient_fn.json):
 * values and the gradients of Σ out_k·W (W = sin(0.37k) + 0.5) with respect to the input and the
 * coordinate tensors, for scalar / per-dim / coordinate spacings, dims and edge orders; error texts.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'
import fixture from './fixtures/gradient_fn.json'

type T = torch.Tensor
const f64 = { dtype: torch.float64 }

const close = (got: unknown, want: unknown, what: string): void => {
  const g = [got].flat(4) as number[]
  const w = [want].flat(4) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(1e-10))
}

describe('torch.gradient against PyTorch', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(name, () => {
      const x = torch.tensor(fixture.X, { ...f64, requires_grad: true })
      const cs: Record<string, T> = {
        C0: torch.tensor(fixture.C0, { ...f64, requires_grad: true }),
        C1: torch.tensor(fixture.C1, { ...f64, requires_grad: true }),
      }
      const kw = { ...c.kw } as Record<string, unknown>
      const sp = kw.spacing
      if (Array.isArray(sp) && typeof sp[0] === 'string') kw.spacing = (sp as string[]).map((s) => cs[s]!)
      const outs = torch.gradient(x, kw as torch.GradientKw)
      expect(outs.length).toBe(c.out.values.length)
      outs.forEach((o, k) => close(o.tolist(), c.out.values[k], `value ${k}`))
      outs
        .map((o) => o.mul(sinWeights(o.shape)).sum())
        .reduce((a, b) => a.add(b))
        .backward()
      close(x.grad!.tolist(), c.out.x_grad, 'x.grad')
      for (const [k, g] of Object.entries(c.out.c_grads)) {
        if (g === null) expect(cs[k]!.grad, k).toBeNull()
        else close(cs[k]!.grad!.tolist(), g, `${k}.grad`)
      }
    })
  }

  it('integer input, 0-d input, checks only the chosen dims', () => {
    const o = fixture.other
    expect(torch.gradient(torch.tensor([1, 4, 9, 16]))[0]!.tolist()).toEqual(o.int_input)
    expect(String(torch.gradient(torch.tensor([1, 4, 9, 16]), { spacing: 2.5 })[0]!.dtype)).toBe(o.int_input_dtype)
    expect(torch.gradient(torch.tensor(3)).length).toBe(o.zero_dim)
    const one = torch.zeros(1, 3).add(torch.tensor([1, 2, 5]))
    expect(torch.gradient(one, { dim: 1 })[0]!.tolist()).toEqual(o.one_dim_only)
  })

  it('raises PyTorch’s errors', () => {
    const e = fixture.errors
    const x = torch.zeros(3, 4)
    const cases: Array<[() => unknown, string[]]> = [
      [() => torch.gradient(x, { edge_order: 3 }), e.edge_order],
      [() => torch.gradient(x.narrow(0, 0, 2), { edge_order: 2 }), e.small],
      [() => torch.gradient(x.narrow(0, 0, 1)), e.small1],
      [() => torch.gradient(x, { dim: 2 }), e.dim_range],
      [() => torch.gradient(x, { dim: [0, 0] }), e.dim_repeat],
      [() => torch.gradient(x, { spacing: [2, 3], dim: 1 }), e.length],
      [() => torch.gradient(x, { spacing: [torch.zeros(1, 3)], dim: 0 }), e.coord_rank],
      [() => torch.gradient(x, { spacing: [torch.tensor(0), torch.tensor(1)] }), e.coord_rank0],
    ]
    for (const [f, [type, msg]] of cases) {
      expect(f).toThrow(msg)
      try {
        f()
      } catch (err) {
        expect((err as Error).name).toBe(type)
      }
    }
    expect(() => torch.gradient(x, { spacing: [torch.zeros(4)], dim: 0 })).toThrow('size of input along its dim (3)')
    // spacing is keyword-only, as in PyTorch
    expect(() => (torch.gradient as (...a: unknown[]) => T[])(x, 2)).toThrow(torch.TorchTypeError)
  })
})
