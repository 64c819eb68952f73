import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/unet.json'
import { expectClose, summary } from './portHelpers'

// milesial/Pytorch-UNet ported line by line (twin: test/torch/fixtures/ports/unet.py):
// DoubleConv, Down (MaxPool2d), Up (ConvTranspose2d, F.pad to the skip's size, cat), OutConv;
// cross_entropy plus the multiclass Dice loss, RMSprop (weight_decay, momentum, foreach) and
// clip_grad_norm_; BatchNorm eval and the Dice score of argmax one_hot masks.
const { nn, optim } = torch
const F = torch.nn.functional
type T = torch.Tensor

class DoubleConv extends nn.Module {
  double_conv: torch.nn.Sequential

  constructor(in_channels: number, out_channels: number, mid_channels?: number) {
    super()
    if (!mid_channels) mid_channels = out_channels
    this.double_conv = nn.Sequential(
      nn.Conv2d(in_channels, mid_channels, { kernel_size: 3, padding: 1, bias: false }),
      nn.BatchNorm2d(mid_channels),
      nn.ReLU({ inplace: true }),
      nn.Conv2d(mid_channels, out_channels, { kernel_size: 3, padding: 1, bias: false }),
      nn.BatchNorm2d(out_channels),
      nn.ReLU({ inplace: true }),
    )
  }

  forward(x: T): T {
    return this.double_conv.call(x)
  }
}

class Down extends nn.Module {
  maxpool_conv: torch.nn.Sequential

  constructor(in_channels: number, out_channels: number) {
    super()
    this.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), new DoubleConv(in_channels, out_channels))
  }

  forward(x: T): T {
    return this.maxpool_conv.call(x)
  }
}

class Up extends nn.Module {
  up: torch.nn.ConvTranspose2d
  conv: DoubleConv

  constructor(in_channels: number, out_channels: number) {
    super()
    this.up = nn.ConvTranspose2d(in_channels, Math.floor(in_channels / 2), { kernel_size: 2, stride: 2 })
    this.conv = new DoubleConv(in_channels, out_channels)
  }

  forward(x1: T, x2: T): T {
    x1 = this.up.call(x1)
    const diffY = x2.size()[2]! - x1.size()[2]!
    const diffX = x2.size()[3]! - x1.size()[3]!
    const h = (d: number): number => Math.floor(d / 2)
    x1 = F.pad(x1, [h(diffX), diffX - h(diffX), h(diffY), diffY - h(diffY)])
    const x = torch.cat([x2, x1], { dim: 1 })
    return this.conv.call(x)
  }
}

class OutConv extends nn.Module {
  conv: torch.nn.Conv2d

  constructor(in_channels: number, out_channels: number) {
    super()
    this.conv = nn.Conv2d(in_channels, out_channels, { kernel_size: 1 })
  }

  forward(x: T): T {
    return this.conv.call(x)
  }
}

class UNet extends nn.Module {
  inc: DoubleConv
  down1: Down
  down2: Down
  up1: Up
  up2: Up
  outc: OutConv

  constructor(
    readonly n_channels: number,
    readonly n_classes: number,
  ) {
    super()
    this.inc = new DoubleConv(n_channels, 8)
    this.down1 = new Down(8, 16)
    this.down2 = new Down(16, 32)
    this.up1 = new Up(32, 16)
    this.up2 = new Up(16, 8)
    this.outc = new OutConv(8, n_classes)
  }

  forward(x: T): T {
    const x1 = this.inc.call(x)
    const x2 = this.down1.call(x1)
    const x3 = this.down2.call(x2)
    x = this.up1.call(x3, x2)
    x = this.up2.call(x, x1)
    return this.outc.call(x)
  }
}

const dice_coeff = (input: T, target: T, reduce_batch_first = false, epsilon = 1e-6): T => {
  const sum_dim = input.dim() === 2 || !reduce_batch_first ? [-1, -2] : [-1, -2, -3]
  const inter = input.mul(target).sum({ dim: sum_dim }).mul(2)
  let sets_sum = input.sum({ dim: sum_dim }).add(target.sum({ dim: sum_dim }))
  sets_sum = torch.where(sets_sum.eq(0), inter, sets_sum)
  const dice = inter.add(epsilon).div(sets_sum.add(epsilon))
  return dice.mean()
}

const multiclass_dice_coeff = (input: T, target: T, reduce_batch_first = false, epsilon = 1e-6): T =>
  dice_coeff(input.flatten(0, 1), target.flatten(0, 1), reduce_batch_first, epsilon)

const dice_loss = (input: T, target: T, multiclass = false): T => {
  const fn = multiclass ? multiclass_dice_coeff : dice_coeff
  return torch.rsub(fn(input, target, true), 1)
}

describe('milesial/Pytorch-UNet', () => {
  it('trains and scores as PyTorch does', () => {
    torch.manual_seed(7)
    const model = new UNet(3, 3)
    const optimizer = optim.RMSprop(model.parameters(), {
      lr: 1e-3,
      weight_decay: 1e-8,
      momentum: 0.9,
      foreach: true,
    })
    const criterion = nn.CrossEntropyLoss()
    const images = torch.rand(3, 2, 3, 10, 10)
    const masks = torch.randint(0, 3, [3, 2, 10, 10])
    const losses: number[][] = []
    model.train()
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let b = 0; b < 3; b++) {
        const [image, true_masks] = [images.index(b), masks.index(b)]
        const masks_pred = model.call(image)
        let loss = criterion.call(masks_pred, true_masks)
        loss = loss.add_(
          dice_loss(
            F.softmax(masks_pred, { dim: 1 }).float(),
            F.one_hot(true_masks, model.n_classes).permute(0, 3, 1, 2).float(),
            true,
          ),
        )
        optimizer.zero_grad({ set_to_none: true })
        loss.backward()
        const norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.push([loss.item() as number, norm.item() as number])
      }
    }
    model.eval()
    const [mask_pred, dice_score] = torch.no_grad(() => {
      const pred = model.call(images.index(0))
      const score = multiclass_dice_coeff(
        F.one_hot(pred.argmax({ dim: 1 }), model.n_classes)
          .permute(0, 3, 1, 2)
          .float()
          .index(':', '1:'),
        F.one_hot(masks.index(0), model.n_classes).permute(0, 3, 1, 2).float().index(':', '1:'),
        false,
      )
      return [pred, score] as const
    })
    expectClose(losses, fixture.losses, 1e-4, 1e-6)
    expectClose(dice_score.item(), fixture.dice, 1e-6, 0)
    expectClose([mask_pred.sum().item(), mask_pred.index(0, 0, 0, ':4').tolist()], fixture.pred, 1e-3, 1e-4)
    expectClose(summary(model), fixture.params, 1e-3, 1e-4)
    const bn1 = model.inc.double_conv.at(1) as torch.nn.BatchNorm2d
    const bn2 = model.up2.conv.double_conv.at(4) as torch.nn.BatchNorm2d
    expectClose(
      [bn1.running_mean!.index(':4').tolist(), bn2.running_var!.index(':4').tolist()],
      fixture.running,
      1e-4,
      1e-6,
    )
  })
})
