/**
 * One epoch of main.py's training loop for the word-language-model port (model.ts): a 2-layer
 * LSTM with tied weights on a fixed token stream, truncated BPTT, NLLLoss, clip_grad_norm_(0.25)
 * and `p -= lr · p.grad`, from the initial weights PyTorch wrote to
 * test/fixtures/torch/word_language_model.json (made by train.py beside this file).
 *
 * Run: npx tsx examples/word_language_model/train.ts
 */
import { readFileSync } from 'node:fs'
import * as torch from 'wengert/torch'
import { batchify, get_batch, repackage_hidden, RNNModel } from './model'

export const NTOKEN = 40
export const EMSIZE = 16
export const BPTT = 6
export const BATCH_SIZE = 3
const LR = 5
const CLIP = 0.25

/** The token stream: (i² + 3i) mod 37 + (i mod 3), a fixed "corpus". */
export const corpus = (): torch.Tensor =>
  torch.tensor(
    Array.from({ length: 100 }, (_, i) => ((i * i + 3 * i) % 37) + (i % 3)),
    { dtype: torch.int64 },
  )

interface Fixture {
  state_dict: Record<string, { shape: number[]; data: number[] }>
  losses: number[]
}
export const fixture = (): Fixture =>
  JSON.parse(
    readFileSync(new URL('../../test/fixtures/torch/word_language_model.json', import.meta.url), 'utf8'),
  ) as Fixture

/** Trains one epoch from PyTorch's initial weights (float64); returns the loss of every batch. */
export const train = (): number[] => {
  const model = new RNNModel('LSTM', NTOKEN, EMSIZE, EMSIZE, 2, 0.0, true).double()
  model.load_state_dict(
    Object.fromEntries(
      Object.entries(fixture().state_dict).map(([k, f]) => [
        k,
        torch.tensor(f.data, { dtype: torch.float64 }).reshape(f.shape),
      ]),
    ),
  )
  const criterion = torch.nn.NLLLoss()
  const train_data = batchify(corpus(), BATCH_SIZE)
  model.train()
  let hidden = model.init_hidden(BATCH_SIZE)
  const losses: number[] = []
  for (let i = 0; i < train_data.shape[0]! - 1; i += BPTT) {
    const [data, targets] = get_batch(train_data, i, BPTT)
    // Starting each batch, we detach the hidden state from how it was previously produced.
    hidden = repackage_hidden(hidden)
    model.zero_grad()
    const [output, h] = model.call(data, hidden)
    hidden = h
    const loss = criterion.call(output, targets)
    loss.backward()
    // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
    torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
    torch.no_grad(() => {
      for (const p of model.parameters()) p.add_(p.grad as torch.Tensor, { alpha: -LR })
    })
    losses.push(loss.item() as number)
  }
  return losses
}

if (import.meta.url === `file://${process.argv[1]}`) {
  train().forEach((l, i) => console.log(`batch ${i}: loss ${l.toFixed(6)}`))
}
