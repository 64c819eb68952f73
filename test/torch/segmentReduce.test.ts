/**
 * torch.segment_reduce: values, grad_fn names, gradients and error texts against real PyTorch
 * 1.13 runs of the same programs (fixtures/segment_reduce.py writes fixtures/segment_reduce.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/segment_reduce.json'

describe('segment_reduce as PyTorch 1.13 runs it', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    if (mismatch(got, c.expect) !== null) expect(got).toEqual(c.expect)
  })
})
