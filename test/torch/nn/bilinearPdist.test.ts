/**
 * F.bilinear / nn.Bilinear, F.pdist, nn.Unflatten and F.gumbel_softmax against real PyTorch 1.13
 * (fixtures/bilinear_pdist.py writes fixtures/bilinear_pdist.json): values, node names and their
 * next nodes, gradients of Σ out·W (W = sin(0.37k) + 0.5), reprs and error texts; gumbel_softmax's
 * sampling checked against its definition with the same generator draws.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { expectFixtureErrors } from '../../helpers/fixtureErrors'
import { sinWeights } from '../../helpers/sinWeights'
import fixture from '../fixtures/bilinear_pdist.json'
import { typeName } from '../../helpers/nodeNames'

type T = torch.Tensor
const F = torch.nn.functional
const inputs = fixture.inputs as unknown as Record<string, torch.TensorData>
const leaf = (name: string): T => torch.tensor(inputs[name]!, { dtype: torch.float64, requires_grad: true })
const row = (name: string): T =>
  torch.tensor((inputs[name] as number[][])[0]!, { dtype: torch.float64, requires_grad: true })
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(String(v).replace('inf', 'Infinity')))

const close = (got: unknown, want: unknown, what: string): void => {
  const g = [got].flat(4).map(num)
  const w = [want].flat(4).map(num)
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => {
    if (Number.isNaN(w[i]!)) expect(v, `${what}[${i}]`).toBeNaN()
    else expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(1e-12)
  })
}

/** The programs of fixtures/bilinear_pdist.py, by case name: [leaves, result]. */
const CASES: Record<string, () => [T[], (...l: T[]) => T]> = {
  bilinear_bias: () => [['X1', 'X2', 'W', 'B'].map(leaf), (a, b, w, c) => F.bilinear(a!, b!, w!, c!)],
  bilinear_nobias: () => [['X1', 'X2', 'W'].map(leaf), (a, b, w) => F.bilinear(a!, b!, w!)],
  bilinear_batched: () => [['X1B', 'X2B', 'W', 'B'].map(leaf), (a, b, w, c) => F.bilinear(a!, b!, w!, c!)],
  bilinear_1d: () => [[row('X1'), row('X2'), leaf('W'), leaf('B')], (a, b, w, c) => F.bilinear(a!, b!, w!, c!)],
  pdist_p2: () => [[leaf('P')], (x) => F.pdist(x!)],
  pdist_p1: () => [[leaf('P')], (x) => F.pdist(x!, 1)],
  pdist_p0: () => [[leaf('P')], (x) => F.pdist(x!, { p: 0 })],
  pdist_p3: () => [[leaf('P')], (x) => F.pdist(x!, 3)],
  pdist_pinf: () => [[leaf('P')], (x) => F.pdist(x!, Infinity)],
  pdist_pinf_tie: () => [
    [
      torch.tensor(
        [
          [0, 0, 1],
          [2, -2, 0.5],
        ],
        { dtype: torch.float64, requires_grad: true },
      ),
    ],
    (x) => F.pdist(x!, Infinity),
  ],
  'pdist_p0.5': () => [[leaf('P')], (x) => F.pdist(x!, 0.5)],
  unflatten: () => [[leaf('X2')], (x) => torch.nn.Unflatten(1, [2, 2]).call(x!)],
}

type Case = { value: unknown; node: string; next: Array<string | null>; grads: unknown[] }

describe('bilinear, pdist, Unflatten against PyTorch 1.13: values, nodes, gradients', () => {
  it('covers every fixture case', () => expect(Object.keys(CASES).sort()).toEqual(Object.keys(fixture.cases).sort()))
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    const c = (fixture.cases as Record<string, Case>)[name]!
    const [leaves, f] = CASES[name]!()
    const r = f(...leaves)
    close(r.tolist(), c.value, `${name} value`)
    expect(typeName(r.grad_fn)).toBe(c.node)
    expect(r.grad_fn?.next_functions.map(([n]) => typeName(n))).toEqual(c.next)
    const gs = torch.autograd.grad([r.mul(sinWeights([...r.shape])).sum()], leaves)
    gs.forEach((g, i) => close(g!.tolist(), c.grads[i], `${name} grad ${i}`))
  })
  it('pdist of fewer than two rows is empty', () => {
    expect([...F.pdist(torch.ones(1, 3)).shape]).toEqual(fixture.pdist_shapes.one_row)
    expect([...F.pdist(torch.ones(0, 3)).shape]).toEqual(fixture.pdist_shapes.no_rows)
  })
})

describe('nn.Bilinear and nn.Unflatten modules', () => {
  it('reprs as PyTorch', () => {
    expect(String(torch.nn.Bilinear(2, 4, 5))).toBe(fixture.reprs.bilinear)
    expect(String(torch.nn.Bilinear(2, 4, 5, { bias: false }))).toBe(fixture.reprs.bilinear_nobias)
    expect(String(torch.nn.Unflatten(1, [2, 2]))).toBe(fixture.reprs.unflatten)
    expect(String(torch.nn.Unflatten(-1, [4]))).toBe(fixture.reprs.unflatten_one)
  })
  it('Bilinear: parameters U(−1/√in1, 1/√in1), forward is F.bilinear', () => {
    torch.manual_seed(3)
    const m = torch.nn.Bilinear(4, 3, 6)
    expect([...m.parameters()].length).toBe(2)
    const bound = 1 / Math.sqrt(4)
    expect(m.weight.abs().max().item()).toBeLessThanOrEqual(bound)
    expect(m.weight.abs().max().item()).toBeGreaterThan(bound * 0.8)
    const x1 = torch.randn(2, 4)
    const x2 = torch.randn(2, 3)
    close(m.call(x1, x2).tolist(), F.bilinear(x1, x2, m.weight, m.bias).tolist(), 'forward')
  })
  it('Unflatten infers a -1 size and rejects a named dim', () => {
    expect([...torch.nn.Unflatten(1, [-1, 2]).call(torch.zeros(3, 4)).shape]).toEqual([3, 2, 2])
    expect(() => torch.nn.Unflatten('features' as never, [2, 2])).toThrow(/named tensors/)
  })
})

describe('gumbel_softmax', () => {
  const logits = (): T => leaf('X2')
  it('is softmax((logits + g)/tau) with g = −log(Exp(1)) from the default generator', () => {
    torch.manual_seed(11)
    const y = F.gumbel_softmax(logits(), { tau: 0.5 })
    torch.manual_seed(11)
    const g = torch.empty(3, 4, { dtype: torch.float64 }).exponential_().log().neg()
    close(y.tolist(), logits().add(g).div(0.5).softmax(-1).tolist(), 'soft sample')
  })
  it('hard: one-hot of the argmax in value, the soft sample gradient (straight-through)', () => {
    const x = logits()
    torch.manual_seed(5)
    const h = F.gumbel_softmax(x, { hard: true, dim: 0 })
    torch.manual_seed(5)
    const s = F.gumbel_softmax(x, { dim: 0 })
    expect(h.tolist()).toEqual(torch.nn.functional.one_hot(s.argmax(0), 3).t().to(torch.float64).tolist())
    const W = sinWeights([3, 4])
    const [gh] = torch.autograd.grad([h.mul(W).sum()], [x])
    const [gs] = torch.autograd.grad([s.mul(W).sum()], [x])
    close(gh!.tolist(), gs!.tolist(), 'straight-through gradient')
  })
  it('node names as PyTorch', () => {
    for (const [hard, want] of [
      [false, fixture.gumbel.soft],
      [true, fixture.gumbel.hard],
    ] as const) {
      const y = F.gumbel_softmax(logits(), { hard })
      expect([typeName(y.grad_fn), y.grad_fn?.next_functions.map(([n]) => typeName(n))]).toEqual(want)
    }
  })
  it('warns that eps is deprecated', () => {
    const [, ws] = torch.warnings.catch_warnings(() => F.gumbel_softmax(logits(), { eps: 1e-3 }))
    expect(ws.map((w) => w.message)).toEqual(['`eps` parameter is deprecated and has no effect.'])
  })
})

describe('error texts as PyTorch 1.13', () => {
  const [t1, t2, tw, tb] = ['X1', 'X2', 'W', 'B'].map((n) => torch.tensor(inputs[n]!, { dtype: torch.float64 })) as T[]
  const E: Record<string, () => unknown> = {
    bilinear_dims: () => F.bilinear(t1!, t2!.select(0, 0), tw!, tb!),
    bilinear_batch: () => F.bilinear(t1!, t2!.narrow(0, 0, 2), tw!, tb!),
    bilinear_in1: () => F.bilinear(t1!, t2!, tw!.narrow(1, 0, 1), tb!),
    bilinear_in2: () => F.bilinear(t1!, t2!.narrow(1, 0, 3), tw!, tb!),
    bilinear_bias: () => F.bilinear(t1!, t2!, tw!, tb!.narrow(0, 0, 2)),
    bilinear_dtype: () => F.bilinear(t1!.float(), t2!, tw!, tb!),
    pdist_1d: () => F.pdist(t1!.select(0, 0)),
    pdist_int: () =>
      F.pdist(
        torch.tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: torch.int64 },
        ),
      ),
    pdist_negative_p: () => F.pdist(t1!, -1),
    unflatten_sizes: () => torch.nn.Unflatten(1, [3, 3]).call(t2!),
    unflatten_int: () => torch.nn.Unflatten(1, 2 as never),
    unflatten_float_elem: () => torch.nn.Unflatten(1, [2, 2.5]),
    unflatten_dim_type: () => torch.nn.Unflatten(1.5, [2, 2]),
  }
  expectFixtureErrors(E, fixture.errors, true)
})
