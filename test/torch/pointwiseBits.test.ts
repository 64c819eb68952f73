/**
 * float32 addcmul/addcdiv/lerp and the scalar ops the optimizers use, against real PyTorch 1.13
 * (test/fixtures/torch/pointwise_bits): PyTorch's rounding sequence bit for bit, on random and
 * near-tie operands; the in-place forms alike; the gradients and node names unchanged.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import { fma32 } from '../../src/torch/methods/pointwiseFused'

interface Operands {
  readonly x: string
  readonly a: string
  readonly b: string
}
interface Fixture {
  readonly random: Operands
  readonly near: Operands
  readonly w: string
  readonly cases: ReadonlyArray<{
    readonly op: string
    readonly operands: 'random' | 'near'
    readonly scalar: number
    readonly out: string
  }>
}
const fx = JSON.parse(
  readFileSync(new URL('../fixtures/torch/pointwise_bits/pointwise_bits.json', import.meta.url), 'utf8'),
) as Fixture
const f32 = (b64: string): number[] => {
  const bytes = Buffer.from(b64, 'base64')
  return Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)))
}
const bitsOf = (v: ReadonlyArray<number>): number[] => Array.from(new Uint32Array(Float32Array.from(v).buffer))
const mismatches = (t: torch.Tensor, expected: string): number => {
  const want = bitsOf(f32(expected))
  return bitsOf(t.tolist() as number[]).filter((v, i) => v !== want[i]).length
}
const tensors = (o: Operands) => ({
  x: torch.tensor(f32(o.x)),
  a: torch.tensor(f32(o.a)),
  b: torch.tensor(f32(o.b)),
})
const w = torch.tensor(f32(fx.w))
type Ts = ReturnType<typeof tensors>
const OPS: Record<string, ReadonlyArray<(t: Ts, s: number) => torch.Tensor>> = {
  addcmul: [(t, s) => t.x.addcmul(t.a, t.b, { value: s }), (t, s) => t.x.clone().addcmul_(t.a, t.b, { value: s })],
  addcdiv: [(t, s) => t.x.addcdiv(t.a, t.b, { value: s }), (t, s) => t.x.clone().addcdiv_(t.a, t.b, { value: s })],
  lerp_scalar: [(t, s) => t.x.lerp(t.a, s), (t, s) => t.x.clone().lerp_(t.a, s)],
  lerp_tensor: [(t) => t.x.lerp(t.a, w), (t) => t.x.clone().lerp_(t.a, w)],
  mul_scalar: [(t, s) => t.x.mul(s), (t, s) => t.x.clone().mul_(s)],
  div_scalar: [(t, s) => t.x.div(s), (t, s) => t.x.clone().div_(s)],
  add_scalar: [(t, s) => t.x.add(s), (t, s) => t.x.clone().add_(s)],
  rsub_scalar: [(t, s) => torch.rsub(t.x, s)],
}

describe('float32 pointwise ops in PyTorch rounding sequence', () => {
  const sets = { random: tensors(fx.random), near: tensors(fx.near) }
  for (const c of fx.cases) {
    it(`${c.op}(${c.operands}, ${c.scalar}) gives PyTorch's bits`, () => {
      for (const f of OPS[c.op] ?? []) expect(mismatches(f(sets[c.operands], c.scalar), c.out)).toBe(0)
    })
  }
  it('fma32 rounds a·b + c once (cases where the float64 sum rounds first)', () => {
    // a·b = 2^-24 + 2^-60 (2^36 + 1 = 1774001·38737): 1 + a·b is above the float32 tie 1 + 2^-24,
    // but its float64 sum is the tie itself, which a second rounding takes to even (1)
    const [a, b] = [1774001 * 2 ** -30, 38737 * 2 ** -30]
    expect(Math.fround(a * b + 1)).toBe(1)
    expect(fma32(a, b, 1)).toBe(1 + 2 ** -23)
    expect(fma32(a, -b, -1)).toBe(-1 - 2 ** -23)
    expect(fma32(-a, b, 1)).toBe(1 - 2 ** -24)
    expect(fma32(2 ** -12, 2 ** -12, 1)).toBe(1) // an exact tie: to even
    expect(fma32(3, 5, -15)).toBe(0)
    expect(fma32(2 ** 100, 2 ** 100, 1)).toBe(Infinity)
  })
  it('the gradients and node names stay the rule’s', () => {
    const x = torch.tensor([0.5, -1.25]).requires_grad_()
    const a = torch.tensor([3, 0.1]).requires_grad_()
    const b = torch.tensor([2, 4]).requires_grad_()
    const m = x.addcmul(a, b, { value: 0.5 })
    const d = x.addcdiv(a, b, { value: 0.5 })
    const l = x.lerp(a, 0.7)
    expect([m.grad_fn?.name(), d.grad_fn?.name(), l.grad_fn?.name()]).toEqual([
      'AddcmulBackward0',
      'AddcdivBackward0',
      'LerpBackward0',
    ])
    m.sum().add(d.sum()).add(l.sum()).backward()
    const f = (v: number): number => Math.fround(v)
    expect(x.grad?.tolist()).toEqual([f(1 + 1 + f(1 - f(0.7))), f(1 + 1 + f(1 - f(0.7)))])
    expect(a.grad?.tolist()).toEqual([f(f(1 + f(0.25)) + f(0.7)), f(f(2 + f(0.125)) + f(0.7))])
    expect(b.grad?.tolist()).toEqual([f(f(1.5) - f(0.375)), f(f(0.05) - f(f(0.05) / 16))])
  })
})
