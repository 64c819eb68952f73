/**
 * inv's, solve's and QR's backward in PyTorch's grouping (issue 10, session 20; difftest seeds
 * 400542, 410684, 402863): inv's −invᵀ·(Ḡ·invᵀ) and solve's −(gB·Xᵀ), negated last, decide the
 * signs of zero gradients; QR's backward drops the lower triangle of R̄·Rᵀ − Qᵀ·Q̄ instead of
 * subtracting it, so an infinite R̄ gives infinities, not NaN. Expected answers: real PyTorch 1.13
 * runs of the same programs (fixtures/difftest_kinks20.py writes fixtures/difftest_kinks20.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/difftest_kinks20.json'

/**
 * Still open: in B's gradient of a batched matrix solve one zero has the other sign than PyTorch's
 * transposed getrs (LAPACK's row interchanges and triangular solves) gives it; the facade applies
 * the permutation as a product with Pᵀ (session 20: moving rows instead lost other zeros' signs).
 */
const OPEN = new Set(['linalg.solve matrix B, batched, a gradient with zeros of both signs'])

describe("inv's, solve's and QR's backward (PyTorch 1.13 reference)", () => {
  const run = (c: (typeof fixture.cases)[number]): void => {
    // Arrange, Act
    const got = outcome(c.ts)
    // Assert
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  }
  it.each(fixture.cases.filter((c) => !OPEN.has(c.name)).map((c) => [c.name, c] as const))('%s', (_, c) => run(c))
  it.fails.each(fixture.cases.filter((c) => OPEN.has(c.name)).map((c) => [c.name, c] as const))('open: %s', (_, c) =>
    run(c),
  )
})
