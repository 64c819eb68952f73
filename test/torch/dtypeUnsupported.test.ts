/**
 * torch.float16/half and bfloat16 exist as names and raise a TypeError naming the dtype wherever a
 * tensor would be made or converted (regression: they were undefined, so `{ dtype: torch.float16 }`
 * silently gave the default dtype). complex64/cfloat and complex128/cdouble name complex tensors
 * (test/torch/complex.test.ts); a factory without complex support still raises naming the dtype.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const refused = (name: string) => new RegExp(`torch\\.${name} is not supported by`)

describe('unsupported dtypes', () => {
  it('print as PyTorch names them, aliases included', () => {
    expect(String(torch.float16)).toBe('torch.float16')
    expect(torch.half).toBe(torch.float16)
    expect(torch.cfloat).toBe(torch.complex64)
    expect(torch.cdouble).toBe(torch.complex128)
    expect(String(torch.bfloat16)).toBe('torch.bfloat16')
  })

  it('raise a TypeError naming the dtype when creating, converting or defaulting', () => {
    const cases: Array<[string, () => unknown]> = [
      ['float16', () => torch.zeros(2, { dtype: torch.float16 })],
      ['float16', () => torch.tensor([1], { dtype: torch.half })],
      ['float16', () => torch.ones(2).to(torch.float16)],
      ['bfloat16', () => torch.ones(2).to({ dtype: torch.bfloat16 })],
      ['float16', () => torch.ones(2).half()],
      ['bfloat16', () => torch.ones(2).bfloat16()],
      ['float16', () => torch.set_default_dtype(torch.float16)],
      ['complex64', () => torch.full([2], 1, { dtype: torch.cfloat })],
      ['complex128', () => torch.arange(3, { dtype: torch.complex128 })],
      ['float16', () => torch.nn.Linear(2, 2, { dtype: torch.float16 })],
    ]
    for (const [name, f] of cases) {
      expect(f).toThrow(refused(name))
      expect(() => {
        try {
          f()
        } catch (e) {
          throw new Error((e as Error).name)
        }
      }).toThrow('TypeError')
    }
    expect(torch.get_default_dtype()).toBe(torch.float32)
  })
})
