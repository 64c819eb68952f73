/**
 * PyTorch's other spellings (`arccos`, …), acosh/atanh, and the in-place forms of the math
 * methods, against PyTorch (test/torch/fixtures/aliases_inplace.py): values, the gradient of
 * Σ y·W at the leaf, node names and versions, the backward error of asinh_/acosh_/atanh_ (PyTorch
 * has no derivative for them), and the in-place checks' messages.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/aliases_inplace.json'
import { sinWeights } from '../helpers/sinWeights'

type Nested = number | string | Nested[]
const dec = (v: Nested): unknown =>
  Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v

const close = (got: unknown, want: unknown, label: string, rtol = 1e-12): void => {
  const g = [got].flat(3) as number[]
  const w = [dec(want as Nested)].flat(3) as number[]
  expect(g.length, label).toBe(w.length)
  g.forEach((v, i) => {
    const e = w[i] as number
    if (!Number.isFinite(e)) expect(v, label).toBe(e)
    else expect(Math.abs(v - e), `${label} #${i}: ${v} vs ${e}`).toBeLessThanOrEqual(rtol * (1 + Math.abs(e)))
  })
}

const shape = fixture.shape
const grid = (lo: number, hi: number): torch.Tensor =>
  sinWeights(shape)
    .add(0.5)
    .mul((hi - lo) / 2)
    .add(lo)
const argOf = (a: number | string): torch.Tensor | number =>
  a === 'other' ? sinWeights(shape).mul(0.8).add(0.7).flip(-1) : (a as number)
type Call = (this: torch.Tensor, ...a: unknown[]) => torch.Tensor
const call = (t: torch.Tensor, method: string, args: ReadonlyArray<number | string>): torch.Tensor =>
  ((t as unknown as Record<string, Call>)[method] as Call).call(t, ...args.map(argOf))
const backwardError = (y: torch.Tensor): unknown => {
  try {
    y.mul(sinWeights(shape)).sum().backward()
    return null
  } catch (e) {
    return [(e as Error).name, (e as Error).message]
  }
}

describe('other spellings, acosh and atanh', () => {
  for (const c of fixture.out_of_place) {
    it(`${c.name}: values, gradient, node and torch.${c.method}`, () => {
      const x = grid(c.lo, c.hi).requires_grad_()
      const y = call(x, c.method, c.args)
      expect(y.grad_fn?.name()).toBe(c.grad_fn)
      close(y.tolist(), c.values, `${c.name} values`)
      expect(backwardError(y)).toBe(null)
      close(x.grad?.tolist(), c.grad, `${c.name} grad`)
      const f = (torch as unknown as Record<string, (...a: unknown[]) => torch.Tensor>)[c.method]
      close(f?.(x.detach(), ...c.args.map(argOf)).tolist(), c.function, `torch.${c.method}`)
    })
  }
})

describe('in-place forms', () => {
  for (const c of fixture.in_place) {
    it(`${c.method}: values, node, version, gradient at the leaf`, () => {
      const x = grid(c.lo, c.hi).requires_grad_()
      const z = x.mul(1)
      expect(call(z, c.method, c.args)).toBe(z)
      expect(z.grad_fn?.name()).toBe(c.grad_fn)
      expect(z._version).toBe(c.version)
      // PyTorch 1.13's polygamma (also digamma's derivative) is accurate to about 5e-10 only;
      // mpmath agrees with wengert (psi(1, 2.15) = 0.589415684739321)
      const rtol = /gamma/.test(c.method) ? 1e-9 : 1e-12
      close(z.tolist(), c.values, `${c.method} values`, rtol)
      expect(backwardError(z)).toEqual(c.backward_error)
      if (c.grad === null) expect(x.grad).toBe(null)
      else close(x.grad?.tolist(), c.grad, `${c.method} grad`, rtol)
    })
  }

  it('float_power_ on float64, and its refusal on float32', () => {
    close(torch.tensor([1.5, -2], { dtype: torch.float64 }).float_power_(2).tolist(), fixture.float_power_, 'fp')
    expect(() => torch.ones(2).float_power_(2)).toThrow(fixture.errors.float_power_float32[1] as string)
  })

  it('raise PyTorch’s errors: leaf, result dtype, broadcast growth', () => {
    const { leaf, int_result, grow } = fixture.errors
    expect(() => torch.ones(2, { requires_grad: true }).acosh_()).toThrow(leaf[1] as string)
    expect(() => torch.ones(2, { dtype: torch.int64 }).atanh_()).toThrow(int_result[1] as string)
    expect(() => torch.ones(2, 3).hypot_(torch.ones(2, 2, 3))).toThrow(grow[1] as string)
  })

  it('torch.f_(x) is x.f_()', () => {
    const a = torch.tensor([0.25, 0.5])
    expect(torch.atanh_(a)).toBe(a)
    close(a.tolist(), [Math.atanh(0.25), Math.atanh(0.5)].map(Math.fround), 'torch.atanh_')
  })
})
