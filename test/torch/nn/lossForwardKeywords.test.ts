/**
 * The margin loss modules take their forward inputs by keyword as in Python
 * (`nn.CosineEmbeddingLoss()(x1, x2, target=y)`, as the knowledge distillation tutorial calls it).
 * Values and error texts are PyTorch 1.13's (Python 3.10), from:
 *   l = nn.CosineEmbeddingLoss(); a = [[1, 0], [0, 1]]; b = [[2, 1], [1, 1]]; t = [1, -1]
 *   l(a, b, target=t) → 0.4063397943973541, nn.MarginRankingLoss(0.5)(a[0], b[0], target=t) → 0.75,
 *   nn.HingeEmbeddingLoss()(a[0], target=t) → 1.0, and the TypeErrors below.
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'

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
const errOf = (f: () => unknown): [string, string] | null => {
  try {
    f()
  } catch (e) {
    return [(e as Error).name, (e as Error).message]
  }
  return null
}

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
