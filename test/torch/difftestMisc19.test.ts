/**
 * Single differences the differential tester found on its wide ranges (issue 10, session 19):
 * threshold of NaN, logsigmoid's +0 where e^−|x| underflows, and the element median(dim) /
 * nanmedian(dim) pick among ties and NaNs (libstdc++'s nth_element, src/torch/methods/introselect.ts).
 * Expected answers: real PyTorch 1.13 runs of the same programs (fixtures/difftest_misc19.py writes
 * fixtures/difftest_misc19.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_misc19.json'

describe('difftest single classes, session 19 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
