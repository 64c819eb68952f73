/**
 * NaN, infinities and zeros through element-wise ops and their gradients agree with PyTorch
 * (issue 10 item 3; difftest classes D10, D11): relu and sign of NaN, pow(1, NaN), maximum and
 * minimum selecting (a NaN gradient never reaches the input not taken), std and norm of
 * constant data with gradient 0. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/nan_values.py writes fixtures/nan_values.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/nan_values.json'

type Enc = number | string | Enc[]
const dec = (v: Enc): unknown =>
  Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v

/** The names the programs use (as fixtures/nan_values.py defines them). */
const scope = () => ({
  torch,
  x: torch.tensor([NaN, 1, -1, 0, 2], { requires_grad: true }),
  n: NaN,
  c: torch.tensor([2, 2, 2, 2, 2], { requires_grad: true }),
  one: torch.ones(5),
})

/** Runs one program's expression (test-only: the expressions are this repository's fixture). */
const evaluate = (expr: string, env: ReturnType<typeof scope>): torch.Tensor =>
  new Function(...Object.keys(env), `return ${expr}`)(...Object.values(env)) as torch.Tensor

/** Values as PyTorch's tolist, with −0 read as 0 (the sign of zeros is not what these cases test). */
const plain = (v: unknown): unknown => (Array.isArray(v) ? v.map(plain) : typeof v === 'number' ? v + 0 : v)

describe('NaN through element-wise ops (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.ts, c] as const))('%s', (_, c) => {
    const env = scope()
    const y = evaluate(c.ts, env)
    expect(plain(y.tolist())).toEqual(plain(dec(c.value as Enc)))
    y.sum().backward()
    const grads = c.grads as Record<string, Enc>
    for (const k of ['x', 'c'] as const) {
      const g = env[k].grad
      if (grads[k] === undefined) expect(g).toBeNull()
      else expect(plain(g?.tolist())).toEqual(plain(dec(grads[k])))
    }
  })
})
