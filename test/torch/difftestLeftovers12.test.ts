/**
 * The differential tester's classes of issue 10 fixed in session 12, as PyTorch shows them: a
 * folded 2-D @ 3-D matmul's double backward (column-major gradients, `.grad` at version 0), rsqrt's
 * create_graph formula (signs of zero in a second backward), x[indices]'s create_graph gradient
 * (IndexPutImplBackward0), var_mean/std_mean's var_mean_backward/std_mean_backward (a missing
 * output gradient is not a zero one). Expected answers: real PyTorch 1.13 runs of the same programs,
 * or PyTorch 2.x's formula computed in PyTorch where 1.13 differs (fixtures/difftest_leftovers12.py
 * writes fixtures/difftest_leftovers12.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_leftovers12.json'

describe('difftest leftovers, session 12 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
