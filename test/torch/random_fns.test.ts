/**
 * Sampling functions (statistics with a fixed seed; PyTorch 1.13's node names, zero gradients and
 * messages, checked with /usr/bin/python3 when written): torch.normal overloads, bernoulli,
 * multinomial, Tensor.exponential_/geometric_/log_normal_/cauchy_/random_, generator keywords.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const D = { dtype: torch.float64 }
const num = (t: torch.Tensor): number => t.item() as number
const N = 20000
/** |sample mean − mu| within 5 standard errors. */
const meanOk = (t: torch.Tensor, mu: number, sd: number): void =>
  expect(Math.abs(num(t.mean()) - mu)).toBeLessThan((5 * sd) / Math.sqrt(t.numel()))

describe('torch.normal', () => {
  it('float mean/std with size: moments, dtype, requires_grad', () => {
    torch.manual_seed(0)
    const z = torch.normal(3, 2, [N], D)
    expect(z.dtype).toBe(torch.float64)
    meanOk(z, 3, 2)
    expect(Math.abs(num(z.std()) - 2)).toBeLessThan(0.05)
    expect(torch.normal(0, 1, { size: [2], requires_grad: true }).requires_grad).toBe(true)
    expect(() => torch.normal(0, -1, [2])).toThrow('normal expects std >= 0.0, but found std -1')
  })
  it('tensor mean/std: broadcast, node names, zero gradients as PyTorch', () => {
    torch.manual_seed(1)
    const m = torch.zeros(3, { requires_grad: true })
    const s = torch.ones(3, { requires_grad: true })
    const o = torch.normal(m, s)
    expect(o.grad_fn?.name()).toBe('NormalBackward3')
    o.sum().backward()
    expect(m.grad!.tolist()).toEqual([0, 0, 0])
    expect(s.grad!.tolist()).toEqual([0, 0, 0])
    expect(torch.normal(m, 2).grad_fn?.name()).toBe('NormalBackward1')
    expect(torch.normal(0, s).grad_fn?.name()).toBe('NormalBackward2')
    const wide = torch.normal(torch.arange(4, D).reshape(4, 1), torch.full([1, N / 4], 0.5, D))
    expect([...wide.shape]).toEqual([4, N / 4])
    for (let r = 0; r < 4; r++) meanOk(wide.select(0, r), r, 0.5)
    expect(() => torch.normal(m, -1)).toThrow('normal expects std >= 0.0, but found std -1')
  })
})

describe('bernoulli and multinomial', () => {
  it('bernoulli: per-element probabilities, p, messages, node name', () => {
    torch.manual_seed(2)
    const p = torch
      .tensor([0, 0.3, 1])
      .reshape(3, 1)
      .expand(3, N / 4)
    const b = torch.bernoulli(p)
    expect(b.select(0, 0).sum().item()).toBe(0)
    expect(b.select(0, 2).sum().item()).toBe(N / 4)
    meanOk(b.select(0, 1), 0.3, Math.sqrt(0.21))
    meanOk(torch.bernoulli(torch.zeros(N), 0.8), 0.8, 0.4)
    expect(torch.bernoulli(torch.tensor([0.5], { requires_grad: true })).grad_fn?.name()).toBe('BernoulliBackward0')
    expect(() => torch.bernoulli(torch.tensor([0.5, 2]))).toThrow(
      'Expected p_in >= 0 && p_in <= 1 to be true, but got false.',
    )
    expect(() => torch.bernoulli(torch.zeros(2), 2)).toThrow('bernoulli_ expects p to be in [0, 1], but got p=2')
  })
  it('multinomial with replacement: frequencies', () => {
    torch.manual_seed(3)
    const s = torch.multinomial(torch.tensor([1, 0, 3]), N, true)
    expect(s.dtype).toBe(torch.int64)
    expect(s.eq(1).sum().item()).toBe(0)
    meanOk(s.eq(2).double(), 0.75, Math.sqrt(0.75 * 0.25))
  })
  it('multinomial without replacement: distinct, first-draw law, 2-D', () => {
    torch.manual_seed(4)
    const rows = torch.multinomial(torch.tensor([1, 2, 3, 4]).expand(N / 4, 4), 3)
    expect([...rows.shape]).toEqual([N / 4, 3])
    const sorted = rows.sort(1).values
    expect(num(sorted.diff({ dim: 1 }).min())).toBeGreaterThan(0)
    meanOk(rows.select(1, 0).eq(3).double(), 0.4, Math.sqrt(0.24))
    const g = torch.Generator().manual_seed(5)
    const h = torch.Generator().manual_seed(5)
    const w = torch.tensor([0.2, 0.5, 0.3])
    expect(torch.multinomial(w, 3, { generator: g }).tolist()).toEqual(
      torch.multinomial(w, 3, { generator: h }).tolist(),
    )
  })
  it('multinomial messages', () => {
    const t = torch.tensor
    expect(() => torch.multinomial(t([1, 2]), 3)).toThrow(
      'cannot sample n_sample > prob_dist.size(-1) samples without replacement',
    )
    expect(() => torch.multinomial(t([0, 0]), 1)).toThrow(
      'invalid multinomial distribution (sum of probabilities <= 0)',
    )
    expect(() => torch.multinomial(t([-1, 2]), 1)).toThrow(
      'probability tensor contains either `inf`, `nan` or element < 0',
    )
    expect(() => torch.multinomial(torch.ones(2, 2, 2), 1)).toThrow('prob_dist must be 1 or 2 dim')
    expect(() => torch.multinomial(t([1, 2]), 0)).toThrow('cannot sample n_sample <= 0 samples')
  })
})

describe('in-place samplers', () => {
  it('exponential_, geometric_, log_normal_, cauchy_, random_: laws', () => {
    torch.manual_seed(6)
    const e = torch.empty(N, D).exponential_(2)
    expect(num(e.min())).toBeGreaterThanOrEqual(0)
    meanOk(e, 0.5, 0.5)
    const g = torch.empty(N, D).geometric_(0.25)
    expect(num(g.min())).toBe(1)
    meanOk(g, 4, Math.sqrt(0.75) / 0.25)
    const ln = torch.empty(N, D).log_normal_(0.5, 0.25)
    meanOk(ln.log(), 0.5, 0.25)
    const c = torch.empty(N, D).cauchy_(1, 2)
    // the median of Cauchy(1, 2) is 1; the fraction within 1 ± 2 is 1/2
    meanOk(c.sub(1).abs().le(2).double(), 0.5, 0.5)
    const r = torch.empty(N, { dtype: torch.int64 }).random_(3, 7)
    expect([num(r.min()), num(r.max())]).toEqual([3, 6])
    meanOk(r.double(), 4.5, Math.sqrt(1.25))
    expect(num(torch.empty(100).random_(2).max())).toBe(1)
  })
  it('generator keyword reproduces; messages', () => {
    const a = torch.empty(5).exponential_(1, { generator: torch.Generator().manual_seed(9) })
    const b = torch.empty(5).exponential_(1, { generator: torch.Generator().manual_seed(9) })
    expect(a.tolist()).toEqual(b.tolist())
    expect(() => torch.zeros(2).exponential_(-1)).toThrow('exponential_ expects lambda >= 0.0, but found lambda=-1')
    expect(() => torch.zeros(2).geometric_(0)).toThrow('geometric_ expects p to be in (0, 1), but got p=0')
    expect(() => torch.zeros(2).log_normal_(1, -1)).toThrow('log_normal_ expects std > 0.0, but found std=-1')
    expect(() => torch.zeros(2).random_(5, 2)).toThrow(
      "random_ expects 'from' to be less than 'to', but got from=5 >= to=2",
    )
  })
})

describe('uniform_/normal_/bernoulli_ keywords', () => {
  it('generator keyword, tensor p, messages', () => {
    const g = (): torch.Generator => torch.Generator().manual_seed(11)
    expect(torch.empty(4).uniform_(0, 1, { generator: g() }).tolist()).toEqual(
      torch.empty(4).uniform_(0, 1, { generator: g() }).tolist(),
    )
    expect(torch.empty(4).normal_(0, 1, { generator: g() }).tolist()).toEqual(
      torch.empty(4).normal_(0, 1, { generator: g() }).tolist(),
    )
    expect(
      torch
        .empty(3)
        .bernoulli_(torch.tensor([0, 1, 0]))
        .tolist(),
    ).toEqual([0, 1, 0])
    expect(() => torch.zeros(2).uniform_(1, 0)).toThrow(
      'uniform_ expects to return a [from, to) range, but found from=1 > to=0',
    )
    expect(() => torch.zeros(2).normal_(0, -1)).toThrow('normal expects std >= 0.0, but found std -1')
    expect(() => torch.zeros(2).bernoulli_(2)).toThrow('bernoulli_ expects p to be in [0, 1], but got p=2')
  })
})
