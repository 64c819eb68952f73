import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/convnext.json'
import { expectClose, summary } from './portHelpers'

// ConvNeXt as facebookresearch/ConvNeXt writes it, widths and depths cut (twin:
// test/torch/fixtures/ports/convnext.py): the patchify stem with a channels_first LayerNorm
// written out, Blocks of depthwise 7×7 Conv2d, permute to channels-last, F.layer_norm, Linear
// pointwise convs with GELU, layer scale and timm's drop_path (bernoulli_ mask / keep_prob) with
// rates from torch.linspace, downsampling layers, pooling, nn.LayerNorm and head;
// self.apply(_init_weights) with trunc_normal_, AdamW + CosineAnnealingLR, label smoothing.
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor

const drop_path = (x: T, drop_prob = 0.0, training = false, scale_by_keep = true): T => {
  if (drop_prob === 0.0 || !training) return x
  const keep_prob = 1 - drop_prob
  const shape = [x.shape[0]!, ...Array<number>(x.ndim - 1).fill(1)]
  const random_tensor = x.new_empty(shape).bernoulli_(keep_prob)
  if (keep_prob > 0.0 && scale_by_keep) random_tensor.div_(keep_prob)
  return x.mul(random_tensor)
}

class DropPath extends nn.Module {
  constructor(
    public drop_prob = 0.0,
    public scale_by_keep = true,
  ) {
    super()
  }
  forward(x: T): T {
    return drop_path(x, this.drop_prob, this.training, this.scale_by_keep)
  }
}

class LayerNorm extends nn.Module {
  weight: torch.nn.Parameter
  bias: torch.nn.Parameter
  normalized_shape: number[]
  constructor(
    normalized_shape: number,
    public eps = 1e-6,
    public data_format = 'channels_last',
  ) {
    super()
    this.weight = nn.Parameter(torch.ones(normalized_shape))
    this.bias = nn.Parameter(torch.zeros(normalized_shape))
    if (!['channels_last', 'channels_first'].includes(data_format)) throw new Error('NotImplementedError')
    this.normalized_shape = [normalized_shape]
  }
  forward(x: T): T {
    if (this.data_format === 'channels_last') {
      return F.layer_norm(x, this.normalized_shape, this.weight, this.bias, this.eps)
    }
    const u = x.mean(1, { keepdim: true })
    const s = x.sub(u).pow(2).mean(1, { keepdim: true })
    x = x.sub(u).div(torch.sqrt(s.add(this.eps)))
    return this.weight
      .index(':', null, null)
      .mul(x)
      .add(this.bias.index(':', null, null))
  }
}

class Block extends nn.Module {
  dwconv: torch.nn.Conv2d
  norm: LayerNorm
  pwconv1: torch.nn.Linear
  act: torch.nn.GELU
  pwconv2: torch.nn.Linear
  gamma: torch.nn.Parameter | null
  drop_path: DropPath | torch.nn.Identity
  constructor(dim: number, drop_path = 0.0, layer_scale_init_value = 1e-6) {
    super()
    this.dwconv = nn.Conv2d(dim, dim, { kernel_size: 7, padding: 3, groups: dim })
    this.norm = new LayerNorm(dim, 1e-6)
    this.pwconv1 = nn.Linear(dim, 4 * dim)
    this.act = nn.GELU()
    this.pwconv2 = nn.Linear(4 * dim, dim)
    this.gamma =
      layer_scale_init_value > 0
        ? nn.Parameter(torch.ones(dim).mul(layer_scale_init_value), { requires_grad: true })
        : null
    this.drop_path = drop_path > 0.0 ? new DropPath(drop_path) : nn.Identity()
  }
  forward(x: T): T {
    const input = x
    x = this.dwconv.call(x)
    x = x.permute(0, 2, 3, 1)
    x = this.norm.call(x)
    x = this.pwconv1.call(x)
    x = this.act.call(x)
    x = this.pwconv2.call(x)
    if (this.gamma !== null) x = this.gamma.mul(x)
    x = x.permute(0, 3, 1, 2)
    return input.add(this.drop_path.call(x))
  }
}

class ConvNeXt extends nn.Module {
  downsample_layers: torch.nn.ModuleList<torch.nn.Sequential>
  stages: torch.nn.ModuleList<torch.nn.Sequential>
  norm: torch.nn.LayerNorm
  head: torch.nn.Linear
  constructor(
    in_chans = 3,
    num_classes = 5,
    depths = [2, 2],
    dims = [8, 16],
    drop_path_rate = 0.2,
    layer_scale_init_value = 0.5,
    head_init_scale = 1.0,
  ) {
    super()
    this.downsample_layers = nn.ModuleList()
    const stem = nn.Sequential(
      nn.Conv2d(in_chans, dims[0]!, { kernel_size: 4, stride: 4 }),
      new LayerNorm(dims[0]!, 1e-6, 'channels_first'),
    )
    this.downsample_layers.append(stem)
    for (let i = 0; i < dims.length - 1; i++) {
      const downsample_layer = nn.Sequential(
        new LayerNorm(dims[i]!, 1e-6, 'channels_first'),
        nn.Conv2d(dims[i]!, dims[i + 1]!, { kernel_size: 2, stride: 2 }),
      )
      this.downsample_layers.append(downsample_layer)
    }
    this.stages = nn.ModuleList()
    const total = depths.reduce((a, b) => a + b, 0)
    const dp_rates = (torch.linspace(0, drop_path_rate, total).tolist() as number[]).map((x) => x)
    let cur = 0
    for (let i = 0; i < dims.length; i++) {
      const blocks = Array.from(
        { length: depths[i]! },
        (_, j) => new Block(dims[i]!, dp_rates[cur + j], layer_scale_init_value),
      )
      this.stages.append(nn.Sequential(...blocks))
      cur += depths[i]!
    }
    this.norm = nn.LayerNorm(dims[dims.length - 1]!, { eps: 1e-6 })
    this.head = nn.Linear(dims[dims.length - 1]!, num_classes)
    this.apply((m) => this._init_weights(m))
    this.head.weight.data.mul_(head_init_scale)
    this.head.bias!.data.mul_(head_init_scale)
  }
  _init_weights(m: torch.nn.Module): void {
    if (m instanceof nn.Conv2d || m instanceof nn.Linear) {
      nn.init.trunc_normal_(m.weight, { std: 0.2 })
      nn.init.constant_(m.bias!, 0)
    }
  }
  forward_features(x: T): T {
    for (let i = 0; i < this.stages.length; i++) {
      x = this.downsample_layers[i]!.call(x) as T
      x = this.stages[i]!.call(x) as T
    }
    return this.norm.call(x.mean([-2, -1]))
  }
  forward(x: T): T {
    x = this.forward_features(x)
    return this.head.call(x)
  }
}

describe('ConvNeXt (depthwise conv, channels-last LayerNorm, layer scale, drop path)', () => {
  it('trains as PyTorch does', () => {
    torch.manual_seed(0)
    const model = new ConvNeXt(3, 5, [2, 2], [8, 16], 0.2, 0.5, 0.5)
    const images = torch.randn(3, 4, 3, 16, 16)
    const labels = torch.randint(0, 5, [3, 4])
    const criterion = new nn.CrossEntropyLoss({ label_smoothing: 0.1 })
    const optimizer = torch.optim.AdamW(model.parameters(), { lr: 4e-3, weight_decay: 0.05 })
    const scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, { T_max: 3 })
    const [losses, lrs]: [number[], number[]] = [[], []]
    model.train()
    for (let i = 0; i < 3; i++) {
      optimizer.zero_grad()
      const loss = criterion.call(model.call(images.index(i)), labels.index(i))
      loss.backward()
      optimizer.step()
      scheduler.step()
      losses.push(loss.item() as number)
      lrs.push(scheduler.get_last_lr()[0]!)
    }
    const gamma_grad = ((model.stages[0] as torch.nn.Sequential)[1] as Block).gamma!.grad!.tolist()
    model.eval()
    const logits = torch.no_grad(() => model.call(images.index(0)))
    torch.manual_seed(1)
    const masked = drop_path(torch.ones(6, 2, 1, 1), 0.5, true)
    expectClose(torch.linspace(0, 0.2, 4).tolist(), fixture.dp_rates, 0, 0)
    expect(masked.reshape(-1).tolist()).toEqual(fixture.drop_path)
    expectClose(losses, fixture.losses, 1e-5, 1e-6)
    expectClose(lrs, fixture.lrs, 1e-12, 1e-18)
    expectClose(gamma_grad, fixture.gamma_grad, 1e-4, 1e-6)
    expectClose(logits.index(0).tolist(), fixture.logits, 1e-4, 1e-5)
    expectClose(summary(model), fixture.params, 1e-4, 1e-5)
  })
})
