/**
 * Gradients whose zeros carry the sign of PyTorch's backward formula (issue 10, difftest class
 * D2, "grad signed zero"): pow's `where` at a zero exponent or base, maximum/minimum passing a −0
 * gradient, prod_backward with and without zero factors, log_softmax/softmax over one element, and
 * the difftest programs they came from. Expected answers: real PyTorch 1.13 runs of the same
 * programs (fixtures/grad_zeros.py writes fixtures/grad_zeros.json); zeros compare with their sign.
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/grad_zeros.json'

/**
 * Known differences in the create_graph gradient's graph (values agree; each must still differ
 * this way; remove it when it is fixed):
 * - prod-create-graph: PyTorch's zero-safe path runs on `input.view(-1)` then `view_as(input)`
 *   (ViewBackward0 last), which a 1-D input skips in the kernel.
 */
const KNOWN: Readonly<Record<string, RegExp>> = {
  'prod-create-graph': /^\[0\]\.grad_fn: "MulBackward0" vs "ViewBackward0"$/,
}

describe("gradients' signed zeros as PyTorch's formulas give them (PyTorch 1.13 reference)", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const m = mismatch(outcome(c.ts), c.expect)
    if (name in KNOWN) expect(m).toMatch(KNOWN[name] as RegExp)
    else expect(m).toBeNull()
  })
})
