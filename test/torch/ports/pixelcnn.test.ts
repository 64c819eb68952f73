import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/pixelcnn.json'
import { expectClose, summary } from './portHelpers'

// jzbontar/pixelcnn-pytorch's PixelCNN as its author writes it, with 8 feature maps, three masked
// layers and 8×8 images (twin: test/torch/fixtures/ports/pixelcnn.py): MaskedConv2d extends
// nn.Conv2d, registers a mask buffer cloned from weight.data, fills it and zeroes slices, and
// multiplies weight.data by it in place before each convolution; BatchNorm2d, ReLU(True),
// cross_entropy over 256 intensity classes, Adam; then the pixel-by-pixel sampling loop with
// F.softmax and torch.multinomial.
const { nn, optim } = torch
const F = torch.nn.functional
type T = torch.Tensor

class MaskedConv2d extends nn.Conv2d {
  declare mask: T

  constructor(mask_type: string, ...args: ConstructorParameters<typeof nn.Conv2d>) {
    super(...args)
    if (!['A', 'B'].includes(mask_type)) throw new Error('AssertionError')
    this.register_buffer('mask', this.weight.data.clone())
    const [, , kH, kW] = this.weight.size() as number[]
    this.mask.fill_(1)
    this.mask.set(':', ':', Math.floor(kH! / 2), `${Math.floor(kW! / 2) + (mask_type === 'B' ? 1 : 0)}:`, 0)
    this.mask.set(':', ':', `${Math.floor(kH! / 2) + 1}:`, 0)
  }

  override forward(x: T): T {
    this.weight.data.mul_(this.mask)
    return super.forward(x)
  }
}

describe('PixelCNN (jzbontar/pixelcnn-pytorch)', () => {
  it('trains and samples as PyTorch does', () => {
    torch.manual_seed(0)
    const fm = 8
    const net = nn.Sequential(
      new MaskedConv2d('A', 1, fm, 7, 1, 3, { bias: false }),
      nn.BatchNorm2d(fm),
      nn.ReLU(true),
      new MaskedConv2d('B', fm, fm, 7, 1, 3, { bias: false }),
      nn.BatchNorm2d(fm),
      nn.ReLU(true),
      new MaskedConv2d('B', fm, fm, 7, 1, 3, { bias: false }),
      nn.BatchNorm2d(fm),
      nn.ReLU(true),
      nn.Conv2d(fm, 256, 1),
    )
    const optimizer = optim.Adam(net.parameters())
    const data = torch.rand(24, 1, 8, 8).mul(255).floor().div(255)
    const losses: number[] = []
    for (let epoch = 0; epoch < 2; epoch++) {
      net.train(true)
      for (let b = 0; b < 3; b++) {
        const input = data.index(`${b * 8}:${(b + 1) * 8}`)
        const target = input.data.index(':', 0).mul(255).long()
        const loss = F.cross_entropy(net.call(input), target)
        losses.push(loss.item() as number)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
      }
    }
    const layer = (i: number): MaskedConv2d => net.at(i) as MaskedConv2d
    expect([0, 3].map((i) => layer(i).mask.index(0, 0).tolist())).toEqual(fixture.masks)
    expectClose(losses, fixture.losses, 2e-6, 0)
    expectClose(layer(0).weight.grad!.index(0, 0).tolist(), fixture.grad0, 1e-4, 1e-7)
    expectClose((net.at(1) as torch.nn.BatchNorm2d).running_mean!.tolist(), fixture.running_mean, 1e-5, 1e-7)

    const sample = new torch.Tensor(4, 1, 8, 8) // a class: JavaScript needs new
    sample.fill_(0)
    net.train(false)
    torch.no_grad(() => {
      for (let i = 0; i < 8; i++) {
        for (let j = 0; j < 8; j++) {
          const out = net.call(sample)
          const probs = F.softmax(out.index(':', ':', i, j), { dim: -1 }).data
          sample.set(':', ':', i, j, torch.multinomial(probs, 1).float().div(255.0))
        }
      }
    })
    expect(sample.index(':', 0).mul(255).round().long().tolist()).toEqual(fixture.sample)
    // the sampling forwards masked weight.data again: Adam's last step on masked entries is gone
    expectClose(summary(net), fixture.summary, 1e-4, 1e-6)
  })
})
