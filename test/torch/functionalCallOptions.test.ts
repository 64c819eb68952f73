/**
 * torch.func.functional_call's PyTorch 2.x keywords (src/torch/funcCall.ts): `tie_weights`
 * (tied parameters replaced together, the default) and `strict` (missing/unexpected names raise
 * with PyTorch's message), and the multiple-dictionary rule. PyTorch 1.13 has neither keyword
 * (its stateless.functional_call predates them), so expected values come from the mathematics
 * of the tiny model: y = W_b·(W_a·x).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

class Tied extends torch.nn.Module {
  a = new torch.nn.Linear(2, 2, { bias: false })
  b = new torch.nn.Linear(2, 2, { bias: false })
  constructor() {
    super()
    this.b.weight = this.a.weight
  }
  forward(x: torch.Tensor): torch.Tensor {
    return this.b.call(this.a.call(x)) as torch.Tensor
  }
}

const x = torch.tensor([[1.0, 1.0]])
const w2 = torch.mul(torch.eye(2), 2)
const out = (u: unknown): unknown => (u as torch.Tensor).tolist()

describe('functional_call tie_weights and strict', () => {
  it('tie_weights (default true) replaces every name of a tied parameter', () => {
    const m = new Tied()
    expect(out(torch.func.functional_call(m, { 'a.weight': w2 }, x))).toEqual([[4, 4]])
    expect(out(torch.func.functional_call(m, { 'b.weight': w2 }, x, { tie_weights: true }))).toEqual([[4, 4]])
    // untied: only a's weight is replaced; b keeps the module's own (restored afterwards)
    const own = m.a.weight
    const expected = torch.matmul(torch.mul(x, 2), own.t()).tolist()
    expect(out(torch.func.functional_call(m, { 'a.weight': w2 }, x, undefined, { tie_weights: false }))).toEqual(
      expected,
    )
    expect(m.a.weight).toBe(own)
    expect(m.b.weight).toBe(own)
    expect(() => torch.func.functional_call(m, { 'a.weight': w2, 'b.weight': torch.eye(2) }, x)).toThrow(
      "functional_call got multiple values for keys ['a.weight', 'b.weight'], which are tied. Consider using tie_weights=False",
    )
    // the same tensor under both names is fine
    expect(out(torch.func.functional_call(m, { 'a.weight': w2, 'b.weight': w2 }, x))).toEqual([[4, 4]])
  })
  it('strict raises on missing and unexpected names with PyTorch 2.x message', () => {
    const lin = new torch.nn.Linear(2, 1)
    const p = { weight: torch.tensor([[1.0, 2.0]]), bias: torch.tensor([0.5]) }
    expect(out(torch.func.functional_call(lin, p, x, { strict: true }))).toEqual([[3.5]])
    expect(() => torch.func.functional_call(lin, { weight: p.weight, extra: p.bias }, x, { strict: true })).toThrow(
      "Error(s) in reparametrizing for Linear:\n\tUnexpected key(s): 'extra'.\n\tMissing key(s): 'bias'.",
    )
    // not strict: a partial dictionary is fine
    expect(out(torch.func.functional_call(lin, { weight: p.weight }, x)) as number[][]).toHaveLength(1)
    const m = new Tied()
    expect(() => torch.func.functional_call(m, { 'a.weight': w2 }, x, { strict: true })).toThrow(
      "Missing key(s): 'b.weight'.",
    )
  })
  it('kwargs beside the keywords, and a name in two dictionaries', () => {
    const lin = new torch.nn.Linear(2, 1)
    const p = { weight: torch.tensor([[1.0, 2.0]]) }
    expect(() => torch.func.functional_call(lin, [p, { weight: p.weight }], x)).toThrow(
      "['weight'] appeared in multiple dictionaries; behavior of functional call is ambiguous",
    )
    const split = [{ weight: p.weight }, { bias: torch.tensor([1.0]) }]
    expect(out(torch.func.functional_call(lin, split, x, { strict: true, kwargs: undefined }))).toEqual([[4]])
  })
})
