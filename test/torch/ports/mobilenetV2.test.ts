import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/mobilenet_v2.json'
import { expectClose, summary } from './portHelpers'

// torchvision.models.mobilenetv2 ported line by line at width 0.5 (twin:
// test/torch/fixtures/ports/mobilenet_v2.py): ConvBNReLU as a Sequential subclass, ReLU6,
// depthwise 3x3 convolutions (groups = hidden_dim), the residual InvertedResidual, the init loop
// over modules(), label-smoothed cross-entropy, SGD with CosineAnnealingLR, BatchNorm eval, top-5.
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor
type NormLayer = (n: number) => torch.nn.Module

const _make_divisible = (v: number, divisor: number, min_value?: number): number => {
  if (min_value === undefined) min_value = divisor
  let new_v = Math.max(min_value, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor)
  // Make sure that round down does not go down by more than 10%.
  if (new_v < 0.9 * v) new_v += divisor
  return new_v
}

class ConvBNReLU extends nn.Sequential {
  constructor(in_planes: number, out_planes: number, kernel_size = 3, stride = 1, groups = 1, norm_layer?: NormLayer) {
    const padding = Math.floor((kernel_size - 1) / 2)
    const norm = norm_layer ?? ((n: number) => nn.BatchNorm2d(n))
    super(
      nn.Conv2d(in_planes, out_planes, kernel_size, stride, padding, { groups, bias: false }),
      norm(out_planes),
      nn.ReLU6({ inplace: true }),
    )
  }
}

class InvertedResidual extends nn.Module {
  stride: number
  use_res_connect: boolean
  conv: torch.nn.Sequential
  out_channels: number
  _is_cn: boolean

  constructor(inp: number, oup: number, stride: number, expand_ratio: number, norm_layer?: NormLayer) {
    super()
    this.stride = stride
    if (![1, 2].includes(stride)) throw new Error(`stride should be 1 or 2 instead of ${stride}`)
    const norm = norm_layer ?? ((n: number) => nn.BatchNorm2d(n))
    const hidden_dim = Math.round(inp * expand_ratio)
    this.use_res_connect = this.stride === 1 && inp === oup
    const layers: torch.nn.Module[] = []
    if (expand_ratio !== 1) layers.push(new ConvBNReLU(inp, hidden_dim, 1, 1, 1, norm))
    layers.push(
      new ConvBNReLU(hidden_dim, hidden_dim, 3, stride, hidden_dim, norm),
      nn.Conv2d(hidden_dim, oup, 1, 1, 0, { bias: false }),
      norm(oup),
    )
    this.conv = nn.Sequential(...layers)
    this.out_channels = oup
    this._is_cn = stride > 1
  }

  forward(x: T): T {
    if (this.use_res_connect) return x.add(this.conv.call(x))
    return this.conv.call(x)
  }
}

class MobileNetV2 extends nn.Module {
  last_channel: number
  features: torch.nn.Sequential
  classifier: torch.nn.Sequential

  constructor(num_classes = 10, width_mult = 0.5, round_nearest = 8, dropout = 0.2) {
    super()
    const norm_layer = (n: number): torch.nn.Module => nn.BatchNorm2d(n)
    let input_channel = 32
    const last_channel = 64
    const inverted_residual_setting = [
      [1, 16, 1, 1],
      [6, 24, 2, 2],
      [6, 32, 2, 2],
    ]
    input_channel = _make_divisible(input_channel * width_mult, round_nearest)
    this.last_channel = _make_divisible(last_channel * Math.max(1.0, width_mult), round_nearest)
    const features: torch.nn.Module[] = [new ConvBNReLU(3, input_channel, 3, 2, 1, norm_layer)]
    for (const [t, c, n, s] of inverted_residual_setting as [number, number, number, number][]) {
      const output_channel = _make_divisible(c * width_mult, round_nearest)
      for (let i = 0; i < n; i++) {
        const stride = i === 0 ? s : 1
        features.push(new InvertedResidual(input_channel, output_channel, stride, t, norm_layer))
        input_channel = output_channel
      }
    }
    features.push(new ConvBNReLU(input_channel, this.last_channel, 1, 1, 1, norm_layer))
    this.features = nn.Sequential(...features)
    this.classifier = nn.Sequential(nn.Dropout({ p: dropout }), nn.Linear(this.last_channel, num_classes))
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        nn.init.kaiming_normal_(m.weight, { mode: 'fan_out' })
        if (m.bias !== null) nn.init.zeros_(m.bias)
      } else if (m instanceof nn.BatchNorm2d || m instanceof nn.GroupNorm) {
        nn.init.ones_(m.weight!)
        nn.init.zeros_(m.bias!)
      } else if (m instanceof nn.Linear) {
        nn.init.normal_(m.weight, 0, 0.01)
        nn.init.zeros_(m.bias!)
      }
    }
  }

  forward(x: T): T {
    x = this.features.call(x)
    x = nn.functional.adaptive_avg_pool2d(x, [1, 1])
    x = torch.flatten(x, 1)
    return this.classifier.call(x)
  }
}

describe('torchvision MobileNetV2', () => {
  it('trains and evaluates as PyTorch does', () => {
    torch.manual_seed(5)
    const model = new MobileNetV2()
    const criterion = nn.CrossEntropyLoss({ label_smoothing: 0.1 })
    const optimizer = torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weight_decay: 4e-5 })
    const lr_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, { T_max: 4 })
    const images = torch.randn(4, 4, 3, 16, 16)
    const targets = torch.randint(0, 10, [4, 4])
    const losses: number[] = []
    const lrs: number[] = []
    model.train()
    for (let b = 0; b < 4; b++) {
      const [image, target] = [images.index(b), targets.index(b)]
      const output = model.call(image)
      const loss = criterion.call(output, target)
      optimizer.zero_grad()
      loss.backward()
      optimizer.step()
      lrs.push(optimizer.param_groups[0]!.lr as number)
      lr_scheduler.step()
      losses.push(loss.item() as number)
    }
    model.eval()
    const [output, eval_loss, pred] = torch.no_grad(() => {
      const out = model.call(images.index(0))
      const [, p] = out.topk(5, 1, true, true) as [T, T]
      return [out, F.cross_entropy(out, targets.index(0)).item() as number, p] as const
    })
    expectClose(losses, fixture.losses, 1e-4, 1e-6)
    expectClose(lrs, fixture.lrs, 1e-12, 0)
    expectClose(eval_loss, fixture.eval_loss, 1e-4, 0)
    expectClose([output.sum().item(), output.index(0, ':4').tolist()], fixture.logits, 1e-3, 1e-4)
    expect(pred.tolist()).toEqual(fixture.top5)
    let n = 0
    for (const p of model.parameters()) n += p.numel()
    expect(n).toBe(fixture.n_params)
    expectClose(summary(model), fixture.params, 1e-3, 1e-4)
    const block = model.features.at(2) as InvertedResidual
    const bnA = (block.conv.at(1) as torch.nn.Sequential).at(1) as torch.nn.BatchNorm2d
    const bnB = (model.features.at(-1) as torch.nn.Sequential).at(1) as torch.nn.BatchNorm2d
    expectClose(
      [bnA.running_mean!.index(':4').tolist(), bnB.running_var!.index(':4').tolist()],
      fixture.running,
      1e-4,
      1e-6,
    )
  })
})
