import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/word_language_model.json'
import { expectClose, summary } from './portHelpers'
import {
  RNNModel,
  batchify,
  get_batch as getBatch,
  repackage_hidden,
  type Hidden,
} from '../../../examples/word_language_model/model'

// pytorch/examples word_language_model (model.py, main.py) ported line by line (twin:
// test/torch/fixtures/ports/word_language_model.py): a two-layer LSTM with the decoder weight
// tied to the embedding, and a GRU, each with dropout between layers; init_hidden through
// new_zeros, truncated BPTT with repackage_hidden, clip_grad_norm_ and p.data.add_(p.grad,
// alpha=-lr), lr /= 4 when the validation loss does not improve.
const { nn } = torch
type T = torch.Tensor
// the model and data helpers are the project's own port of model.py/main.py (examples/word_language_model)
const bptt = 5
const ntokens = 20
const get_batch = (source: T, i: number): [T, T] => getBatch(source, i, bptt)

const run = (rnn_type: 'LSTM' | 'GRU', tied: boolean, seed: number): Record<string, unknown> => {
  torch.manual_seed(seed)
  const train_data = batchify(torch.randint(0, ntokens, [203]), 4)
  const val_data = batchify(torch.randint(0, ntokens, [61]), 2)
  const model = new RNNModel(rnn_type, ntokens, 16, 16, 2, 0.2, tied)
  const criterion = nn.NLLLoss()
  let lr = 20.0

  const evaluate = (data_source: T): number => {
    model.eval()
    let total_loss = 0
    let hidden = model.init_hidden(2)
    torch.no_grad(() => {
      for (let i = 0; i < data_source.size(0) - 1; i += bptt) {
        const [data, targets] = get_batch(data_source, i)
        let output: T
        ;[output, hidden] = model.call(data, hidden) as [T, Hidden]
        hidden = repackage_hidden(hidden)
        total_loss += data.size(0) * (criterion.call(output, targets).item() as number)
      }
    })
    return total_loss / (data_source.size(0) - 1)
  }

  const losses: number[] = []
  const val_losses: number[] = []
  const lrs: number[] = []
  let best_val_loss: number | null = null
  for (let epoch = 1; epoch < 4; epoch++) {
    model.train()
    let hidden = model.init_hidden(4)
    for (let i = 0; i < train_data.size(0) - 1; i += bptt) {
      const [data, targets] = get_batch(train_data, i)
      model.zero_grad()
      hidden = repackage_hidden(hidden)
      let output: T
      ;[output, hidden] = model.call(data, hidden) as [T, Hidden]
      const loss = criterion.call(output, targets)
      loss.backward()
      torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
      for (const p of model.parameters()) p.data.add_(p.grad!, { alpha: -lr })
      losses.push(loss.item() as number)
    }
    const val_loss = evaluate(val_data)
    val_losses.push(val_loss)
    lrs.push(lr)
    if (!best_val_loss || val_loss < best_val_loss) best_val_loss = val_loss
    else lr /= 4.0
  }
  let n_params = 0
  for (const p of model.parameters()) n_params += p.numel()
  return {
    losses,
    val_losses,
    lrs,
    n_params,
    params: summary(model),
  }
}

describe('pytorch/examples word_language_model', () => {
  it('trains the tied two-layer LSTM as PyTorch does', () => {
    const got = run('LSTM', true, 21)
    expect(got.n_params).toBe(fixture.lstm_tied.n_params)
    expectClose(got, fixture.lstm_tied, 1e-4, 1e-5)
  })

  it('trains the two-layer GRU as PyTorch does', () => {
    // At lr 20 this run is chaotic: float32 rounding differences (1e-7 relative in the first
    // losses) grow about tenfold every three steps (1e-6 at step 15, 3e-5 at step 19, 5e-4 at
    // step 27), so the first 16
    // losses are compared tightly and the rest, the validation losses and parameters, loosely.
    const { losses, ...rest } = run('GRU', false, 22) as { losses: number[] }
    const { losses: want, ...wantRest } = fixture.gru
    expectClose(losses.slice(0, 16), want.slice(0, 16), 1e-5, 0)
    expectClose(losses.slice(16), want.slice(16), 2e-3, 0)
    expectClose(rest, wantRest, 2e-3, 1e-3)
  })
})
