/**
 * examples/word_language_model (PyTorch's LSTM language model ported to the facade) against its
 * PyTorch twin train.py (PyTorch 1.13, float64, dropout 0): parameter names, weight tying, and the
 * loss of every truncated-BPTT batch of one epoch from the same initial weights.
 */
import { describe, expect, it } from 'vitest'
import { RNNModel } from '../../examples/word_language_model/model'
import { EMSIZE, NTOKEN, fixture, train } from '../../examples/word_language_model/train'

describe('the word-language-model example', () => {
  it('has PyTorch’s parameter names and tied weights', () => {
    const model = new RNNModel('LSTM', NTOKEN, EMSIZE, EMSIZE, 2, 0.0, true)
    expect(Object.keys(model.state_dict())).toEqual(Object.keys(fixture().state_dict))
    expect(model.decoder.weight).toBe(model.encoder.weight)
    expect(() => new RNNModel('GRU', NTOKEN, EMSIZE, 8, 2, 0.5, true)).toThrow(
      'When using the tied flag, nhid must be equal to emsize',
    )
  })

  it('has PyTorch’s loss for every batch', () => {
    const losses = train()
    const want = fixture().losses
    expect(losses.length).toBe(want.length)
    losses.forEach((l, i) => {
      if (Math.abs(l - (want[i] as number)) > 1e-10) expect.fail(`batch ${i}: loss ${l}, PyTorch ${want[i]}`)
    })
  })
})
