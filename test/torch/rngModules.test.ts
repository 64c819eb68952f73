import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import fixture from './fixtures/rng_streams.json'

// Reference: the "modules" case of test/torch/fixtures/rng_streams.py (PyTorch 1.13, CPU): each
// family built under torch.manual_seed, every named parameter in order.
type Params = ReadonlyArray<[string, number[]]>
const cases = (fixture as unknown as { modules: Record<string, Params> }).modules
const nn = torch.nn
const params = (...mods: torch.nn.Module[]): Array<[string, number[]]> =>
  mods.flatMap((m) =>
    [...m.named_parameters()].map(([n, p]): [string, number[]] => [n, p.detach().reshape(-1).tolist() as number[]]),
  )
const check = (name: string, seed: number, build: () => torch.nn.Module[]): void => {
  it(name, () => {
    torch.manual_seed(seed)
    const want = cases[name]!
    expect(params(...build())).toEqual(want.map(([n, w]) => [n, w]))
  })
}

describe('module constructors draw parameters as PyTorch', () => {
  check('transformer', 31, () => [
    new nn.TransformerEncoderLayer(8, 2, { dim_feedforward: 16 }),
    new nn.TransformerDecoderLayer(8, 2, { dim_feedforward: 16 }),
  ])
  check('attention', 32, () => [
    new nn.MultiheadAttention(6, 2, { kdim: 4, vdim: 5 }),
    new nn.MultiheadAttention(4, 1, { bias: false, add_bias_kv: true }),
  ])
  check('recurrent', 33, () => [
    new nn.RNNCell(3, 4),
    new nn.LSTMCell(2, 3),
    new nn.GRUCell(3, 2),
    new nn.RNN(2, 3, { num_layers: 2, bidirectional: true }),
    new nn.LSTM(2, 3, { proj_size: 2 }),
  ])
  check('conv', 34, () => [
    new nn.ConvTranspose2d(2, 4, 3, { groups: 2 }),
    new nn.ConvTranspose1d(3, 2, 2, { bias: false }),
    new nn.Conv1d(4, 2, 3, { groups: 2 }),
    new nn.Conv3d(1, 2, 2),
  ])
  check('misc', 35, () => [
    new nn.Bilinear(3, 2, 4),
    new nn.Embedding(6, 3, { padding_idx: 2 }),
    new nn.EmbeddingBag(5, 2),
    new nn.PReLU(3),
    new nn.LayerNorm(4),
    new nn.GroupNorm(2, 4),
    new nn.BatchNorm2d(3),
    new nn.Linear(3, 2, { bias: false }),
  ])
})
