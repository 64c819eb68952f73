/**
 * nanoGPT's `model.py` (Andrej Karpathy, MIT licence) ported line by line to the facade: LayerNorm
 * with an optional bias, CausalSelfAttention through F.scaled_dot_product_attention(is_causal),
 * the GELU MLP, Block, and GPT with the token embedding tied to lm_head, `_init_weights`, the
 * scaled init of the residual projections and `configure_optimizers` (AdamW with decay and
 * no-decay parameter groups). `generate` and `from_pretrained` are left out.
 *
 * Its PyTorch twin (the same model and training loop) is train.py beside it;
 * test/examples/nanogpt.test.ts checks that both give the same loss at every step.
 */
import * as torch from 'wengert/torch'
const { nn } = torch
const F = nn.functional

type Tensor = torch.Tensor

/** LayerNorm but with an optional bias. PyTorch's LayerNorm had no `bias=False` option when nanoGPT was written. */
export class LayerNorm extends nn.Module {
  weight: torch.nn.Parameter
  bias: torch.nn.Parameter | null
  constructor(ndim: number, bias: boolean) {
    super()
    this.weight = new nn.Parameter(torch.ones(ndim))
    this.bias = bias ? new nn.Parameter(torch.zeros(ndim)) : null
  }
  forward(input: Tensor): Tensor {
    return F.layer_norm(input, [...this.weight.shape], this.weight, this.bias, 1e-5)
  }
}

/** The model's hyperparameters (nanoGPT's GPTConfig). */
export interface GPTConfig {
  block_size: number
  vocab_size: number
  n_layer: number
  n_head: number
  n_embd: number
  dropout: number
  /** True: bias in Linears and LayerNorms, like GPT-2. False: a bit better and faster. */
  bias: boolean
}

export const defaultConfig: GPTConfig = {
  block_size: 1024,
  vocab_size: 50304,
  n_layer: 12,
  n_head: 12,
  n_embd: 768,
  dropout: 0.0,
  bias: true,
}

export class CausalSelfAttention extends nn.Module {
  c_attn: torch.nn.Linear
  c_proj: torch.nn.Linear
  attn_dropout: torch.nn.Dropout
  resid_dropout: torch.nn.Dropout
  n_head: number
  n_embd: number
  dropout: number
  constructor(config: GPTConfig) {
    super()
    if (config.n_embd % config.n_head !== 0) throw new RangeError('n_embd must be divisible by n_head')
    // key, query, value projections for all heads, but in a batch
    this.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, { bias: config.bias })
    // output projection
    this.c_proj = nn.Linear(config.n_embd, config.n_embd, { bias: config.bias })
    // regularization
    this.attn_dropout = nn.Dropout(config.dropout)
    this.resid_dropout = nn.Dropout(config.dropout)
    this.n_head = config.n_head
    this.n_embd = config.n_embd
    this.dropout = config.dropout
  }

  forward(x: Tensor): Tensor {
    const [B, T, C] = [...x.shape] as [number, number, number] // batch size, sequence length, embedding dimensionality (n_embd)
    // calculate query, key, values for all heads in batch and move head forward to be the batch dim
    const [q, k, v] = this.c_attn
      .call(x)
      .split(this.n_embd, 2)
      .map((t) => t.view(B, T, this.n_head, C / this.n_head).transpose(1, 2)) as [Tensor, Tensor, Tensor] // (B, nh, T, hs)
    // causal self-attention; Self-attend: (B, nh, T, hs) x (B, nh, hs, T) -> (B, nh, T, T)
    let y = F.scaled_dot_product_attention(q, k, v, {
      attn_mask: null,
      dropout_p: this.training ? this.dropout : 0,
      is_causal: true,
    })
    y = y.transpose(1, 2).contiguous().view(B, T, C) // re-assemble all head outputs side by side
    // output projection
    return this.resid_dropout.call(this.c_proj.call(y))
  }
}

export class MLP extends nn.Module {
  c_fc: torch.nn.Linear
  gelu: torch.nn.GELU
  c_proj: torch.nn.Linear
  dropout: torch.nn.Dropout
  constructor(config: GPTConfig) {
    super()
    this.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, { bias: config.bias })
    this.gelu = nn.GELU()
    this.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, { bias: config.bias })
    this.dropout = nn.Dropout(config.dropout)
  }
  forward(x: Tensor): Tensor {
    x = this.c_fc.call(x)
    x = this.gelu.call(x)
    x = this.c_proj.call(x)
    return this.dropout.call(x)
  }
}

export class Block extends nn.Module {
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
  forward(x: Tensor): Tensor {
    x = x.add(this.attn.call(this.ln_1.call(x)))
    return x.add(this.mlp.call(this.ln_2.call(x)))
  }
}

export class GPT extends nn.Module {
  config: GPTConfig
  transformer: torch.nn.Module & {
    wte: torch.nn.Embedding
    wpe: torch.nn.Embedding
    drop: torch.nn.Dropout
    h: torch.nn.ModuleList<Block>
    ln_f: LayerNorm
  }
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
    // with weight tying when using torch.compile() some warnings get generated:
    // "UserWarning: functional_call was passed multiple values for tied weights."
    this.transformer.wte.weight = this.lm_head.weight // https://paperswithcode.com/method/weight-tying

    // init all weights
    this.apply((m) => this._init_weights(m))
    // apply special scaled init to the residual projections, per GPT-2 paper
    for (const [pn, p] of this.named_parameters())
      if (pn.endsWith('c_proj.weight')) nn.init.normal_(p, 0.0, 0.02 / Math.sqrt(2 * config.n_layer))
  }

  /** The number of parameters; the position embeddings are left out with `non_embedding` (default). */
  get_num_params(non_embedding = true): number {
    let n = [...this.parameters()].reduce((s, p) => s + p.numel(), 0)
    if (non_embedding) n -= this.transformer.wpe.weight.numel()
    return n
  }

  _init_weights(module: torch.nn.Module): void {
    if (module instanceof nn.Linear) {
      nn.init.normal_(module.weight, 0.0, 0.02)
      if (module.bias !== null) nn.init.zeros_(module.bias)
    } else if (module instanceof nn.Embedding) nn.init.normal_(module.weight, 0.0, 0.02)
  }

  /** Logits for every position and the cross-entropy loss with `targets`; without targets only the last position's logits. */
  forward(idx: Tensor, targets: Tensor | null = null): [Tensor, Tensor | null] {
    const [b, t] = [...idx.shape] as [number, number]
    if (t > this.config.block_size)
      throw new RangeError(`Cannot forward sequence of length ${t}, block size is only ${this.config.block_size}`)
    void b
    const pos = torch.arange(0, t, { dtype: torch.int64 }) // shape (t)

    // forward the GPT model itself
    const tok_emb = this.transformer.wte.call(idx) // token embeddings of shape (b, t, n_embd)
    const pos_emb = this.transformer.wpe.call(pos) // position embeddings of shape (t, n_embd)
    let x = this.transformer.drop.call(tok_emb.add(pos_emb))
    for (const block of this.transformer.h) x = block.call(x)
    x = this.transformer.ln_f.call(x)

    if (targets !== null) {
      // if we are given some desired targets also calculate the loss
      const logits = this.lm_head.call(x)
      const loss = F.cross_entropy(logits.view(-1, logits.shape[logits.dim() - 1] as number), targets.view(-1), {
        ignore_index: -1,
      })
      return [logits, loss]
    }
    // inference-time mini-optimization: only forward the lm_head on the very last position
    const logits = this.lm_head.call(x.narrow(1, t - 1, 1)) // note: using list [-1] to preserve the time dim
    return [logits, null]
  }

  /** AdamW with weight decay on every 2-D (or larger) parameter and none on biases and norms. */
  configure_optimizers(
    weight_decay: number,
    learning_rate: number,
    betas: [number, number],
    device_type: string,
  ): torch.optim.AdamW {
    // start with all of the candidate parameters that require grad
    const param_dict = [...this.named_parameters()].filter(([, p]) => p.requires_grad)
    // create optim groups. Any parameters that is 2D will be weight decayed, otherwise no.
    // i.e. all weight tensors in matmuls + embeddings decay, all biases and layernorms don't.
    const decay_params = param_dict.filter(([, p]) => p.dim() >= 2).map(([, p]) => p)
    const nodecay_params = param_dict.filter(([, p]) => p.dim() < 2).map(([, p]) => p)
    const optim_groups = [
      { params: decay_params, weight_decay },
      { params: nodecay_params, weight_decay: 0.0 },
    ]
    const num_decay_params = decay_params.reduce((s, p) => s + p.numel(), 0)
    const num_nodecay_params = nodecay_params.reduce((s, p) => s + p.numel(), 0)
    this.log(`num decayed parameter tensors: ${decay_params.length}, with ${num_decay_params} parameters`)
    this.log(`num non-decayed parameter tensors: ${nodecay_params.length}, with ${num_nodecay_params} parameters`)
    // there is no fused AdamW on the CPU
    void device_type
    return new torch.optim.AdamW(optim_groups, { lr: learning_rate, betas })
  }

  /** Where configure_optimizers prints (silenced in tests). */
  log: (s: string) => void = () => {}
}
