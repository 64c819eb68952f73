/**
 * The differential tester's leftover classes of issue 10 (session 8) as PyTorch shows them:
 * `fill_`/`zero_` of an expanded tensor, `pow` with exponent ±0.5 (sqrt/rsqrt), the version of an
 * `AsStridedBackward0` gradient, `as_strided`/`as_strided_` and `unsafe_split`/`unsafe_chunk`.
 * Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/difftest_leftovers.py writes fixtures/difftest_leftovers.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_leftovers.json'

describe('difftest leftovers (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
