/**
 * nn sweep (issue 10, no silent wrong answers): RNN/LSTM/GRU (packed or not, h0 or not),
 * MultiheadAttention, Transformer encoder/decoder layers, Embedding and EmbeddingBag over random
 * configurations, against PyTorch 1.13's values, gradients and errors
 * (test/torch/fixtures/nn_sweep/nn_sweep_seq.py).
 */
import { describe, expect, it } from 'vitest'
import { caseTitle, loadSweep, sweepMismatch } from '../helpers/nnSweep'

describe.each(['nn_sweep_rnn.json', 'nn_sweep_attention.json', 'nn_sweep_embedding.json'])('%s', (file) => {
  const cases = loadSweep(file)
  it.each(cases.map((c, i) => [caseTitle(c, i), c] as const))('%s', (_, c) => {
    expect(sweepMismatch(c)).toBeNull()
  })
})
