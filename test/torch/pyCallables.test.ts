/**
 * Classes Python code constructs by calling them: `torch.Size([2, 3])`,
 * `nn.utils.rnn.PackedSequence(data, batch_sizes)` (distributions: distributionsCallable.test.ts).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const call = (c: unknown, ...a: unknown[]): unknown => (c as (...b: unknown[]) => unknown)(...a)

describe('torch.Size from an iterable, with or without new', () => {
  it('holds the sizes (a regression: new Size([2, 3]) had one element, the array)', () => {
    for (const s of [call(torch.Size, [2, 3]), new torch.Size([2, 3])] as torch.Size[]) {
      expect([...s]).toEqual([2, 3])
      expect(s.length).toBe(2)
      expect(s.numel()).toBe(6)
      expect(String(s)).toBe('torch.Size([2, 3])')
      expect(s).toBeInstanceOf(torch.Size)
      expect(Object.isFrozen(s)).toBe(true)
    }
    expect([...(call(torch.Size) as torch.Size)]).toEqual([])
    expect(torch.zeros(new torch.Size([2, 1])).shape).toEqual(torch.zeros(2, 1).shape)
    expect(torch.ones(3, 4).shape).toBeInstanceOf(torch.Size)
    expect(torch.ones(3, 4).shape.slice(1).length).toBe(1)
  })
  it("refuses what Python's tuple of ints refuses", () => {
    expect(() => call(torch.Size, [2, 1.5])).toThrow(
      new torch.TorchTypeError("'float' object cannot be interpreted as an integer"),
    )
    expect(() => call(torch.Size, null)).toThrow(new torch.TorchTypeError("'NoneType' object is not iterable"))
  })
})

describe('PackedSequence is callable as in Python', () => {
  it('builds the same packing as new', () => {
    const data = torch.tensor([1, 4, 2, 5, 3])
    const sizes = torch.tensor([2n, 2n, 1n])
    const p = call(torch.nn.utils.rnn.PackedSequence, data, sizes) as torch.nn.utils.rnn.PackedSequence
    expect(p).toBeInstanceOf(torch.nn.utils.rnn.PackedSequence)
    const [padded, lengths] = torch.nn.utils.rnn.pad_packed_sequence(p, { batch_first: true })
    expect(padded.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 0],
    ])
    expect(lengths.tolist()).toEqual([3, 2])
  })
})
