/**
 * F.grid_sample at the edges (issue 10): grids with points far outside [-1, 1], exactly on the
 * border and on pixels, over inputs holding NaN/inf, for every mode, padding mode and
 * align_corners — values and gradients of sum(y · w) with respect to input and grid. Expected
 * answers: real PyTorch 1.13 runs of the same programs (../fixtures/grid_sample_edges.py writes
 * ../fixtures/grid_sample_edges.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../../helpers/fixturePrograms'
import fixture from '../fixtures/grid_sample_edges.json'

/**
 * Known differences (each must still differ this way; remove it when fixed): bicubic grid
 * gradients at points whose 4×4 taps hold +inf give NaN here where ATen's accumulation order
 * (`gix -= val · coeff′` tap by tap) keeps ±inf; values and input gradients agree.
 */
const KNOWN: Readonly<Record<string, RegExp>> = {
  'x-bicubic-zeros-noac': /^\[2\]\.values\[0\]\[0\]\[2\]\[0\]$/,
  'x-bicubic-zeros-ac': /^\[2\]\.values\[0\]\[0\]\[3\]\[1\]$/,
  'x-bicubic-reflection-noac': /^\[2\]\.values\[0\]\[0\]\[3\]\[1\]$/,
  'x-bicubic-reflection-ac': /^\[2\]\.values\[0\]\[0\]\[3\]\[1\]$/,
}

describe('grid_sample at out-of-bounds and border points, over NaN/inf inputs (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const m = mismatch(outcome(c.ts), c.expect)
    if (name in KNOWN) expect(m).toMatch(KNOWN[name] as RegExp)
    else expect(m).toBeNull()
  })
})
