/**
 * Module constructors given `device=` (issue 10: an option is honoured or refused, never ignored).
 * The facade runs on the CPU only: `device='cuda'` raises what a CPU-only PyTorch build raises
 * (AssertionError "Torch not compiled with CUDA enabled"), `'meta'` builds the module with meta
 * (shape-only) parameters (test/torch/metaDevice.test.ts), and `'cpu'` builds it on the CPU. Before, every constructor dropped the argument
 * and built its parameters on the CPU without a word.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const nn = torch.nn
type Make = (kw: { device: string }) => unknown
const MAKERS: ReadonlyArray<[string, Make]> = [
  ['Linear', (d) => new nn.Linear(2, 3, d)],
  ['Bilinear', (d) => new nn.Bilinear(2, 2, 3, d)],
  ['Conv2d', (d) => new nn.Conv2d(1, 2, 3, d)],
  ['ConvTranspose2d', (d) => new nn.ConvTranspose2d(1, 2, 3, d)],
  ['BatchNorm1d', (d) => new nn.BatchNorm1d(3, d)],
  ['LayerNorm', (d) => new nn.LayerNorm(3, d)],
  ['GroupNorm', (d) => new nn.GroupNorm(1, 3, d)],
  ['InstanceNorm1d', (d) => new nn.InstanceNorm1d(3, d)],
  ['Embedding', (d) => new nn.Embedding(4, 3, d)],
  ['EmbeddingBag', (d) => new nn.EmbeddingBag(4, 3, d)],
  ['LSTM', (d) => new nn.LSTM(2, 3, d)],
  ['GRU', (d) => new nn.GRU(2, 3, d)],
  ['RNN', (d) => new nn.RNN(2, 3, d)],
  ['LSTMCell', (d) => new nn.LSTMCell(2, 3, d)],
  ['GRUCell', (d) => new nn.GRUCell(2, 3, d)],
  ['MultiheadAttention', (d) => new nn.MultiheadAttention(4, 2, d)],
  ['TransformerEncoderLayer', (d) => new nn.TransformerEncoderLayer(4, 2, d)],
  ['TransformerDecoderLayer', (d) => new nn.TransformerDecoderLayer(4, 2, d)],
  [
    'Transformer',
    (d) =>
      new nn.Transformer({
        d_model: 4,
        nhead: 2,
        num_encoder_layers: 1,
        num_decoder_layers: 1,
        dim_feedforward: 8,
        ...d,
      }),
  ],
  ['PReLU', (d) => new nn.PReLU(d)],
  ['LazyLinear', (d) => new nn.LazyLinear(3, d)],
  ['LazyConv2d', (d) => new nn.LazyConv2d(3, 3, d)],
  ['LazyBatchNorm1d', (d) => new nn.LazyBatchNorm1d(d)],
  ['AdaptiveLogSoftmaxWithLoss', (d) => new nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2], d)],
]

describe('module constructors check device=', () => {
  it.each(MAKERS)('%s: cpu builds, cuda raises, meta builds meta parameters', (name, make) => {
    expect(make({ device: 'cpu' })).toBeInstanceOf(nn.Module)
    expect(() => make({ device: 'cuda' })).toThrow(/^Torch not compiled with CUDA enabled$/)
    expect(() => make({ device: 'cuda:0' })).toThrow(torch.AssertionError)
    const meta = make({ device: 'meta' }) as InstanceType<typeof nn.Module>
    if (name.startsWith('Lazy')) return // uninitialized parameters: no data and no device to ask yet
    const params = [...meta.parameters()]
    expect(params.length > 0 || name === 'InstanceNorm1d').toBe(true) // affine=False by default
    expect(params.every((p) => p.is_meta)).toBe(true)
  })
  it('a torch.device object is checked too', () => {
    expect(new nn.Linear(2, 3, { device: torch.device('cpu') as unknown as string }).weight.shape).toEqual([3, 2])
    expect(() => new nn.Linear(2, 3, { device: torch.device('cuda') as unknown as string })).toThrow(/CUDA/)
  })
})
