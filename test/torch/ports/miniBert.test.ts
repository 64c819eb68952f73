import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/mini_bert.json'
import { expectClose, summary } from './portHelpers'

// A mini-BERT masked-LM pretraining loop as the from-scratch BERT tutorials write it on
// nn.TransformerEncoder (twin: test/torch/fixtures/ports/mini_bert.py): token + position
// embeddings, a pre-norm batch_first GELU encoder stack with a final LayerNorm, padded batches with
// src_key_padding_mask, an MLM head whose decoder weight is tied to the token embedding (own bias
// Parameter), DataCollatorForLanguageModeling's 15% / 80-10-10 masking with labels -100 and
// CrossEntropyLoss's default ignore_index, AdamW no-decay groups, get_linear_schedule_with_warmup's
// LambdaLR, clip_grad_norm_; a last eval-mode prediction under no_grad.
const { nn } = torch
const { LambdaLR } = torch.optim.lr_scheduler
type T = torch.Tensor

const [PAD, CLS, SEP, MASK] = [0, 1, 2, 3]
const [VOCAB, HIDDEN, HEADS, LAYERS, FFN, MAX_LEN] = [40, 32, 4, 2, 64, 16]

class BertEmbeddings extends nn.Module {
  word_embeddings = nn.Embedding(VOCAB, HIDDEN, { padding_idx: PAD })
  position_embeddings = nn.Embedding(MAX_LEN, HIDDEN)
  LayerNorm = nn.LayerNorm(HIDDEN, { eps: 1e-12 })
  dropout = nn.Dropout(0.0)
  declare position_ids: T

  constructor() {
    super()
    this.register_buffer('position_ids', torch.arange(MAX_LEN).expand([1, -1]))
  }

  forward(input_ids: T): T {
    const seq_length = input_ids.size(1)
    const position_ids = this.position_ids.index(':', `:${seq_length}`)
    const embeddings = this.word_embeddings.call(input_ids).add(this.position_embeddings.call(position_ids))
    return this.dropout.call(this.LayerNorm.call(embeddings))
  }
}

class BertForMaskedLM extends nn.Module {
  embeddings = new BertEmbeddings()
  encoder: torch.nn.TransformerEncoder
  transform: torch.nn.Sequential
  decoder: torch.nn.Linear
  bias: torch.nn.Parameter

  constructor() {
    super()
    const layer = nn.TransformerEncoderLayer(HIDDEN, HEADS, {
      dim_feedforward: FFN,
      dropout: 0.0,
      activation: 'gelu',
      batch_first: true,
      norm_first: true,
    })
    this.encoder = nn.TransformerEncoder(layer, LAYERS, { norm: nn.LayerNorm(HIDDEN) })
    this.transform = nn.Sequential(nn.Linear(HIDDEN, HIDDEN), nn.GELU(), nn.LayerNorm(HIDDEN, { eps: 1e-12 }))
    this.decoder = nn.Linear(HIDDEN, VOCAB, { bias: false })
    this.bias = nn.Parameter(torch.zeros(VOCAB))
    this.decoder.bias = this.bias
    this.apply((m) => this._init_weights(m))
    this.decoder.weight = this.embeddings.word_embeddings.weight // tie_weights
  }

  _init_weights(module: torch.nn.Module): void {
    if (module instanceof nn.Linear) {
      module.weight.data.normal_({ mean: 0.0, std: 0.02 })
      if (module.bias !== null) module.bias.data.zero_()
    } else if (module instanceof nn.Embedding) {
      module.weight.data.normal_({ mean: 0.0, std: 0.02 })
      if (module.padding_idx !== null) module.weight.data.index(module.padding_idx).zero_()
    } else if (module instanceof nn.LayerNorm) {
      module.bias!.data.zero_()
      module.weight!.data.fill_(1.0)
    }
  }

  forward(input_ids: T, attention_mask: T, labels: T | null = null): [T, T] | T {
    const hidden = this.encoder.call(this.embeddings.call(input_ids), {
      src_key_padding_mask: attention_mask.eq(0),
    })
    const logits = this.decoder.call(this.transform.call(hidden))
    if (labels === null) return logits
    const loss_fct = nn.CrossEntropyLoss() // -100 index = padding token
    return [loss_fct.call(logits.view(-1, VOCAB), labels.view(-1)), logits]
  }
}

const mask_tokens = (inputs: T, special_tokens_mask: T, mlm_probability = 0.15): [T, T] => {
  const labels = inputs.clone()
  const probability_matrix = torch.full(labels.shape, mlm_probability)
  probability_matrix.masked_fill_(special_tokens_mask, { value: 0.0 })
  const masked_indices = torch.bernoulli(probability_matrix).bool()
  labels.set(masked_indices.bitwise_not(), -100)
  const indices_replaced = torch.bernoulli(torch.full(labels.shape, 0.8)).bool().bitwise_and(masked_indices)
  inputs.set(indices_replaced, MASK)
  const indices_random = torch
    .bernoulli(torch.full(labels.shape, 0.5))
    .bool()
    .bitwise_and(masked_indices)
    .bitwise_and(indices_replaced.bitwise_not())
  const random_words = torch.randint(VOCAB, labels.shape, { dtype: torch.long })
  inputs.set(indices_random, random_words.index(indices_random))
  return [inputs, labels]
}

const make_batch = (batch_size: number): [T, T, T] => {
  const lengths = torch.randint(4, MAX_LEN - 1, [batch_size]).tolist() as number[]
  const input_ids = torch.full([batch_size, Math.max(...lengths) + 2], PAD, { dtype: torch.long })
  const attention_mask = torch.zeros_like(input_ids)
  lengths.forEach((n, i) => {
    input_ids.set(
      i,
      `:${n + 2}`,
      torch.cat([torch.tensor([BigInt(CLS)]), torch.randint(4, VOCAB, [n]), torch.tensor([BigInt(SEP)])]),
    )
    attention_mask.set(i, `:${n + 2}`, 1)
  })
  const special = input_ids.eq(PAD).bitwise_or(input_ids.eq(CLS)).bitwise_or(input_ids.eq(SEP))
  return [input_ids, attention_mask, special]
}

const get_linear_schedule_with_warmup = (
  optimizer: torch.optim.Optimizer,
  num_warmup_steps: number,
  num_training_steps: number,
  last_epoch = -1,
): torch.optim.lr_scheduler.LambdaLR => {
  const lr_lambda = (current_step: number): number => {
    if (current_step < num_warmup_steps) return current_step / Math.max(1, num_warmup_steps)
    return Math.max(0.0, (num_training_steps - current_step) / Math.max(1, num_training_steps - num_warmup_steps))
  }
  return LambdaLR(optimizer, lr_lambda, last_epoch)
}

describe('a mini-BERT masked-LM (TransformerEncoder with padding mask, tied decoder, warmup)', () => {
  it('trains as PyTorch does', () => {
    torch.manual_seed(0)
    const model = new BertForMaskedLM()
    expect([...model.named_parameters()].map(([n]) => n)).toEqual(fixture.names)
    const no_decay = ['bias', 'LayerNorm.weight', 'norm1.weight', 'norm2.weight', 'norm.weight']
    const named = [...model.named_parameters()]
    const optimizer_grouped_parameters = [
      { params: named.filter(([n]) => !no_decay.some((nd) => n.includes(nd))).map(([, p]) => p), weight_decay: 0.01 },
      { params: named.filter(([n]) => no_decay.some((nd) => n.includes(nd))).map(([, p]) => p), weight_decay: 0.0 },
    ]
    const optimizer = torch.optim.AdamW(optimizer_grouped_parameters, { lr: 1e-3, eps: 1e-6 })
    expect(optimizer.param_groups.map((g) => g.params.length)).toEqual(fixture.groups)
    const num_training_steps = 6
    const scheduler = get_linear_schedule_with_warmup(optimizer, 2, num_training_steps)
    const [losses, norms, lrs, n_masked]: [number[], number[], number[][], number[]] = [[], [], [], []]
    model.train()
    for (let step = 0; step < num_training_steps; step++) {
      const [input_ids, attention_mask, special] = make_batch(4)
      const [inputs, labels] = mask_tokens(input_ids.clone(), special)
      n_masked.push(labels.ne(-100).sum().item() as number)
      const [loss] = model.call(inputs, attention_mask, labels) as [T, T]
      loss.backward()
      norms.push(torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0).item() as number)
      optimizer.step()
      scheduler.step()
      lrs.push(scheduler.get_last_lr())
      if (step < num_training_steps - 1) optimizer.zero_grad()
      losses.push(loss.item() as number)
    }
    expect(n_masked).toEqual(fixture.n_masked)
    expectClose(lrs, fixture.lrs, 1e-12, 0)
    expectClose(losses, fixture.losses, 1e-5, 0)
    expectClose(norms, fixture.norms, 1e-5, 0)
    expectClose(
      model.embeddings.word_embeddings.weight.grad!.index(4).tolist(),
      fixture.grads.word_embeddings,
      1e-4,
      1e-7,
    )
    const layer0 = model.encoder.layers.at(0) as torch.nn.TransformerEncoderLayer
    expectClose(
      layer0.self_attn.in_proj_weight!.grad!.index(0, ':8').tolist(),
      fixture.grads.in_proj_weight,
      1e-4,
      1e-7,
    )
    expectClose((model.bias.grad!.tolist() as number[]).slice(0, 8), fixture.grads.bias, 1e-4, 1e-7)
    expectClose(summary(model), fixture.summary, 1e-5, 1e-6)
    expect(model.decoder.weight === model.embeddings.word_embeddings.weight).toBe(fixture.tied)
    model.eval()
    const [input_ids, attention_mask] = make_batch(2)
    torch.no_grad(() => {
      const logits = model.call(input_ids, attention_mask) as T
      expect(logits.shape).toEqual(fixture.eval_shape)
      expectClose(
        logits.index(attention_mask.bool()).index(':', ':6').reshape(-1).tolist(),
        fixture.eval_logits,
        1e-4,
        1e-5,
      )
    })
  })
})
