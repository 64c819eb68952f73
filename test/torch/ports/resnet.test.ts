import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/resnet.json'
import { expectClose, summary } from './portHelpers'

// torchvision's ResNet (BasicBlock) trained as the ImageNet example trains it, ported line by line
// (twin: test/torch/fixtures/ports/resnet.py): kaiming/constant init over modules(),
// zero_init_residual, `out += identity`, a map-style Dataset written with Python's __getitem__ and
// __len__, a shuffling DataLoader (default collate of dicts) and one with a collate_fn, SGD
// (nesterov, weight decay), StepLR, BatchNorm eval mode, and state_dict through torch.save/load.
const { nn } = torch
const { DataLoader, Dataset } = torch.utils.data

const conv3x3 = (in_planes: number, out_planes: number, stride = 1, groups = 1, dilation = 1) =>
  nn.Conv2d(in_planes, out_planes, { kernel_size: 3, stride, padding: dilation, groups, bias: false, dilation })

const conv1x1 = (in_planes: number, out_planes: number, stride = 1) =>
  nn.Conv2d(in_planes, out_planes, { kernel_size: 1, stride, bias: false })

type NormLayer = (n: number) => torch.nn.BatchNorm2d

class BasicBlock extends nn.Module {
  static expansion = 1
  conv1: torch.nn.Conv2d
  bn1: torch.nn.BatchNorm2d
  relu = nn.ReLU({ inplace: true })
  conv2: torch.nn.Conv2d
  bn2: torch.nn.BatchNorm2d
  downsample: torch.nn.Sequential | null
  stride: number

  constructor(
    inplanes: number,
    planes: number,
    stride = 1,
    downsample: torch.nn.Sequential | null = null,
    norm_layer: NormLayer | null = null,
  ) {
    super()
    if (norm_layer === null) norm_layer = nn.BatchNorm2d
    this.conv1 = conv3x3(inplanes, planes, stride)
    this.bn1 = norm_layer(planes)
    this.conv2 = conv3x3(planes, planes)
    this.bn2 = norm_layer(planes)
    this.downsample = downsample
    this.stride = stride
  }

  forward(x: torch.Tensor): torch.Tensor {
    let identity = x
    let out = this.conv1.call(x)
    out = this.bn1.call(out)
    out = this.relu.call(out)
    out = this.conv2.call(out)
    out = this.bn2.call(out)
    if (this.downsample !== null) identity = this.downsample.call(x) as torch.Tensor
    out.add_(identity)
    out = this.relu.call(out)
    return out
  }
}

class ResNet extends nn.Module {
  _norm_layer: NormLayer = nn.BatchNorm2d
  inplanes = 8
  conv1: torch.nn.Conv2d
  bn1: torch.nn.BatchNorm2d
  relu = nn.ReLU({ inplace: true })
  maxpool = nn.MaxPool2d({ kernel_size: 3, stride: 2, padding: 1 })
  layer1: torch.nn.Sequential
  layer2: torch.nn.Sequential
  avgpool = nn.AdaptiveAvgPool2d([1, 1])
  fc: torch.nn.Linear

  constructor(block: typeof BasicBlock, layers: number[], num_classes = 4, zero_init_residual = false) {
    super()
    this.conv1 = nn.Conv2d(3, this.inplanes, { kernel_size: 7, stride: 2, padding: 3, bias: false })
    this.bn1 = this._norm_layer(this.inplanes)
    this.layer1 = this._make_layer(block, 8, layers[0]!)
    this.layer2 = this._make_layer(block, 16, layers[1]!, 2)
    this.fc = nn.Linear(16 * block.expansion, num_classes)
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        nn.init.kaiming_normal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' })
      } else if (m instanceof nn.BatchNorm2d || m instanceof nn.GroupNorm) {
        nn.init.constant_(m.weight!, 1)
        nn.init.constant_(m.bias!, 0)
      }
    }
    if (zero_init_residual) {
      for (const m of this.modules()) {
        if (m instanceof BasicBlock && m.bn2.weight !== null) nn.init.constant_(m.bn2.weight, 0)
      }
    }
  }

  _make_layer(block: typeof BasicBlock, planes: number, blocks: number, stride = 1): torch.nn.Sequential {
    const norm_layer = this._norm_layer
    let downsample: torch.nn.Sequential | null = null
    if (stride !== 1 || this.inplanes !== planes * block.expansion) {
      downsample = nn.Sequential(
        conv1x1(this.inplanes, planes * block.expansion, stride),
        norm_layer(planes * block.expansion),
      )
    }
    const layers: torch.nn.Module[] = []
    layers.push(new block(this.inplanes, planes, stride, downsample, norm_layer))
    this.inplanes = planes * block.expansion
    for (let i = 1; i < blocks; i++) layers.push(new block(this.inplanes, planes, 1, null, norm_layer))
    return nn.Sequential(...layers)
  }

  forward(x: torch.Tensor): torch.Tensor {
    x = this.conv1.call(x)
    x = this.bn1.call(x)
    x = this.relu.call(x)
    x = this.maxpool.call(x) as torch.Tensor
    x = this.layer1.call(x) as torch.Tensor
    x = this.layer2.call(x) as torch.Tensor
    x = this.avgpool.call(x)
    x = torch.flatten(x, 1)
    x = this.fc.call(x)
    return x
  }
}

interface Sample {
  image: torch.Tensor
  label: number
}

class ShapesDataset extends Dataset<Sample> {
  constructor(
    readonly images: torch.Tensor,
    readonly labels: torch.Tensor,
  ) {
    super()
  }

  override __len__(): number {
    return this.images.__len__()
  }

  override __getitem__(idx: number): Sample {
    return { image: this.images.index(idx), label: Number(this.labels.index(idx).item()) }
  }
}

const collate = (batch: Sample[]): [torch.Tensor, torch.Tensor] => {
  const images = torch.stack(batch.map((b) => b.image))
  // JS has one number type: torch.tensor of numbers is float, so the int64 of Python's ints is spelled out
  const labels = torch.tensor(
    batch.map((b) => b.label),
    { dtype: torch.long },
  )
  return [images, labels]
}

describe("torchvision's ResNet (BasicBlock) trained as the ImageNet example does", () => {
  it('trains, evaluates and round-trips its state_dict as PyTorch does', () => {
    torch.manual_seed(5)
    const model = new ResNet(BasicBlock, [2, 1], 4, true)
    const dataset = new ShapesDataset(torch.randn(10, 3, 16, 16), torch.randint(0, 4, [10]))
    const loader = DataLoader(dataset, { batch_size: 4, shuffle: true })
    const loader2 = DataLoader(dataset, { batch_size: 3, shuffle: false, collate_fn: collate, drop_last: true })
    const criterion = nn.CrossEntropyLoss()
    const optimizer = torch.optim.SGD(model.parameters(), 0.1, { momentum: 0.9, weight_decay: 1e-4, nesterov: true })
    const scheduler = torch.optim.lr_scheduler.StepLR(optimizer, { step_size: 2, gamma: 0.1 })
    const log: number[] = []
    for (let epoch = 0; epoch < 3; epoch++) {
      model.train()
      for (const batch of loader) {
        const { image: images, label: target } = batch as unknown as { image: torch.Tensor; label: torch.Tensor }
        const output = model.call(images)
        const loss = criterion.call(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        log.push(loss.item() as number)
      }
      for (const [images, target] of loader2) {
        const loss = criterion.call(model.call(images), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        log.push(loss.item() as number)
      }
      scheduler.step()
    }
    model.eval()
    const [eval_out, acc1] = torch.no_grad(() => {
      const out = model.call(dataset.images.index(':3'))
      const acc = model.call(dataset.images).argmax(1).eq(dataset.labels).float().mean().item() as number
      return [out, acc] as const
    })
    expectClose(log, fixture.log, 1e-4, 1e-6)
    expectClose(scheduler.get_last_lr(), fixture.lrs, 1e-12, 0)
    expectClose(eval_out.tolist(), fixture.eval_out, 1e-4, 1e-5)
    expect(acc1).toBe(fixture.acc1)
    expect(Object.keys(model.state_dict())).toEqual(fixture.state_keys)
    expectClose(model.bn1.running_mean!.tolist(), fixture.bn1_running_mean, 1e-4, 1e-6)
    expectClose(model.bn1.running_var!.tolist(), fixture.bn1_running_var, 1e-4, 1e-6)
    expect(model.bn1.num_batches_tracked!.item()).toBe(fixture.num_batches_tracked)
    expectClose(summary(model), fixture.params, 1e-4, 1e-5)

    // state_dict → torch.save → torch.load → load_state_dict into a fresh model
    const buf = torch.save(model.state_dict())
    const fresh = new ResNet(BasicBlock, [2, 1])
    const keys = fresh.load_state_dict(torch.load(buf) as Record<string, torch.Tensor>)
    fresh.eval()
    const fresh_out = torch.no_grad(() => fresh.call(dataset.images.index(':3')))
    expect(torch.equal(fresh_out, eval_out)).toBe(fixture.fresh_equal)
    expect([[...keys.missing_keys], [...keys.unexpected_keys]]).toEqual(fixture.missing)

    // PyTorch's own checkpoint of the trained model gives PyTorch's eval outputs
    const pt = new ResNet(BasicBlock, [2, 1])
    pt.load_state_dict(
      torch.load(readFileSync(new URL('../fixtures/ports/resnet.pt', import.meta.url))) as Record<string, torch.Tensor>,
    )
    pt.eval()
    expectClose(torch.no_grad(() => pt.call(dataset.images.index(':3'))).tolist(), fixture.eval_out, 1e-5, 1e-6)
  })
})
