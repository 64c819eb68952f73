/**
 * The facade's uint8, int8 and int16 against real PyTorch (test/fixtures/torch/smallInts.json,
 * written by smallInts.py beside it): wrapping arithmetic, promotion (uint8 with int8 → int16),
 * sums as int64, true division to float, casts that wrap as PyTorch's, printing and type names.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type Case = { values: unknown; dtype: string; str: string }
const E = JSON.parse(readFileSync(new URL('../fixtures/torch/smallInts.json', import.meta.url), 'utf8')) as Record<
  string,
  Case
> & { meta: { element_size: number[]; is_signed: boolean[]; type: string[] } }

// integer literals are int64 in Python; JS numbers need the dtype spelled (see torch.tensor)
const L = { dtype: torch.int64 }
const u = (): torch.Tensor => torch.tensor([0, 128, 255], { dtype: torch.uint8 })
const i = (): torch.Tensor => torch.tensor([-128, 0, 127], { dtype: torch.int8 })
const s = (): torch.Tensor => torch.tensor([-32768, 5, 32767], { dtype: torch.int16 })

const CASES: Record<string, () => torch.Tensor> = {
  'u+1': () => u().add(1),
  'u-1': () => u().sub(1),
  'u+300': () => u().add(300),
  'u+i': () => u().add(i()),
  'u-i': () => u().sub(i()),
  'u*2.5': () => u().mul(2.5),
  'u/2': () => u().div(2),
  'u//2': () => u().floor_divide(2),
  'u.sum': () => u().sum(),
  'i.sum': () => i().sum(),
  'u.prod': () => u().prod(),
  'u.cumsum': () => u().cumsum(0),
  'u.max': () => u().max(),
  'u.argmax': () => u().argmax(),
  '-u': () => u().neg(),
  '-i': () => i().neg(),
  'i.abs': () => i().abs(),
  's*s': () => s().mul(s()),
  'i*2i': () => i().mul(torch.tensor([2, 2, 2], { dtype: torch.int8 })),
  'u**2': () => u().pow(2),
  'u.clamp': () => u().clamp(10, 200),
  'u==255': () => u().eq(255),
  'u.float': () => u().float(),
  'u.double/255': () => u().double().div(255),
  'i64.to(int8)': () => torch.tensor([200, -200], L).to(torch.int8),
  'f.to(uint8)': () => torch.tensor([300.0, -1.0, 2.7]).to(torch.uint8),
  byte: () => torch.tensor([300], L).byte(),
  char: () => torch.tensor([300], L).char(),
  short: () => torch.tensor([70000], L).short(),
  'zeros.u8': () => torch.zeros(2, { dtype: torch.uint8 }),
  'arange.u8': () => torch.arange(250, 256, { dtype: torch.uint8 }),
  'u.i16': () => u().to(torch.int16).mul(200),
}

describe('uint8, int8, int16 against PyTorch', () => {
  for (const [name, f] of Object.entries(CASES)) {
    it(name, () => {
      const r = f()
      const e = E[name] as Case
      expect(String(r.dtype)).toBe(`torch.${e.dtype}`)
      expect(r.tolist()).toEqual(e.values)
      expect(String(r)).toBe(e.str)
    })
  }

  it('element sizes, signedness and legacy type names', () => {
    const ts = [u(), i(), s()]
    expect(ts.map((t) => t.element_size())).toEqual(E.meta.element_size)
    expect(ts.map((t) => t.dtype.is_signed)).toEqual(E.meta.is_signed)
    expect(ts.map((t) => t.type())).toEqual(E.meta.type)
    expect(torch.short).toBe(torch.int16)
  })

  it('small integer tensors cannot require grad; a zero divisor raises', () => {
    expect(() => u().requires_grad_()).toThrow(/only Tensors of floating point/)
    expect(() => u().floor_divide(torch.zeros(3, { dtype: torch.uint8 }))).toThrow(/ZeroDivisionError|division by zero/)
  })

  it('checkpoints keep the dtype: .pt (Byte/Char/ShortStorage) and safetensors (U8/I8/I16)', () => {
    for (const format of ['pt', 'safetensors'] as const) {
      const bytes = torch.save({ u: u(), i: i(), s: s() }, undefined, { format })
      const back = torch.load(bytes) as Record<string, torch.Tensor>
      for (const [k, t] of Object.entries({ u: u(), i: i(), s: s() })) {
        expect([format, k, String(back[k]?.dtype), back[k]?.tolist()]).toEqual([format, k, String(t.dtype), t.tolist()])
      }
    }
  })
})
