import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/style.json'
import { expectClose, summary } from './portHelpers'

// pytorch/examples fast_neural_style and super_resolution ported line by line (twin:
// test/torch/fixtures/ports/style.py): ReflectionPad2d, InstanceNorm2d(affine), nearest
// interpolate, Gram matrices through bmm, normalize_batch's new_tensor/div_, a frozen loss network
// with ReLU(inplace) in Sequential slices; PixelShuffle, orthogonal_ with calculate_gain, PSNR.
const { nn } = torch
const init = torch.nn.init

class ConvLayer extends torch.nn.Module {
  reflection_pad: torch.nn.ReflectionPad2d
  conv2d: torch.nn.Conv2d

  constructor(in_channels: number, out_channels: number, kernel_size: number, stride: number) {
    super()
    const reflection_padding = Math.floor(kernel_size / 2)
    this.reflection_pad = torch.nn.ReflectionPad2d(reflection_padding)
    this.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)
  }

  forward(x: torch.Tensor): torch.Tensor {
    let out = this.reflection_pad.call(x)
    out = this.conv2d.call(out)
    return out
  }
}

class ResidualBlock extends torch.nn.Module {
  conv1: ConvLayer
  in1: torch.nn.InstanceNorm2d
  conv2: ConvLayer
  in2: torch.nn.InstanceNorm2d
  relu = torch.nn.ReLU()

  constructor(channels: number) {
    super()
    this.conv1 = new ConvLayer(channels, channels, 3, 1)
    this.in1 = torch.nn.InstanceNorm2d(channels, { affine: true })
    this.conv2 = new ConvLayer(channels, channels, 3, 1)
    this.in2 = torch.nn.InstanceNorm2d(channels, { affine: true })
  }

  forward(x: torch.Tensor): torch.Tensor {
    const residual = x
    let out = this.relu.call(this.in1.call(this.conv1.call(x)))
    out = this.in2.call(this.conv2.call(out))
    out = out.add(residual)
    return out
  }
}

class UpsampleConvLayer extends torch.nn.Module {
  upsample: number | null
  reflection_pad: torch.nn.ReflectionPad2d
  conv2d: torch.nn.Conv2d

  constructor(
    in_channels: number,
    out_channels: number,
    kernel_size: number,
    stride: number,
    upsample: number | null = null,
  ) {
    super()
    this.upsample = upsample
    const reflection_padding = Math.floor(kernel_size / 2)
    this.reflection_pad = torch.nn.ReflectionPad2d(reflection_padding)
    this.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)
  }

  forward(x: torch.Tensor): torch.Tensor {
    let x_in = x
    if (this.upsample) x_in = torch.nn.functional.interpolate(x_in, { mode: 'nearest', scale_factor: this.upsample })
    let out = this.reflection_pad.call(x_in)
    out = this.conv2d.call(out)
    return out
  }
}

class TransformerNet extends torch.nn.Module {
  conv1 = new ConvLayer(3, 8, 9, 1)
  in1 = torch.nn.InstanceNorm2d(8, { affine: true })
  conv2 = new ConvLayer(8, 16, 3, 2)
  in2 = torch.nn.InstanceNorm2d(16, { affine: true })
  conv3 = new ConvLayer(16, 32, 3, 2)
  in3 = torch.nn.InstanceNorm2d(32, { affine: true })
  res1 = new ResidualBlock(32)
  res2 = new ResidualBlock(32)
  deconv1 = new UpsampleConvLayer(32, 16, 3, 1, 2)
  in4 = torch.nn.InstanceNorm2d(16, { affine: true })
  deconv2 = new UpsampleConvLayer(16, 8, 3, 1, 2)
  in5 = torch.nn.InstanceNorm2d(8, { affine: true })
  deconv3 = new ConvLayer(8, 3, 9, 1)
  relu = torch.nn.ReLU()

  forward(X: torch.Tensor): torch.Tensor {
    let y = this.relu.call(this.in1.call(this.conv1.call(X)))
    y = this.relu.call(this.in2.call(this.conv2.call(y)))
    y = this.relu.call(this.in3.call(this.conv3.call(y)))
    y = this.res1.call(y)
    y = this.res2.call(y)
    y = this.relu.call(this.in4.call(this.deconv1.call(y)))
    y = this.relu.call(this.in5.call(this.deconv2.call(y)))
    y = this.deconv3.call(y)
    return y
  }
}

const gram_matrix = (y: torch.Tensor): torch.Tensor => {
  const [b, ch, h, w] = y.size() as unknown as [number, number, number, number]
  const features = y.view(b, ch, w * h)
  const features_t = features.transpose(1, 2)
  const gram = features.bmm(features_t).div(ch * h * w)
  return gram
}

const normalize_batch = (batch: torch.Tensor): torch.Tensor => {
  const mean = batch.new_tensor([0.485, 0.456, 0.406]).view(-1, 1, 1)
  const std = batch.new_tensor([0.229, 0.224, 0.225]).view(-1, 1, 1)
  batch = batch.div_(255.0)
  return batch.sub(mean).div(std)
}

/** vgg.Vgg16's namedtuple output: fields by name, and iterable in order. */
class VggOutputs {
  constructor(
    readonly relu1_2: torch.Tensor,
    readonly relu2_2: torch.Tensor,
  ) {}
  *[Symbol.iterator](): Generator<torch.Tensor> {
    yield this.relu1_2
    yield this.relu2_2
  }
}

class LossNet extends torch.nn.Module {
  slice1 = torch.nn.Sequential(nn.Conv2d(3, 6, 3, { padding: 1 }), nn.ReLU({ inplace: true }))
  slice2 = torch.nn.Sequential(
    nn.MaxPool2d({ kernel_size: 2, stride: 2 }),
    nn.Conv2d(6, 8, 3, { padding: 1 }),
    nn.ReLU({ inplace: true }),
  )

  constructor(requires_grad = false) {
    super()
    if (!requires_grad) for (const param of this.parameters()) param.requires_grad = false
  }

  forward(X: torch.Tensor): VggOutputs {
    let h = this.slice1.call(X) as torch.Tensor
    const h_relu1_2 = h
    h = this.slice2.call(h) as torch.Tensor
    const h_relu2_2 = h
    return new VggOutputs(h_relu1_2, h_relu2_2)
  }
}

class Net extends nn.Module {
  relu = nn.ReLU()
  conv1 = nn.Conv2d(1, 16, [5, 5], [1, 1], [2, 2])
  conv2 = nn.Conv2d(16, 16, [3, 3], [1, 1], [1, 1])
  conv3 = nn.Conv2d(16, 8, [3, 3], [1, 1], [1, 1])
  conv4: torch.nn.Conv2d
  pixel_shuffle: torch.nn.PixelShuffle

  constructor(upscale_factor: number) {
    super()
    this.conv4 = nn.Conv2d(8, upscale_factor ** 2, [3, 3], [1, 1], [1, 1])
    this.pixel_shuffle = nn.PixelShuffle(upscale_factor)
    this._initialize_weights()
  }

  forward(x: torch.Tensor): torch.Tensor {
    x = this.relu.call(this.conv1.call(x))
    x = this.relu.call(this.conv2.call(x))
    x = this.relu.call(this.conv3.call(x))
    x = this.pixel_shuffle.call(this.conv4.call(x))
    return x
  }

  _initialize_weights(): void {
    init.orthogonal_(this.conv1.weight, init.calculate_gain('relu'))
    init.orthogonal_(this.conv2.weight, init.calculate_gain('relu'))
    init.orthogonal_(this.conv3.weight, init.calculate_gain('relu'))
    init.orthogonal_(this.conv4.weight)
  }
}

describe('pytorch/examples fast_neural_style', () => {
  it('trains the TransformerNet on content + Gram style losses as PyTorch does', () => {
    torch.manual_seed(3)
    const transformer = new TransformerNet()
    const optimizer = torch.optim.Adam(transformer.parameters(), 1e-3)
    const mse_loss = torch.nn.MSELoss()
    const vgg = new LossNet(false)
    let style = torch.rand(1, 3, 16, 16).mul(255)
    style = style.repeat(2, 1, 1, 1)
    const features_style = vgg.call(normalize_batch(style))
    const gram_style = [...features_style].map((y) => gram_matrix(y))
    const [content_weight, style_weight] = [1e5, 1e10]
    const images = torch.rand(3, 2, 3, 16, 16).mul(255)
    const style_log: number[][] = []
    transformer.train()
    for (let x of images.__iter__()) {
      const n_batch = x.__len__()
      optimizer.zero_grad()
      let y = transformer.call(x)
      y = normalize_batch(y)
      x = normalize_batch(x)
      const features_y = vgg.call(y)
      const features_x = vgg.call(x)
      const content_loss = mse_loss.call(features_y.relu2_2, features_x.relu2_2).mul(content_weight)
      let style_loss: torch.Tensor | number = 0
      const fy = [...features_y]
      fy.forEach((ft_y, k) => {
        const gm_y = gram_matrix(ft_y)
        style_loss = mse_loss.call(gm_y, gram_style[k]!.index(`:${n_batch}`, ':', ':')).add(style_loss)
      })
      style_loss = (style_loss as unknown as torch.Tensor).mul(style_weight)
      const total_loss = content_loss.add(style_loss)
      total_loss.backward()
      optimizer.step()
      style_log.push([content_loss.item() as number, style_loss.item() as number])
    }
    transformer.eval()
    const stylized = torch.no_grad(() => transformer.call(images.index(0)).clamp(0, 255))
    expectClose(style_log, fixture.style_log, 1e-4, 0)
    expectClose([stylized.sum().item(), stylized.index(0, 0, 0, ':4').tolist()], fixture.stylized, 1e-4, 1e-4)
    // left out: the biases of convolutions that feed an InstanceNorm, and in3/res*.in2's biases
    // (a per-channel shift reaching only InstanceNorms through the residual path, nearest
    // upsampling and reflection padding): the norms remove each channel's mean, so these gradients
    // are zero in exact arithmetic and Adam's normalised steps follow rounding noise
    const noise = (k: string): boolean =>
      (k.endsWith('conv2d.bias') && !k.startsWith('deconv3')) || /^(in3|res\d\.in2)\.bias$/.test(k)
    const drop = (r: Record<string, number[]>): Record<string, number[]> =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !noise(k)))
    expectClose(drop(summary(transformer)), drop(fixture.transformer), 1e-4, 1e-5)
  })
})

describe('pytorch/examples super_resolution', () => {
  it('trains the PixelShuffle net from orthogonal weights as PyTorch does', () => {
    torch.manual_seed(4)
    const model = new Net(3)
    const criterion = nn.MSELoss()
    const optimizer = torch.optim.Adam(model.parameters(), { lr: 0.01 })
    const inputs = torch.rand(3, 2, 1, 6, 6)
    const targets = torch.rand(3, 2, 1, 18, 18)
    const sr_losses: number[] = []
    for (let i = 0; i < 3; i++) {
      const [input, target] = [inputs.index(i), targets.index(i)]
      optimizer.zero_grad()
      const loss = criterion.call(model.call(input), target)
      sr_losses.push(loss.item() as number)
      loss.backward()
      optimizer.step()
    }
    let avg_psnr = 0
    torch.no_grad(() => {
      for (let i = 0; i < 3; i++) {
        const prediction = model.call(inputs.index(i))
        const mse = criterion.call(prediction, targets.index(i))
        const psnr = 10 * Math.log10(1 / (mse.item() as number))
        avg_psnr += psnr
      }
    })
    expectClose(sr_losses, fixture.sr_losses, 1e-5, 1e-7)
    expectClose(avg_psnr / 3, fixture.psnr, 1e-5, 0)
    expectClose(summary(model), fixture.sr, 1e-4, 1e-5)
  })
})
