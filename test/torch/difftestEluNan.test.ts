/**
 * The ELU family's gradient at NaN, ±inf and ±0 (issue 10, session 20; difftest seed 410807):
 * elu, celu and selu differentiate through PyTorch's `elu_backward` kernel, whose `x ≤ 0` test
 * sends a NaN input to the linear branch (grad·scale, not NaN); the in-place forms use its
 * over-the-result form. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/difftest_elu_nan.py writes fixtures/difftest_elu_nan.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_elu_nan.json'

describe("the ELU family's gradient at NaN, ±inf, ±0 (PyTorch 1.13 reference)", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
