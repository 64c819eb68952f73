/**
 * The torch.* forms of functional ops (src/torch/torchFunctional.ts, torchLosses.ts) against
 * PyTorch (test/torch/fixtures/torch_functional.py): values, node names and the gradients of
 * Σ out·W for each float input, and the argument parser's errors.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/torch_functional.json'
import { sinWeights } from '../helpers/sinWeights'
import { expectFixtureErrors } from '../helpers/fixtureErrors'

type Nested = number | string | null | Nested[]
const dec = (v: Nested): unknown =>
  Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v

const close = (got: ReadonlyArray<number>, want: Nested, label: string): void => {
  const w = dec(want) as number[]
  expect(got.length, label).toBe(w.length)
  got.forEach((v, i) => {
    const e = w[i] as number
    expect(Math.abs(v - e), `${label} #${i}: ${v} vs ${e}`).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(e)))
  })
}

type Spec = ReadonlyArray<number> | { readonly v: Nested; readonly dtype?: string }
const make = (s: Spec): torch.Tensor => {
  if (Array.isArray(s)) return sinWeights(s as number[]).requires_grad_()
  const o = s as { readonly v: Nested; readonly dtype?: string }
  if (o.dtype === 'int64') return torch.tensor(o.v as number[], { dtype: torch.int64 })
  return torch.tensor(o.v as number[], { dtype: torch.float64, requires_grad: true })
}
const flat = (t: torch.Tensor): number[] => [t.detach().reshape(-1).tolist()].flat() as number[]

describe('torch.* functional forms against PyTorch', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const xs = (c.inputs as ReadonlyArray<Spec>).map(make)
    const run = new Function('torch', 'a', 'b', 'c', 'd', 'e', `return ${c.ts}`) as (
      ...a: unknown[]
    ) => torch.Tensor | torch.Tensor[]
    const out = run(torch, ...xs)
    const outs = Array.isArray(out) ? out : [out]
    outs.forEach((o, i) => {
      expect(o.shape, `${c.name} shape ${i}`).toEqual(c.shapes[i])
      close(flat(o), c.values[i] as Nested, `${c.name} value ${i}`)
    })
    const y = outs[0] as torch.Tensor
    expect(y.grad_fn?.name() ?? null, `${c.name} node`).toBe(c.node)
    y.mul(sinWeights(y.shape)).sum().backward()
    xs.forEach((x, i) => {
      const want = c.grads[i] as Nested
      if (want === null) expect(x.grad, `${c.name} grad ${i}`).toBeNull()
      else close(flat(x.grad as torch.Tensor), want, `${c.name} grad ${i}`)
    })
  })
})

describe('torch.* functional forms: argument errors as PyTorch', () => {
  const x = torch.randn(2, 3, { dtype: torch.float64 })
  const cases = Object.fromEntries(
    Object.entries(fixture.error_ts).map(([n, src]) => [
      n,
      () => new Function('torch', 'x', `return ${src}`)(torch, x),
    ]),
  )
  expectFixtureErrors(cases, fixture.errors)
})

describe('torch.* dropout forms', () => {
  it('feature_dropout zeroes whole channels and scales the rest; alpha forms keep the moments', () => {
    torch.manual_seed(0)
    const y = torch.feature_dropout(torch.ones(4, 6, 5), 0.5, true).tolist() as number[][][]
    expect(y.flat().every((ch) => ch.every((v) => v === ch[0]) && (ch[0] === 0 || ch[0] === 2))).toBe(true)
    const z = torch.feature_alpha_dropout(torch.zeros(50, 50, 2), 0.5, true)
    // a kept zero becomes λα·a·p, a dropped one −λα·a·(1 − p) (a = 1/√((λα²p + 1)(1 − p)))
    const a = 1 / Math.sqrt((1.7580993408473766 ** 2 * 0.5 + 1) * 0.5)
    const c = 1.7580993408473766 * a * 0.5
    const vals = (z.tolist() as number[][][]).flat(2)
    expect(vals.every((v) => Math.abs(Math.abs(v) - c) < 1e-6)).toBe(true)
    expect(vals.some((v) => v > 0) && vals.some((v) => v < 0)).toBe(true)
    const x = torch.ones(3, 4, { requires_grad: true })
    const d = torch.dropout(x.mul(1), 0.25, true)
    expect(d.grad_fn?.name()).toBe('MulBackward0')
    expect(torch.alpha_dropout(x, 0.3, false)).toBe(x)
    const w = x.mul(1)
    expect(torch.dropout_(w, 0.5, true)).toBe(w)
    expect(w._version).toBe(1)
  })
})
