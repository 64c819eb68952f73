/**
 * torch.rnn_tanh_cell / rnn_relu_cell / lstm_cell / gru_cell: values, nodes, next_functions,
 * gradients of every input and error texts against real PyTorch 1.13 runs of the same programs
 * (fixtures/rnn_cell_fns.py writes fixtures/rnn_cell_fns.json), and agreement with the modules.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/rnn_cell_fns.json'

describe('torch.*_cell as PyTorch runs them', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    if (mismatch(got, c.expect) !== null) expect(got).toEqual(c.expect)
  })
  it('gru_cell computes what nn.GRUCell does with its parameters', () => {
    torch.manual_seed(3)
    const cell = torch.nn.GRUCell(3, 2)
    const x = torch.randn(4, 3)
    const h = torch.randn(4, 2)
    const want = cell.call(x, h)
    const got = torch.gru_cell(x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    expect(got.sub(want).abs().max().item()).toBe(0)
  })
})
