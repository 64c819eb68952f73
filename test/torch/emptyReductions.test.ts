/**
 * Max/min-like reductions over a zero-size dimension raise PyTorch's errors (issue 10 fidelity
 * list) instead of returning -inf, nan or 0. Expected answers: real PyTorch 1.13
 * (fixtures/empty_reductions.py writes fixtures/empty_reductions.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/empty_reductions.json'

const outcome = (expr: string): unknown => {
  const x = torch.ones([0, 3])
  try {
    // test-only: the expressions are this repository's fixture
    const r = new Function('x', `return ${expr}`)(x) as torch.Tensor
    return { shape: [...r.shape] }
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message }
  }
}

describe('reductions over a zero-size dimension (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.py, c] as const))('%s', (_, c) => {
    expect(outcome(c.ts)).toEqual(c.expect)
  })
})
