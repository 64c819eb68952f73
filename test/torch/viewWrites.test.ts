/**
 * In-place ops through every view-returning op write into the base and share its version counter
 * (issue 10: `x.diagonal().fill_(v)` and `x.unfold(…)` were copies that silently dropped the
 * write), with PyTorch's nodes (CopySlices on the base, AsStridedBackward0 on the written view);
 * and the keyword forms of bincount and its siblings taking optional tensors and keywords.
 * Expected answers: real PyTorch 1.13 runs of the same programs (fixtures/view_writes.py writes
 * fixtures/view_writes.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/view_writes.json'

describe('writes through views and keyword forms (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
