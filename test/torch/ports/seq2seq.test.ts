import { describe, it, expect } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/seq2seq.json'
import { expectClose, summary } from './portHelpers'

// Two PyTorch NLP tutorials ported line by line (twin: test/torch/fixtures/ports/seq2seq.py): the
// seq2seq GRU translator with Bahdanau attention (teacher forcing, greedy topk decoding, NLLLoss,
// DataLoader with a RandomSampler, dropout 0.1), and the character-level name classifier (nn.RNN +
// LogSoftmax, clip_grad_norm_, SGD; the older hand-written RNN updated through p.data.add_).
const { nn, optim } = torch
const F = torch.nn.functional
const { DataLoader, RandomSampler, TensorDataset } = torch.utils.data

const device = torch.device('cpu')
const [SOS_token, EOS_token, MAX_LENGTH] = [0, 1, 5]

class EncoderRNN extends nn.Module {
  hidden_size: number
  embedding: torch.nn.Embedding
  gru: torch.nn.GRU
  dropout: torch.nn.Dropout

  constructor(input_size: number, hidden_size: number, dropout_p = 0.1) {
    super()
    this.hidden_size = hidden_size
    this.embedding = nn.Embedding(input_size, hidden_size)
    this.gru = nn.GRU(hidden_size, hidden_size, { batch_first: true })
    this.dropout = nn.Dropout(dropout_p)
  }

  forward(input: torch.Tensor): [torch.Tensor, torch.Tensor] {
    const embedded = this.dropout.call(this.embedding.call(input))
    const [output, hidden] = this.gru.call(embedded)
    return [output, hidden as torch.Tensor]
  }
}

class BahdanauAttention extends nn.Module {
  Wa: torch.nn.Linear
  Ua: torch.nn.Linear
  Va: torch.nn.Linear

  constructor(hidden_size: number) {
    super()
    this.Wa = nn.Linear(hidden_size, hidden_size)
    this.Ua = nn.Linear(hidden_size, hidden_size)
    this.Va = nn.Linear(hidden_size, 1)
  }

  forward(query: torch.Tensor, keys: torch.Tensor): [torch.Tensor, torch.Tensor] {
    let scores = this.Va.call(torch.tanh(this.Wa.call(query).add(this.Ua.call(keys))))
    scores = scores.squeeze(2).unsqueeze(1)
    const weights = F.softmax(scores, { dim: -1 })
    const context = torch.bmm(weights, keys)
    return [context, weights]
  }
}

class AttnDecoderRNN extends nn.Module {
  embedding: torch.nn.Embedding
  attention: BahdanauAttention
  gru: torch.nn.GRU
  out: torch.nn.Linear
  dropout: torch.nn.Dropout

  constructor(hidden_size: number, output_size: number, dropout_p = 0.1) {
    super()
    this.embedding = nn.Embedding(output_size, hidden_size)
    this.attention = new BahdanauAttention(hidden_size)
    this.gru = nn.GRU(2 * hidden_size, hidden_size, { batch_first: true })
    this.out = nn.Linear(hidden_size, output_size)
    this.dropout = nn.Dropout(dropout_p)
  }

  forward(
    encoder_outputs: torch.Tensor,
    encoder_hidden: torch.Tensor,
    target_tensor: torch.Tensor | null = null,
  ): [torch.Tensor, torch.Tensor, torch.Tensor] {
    const batch_size = encoder_outputs.size(0)
    let decoder_input = torch.empty(batch_size, 1, { dtype: torch.long, device }).fill_(SOS_token)
    let decoder_hidden = encoder_hidden
    let decoder_outputs: torch.Tensor[] = []
    let attentions: torch.Tensor[] = []
    for (let i = 0; i < MAX_LENGTH; i++) {
      const [decoder_output, hidden, attn_weights] = this.forward_step(decoder_input, decoder_hidden, encoder_outputs)
      decoder_hidden = hidden
      decoder_outputs.push(decoder_output)
      attentions.push(attn_weights)
      if (target_tensor !== null) {
        decoder_input = target_tensor.index(':', i).unsqueeze(1)
      } else {
        const [, topi] = decoder_output.topk(1)
        decoder_input = topi.squeeze(-1).detach()
      }
    }
    let outputs = torch.cat(decoder_outputs, { dim: 1 })
    outputs = F.log_softmax(outputs, { dim: -1 })
    const attn = torch.cat(attentions, { dim: 1 })
    decoder_outputs = []
    attentions = []
    return [outputs, decoder_hidden, attn]
  }

  forward_step(
    input: torch.Tensor,
    hidden: torch.Tensor,
    encoder_outputs: torch.Tensor,
  ): [torch.Tensor, torch.Tensor, torch.Tensor] {
    const embedded = this.dropout.call(this.embedding.call(input))
    const query = hidden.permute(1, 0, 2)
    const [context, attn_weights] = this.attention.call(query, encoder_outputs)
    const input_gru = torch.cat([embedded, context], { dim: 2 })
    let [output, h] = this.gru.call(input_gru, hidden)
    output = this.out.call(output)
    return [output, h as torch.Tensor, attn_weights]
  }
}

const train_epoch = (
  dataloader: Iterable<unknown> & { length: number },
  encoder: EncoderRNN,
  decoder: AttnDecoderRNN,
  encoder_optimizer: torch.optim.Optimizer,
  decoder_optimizer: torch.optim.Optimizer,
  criterion: torch.nn.NLLLoss,
): number => {
  let total_loss = 0
  for (const data of dataloader) {
    const [input_tensor, target_tensor] = data as [torch.Tensor, torch.Tensor]
    encoder_optimizer.zero_grad()
    decoder_optimizer.zero_grad()
    const [encoder_outputs, encoder_hidden] = encoder.call(input_tensor)
    const [decoder_outputs] = decoder.call(encoder_outputs, encoder_hidden, target_tensor)
    const loss = criterion.call(decoder_outputs.view(-1, decoder_outputs.size(-1)), target_tensor.view(-1))
    loss.backward()
    encoder_optimizer.step()
    decoder_optimizer.step()
    total_loss += loss.item() as number
  }
  return total_loss / dataloader.length
}

// --- char-RNN name classification
const all_letters = 'abcdefghij'
const n_letters = all_letters.length
const letterToIndex = (letter: string): number => all_letters.indexOf(letter)
const lineToTensor = (line: string): torch.Tensor => {
  const tensor = torch.zeros(line.length, 1, n_letters)
  ;[...line].forEach((letter, li) => tensor.index(li).index(0).set(letterToIndex(letter), 1))
  return tensor
}

class CharRNN extends nn.Module {
  rnn: torch.nn.RNN
  h2o: torch.nn.Linear
  softmax = nn.LogSoftmax({ dim: 1 })

  constructor(input_size: number, hidden_size: number, output_size: number) {
    super()
    this.rnn = nn.RNN(input_size, hidden_size)
    this.h2o = nn.Linear(hidden_size, output_size)
  }

  forward(line_tensor: torch.Tensor): torch.Tensor {
    const [, hidden] = this.rnn.call(line_tensor)
    let output = this.h2o.call((hidden as torch.Tensor).index(0))
    output = this.softmax.call(output)
    return output
  }
}

class RNN extends nn.Module {
  hidden_size: number
  i2h: torch.nn.Linear
  h2o: torch.nn.Linear
  softmax = nn.LogSoftmax({ dim: 1 })

  constructor(input_size: number, hidden_size: number, output_size: number) {
    super()
    this.hidden_size = hidden_size
    this.i2h = nn.Linear(input_size + hidden_size, hidden_size)
    this.h2o = nn.Linear(hidden_size, output_size)
  }

  forward(input: torch.Tensor, hidden: torch.Tensor): [torch.Tensor, torch.Tensor] {
    const combined = torch.cat([input, hidden], 1)
    hidden = F.tanh(this.i2h.call(combined))
    let output = this.h2o.call(hidden)
    output = this.softmax.call(output)
    return [output, hidden]
  }

  initHidden(): torch.Tensor {
    return torch.zeros(1, this.hidden_size)
  }
}

describe('PyTorch seq2seq translation tutorial (GRU + Bahdanau attention)', () => {
  it('trains and decodes as PyTorch does', () => {
    torch.manual_seed(0)
    const input_ids = torch.randint(2, 9, [6, MAX_LENGTH])
    const target_ids = torch.randint(2, 7, [6, MAX_LENGTH])
    input_ids.set(':', -1, EOS_token)
    target_ids.set(':', -1, EOS_token)
    const train_data = TensorDataset(torch.LongTensor(input_ids).to(device), torch.LongTensor(target_ids).to(device))
    const train_sampler = RandomSampler(train_data)
    const train_dataloader = DataLoader(train_data, { sampler: train_sampler, batch_size: 4 })
    const encoder = new EncoderRNN(9, 8).to(device)
    const decoder = new AttnDecoderRNN(8, 7).to(device)
    const encoder_optimizer = optim.Adam(encoder.parameters(), { lr: 0.01 })
    const decoder_optimizer = optim.Adam(decoder.parameters(), { lr: 0.01 })
    const criterion = nn.NLLLoss()
    const epoch_losses = [0, 1, 2].map(() =>
      train_epoch(train_dataloader, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion),
    )
    encoder.eval()
    decoder.eval()
    const [decoded_ids, decoder_hidden, decoder_attn] = torch.no_grad(() => {
      const [encoder_outputs, encoder_hidden] = encoder.call(input_ids.index(':2'))
      const [decoder_outputs, hidden, attn] = decoder.call(encoder_outputs, encoder_hidden)
      const [, topi] = decoder_outputs.topk(1)
      return [topi.squeeze(), hidden, attn]
    })
    expectClose(epoch_losses, fixture.epoch_losses, 1e-5, 1e-6)
    expect(decoded_ids.tolist()).toEqual(fixture.decoded_ids)
    expectClose(decoder_attn.index(0).tolist(), fixture.decoder_attn, 1e-4, 1e-6)
    expectClose(decoder_hidden.index(0, 0).tolist(), fixture.decoder_hidden, 1e-4, 1e-6)
    expectClose(summary(encoder), fixture.encoder, 1e-4, 1e-5)
    // attention.Va.bias is left out: softmax ignores a shift shared by all scores, so its gradient
    // is zero in exact arithmetic and Adam's normalised steps follow rounding noise
    const drop = (r: Record<string, number[]>): Record<string, number[]> =>
      Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'attention.Va.bias'))
    expectClose(drop(summary(decoder)), drop(fixture.decoder), 1e-4, 1e-5)
  })
})

describe('PyTorch char-RNN name classification tutorial', () => {
  const names = ['abc', 'jihgf', 'bead', 'caffe', 'dig', 'hijack'.slice(0, 5), 'ace', 'fig']
  const labels = [0, 1, 0, 2, 1, 2, 0, 1]

  it('trains nn.RNN with clipping and SGD as PyTorch does', () => {
    torch.manual_seed(1)
    const rnn = new CharRNN(n_letters, 12, 3)
    const criterion = nn.NLLLoss()
    const optimizer = torch.optim.SGD(rnn.parameters(), { lr: 0.15 })
    const char_losses: number[] = []
    rnn.train()
    for (let epoch = 0; epoch < 3; epoch++) {
      const all = names.map((_, i) => i)
      const batches = [0, 4].map((s) => all.slice(s, s + 4))
      for (const idx of batches) {
        let batch_loss: torch.Tensor | number = 0
        for (const i of idx) {
          const label_tensor = torch.tensor([labels[i]!], { dtype: torch.long })
          const output = rnn.call(lineToTensor(names[i]!))
          const loss = criterion.call(output, label_tensor)
          batch_loss = loss.add(batch_loss)
        }
        ;(batch_loss as torch.Tensor).backward()
        nn.utils.clip_grad_norm_(rnn.parameters(), 3)
        optimizer.step()
        optimizer.zero_grad()
        char_losses.push(((batch_loss as torch.Tensor).item() as number) / idx.length)
      }
    }
    const [guess, top_i] = torch.no_grad(() => {
      const g = rnn.call(lineToTensor('bead'))
      const [, i] = g.topk(1)
      return [g, i]
    })
    expectClose(char_losses, fixture.char_losses, 1e-5, 1e-6)
    expectClose(guess.index(0).tolist(), fixture.guess, 1e-5, 1e-6)
    expect(top_i.item()).toBe(fixture.top_i)
    expectClose(summary(rnn), fixture.char_rnn, 1e-4, 1e-5)
  })

  it('trains the hand-written RNN through p.data.add_ as PyTorch does', () => {
    torch.manual_seed(2)
    const old = new RNN(n_letters, 10, 3)
    const criterion = nn.NLLLoss()
    const learning_rate = 0.005
    const old_losses: number[] = []
    const train = (category_tensor: torch.Tensor, line_tensor: torch.Tensor): [torch.Tensor, number] => {
      let hidden = old.initHidden()
      old.zero_grad()
      let output: torch.Tensor | null = null
      for (let i = 0; i < line_tensor.size()[0]!; i++) [output, hidden] = old.call(line_tensor.index(i), hidden)
      const loss = criterion.call(output!, category_tensor)
      loss.backward()
      for (const p of old.parameters()) p.data.add_(p.grad!.data, { alpha: -learning_rate })
      return [output!, loss.item() as number]
    }
    let output: torch.Tensor | null = null
    for (let i = 0; i < names.length; i++) {
      let loss: number
      ;[output, loss] = train(torch.tensor([labels[i]!], { dtype: torch.long }), lineToTensor(names[i]!))
      old_losses.push(loss)
    }
    expectClose(old_losses, fixture.old_losses, 1e-5, 1e-6)
    expectClose(output!.index(0).tolist(), fixture.old_output, 1e-5, 1e-6)
    expectClose(summary(old), fixture.old_rnn, 1e-4, 1e-6)
  })
})
