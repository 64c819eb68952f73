import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

// Keyword forms the ported programs (test/torch/ports) write; expected values from PyTorch 1.13:
//   torch.manual_seed(0); torch.randint(1, 5, size=(2, 3)); torch.randint(5, size=(2,))
//   torch.randint(1, 5, size=(2,)); torch.randint(1, high=5, size=(2,))
//   torch.manual_seed(0); torch.randint(high=5, size=(2,)); torch.randint(low=1, high=5, size=(2,))
//   torch.arange(end=5); torch.arange(1, end=5); torch.arange(start=1, end=7, step=2); torch.arange(end=2.5)
//   torch.arange(end=5, step=2) and torch.arange(start=1) raise TypeError
describe('keyword forms of ported programs', () => {
  it('triu/tril take diagonal by keyword (function, method, in place)', () => {
    const x = torch.ones(3, 3)
    expect(torch.triu(x, { diagonal: 1 }).tolist()).toEqual([
      [0, 1, 1],
      [0, 0, 1],
      [0, 0, 0],
    ])
    expect(x.tril({ diagonal: -1 }).tolist()).toEqual(torch.tril(x, -1).tolist())
    expect(torch.ones(2, 2).triu_({ diagonal: 1 }).tolist()).toEqual([
      [0, 1],
      [0, 0],
    ])
    expect(() => torch.triu(x, { diagonl: 1 } as never)).toThrow(/diagonl/)
  })

  it('randint takes size (and high) by keyword, drawing PyTorch numbers', () => {
    torch.manual_seed(0)
    expect(torch.randint(1, 5, { size: [2, 3] }).tolist()).toEqual([
      [1, 4, 2],
      [1, 4, 4],
    ])
    expect(torch.randint(5, { size: [2] }).tolist()).toEqual([2, 3])
    expect(torch.randint(1, 5, { size: [2] }).tolist()).toEqual([2, 4])
    expect(torch.randint(1, { high: 5, size: [2] }).tolist()).toEqual([2, 3])
    expect(torch.randint(1, 5, { size: [2] }).dtype).toBe(torch.int64)
  })

  it('randint takes every argument by keyword (TransE-PyTorch: randint(high=2, size=...))', () => {
    torch.manual_seed(0)
    expect(torch.randint({ high: 5, size: [2] }).tolist()).toEqual([4, 4])
    expect(torch.randint({ low: 1, high: 5, size: [2] }).tolist()).toEqual([2, 1])
    expect(torch.randint({ high: 3, size: [2], dtype: torch.int32 }).dtype).toBe(torch.int32)
    expect(() => torch.randint({ size: [2] } as never)).toThrow(
      /^randint\(\) received an invalid combination of arguments - got \(size=/,
    )
  })

  it('arange takes start, end and step by keyword (TransE-PyTorch: arange(end=n))', () => {
    expect(torch.arange({ end: 5 }).tolist()).toEqual([0, 1, 2, 3, 4])
    expect(torch.arange(1, { end: 5 }).tolist()).toEqual([1, 2, 3, 4])
    expect(torch.arange({ start: 1, end: 7, step: 2 }).tolist()).toEqual([1, 3, 5])
    const f = torch.arange({ end: 2.5 })
    expect([f.tolist(), f.dtype]).toEqual([[0, 1, 2], torch.float32])
    expect(() => torch.arange({ end: 5, step: 2 })).toThrow(
      /^arange\(\) received an invalid combination of arguments - got \(end=int, step=int\)/,
    )
    expect(() => torch.arange({ start: 1 } as never)).toThrow('arange() missing 1 required positional arguments: "end"')
  })

  it('torch.max / torch.min take dim by keyword', () => {
    const x = torch.tensor([
      [1, 3, 2],
      [5, 4, 0],
    ])
    const [v, i] = torch.max(x, { dim: 1 })
    expect([v.tolist(), i.tolist()]).toEqual([
      [3, 5],
      [1, 0],
    ])
    expect(torch.min(x, { dim: 0, keepdim: true })[1].tolist()).toEqual([[0, 0, 1]])
  })

  it('Tensor.backward takes retain_graph as its only (keyword) argument', () => {
    const w = torch.ones(2, { requires_grad: true })
    const y = w.mul(3).sum()
    y.backward({ retain_graph: true })
    y.backward() // the graph was kept
    expect(w.grad!.tolist()).toEqual([6, 6])
    const z = w.mul(w).sum()
    z.backward({})
    expect(() => z.backward()).toThrow(/second time/)
  })
})
