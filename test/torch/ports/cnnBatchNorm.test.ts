import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/cnn_batchnorm.json'
import { expectClose, summary } from './portHelpers'

// yunjey/pytorch-tutorial's convolutional_neural_network/main.py ported line by line (twin:
// test/torch/fixtures/ports/cnn_batchnorm.py): Conv2d-BatchNorm2d-ReLU-MaxPool2d twice, Adam,
// CrossEntropyLoss, then eval() and torch.max(outputs.data, 1) accuracy.
const { nn } = torch
type T = torch.Tensor
const num_classes = 10
const learning_rate = 0.001

class ConvNet extends nn.Module {
  layer1 = nn.Sequential(
    nn.Conv2d(1, 16, { kernel_size: 5, stride: 1, padding: 2 }),
    nn.BatchNorm2d(16),
    nn.ReLU(),
    nn.MaxPool2d({ kernel_size: 2, stride: 2 }),
  )
  layer2 = nn.Sequential(
    nn.Conv2d(16, 32, { kernel_size: 5, stride: 1, padding: 2 }),
    nn.BatchNorm2d(32),
    nn.ReLU(),
    nn.MaxPool2d({ kernel_size: 2, stride: 2 }),
  )
  fc: torch.nn.Linear

  constructor(num_classes = 10) {
    super()
    this.fc = nn.Linear(7 * 7 * 32, num_classes)
  }

  forward(x: T): T {
    let out = this.layer1.call(x)
    out = this.layer2.call(out)
    out = out.reshape(out.size(0), -1)
    return this.fc.call(out)
  }
}

describe('yunjey/pytorch-tutorial CNN', () => {
  it('trains and tests as PyTorch does', () => {
    torch.manual_seed(4)
    const model = new ConvNet(num_classes)
    const criterion = nn.CrossEntropyLoss()
    const optimizer = torch.optim.Adam(model.parameters(), { lr: learning_rate })
    const train_images = torch.rand(4, 6, 1, 28, 28)
    const train_labels = torch.randint(0, 10, [4, 6])
    const losses: number[] = []
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let i = 0; i < 4; i++) {
        const [images, labels] = [train_images.index(i), train_labels.index(i)]
        const outputs = model.call(images)
        const loss = criterion.call(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.push(loss.item() as number)
      }
    }
    model.eval()
    let correct = 0
    let total = 0
    const maxima: number[][] = []
    torch.no_grad(() => {
      for (let i = 0; i < 4; i++) {
        const [images, labels] = [train_images.index(i), train_labels.index(i)]
        const outputs = model.call(images)
        const [values, predicted] = torch.max(outputs.data, 1) as [T, T]
        total += labels.size(0)
        correct += predicted.eq(labels).sum().item() as number
        maxima.push(values.tolist() as number[])
      }
    })
    expectClose(losses, fixture.losses, 1e-4, 1e-6)
    expect([correct, total]).toEqual([fixture.correct, fixture.total])
    // The convolution biases sit before BatchNorm (train mode), so their gradients are zero in
    // exact arithmetic and ±1e-7 float32 rounding noise in both libraries (PyTorch's own values:
    // -1.6e-7, -1.8e-7, … beside weight gradients of 0.1), which Adam turns into steps of up to lr
    // in either direction, on each side independently: 8 steps of lr 1e-3 bound those biases'
    // difference by 2 · 8 · 1e-3 (the signs of the noise decide it: any change of float32 rounding
    // order anywhere upstream moves it within that bound). They shift the BatchNorm inputs and
    // hence running_mean and the eval outputs, compared at a matching absolute tolerance.
    const noisy = ['layer1.0.bias', 'layer2.0.bias']
    const got = summary(model)
    const want = fixture.params as Record<string, number[]>
    for (const k of Object.keys(want)) {
      if (noisy.includes(k)) expectClose(got[k]!.slice(2), want[k]!.slice(2), 0, 1.6e-2, k)
      else expectClose(got[k], want[k], 1e-3, 1e-4, k)
    }
    expectClose(maxima, fixture.maxima, 0, 5e-3)
    const bn1 = model.layer1.at(1) as torch.nn.BatchNorm2d
    const bn2 = model.layer2.at(1) as torch.nn.BatchNorm2d
    const [rm, rv, tracked] = fixture.running as [number[], number[], number]
    expectClose(bn1.running_mean!.index(':4').tolist(), rm, 0, 1.6e-2)
    expectClose(bn2.running_var!.index(':4').tolist(), rv, 1e-3, 1e-4)
    expect(bn2.num_batches_tracked!.item()).toBe(tracked)
  })
})
