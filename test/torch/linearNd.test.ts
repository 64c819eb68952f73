/**
 * `F.linear` as PyTorch 2.x composes it (issue 10, the N-D audit beside difftest class D13): addmm
 * for a 2-D input with a bias, flatten → addmm → view for another contiguous input with a vector
 * bias, else matmul then an in-place add_ of the bias. Graph below the result, values,
 * contiguity, version, gradients and errors. Expected answers: fixtures/linear_nd.py, 2.x's
 * composition run on real PyTorch 1.13 (its `native_113` field says where 1.13's own F.linear
 * differs).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'
import fixture from './fixtures/linear_nd.json'

interface Operand {
  readonly shape: ReadonlyArray<number>
  readonly rg: boolean
  readonly perm?: ReadonlyArray<number>
}
interface Case {
  readonly name: string
  readonly x: Operand
  readonly w: Operand
  readonly b: Operand | null
}

const chain = (fn: torch.autograd.Node | null): string => {
  if (fn === null) return 'None'
  const name = fn.name()
  if (name === 'AccumulateGrad') return 'Acc'
  return `${name}(${fn.next_functions.map(([n]) => chain(n)).join(', ')})`
}

const leaf = (o: Operand, scale: number): [torch.Tensor, torch.Tensor] => {
  const t = sinWeights(o.shape).mul(scale).requires_grad_(o.rg)
  return [t, o.perm === undefined ? t : t.permute([...o.perm])]
}

const run = (c: Case): unknown => {
  const [X, x] = leaf(c.x, 1)
  const [W, w] = leaf(c.w, -0.5)
  const [B, b] = c.b === null ? [null, null] : leaf(c.b, 0.25)
  let out: torch.Tensor
  try {
    out = torch.nn.functional.linear(x, w, b)
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message.split('\n')[0] }
  }
  const res: Record<string, unknown> = {
    graph: chain(out.grad_fn),
    shape: [...out.shape],
    values: out.detach().tolist(),
    contiguous: out.is_contiguous(),
    version: out._version,
  }
  if (!out.requires_grad) return res
  out
    .mul(sinWeights([...out.shape]))
    .sum()
    .backward()
  res['grads'] = [X, W, B].map((l) => (l === null || l.grad === null ? null : l.grad.tolist()))
  return res
}

const close = (x: unknown, y: unknown): boolean => {
  if (typeof x === 'number' && typeof y === 'number') return Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y))
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => close(v, y[i]))
  if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object') {
    const kx = Object.keys(x).sort()
    const ky = Object.keys(y).sort()
    return close(kx, ky) && kx.every((k) => close(x[k as keyof typeof x], y[k as keyof typeof y]))
  }
  return x === y
}

describe('F.linear as PyTorch 2.x composes it', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = run(c as Case)
    if (!close(got, c.expect)) expect(got).toEqual(c.expect)
  })

  it('the fixture shows where PyTorch 1.13 differs from 2.x (it flattens only 3-D inputs)', () => {
    const differs = fixture.cases.filter((c) => c.native_113 === 'differs').map((c) => c.name)
    expect(differs).toEqual(expect.arrayContaining(['1d-bias', '4d-bias', '3d-bias-matrix']))
  })
})
