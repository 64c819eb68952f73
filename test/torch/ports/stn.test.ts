import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/stn.json'
import { expectClose, summary } from './portHelpers'

// PyTorch's "Spatial Transformer Networks" tutorial ported line by line on MNIST-sized random
// images (twin: test/torch/fixtures/ports/stn.py): the localization network, fc_loc initialised
// to the identity through .data.zero_() / .data.copy_(), F.affine_grid + F.grid_sample, the LeNet
// classifier with Dropout2d and F.dropout in training mode, SGD, and the tutorial's test loop.
const { nn, optim } = torch
const F = torch.nn.functional
const { DataLoader, TensorDataset } = torch.utils.data

const device = torch.device('cpu')

class Net extends nn.Module {
  conv1 = nn.Conv2d(1, 10, { kernel_size: 5 })
  conv2 = nn.Conv2d(10, 20, { kernel_size: 5 })
  conv2_drop = nn.Dropout2d()
  fc1 = nn.Linear(320, 50)
  fc2 = nn.Linear(50, 10)
  // Spatial transformer localization-network
  localization = nn.Sequential(
    nn.Conv2d(1, 8, { kernel_size: 7 }),
    nn.MaxPool2d(2, { stride: 2 }),
    nn.ReLU(true),
    nn.Conv2d(8, 10, { kernel_size: 5 }),
    nn.MaxPool2d(2, { stride: 2 }),
    nn.ReLU(true),
  )
  // Regressor for the 3 * 2 affine matrix
  fc_loc = nn.Sequential(nn.Linear(10 * 3 * 3, 32), nn.ReLU(true), nn.Linear(32, 3 * 2))

  constructor() {
    super()
    // Initialize the weights/bias with identity transformation
    const last = this.fc_loc[2] as torch.nn.Linear
    last.weight.data.zero_()
    ;(last.bias as torch.Tensor).data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], { dtype: torch.float }))
  }

  // Spatial transformer network forward function
  stn(x: torch.Tensor): torch.Tensor {
    let xs = this.localization.call(x)
    xs = xs.view(-1, 10 * 3 * 3)
    let theta = this.fc_loc.call(xs)
    theta = theta.view(-1, 2, 3)

    const grid = F.affine_grid(theta, x.size())
    x = F.grid_sample(x, grid)

    return x
  }

  forward(x: torch.Tensor): torch.Tensor {
    // transform the input
    x = this.stn(x)

    // Perform the usual forward pass
    x = F.relu(F.max_pool2d(this.conv1.call(x), 2))
    x = F.relu(F.max_pool2d(this.conv2_drop.call(this.conv2.call(x)), 2))
    x = x.view(-1, 320)
    x = F.relu(this.fc1.call(x))
    x = F.dropout(x, { training: this.training })
    x = this.fc2.call(x)
    return F.log_softmax(x, { dim: 1 })
  }
}

describe('Spatial Transformer Networks tutorial', () => {
  it('trains and tests as PyTorch does', () => {
    torch.manual_seed(0)
    const images = torch.rand(24, 1, 28, 28).sub(0.1307).div(0.3081)
    const labels = torch.randint(0, 10, [24])
    const train_loader = DataLoader(TensorDataset(images.index(':16'), labels.index(':16')), {
      batch_size: 8,
      shuffle: true,
    })
    const test_loader = DataLoader(TensorDataset(images.index('16:'), labels.index('16:')), {
      batch_size: 4,
      shuffle: false,
    })
    const model = new Net().to(device)
    const optimizer = optim.SGD(model.parameters(), { lr: 0.01 })
    const losses: number[] = []

    const train = (): void => {
      model.train()
      for (const batch of train_loader) {
        let [data, target] = batch as [torch.Tensor, torch.Tensor]
        ;[data, target] = [data.to(device), target.to(device)]
        optimizer.zero_grad()
        const output = model.call(data)
        const loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        losses.push(loss.item())
      }
    }

    const test = (): [number, number] =>
      torch.no_grad(() => {
        model.eval()
        let test_loss = 0
        let correct = 0
        for (const batch of test_loader) {
          let [data, target] = batch as [torch.Tensor, torch.Tensor]
          ;[data, target] = [data.to(device), target.to(device)]
          const output = model.call(data)
          // sum up batch loss
          test_loss += F.nll_loss(output, target, { size_average: false }).item()
          // get the index of the max log-probability
          const pred = output.max(1, { keepdim: true })[1]
          correct += pred.eq(target.view_as(pred)).sum().item()
        }
        test_loss /= (test_loader.dataset as { __len__(): number }).__len__()
        return [test_loss, correct]
      })

    let result: [number, number] = [0, 0]
    for (let epoch = 1; epoch < 3; epoch++) {
      train()
      result = test()
    }
    const transformed = torch.no_grad(() => model.stn(images.index('16:18')).cpu())
    expectClose(losses, fixture.losses, 1e-5, 1e-6)
    expectClose(result, fixture.test, 1e-5, 1e-6)
    expectClose(
      [
        transformed.sum().item(),
        transformed.abs().sum().item(),
        transformed.index(0, 0, 10, '5:9').tolist() as number[],
      ],
      fixture.transformed,
      1e-4,
      1e-5,
    )
    expectClose((model.fc_loc[2] as torch.nn.Linear).bias?.tolist(), fixture.theta_bias, 1e-5, 1e-6)
    expectClose(summary(model), fixture.summary, 1e-4, 1e-5)
  })
})
