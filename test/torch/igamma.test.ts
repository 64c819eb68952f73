/**
 * torch.igamma / igammac, their methods and in-place forms: values, node names, gradients w.r.t.
 * other and the error for input's, against real PyTorch 1.13 runs of the same programs
 * (fixtures/igamma.py writes fixtures/igamma.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/igamma.json'

describe('torch.igamma / igammac as PyTorch runs them', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    if (mismatch(got, c.expect) !== null) expect(got).toEqual(c.expect)
  })
})
