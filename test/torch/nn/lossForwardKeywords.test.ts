/**
 * The margin loss modules take their forward inputs by keyword as in Python
 * (`nn.CosineEmbeddingLoss()(x1, x2, target=y)`, as the knowledge distillation tutorial calls it).
 * Values and error texts are PyTorch 1.13's (Python 3.10), from:
 *   l = nn.CosineEmbeddingLoss(); a = [[1, 0], [0, 1]]; b = [[2, 1], [1, 1]]; t = [1, -1]
 *   l(a, b, target=t) → 0.4063397943973541, nn.MarginRankingLoss(0.5)(a[0], b[0], target=t) → 0.75,
 *   nn.HingeEmbeddingLoss()(a[0], target=t) → 1.0, and the TypeErrors below.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import { errorOf as errOf } from '../../helpers/fixtureErrors'

const { nn } = torch
const a = torch.tensor([
  [1, 0],
  [0, 1],
])
const b = torch.tensor([
  [2, 1],
  [1, 1],
])
const t = torch.tensor([1, -1])

describe('loss modules: forward inputs by keyword', () => {
  it('gives the positional value', () => {
    const l = nn.CosineEmbeddingLoss()
    expect(l.call(a, b, { target: t }).item()).toBeCloseTo(0.4063397943973541, 6)
    expect(l.call({ input1: a, input2: b, target: t }).item()).toBeCloseTo(0.4063397943973541, 6)
    expect(nn.MarginRankingLoss(0.5).call(a.index(0), b.index(0), { target: t }).item()).toBeCloseTo(0.75, 6)
    expect(nn.HingeEmbeddingLoss().call(a.index(0), { target: t }).item()).toBeCloseTo(1, 6)
  })
  it("raises Python's TypeErrors for missing, repeated and unknown inputs", () => {
    const l = nn.CosineEmbeddingLoss()
    const C = 'CosineEmbeddingLoss.forward()'
    expect(errOf(() => l.call(a, b))).toEqual(['TypeError', `${C} missing 1 required positional argument: 'target'`])
    expect(errOf(() => l.call(a))).toEqual([
      'TypeError',
      `${C} missing 2 required positional arguments: 'input2' and 'target'`,
    ])
    expect(errOf(() => l.call(a, b, t, { target: t }))).toEqual([
      'TypeError',
      `${C} got multiple values for argument 'target'`,
    ])
    const unknown = { tgt: t } as unknown as { target: torch.Tensor }
    expect(errOf(() => l.call(a, b, unknown))).toEqual(['TypeError', `${C} got an unexpected keyword argument 'tgt'`])
  })
})

/** Fixture: test/fixtures/torch/nn_losses/forward_keywords.py (PyTorch 1.13, float64). */
type Case = {
  name: string
  names: string[]
  value: number
  mixed: number
  missing: string
  unknown: string
}
type Fixture = { inputs: Record<string, unknown>; cases: Case[] }
const fx = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/nn_losses/forward_keywords.json', import.meta.url), 'utf8'),
) as Fixture
const f64 = (k: string): torch.Tensor => torch.tensor(fx.inputs[k] as number[], { dtype: torch.float64 })
const i64 = (k: string): torch.Tensor => torch.tensor(fx.inputs[k] as number[], { dtype: torch.int64 })
type T = torch.Tensor
const [x, y, p, q, v, pm] = ['x', 'y', 'p', 'q', 'v', 'pm'].map(f64) as [T, T, T, T, T, T]
const [cls, ml, tgt, il, tl] = ['cls', 'ml', 'tgt', 'il', 'tl'].map(i64) as [T, T, T, T, T]
const lp = torch.tensor(fx.inputs.lp as number[][][], { dtype: torch.float64 })
const two = { input: x, target: y }
const kwOf: Record<string, Record<string, torch.Tensor>> = {
  MSELoss: two,
  L1Loss: two,
  SmoothL1Loss: two,
  HuberLoss: two,
  BCELoss: { input: p, target: q },
  BCEWithLogitsLoss: { input: x, target: q },
  NLLLoss: { input: x, target: cls },
  CrossEntropyLoss: { input: x, target: cls },
  KLDivLoss: { input: x, target: p },
  PoissonNLLLoss: { log_input: x, target: p },
  GaussianNLLLoss: { input: x, target: y, var: v },
  SoftMarginLoss: { input: x, target: pm },
  MultiLabelSoftMarginLoss: { input: x, target: q },
  MultiMarginLoss: { input: x, target: cls },
  MultiLabelMarginLoss: { input: x, target: ml },
  TripletMarginLoss: { anchor: x, positive: y, negative: p },
  TripletMarginWithDistanceLoss: { anchor: x, positive: y, negative: p },
  CTCLoss: { log_probs: lp, targets: tgt, input_lengths: il, target_lengths: tl },
}
/** A loss module called as Python would, with any arguments (unknown keywords included). */
const moduleOf = (name: string): ((...args: unknown[]) => torch.Tensor) => {
  const m = (nn as unknown as Record<string, () => { call: (...args: unknown[]) => torch.Tensor }>)[name]!()
  return (...args) => m.call(...args)
}

describe('every loss module: forward inputs by keyword, PyTorch 1.13 fixture', () => {
  it('covers the same modules as the fixture', () => {
    expect(fx.cases.map((c) => c.name).sort()).toEqual(Object.keys(kwOf).sort())
  })
  for (const c of fx.cases) {
    it(c.name, () => {
      const kw = kwOf[c.name]!
      expect(Object.keys(kw)).toEqual(c.names)
      const f = moduleOf(c.name)
      const [first, ...rest] = c.names.map((n) => kw[n]!)
      const restKw = Object.fromEntries(c.names.slice(1).map((n) => [n, kw[n]]))
      expect(f(kw).item()).toBeCloseTo(c.value, 10)
      expect(f(first, restKw).item()).toBeCloseTo(c.mixed, 10)
      expect(f(first, ...rest).item()).toBeCloseTo(c.value, 10)
      expect(errOf(() => f(first))).toEqual(['TypeError', c.missing])
      expect(errOf(() => f(first, { ...restKw, tgt: first }))).toEqual(['TypeError', c.unknown])
    })
  }
})
