import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/torchvision_models.json'
import { expectClose, summary } from './portHelpers'

// torchvision's model definitions at small sizes, ported line by line (twin:
// test/torch/fixtures/ports/torchvision_models.py): VGG's make_layers and init loop, SqueezeNet's
// Fire, ShuffleNetV2's channel_shuffle and InvertedResidual, DenseNet's _DenseLayer/_DenseBlock/
// _Transition (memory_efficient=False), MobileNetV3's block with SqueezeExcitation(Hardsigmoid) and
// Hardswish, EfficientNet's MBConv with SiLU and StochasticDepth. Each: eval forward, one SGD step
// in train mode, the train-mode output after it. TypeScript limits: no operator overloading
// (`result += input` is `result.add_(input)`), no keyword arguments (a trailing options object), no
// functools.partial (a closure), no `__call__` (`m.call(x)`).
const { nn } = torch
const F = torch.nn.functional
type Tensor = torch.Tensor
type NormLayer = (c: number) => torch.nn.Module
type ActLayer = (kw: { inplace: boolean }) => torch.nn.Module
type Net = torch.nn.Module & { forward(x: Tensor): Tensor }

const _make_divisible = (v: number, divisor: number, min_value: number | null = null): number => {
  if (min_value === null) min_value = divisor
  let new_v = Math.max(min_value, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor)
  if (new_v < 0.9 * v) new_v += divisor
  return new_v
}

// ---- VGG
class VGG extends nn.Module {
  features: torch.nn.Sequential
  avgpool = nn.AdaptiveAvgPool2d([2, 2])
  classifier: torch.nn.Sequential
  constructor(features: torch.nn.Sequential, num_classes = 10, init_weights = true, dropout = 0.5) {
    super()
    this.features = features
    this.classifier = nn.Sequential(
      nn.Linear(16 * 2 * 2, 32),
      nn.ReLU(true),
      nn.Dropout({ p: dropout }),
      nn.Linear(32, 32),
      nn.ReLU(true),
      nn.Dropout({ p: dropout }),
      nn.Linear(32, num_classes),
    )
    if (init_weights) {
      for (const m of this.modules()) {
        if (m instanceof nn.Conv2d) {
          nn.init.kaiming_normal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' })
          if (m.bias !== null) nn.init.constant_(m.bias, 0)
        } else if (m instanceof nn.BatchNorm2d) {
          nn.init.constant_(m.weight!, 1)
          nn.init.constant_(m.bias!, 0)
        } else if (m instanceof nn.Linear) {
          nn.init.normal_(m.weight, 0, 0.01)
          nn.init.constant_(m.bias!, 0)
        }
      }
    }
  }
  forward(x: Tensor): Tensor {
    x = this.features.call(x)
    x = this.avgpool.call(x)
    x = torch.flatten(x, 1)
    x = this.classifier.call(x)
    return x
  }
}

const make_layers = (cfg: (number | 'M')[], batch_norm = false): torch.nn.Sequential => {
  let layers: torch.nn.Module[] = []
  let in_channels = 3
  for (const v of cfg) {
    if (v === 'M') layers = [...layers, nn.MaxPool2d({ kernel_size: 2, stride: 2 })]
    else {
      const conv2d = nn.Conv2d(in_channels, v, { kernel_size: 3, padding: 1 })
      if (batch_norm) layers = [...layers, conv2d, nn.BatchNorm2d(v), nn.ReLU({ inplace: true })]
      else layers = [...layers, conv2d, nn.ReLU({ inplace: true })]
      in_channels = v
    }
  }
  return nn.Sequential(...layers)
}

// ---- SqueezeNet
class Fire extends nn.Module {
  inplanes: number
  squeeze: torch.nn.Conv2d
  squeeze_activation = nn.ReLU({ inplace: true })
  expand1x1: torch.nn.Conv2d
  expand1x1_activation = nn.ReLU({ inplace: true })
  expand3x3: torch.nn.Conv2d
  expand3x3_activation = nn.ReLU({ inplace: true })
  constructor(inplanes: number, squeeze_planes: number, expand1x1_planes: number, expand3x3_planes: number) {
    super()
    this.inplanes = inplanes
    this.squeeze = nn.Conv2d(inplanes, squeeze_planes, { kernel_size: 1 })
    this.expand1x1 = nn.Conv2d(squeeze_planes, expand1x1_planes, { kernel_size: 1 })
    this.expand3x3 = nn.Conv2d(squeeze_planes, expand3x3_planes, { kernel_size: 3, padding: 1 })
  }
  forward(x: Tensor): Tensor {
    x = this.squeeze_activation.call(this.squeeze.call(x))
    return torch.cat(
      [this.expand1x1_activation.call(this.expand1x1.call(x)), this.expand3x3_activation.call(this.expand3x3.call(x))],
      1,
    )
  }
}

class SqueezeNet extends nn.Module {
  num_classes: number
  features: torch.nn.Sequential
  classifier: torch.nn.Sequential
  constructor(num_classes = 10, dropout = 0.5) {
    super()
    this.num_classes = num_classes
    this.features = nn.Sequential(
      nn.Conv2d(3, 16, { kernel_size: 3, stride: 2 }),
      nn.ReLU({ inplace: true }),
      nn.MaxPool2d({ kernel_size: 3, stride: 2, ceil_mode: true }),
      new Fire(16, 4, 8, 8),
      new Fire(16, 4, 8, 8),
      nn.MaxPool2d({ kernel_size: 3, stride: 2, ceil_mode: true }),
      new Fire(16, 8, 16, 16),
    )
    const final_conv = nn.Conv2d(32, this.num_classes, { kernel_size: 1 })
    this.classifier = nn.Sequential(
      nn.Dropout({ p: dropout }),
      final_conv,
      nn.ReLU({ inplace: true }),
      nn.AdaptiveAvgPool2d([1, 1]),
    )
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        if (m === final_conv) nn.init.normal_(m.weight, { mean: 0.0, std: 0.01 })
        else nn.init.kaiming_uniform_(m.weight)
        if (m.bias !== null) nn.init.constant_(m.bias, 0)
      }
    }
  }
  forward(x: Tensor): Tensor {
    x = this.features.call(x)
    x = this.classifier.call(x)
    return torch.flatten(x, 1)
  }
}

// ---- ShuffleNetV2
const channel_shuffle = (x: Tensor, groups: number): Tensor => {
  const [batchsize, num_channels, height, width] = x.size() as unknown as [number, number, number, number]
  const channels_per_group = Math.floor(num_channels / groups)
  x = x.view(batchsize, groups, channels_per_group, height, width)
  x = torch.transpose(x, 1, 2).contiguous()
  x = x.view(batchsize, num_channels, height, width)
  return x
}

class InvertedResidual extends nn.Module {
  stride: number
  branch1: torch.nn.Sequential
  branch2: torch.nn.Sequential
  constructor(inp: number, oup: number, stride: number) {
    super()
    if (!(1 <= stride && stride <= 3)) throw new torch.TorchValueError('illegal stride value')
    this.stride = stride
    const branch_features = Math.floor(oup / 2)
    if (this.stride === 1 && inp !== branch_features << 1)
      throw new torch.TorchValueError('Invalid combination of stride and inp/oup')
    if (this.stride > 1) {
      this.branch1 = nn.Sequential(
        InvertedResidual.depthwise_conv(inp, inp, 3, this.stride, 1),
        nn.BatchNorm2d(inp),
        nn.Conv2d(inp, branch_features, { kernel_size: 1, stride: 1, padding: 0, bias: false }),
        nn.BatchNorm2d(branch_features),
        nn.ReLU({ inplace: true }),
      )
    } else this.branch1 = nn.Sequential()
    this.branch2 = nn.Sequential(
      nn.Conv2d(this.stride > 1 ? inp : branch_features, branch_features, {
        kernel_size: 1,
        stride: 1,
        padding: 0,
        bias: false,
      }),
      nn.BatchNorm2d(branch_features),
      nn.ReLU({ inplace: true }),
      InvertedResidual.depthwise_conv(branch_features, branch_features, 3, this.stride, 1),
      nn.BatchNorm2d(branch_features),
      nn.Conv2d(branch_features, branch_features, { kernel_size: 1, stride: 1, padding: 0, bias: false }),
      nn.BatchNorm2d(branch_features),
      nn.ReLU({ inplace: true }),
    )
  }
  static depthwise_conv(
    i: number,
    o: number,
    kernel_size: number,
    stride = 1,
    padding = 0,
    bias = false,
  ): torch.nn.Conv2d {
    return nn.Conv2d(i, o, kernel_size, stride, padding, { bias, groups: i })
  }
  forward(x: Tensor): Tensor {
    let out: Tensor
    if (this.stride === 1) {
      const [x1, x2] = x.chunk(2, { dim: 1 }) as [Tensor, Tensor]
      out = torch.cat([x1, this.branch2.call(x2)], { dim: 1 })
    } else out = torch.cat([this.branch1.call(x), this.branch2.call(x)], { dim: 1 })
    out = channel_shuffle(out, 2)
    return out
  }
}

class ShuffleNetV2 extends nn.Module {
  _stage_out_channels: number[]
  conv1: torch.nn.Sequential
  maxpool: torch.nn.MaxPool2d
  declare stage2: torch.nn.Sequential
  declare stage3: torch.nn.Sequential
  conv5: torch.nn.Sequential
  fc: torch.nn.Linear
  constructor(stages_repeats: number[], stages_out_channels: number[], num_classes = 10) {
    super()
    this._stage_out_channels = stages_out_channels
    let input_channels = 3
    let output_channels = this._stage_out_channels[0]!
    this.conv1 = nn.Sequential(
      nn.Conv2d(input_channels, output_channels, 3, 2, 1, { bias: false }),
      nn.BatchNorm2d(output_channels),
      nn.ReLU({ inplace: true }),
    )
    input_channels = output_channels
    this.maxpool = nn.MaxPool2d({ kernel_size: 3, stride: 2, padding: 1 })
    const stage_names = [2, 3].map((i) => `stage${i}`)
    stage_names.forEach((name, k) => {
      const [repeats, output_channels] = [stages_repeats[k]!, this._stage_out_channels[k + 1]!]
      const seq: torch.nn.Module[] = [new InvertedResidual(input_channels, output_channels, 2)]
      for (let i = 0; i < repeats - 1; i++) seq.push(new InvertedResidual(output_channels, output_channels, 1))
      ;(this as unknown as Record<string, torch.nn.Module>)[name] = nn.Sequential(...seq) // setattr(self, name, …)
      input_channels = output_channels
    })
    output_channels = this._stage_out_channels[this._stage_out_channels.length - 1]!
    this.conv5 = nn.Sequential(
      nn.Conv2d(input_channels, output_channels, 1, 1, 0, { bias: false }),
      nn.BatchNorm2d(output_channels),
      nn.ReLU({ inplace: true }),
    )
    this.fc = nn.Linear(output_channels, num_classes)
  }
  forward(x: Tensor): Tensor {
    x = this.conv1.call(x)
    x = this.maxpool.call(x) as Tensor
    x = this.stage2.call(x)
    x = this.stage3.call(x)
    x = this.conv5.call(x)
    x = x.mean([2, 3])
    x = this.fc.call(x)
    return x
  }
}

// ---- DenseNet
class _DenseLayer extends nn.Module {
  norm1: torch.nn.BatchNorm2d
  relu1 = nn.ReLU({ inplace: true })
  conv1: torch.nn.Conv2d
  norm2: torch.nn.BatchNorm2d
  relu2 = nn.ReLU({ inplace: true })
  conv2: torch.nn.Conv2d
  drop_rate: number
  memory_efficient: boolean
  constructor(
    num_input_features: number,
    growth_rate: number,
    bn_size: number,
    drop_rate: number,
    memory_efficient = false,
  ) {
    super()
    this.norm1 = nn.BatchNorm2d(num_input_features)
    this.conv1 = nn.Conv2d(num_input_features, bn_size * growth_rate, { kernel_size: 1, stride: 1, bias: false })
    this.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
    this.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, { kernel_size: 3, stride: 1, padding: 1, bias: false })
    this.drop_rate = drop_rate
    this.memory_efficient = memory_efficient
  }
  bn_function(inputs: Tensor[]): Tensor {
    const concated_features = torch.cat(inputs, 1)
    return this.conv1.call(this.relu1.call(this.norm1.call(concated_features)))
  }
  forward(input: Tensor | Tensor[]): Tensor {
    const prev_features = input instanceof torch.Tensor ? [input] : input
    const bottleneck_output = this.bn_function(prev_features)
    let new_features = this.conv2.call(this.relu2.call(this.norm2.call(bottleneck_output)))
    if (this.drop_rate > 0) new_features = F.dropout(new_features, { p: this.drop_rate, training: this.training })
    return new_features
  }
}

class _DenseBlock extends nn.ModuleDict {
  constructor(
    num_layers: number,
    num_input_features: number,
    bn_size: number,
    growth_rate: number,
    drop_rate: number,
    memory_efficient = false,
  ) {
    super()
    for (let i = 0; i < num_layers; i++) {
      const layer = new _DenseLayer(
        num_input_features + i * growth_rate,
        growth_rate,
        bn_size,
        drop_rate,
        memory_efficient,
      )
      this.add_module(`denselayer${i + 1}`, layer)
    }
  }
  forward(init_features: Tensor): Tensor {
    const features = [init_features]
    for (const [, layer] of this.items()) {
      const new_features = (layer as _DenseLayer).call(features)
      features.push(new_features)
    }
    return torch.cat(features, 1)
  }
}

class _Transition extends nn.Sequential {
  constructor(num_input_features: number, num_output_features: number) {
    super()
    this.add_module('norm', nn.BatchNorm2d(num_input_features))
    this.add_module('relu', nn.ReLU({ inplace: true }))
    this.add_module(
      'conv',
      nn.Conv2d(num_input_features, num_output_features, { kernel_size: 1, stride: 1, bias: false }),
    )
    this.add_module('pool', nn.AvgPool2d({ kernel_size: 2, stride: 2 }))
  }
}

class DenseNet extends nn.Module {
  features: torch.nn.Sequential
  classifier: torch.nn.Linear
  constructor(
    growth_rate = 4,
    block_config = [2, 2],
    num_init_features = 8,
    bn_size = 2,
    drop_rate = 0,
    num_classes = 10,
    memory_efficient = false,
  ) {
    super()
    this.features = nn.Sequential(
      new Map<string, torch.nn.Module>([
        ['conv0', nn.Conv2d(3, num_init_features, { kernel_size: 7, stride: 2, padding: 3, bias: false })],
        ['norm0', nn.BatchNorm2d(num_init_features)],
        ['relu0', nn.ReLU({ inplace: true })],
        ['pool0', nn.MaxPool2d({ kernel_size: 3, stride: 2, padding: 1 })],
      ]),
    )
    let num_features = num_init_features
    block_config.forEach((num_layers, i) => {
      const block = new _DenseBlock(num_layers, num_features, bn_size, growth_rate, drop_rate, memory_efficient)
      this.features.add_module(`denseblock${i + 1}`, block)
      num_features = num_features + num_layers * growth_rate
      if (i !== block_config.length - 1) {
        const trans = new _Transition(num_features, Math.floor(num_features / 2))
        this.features.add_module(`transition${i + 1}`, trans)
        num_features = Math.floor(num_features / 2)
      }
    })
    this.features.add_module('norm5', nn.BatchNorm2d(num_features))
    this.classifier = nn.Linear(num_features, num_classes)
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) nn.init.kaiming_normal_(m.weight)
      else if (m instanceof nn.BatchNorm2d) {
        nn.init.constant_(m.weight!, 1)
        nn.init.constant_(m.bias!, 0)
      } else if (m instanceof nn.Linear) nn.init.constant_(m.bias!, 0)
    }
  }
  forward(x: Tensor): Tensor {
    const features = this.features.call(x)
    let out = F.relu(features, { inplace: true })
    out = F.adaptive_avg_pool2d(out, [1, 1])
    out = torch.flatten(out, 1)
    out = this.classifier.call(out)
    return out
  }
}

// ---- MobileNetV3 / EfficientNet building blocks (torchvision.ops.misc)
class Conv2dNormActivation extends nn.Sequential {
  out_channels: number
  constructor(
    in_channels: number,
    out_channels: number,
    kernel_size = 3,
    stride = 1,
    groups = 1,
    norm_layer: NormLayer | null = null,
    activation_layer: ActLayer | null = (kw) => nn.ReLU(kw),
  ) {
    const padding = Math.floor((kernel_size - 1) / 2)
    const layers: torch.nn.Module[] = [
      nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, { groups, bias: norm_layer === null }),
    ]
    if (norm_layer !== null) layers.push(norm_layer(out_channels))
    if (activation_layer !== null) layers.push(activation_layer({ inplace: true }))
    super(...layers)
    this.out_channels = out_channels
  }
}

class SqueezeExcitation extends nn.Module {
  avgpool = nn.AdaptiveAvgPool2d(1)
  fc1: torch.nn.Conv2d
  fc2: torch.nn.Conv2d
  activation: Net
  scale_activation: Net
  constructor(
    input_channels: number,
    squeeze_channels: number,
    activation: () => torch.nn.Module = () => nn.ReLU(),
    scale_activation: () => torch.nn.Module = () => nn.Sigmoid(),
  ) {
    super()
    this.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
    this.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
    this.activation = activation() as Net
    this.scale_activation = scale_activation() as Net
  }
  _scale(input: Tensor): Tensor {
    let scale = this.avgpool.call(input)
    scale = this.fc1.call(scale)
    scale = this.activation.call(scale) as Tensor
    scale = this.fc2.call(scale)
    return this.scale_activation.call(scale) as Tensor
  }
  forward(input: Tensor): Tensor {
    const scale = this._scale(input)
    return scale.mul(input)
  }
}

class InvertedResidualConfig {
  input_channels: number
  expanded_channels: number
  out_channels: number
  use_hs: boolean
  constructor(
    input_channels: number,
    public kernel: number,
    expanded_channels: number,
    out_channels: number,
    public use_se: boolean,
    activation: string,
    public stride: number,
    public dilation: number,
    width_mult: number,
  ) {
    this.input_channels = InvertedResidualConfig.adjust_channels(input_channels, width_mult)
    this.expanded_channels = InvertedResidualConfig.adjust_channels(expanded_channels, width_mult)
    this.out_channels = InvertedResidualConfig.adjust_channels(out_channels, width_mult)
    this.use_hs = activation === 'HS'
  }
  static adjust_channels(channels: number, width_mult: number): number {
    return _make_divisible(channels * width_mult, 8)
  }
}

class MBv3Block extends nn.Module {
  use_res_connect: boolean
  block: torch.nn.Sequential
  out_channels: number
  constructor(
    cnf: InvertedResidualConfig,
    norm_layer: NormLayer,
    se_layer = (c: number, s: number) => new SqueezeExcitation(c, s, undefined, () => nn.Hardsigmoid()),
  ) {
    super()
    this.use_res_connect = cnf.stride === 1 && cnf.input_channels === cnf.out_channels
    const layers: torch.nn.Module[] = []
    const activation_layer: ActLayer = cnf.use_hs ? (kw) => nn.Hardswish(kw) : (kw) => nn.ReLU(kw)
    if (cnf.expanded_channels !== cnf.input_channels)
      layers.push(
        new Conv2dNormActivation(cnf.input_channels, cnf.expanded_channels, 1, 1, 1, norm_layer, activation_layer),
      )
    layers.push(
      new Conv2dNormActivation(
        cnf.expanded_channels,
        cnf.expanded_channels,
        cnf.kernel,
        cnf.stride,
        cnf.expanded_channels,
        norm_layer,
        activation_layer,
      ),
    )
    if (cnf.use_se) {
      const squeeze_channels = _make_divisible(Math.floor(cnf.expanded_channels / 4), 8)
      layers.push(se_layer(cnf.expanded_channels, squeeze_channels))
    }
    layers.push(new Conv2dNormActivation(cnf.expanded_channels, cnf.out_channels, 1, 1, 1, norm_layer, null))
    this.block = nn.Sequential(...layers)
    this.out_channels = cnf.out_channels
  }
  forward(input: Tensor): Tensor {
    const result = this.block.call(input)
    if (this.use_res_connect) result.add_(input)
    return result
  }
}

class MobileNetV3 extends nn.Module {
  features: torch.nn.Sequential
  avgpool = nn.AdaptiveAvgPool2d(1)
  classifier: torch.nn.Sequential
  constructor(
    inverted_residual_setting: InvertedResidualConfig[],
    last_channel: number,
    num_classes = 10,
    dropout = 0.2,
  ) {
    super()
    const norm_layer: NormLayer = (c) => nn.BatchNorm2d(c, { eps: 0.001, momentum: 0.01 })
    const layers: torch.nn.Module[] = []
    const firstconv_output_channels = inverted_residual_setting[0]!.input_channels
    layers.push(new Conv2dNormActivation(3, firstconv_output_channels, 3, 2, 1, norm_layer, (kw) => nn.Hardswish(kw)))
    for (const cnf of inverted_residual_setting) layers.push(new MBv3Block(cnf, norm_layer))
    const lastconv_input_channels = inverted_residual_setting[inverted_residual_setting.length - 1]!.out_channels
    const lastconv_output_channels = 6 * lastconv_input_channels
    layers.push(
      new Conv2dNormActivation(lastconv_input_channels, lastconv_output_channels, 1, 1, 1, norm_layer, (kw) =>
        nn.Hardswish(kw),
      ),
    )
    this.features = nn.Sequential(...layers)
    this.classifier = nn.Sequential(
      nn.Linear(lastconv_output_channels, last_channel),
      nn.Hardswish({ inplace: true }),
      nn.Dropout({ p: dropout, inplace: true }),
      nn.Linear(last_channel, num_classes),
    )
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
  forward(x: Tensor): Tensor {
    x = this.features.call(x)
    x = this.avgpool.call(x)
    x = torch.flatten(x, 1)
    x = this.classifier.call(x)
    return x
  }
}

// ---- EfficientNet
const stochastic_depth = (input: Tensor, p: number, mode: string, training = true): Tensor => {
  if (p < 0.0 || p > 1.0) throw new torch.TorchValueError(`drop probability has to be between 0 and 1, but got ${p}`)
  if (!['batch', 'row'].includes(mode))
    throw new torch.TorchValueError(`mode has to be either 'batch' or 'row', but got ${mode}`)
  if (!training || p === 0.0) return input
  const survival_rate = 1.0 - p
  const size =
    mode === 'row'
      ? [input.shape[0] as number, ...Array<number>(input.ndim - 1).fill(1)]
      : Array<number>(input.ndim).fill(1)
  let noise = torch.empty(size, { dtype: input.dtype, device: input.device })
  noise = noise.bernoulli_(survival_rate)
  if (survival_rate > 0.0) noise.div_(survival_rate)
  return input.mul(noise)
}

class StochasticDepth extends nn.Module {
  constructor(
    public p: number,
    public mode: string,
  ) {
    super()
  }
  forward(input: Tensor): Tensor {
    return stochastic_depth(input, this.p, this.mode, this.training)
  }
}

class MBConv extends nn.Module {
  use_res_connect: boolean
  block: torch.nn.Sequential
  stochastic_depth: StochasticDepth
  out_channels: number
  constructor(
    input_channels: number,
    expand_ratio: number,
    kernel: number,
    stride: number,
    out_channels: number,
    stochastic_depth_prob: number,
    norm_layer: NormLayer,
  ) {
    super()
    this.use_res_connect = stride === 1 && input_channels === out_channels
    const layers: torch.nn.Module[] = []
    const activation_layer: ActLayer = (kw) => nn.SiLU(kw)
    const expanded_channels = _make_divisible(input_channels * expand_ratio, 8)
    if (expanded_channels !== input_channels)
      layers.push(new Conv2dNormActivation(input_channels, expanded_channels, 1, 1, 1, norm_layer, activation_layer))
    layers.push(
      new Conv2dNormActivation(
        expanded_channels,
        expanded_channels,
        kernel,
        stride,
        expanded_channels,
        norm_layer,
        activation_layer,
      ),
    )
    const squeeze_channels = Math.max(1, Math.floor(input_channels / 4))
    layers.push(new SqueezeExcitation(expanded_channels, squeeze_channels, () => nn.SiLU({ inplace: true })))
    layers.push(new Conv2dNormActivation(expanded_channels, out_channels, 1, 1, 1, norm_layer, null))
    this.block = nn.Sequential(...layers)
    this.stochastic_depth = new StochasticDepth(stochastic_depth_prob, 'row')
    this.out_channels = out_channels
  }
  forward(input: Tensor): Tensor {
    let result = this.block.call(input)
    if (this.use_res_connect) {
      result = this.stochastic_depth.call(result)
      result.add_(input)
    }
    return result
  }
}

class EfficientNet extends nn.Module {
  features: torch.nn.Sequential
  avgpool = nn.AdaptiveAvgPool2d(1)
  classifier: torch.nn.Sequential
  constructor(num_classes = 10, dropout = 0.2, stochastic_depth_prob = 0.5) {
    super()
    const norm_layer: NormLayer = (c) => nn.BatchNorm2d(c)
    const settings = [
      [1, 3, 1, 8, 8, 2],
      [4, 3, 2, 8, 16, 2],
    ] as const
    const layers: torch.nn.Module[] = [new Conv2dNormActivation(3, 8, 3, 2, 1, norm_layer, (kw) => nn.SiLU(kw))]
    const total_stage_blocks = settings.reduce((s, c) => s + c[5], 0)
    let stage_block_id = 0
    for (const [expand_ratio, kernel, stride, inp, out, num_layers] of settings) {
      const stage: torch.nn.Module[] = []
      for (let i = 0; i < num_layers; i++) {
        const block_inp = stage.length === 0 ? inp : out
        const block_stride = stage.length === 0 ? stride : 1
        const sd_prob = (stochastic_depth_prob * stage_block_id) / total_stage_blocks
        stage.push(new MBConv(block_inp, expand_ratio, kernel, block_stride, out, sd_prob, norm_layer))
        stage_block_id += 1
      }
      layers.push(nn.Sequential(...stage))
    }
    const lastconv_output_channels = 4 * 16
    layers.push(new Conv2dNormActivation(16, lastconv_output_channels, 1, 1, 1, norm_layer, (kw) => nn.SiLU(kw)))
    this.features = nn.Sequential(...layers)
    this.classifier = nn.Sequential(
      nn.Dropout({ p: dropout, inplace: true }),
      nn.Linear(lastconv_output_channels, num_classes),
    )
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        nn.init.kaiming_normal_(m.weight, { mode: 'fan_out' })
        if (m.bias !== null) nn.init.zeros_(m.bias)
      } else if (m instanceof nn.BatchNorm2d || m instanceof nn.GroupNorm) {
        nn.init.ones_(m.weight!)
        nn.init.zeros_(m.bias!)
      } else if (m instanceof nn.Linear) {
        const init_range = 1.0 / Math.sqrt(m.out_features)
        nn.init.uniform_(m.weight, -init_range, init_range)
        nn.init.zeros_(m.bias!)
      }
    }
  }
  forward(x: Tensor): Tensor {
    x = this.features.call(x)
    x = this.avgpool.call(x)
    x = torch.flatten(x, 1)
    x = this.classifier.call(x)
    return x
  }
}

const build = (name: string): Net => {
  if (name === 'vgg') return new VGG(make_layers([8, 'M', 16, 'M'], true))
  if (name === 'squeezenet') return new SqueezeNet()
  if (name === 'shufflenet') return new ShuffleNetV2([2, 2], [8, 16, 32, 64])
  if (name === 'densenet') return new DenseNet()
  if (name === 'mobilenet_v3') {
    const bneck_conf = (a: number, k: number, e: number, o: number, se: boolean, act: string, s: number, d: number) =>
      new InvertedResidualConfig(a, k, e, o, se, act, s, d, 1.0)
    const setting = [
      bneck_conf(16, 3, 16, 16, true, 'RE', 2, 1),
      bneck_conf(16, 3, 64, 24, false, 'RE', 2, 1),
      bneck_conf(24, 3, 72, 24, false, 'RE', 1, 1),
      bneck_conf(24, 5, 96, 40, true, 'HS', 2, 1),
      bneck_conf(40, 5, 120, 40, true, 'HS', 1, 1),
    ]
    return new MobileNetV3(setting, 64)
  }
  if (name === 'efficientnet') return new EfficientNet()
  throw new torch.TorchValueError(name)
}

const names = ['vgg', 'squeezenet', 'shufflenet', 'densenet', 'mobilenet_v3', 'efficientnet'] as const

describe('torchvision model definitions', () => {
  it.each(names.map((n, k) => [n, k] as const))(
    '%s: eval forward, one SGD step, train forward as PyTorch',
    (name, k) => {
      torch.manual_seed(100 + k)
      const model = build(name)
      const x = torch.randn(4, 3, 32, 32)
      const target = torch.randint(0, 10, [4])
      model.eval()
      const y_eval = torch.no_grad(() => model.call(x) as Tensor)
      model.train()
      const optimizer = torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weight_decay: 1e-4 })
      optimizer.zero_grad()
      const output = model.call(x) as Tensor
      const loss = F.cross_entropy(output, target)
      loss.backward()
      const grads = Object.fromEntries(
        [...model.named_parameters()].map(([n, p]) => [
          n,
          [p.grad!.double().sum().item(), p.grad!.double().abs().sum().item()],
        ]),
      )
      optimizer.step()
      const output2 = model.call(x) as Tensor
      const f = fixture[name]
      expectClose(y_eval.tolist(), f.eval, 1e-4, 1e-5)
      expectClose(loss.item(), f.loss, 1e-5, 1e-6)
      expectClose(grads, f.grads, 1e-3, 1e-5)
      expectClose(summary(model), f.params, 1e-4, 1e-5)
      expectClose(output2.tolist(), f.train2, 1e-3, 1e-4)
      const buffers = Object.fromEntries([...model.named_buffers()].map(([n, b]) => [n, [b.double().sum().item()]]))
      expectClose(buffers, f.buffers, 1e-4, 1e-5)
    },
  )
})
