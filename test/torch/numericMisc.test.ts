/**
 * bucketize, histc, logspace, the trapezoid rules and finfo/iinfo against real PyTorch 1.13
 * (fixtures/numeric_misc.py writes fixtures/numeric_misc.json): values, node names and the
 * gradients of Σ out·W (W = sin(0.37k) + 0.5) with respect to y and the sample points x.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'
import fixture from './fixtures/numeric_misc.json'

type T = torch.Tensor
const f64 = { dtype: torch.float64 }

/** The programs of fixtures/numeric_misc.py, by case name. */
const CASES: Record<string, (y: T, x?: T) => T> = {
  trapezoid: (y) => torch.trapezoid(y),
  trapezoid_dx: (y) => torch.trapezoid(y, { dx: 0.5, dim: 0 }),
  trapezoid_x1: (y, x) => torch.trapezoid(y, x!),
  trapezoid_x2: (y, x) => torch.trapezoid(y, x!, { dim: 1 }),
  trapz: (y) => torch.trapz(y, { dx: 2 }),
  cumulative_trapezoid: (y) => torch.cumulative_trapezoid(y),
  cumulative_trapezoid_dx: (y) => torch.cumulative_trapezoid(y, { dx: 0.25, dim: 0 }),
  cumulative_trapezoid_x: (y, x) => torch.cumulative_trapezoid(y, x!),
}

const close = (got: unknown, want: unknown, what: string): void => {
  const g = [got].flat(4) as number[]
  const w = [want].flat(4) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(1e-12))
}

type Case = { extra: string[]; value: unknown; node: string; grads: unknown[] }
const inputs = fixture.inputs as Record<string, torch.TensorData>

describe('trapezoid rules against PyTorch 1.13: values, node names, gradients', () => {
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    const c = (fixture.cases as Record<string, Case>)[name]!
    const leaves = ['Y', ...c.extra].map((a) => torch.tensor(inputs[a]!, { dtype: torch.float64, requires_grad: true }))
    const r = CASES[name]!(leaves[0]!, leaves[1])
    close(r.tolist(), c.value, `${name} value`)
    expect(r.grad_fn?.name()).toBe(c.node)
    const gs = torch.autograd.grad([r.mul(sinWeights([...r.shape])).sum()], leaves)
    gs.forEach((g, i) => close(g!.tolist(), c.grads[i], `${name} grad ${i}`))
  })
})

describe('bucketize, histc, logspace against PyTorch 1.13', () => {
  const m = fixture.misc
  const b = torch.tensor([1, 3, 5, 7], f64)
  const v = torch.tensor(
    [
      [0, 1, 2],
      [5, 7, 9],
    ],
    f64,
  )
  it('bucketize (left, right, number input, out_int32)', () => {
    expect(torch.bucketize(v, b).tolist()).toEqual(m.bucketize)
    expect(torch.bucketize(v, b, { right: true }).tolist()).toEqual(m.bucketize_right)
    expect(torch.bucketize(3, b).item()).toBe(m.bucketize_scalar)
    expect(torch.bucketize(v, b, { out_int32: true }).dtype).toBe(torch.int32)
    expect(() => torch.bucketize(v, v)).toThrow('boundaries tensor must be 1 dimension, but got dim(2)')
  })
  it('histc (given range, data range, zero range, outside values)', () => {
    expect(torch.histc(torch.tensor([1, 2, 1, 4, 2.5], f64), { bins: 4, min: 0, max: 4 }).tolist()).toEqual(m.histc)
    expect(torch.histc(torch.tensor([1, 2, 1], f64), 4).tolist()).toEqual(m.histc_auto)
    expect(torch.histc(torch.tensor([1, 1], f64), 3).tolist()).toEqual(m.histc_flat)
    expect(torch.histc(torch.tensor([-1, 0.5, 2, 9], f64), 2, 0, 2).tolist()).toEqual(m.histc_out)
  })
  it('logspace', () => {
    close(torch.logspace(-1, 2, 4, f64).tolist(), m.logspace, 'logspace')
    close(torch.logspace(0, 3, 4, { base: 2 }).tolist(), m.logspace_base2, 'base 2')
    close(torch.logspace(2, 5, 1, f64).tolist(), m.logspace_one, 'one step')
  })
})

describe('finfo and iinfo as PyTorch 1.13', () => {
  it.each(['float32', 'float64'] as const)('finfo(%s)', (name) => {
    const f = torch.finfo(name === 'float32' ? torch.float32 : torch.float64)
    const want = fixture.finfo[name]
    for (const k of Object.keys(want) as (keyof typeof want)[]) expect(f[k], k).toBe(want[k])
  })
  it.each(['int8', 'int16', 'int32', 'int64', 'uint8'] as const)('iinfo(%s)', (name) => {
    const dt = { int8: torch.int8, int16: torch.int16, int32: torch.int32, int64: torch.int64, uint8: torch.uint8 }[
      name
    ]
    const i = torch.iinfo(dt)
    expect({ bits: i.bits, max: i.max, min: i.min }).toEqual(fixture.iinfo[name])
  })
})
