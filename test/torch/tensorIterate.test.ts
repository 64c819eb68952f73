import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

// Python's `for row in x` / `iter(x)` (x.__iter__()) and `len(x)` (x.__len__()) (torch/_tensor.py: __iter__ unbinds dim 0;
// 0-d tensors raise "iteration over a 0-d tensor" / "len() of a 0-d tensor").
describe('tensor iteration', () => {
  it('walks dimension 0 as views sharing the graph', () => {
    const x = torch.arange(6, { dtype: torch.float32 }).reshape(3, 2).requires_grad_()
    const rows = [...x.__iter__()]
    expect(rows.map((r) => r.tolist())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ])
    expect(rows[0]!.grad_fn?.name()).toBe('UnbindBackward0')
    let total = torch.zeros(2)
    for (const r of x.__iter__()) total = total.add(r.mul(r))
    total.sum().backward()
    expect(x.grad?.tolist()).toEqual([
      [0, 2],
      [4, 6],
      [8, 10],
    ])
    expect([...x.__iter__()].length).toBe(3)
    expect(x.__len__()).toBe(3)
  })
  it('raises TypeError on a 0-d tensor; tensors are not JS iterables', () => {
    expect(() => torch.tensor(1).__iter__()).toThrow(new torch.TorchTypeError('iteration over a 0-d tensor'))
    expect(Symbol.iterator in torch.tensor([1])).toBe(false)
    // deep equality (which iterates iterables) keeps working on tensors
    expect(torch.tensor([1, 2])).not.toBe(torch.tensor([1, 2]))
    expect(torch.tensor([[1, 2]])).not.toEqual(torch.tensor([[1, 3]]))
    expect(() => torch.tensor(1).__len__()).toThrow(new torch.TorchTypeError('len() of a 0-d tensor'))
    expect([...torch.zeros(0, 2).__iter__()]).toEqual([])
  })
})
