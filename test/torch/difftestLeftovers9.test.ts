/**
 * The differential tester's classes of issue 10 fixed in session 9, as PyTorch shows them: setitem's
 * expand error, the result `pow` with a tensor exponent saves, `chunk` of an empty dimension,
 * `max(dim)` saving its indices, the partial-overlap error of `copy_` and in-place binary ops, `relu`
 * keeping −0 and `cumsum` accumulating from +0. Expected answers: real PyTorch 1.13 runs of the same
 * programs (fixtures/difftest_leftovers9.py writes fixtures/difftest_leftovers9.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_leftovers9.json'

describe('difftest leftovers, session 9 (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
