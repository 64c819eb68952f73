/**
 * torch.autograd.functional (vjp, jvp, jacobian, hessian, vhp, hvp) against real PyTorch 1.13
 * (fixtures/autograd_functional.py writes fixtures/autograd_functional.json): values, results
 * under create_graph differentiated again, the strict/vectorize/strategy options, error texts.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { expectFixtureErrors } from '../helpers/fixtureErrors'
import fixture from './fixtures/autograd_functional.json'

type T = torch.Tensor
const AF = torch.autograd.functional
const f64 = { dtype: torch.float64 }
const t = (d: number[]): T => torch.tensor(d, f64)
const x = t(fixture.inputs.X)
const y = t(fixture.inputs.Y)
const v = t(fixture.inputs.V)
const w = t([...fixture.inputs.V].reverse())

const f = (a: T): T => a.pow(3).mul(a.sin())
const f2 = (a: T, b: T): T[] => [a.mul(b).exp(), a.add(b).sum()]
const s = (a: T): T =>
  a
    .pow(3)
    .sum()
    .add(a.select(0, 0).mul(a.select(0, 1)).mul(a.select(0, 2)))
const s2 = (a: T, b: T): T => a.pow(2).mul(b.exp()).sum()
const lin = (a: T): T => a.mul(2)

const flat = (r: unknown): unknown => (r instanceof torch.Tensor ? r.tolist() : Array.isArray(r) ? r.map(flat) : r)

const close = (got: unknown, want: unknown, what: string): void => {
  const g = [got].flat(6) as number[]
  const e = [want].flat(6) as number[]
  expect(g.length, what).toBe(e.length)
  g.forEach((a, i) => expect(Math.abs(a - e[i]!), `${what}[${i}]: ${a} vs ${e[i]}`).toBeLessThanOrEqual(1e-12))
}

const CASES: Record<string, () => unknown> = {
  vjp: () => AF.vjp(f, x, v),
  vjp_scalar_no_v: () => AF.vjp(s, x),
  vjp_tuple: () => AF.vjp(f2, [x, y], [v, torch.tensor(2, f64)]),
  jvp: () => AF.jvp(f, x, v),
  jvp_tuple: () => AF.jvp(f2, [x, y], [v, w]),
  jacobian: () => AF.jacobian(f, x),
  jacobian_tuple: () => AF.jacobian(f2, [x, y]),
  jacobian_vectorize: () => AF.jacobian(f, x, { vectorize: true }),
  jacobian_forward: () => AF.jacobian(f, x, { vectorize: true, strategy: 'forward-mode' }),
  hessian: () => AF.hessian(s, x),
  hessian_tuple: () => AF.hessian(s2, [x, y]),
  vhp: () => AF.vhp(s, x, v),
  hvp: () => AF.hvp(s, x, v),
  hvp_tuple: () => AF.hvp(s2, [x, y], [v, w]),
  vhp_tuple: () => AF.vhp(s2, [x, y], [v, w]),
  unused_input: () => AF.vjp((a: T, _b: T) => a.sum(), [x, y]),
}

describe('autograd.functional against PyTorch 1.13: values', () => {
  it('covers every fixture case', () => expect(Object.keys(CASES).sort()).toEqual(Object.keys(fixture.values).sort()))
  it.each(Object.keys(fixture.values))('%s', (name) => {
    close(flat(CASES[name]!()), (fixture.values as Record<string, unknown>)[name], name)
  })
})

const GRAPH: Record<string, (xx: T) => T> = {
  vjp: (xx) => AF.vjp(f, xx, v, { create_graph: true })[1] as T,
  jvp: (xx) => AF.jvp(f, xx, v, { create_graph: true })[1] as T,
  jacobian: (xx) => AF.jacobian(f, xx, { create_graph: true }) as T,
  hessian: (xx) => AF.hessian(s, xx, { create_graph: true }) as T,
  vhp: (xx) => AF.vhp(s, xx, v, { create_graph: true })[1] as T,
  hvp: (xx) => AF.hvp(s, xx, v, { create_graph: true })[1] as T,
}

describe('create_graph: results keep their graph to the inputs', () => {
  it.each(Object.keys(fixture.create_graph))('%s', (name) => {
    const want = (fixture.create_graph as Record<string, { requires_grad: boolean; grad: number[] }>)[name]!
    const xx = torch.tensor(fixture.inputs.X, { dtype: torch.float64, requires_grad: true })
    const r = GRAPH[name]!(xx)
    expect(r.requires_grad).toBe(want.requires_grad)
    close(torch.autograd.grad([r.sum()], [xx])[0]!.tolist(), want.grad, name)
  })
  it('without create_graph the results are detached', () => {
    const xx = torch.tensor(fixture.inputs.X, { dtype: torch.float64, requires_grad: true })
    expect((AF.vjp(f, xx, v)[1] as T).requires_grad).toBe(fixture.no_graph_requires_grad)
  })
})

describe('error texts as PyTorch 1.13', () => {
  const E: Record<string, () => unknown> = {
    vjp_needs_v: () => AF.vjp(lin, x),
    vjp_float_output: () => AF.vjp(() => 3.0, x),
    vjp_v_size: () => AF.vjp(lin, x, torch.ones(2, f64)),
    vjp_v_tuple_length: () => AF.vjp(f2, [x, y], [v]),
    vjp_strict: () => AF.vjp((a: T, _b: T) => a.sum(), [x, y], null, { strict: true }),
    vjp_bad_inputs: () => AF.vjp((a: T) => a.sum(), 3.0 as never),
    vjp_bad_input_in_tuple: () => AF.vjp((a: T, _b: T) => a.sum(), [x, 3.0] as never),
    jvp_needs_v: () => AF.jvp(lin, x),
    jvp_v_size: () => AF.jvp(lin, x, torch.ones(2, f64)),
    jvp_v_entry_size: () => AF.jvp(f2, [x, y], [v, torch.ones(2, f64)]),
    jvp_strict: () => AF.jvp((a: T, _b: T) => a.mul(2), [x, y], [v, w], { strict: true }),
    jacobian_strict: () => AF.jacobian((a: T, _b: T) => a.mul(2), [x, y], { strict: true }),
    jacobian_strict_create_graph: () => AF.jacobian(lin, x, { create_graph: true, strict: true }),
    jacobian_strict_output: () => AF.jacobian(() => torch.ones(2, f64), x, { strict: true }),
    jacobian_forward_no_vectorize: () => AF.jacobian(lin, x, { strategy: 'forward-mode' }),
    jacobian_forward_create_graph: () =>
      AF.jacobian(lin, x, { strategy: 'forward-mode', vectorize: true, create_graph: true }),
    jacobian_forward_strict: () => AF.jacobian(lin, x, { strategy: 'forward-mode', vectorize: true, strict: true }),
    jacobian_bad_strategy: () => AF.jacobian(lin, x, { strategy: 'sideways' as never }),
    jacobian_strict_vectorize: () => AF.jacobian(lin, x, { strict: true, vectorize: true }),
    hessian_not_scalar: () => AF.hessian((a: T) => a, x),
    hessian_tuple_output: () => AF.hessian((a: T) => [a.sum(), a.sum()], x),
    hessian_strict_linear: () => AF.hessian((a: T) => a.sum(), x, { strict: true }),
    hessian_bad_strategy: () => AF.hessian(s, x, { outer_jacobian_strategy: 'sideways' as never }),
    hvp_not_scalar: () => AF.hvp((a: T) => a.pow(3), x, v),
    hvp_needs_v: () => AF.hvp(s, x),
    hvp_strict_linear: () => AF.hvp((a: T, b: T) => a.pow(3).sum().add(b.sum()), [x, y], [v, w], { strict: true }),
    vhp_tuple_output: () => AF.vhp((a: T) => [a.sum()], x, v),
    vhp_strict_unused: () => AF.vhp((a: T, _b: T) => a.pow(3).sum(), [x, y], [v, w], { strict: true }),
  }
  expectFixtureErrors(E, fixture.errors)
})
