/**
 * Gradients whose PyTorch backward selects or writes rather than multiplies (issue 10, difftest
 * classes "grad values @ grad" and "grad signed zero @ grad"): solve_triangular's A gradient is
 * (−gB·Xᴴ).triu() (+0 outside the triangle), multilabel_soft_margin_loss's log σ has derivative ½
 * at 0, cross_entropy's label-smoothing term masks ignore_index with a select, nll_loss writes
 * −w·grad at the target, multi_margin_loss scales its unit gradient by the incoming one (zeros
 * keep their signs), a strided transposed convolution's weight gradient meets no holes (no 0·inf).
 * Expected values are PyTorch 1.13 runs of the same programs, the special values exactly
 * (fixtures/grad_masking.py writes fixtures/grad_masking.json).
 */
import { describe, it } from 'vitest'
import { expectRecorded, runProgram, type Recorded } from '../helpers/fixturePrograms'
import fixture from './fixtures/grad_masking.json'

describe('gradients that PyTorch selects or writes (PyTorch 1.13 reference, the same formulas in 2.x)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) =>
    expectRecorded(runProgram(c.ts), c.expect as Recorded[], (w) => 3e-7 * Math.abs(w)),
  )
})
