/**
 * block_diag, cartesian_prod, combinations, tril/triu_indices, diag_embed, diagflat, inner and
 * vdot against real PyTorch 1.13 (fixtures/shape_more.py writes fixtures/shape_more.json):
 * values, node names, gradients of Σ out·W for every input (W = sin(0.37k) + 0.5), error texts.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'
import fixture from './fixtures/shape_more.json'

type T = torch.Tensor
const f64 = { dtype: torch.float64 }

/** The programs of fixtures/shape_more.py, by case name. */
const CASES: Record<string, (...a: T[]) => T> = {
  block_diag: (a, b, c) => torch.block_diag(a!, b!, c!),
  block_diag_scalar: (a, s) => torch.block_diag(a!, s!),
  cartesian_prod: (v, w) => torch.cartesian_prod(v!, w!),
  cartesian_prod3: (v, w, u) => torch.cartesian_prod(v!, w!, u!),
  combinations: (v) => torch.combinations(v!),
  combinations3: (v) => torch.combinations(v!, 3),
  combinations_rep: (v) => torch.combinations(v!, { with_replacement: true }),
  diag_embed: (a) => torch.diag_embed(a!),
  diag_embed_off: (a) => torch.diag_embed(a!, 1, 0, 2),
  diag_embed_neg: (a) => torch.diag_embed(a!, -2, 2, 0),
  diagflat: (a) => torch.diagflat(a!),
  diagflat_off: (v) => torch.diagflat(v!, -1),
  inner: (a, b) => torch.inner(a!, b!),
  inner_1d: (v, w) => torch.inner(v!, w!),
  inner_3d: (a, b) => torch.inner(a!, b!),
  inner_scalar: (a, s) => torch.inner(a!, s!),
  vdot: (v, w) => torch.vdot(v!, w!),
}

const close = (got: unknown, want: unknown, what: string): void => {
  const g = [got].flat(5) as number[]
  const w = [want].flat(5) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(1e-12))
}

const weights = (o: T): T => (o.dim() === 0 ? torch.tensor(0.5, f64) : sinWeights([...o.shape]))
type Case = { args: string[]; value: unknown; shape: number[]; node: string; grads: unknown[] }
const inputs = fixture.inputs as Record<string, torch.TensorData>

describe('shape functions against PyTorch 1.13: values, node names, gradients', () => {
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    const c = (fixture.cases as Record<string, Case>)[name]!
    const leaves = c.args.map((a) => torch.tensor(inputs[a]!, { dtype: torch.float64, requires_grad: true }))
    const y = CASES[name]!(...leaves)
    expect([...y.shape]).toEqual(c.shape)
    close(y.tolist(), c.value, `${name} value`)
    expect(y.grad_fn?.name()).toBe(c.node)
    const gs = torch.autograd.grad([y.mul(weights(y)).sum()], leaves)
    gs.forEach((g, i) => close(g!.tolist(), c.grads[i], `${name} grad ${i}`))
  })
})

describe('index helpers and edge cases against PyTorch 1.13', () => {
  const e = fixture.indices
  it('tril_indices / triu_indices (int64, row-major)', () => {
    expect(torch.tril_indices(3, 4).tolist()).toEqual(e.tril)
    expect(torch.tril_indices(4, 3, -1).tolist()).toEqual(e.tril_neg)
    expect(torch.triu_indices(3, 4, 1).tolist()).toEqual(e.triu)
    expect(torch.triu_indices(3, 3, -1).tolist()).toEqual(e.triu_neg)
    expect(torch.tril_indices(3, 4).dtype).toBe(torch.int64)
  })
  it('empty combinations, empty block_diag, integer block_diag', () => {
    const two = torch.tensor([1, 2], f64)
    expect([...torch.combinations(two, 0).shape]).toEqual(e.combinations_0)
    expect([...torch.combinations(two, 3).shape]).toEqual(e.combinations_big)
    expect([...torch.block_diag().shape]).toEqual(e.block_diag_empty)
    const i64 = { dtype: torch.int64 }
    const bi = torch.block_diag(torch.tensor([[1, 2]], i64), torch.tensor([[3]], i64))
    expect(bi.tolist()).toEqual(e.block_diag_int)
    expect(bi.dtype).toBe(torch.int64)
  })
  it('values pass exactly (inf and NaN stay in place, zeros elsewhere)', () => {
    const d = torch.diag_embed(torch.tensor([Infinity, NaN], f64)).tolist()
    expect(d).toEqual([
      [Infinity, 0],
      [0, NaN],
    ])
  })
})

describe('errors as PyTorch 1.13 words them', () => {
  const a = torch.tensor(fixture.inputs.M23, f64)
  const c = torch.tensor(fixture.inputs.V3, f64)
  const ERRORS: Record<string, () => unknown> = {
    block_diag_3d: () => torch.block_diag(torch.zeros(2, 2, 2)),
    cartesian_prod_2d: () => torch.cartesian_prod(a),
    combinations_2d: () => torch.combinations(a),
    combinations_neg: () => torch.combinations(c, -1),
    diag_embed_same: () => torch.diag_embed(a, 0, 1, 1),
    inner_mismatch: () => torch.inner(a, torch.zeros(4, 2, f64)),
    vdot_size: () => torch.vdot(c, torch.zeros(2, f64)),
    vdot_2d: () => torch.vdot(a, a),
    tril_indices_neg: () => torch.tril_indices(-1, 3),
  }
  it.each(Object.keys(ERRORS))('%s', (name) => {
    const [kind, message] = (fixture.errors as Record<string, string[]>)[name]!
    expect(ERRORS[name]!).toThrow(expect.objectContaining({ name: kind, message }))
  })
})
