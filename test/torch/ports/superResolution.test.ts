import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/super_resolution.json'
import { expectClose, summary } from './portHelpers'

// pytorch/examples super_resolution (model.py, main.py) ported line by line (twin:
// test/torch/fixtures/ports/super_resolution.py): orthogonal_ init scaled by calculate_gain,
// PixelShuffle(3), MSELoss, Adam lr 0.01, and the PSNR of a test pass.
const { nn, optim } = torch
const init = torch.nn.init

class Net extends nn.Module {
  relu = nn.ReLU()
  conv1 = nn.Conv2d(1, 64, [5, 5], [1, 1], [2, 2])
  conv2 = nn.Conv2d(64, 64, [3, 3], [1, 1], [1, 1])
  conv3 = nn.Conv2d(64, 32, [3, 3], [1, 1], [1, 1])
  conv4: torch.nn.Conv2d
  pixel_shuffle: torch.nn.PixelShuffle

  constructor(upscale_factor: number) {
    super()
    this.conv4 = nn.Conv2d(32, upscale_factor ** 2, [3, 3], [1, 1], [1, 1])
    this.pixel_shuffle = nn.PixelShuffle(upscale_factor)
    this._initialize_weights()
  }

  forward(x: torch.Tensor): torch.Tensor {
    x = this.relu.call(this.conv1.call(x))
    x = this.relu.call(this.conv2.call(x))
    x = this.relu.call(this.conv3.call(x))
    return this.pixel_shuffle.call(this.conv4.call(x))
  }

  _initialize_weights(): void {
    init.orthogonal_(this.conv1.weight, init.calculate_gain('relu'))
    init.orthogonal_(this.conv2.weight, init.calculate_gain('relu'))
    init.orthogonal_(this.conv3.weight, init.calculate_gain('relu'))
    init.orthogonal_(this.conv4.weight)
  }
}

describe('pytorch/examples super_resolution', () => {
  it('trains and scores as PyTorch does', () => {
    torch.manual_seed(123)
    const model = new Net(3)
    const criterion = nn.MSELoss()
    const optimizer = optim.Adam(model.parameters(), { lr: 0.01 })
    const inputs = torch.rand(3, 2, 1, 6, 6)
    const targets = torch.rand(3, 2, 1, 18, 18)
    const losses: number[] = []
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let i = 0; i < 3; i++) {
        optimizer.zero_grad()
        const loss = criterion.call(model.call(inputs.index(i)), targets.index(i))
        losses.push(loss.item() as number)
        loss.backward()
        optimizer.step()
      }
    }
    let avg_psnr = 0
    torch.no_grad(() => {
      for (let i = 0; i < 3; i++) {
        const prediction = model.call(inputs.index(i))
        const mse = criterion.call(prediction, targets.index(i))
        avg_psnr += 10 * Math.log10(1 / (mse.item() as number))
      }
    })
    expectClose(losses, fixture.losses, 1e-4, 1e-6)
    expectClose(avg_psnr / 3, fixture.psnr, 1e-4, 0)
    expectClose(summary(model), fixture.params, 1e-3, 1e-4)
  })
})
