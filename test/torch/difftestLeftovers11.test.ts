/**
 * The differential tester's classes of issue 10 fixed in session 11, as PyTorch shows them: pow's
 * tensor-exponent gradients laid out as its formulas' TensorIterator steps lay them out (whether
 * `.grad` takes the gradient, version 0, or copies it, version 1), and create_graph view gradients
 * sharing their incoming gradient's version counter. Expected answers: real PyTorch 1.13 runs of the
 * same programs (fixtures/difftest_leftovers11.py writes fixtures/difftest_leftovers11.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_leftovers11.json'

describe('difftest leftovers, session 11 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
