/**
 * The differential tester's integer-arithmetic and bad-input classes of issue 10 fixed in session
 * 14, as PyTorch shows them: integer division by zero raises `RuntimeError: ZeroDivisionError`,
 * an integer tensor to a negative Python int raises, integer tensor powers follow PyTorch's `powi`.
 * Expected answers: real PyTorch 1.13 runs of the same programs (fixtures/difftest_ints.py writes
 * fixtures/difftest_ints.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_ints.json'

describe('difftest integer classes, session 14 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
