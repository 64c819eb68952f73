import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/tcn.json'
import { expectClose, summary } from './portHelpers'

// locuslab/TCN's TemporalConvNet on its adding problem as the authors write it, smaller (twin:
// test/torch/fixtures/ports/tcn.py): TemporalBlock with nn.utils.weight_norm (hook form) on dilated
// Conv1d, Chomp1d, ReLU, Dropout, the 1×1 downsample and residual, each conv registered twice (as
// conv1 and in self.net), init_weights drawing into weight.data.normal_ (overwritten by
// weight_norm's pre-forward hook: the draws only advance the generator), the TCN head on
// y1[:, :, -1], mse_loss, clip_grad_norm_ and Adam; the test loss in eval mode. The two marked
// positions come from torch.randperm (the original's np.random.choice has no twin here).
const { nn, optim } = torch
const F = torch.nn.functional
const { weight_norm } = torch.nn.utils
const { Variable } = torch.autograd
type T = torch.Tensor

class Chomp1d extends nn.Module {
  constructor(public chomp_size: number) {
    super()
  }
  forward(x: T): T {
    return x.index(':', ':', `:-${this.chomp_size}`).contiguous()
  }
}

class TemporalBlock extends nn.Module {
  conv1: torch.nn.Conv1d
  chomp1: Chomp1d
  relu1 = nn.ReLU()
  dropout1: torch.nn.Dropout
  conv2: torch.nn.Conv1d
  chomp2: Chomp1d
  relu2 = nn.ReLU()
  dropout2: torch.nn.Dropout
  net: torch.nn.Sequential
  downsample: torch.nn.Conv1d | null
  relu = nn.ReLU()

  constructor(
    n_inputs: number,
    n_outputs: number,
    kernel_size: number,
    stride: number,
    dilation: number,
    padding: number,
    dropout = 0.2,
  ) {
    super()
    this.conv1 = weight_norm(nn.Conv1d(n_inputs, n_outputs, kernel_size, { stride, padding, dilation }))
    this.chomp1 = new Chomp1d(padding)
    this.dropout1 = nn.Dropout(dropout)
    this.conv2 = weight_norm(nn.Conv1d(n_outputs, n_outputs, kernel_size, { stride, padding, dilation }))
    this.chomp2 = new Chomp1d(padding)
    this.dropout2 = nn.Dropout(dropout)
    this.net = nn.Sequential(
      this.conv1,
      this.chomp1,
      this.relu1,
      this.dropout1,
      this.conv2,
      this.chomp2,
      this.relu2,
      this.dropout2,
    )
    this.downsample = n_inputs !== n_outputs ? nn.Conv1d(n_inputs, n_outputs, 1) : null
    this.init_weights()
  }

  init_weights(): void {
    this.conv1.weight.data.normal_(0, 0.01)
    this.conv2.weight.data.normal_(0, 0.01)
    if (this.downsample !== null) this.downsample.weight.data.normal_(0, 0.01)
  }

  forward(x: T): T {
    const out = this.net.call(x)
    const res = this.downsample === null ? x : this.downsample.call(x)
    return this.relu.call(out.add(res))
  }
}

class TemporalConvNet extends nn.Module {
  network: torch.nn.Sequential

  constructor(num_inputs: number, num_channels: number[], kernel_size = 2, dropout = 0.2) {
    super()
    const layers: TemporalBlock[] = []
    const num_levels = num_channels.length
    for (let i = 0; i < num_levels; i++) {
      const dilation_size = 2 ** i
      const in_channels = i === 0 ? num_inputs : num_channels[i - 1]!
      const out_channels = num_channels[i]!
      layers.push(
        new TemporalBlock(
          in_channels,
          out_channels,
          kernel_size,
          1,
          dilation_size,
          (kernel_size - 1) * dilation_size,
          dropout,
        ),
      )
    }
    this.network = nn.Sequential(...layers)
  }

  forward(x: T): T {
    return this.network.call(x)
  }
}

class TCN extends nn.Module {
  tcn: TemporalConvNet
  linear: torch.nn.Linear

  constructor(input_size: number, output_size: number, num_channels: number[], kernel_size: number, dropout: number) {
    super()
    this.tcn = new TemporalConvNet(input_size, num_channels, kernel_size, dropout)
    this.linear = nn.Linear(num_channels[num_channels.length - 1]!, output_size)
    this.init_weights()
  }

  init_weights(): void {
    this.linear.weight.data.normal_(0, 0.01)
  }

  forward(x: T): T {
    const y1 = this.tcn.call(x)
    return this.linear.call(y1.index(':', ':', -1))
  }
}

const data_generator = (N: number, seq_length: number): [T, T] => {
  const X_num = torch.rand([N, 1, seq_length])
  const X_mask = torch.zeros([N, 1, seq_length])
  const Y = torch.zeros([N, 1])
  for (let i = 0; i < N; i++) {
    const positions = torch.randperm(seq_length).index(':2').tolist() as number[]
    X_mask.set(i, 0, positions[0]!, 1)
    X_mask.set(i, 0, positions[1]!, 1)
    Y.set(i, 0, X_num.index(i, 0, positions[0]!).add(X_num.index(i, 0, positions[1]!)))
  }
  const X = torch.cat([X_num, X_mask], { dim: 1 })
  return [Variable(X), Variable(Y)]
}

describe('TCN (locuslab/TCN, adding problem)', () => {
  it('trains as PyTorch does', () => {
    torch.manual_seed(1111)
    const [input_channels, n_classes, batch_size, seq_length, clip] = [2, 1, 8, 20, 0.5]
    const [X_train, Y_train] = data_generator(20, seq_length)
    const [X_test, Y_test] = data_generator(8, seq_length)
    const channel_sizes = Array<number>(3).fill(6)
    const kernel_size = 3
    const model = new TCN(input_channels, n_classes, channel_sizes, kernel_size, 0.0)
    expect([...model.named_parameters()].map(([n]) => n)).toEqual(fixture.names)
    const lr = 4e-3
    const optimizer = optim.Adam(model.parameters(), { lr })
    const [losses, norms]: [number[], number[]] = [[], []]
    for (let epoch = 1; epoch < 4; epoch++) {
      model.train()
      for (let i = 0; i < X_train.size(0); i += batch_size) {
        const [x, y] =
          i + batch_size > X_train.size(0)
            ? [X_train.index(`${i}:`), Y_train.index(`${i}:`)]
            : [X_train.index(`${i}:${i + batch_size}`), Y_train.index(`${i}:${i + batch_size}`)]
        optimizer.zero_grad()
        const output = model.call(x)
        const loss = F.mse_loss(output, y)
        loss.backward()
        if (clip > 0) norms.push(torch.nn.utils.clip_grad_norm_(model.parameters(), clip).item() as number)
        optimizer.step()
        losses.push(loss.item() as number)
      }
    }
    expectClose(losses, fixture.losses, 1e-5, 0)
    expectClose(norms, fixture.norms, 1e-5, 0)
    const block = model.tcn.network.at(1) as TemporalBlock
    const conv1 = block.conv1 as torch.nn.Conv1d & Record<'weight_g' | 'weight_v', torch.nn.Parameter>
    expectClose(conv1.weight_g.grad!.reshape(-1).tolist(), fixture.grads.weight_g, 1e-4, 1e-8)
    expectClose(conv1.weight_v.grad!.index(0).tolist(), fixture.grads.weight_v, 1e-4, 1e-8)
    expectClose(summary(model), fixture.summary, 1e-5, 1e-7)
    model.eval()
    torch.no_grad(() => {
      const output = model.call(X_test)
      const test_loss = F.mse_loss(output, Y_test)
      expectClose(test_loss.item(), fixture.test_loss, 1e-5, 0)
      expectClose(output.reshape(-1).tolist(), fixture.output, 1e-5, 0)
    })
  })
})
