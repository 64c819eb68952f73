/**
 * PyTorch's word-language-model example (`examples/word_language_model/model.py`, BSD licence)
 * ported to the facade: RNNModel = Embedding → RNN/LSTM/GRU → Dropout → Linear decoder, with
 * optional weight tying, and the training step of its main.py (truncated BPTT with the hidden
 * state detached between batches, gradient clipping, plain SGD by hand).
 *
 * Its PyTorch twin is train.py beside it; test/examples/word_language_model.test.ts checks that
 * both give the same loss for every batch.
 */
import * as torch from 'wengert/torch'
const { nn } = torch
const F = nn.functional

type Tensor = torch.Tensor
export type RNNType = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU'
export type Hidden = Tensor | [Tensor, Tensor]

/** Container module with an encoder, a recurrent module, and a decoder. */
export class RNNModel extends nn.Module {
  ntoken: number
  drop: torch.nn.Dropout
  encoder: torch.nn.Embedding
  rnn: torch.nn.LSTM | torch.nn.GRU | torch.nn.RNN
  decoder: torch.nn.Linear
  rnn_type: RNNType
  nhid: number
  nlayers: number

  constructor(
    rnn_type: RNNType,
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
    if (rnn_type === 'LSTM') this.rnn = nn.LSTM(ninp, nhid, nlayers, { dropout })
    else if (rnn_type === 'GRU') this.rnn = nn.GRU(ninp, nhid, nlayers, { dropout })
    else this.rnn = nn.RNN(ninp, nhid, nlayers, { nonlinearity: rnn_type === 'RNN_TANH' ? 'tanh' : 'relu', dropout })
    this.decoder = nn.Linear(nhid, ntoken)

    // Optionally tie weights as in "Using the Output Embedding to Improve Language Models"
    // (Press & Wolf 2016, https://arxiv.org/abs/1608.05859)
    if (tie_weights) {
      if (nhid !== ninp) throw new RangeError('When using the tied flag, nhid must be equal to emsize')
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
    if (this.decoder.bias !== null) nn.init.zeros_(this.decoder.bias)
    nn.init.uniform_(this.decoder.weight, -initrange, initrange)
  }

  /** Log-probabilities of the next token for every position (`[seq·batch, ntoken]`) and the new hidden state. */
  forward(input: Tensor, hidden: Hidden): [Tensor, Hidden] {
    const emb = this.drop.call(this.encoder.call(input))
    let output: Tensor
    if (this.rnn instanceof nn.LSTM) [output, hidden] = this.rnn.call(emb, hidden as [Tensor, Tensor])
    else [output, hidden] = (this.rnn as torch.nn.GRU).call(emb, hidden as Tensor)
    output = this.drop.call(output)
    const decoded = this.decoder.call(output).view(-1, this.ntoken)
    return [F.log_softmax(decoded, 1), hidden]
  }

  /** Zero initial states (`[nlayers, bsz, nhid]`; a pair for the LSTM). */
  init_hidden(bsz: number): Hidden {
    const weight = this.parameters().next().value as torch.nn.Parameter
    const zeros = (): Tensor => weight.new_zeros([this.nlayers, bsz, this.nhid])
    return this.rnn_type === 'LSTM' ? [zeros(), zeros()] : zeros()
  }
}

/** Wraps hidden states in new Tensors, to detach them from their history (main.py's repackage_hidden). */
export const repackage_hidden = (h: Hidden): Hidden => (Array.isArray(h) ? [h[0].detach(), h[1].detach()] : h.detach())

/** Arranges a 1-d token stream into `bsz` columns, dropping the remainder (main.py's batchify). */
export const batchify = (data: Tensor, bsz: number): Tensor => {
  const nbatch = Math.floor(data.shape[0]! / bsz)
  return data
    .narrow(0, 0, nbatch * bsz)
    .view(bsz, -1)
    .t()
    .contiguous()
}

/** Rows `i … i+bptt` as input and the rows one later as flattened targets (main.py's get_batch). */
export const get_batch = (source: Tensor, i: number, bptt: number): [Tensor, Tensor] => {
  const seq_len = Math.min(bptt, source.shape[0]! - 1 - i)
  return [source.narrow(0, i, seq_len), source.narrow(0, i + 1, seq_len).reshape(-1)]
}
