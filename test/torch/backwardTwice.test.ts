/**
 * A second backward through a graph whose saved values the first one freed raises PyTorch's
 * "Trying to backward through the graph a second time" error instead of adding the gradients
 * again (in-place ops whose backward needs the original self, index_put / setitem with index
 * tensors, …), and in-place ops PyTorch refuses raise (setitem / index_put_ with index tensors on
 * a leaf, multi-output views of a tensor needing no grad made to require grad). Expected answers:
 * real PyTorch 1.13 (fixtures/backward_twice.py writes fixtures/backward_twice.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/backward_twice.json'

const X = [0.5, -1.5, 2.0, 0.0]

const outcome = (program: string): unknown => {
  const x = torch.tensor(X, { dtype: torch.float64, requires_grad: true })
  try {
    // test-only: the programs are this repository's fixture
    new Function('x', 'torch', program)(x, torch)
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message }
  }
  return { grad: x.grad === null ? null : x.grad.tolist() }
}

describe('second backward and refused in-place ops (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(outcome(c.ts)).toEqual(c.expect)
  })
})
