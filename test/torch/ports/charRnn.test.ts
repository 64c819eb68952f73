import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/char_rnn.json'
import { expectClose, summary } from './portHelpers'

// "NLP From Scratch: Classifying Names with a Character-Level RNN" ported line by line (twin:
// test/torch/fixtures/ports/char_rnn.py) on a small in-file list of names: one-hot letters through
// tensor[li][0][idx] = 1, the hand-written RNN (i2h/h2o, LogSoftmax), NLLLoss, the manual update
// p.data.add_(p.grad.data, alpha=-learning_rate), topk, evaluate under no_grad.
const { nn } = torch
type T = torch.Tensor

const all_letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' + " .,;'"
const n_letters = all_letters.length
const category_lines: Record<string, string[]> = {
  English: ['Abbott', 'Baker', 'Clarke'],
  French: ['Abel', 'Beaumont', 'Dubois'],
  Italian: ['Abandonato', 'Bianchi', 'Ricci'],
}
const all_categories = Object.keys(category_lines)
const n_categories = all_categories.length

// Find letter index from all_letters, e.g. "a" = 0
const letterToIndex = (letter: string): number => all_letters.indexOf(letter)

// Just for demonstration, turn a letter into a <1 x n_letters> Tensor
const letterToTensor = (letter: string): T => {
  const tensor = torch.zeros(1, n_letters)
  tensor.index(0).setitem(letterToIndex(letter), 1)
  return tensor
}

// Turn a line into a <line_length x 1 x n_letters>, or an array of one-hot letter vectors
const lineToTensor = (line: string): T => {
  const tensor = torch.zeros(line.length, 1, n_letters)
  ;[...line].forEach((letter, li) => tensor.index(li).index(0).setitem(letterToIndex(letter), 1))
  return tensor
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

  forward(input: T, hidden: T): [T, T] {
    const combined = torch.cat([input, hidden], 1)
    hidden = this.i2h.call(combined)
    let output = this.h2o.call(hidden)
    output = this.softmax.call(output)
    return [output, hidden]
  }

  initHidden(): T {
    return torch.zeros(1, this.hidden_size)
  }
}

describe('the character-level RNN name classifier tutorial', () => {
  it('trains and evaluates as PyTorch does', () => {
    torch.manual_seed(0)
    const n_hidden = 128
    const rnn = new RNN(n_letters, n_hidden, n_categories)

    const input = letterToTensor('A')
    const hidden0 = torch.zeros(1, n_hidden)
    const [output0] = rnn.call(input, hidden0) as [T, T]
    expectClose(output0.tolist(), fixture.first_output, 1e-5, 1e-6)

    const categoryFromOutput = (output: T): [string, number] => {
      const [, top_i] = output.topk(1)
      const category_i = top_i.index(0).item() as number
      return [all_categories[category_i] as string, category_i]
    }

    const criterion = nn.NLLLoss()
    const learning_rate = 0.005

    const train = (category_tensor: T, line_tensor: T): [T, number] => {
      let hidden = rnn.initHidden()
      rnn.zero_grad()
      let output = hidden
      for (let i = 0; i < line_tensor.size()[0]!; i++)
        [output, hidden] = rnn.call(line_tensor.index(i), hidden) as [T, T]
      const loss = criterion.call(output, category_tensor)
      loss.backward()
      // Add parameters' gradients to their values, multiplied by learning rate
      for (const p of rnn.parameters()) p.data.add_(p.grad!.data, { alpha: -learning_rate })
      return [output, loss.item() as number]
    }

    // a fixed cycle over the examples instead of randomTrainingExample
    const [losses, guesses]: [number[], string[]] = [[], []]
    for (let it = 0; it < 2; it++)
      for (const category of all_categories)
        for (const line of category_lines[category] as string[]) {
          const category_tensor = torch.tensor([all_categories.indexOf(category)], { dtype: torch.long })
          const line_tensor = lineToTensor(line)
          const [output, loss] = train(category_tensor, line_tensor)
          losses.push(loss)
          guesses.push(categoryFromOutput(output)[0])
        }

    // Just return an output given a line
    const evaluate = (line_tensor: T): T => {
      let hidden = rnn.initHidden()
      let output = hidden
      for (let i = 0; i < line_tensor.size()[0]!; i++)
        [output, hidden] = rnn.call(line_tensor.index(i), hidden) as [T, T]
      return output
    }

    const evaluated = torch.no_grad(() =>
      Object.fromEntries(
        ['Dovesky', 'Jackson', 'Satoshi'].map((name) => [name, evaluate(lineToTensor(name)).tolist()]),
      ),
    )
    expect(lineToTensor('Jones').size()).toEqual(fixture.line_tensor_size)
    expectClose(losses, fixture.losses, 1e-4, 1e-6)
    expect(guesses).toEqual(fixture.guesses)
    expectClose(evaluated, fixture.evaluated, 1e-4, 1e-5)
    expectClose(summary(rnn), fixture.params, 1e-4, 1e-5)
  })
})
