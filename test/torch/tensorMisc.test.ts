/**
 * tril/triu as methods, fmax/fmin, dist, the storage facts and predicates, and the global seed
 * functions, against PyTorch (test/torch/fixtures/tensor_misc.py).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/tensor_misc.json'
import { sinWeights } from '../helpers/sinWeights'

type Nested = number | string | Nested[]
const dec = (v: Nested): unknown =>
  Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v
const close = (got: unknown, want: unknown, label: string): void => {
  const g = [got].flat(3) as number[]
  const w = [dec(want as Nested)].flat(3) as number[]
  expect(g.length, label).toBe(w.length)
  g.forEach((v, i) => {
    const e = w[i] as number
    if (!Number.isFinite(e)) expect(v, label).toBe(e)
    else expect(Math.abs(v - e), `${label} #${i}`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(e)))
  })
}

interface Case {
  readonly values: unknown
  readonly grad_fn: string
  readonly grads: ReadonlyArray<unknown>
}
const check = (c: Case, f: (...xs: torch.Tensor[]) => torch.Tensor, ...inputs: torch.Tensor[]): void => {
  const xs = inputs.map((x) => x.clone().requires_grad_())
  const y = f(...xs)
  expect(y.grad_fn?.name()).toBe(c.grad_fn)
  close(y.tolist(), c.values, `${c.grad_fn} values`)
  y.mul(sinWeights([...y.shape]))
    .sum()
    .backward()
  xs.forEach((x, i) => close(x.grad?.tolist(), c.grads[i], `${c.grad_fn} grad ${i}`))
}

const f64 = (v: number[][]): torch.Tensor => torch.tensor(v, { dtype: torch.float64 })
const a = f64([
  [1, NaN, 3],
  [2, 5, NaN],
])
const b = f64([
  [1, 2, NaN],
  [4, 5, NaN],
])
const m = sinWeights([3, 4])

describe('tensor misc methods', () => {
  it('fmax/fmin ignore NaN; the gradient goes wholly to self at ties', () => {
    check(fixture.fmax, (x, y) => x.fmax(y), a, b)
    check(fixture.fmin, (x, y) => torch.fmin(x, y), a, b)
  })

  it('tril/triu as methods, and in place', () => {
    check(fixture.tril, (x) => x.tril(1), m)
    check(fixture.triu, (x) => x.triu(-1), m)
    const z = m.clone().tril_()
    close(z.tolist(), fixture.tril_[0], 'tril_')
    expect(z._version).toBe(fixture.tril_[1])
  })

  it('dist for p = 2, 1, ∞ (DistBackward0; ∞ splits the gradient among ties)', () => {
    check(fixture.dist2, (x, y) => x.dist(y), m, m.flip(0))
    check(fixture.dist1, (x, y) => torch.dist(x, y, 1), m, m.flip(0))
    check(fixture.distinf, (x, y) => x.dist(y, Infinity), m, m.flip(0))
  })

  it('storage facts and predicates', () => {
    const f = fixture.facts
    expect(
      [torch.ones(2, 3), torch.ones(4, { dtype: torch.float64 }), torch.ones(3, { dtype: torch.int64 })].map(
        (t) => t.nbytes,
      ),
    ).toEqual(f.nbytes)
    expect([torch.ones(1).itemsize, torch.ones(1, { dtype: torch.int32 }).itemsize]).toEqual(f.itemsize)
    expect(torch.ones(1).get_device()).toBe(f.get_device)
    expect(String(torch.ones(1).layout)).toBe(f.layout)
    expect(torch.ones(1).layout).toBe(torch.strided)
    expect(
      [torch.ones(1), torch.ones(1, { dtype: torch.uint8 }), torch.ones(1, { dtype: torch.bool })].map((t) =>
        t.is_signed(),
      ),
    ).toEqual(f.is_signed)
    expect([torch.tensor([0.0]).is_nonzero(), torch.is_nonzero(torch.tensor(2))]).toEqual(f.is_nonzero)
    expect([torch.ones(2, 3).is_same_size(torch.zeros(2, 3)), torch.ones(2, 3).is_same_size(torch.ones(3, 2))]).toEqual(
      f.is_same_size,
    )
    expect(torch.is_complex(torch.ones(1))).toBe(f.is_complex)
    expect(torch.is_floating_point(torch.ones(1))).toBe(true)
    const parts = torch.ones(4, { requires_grad: true }).split(2)
    expect([parts[1]?.output_nr, torch.ones(2, { requires_grad: true }).exp().output_nr]).toEqual(f.output_nr)
    expect(() => torch.ones(2).is_nonzero()).toThrow(fixture.errors.is_nonzero_many[1] as string)
    expect(() => torch.ones(0).is_nonzero()).toThrow(fixture.errors.is_nonzero_empty[1] as string)
  })

  it('manual_seed returns the generator; initial_seed and seed', () => {
    const g = torch.manual_seed(11)
    expect(g.initial_seed()).toBe(11)
    const r = torch.rand(3).tolist()
    torch.manual_seed(11)
    expect(torch.rand(3).tolist()).toEqual(r)
    expect(torch.initial_seed()).toBe(11)
    const s = torch.seed()
    expect(torch.initial_seed()).toBe(s)
    expect(Number.isInteger(s)).toBe(true)
  })
})
