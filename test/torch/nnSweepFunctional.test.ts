/**
 * nn sweep (issue 10, no silent wrong answers): every loss module with each reduction and its
 * options, F.interpolate, F.grid_sample/affine_grid and F.pixel_shuffle/unshuffle over random
 * configurations, against PyTorch 1.13's values, gradients and errors
 * (test/torch/fixtures/nn_sweep/nn_sweep_fn.py).
 */
import { describe, expect, it } from 'vitest'
import { caseTitle, loadSweep, sweepMismatch } from '../helpers/nnSweep'

describe.each(['nn_sweep_loss.json', 'nn_sweep_resample.json'])('%s', (file) => {
  const cases = loadSweep(file)
  it.each(cases.map((c, i) => [caseTitle(c, i), c] as const))('%s', (_, c) => {
    expect(sweepMismatch(c)).toBeNull()
  })
})
