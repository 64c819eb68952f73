/**
 * torch.frombuffer against real PyTorch 1.13 (fixtures/strided_scatter_buffer.py →
 * strided_scatter_buffer.json): every dtype over a fixed byte string, count and offset, negative
 * integers, error texts; ArrayBuffer, typed-array and DataView sources.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/strided_scatter_buffer.json', import.meta.url), 'utf8'),
) as {
  readonly buffer: {
    readonly bytes: number[]
    readonly all: Record<string, unknown[]>
    readonly count_offset: number[]
    readonly int64_small: { readonly bytes: number[]; readonly value: number[] }
    readonly negative: { readonly bytes: number[]; readonly int8: number[]; readonly int16: number[] }
    readonly errors: Record<string, [string, string]>
  }
}
const B = fixture.buffer
const DTYPES: Record<string, torch.TorchDType> = {
  uint8: torch.uint8,
  int8: torch.int8,
  int16: torch.int16,
  int32: torch.int32,
  int64: torch.int64,
  float32: torch.float32,
  float64: torch.float64,
  bool: torch.bool,
}

describe('torch.frombuffer against PyTorch 1.13', () => {
  it.each(Object.entries(B.all))('%s', (name, want) => {
    if (name === 'int64') {
      expect(() => torch.frombuffer(new Uint8Array(B.bytes), { dtype: torch.int64 })).toThrow(
        'has no exact int64 value',
      )
      const small = torch.frombuffer(new Uint8Array(B.int64_small.bytes), { dtype: torch.int64 })
      expect(small.tolist()).toEqual(B.int64_small.value)
      return
    }
    const t = torch.frombuffer(new Uint8Array(B.bytes), { dtype: DTYPES[name] as torch.TorchDType })
    expect(t.dtype).toBe(DTYPES[name])
    const got = t.tolist() as unknown[]
    if (name === 'float32') got.forEach((g, i) => expect(g).toBeCloseTo(want[i] as number, 45))
    else expect(got).toEqual(want)
  })

  it('reads count elements from a byte offset, from any view of the bytes', () => {
    const bytes = new Uint8Array(B.bytes)
    const padded = new Uint8Array([9, 9, ...B.bytes])
    for (const src of [bytes, bytes.buffer, new DataView(bytes.buffer), padded.subarray(2)])
      expect(torch.frombuffer(src, { dtype: torch.int16, count: 3, offset: 2 }).tolist()).toEqual(B.count_offset)
  })

  it('reads signed integers little-endian', () => {
    const bytes = new Uint8Array(B.negative.bytes)
    expect(torch.frombuffer(bytes, { dtype: torch.int8 }).tolist()).toEqual(B.negative.int8)
    expect(torch.frombuffer(bytes, { dtype: torch.int16 }).tolist()).toEqual(B.negative.int16)
  })

  it('makes a float leaf requiring grad on request', () => {
    const t = torch.frombuffer(new Float64Array([1.5, 2.5]), { dtype: torch.float64, requires_grad: true })
    expect([t.requires_grad, t.is_leaf, t.tolist()]).toEqual([true, true, [1.5, 2.5]])
  })

  const b = new Uint8Array(B.bytes.slice(0, 8))
  const calls: Record<string, () => unknown> = {
    misaligned: () => torch.frombuffer(b, { dtype: torch.int32, offset: 1 }),
    too_many: () => torch.frombuffer(b, { dtype: torch.int32, count: 3 }),
    offset_past: () => torch.frombuffer(b, { dtype: torch.int32, offset: 8 }),
    offset_negative: () => torch.frombuffer(b, { dtype: torch.int32, offset: -1 }),
    count_zero: () => torch.frombuffer(b, { dtype: torch.int32, count: 0 }),
    empty: () => torch.frombuffer(new ArrayBuffer(0), { dtype: torch.int32 }),
    no_dtype: () => torch.frombuffer(b),
    int_grad: () => torch.frombuffer(b, { dtype: torch.int32, requires_grad: true }),
  }
  it.each(Object.entries(B.errors))('error %s', (name, [type, message]) => {
    const f = calls[name] as () => unknown
    expect(f).toThrow(message)
    try {
      f()
    } catch (e) {
      expect((e as Error).name === type || (e as Error).constructor.name === type).toBe(true)
    }
  })
})
