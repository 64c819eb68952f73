/**
 * The differential tester's classes left on seeds 320750-330749 in session 17 (issue 10):
 * index_select's out-of-range errors, in-place ops on a view whose grad_fn was not rebuilt after
 * its base began to require grad. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/difftest_leftovers17.py writes fixtures/difftest_leftovers17.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_leftovers17.json'

describe('difftest leftovers, session 17 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
