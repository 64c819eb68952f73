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
import { backwardWeighted, close, describeResult, errorOf, operand, type Operand } from '../helpers/ndComposition'
import fixture from './fixtures/linear_nd.json'

interface Case {
  readonly name: string
  readonly x: Operand
  readonly w: Operand
  readonly b: Operand | null
}

const run = (c: Case): unknown => {
  const [X, x] = operand(c.x, 1)
  const [W, w] = operand(c.w, -0.5)
  const [B, b] = c.b === null ? [null, null] : operand(c.b, 0.25)
  let out: torch.Tensor
  try {
    out = torch.nn.functional.linear(x, w, b)
  } catch (e) {
    return errorOf(e)
  }
  const res = describeResult(out)
  if (!out.requires_grad) return res
  backwardWeighted(out)
  res['grads'] = [X, W, B].map((l) => (l === null || l.grad === null ? null : l.grad.tolist()))
  return res
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
