import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

// PyTorch's rules for `torch.tensor(data)`: Python ints give int64, any float gives the default
// dtype, bools alone give bool, [True, 1] gives int64; a NumPy array keeps its dtype. Here the JS
// spellings of integers are bigints and typed arrays.
describe('torch.tensor dtype inference from JS data', () => {
  it('bigints are int64, exactly', () => {
    const t = torch.tensor([
      [1n, -2n],
      [3n, 2n ** 53n - 1n],
    ])
    expect(t.dtype).toBe(torch.int64)
    expect(t.tolist()).toEqual([
      [1, -2],
      [3, 2 ** 53 - 1],
    ])
    expect(torch.tensor(7n).dtype).toBe(torch.int64)
  })
  it('mixes leaves as Python does', () => {
    expect(torch.tensor([true, 1n]).dtype).toBe(torch.int64)
    expect(torch.tensor([1n, 2.5]).dtype).toBe(torch.float32)
    expect(torch.tensor([true, false]).dtype).toBe(torch.bool)
    expect(torch.tensor([1, 2]).dtype).toBe(torch.float32)
    expect(torch.tensor([]).dtype).toBe(torch.float32)
  })
  it('an explicit dtype wins', () => {
    expect(torch.tensor([1n, 2n], { dtype: torch.float64 }).dtype).toBe(torch.float64)
    expect(torch.tensor(new Int32Array([3]), { dtype: torch.int64 }).dtype).toBe(torch.int64)
  })
  it('typed arrays keep their element type', () => {
    expect(torch.tensor(new Float64Array([1.5])).dtype).toBe(torch.float64)
    expect(torch.tensor(new Float32Array([1.5])).dtype).toBe(torch.float32)
    expect(torch.tensor(new Int32Array([1, 2])).dtype).toBe(torch.int32)
    expect(torch.tensor(new Int16Array([1])).dtype).toBe(torch.int16)
    expect(torch.tensor(new Int8Array([1])).dtype).toBe(torch.int8)
    expect(torch.tensor(new Uint8Array([0, 200])).dtype).toBe(torch.uint8)
    expect(torch.tensor(new Uint8Array([0, 200])).tolist()).toEqual([0, 200])
    expect(torch.tensor(new BigInt64Array([5n, -6n])).tolist()).toEqual([5, -6])
    expect(torch.tensor(new BigInt64Array([5n])).dtype).toBe(torch.int64)
  })
  it('integers wengert cannot hold exactly raise', () => {
    expect(() => torch.tensor([2n ** 53n])).toThrow(/cannot hold exactly/)
    expect(() => torch.tensor([2n ** 63n])).toThrow(/Overflow when unpacking long/)
    expect(() => torch.tensor(new BigInt64Array([2n ** 62n]))).toThrow(/cannot hold exactly/)
  })
  it('integer tensors cannot require grad', () => {
    expect(() => torch.tensor([1n], { requires_grad: true })).toThrow(
      'Only Tensors of floating point and complex dtype can require gradients',
    )
  })
})

describe('legacy tensor types', () => {
  it('make tensors from data or sizes, with or without new', () => {
    expect(torch.LongTensor([1, 2]).dtype).toBe(torch.int64)
    expect(torch.LongTensor([1, 2]).tolist()).toEqual([1, 2])
    expect(new torch.FloatTensor(2, 3).shape).toEqual([2, 3])
    expect(torch.DoubleTensor().shape).toEqual([0])
    expect(torch.ByteTensor([1, 255]).dtype).toBe(torch.uint8)
    expect(torch.BoolTensor([true]).dtype).toBe(torch.bool)
    expect(() => torch.FloatTensor(torch.tensor([1n]))).toThrow('expected Float (got Long)')
    expect(() => torch.FloatTensor(2, -1)).toThrow('Trying to create tensor with negative dimension -1: [2, -1]')
    expect(() => torch.FloatTensor(2.5)).toThrow(torch.TorchTypeError)
  })
  it('instanceof tests the dtype', () => {
    const x = torch.randn(2)
    expect(x instanceof torch.FloatTensor).toBe(true)
    expect(x instanceof torch.LongTensor).toBe(false)
    expect(x.long() instanceof torch.LongTensor).toBe(true)
  })
  it('Tensor.type accepts dtypes, legacy types and their names', () => {
    const x = torch.tensor([1.5, -2.5])
    expect(x.type()).toBe('torch.FloatTensor')
    expect(x.type(torch.LongTensor).tolist()).toEqual([1, -2])
    expect(x.type('torch.DoubleTensor').dtype).toBe(torch.float64)
    expect(x.type(torch.int32).dtype).toBe(torch.int32)
    expect(() => x.type('torch.FooTensor')).toThrow("invalid type: 'torch.FooTensor'")
  })
})
