import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/lstm_tagger.json'
import { expectClose, summary } from './portHelpers'

// PyTorch's "Sequence Models and Long Short-Term Memory Networks" tutorial ported line by line
// (twin: test/torch/fixtures/ports/lstm_tagger.py, 30 epochs instead of 300): the step-by-step
// nn.LSTM example, then the LSTMTagger part-of-speech tagger trained with NLLLoss and SGD.
const { nn, optim } = torch
const F = torch.nn.functional
type Tensor = torch.Tensor

const prepare_sequence = (seq: string[], to_ix: Map<string, number>): Tensor => {
  const idxs = seq.map((w) => to_ix.get(w) as number)
  return torch.tensor(idxs, { dtype: torch.long })
}

class LSTMTagger extends nn.Module {
  hidden_dim: number
  word_embeddings: torch.nn.Embedding
  lstm: torch.nn.LSTM
  hidden2tag: torch.nn.Linear

  constructor(embedding_dim: number, hidden_dim: number, vocab_size: number, tagset_size: number) {
    super()
    this.hidden_dim = hidden_dim
    this.word_embeddings = nn.Embedding(vocab_size, embedding_dim)
    // The LSTM takes word embeddings as inputs, and outputs hidden states with dimensionality hidden_dim.
    this.lstm = nn.LSTM(embedding_dim, hidden_dim)
    // The linear layer that maps from hidden state space to tag space
    this.hidden2tag = nn.Linear(hidden_dim, tagset_size)
  }

  forward(sentence: Tensor): Tensor {
    const embeds = this.word_embeddings.call(sentence)
    const [lstm_out] = this.lstm.call(embeds.view(sentence.__len__(), 1, -1))
    const tag_space = this.hidden2tag.call(lstm_out.view(sentence.__len__(), -1))
    const tag_scores = F.log_softmax(tag_space, { dim: 1 })
    return tag_scores
  }
}

describe('Sequence models and LSTM tutorial', () => {
  it('steps an LSTM and trains the part-of-speech tagger as PyTorch does', () => {
    torch.manual_seed(1)
    const lstm = nn.LSTM(3, 3) // Input dim is 3, output dim is 3
    let inputs = Array.from({ length: 5 }, () => torch.randn(1, 3)) // make a sequence of length 5
    // initialize the hidden state.
    let hidden: [Tensor, Tensor] = [torch.randn(1, 1, 3), torch.randn(1, 1, 3)]
    let out = torch.empty(0)
    for (const i of inputs) {
      // Step through the sequence one element at a time; after each step, hidden contains the hidden state.
      ;[out, hidden] = lstm.call(i.view(1, 1, -1), hidden) as [Tensor, [Tensor, Tensor]]
    }
    expectClose([out.tolist(), hidden[0].tolist(), hidden[1].tolist()], fixture.stepwise, 1e-5, 1e-6)

    const seq = torch.cat(inputs).view(inputs.length, 1, -1)
    inputs = []
    hidden = [torch.randn(1, 1, 3), torch.randn(1, 1, 3)] // clean out hidden state
    ;[out, hidden] = lstm.call(seq, hidden) as [Tensor, [Tensor, Tensor]]
    expectClose([out.tolist(), hidden[0].tolist(), hidden[1].tolist()], fixture.whole, 1e-5, 1e-6)

    const training_data: [string[], string[]][] = [
      // Tags are: DET - determiner; NN - noun; V - verb
      ['The dog ate the apple'.split(' '), ['DET', 'NN', 'V', 'DET', 'NN']],
      ['Everybody read that book'.split(' '), ['NN', 'V', 'DET', 'NN']],
    ]
    const word_to_ix = new Map<string, number>()
    for (const [sent] of training_data) {
      for (const word of sent) if (!word_to_ix.has(word)) word_to_ix.set(word, word_to_ix.size)
    }
    const tag_to_ix = new Map<string, number>([
      ['DET', 0],
      ['NN', 1],
      ['V', 2],
    ])
    const EMBEDDING_DIM = 6
    const HIDDEN_DIM = 6

    const model = new LSTMTagger(EMBEDDING_DIM, HIDDEN_DIM, word_to_ix.size, tag_to_ix.size)
    const loss_function = nn.NLLLoss()
    const optimizer = optim.SGD(model.parameters(), { lr: 0.1 })

    // See what the scores are before training
    const before = torch.no_grad(() => model.call(prepare_sequence(training_data[0]![0], word_to_ix)).tolist())
    const losses: number[] = []
    for (let epoch = 0; epoch < 30; epoch++) {
      for (const [sentence, tags] of training_data) {
        model.zero_grad()
        const sentence_in = prepare_sequence(sentence, word_to_ix)
        const targets = prepare_sequence(tags, tag_to_ix)
        const tag_scores = model.call(sentence_in)
        const loss = loss_function.call(tag_scores, targets)
        loss.backward()
        optimizer.step()
        losses.push(loss.item())
      }
    }
    const after = torch.no_grad(() => model.call(prepare_sequence(training_data[0]![0], word_to_ix)).tolist())
    expectClose(before, fixture.before, 1e-5, 1e-6)
    expectClose(losses, fixture.losses, 1e-5, 1e-6)
    expectClose(after, fixture.after, 1e-5, 1e-6)
    expectClose(summary(model), fixture.summary, 1e-5, 1e-5)
  })
})
