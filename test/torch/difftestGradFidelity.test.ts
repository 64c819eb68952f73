/**
 * The differential tester's gradient/graph fidelity classes of issue 10 (session 9) as PyTorch shows
 * them: sgn's values and its zero derivative (an efficient zero tensor that adds nothing where it
 * meets another gradient), abs' create_graph gradient `grad * self.sgn()` with its SgnBackward0 edge.
 * Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/difftest_grad_fidelity.py writes fixtures/difftest_grad_fidelity.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_grad_fidelity.json'

describe('difftest gradient fidelity (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
