import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/siamese.json'
import { expectClose, summary } from './portHelpers'

// pytorch/examples siamese_network/main.py in the small, ported line by line (twin:
// test/torch/fixtures/ports/siamese.py): shared CNN over both inputs, BCELoss, Adadelta + StepLR,
// a shuffled DataLoader drawing PyTorch's order from the same global generator.
const { nn, optim } = torch
const { DataLoader, TensorDataset } = torch.utils.data
const { StepLR } = torch.optim.lr_scheduler

class SiameseNetwork extends nn.Module {
  cnn = nn.Sequential(
    nn.Conv2d(1, 4, { kernel_size: 3 }),
    nn.ReLU({ inplace: true }),
    nn.MaxPool2d(2),
    nn.Conv2d(4, 8, { kernel_size: 3 }),
    nn.ReLU({ inplace: true }),
    nn.AdaptiveAvgPool2d([1, 1]),
  )
  fc_in_features = 8
  fc = nn.Sequential(nn.Linear(this.fc_in_features * 2, 16), nn.ReLU({ inplace: true }), nn.Linear(16, 1))
  sigmoid = nn.Sigmoid()

  constructor() {
    super()
    this.cnn.apply((m) => this.init_weights(m))
    this.fc.apply((m) => this.init_weights(m))
  }

  init_weights(m: torch.nn.Module): void {
    if (m instanceof nn.Linear) {
      torch.nn.init.xavier_uniform_(m.weight)
      m.bias!.data.fill_(0.01)
    }
  }

  forward_once(x: torch.Tensor): torch.Tensor {
    const output = this.cnn.call(x)
    return output.view(output.size()[0]!, -1)
  }

  forward(input1: torch.Tensor, input2: torch.Tensor): torch.Tensor {
    const output1 = this.forward_once(input1)
    const output2 = this.forward_once(input2)
    let output = torch.cat([output1, output2], 1)
    output = this.fc.call(output)
    return this.sigmoid.call(output)
  }
}

type Loader = ReturnType<typeof DataLoader<torch.Tensor[]>>
type Adadelta = ReturnType<typeof optim.Adadelta>

const train = (model: SiameseNetwork, loader: Loader, optimizer: Adadelta, losses: number[]): void => {
  model.train()
  const criterion = new nn.BCELoss()
  for (const [images1, images2, targets] of loader) {
    optimizer.zero_grad()
    const outputs = model.call(images1!, images2!).squeeze()
    const loss = criterion.call(outputs, targets!)
    loss.backward()
    optimizer.step()
    losses.push(loss.item() as number)
  }
}

const test = (model: SiameseNetwork, loader: Loader): [number, number] => {
  model.eval()
  let [testLoss, correct] = [0, 0]
  const criterion = new nn.BCELoss()
  torch.no_grad(() => {
    for (const [images1, images2, targets] of loader) {
      const outputs = model.call(images1!, images2!).squeeze()
      testLoss += criterion.call(outputs, targets!).sum().item() as number
      const pred = torch.where(outputs.gt(0.5), 1, 0)
      correct += pred.eq(targets!.view_as(pred)).sum().item() as number
    }
  })
  return [testLoss / (loader.dataset as torch.utils.data.Dataset<torch.Tensor[]>).length, correct]
}

describe('pytorch/examples siamese_network', () => {
  it('trains and tests as PyTorch does', () => {
    torch.manual_seed(1)
    const [a, b] = [torch.randn(12, 1, 12, 12), torch.randn(12, 1, 12, 12)]
    const targets = a
      .mean([1, 2, 3])
      .gt(b.mean([1, 2, 3]))
      .float()
    const dataset = TensorDataset(a, b, targets)
    const trainLoader = DataLoader(dataset, { batch_size: 4, shuffle: true })
    const testLoader = DataLoader(dataset, { batch_size: 6 })
    const model = new SiameseNetwork()
    const optimizer = optim.Adadelta(model.parameters(), { lr: 1.0 })
    const scheduler = StepLR(optimizer, { step_size: 1, gamma: 0.7 })
    const losses: number[] = []
    const tests: Array<[number, number]> = []
    const lrs: number[] = []
    for (let epoch = 1; epoch < 3; epoch++) {
      train(model, trainLoader, optimizer, losses)
      tests.push(test(model, testLoader))
      scheduler.step()
      lrs.push(scheduler.get_last_lr()[0]!)
    }
    expectClose(losses, fixture.losses, 1e-5, 1e-7)
    expectClose(tests, fixture.tests, 1e-5, 1e-7)
    expectClose(lrs, fixture.lrs, 1e-15, 0)
    expectClose(summary(model), fixture.params, 1e-4, 1e-5)
  })
})
