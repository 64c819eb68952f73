/**
 * The differential tester's last unexplained classes on seeds 320750-330749 in session 18
 * (issue 10): torch.tensordot composed as ATen composes it (its nodes, the layout of its
 * gradients, what an in-place write into its result sees, its errors) and cumprod's gradient as
 * cumprod_backward computes it (signs of zero). Expected answers: real PyTorch 1.13 runs of the
 * same programs (fixtures/difftest_old_range18.py writes fixtures/difftest_old_range18.json),
 * with 2.x's names and messages where the script notes 1.13 differs.
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_old_range18.json'

describe('difftest old range, session 18 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
