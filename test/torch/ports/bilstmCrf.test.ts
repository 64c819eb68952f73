import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/bilstm_crf.json'
import { expectClose, summary } from './portHelpers'

// PyTorch's "Advanced: Making Dynamic Decisions and the Bi-LSTM CRF" tutorial ported line by line
// (twin: test/torch/fixtures/ports/bilstm_crf.py, 3 epochs instead of 300): argmax through
// torch.max(vec, 1) and .item(), log_sum_exp, the forward algorithm from torch.full alphas,
// tensor-indexed transitions in _score_sentence, Viterbi decoding with Python back-pointers,
// a bidirectional LSTM with random initial states, SGD with weight decay.
const { nn, optim } = torch

const argmax = (vec: torch.Tensor): number => {
  // return the argmax as a python int
  const [, idx] = torch.max(vec, 1)
  return idx.item()
}

const prepare_sequence = (seq: string[], to_ix: Map<string, number>): torch.Tensor => {
  const idxs = seq.map((w) => to_ix.get(w) as number)
  return torch.tensor(idxs, { dtype: torch.long })
}

// Compute log sum exp in a numerically stable way for the forward algorithm
const log_sum_exp = (vec: torch.Tensor): torch.Tensor => {
  const max_score = vec.index(0, argmax(vec))
  const max_score_broadcast = max_score.view(1, -1).expand(1, vec.size()[1] as number)
  return max_score.add(torch.log(torch.sum(torch.exp(vec.sub(max_score_broadcast)))))
}

const START_TAG = '<START>'
const STOP_TAG = '<STOP>'
const EMBEDDING_DIM = 5
const HIDDEN_DIM = 4

type Hidden = [torch.Tensor, torch.Tensor]

class BiLSTM_CRF extends nn.Module {
  tagset_size: number
  word_embeds: torch.nn.Embedding
  lstm: torch.nn.LSTM
  hidden2tag: torch.nn.Linear
  transitions: torch.nn.Parameter
  hidden: Hidden

  constructor(
    public vocab_size: number,
    public tag_to_ix: Map<string, number>,
    public embedding_dim: number,
    public hidden_dim: number,
  ) {
    super()
    this.tagset_size = tag_to_ix.size
    this.word_embeds = nn.Embedding(vocab_size, embedding_dim)
    this.lstm = nn.LSTM(embedding_dim, Math.floor(hidden_dim / 2), { num_layers: 1, bidirectional: true })
    // Maps the output of the LSTM into tag space.
    this.hidden2tag = nn.Linear(hidden_dim, this.tagset_size)
    // Matrix of transition parameters: entry i,j scores the transition *to* i *from* j.
    this.transitions = nn.Parameter(torch.randn(this.tagset_size, this.tagset_size))
    // never transfer to the start tag, never transfer from the stop tag
    this.transitions.data.set(this.ix(START_TAG), ':', -10000)
    this.transitions.data.set(':', this.ix(STOP_TAG), -10000)
    this.hidden = this.init_hidden()
  }

  ix(tag: string): number {
    return this.tag_to_ix.get(tag) as number
  }

  init_hidden(): Hidden {
    const h = Math.floor(this.hidden_dim / 2)
    return [torch.randn(2, 1, h), torch.randn(2, 1, h)]
  }

  _forward_alg(feats: torch.Tensor): torch.Tensor {
    // Do the forward algorithm to compute the partition function
    const init_alphas = torch.full([1, this.tagset_size], -10000.0)
    // START_TAG has all of the score.
    init_alphas.index(0).set(this.ix(START_TAG), 0.0)
    let forward_var = init_alphas
    for (const feat of feats.__iter__()) {
      const alphas_t: torch.Tensor[] = [] // The forward tensors at this timestep
      for (let next_tag = 0; next_tag < this.tagset_size; next_tag++) {
        // broadcast the emission score: it is the same regardless of the previous tag
        const emit_score = feat.index(next_tag).view(1, -1).expand(1, this.tagset_size)
        // the ith entry of trans_score is the score of transitioning to next_tag from i
        const trans_score = this.transitions.index(next_tag).view(1, -1)
        // The ith entry of next_tag_var is the value for the edge (i -> next_tag)
        const next_tag_var = forward_var.add(trans_score).add(emit_score)
        alphas_t.push(log_sum_exp(next_tag_var).view(1))
      }
      forward_var = torch.cat(alphas_t).view(1, -1)
    }
    const terminal_var = forward_var.add(this.transitions.index(this.ix(STOP_TAG)))
    const alpha = log_sum_exp(terminal_var)
    return alpha
  }

  _get_lstm_features(sentence: torch.Tensor): torch.Tensor {
    this.hidden = this.init_hidden()
    const embeds = this.word_embeds.call(sentence).view(sentence.__len__(), 1, -1)
    const [lstm_out, hidden] = this.lstm.call(embeds, this.hidden)
    this.hidden = hidden as Hidden
    const flat = lstm_out.view(sentence.__len__(), this.hidden_dim)
    const lstm_feats = this.hidden2tag.call(flat)
    return lstm_feats
  }

  _score_sentence(feats: torch.Tensor, tags: torch.Tensor): torch.Tensor {
    // Gives the score of a provided tag sequence
    let score = torch.zeros(1)
    tags = torch.cat([torch.tensor([this.ix(START_TAG)], { dtype: torch.long }), tags])
    ;[...feats.__iter__()].forEach((feat, i) => {
      score = score.add(this.transitions.index(tags.index(i + 1), tags.index(i))).add(feat.index(tags.index(i + 1)))
    })
    score = score.add(this.transitions.index(this.ix(STOP_TAG), tags.index(-1)))
    return score
  }

  _viterbi_decode(feats: torch.Tensor): [torch.Tensor, number[]] {
    const backpointers: number[][] = []
    // Initialize the viterbi variables in log space
    const init_vvars = torch.full([1, this.tagset_size], -10000.0)
    init_vvars.index(0).set(this.ix(START_TAG), 0)
    // forward_var at step i holds the viterbi variables for step i-1
    let forward_var = init_vvars
    for (const feat of feats.__iter__()) {
      const bptrs_t: number[] = [] // holds the backpointers for this step
      const viterbivars_t: torch.Tensor[] = [] // holds the viterbi variables for this step
      for (let next_tag = 0; next_tag < this.tagset_size; next_tag++) {
        const next_tag_var = forward_var.add(this.transitions.index(next_tag))
        const best_tag_id = argmax(next_tag_var)
        bptrs_t.push(best_tag_id)
        viterbivars_t.push(next_tag_var.index(0).index(best_tag_id).view(1))
      }
      // Now add in the emission scores
      forward_var = torch.cat(viterbivars_t).add(feat).view(1, -1)
      backpointers.push(bptrs_t)
    }
    // Transition to STOP_TAG
    const terminal_var = forward_var.add(this.transitions.index(this.ix(STOP_TAG)))
    let best_tag_id = argmax(terminal_var)
    const path_score = terminal_var.index(0).index(best_tag_id)
    // Follow the back pointers to decode the best path.
    const best_path = [best_tag_id]
    for (const bptrs_t of [...backpointers].reverse()) {
      best_tag_id = bptrs_t[best_tag_id] as number
      best_path.push(best_tag_id)
    }
    // Pop off the start tag
    const start = best_path.pop()
    expect(start).toBe(this.ix(START_TAG)) // Sanity check
    best_path.reverse()
    return [path_score, best_path]
  }

  neg_log_likelihood(sentence: torch.Tensor, tags: torch.Tensor): torch.Tensor {
    const feats = this._get_lstm_features(sentence)
    const forward_score = this._forward_alg(feats)
    const gold_score = this._score_sentence(feats, tags)
    return forward_score.sub(gold_score)
  }

  forward(sentence: torch.Tensor): [torch.Tensor, number[]] {
    // Get the emission scores from the BiLSTM
    const lstm_feats = this._get_lstm_features(sentence)
    // Find the best path, given the features.
    return this._viterbi_decode(lstm_feats)
  }
}

describe('Bi-LSTM CRF tutorial', () => {
  it('trains and decodes as PyTorch does', () => {
    torch.manual_seed(1)
    const training_data: [string[], string[]][] = [
      [
        'the wall street journal reported today that apple corporation made money'.split(' '),
        'B I I I O O O B I O O'.split(' '),
      ],
      ['georgia tech is a university in georgia'.split(' '), 'B I O O O O B'.split(' ')],
    ]
    const word_to_ix = new Map<string, number>()
    for (const [sentence] of training_data) {
      for (const word of sentence) if (!word_to_ix.has(word)) word_to_ix.set(word, word_to_ix.size)
    }
    const tag_to_ix = new Map<string, number>([
      ['B', 0],
      ['I', 1],
      ['O', 2],
      [START_TAG, 3],
      [STOP_TAG, 4],
    ])
    const model = new BiLSTM_CRF(word_to_ix.size, tag_to_ix, EMBEDDING_DIM, HIDDEN_DIM)
    const optimizer = optim.SGD(model.parameters(), { lr: 0.01, weight_decay: 1e-4 })

    const precheck = (): [number, number[]] =>
      torch.no_grad(() => {
        const precheck_sent = prepare_sequence(training_data[0]![0], word_to_ix)
        const [score, path] = model.call(precheck_sent)
        return [score.item(), path]
      })
    const before = precheck()
    const losses: number[] = []
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const [sentence, tags] of training_data) {
        model.zero_grad()
        const sentence_in = prepare_sequence(sentence, word_to_ix)
        const targets = torch.tensor(
          tags.map((t) => tag_to_ix.get(t) as number),
          { dtype: torch.long },
        )
        const loss = model.neg_log_likelihood(sentence_in, targets)
        losses.push(loss.item())
        loss.backward()
        optimizer.step()
      }
    }
    const after = precheck()
    expectClose(before, fixture.before, 1e-5, 1e-5)
    expectClose(losses, fixture.losses, 1e-5, 1e-5)
    expectClose(after, fixture.after, 1e-5, 1e-5)
    expectClose((model.transitions.grad as torch.Tensor).tolist(), fixture.transitions_grad, 1e-4, 1e-5)
    expectClose(summary(model), fixture.summary, 1e-5, 1e-4)
  })
})
