/**
 * Gradients that followed wengert's composed rule instead of PyTorch's backward formula (silent
 * wrong gradients of the differential tester, issue 10): logcumsumexp's sign-split backward,
 * nansum's `grad · !isnan(self)`, xlogy's masked `xlogy(grad, other)`, hypot's `grad · self / result`
 * and the full median()/nanmedian()'s evenly_distribute_backward. Expected answers: real PyTorch
 * 1.13 runs of the same programs (fixtures/grad_formulas_s14.py writes fixtures/grad_formulas_s14.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/grad_formulas_s14.json'

describe('gradients as PyTorch backward formulas compute them (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(mismatch(outcome(c.ts), c.expect)).toBeNull()
  })
})
