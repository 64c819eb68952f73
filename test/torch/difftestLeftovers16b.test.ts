/**
 * The differential tester's classes left after difftest_leftovers16 (issue 10, session 16): dist's
 * p = 0 gradient (undefined for self, a backward error where other requires grad). Expected answers:
 * real PyTorch 1.13 runs of the same programs (fixtures/difftest_leftovers16b.py writes
 * fixtures/difftest_leftovers16b.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_leftovers16b.json'

describe('difftest leftovers, session 16, second part (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
