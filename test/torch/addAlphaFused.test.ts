/**
 * float32 add/sub with an alpha against real PyTorch 1.13 (test/fixtures/torch/add_alpha): one
 * pass rounding once, as PyTorch's fused multiply-add kernel, bit for bit; the gradients and the
 * recorded forward agree with the unrecorded one.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

interface Fixture {
  readonly x: number[]
  readonly y: number[]
  readonly cases: ReadonlyArray<{ readonly alpha: number; readonly add: number[]; readonly sub: number[] }>
}
const fx = JSON.parse(
  readFileSync(new URL('../fixtures/torch/add_alpha/add_alpha.json', import.meta.url), 'utf8'),
) as Fixture
const f32 = (bits: number[]): Float32Array => new Float32Array(Uint32Array.from(bits).buffer)
const bitsOf = (t: torch.Tensor): number[] =>
  Array.from(new Uint32Array(Float32Array.from(t.tolist() as number[]).buffer))
const mismatches = (a: number[], b: number[]): number => a.filter((v, i) => v !== b[i]).length

describe('add/sub with alpha (float32)', () => {
  const x = torch.tensor(Array.from(f32(fx.x)))
  const y = torch.tensor(Array.from(f32(fx.y)))
  for (const c of fx.cases) {
    it(`alpha=${c.alpha}: add, sub, add_ and sub_ give PyTorch's bits`, () => {
      expect(mismatches(bitsOf(x.add(y, { alpha: c.alpha })), c.add)).toBe(0)
      expect(mismatches(bitsOf(x.sub(y, { alpha: c.alpha })), c.sub)).toBe(0)
      expect(mismatches(bitsOf(x.clone().add_(y, { alpha: c.alpha })), c.add)).toBe(0)
      expect(mismatches(bitsOf(x.clone().sub_(y, { alpha: c.alpha })), c.sub)).toBe(0)
    })
  }
  it('the recorded op has the same value, its node and the gradients x: g, y: ±alpha·g', () => {
    const a = x.clone().requires_grad_()
    const b = y.clone().requires_grad_()
    const s = a.add(b, { alpha: 2.5 })
    expect(s.grad_fn?.name()).toBe('AddBackward0')
    expect(mismatches(bitsOf(s.detach()), fx.cases[2]?.add ?? [])).toBe(0)
    const d = a.sub(b, { alpha: 2.5 })
    expect(d.grad_fn?.name()).toBe('SubBackward0')
    s.sum().add(d.sum()).backward()
    expect(a.grad?.tolist()).toEqual(new Array(fx.x.length).fill(2))
    expect(b.grad?.tolist()).toEqual(new Array(fx.x.length).fill(0))
  })
  it('an SGD step is p − lr·g rounded once', () => {
    const p = torch.nn.Parameter(torch.tensor(Array.from(f32(fx.x))))
    p.grad = torch.tensor(Array.from(f32(fx.y)))
    new torch.optim.SGD([p], { lr: 0.01 }).step()
    expect(mismatches(bitsOf(p.detach()), fx.cases[0]?.add ?? [])).toBe(0)
  })
})
