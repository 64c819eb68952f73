import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/transformer_lm.json'
import { expectClose, summary } from './portHelpers'

// PyTorch's "Language Modeling with nn.Transformer" tutorial ported line by line at small sizes
// on a random token stream (twin: test/torch/fixtures/ports/transformer_lm.py): PositionalEncoding
// (a buffer filled through strided slices), TransformerEncoder over TransformerEncoderLayer with
// dropout, the square subsequent mask, batchify / get_batch, CrossEntropyLoss, SGD with
// clip_grad_norm_ and StepLR, evaluate under no_grad.
const { nn } = torch
const { TransformerEncoder, TransformerEncoderLayer } = torch.nn
type Tensor = torch.Tensor

const device = torch.device('cpu')

class PositionalEncoding extends nn.Module {
  dropout: torch.nn.Dropout
  declare pe: Tensor

  constructor(d_model: number, dropout = 0.1, max_len = 5000) {
    super()
    this.dropout = nn.Dropout({ p: dropout })
    const position = torch.arange(max_len).unsqueeze(1)
    const div_term = torch.exp(torch.arange(0, d_model, 2).mul(-Math.log(10000.0) / d_model))
    const pe = torch.zeros(max_len, 1, d_model)
    pe.set(':', 0, '0::2', torch.sin(position.mul(div_term)))
    pe.set(':', 0, '1::2', torch.cos(position.mul(div_term)))
    this.register_buffer('pe', pe)
  }

  forward(x: Tensor): Tensor {
    x = x.add(this.pe.index(`:${x.size(0)}`))
    return this.dropout.call(x)
  }
}

class TransformerModel extends nn.Module {
  model_type = 'Transformer'
  pos_encoder: PositionalEncoding
  transformer_encoder: torch.nn.TransformerEncoder
  embedding: torch.nn.Embedding
  d_model: number
  linear: torch.nn.Linear

  constructor(ntoken: number, d_model: number, nhead: number, d_hid: number, nlayers: number, dropout = 0.5) {
    super()
    this.pos_encoder = new PositionalEncoding(d_model, dropout)
    const encoder_layers = TransformerEncoderLayer(d_model, nhead, d_hid, dropout)
    this.transformer_encoder = TransformerEncoder(encoder_layers, nlayers)
    this.embedding = nn.Embedding(ntoken, d_model)
    this.d_model = d_model
    this.linear = nn.Linear(d_model, ntoken)
    this.init_weights()
  }

  init_weights(): void {
    const initrange = 0.1
    this.embedding.weight.data.uniform_(-initrange, initrange)
    ;(this.linear.bias as Tensor).data.zero_()
    this.linear.weight.data.uniform_(-initrange, initrange)
  }

  forward(src: Tensor, src_mask: Tensor | null = null): Tensor {
    src = this.embedding.call(src).mul(Math.sqrt(this.d_model))
    src = this.pos_encoder.call(src)
    if (src_mask === null) src_mask = nn.Transformer.generate_square_subsequent_mask(src.__len__()).to(device)
    let output = this.transformer_encoder.call(src, src_mask)
    output = this.linear.call(output)
    return output
  }
}

const batchify = (data: Tensor, bsz: number): Tensor => {
  const seq_len = Math.floor(data.size(0) / bsz)
  data = data.index(`:${seq_len * bsz}`)
  data = data.view(bsz, seq_len).t().contiguous()
  return data.to(device)
}

describe('Language Modeling with nn.Transformer tutorial', () => {
  it('builds the causal mask', () => {
    const mask = nn.Transformer.generate_square_subsequent_mask(3)
    expect(mask.tolist()).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ])
  })

  it('trains and evaluates as PyTorch does', () => {
    torch.manual_seed(0)
    const ntokens = 20
    const train_data = batchify(torch.randint(ntokens, [62]), 4)
    const val_data = batchify(torch.randint(ntokens, [22]), 2)
    const bptt = 5
    const get_batch = (source: Tensor, i: number): [Tensor, Tensor] => {
      const seq_len = Math.min(bptt, source.__len__() - 1 - i)
      const data = source.index(`${i}:${i + seq_len}`)
      const target = source.index(`${i + 1}:${i + 1 + seq_len}`).reshape(-1)
      return [data, target]
    }

    const emsize = 16 // embedding dimension
    const d_hid = 32 // dimension of the feedforward network model in nn.TransformerEncoder
    const nlayers = 2 // number of nn.TransformerEncoderLayer in nn.TransformerEncoder
    const nhead = 2 // number of heads in nn.MultiheadAttention
    const dropout = 0.2 // dropout probability
    const model = new TransformerModel(ntokens, emsize, nhead, d_hid, nlayers, dropout).to(device)

    const criterion = nn.CrossEntropyLoss()
    const lr = 5.0 // learning rate
    const optimizer = torch.optim.SGD(model.parameters(), { lr })
    const scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, { gamma: 0.95 })
    const losses: number[] = []

    const train = (model: TransformerModel): number => {
      model.train() // turn on train mode
      let total_loss = 0.0
      const num_batches = Math.floor(train_data.__len__() / bptt)
      for (let i = 0; i < train_data.size(0) - 1; i += bptt) {
        const [data, targets] = get_batch(train_data, i)
        const output = model.call(data)
        const output_flat = output.view(-1, ntokens)
        const loss = criterion.call(output_flat, targets)

        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()

        total_loss += loss.item()
        losses.push(loss.item())
      }
      return total_loss / num_batches
    }

    const evaluate = (model: TransformerModel, eval_data: Tensor): number => {
      model.eval() // turn on evaluation mode
      let total_loss = 0.0
      torch.no_grad(() => {
        for (let i = 0; i < eval_data.size(0) - 1; i += bptt) {
          const [data, targets] = get_batch(eval_data, i)
          const seq_len = data.size(0)
          const output = model.call(data)
          const output_flat = output.view(-1, ntokens)
          total_loss += seq_len * criterion.call(output_flat, targets).item()
        }
      })
      return total_loss / (eval_data.__len__() - 1)
    }

    const log: number[][] = []
    for (let epoch = 1; epoch < 3; epoch++) {
      const train_loss = train(model)
      const val_loss = evaluate(model, val_data)
      log.push([train_loss, val_loss, scheduler.get_last_lr()[0] as number])
      scheduler.step()
    }
    expectClose(losses, fixture.losses, 1e-5, 1e-5)
    expectClose(log, fixture.log, 1e-5, 1e-5)
    expectClose(summary(model), fixture.summary, 1e-4, 1e-4)
  })
})
