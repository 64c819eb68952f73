import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/time_sequence.json'
import { expectClose } from './portHelpers'

// pytorch/examples time_sequence_prediction ported line by line (twin:
// test/torch/fixtures/ports/time_sequence.py): two LSTMCells in float64, LBFGS with a closure,
// predictions `future` steps past the input.
const { nn, optim } = torch
const T = 20
const L = 14
const N = 6
const offsets = Array.from({ length: N }, (_, k) => ((k * 37) % (8 * T)) - 4 * T)
const data = offsets.map((o) => Array.from({ length: L }, (_, i) => Math.sin((i + o) / 1.0 / T)))

class Sequence extends nn.Module {
  lstm1 = nn.LSTMCell(1, 51)
  lstm2 = nn.LSTMCell(51, 51)
  linear = nn.Linear(51, 1)

  forward(input: torch.Tensor, future = 0): torch.Tensor {
    let outputs: torch.Tensor[] = []
    let h_t = torch.zeros(input.size(0), 51, { dtype: torch.double })
    let c_t = torch.zeros(input.size(0), 51, { dtype: torch.double })
    let h_t2 = torch.zeros(input.size(0), 51, { dtype: torch.double })
    let c_t2 = torch.zeros(input.size(0), 51, { dtype: torch.double })
    let output = h_t
    for (const input_t of input.split(1, { dim: 1 })) {
      ;[h_t, c_t] = this.lstm1.call(input_t, [h_t, c_t])
      ;[h_t2, c_t2] = this.lstm2.call(h_t, [h_t2, c_t2])
      output = this.linear.call(h_t2)
      outputs = [...outputs, output]
    }
    for (let i = 0; i < future; i++) {
      ;[h_t, c_t] = this.lstm1.call(output, [h_t, c_t])
      ;[h_t2, c_t2] = this.lstm2.call(h_t, [h_t2, c_t2])
      output = this.linear.call(h_t2)
      outputs = [...outputs, output]
    }
    return torch.cat(outputs, { dim: 1 })
  }
}

describe('pytorch/examples time_sequence_prediction', () => {
  it('fits the sine waves with LBFGS as PyTorch does', () => {
    expectClose(offsets, fixture.offsets, 0, 0)
    torch.manual_seed(0)
    const d = torch.tensor(data, { dtype: torch.float64 })
    const input = d.index('3:', ':-1')
    const target = d.index('3:', '1:')
    const testInput = d.index(':3', ':-1')
    const testTarget = d.index(':3', '1:')
    const seq = new Sequence()
    seq.double()
    const criterion = new nn.MSELoss()
    const optimizer = optim.LBFGS(seq.parameters(), { lr: 0.8, max_iter: 4 })
    const losses: number[] = []
    const testLosses: number[] = []
    const closureLosses: number[] = []
    let y: number[][] = []
    for (let i = 0; i < 2; i++) {
      const closure = (): torch.Tensor => {
        optimizer.zero_grad()
        const out = seq.call(input)
        const loss = criterion.call(out, target)
        closureLosses.push(loss.item() as number)
        loss.backward()
        return loss
      }
      losses.push(optimizer.step(closure)!.item() as number)
      torch.no_grad(() => {
        const future = 5
        const pred = seq.call(testInput, future)
        const loss = criterion.call(pred.index(':', `:-${future}`), testTarget)
        testLosses.push(loss.item() as number)
        y = pred.detach().tolist() as number[][]
      })
    }
    expectClose(losses, fixture.losses, 1e-9, 0)
    expectClose(closureLosses, fixture.closure_losses, 1e-9, 0)
    expectClose(testLosses, fixture.test_losses, 1e-9, 0)
    expectClose(
      y.map((r) => r.slice(-6)),
      fixture.prediction_tail,
      1e-8,
      1e-10,
    )
    expectClose(seq.linear.weight.detach().index(0, ':6').tolist(), fixture.linear_weight, 1e-9, 1e-12)
  })
})
