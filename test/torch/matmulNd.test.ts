/**
 * N-D `matmul` as PyTorch 2.x records it (issue 10, difftest class D13): the graph below the
 * result (fold into mm/mv, or expand → reshape → bmm → _unsafe_view), values, contiguity,
 * version, gradients, size-mismatch messages on the folded sizes, and which operands the nodes
 * save. Expected answers: fixtures/matmul_nd.py, 2.x's decomposition run on real PyTorch 1.13
 * (its `native_113` field says where 1.13's own matmul differs).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'
import fixture from './fixtures/matmul_nd.json'

interface Operand {
  readonly shape: ReadonlyArray<number>
  readonly rg: boolean
  readonly perm?: ReadonlyArray<number>
  readonly copy?: boolean
}
interface Case {
  readonly name: string
  readonly a: Operand
  readonly b: Operand
  readonly inplace?: string
}

/** The graph below a node, written as the fixture script writes it. */
const chain = (fn: torch.autograd.Node | null): string => {
  if (fn === null) return 'None'
  const name = fn.name()
  if (name === 'AccumulateGrad') return 'Acc'
  return `${name}(${fn.next_functions.map(([n]) => chain(n)).join(', ')})`
}

const operand = (o: Operand, scale: number): [torch.Tensor, torch.Tensor] => {
  const leaf = sinWeights(o.shape).mul(scale).requires_grad_(o.rg)
  const t = o.perm === undefined ? leaf : leaf.permute([...o.perm])
  return [leaf, o.copy === true ? t.mul(1) : t]
}

const run = (c: Case): unknown => {
  const [A, a] = operand(c.a, 1)
  const [B, b] = operand(c.b, -0.5)
  let out: torch.Tensor
  try {
    out = a.matmul(b)
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
  if (c.inplace !== undefined) (c.inplace === 'a' ? a : b).add_(1)
  try {
    out
      .mul(sinWeights([...out.shape]))
      .sum()
      .backward()
  } catch (e) {
    res['backward_error'] = (e as Error).message.split('\n')[0]
    return res
  }
  res['grads'] = [A, B].map((l) => (l.grad === null ? null : l.grad.tolist()))
  return res
}

/** Float results agree with PyTorch's to rounding; everything else exactly. */
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

describe('N-D matmul as PyTorch 2.x composes it', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = run(c as Case)
    if (!close(got, c.expect)) expect(got).toEqual(c.expect)
  })

  it('the fixture shows where PyTorch 1.13 differs from 2.x (fold conditions, batch-1 squeeze)', () => {
    const differs = fixture.cases.filter((c) => c.native_113 === 'differs').map((c) => c.name)
    expect(differs).toContain('1d@3d-nograd-a')
    expect(differs).toContain('3d@3d-batch1-a')
  })
})
