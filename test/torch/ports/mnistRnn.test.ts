import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/mnist_rnn.json'
import { expectClose, summary } from './portHelpers'

// pytorch/examples mnist_rnn/main.py ported line by line (twin:
// test/torch/fixtures/ports/mnist_rnn.py): LSTM batch_first, BatchNorm1d, Dropout2d on a 2-D
// input (the deprecated path that drops whole samples), nll_loss, Adadelta with StepLR, and the
// test pass with argmax accuracy.
const { nn, optim } = torch
const F = torch.nn.functional
const { StepLR } = torch.optim.lr_scheduler

class Net extends nn.Module {
  rnn = nn.LSTM({ input_size: 28, hidden_size: 64, batch_first: true })
  batchnorm = nn.BatchNorm1d(64)
  dropout1 = nn.Dropout2d(0.25)
  dropout2 = nn.Dropout2d(0.5)
  fc1 = nn.Linear(64, 32)
  fc2 = nn.Linear(32, 10)

  forward(input: torch.Tensor): torch.Tensor {
    input = input.reshape(-1, 28, 28)
    let [output] = this.rnn.call(input) as [torch.Tensor, unknown]
    output = output.index(':', -1, ':')
    output = this.batchnorm.call(output)
    output = this.dropout1.call(output)
    output = this.fc1.call(output)
    output = F.relu(output)
    output = this.dropout2.call(output)
    output = this.fc2.call(output)
    return F.log_softmax(output, { dim: 1 })
  }
}

describe('pytorch/examples mnist_rnn', () => {
  it('trains and tests as PyTorch does', () => {
    torch.manual_seed(1)
    const model = new Net()
    const optimizer = optim.Adadelta(model.parameters(), { lr: 0.1 })
    const scheduler = StepLR(optimizer, { step_size: 1, gamma: 0.7 })
    const images = torch.rand(2, 8, 1, 28, 28)
    const labels = torch.randint(0, 10, [2, 8])
    const losses: number[] = []
    const lrs: number[] = []
    let test_loss = 0
    let correct = 0
    const [, caught] = torch.warnings.catch_warnings(() => {
      for (let epoch = 1; epoch < 3; epoch++) {
        model.train()
        for (let b = 0; b < 2; b++) {
          const [data, target] = [images.index(b), labels.index(b)]
          optimizer.zero_grad()
          const output = model.call(data)
          const loss = F.nll_loss(output, target)
          loss.backward()
          optimizer.step()
          losses.push(loss.item() as number)
        }
        model.eval()
        test_loss = 0
        correct = 0
        torch.no_grad(() => {
          for (let b = 0; b < 2; b++) {
            const [data, target] = [images.index(b), labels.index(b)]
            const output = model.call(data)
            test_loss += F.nll_loss(output, target, { reduction: 'sum' }).item() as number
            const pred = output.argmax({ dim: 1, keepdim: true })
            correct += pred.eq(target.view_as(pred)).sum().item() as number
          }
        })
        lrs.push(scheduler.get_last_lr()[0]!)
        scheduler.step()
      }
    })
    expect(caught.map((w) => `${w.category}: ${w.message}`)).toEqual(fixture.warnings)
    expectClose(losses, fixture.losses, 1e-4, 1e-6)
    expectClose(test_loss / 16, fixture.test_loss, 1e-4, 0)
    expect(correct).toBe(fixture.correct)
    expectClose(lrs, fixture.lrs, 1e-12, 0)
    expectClose(summary(model), fixture.params, 1e-3, 1e-4)
    const bn = model.batchnorm
    expectClose(
      [bn.running_mean!.index(':4').tolist(), bn.running_var!.index(':4').tolist()],
      fixture.buffers,
      1e-4,
      1e-6,
    )
  })
})
