import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/annotated_transformer.json'
import { expectClose, summary } from './portHelpers'

// The Annotated Transformer's training pieces ported line by line (twin:
// test/torch/fixtures/ports/annotated_transformer.py): clones through copy.deepcopy, the
// hand-written LayerNorm, attention with masked_fill(mask == 0, -1e9), MultiHeadedAttention,
// subsequent_mask via triu(...).type(torch.uint8) == 0, LabelSmoothing on KLDivLoss(reduction
// 'sum'), the Noam rate through LambdaLR, the copy task with dropout 0.1 on, greedy_decode.
const { nn } = torch
const copy = torch.copy
type T = torch.Tensor

const clones = <M extends torch.nn.Module>(module: M, N: number): torch.nn.ModuleList =>
  nn.ModuleList(Array.from({ length: N }, () => copy.deepcopy(module)))

class LayerNorm extends nn.Module {
  a_2: torch.nn.Parameter
  b_2: torch.nn.Parameter
  constructor(
    features: number,
    public eps = 1e-6,
  ) {
    super()
    this.a_2 = nn.Parameter(torch.ones(features))
    this.b_2 = nn.Parameter(torch.zeros(features))
  }
  forward(x: T): T {
    const mean = x.mean(-1, { keepdim: true })
    const std = x.std(-1, { keepdim: true })
    return this.a_2.mul(x.sub(mean)).div(std.add(this.eps)).add(this.b_2)
  }
}

class SublayerConnection extends nn.Module {
  norm: LayerNorm
  dropout: torch.nn.Dropout
  constructor(size: number, dropout: number) {
    super()
    this.norm = new LayerNorm(size)
    this.dropout = nn.Dropout(dropout)
  }
  forward(x: T, sublayer: (x: T) => T): T {
    return x.add(this.dropout.call(sublayer(this.norm.call(x))))
  }
}

class Encoder extends nn.Module {
  layers: torch.nn.ModuleList
  norm: LayerNorm
  constructor(layer: EncoderLayer, N: number) {
    super()
    this.layers = clones(layer, N)
    this.norm = new LayerNorm(layer.size)
  }
  forward(x: T, mask: T): T {
    for (const layer of this.layers) x = (layer as EncoderLayer).call(x, mask) as T
    return this.norm.call(x)
  }
}

class EncoderLayer extends nn.Module {
  sublayer: torch.nn.ModuleList
  constructor(
    public size: number,
    public self_attn: MultiHeadedAttention,
    public feed_forward: PositionwiseFeedForward,
    dropout: number,
  ) {
    super()
    this.sublayer = clones(new SublayerConnection(size, dropout), 2)
  }
  forward(x: T, mask: T): T {
    x = (this.sublayer.at(0) as SublayerConnection).call(x, (x: T) => this.self_attn.call(x, x, x, mask)) as T
    return (this.sublayer.at(1) as SublayerConnection).call(x, (y: T) => this.feed_forward.call(y)) as T
  }
}

class Decoder extends nn.Module {
  layers: torch.nn.ModuleList
  norm: LayerNorm
  constructor(layer: DecoderLayer, N: number) {
    super()
    this.layers = clones(layer, N)
    this.norm = new LayerNorm(layer.size)
  }
  forward(x: T, memory: T, src_mask: T, tgt_mask: T): T {
    for (const layer of this.layers) x = (layer as DecoderLayer).call(x, memory, src_mask, tgt_mask) as T
    return this.norm.call(x)
  }
}

class DecoderLayer extends nn.Module {
  sublayer: torch.nn.ModuleList
  constructor(
    public size: number,
    public self_attn: MultiHeadedAttention,
    public src_attn: MultiHeadedAttention,
    public feed_forward: PositionwiseFeedForward,
    dropout: number,
  ) {
    super()
    this.sublayer = clones(new SublayerConnection(size, dropout), 3)
  }
  forward(x: T, memory: T, src_mask: T, tgt_mask: T): T {
    const m = memory
    x = (this.sublayer.at(0) as SublayerConnection).call(x, (x: T) => this.self_attn.call(x, x, x, tgt_mask)) as T
    x = (this.sublayer.at(1) as SublayerConnection).call(x, (x: T) => this.src_attn.call(x, m, m, src_mask)) as T
    return (this.sublayer.at(2) as SublayerConnection).call(x, (y: T) => this.feed_forward.call(y)) as T
  }
}

const subsequent_mask = (size: number): T => {
  const attn_shape = [1, size, size]
  const mask = torch.triu(torch.ones(attn_shape), { diagonal: 1 }).type(torch.uint8)
  return mask.eq(0)
}

const attention = (query: T, key: T, value: T, mask: T | null, dropout: torch.nn.Dropout | null): [T, T] => {
  const d_k = query.size(-1)
  let scores = torch.matmul(query, key.transpose(-2, -1)).div(Math.sqrt(d_k))
  if (mask !== null) scores = scores.masked_fill(mask.eq(0), -1e9)
  let p_attn = scores.softmax({ dim: -1 })
  if (dropout !== null) p_attn = dropout.call(p_attn)
  return [torch.matmul(p_attn, value), p_attn]
}

class MultiHeadedAttention extends nn.Module {
  d_k: number
  linears: torch.nn.ModuleList
  attn: T | null = null
  dropout: torch.nn.Dropout
  constructor(
    public h: number,
    d_model: number,
    dropout = 0.1,
  ) {
    super()
    if (d_model % h !== 0) throw new Error('d_model % h')
    this.d_k = Math.floor(d_model / h)
    this.linears = clones(nn.Linear(d_model, d_model), 4)
    this.dropout = nn.Dropout({ p: dropout })
  }
  forward(query: T, key: T, value: T, mask: T | null = null): T {
    if (mask !== null) mask = mask.unsqueeze(1)
    const nbatches = query.size(0)
    ;[query, key, value] = [query, key, value].map((x, i) =>
      (this.linears.at(i) as torch.nn.Linear).call(x).view(nbatches, -1, this.h, this.d_k).transpose(1, 2),
    ) as [T, T, T]
    let x: T
    ;[x, this.attn] = attention(query, key, value, mask, this.dropout)
    x = x
      .transpose(1, 2)
      .contiguous()
      .view(nbatches, -1, this.h * this.d_k)
    return (this.linears.at(-1) as torch.nn.Linear).call(x)
  }
}

class PositionwiseFeedForward extends nn.Module {
  w_1: torch.nn.Linear
  w_2: torch.nn.Linear
  dropout: torch.nn.Dropout
  constructor(d_model: number, d_ff: number, dropout = 0.1) {
    super()
    this.w_1 = nn.Linear(d_model, d_ff)
    this.w_2 = nn.Linear(d_ff, d_model)
    this.dropout = nn.Dropout(dropout)
  }
  forward(x: T): T {
    return this.w_2.call(this.dropout.call(this.w_1.call(x).relu()))
  }
}

class Embeddings extends nn.Module {
  lut: torch.nn.Embedding
  constructor(
    public d_model: number,
    vocab: number,
  ) {
    super()
    this.lut = nn.Embedding(vocab, d_model)
  }
  forward(x: T): T {
    return this.lut.call(x).mul(Math.sqrt(this.d_model))
  }
}

class PositionalEncoding extends nn.Module {
  dropout: torch.nn.Dropout
  declare pe: T
  constructor(d_model: number, dropout: number, max_len = 5000) {
    super()
    this.dropout = nn.Dropout({ p: dropout })
    let pe = torch.zeros(max_len, d_model)
    const position = torch.arange(0, max_len).unsqueeze(1)
    const div_term = torch.exp(torch.arange(0, d_model, 2).mul(-(Math.log(10000.0) / d_model)))
    pe.set(':', '0::2', torch.sin(position.mul(div_term)))
    pe.set(':', '1::2', torch.cos(position.mul(div_term)))
    pe = pe.unsqueeze(0)
    this.register_buffer('pe', pe)
  }
  forward(x: T): T {
    x = x.add(this.pe.index(':', `:${x.size(1)}`).requires_grad_(false))
    return this.dropout.call(x)
  }
}

class Generator extends nn.Module {
  proj: torch.nn.Linear
  constructor(d_model: number, vocab: number) {
    super()
    this.proj = nn.Linear(d_model, vocab)
  }
  forward(x: T): T {
    return torch.nn.functional.log_softmax(this.proj.call(x), { dim: -1 })
  }
}

class EncoderDecoder extends nn.Module {
  constructor(
    public encoder: Encoder,
    public decoder: Decoder,
    public src_embed: torch.nn.Sequential,
    public tgt_embed: torch.nn.Sequential,
    public generator: Generator,
  ) {
    super()
  }
  forward(src: T, tgt: T, src_mask: T, tgt_mask: T): T {
    return this.decode(this.encode(src, src_mask), src_mask, tgt, tgt_mask)
  }
  encode(src: T, src_mask: T): T {
    return this.encoder.call(this.src_embed.call(src), src_mask)
  }
  decode(memory: T, src_mask: T, tgt: T, tgt_mask: T): T {
    return this.decoder.call(this.tgt_embed.call(tgt), memory, src_mask, tgt_mask)
  }
}

const make_model = (src_vocab: number, tgt_vocab: number, N = 6, d_model = 512, d_ff = 2048, h = 8, dropout = 0.1) => {
  const c = copy.deepcopy
  const attn = new MultiHeadedAttention(h, d_model)
  const ff = new PositionwiseFeedForward(d_model, d_ff, dropout)
  const position = new PositionalEncoding(d_model, dropout, 64)
  const model = new EncoderDecoder(
    new Encoder(new EncoderLayer(d_model, c(attn), c(ff), dropout), N),
    new Decoder(new DecoderLayer(d_model, c(attn), c(attn), c(ff), dropout), N),
    nn.Sequential(new Embeddings(d_model, src_vocab), c(position)),
    nn.Sequential(new Embeddings(d_model, tgt_vocab), c(position)),
    new Generator(d_model, tgt_vocab),
  )
  for (const p of model.parameters()) if (p.dim() > 1) nn.init.xavier_uniform_(p)
  return model
}

class Batch {
  src_mask: T
  tgt!: T
  tgt_y!: T
  tgt_mask!: T
  ntokens!: T
  constructor(
    public src: T,
    tgt: T | null = null,
    pad = 2,
  ) {
    this.src_mask = src.ne(pad).unsqueeze(-2)
    if (tgt !== null) {
      this.tgt = tgt.index(':', ':-1')
      this.tgt_y = tgt.index(':', '1:')
      this.tgt_mask = Batch.make_std_mask(this.tgt, pad)
      this.ntokens = this.tgt_y.ne(pad).data.sum()
    }
  }
  static make_std_mask(tgt: T, pad: number): T {
    const tgt_mask = tgt.ne(pad).unsqueeze(-2)
    return tgt_mask.__and__(subsequent_mask(tgt.size(-1)).type_as(tgt_mask.data))
  }
}

const rate = (step: number, model_size: number, factor: number, warmup: number): number => {
  if (step === 0) step = 1
  return factor * (model_size ** -0.5 * Math.min(step ** -0.5, step * warmup ** -1.5))
}

class LabelSmoothing extends nn.Module {
  criterion = nn.KLDivLoss({ reduction: 'sum' })
  confidence: number
  true_dist: T | null = null
  constructor(
    public size: number,
    public padding_idx: number,
    public smoothing = 0.0,
  ) {
    super()
    this.confidence = 1.0 - smoothing
  }
  forward(x: T, target: T): T {
    if (x.size(1) !== this.size) throw new Error('size')
    const true_dist = x.data.clone()
    true_dist.fill_(this.smoothing / (this.size - 2))
    true_dist.scatter_(1, target.data.unsqueeze(1), this.confidence)
    true_dist.set(':', this.padding_idx, 0)
    const mask = torch.nonzero(target.data.eq(this.padding_idx))
    if (mask.dim() > 0) true_dist.index_fill_(0, mask.squeeze(), 0.0)
    this.true_dist = true_dist
    return this.criterion.call(x, true_dist.clone().detach())
  }
}

function* data_gen(V: number, batch_size: number, nbatches: number): IterableIterator<Batch> {
  for (let i = 0; i < nbatches; i++) {
    const data = torch.randint(1, V, { size: [batch_size, 10] })
    data.set(':', 0, 1)
    const src = data.requires_grad_(false).clone().detach()
    const tgt = data.requires_grad_(false).clone().detach()
    yield new Batch(src, tgt, 0)
  }
}

class SimpleLossCompute {
  constructor(
    public generator: Generator,
    public criterion: LabelSmoothing,
  ) {}
  call(x: T, y: T, norm: T): [T, T] {
    x = this.generator.call(x)
    const sloss = this.criterion.call(x.contiguous().view(-1, x.size(-1)), y.contiguous().view(-1)).div(norm)
    return [sloss.data.mul(norm), sloss]
  }
}

const greedy_decode = (model: EncoderDecoder, src: T, src_mask: T, max_len: number, start_symbol: number): T => {
  const memory = model.encode(src, src_mask)
  let ys = torch.zeros(1, 1).fill_(start_symbol).type_as(src.data)
  for (let i = 0; i < max_len - 1; i++) {
    const out = model.decode(memory, src_mask, ys, subsequent_mask(ys.size(1)).type_as(src.data))
    const prob = model.generator.call(out.index(':', -1))
    const [, next_word0] = torch.max(prob, { dim: 1 }) as [T, T]
    const next_word = next_word0.data.index(0)
    ys = torch.cat([ys, torch.zeros(1, 1).type_as(src.data).fill_(next_word)], { dim: 1 })
  }
  return ys
}

describe('The Annotated Transformer (copy task)', () => {
  it('trains as PyTorch does', () => {
    torch.manual_seed(0)
    const crit = new LabelSmoothing(5, 0, 0.4)
    const row = [0.1, 0.2, 0.5, 0.1, 0.1]
    const predict = torch.FloatTensor([row, row, row])
    const smooth_loss = crit.call(predict.log(), torch.LongTensor([2, 1, 0])) as T
    expectClose(smooth_loss.item(), fixture.smooth_loss, 1e-6, 0)
    expectClose(crit.true_dist!.tolist(), fixture.smooth_dist, 1e-7, 0)
    expect(subsequent_mask(3).tolist()).toEqual(fixture.mask3)

    const V = 11
    const criterion = new LabelSmoothing(V, 0, 0.0)
    const model = make_model(V, V, 2, 32, 64, 4)
    const optimizer = torch.optim.Adam(model.parameters(), { lr: 0.5, betas: [0.9, 0.98], eps: 1e-9 })
    const lr_scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, {
      lr_lambda: (step: number) => rate(step, 32, 1.0, 40),
    })
    const losses: number[] = []
    const lrs: number[] = []
    for (let epoch = 0; epoch < 2; epoch++) {
      model.train()
      for (const batch of data_gen(V, 8, 4)) {
        const out = model.forward(batch.src, batch.tgt, batch.src_mask, batch.tgt_mask)
        const [loss, loss_node] = new SimpleLossCompute(model.generator, criterion).call(
          out,
          batch.tgt_y,
          batch.ntokens,
        )
        loss_node.backward()
        optimizer.step()
        optimizer.zero_grad({ set_to_none: true })
        lr_scheduler.step()
        losses.push(loss.div(batch.ntokens).item() as number)
        lrs.push(optimizer.param_groups[0]!.lr as number)
      }
    }
    model.eval()
    const src = torch.LongTensor([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]])
    const max_len = src.shape[1]!
    const src_mask = torch.ones(1, 1, max_len)
    const decoded = greedy_decode(model, src, src_mask, max_len, 1)
    expectClose(losses, fixture.losses, 1e-4, 0)
    expectClose(lrs, fixture.lrs, 1e-12, 0)
    expect(decoded.tolist()).toEqual(fixture.decoded)
    const layer = model.decoder.layers.at(1) as DecoderLayer
    expectClose(layer.src_attn.attn!.index(0, 0, -1).tolist(), fixture.attn, 1e-4, 1e-6)
    // The key projection's bias shifts every score of a query row alike, so softmax cancels it: its
    // gradient is rounding noise, which Adam (eps 1e-9) scales up to full steps. Compared loosely.
    const keyBias = (k: string): boolean => /attn\.linears\.1\.bias$/.test(k)
    const params = Object.entries(summary(model))
    const want = fixture.params as Record<string, number[]>
    for (const [k, v] of params) expectClose(v, want[k], keyBias(k) ? 0 : 1e-4, keyBias(k) ? 5e-2 : 1e-4, k)
    expect(params.map(([k]) => k).sort()).toEqual(Object.keys(want).sort())
  })
})
