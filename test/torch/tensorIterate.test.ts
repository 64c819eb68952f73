import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

// Python's `for row in x`, `iter(x)` and `len(x)` (torch/_tensor.py: __iter__ unbinds dim 0;
// 0-d tensors raise "iteration over a 0-d tensor" / "len() of a 0-d tensor").
describe('tensor iteration', () => {
  it('walks dimension 0 as views sharing the graph', () => {
    const x = torch.arange(6, { dtype: torch.float32 }).reshape(3, 2).requires_grad_()
    const rows = [...x]
    expect(rows.map((r) => r.tolist())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ])
    expect(rows[0]!.grad_fn?.name()).toBe('UnbindBackward0')
    let total = torch.zeros(2)
    for (const r of x) total = total.add(r.mul(r))
    total.sum().backward()
    expect(x.grad?.tolist()).toEqual([
      [0, 2],
      [4, 6],
      [8, 10],
    ])
    expect([...x.__iter__()].length).toBe(3)
    expect(x.__len__()).toBe(3)
  })
  it('raises TypeError on a 0-d tensor', () => {
    expect(() => [...torch.tensor(1)]).toThrow(new torch.TorchTypeError('iteration over a 0-d tensor'))
    expect(() => torch.tensor(1).__len__()).toThrow(new torch.TorchTypeError('len() of a 0-d tensor'))
    expect([...torch.zeros(0, 2)]).toEqual([])
  })
})
