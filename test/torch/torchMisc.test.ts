/**
 * Bit operations, gcd/lcm, in-place comparisons and logical ops, and the other torch-namespace
 * extras against PyTorch (test/torch/fixtures/torch_misc.py): values, dtypes, node names, edges
 * and versions, and PyTorch's errors.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/torch_misc.json'
import { expectFixtureErrors } from '../helpers/fixtureErrors'
import { typeName } from '../helpers/nodeNames'

type Nested = number | boolean | string | Nested[]
const dec = (v: Nested): unknown =>
  Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v

const run = (src: string): unknown => new Function('torch', `${fixture.setup}\nreturn ${src}`)(torch)

const info = (t: unknown): unknown => {
  if (t instanceof torch.TorchDType) return { py: t.name }
  if (Array.isArray(t)) return { py: [...(t as number[])] }
  if (!(t instanceof torch.Tensor)) return { py: t }
  const fn = t.grad_fn
  return {
    values: t.detach().tolist(),
    dtype: t.dtype.name,
    grad_fn: typeName(fn),
    edges: fn === null ? null : fn.next_functions.map(([n]) => typeName(n)),
    version: t._version,
  }
}

const closeTo = (got: unknown, want: unknown, label: string): void => {
  const g = [got].flat(4) as Array<number | boolean>
  const w = [dec(want as Nested)].flat(4) as Array<number | boolean>
  expect(g.length, label).toBe(w.length)
  g.forEach((v, i) => {
    const e = w[i]
    if (typeof e === 'number' && typeof v === 'number' && !Number.isInteger(e))
      expect(Math.abs(v - e), `${label} #${i}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(e)))
    else expect(v, `${label} #${i}`).toBe(e)
  })
}

describe('torch namespace extras against PyTorch', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const out = run(c.ts)
    const many = Array.isArray(out) && !(out instanceof torch.Size)
    const outs = (many ? (out as unknown[]) : [out]).map(info) as Array<Record<string, unknown>>
    expect(outs.length).toBe(c.out.length)
    outs.forEach((o, i) => {
      const want = c.out[i] as Record<string, unknown>
      if ('py' in want) return expect(o, c.name).toEqual(want)
      closeTo(o.values, want.values, `${c.name} values`)
      expect({ ...o, values: null }, c.name).toEqual({ ...want, values: null })
    })
  })
  it.each(fixture.v2.map((c) => [c.name, c] as const))('%s (PyTorch 2.x rule)', (_, c) => {
    const t = run(c.ts) as torch.Tensor
    expect(t.tolist()).toEqual(c.values)
    expect(t.dtype.name).toBe(c.dtype)
  })
})

describe('torch namespace extras: errors as PyTorch', () => {
  const cases = Object.fromEntries(Object.entries(fixture.error_ts).map(([n, src]) => [n, () => run(src)]))
  expectFixtureErrors(cases, fixture.errors)
})
