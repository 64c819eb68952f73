/**
 * Gradients at kinks and NaN/inf points as PyTorch's backward formulas give them (issue 10 item 3,
 * difftest class "grad values @ grad"): adaptive max pooling scatters the gradient to each
 * window's argmax (0 elsewhere even for a NaN gradient, all of it to the first of tied maxima),
 * logit's backward is NaN outside [0, 1] and 0 outside [eps, 1 − eps], hardtanh/relu6 give 0 at
 * their bounds, hardsigmoid multiplies by the float32 1/6 in float64 too, hardswish divides by 3,
 * poisson_nll_loss(full) masks its Stirling term after computing it (NaN for a target ≤ 0 that
 * requires grad), multi_margin_loss gives a class at the hinge no gradient, margin_ranking_loss
 * (clamp_min) the whole gradient at 0.
 * Expected values are PyTorch 1.13 runs of the same programs, the special values exactly
 * (fixtures/kink_gradients.py writes fixtures/kink_gradients.json).
 */
import { describe, it } from 'vitest'
import { expectRecorded, runProgram, type Recorded } from '../helpers/fixturePrograms'
import fixture from './fixtures/kink_gradients.json'

describe('gradients at kinks (PyTorch 1.13 reference, the same kernels in 2.x)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) =>
    expectRecorded(runProgram(c.ts), c.expect as Recorded[], (w) => 3e-7 * Math.abs(w)),
  )
})
