/**
 * F.ctc_loss / nn.CTCLoss against PyTorch 1.13 (fixture test/fixtures/torch/nn_losses/ctc.json
 * from ctc.py beside it): losses and gradients (padded and concatenated targets, tensor and
 * array lengths, blank, empty targets, unbatched input, logits under log_softmax, infeasible
 * alignments with and without zero_infinity, float32), node names and error texts; plus a
 * brute-force check of the loss over all alignments of a small problem.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

const F = torch.nn.functional

type Num = number | 'inf' | '-inf' | 'nan'
interface Flat {
  shape: number[]
  dtype: 'float64' | 'float32'
  data: Num[]
}
interface Case {
  label: string
  leaf: Flat
  logits: boolean
  unbatched: boolean
  targets: number[] | number[][]
  il: number | number[]
  tl: number | number[]
  lengths_as: 'tensor' | 'tuple'
  kw: { blank?: number; reduction?: 'none' | 'sum' | 'mean'; zero_infinity?: boolean }
  loss: Flat
  cot: Flat
  grad: Flat
  grad_fn: string
  next: Array<string | null>
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/torch/nn_losses/ctc.json', import.meta.url), 'utf8')) as {
  cases: Case[]
  errors: Record<string, string>
}

const value = (v: Num): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v)
const tensorOf = (f: Flat, requires_grad = false): torch.Tensor =>
  torch
    .tensor(f.data.map(value), { dtype: f.dtype === 'float32' ? torch.float32 : torch.float64 })
    .reshape(f.shape)
    .detach()
    .requires_grad_(requires_grad)
const flat = (t: torch.Tensor): number[] => {
  const v = t.tolist()
  return Array.isArray(v) ? (v.flat(5) as number[]) : [v as number]
}
const close = (t: torch.Tensor | null, f: Flat, tol: number): void => {
  expect(t).not.toBeNull()
  expect([...(t as torch.Tensor).shape]).toEqual(f.shape)
  flat(t as torch.Tensor).forEach((g, i) => {
    const w = value(f.data[i] as Num)
    if (!Number.isFinite(w)) expect(g).toBe(w)
    else expect(Math.abs(g - w)).toBeLessThan(tol * Math.max(1, Math.abs(w)))
  })
}

describe('F.ctc_loss against PyTorch 1.13', () => {
  for (const c of fx.cases) {
    it(c.label, () => {
      const leaf = tensorOf(c.leaf, true)
      const dim = c.unbatched ? 1 : 2
      const lp = c.logits ? leaf.log_softmax(dim) : leaf
      const lengths = (l: number | number[]): torch.Tensor | number[] =>
        c.lengths_as === 'tuple' ? (l as number[]) : torch.tensor(l, { dtype: torch.int64 })
      const loss = F.ctc_loss(lp, torch.tensor(c.targets, { dtype: torch.int64 }), lengths(c.il), lengths(c.tl), c.kw)
      const tol = c.leaf.dtype === 'float32' ? 1e-5 : 1e-10
      close(loss, c.loss, tol)
      expect(loss.grad_fn?.name()).toBe(c.grad_fn)
      const next = loss.grad_fn?.next_functions.map(([n]) =>
        n === null ? null : n.name() === 'AccumulateGrad' ? 'torch::autograd::AccumulateGrad' : n.name(),
      )
      expect(next).toEqual(c.next)
      loss.mul(tensorOf(c.cot)).sum().backward()
      close(leaf.grad, c.grad, tol)
    })
  }
})

describe('F.ctc_loss', () => {
  it('equals −log of the summed probability of every alignment (brute force)', () => {
    const T = 4
    const C = 3
    const lp = torch.randn(T, 1, C, { dtype: torch.float64 }).log_softmax(2)
    const p = (lp.exp().tolist() as number[][][]).map((r) => r[0] as number[])
    const target = [1, 1]
    // collapse repeats, then drop blanks (0)
    const collapse = (path: number[]): number[] => path.filter((c, i) => c !== path[i - 1]).filter((c) => c !== 0)
    let total = 0
    for (let code = 0; code < C ** T; code++) {
      const path = Array.from({ length: T }, (_, t) => Math.floor(code / C ** t) % C)
      if (collapse(path).join() === target.join()) total += path.reduce((acc, c, t) => acc * (p[t]?.[c] as number), 1)
    }
    const l = F.ctc_loss(lp, torch.tensor([target]), [T], [2], { reduction: 'sum' })
    expect(l.item()).toBeCloseTo(-Math.log(total), 12)
  })

  it('nn.CTCLoss passes its options', () => {
    const c = fx.cases.find((k) => k.label === 'blank=3') as Case
    const m = nn.CTCLoss({ blank: 3, reduction: 'none' })
    expect([m.blank, m.reduction, m.zero_infinity]).toEqual([3, 'none', false])
    expect(String(m)).toBe('CTCLoss()')
    const l = m(tensorOf(c.leaf), torch.tensor(c.targets), c.il as number[], c.tl as number[])
    close(l, c.loss, 1e-10)
  })

  it('raises PyTorch’s errors', () => {
    const e = fx.errors
    const lp = torch.randn(6, 3, 5, { dtype: torch.float64 }).log_softmax(2)
    const long = (d: number[] | number[][]): torch.Tensor => torch.tensor(d, { dtype: torch.int64 })
    const tg = long([
      [1, 2, 3],
      [1, 1, 0],
      [2, 0, 0],
    ])
    const il = long([6, 5, 4])
    const tl = long([3, 2, 1])
    const cases: Array<[string, () => unknown]> = [
      ['input_lengths > T', () => F.ctc_loss(lp, tg, long([7, 5, 4]), tl)],
      ['input_lengths size', () => F.ctc_loss(lp, tg, long([6, 5]), tl)],
      ['target_lengths size', () => F.ctc_loss(lp, tg, il, long([3, 2]))],
      ['target_lengths > S', () => F.ctc_loss(lp, tg, il, long([4, 2, 1]))],
      ['concatenated size', () => F.ctc_loss(lp, long([1, 2, 3, 1, 1]), il, tl)],
      ['blank', () => F.ctc_loss(lp, tg, il, tl, { blank: 5 })],
      ['reduction', () => F.ctc_loss(lp, tg, il, tl, { reduction: 'foo' as 'sum' })],
      ['log_probs 4-d', () => F.ctc_loss(lp.unsqueeze(3), tg, il, tl)],
      ['targets 3-d', () => F.ctc_loss(lp, tg.unsqueeze(2), il, tl)],
      ['float input_lengths', () => F.ctc_loss(lp, tg, il.double(), tl)],
      ['float target_lengths', () => F.ctc_loss(lp, tg, il, tl.double())],
    ]
    for (const [key, f] of cases) expect(f, key).toThrow(e[key] as string)
    const lpg = lp.detach().requires_grad_()
    const [g] = torch.autograd.grad(F.ctc_loss(lpg, tg, il, tl), lpg, { create_graph: true })
    expect(() => (g as torch.Tensor).sum().backward()).toThrow(e['double backward'] as string)
    expect(() => F.ctc_loss(lp, tg, 6 as never, tl)).toThrow(/received an invalid combination of arguments/)
    expect(() => F.ctc_loss(lp, tg, long([-1, 5, 4]), tl)).toThrow(/at least 0, but got value -1/)
    expect(() => F.ctc_loss(lp, tg.add(4), il, tl)).toThrow(/target value 5 is out of range for 5 classes/)
    const lpv = lp.detach().clone().requires_grad_()
    const l = F.ctc_loss(lpv, tg, il, tl)
    torch.no_grad(() => lpv.mul_(1))
    expect(() => l.backward()).toThrow(/modified by an inplace operation/)
  })
})
