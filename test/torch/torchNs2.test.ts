/**
 * torch.* / Tensor names ported code uses (slice_scatter, select_scatter, diagonal_scatter, …):
 * values, grad_fn names, next_functions, gradients and error texts against real PyTorch 1.13 runs
 * of the same programs (fixtures/torch_ns2.py writes fixtures/torch_ns2.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/torch_ns2.json'

describe('torch.* names as PyTorch 1.13 runs them', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    if (mismatch(got, c.expect) !== null) expect(got).toEqual(c.expect)
  })
})
