/**
 * The differential tester's classes of issue 10 fixed in session 10, as PyTorch shows them: writes
 * at repeated positions (setitem, index_put, scatter, index_copy, put) give every listed value the
 * gradient of its place, with PyTorch's create_graph nodes. Expected answers: real PyTorch 1.13 runs
 * of the same programs (fixtures/difftest_leftovers10.py writes fixtures/difftest_leftovers10.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_leftovers10.json'

describe('difftest leftovers, session 10 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
