/**
 * threshold's and digamma's backward at their kinks and poles (issue 10, session 19; difftest seeds
 * 401357, 411440, 411926): threshold_backward's +0 where x ≤ threshold (first order and its
 * create_graph node), digamma's gradient through PyTorch's trigamma kernel (finite at the poles in
 * float32). Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/difftest_kinks19.py writes fixtures/difftest_kinks19.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_kinks19.json'

describe("threshold's and digamma's backward (PyTorch 1.13 reference)", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
