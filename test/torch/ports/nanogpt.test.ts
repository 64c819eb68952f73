import { describe, it, expect } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/nanogpt.json'
import { expectClose, summary } from './portHelpers'

// Karpathy's nanoGPT model.py and train.py's step, ported line by line (twin:
// test/torch/fixtures/ports/nanogpt.py): tied wte/lm_head, _init_weights through apply, AdamW
// decay/no-decay groups, cosine lr with warmup written into param_groups, gradient accumulation,
// GradScaler(enabled=False), clip_grad_norm_, generate with top_k and multinomial.
const { nn } = torch
const F = torch.nn.functional

interface GPTConfig {
  block_size: number
  vocab_size: number
  n_layer: number
  n_head: number
  n_embd: number
  dropout: number
  bias: boolean
  flash: boolean
}

class LayerNorm extends nn.Module {
  weight: torch.nn.Parameter
  bias: torch.nn.Parameter | null

  constructor(ndim: number, bias: boolean) {
    super()
    this.weight = nn.Parameter(torch.ones(ndim))
    this.bias = bias ? nn.Parameter(torch.zeros(ndim)) : null
  }

  forward(input: torch.Tensor): torch.Tensor {
    return F.layer_norm(input, this.weight.shape, this.weight, this.bias, 1e-5)
  }
}

class CausalSelfAttention extends nn.Module {
  c_attn: torch.nn.Linear
  c_proj: torch.nn.Linear
  attn_dropout: torch.nn.Dropout
  resid_dropout: torch.nn.Dropout
  n_head: number
  n_embd: number
  dropout: number
  flash: boolean
  declare bias: torch.Tensor

  constructor(config: GPTConfig) {
    super()
    if (config.n_embd % config.n_head !== 0) throw new Error('n_embd % n_head')
    this.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, { bias: config.bias })
    this.c_proj = nn.Linear(config.n_embd, config.n_embd, { bias: config.bias })
    this.attn_dropout = nn.Dropout(config.dropout)
    this.resid_dropout = nn.Dropout(config.dropout)
    this.n_head = config.n_head
    this.n_embd = config.n_embd
    this.dropout = config.dropout
    this.flash = config.flash && 'scaled_dot_product_attention' in torch.nn.functional
    if (!this.flash) {
      this.register_buffer(
        'bias',
        torch.tril(torch.ones(config.block_size, config.block_size)).view(1, 1, config.block_size, config.block_size),
      )
    }
  }

  forward(x: torch.Tensor): torch.Tensor {
    const [B, T, C] = x.size() as unknown as [number, number, number]
    let [q, k, v] = this.c_attn.call(x).split(this.n_embd, { dim: 2 }) as [torch.Tensor, torch.Tensor, torch.Tensor]
    k = k.view(B, T, this.n_head, Math.floor(C / this.n_head)).transpose(1, 2)
    q = q.view(B, T, this.n_head, Math.floor(C / this.n_head)).transpose(1, 2)
    v = v.view(B, T, this.n_head, Math.floor(C / this.n_head)).transpose(1, 2)
    let y: torch.Tensor
    if (this.flash) {
      y = F.scaled_dot_product_attention(q, k, v, {
        attn_mask: null,
        dropout_p: this.training ? this.dropout : 0,
        is_causal: true,
      })
    } else {
      let att = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(k.size(-1)))
      att = att.masked_fill(this.bias.index(':', ':', `:${T}`, `:${T}`).eq(0), -Infinity)
      att = F.softmax(att, { dim: -1 })
      att = this.attn_dropout.call(att)
      y = att.matmul(v)
    }
    y = y.transpose(1, 2).contiguous().view(B, T, C)
    y = this.resid_dropout.call(this.c_proj.call(y))
    return y
  }
}

class MLP extends nn.Module {
  c_fc: torch.nn.Linear
  gelu = nn.GELU()
  c_proj: torch.nn.Linear
  dropout: torch.nn.Dropout

  constructor(config: GPTConfig) {
    super()
    this.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, { bias: config.bias })
    this.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, { bias: config.bias })
    this.dropout = nn.Dropout(config.dropout)
  }

  forward(x: torch.Tensor): torch.Tensor {
    x = this.c_fc.call(x)
    x = this.gelu.call(x)
    x = this.c_proj.call(x)
    x = this.dropout.call(x)
    return x
  }
}

class Block extends nn.Module {
  ln_1: LayerNorm
  attn: CausalSelfAttention
  ln_2: LayerNorm
  mlp: MLP

  constructor(config: GPTConfig) {
    super()
    this.ln_1 = new LayerNorm(config.n_embd, config.bias)
    this.attn = new CausalSelfAttention(config)
    this.ln_2 = new LayerNorm(config.n_embd, config.bias)
    this.mlp = new MLP(config)
  }

  forward(x: torch.Tensor): torch.Tensor {
    x = x.add(this.attn.call(this.ln_1.call(x)))
    x = x.add(this.mlp.call(this.ln_2.call(x)))
    return x
  }
}

class GPT extends nn.Module {
  config: GPTConfig
  transformer: torch.nn.ModuleDict<{
    wte: torch.nn.Embedding
    wpe: torch.nn.Embedding
    drop: torch.nn.Dropout
    h: torch.nn.ModuleList<Block>
    ln_f: LayerNorm
  }>
  lm_head: torch.nn.Linear

  constructor(config: GPTConfig) {
    super()
    this.config = config
    this.transformer = nn.ModuleDict({
      wte: nn.Embedding(config.vocab_size, config.n_embd),
      wpe: nn.Embedding(config.block_size, config.n_embd),
      drop: nn.Dropout(config.dropout),
      h: nn.ModuleList(Array.from({ length: config.n_layer }, () => new Block(config))),
      ln_f: new LayerNorm(config.n_embd, config.bias),
    })
    this.lm_head = nn.Linear(config.n_embd, config.vocab_size, { bias: false })
    this.transformer.wte.weight = this.lm_head.weight
    this.apply((m) => this._init_weights(m))
    for (const [pn, p] of this.named_parameters()) {
      if (pn.endsWith('c_proj.weight'))
        torch.nn.init.normal_(p, { mean: 0.0, std: 0.02 / Math.sqrt(2 * config.n_layer) })
    }
  }

  get_num_params(non_embedding = true): number {
    let n_params = 0
    for (const p of this.parameters()) n_params += p.numel()
    if (non_embedding) n_params -= this.transformer.wpe.weight.numel()
    return n_params
  }

  _init_weights(module: torch.nn.Module): void {
    if (module instanceof nn.Linear) {
      torch.nn.init.normal_(module.weight, { mean: 0.0, std: 0.02 })
      if (module.bias !== null) torch.nn.init.zeros_(module.bias)
    } else if (module instanceof nn.Embedding) {
      torch.nn.init.normal_(module.weight, { mean: 0.0, std: 0.02 })
    }
  }

  forward(idx: torch.Tensor, targets: torch.Tensor | null = null): [torch.Tensor, torch.Tensor | null] {
    const device = idx.device
    const [, t] = idx.size() as unknown as [number, number]
    if (t > this.config.block_size) throw new Error('sequence too long')
    const pos = torch.arange(0, t, { dtype: torch.long, device })
    const tok_emb = this.transformer.wte.call(idx)
    const pos_emb = this.transformer.wpe.call(pos)
    let x = this.transformer.drop.call(tok_emb.add(pos_emb))
    for (const block of this.transformer.h) x = block.call(x)
    x = this.transformer.ln_f.call(x)
    let logits: torch.Tensor
    let loss: torch.Tensor | null
    if (targets !== null) {
      logits = this.lm_head.call(x)
      loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), { ignore_index: -1 })
    } else {
      logits = this.lm_head.call(x.index(':', [-1], ':'))
      loss = null
    }
    return [logits, loss]
  }

  configure_optimizers(
    weight_decay: number,
    learning_rate: number,
    betas: [number, number],
  ): [torch.optim.Optimizer, number[]] {
    let param_dict = Object.fromEntries(this.named_parameters())
    param_dict = Object.fromEntries(Object.entries(param_dict).filter(([, p]) => p.requires_grad))
    const decay_params = Object.values(param_dict).filter((p) => p.dim() >= 2)
    const nodecay_params = Object.values(param_dict).filter((p) => p.dim() < 2)
    const optim_groups = [
      { params: decay_params, weight_decay },
      { params: nodecay_params, weight_decay: 0.0 },
    ]
    const num_decay_params = decay_params.reduce((s, p) => s + p.numel(), 0)
    const num_nodecay_params = nodecay_params.reduce((s, p) => s + p.numel(), 0)
    const optimizer = torch.optim.AdamW(optim_groups, { lr: learning_rate, betas })
    return [optimizer, [num_decay_params, num_nodecay_params]]
  }

  generate(idx: torch.Tensor, max_new_tokens: number, temperature = 1.0, top_k: number | null = null): torch.Tensor {
    return torch.no_grad(() => {
      for (let i = 0; i < max_new_tokens; i++) {
        const idx_cond = idx.size(1) <= this.config.block_size ? idx : idx.index(':', `${-this.config.block_size}:`)
        let [logits] = (this as GPT).call(idx_cond)
        logits = logits.index(':', -1, ':').div(temperature)
        if (top_k !== null) {
          const [v] = torch.topk(logits, Math.min(top_k, logits.size(-1))) as [torch.Tensor, torch.Tensor]
          logits.set(logits.lt(v.index(':', [-1])), -Infinity)
        }
        const probs = F.softmax(logits, { dim: -1 })
        const idx_next = torch.multinomial(probs, { num_samples: 1 })
        idx = torch.cat([idx, idx_next], { dim: 1 })
      }
      return idx
    })
  }
}

// train.py, in the small
const [learning_rate, warmup_iters, lr_decay_iters, min_lr] = [6e-3, 2, 6, 6e-4]
const [gradient_accumulation_steps, batch_size, block_size, grad_clip] = [2, 3, 8, 1.0]

const get_lr = (it: number): number => {
  if (it < warmup_iters) return (learning_rate * (it + 1)) / (warmup_iters + 1)
  if (it > lr_decay_iters) return min_lr
  const decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
  const coeff = 0.5 * (1.0 + Math.cos(Math.PI * decay_ratio))
  return min_lr + coeff * (learning_rate - min_lr)
}

const train = (flash: boolean) => {
  torch.manual_seed(1337)
  const data = torch.randint(0, 11, [200])
  const get_batch = (): [torch.Tensor, torch.Tensor] => {
    const ix = torch.randint(data.size(0) - block_size, [batch_size])
    const x = torch.stack(
      (ix.tolist() as number[]).map((i) => data.index(torch.slice(i, i + block_size)).to(torch.int64)),
    )
    const y = torch.stack(
      (ix.tolist() as number[]).map((i) => data.index(torch.slice(i + 1, i + 1 + block_size)).to(torch.int64)),
    )
    return [x, y]
  }
  const config: GPTConfig = {
    block_size: 8,
    vocab_size: 11,
    n_layer: 2,
    n_head: 2,
    n_embd: 16,
    dropout: 0.0,
    bias: true,
    flash,
  }
  const model = new GPT(config)
  const n_params = model.get_num_params()
  const scaler = torch.cuda.amp.GradScaler({ enabled: false })
  const [optimizer, counts] = model.configure_optimizers(0.1, learning_rate, [0.9, 0.95])
  let [X, Y] = get_batch()
  const [losses, lrs, norms]: [number[], number[], number[]] = [[], [], []]
  for (let iter_num = 0; iter_num < 8; iter_num++) {
    const lr = get_lr(iter_num)
    for (const param_group of optimizer.param_groups) param_group['lr'] = lr
    let loss: torch.Tensor | null = null
    for (let micro_step = 0; micro_step < gradient_accumulation_steps; micro_step++) {
      ;[, loss] = model.call(X, Y)
      loss = loss!.div(gradient_accumulation_steps)
      ;[X, Y] = get_batch()
      scaler.scale(loss).backward()
    }
    scaler.unscale_(optimizer)
    norms.push(torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip).item() as number)
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad({ set_to_none: true })
    losses.push((loss!.item() as number) * gradient_accumulation_steps)
    lrs.push(lr)
  }
  model.eval()
  const gen = model.generate(torch.zeros([2, 1], { dtype: torch.long }), 10, 0.8, 5)
  const [logits] = model.call(X)
  return { model, n_params, counts, losses, lrs, norms, gen, logits }
}

describe("Karpathy's nanoGPT (model.py + a train.py step)", () => {
  it('trains and samples as PyTorch does (manual causal attention)', () => {
    const r = train(false)
    expect(r.n_params).toBe(fixture.n_params)
    expect(r.counts).toEqual(fixture.counts)
    expectClose(r.losses, fixture.losses, 1e-5, 1e-6)
    expectClose(r.lrs, fixture.lrs, 1e-15, 0)
    expectClose(r.norms, fixture.norms, 1e-4, 1e-6)
    expect(r.gen.tolist()).toEqual(fixture.generated)
    expectClose(r.logits.index(0, 0).tolist(), fixture.logits, 1e-4, 1e-5)
    expect(r.model.transformer.wte.weight === r.model.lm_head.weight).toBe(fixture.tied)
    expectClose(summary(r.model), fixture.params, 1e-4, 1e-5)
  })

  it('gives the same numbers through F.scaled_dot_product_attention(is_causal=True)', () => {
    const r = train(true)
    expect(r.model.transformer.h[0]!.attn.flash).toBe(true)
    expectClose(r.losses, fixture.losses, 1e-5, 1e-6)
    expectClose(r.norms, fixture.norms, 1e-4, 1e-6)
    expectClose(summary(r.model), fixture.params, 1e-4, 1e-5)
  })
})
