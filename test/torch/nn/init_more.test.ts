/**
 * nn.init completeness: eye_, dirac_ (values equal PyTorch 1.13's), trunc_normal_ (bounds and the
 * truncated normal's moments), orthogonal_ (QᵀQ = gain²·I), sparse_ (zeros per column),
 * kaiming/xavier bounds and stds, calculate_gain and the fan error, against
 * test/fixtures/torch/tensorfns/tensorfns.json where deterministic.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const F = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/tensorfns/tensorfns.json', import.meta.url), 'utf8'),
) as { errors: Record<string, [string, string]>; misc: { gains: Record<string, number>; gain_leaky_02: number } }
const init = torch.nn.init
const num = (t: torch.Tensor): number => t.item() as number

describe('deterministic initialisers', () => {
  it('eye_ and dirac_ (groups) equal PyTorch', () => {
    expect(init.eye_(torch.empty(2, 3)).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ])
    const w = init.dirac_(torch.empty(4, 2, 3), 2)
    expect(w.reshape(4, -1).tolist()).toEqual([
      [0, 1, 0, 0, 0, 0],
      [0, 0, 0, 0, 1, 0],
      [0, 1, 0, 0, 0, 0],
      [0, 0, 0, 0, 1, 0],
    ])
  })
  it('messages', () => {
    expect(() => init.eye_(torch.empty(2, 2, 2))).toThrow('Only tensors with 2 dimensions are supported')
    expect(() => init.dirac_(torch.empty(2, 2))).toThrow('Only tensors with 3, 4, or 5 dimensions are supported')
    expect(() => init.dirac_(torch.empty(3, 2, 3), 2)).toThrow('dim 0 must be divisible by groups')
    expect(() => init.orthogonal_(torch.empty(3))).toThrow('Only tensors with 2 or more dimensions are supported')
    expect(() => init.sparse_(torch.empty(3, 3, 3), 0.1)).toThrow('Only tensors with 2 dimensions are supported')
    expect(() => init.xavier_uniform_(torch.empty(3))).toThrow(F.errors.fan_1d![1])
    expect(() => init.calculate_gain('foo' as 'relu')).toThrow(F.errors.gain_unknown![1])
  })
  it('calculate_gain equals PyTorch for every nonlinearity', () => {
    for (const [k, v] of Object.entries(F.misc.gains)) expect(init.calculate_gain(k as 'relu')).toBeCloseTo(v, 14)
    expect(init.calculate_gain('leaky_relu', 0.2)).toBeCloseTo(F.misc.gain_leaky_02, 14)
  })
})

describe('random initialisers (statistics, fixed seed)', () => {
  it('orthogonal_: QᵀQ = gain²·I for tall, wide and conv-shaped weights', () => {
    torch.manual_seed(0)
    const tall = init.orthogonal_(torch.empty(6, 3, { dtype: torch.float64 }), 1.5)
    expect(
      num(
        tall
          .t()
          .mm(tall)
          .sub(torch.eye(3, { dtype: torch.float64 }).mul(2.25))
          .abs()
          .max(),
      ),
    ).toBeLessThan(1e-12)
    const wide = init.orthogonal_(torch.empty(2, 5, { dtype: torch.float64 }))
    expect(
      num(
        wide
          .mm(wide.t())
          .sub(torch.eye(2, { dtype: torch.float64 }))
          .abs()
          .max(),
      ),
    ).toBeLessThan(1e-12)
    const conv = init.orthogonal_(torch.empty(4, 2, 3)).reshape(4, 6)
    expect(num(conv.mm(conv.t()).sub(torch.eye(4)).abs().max())).toBeLessThan(1e-5)
  })
  it('trunc_normal_: within [a, b], mean and variance of the truncated normal', () => {
    torch.manual_seed(1)
    const w = init.trunc_normal_(torch.empty(20000, { dtype: torch.float64 }), 0.5, 2, -1, 3)
    expect(num(w.min())).toBeGreaterThanOrEqual(-1)
    expect(num(w.max())).toBeLessThanOrEqual(3)
    // truncated N(0.5, 4) to [-1, 3]: alpha = -0.75, beta = 1.25 (scipy.stats.truncnorm moments)
    const phi = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)
    const Phi = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2))
    const [al, be] = [-0.75, 1.25]
    const Z = Phi(be) - Phi(al)
    const mean = 0.5 + (2 * (phi(al) - phi(be))) / Z
    const v = 4 * (1 + (al * phi(al) - be * phi(be)) / Z - ((phi(al) - phi(be)) / Z) ** 2)
    expect(Math.abs(num(w.mean()) - mean)).toBeLessThan(4 * Math.sqrt(v / 20000))
    expect(Math.abs(num(w.var()) - v) / v).toBeLessThan(0.05)
  })
  it('trunc_normal_ warns when the mean is far outside [a, b]', () => {
    const [, ws] = torch.warnings.catch_warnings(() => init.trunc_normal_(torch.empty(3), 10))
    expect(ws.map((w) => w.message)).toEqual([
      'mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.',
    ])
  })
  it('sparse_: ceil(sparsity·rows) zeros in every column, std of the rest', () => {
    torch.manual_seed(2)
    const w = init.sparse_(torch.empty(10, 50), 0.25, 0.5)
    expect(w.eq(0).sum(0).tolist()).toEqual(Array.from({ length: 50 }, () => 3))
    const nz = w.masked_select(w.ne(0))
    expect(Math.abs(num(nz.std()) - 0.5)).toBeLessThan(0.05)
  })
  it('kaiming_uniform_/normal_ (mode, nonlinearity, a) and xavier (gain) bounds and stds', () => {
    torch.manual_seed(3)
    const ku = init.kaiming_uniform_(torch.empty(200, 100), { a: 0, mode: 'fan_out', nonlinearity: 'relu' })
    const bound = (Math.sqrt(3) * Math.sqrt(2)) / Math.sqrt(200)
    expect(num(ku.abs().max())).toBeLessThanOrEqual(bound)
    expect(num(ku.abs().max())).toBeGreaterThan(0.99 * bound)
    const kn = init.kaiming_normal_(torch.empty(300, 100), { a: 0.2, mode: 'fan_in', nonlinearity: 'leaky_relu' })
    expect(Math.abs(num(kn.std()) / (F.misc.gain_leaky_02 / 10) - 1)).toBeLessThan(0.03)
    const xu = init.xavier_uniform_(torch.empty(100, 300), 2)
    const xb = 2 * Math.sqrt(6 / 400)
    expect(num(xu.abs().max())).toBeLessThanOrEqual(xb)
    expect(num(xu.abs().max())).toBeGreaterThan(0.99 * xb)
    const xn = init.xavier_normal_(torch.empty(200, 200), { gain: 0.5 })
    expect(Math.abs(num(xn.std()) / (0.5 * Math.sqrt(2 / 400)) - 1)).toBeLessThan(0.03)
  })
})

/** Abramowitz–Stegun 7.1.26 is too coarse: a series for erf accurate to 1e-15 on |x| < 3. */
function erf(x: number): number {
  let sum = x
  let term = x
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n
    sum += term / (2 * n + 1)
  }
  return (2 / Math.sqrt(Math.PI)) * sum
}
