/**
 * −0 vs 0 where PyTorch returns 0 (issue 10, difftest class D2). Expected values from IEEE
 * arithmetic: log_softmax of one element is x − logsumexp(x) = x − x, which is +0 for every
 * finite x (round to nearest), as PyTorch prints it. The fixture cases are real PyTorch 1.13 runs
 * of the same programs (fixtures/signed_zero.py writes fixtures/signed_zero.json): gradients
 * summed to a broadcast operand's shape after negation or scaling by alpha, sign/abs at ±0, the
 * sum of a 0-d tensor.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/signed_zero.json'

/** Runs one program (test-only: the statements are this repository's fixture). */
const runProgram = (src: string): ReadonlyArray<torch.Tensor> =>
  new Function('torch', src)(torch) as ReadonlyArray<torch.Tensor>

/** A value as the fixture writes it: "-0" and "nan" as strings, other numbers rounded to float32 precision. */
const encode = (v: number): number | string =>
  Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0' : Number(v.toPrecision(6))

describe('signed zeros of values and gradients (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const out = runProgram(c.ts)
    const got = out.map((t) => ({ shape: t.shape.slice(), values: (t.reshape(-1).tolist() as number[]).map(encode) }))
    const want = c.expect.map((e) => ({
      shape: e.shape,
      values: e.values.map((v) => (typeof v === 'string' ? v : encode(v))),
    }))
    expect(got).toEqual(want)
  })
})

describe('signed zeros as PyTorch', () => {
  it.each([-0.75, 0.5, -3])('log_softmax of the 0-d tensor %s is +0 (method and functional), gradient 0', (v) => {
    const x = torch.tensor(v, { requires_grad: true })
    const a = x.log_softmax(-1)
    const b = torch.nn.functional.log_softmax(x, { dim: -1 })
    expect(Object.is(a.item(), 0)).toBe(true)
    expect(Object.is(b.item(), 0)).toBe(true)
    expect(Object.is(a.mean().item(), 0)).toBe(true)
    a.add(b).backward()
    expect(x.grad?.item()).toBe(0)
  })
})
