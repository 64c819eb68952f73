/**
 * nn sweep (issue 10, no silent wrong answers): Conv/ConvTranspose, pooling, Fold/Unfold and
 * normalisation layers over random configurations, against PyTorch 1.13's values, input and
 * parameter gradients, buffers and errors (test/torch/fixtures/nn_sweep/nn_sweep_layers.py).
 */
import { describe, expect, it } from 'vitest'
import { caseTitle, loadSweep, sweepMismatch } from '../helpers/nnSweep'

describe.each(['nn_sweep_conv.json', 'nn_sweep_pool.json', 'nn_sweep_norm.json'])('%s', (file) => {
  const cases = loadSweep(file)
  it.each(cases.map((c, i) => [caseTitle(c, i), c] as const))('%s', (_, c) => {
    expect(sweepMismatch(c)).toBeNull()
  })
})
