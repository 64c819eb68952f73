/**
 * torch.lstm / gru / rnn_tanh / rnn_relu (ATen's functional recurrent layers over flat weight
 * lists): outputs, final states, gradients and error texts against real PyTorch 1.13 runs of the
 * same programs (fixtures/rnn_fns.py writes fixtures/rnn_fns.json; grad_fn names are not compared).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/rnn_fns.json'

/** The described results without the graph facts the fixture leaves out. */
const valuesOnly = (got: unknown): unknown =>
  Array.isArray(got)
    ? got.map((r) => {
        const { requires_grad, values } = r as { requires_grad: boolean; values: unknown }
        return { requires_grad, values }
      })
    : got

describe('functional recurrent layers as PyTorch 1.13 runs them', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = valuesOnly(outcome(c.ts))
    if (mismatch(got, c.expect) !== null) expect(got).toEqual(c.expect)
  })
})

describe('torch.lstm against nn.LSTM', () => {
  it('gives the module’s output and states from its flat weights', () => {
    // Arrange
    torch.manual_seed(1)
    const m = torch.nn.LSTM(3, 4, { num_layers: 2, bidirectional: true })
    const x = torch.randn(5, 2, 3)
    const hx = [torch.randn(4, 2, 4), torch.randn(4, 2, 4)]
    const ps = m._flat_weights_names.map((n) => m.get_parameter(n))
    // Act
    const [o, h, c] = torch.lstm(x, hx, ps, true, 2, 0, false, true, false)
    const [mo, [mh, mc]] = m.call(x, hx as [torch.Tensor, torch.Tensor])
    // Assert
    expect(o.allclose(mo)).toBe(true)
    expect(h.allclose(mh)).toBe(true)
    expect(c.allclose(mc)).toBe(true)
  })
})
