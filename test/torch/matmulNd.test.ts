/**
 * N-D `matmul` as PyTorch 2.x records it (issue 10, difftest class D13): the graph below the
 * result (fold into mm/mv, or expand → reshape → bmm → _unsafe_view), values, contiguity,
 * version, gradients (and `.grad`'s `_version` and strides), size-mismatch messages on the folded sizes, and which operands the nodes
 * save. Expected answers: fixtures/matmul_nd.py, 2.x's decomposition run on real PyTorch 1.13
 * (its `native_113` field says where 1.13's own matmul differs).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { backwardWeighted, close, describeResult, errorOf, operand, type Operand } from '../helpers/ndComposition'
import fixture from './fixtures/matmul_nd.json'

interface Case {
  readonly name: string
  readonly a: Operand
  readonly b: Operand
  readonly inplace?: string
}

const run = (c: Case): unknown => {
  const [A, a] = operand(c.a, 1)
  const [B, b] = operand(c.b, -0.5)
  let out: torch.Tensor
  try {
    out = a.matmul(b)
  } catch (e) {
    return errorOf(e)
  }
  const res = describeResult(out)
  if (!out.requires_grad) return res
  if (c.inplace !== undefined) (c.inplace === 'a' ? a : b).add_(1)
  try {
    backwardWeighted(out)
  } catch (e) {
    res['backward_error'] = (e as Error).message.split('\n')[0]
    return res
  }
  res['grads'] = [A, B].map((l) => (l.grad === null ? null : l.grad.tolist()))
  // strides of size-1 dimensions (which the layout contract ignores) as null, as the fixture has them
  const strides = (g: torch.Tensor): Array<number | null> =>
    g.stride().map((st, i) => ((g.shape[i] as number) > 1 ? st : null))
  res['grad_layouts'] = [A, B].map((l) => (l.grad === null ? null : [l.grad._version, strides(l.grad)]))
  return res
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
    // difftest D47 (seed 321862): 1.13 folds 2-D @ 3-D, so B's gradient arrives transposed and is copied
    const nograd = fixture.cases.find((c) => c.name === '2d@3d-nograd-a')
    expect(nograd?.expect.grad_layouts).toEqual([null, [0, [20, 5, 1]]])
  })
})
