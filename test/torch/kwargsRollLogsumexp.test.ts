/**
 * Keyword forms of `roll` and `logsumexp` (a ported SimCLR program calls `x.roll(shifts=…, dims=…)`
 * and `torch.logsumexp(x, dim=…)`): the same results as the positional forms, PyTorch's TypeErrors
 * for a missing required argument and an unknown keyword (texts from PyTorch 1.13).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const x = torch.tensor([
  [3, 1, 2],
  [0, 5, 4],
])

describe('keyword forms of roll and logsumexp', () => {
  it('roll takes shifts and dims by keyword, as method and as torch.roll', () => {
    const want = [
      [2, 3, 1],
      [4, 0, 5],
    ]
    expect(x.roll({ shifts: 1, dims: 1 }).tolist()).toEqual(want)
    expect(x.roll(1, { dims: 1 }).tolist()).toEqual(want)
    expect(torch.roll(x, { shifts: 1, dims: 1 }).tolist()).toEqual(want)
    expect(x.roll({ shifts: [1, -1], dims: [0, 1] }).tolist()).toEqual([
      [5, 4, 0],
      [1, 2, 3],
    ])
  })

  it('roll raises PyTorch TypeErrors for a missing shifts and an unknown keyword', () => {
    expect(() => x.roll({ dims: 1 } as never)).toThrow(torch.TorchTypeError)
    expect(() => x.roll({ dims: 1 } as never)).toThrow('roll() missing 1 required positional arguments: "shifts"')
    expect(() => x.roll(1, { foo: 2 } as never)).toThrow("roll() got an unexpected keyword argument 'foo'")
  })

  it('logsumexp takes dim and keepdim by keyword: log(Σ exp) of each row', () => {
    const rows = [Math.log(Math.exp(3) + Math.exp(1) + Math.exp(2)), Math.log(Math.exp(0) + Math.exp(5) + Math.exp(4))]
    const a = torch.logsumexp(x.float(), { dim: 1 })
    expect(a.shape).toEqual([2])
    const b = x.float().logsumexp({ dim: 1, keepdim: true })
    expect(b.shape).toEqual([2, 1])
    const c = x.float().logsumexp(1, { keepdim: true })
    for (const [i, r] of rows.entries()) {
      expect((a.tolist() as number[])[i]).toBeCloseTo(r, 5)
      expect((b.tolist() as number[][])[i]?.[0]).toBeCloseTo(r, 5)
      expect((c.tolist() as number[][])[i]?.[0]).toBeCloseTo(r, 5)
    }
  })

  it('logsumexp without dim raises the argument-parser TypeError', () => {
    expect(() => x.float().logsumexp({ keepdim: true } as never)).toThrow(
      'logsumexp() received an invalid combination of arguments - got (keepdim=bool, ), but expected one of:',
    )
  })
})
