import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/word_language_model.json'
import { expectClose, summary } from './portHelpers'

// pytorch/examples word_language_model (model.py, main.py) ported line by line (twin:
// test/torch/fixtures/ports/word_language_model.py): a two-layer LSTM with the decoder weight
// tied to the embedding, and a GRU, each with dropout between layers; init_hidden through
// new_zeros, truncated BPTT with repackage_hidden, clip_grad_norm_ and p.data.add_(p.grad,
// alpha=-lr), lr /= 4 when the validation loss does not improve.
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor
type Hidden = T | [T, T]
/** nn.LSTM or nn.GRU as RNNModel calls it (Python's getattr(nn, rnn_type)). */
type Recurrent = torch.nn.Module & { forward(input: T, hx: Hidden): [T, Hidden] }

class RNNModel extends nn.Module {
  ntoken: number
  drop: torch.nn.Dropout
  encoder: torch.nn.Embedding
  rnn: Recurrent
  decoder: torch.nn.Linear
  rnn_type: string
  nhid: number
  nlayers: number

  constructor(
    rnn_type: 'LSTM' | 'GRU',
    ntoken: number,
    ninp: number,
    nhid: number,
    nlayers: number,
    dropout = 0.5,
    tie_weights = false,
  ) {
    super()
    this.ntoken = ntoken
    this.drop = nn.Dropout(dropout)
    this.encoder = nn.Embedding(ntoken, ninp)
    this.rnn = { LSTM: nn.LSTM, GRU: nn.GRU }[rnn_type](ninp, nhid, nlayers, { dropout }) as unknown as Recurrent
    this.decoder = nn.Linear(nhid, ntoken)
    if (tie_weights) {
      if (nhid !== ninp) throw new Error('When using the tied flag, nhid must be equal to emsize')
      this.decoder.weight = this.encoder.weight
    }
    this.init_weights()
    this.rnn_type = rnn_type
    this.nhid = nhid
    this.nlayers = nlayers
  }

  init_weights(): void {
    const initrange = 0.1
    nn.init.uniform_(this.encoder.weight, -initrange, initrange)
    nn.init.zeros_(this.decoder.bias!)
    nn.init.uniform_(this.decoder.weight, -initrange, initrange)
  }

  forward(input: T, hidden: Hidden): [T, Hidden] {
    const emb = this.drop.call(this.encoder.call(input))
    let output: T
    ;[output, hidden] = this.rnn.call(emb, hidden)
    output = this.drop.call(output)
    let decoded = this.decoder.call(output)
    decoded = decoded.view(-1, this.ntoken)
    return [F.log_softmax(decoded, { dim: 1 }), hidden]
  }

  init_hidden(bsz: number): Hidden {
    const weight = this.parameters()[Symbol.iterator]().next().value as T
    if (this.rnn_type === 'LSTM') {
      return [weight.new_zeros(this.nlayers, bsz, this.nhid), weight.new_zeros(this.nlayers, bsz, this.nhid)]
    }
    return weight.new_zeros(this.nlayers, bsz, this.nhid)
  }
}

const batchify = (data: T, bsz: number): T => {
  const nbatch = Math.floor(data.size(0) / bsz)
  data = data.narrow(0, 0, nbatch * bsz)
  return data.view(bsz, -1).t().contiguous()
}

// Wraps hidden states in new Tensors, to detach them from their history.
const repackage_hidden = (h: Hidden): Hidden =>
  h instanceof torch.Tensor ? h.detach() : (h.map((v) => repackage_hidden(v)) as [T, T])

const bptt = 5
const ntokens = 20

const get_batch = (source: T, i: number): [T, T] => {
  const seq_len = Math.min(bptt, source.size(0) - 1 - i)
  const data = source.index(`${i}:${i + seq_len}`)
  const target = source.index(`${i + 1}:${i + 1 + seq_len}`).view(-1)
  return [data, target]
}

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
