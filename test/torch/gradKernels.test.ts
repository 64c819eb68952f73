/**
 * Gradients whose value (down to the sign of zero), graph or requires_grad follow PyTorch's
 * backward kernel rather than the math (issue 10, difftest class D2): gelu's `grad · dgelu(x)` at a
 * zero incoming gradient, the full max()/min() reduction (grad / #ties written into zeros, NaN
 * maxima sharing it), amax/amin (mask · grad / count), and create_graph gradients through
 * piecewise-constant ops. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/grad_kernels.py writes fixtures/grad_kernels.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/grad_kernels.json'

/** Known differences (each must still differ this way; remove it when it is fixed): none left. */
const KNOWN: Readonly<Record<string, RegExp>> = {}

describe('gradients as PyTorch kernels compute them (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const m = mismatch(outcome(c.ts), c.expect)
    if (name in KNOWN) expect(m).toMatch(KNOWN[name] as RegExp)
    else expect(m).toBeNull()
  })
})
