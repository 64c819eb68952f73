/**
 * The differential tester's signs of zero fixed in session 16 (issue 10, D2), as PyTorch computes
 * them: logcumsumexp's running value from −∞ (−0 gives +0), the fused products' `beta = 0` gradient
 * `maybe_multiply(grad, 0)`, and value_selecting_reduction_backward's scatter_ (a −0 gradient is
 * written, not added into zeros) against cummax's scatter_add_. Expected answers: real PyTorch 1.13
 * runs of the same programs (fixtures/difftest_leftovers16.py writes fixtures/difftest_leftovers16.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_leftovers16.json'

describe('difftest leftovers, session 16 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
