import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/glow.json'
import { expectClose, expectSummaryClose, summary } from './portHelpers'

// Glow as rosinality/glow-pytorch writes it (model.py, train.py; twin:
// test/torch/fixtures/ports/glow.py), sizes cut: ActNorm's data-dependent init (a uint8
// `initialized` buffer, channel mean/std copied into .data under no_grad), InvConv2d (torch.qr,
// slogdet of the double weight, inverse), InvConv2dLU (w_p @ (w_l·l_mask + l_eye) @ (w_u·u_mask +
// diag(s_sign·exp(w_s))); the twin factorises with torch.linalg.qr / torch.linalg.lu where the
// repository uses numpy/scipy), ZeroConv2d (F.pad value=1), the sigmoid affine coupling, squeeze by
// view/permute, split priors, bits-per-dimension loss, a first no_grad batch, Adam, sampling and
// reconstruction by reverse.
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor

const logabs = (x: T): T => torch.log(torch.abs(x))

class ActNorm extends nn.Module {
  loc: torch.nn.Parameter
  scale: torch.nn.Parameter
  declare initialized: T
  constructor(
    in_channel: number,
    readonly logdet = true,
  ) {
    super()
    this.loc = nn.Parameter(torch.zeros(1, in_channel, 1, 1))
    this.scale = nn.Parameter(torch.ones(1, in_channel, 1, 1))
    this.register_buffer('initialized', torch.tensor(0, { dtype: torch.uint8 }))
  }
  initialize(input: T): void {
    torch.no_grad(() => {
      const flatten = input.permute(1, 0, 2, 3).contiguous().view(input.shape[1]!, -1)
      const mean = flatten.mean(1).unsqueeze(1).unsqueeze(2).unsqueeze(3).permute(1, 0, 2, 3)
      const std = flatten.std(1).unsqueeze(1).unsqueeze(2).unsqueeze(3).permute(1, 0, 2, 3)
      this.loc.data.copy_(mean.neg())
      this.scale.data.copy_(std.add(1e-6).reciprocal())
    })
  }
  forward(input: T): [T, T] {
    const [, , height, width] = [...input.shape] as [number, number, number, number]
    if (this.initialized.item() === 0) {
      this.initialize(input)
      this.initialized.fill_(1)
    }
    const log_abs = logabs(this.scale)
    const logdet = torch.sum(log_abs).mul(height * width)
    return [this.scale.mul(input.add(this.loc)), logdet]
  }
  reverse(output: T): T {
    return output.div(this.scale).sub(this.loc)
  }
}

class InvConv2d extends nn.Module {
  weight: torch.nn.Parameter
  constructor(in_channel: number) {
    super()
    const weight = torch.randn(in_channel, in_channel)
    const [q] = torch.qr(weight)
    this.weight = nn.Parameter(q.unsqueeze(2).unsqueeze(3))
  }
  forward(input: T): [T, T] {
    const [, , height, width] = [...input.shape] as [number, number, number, number]
    const out = F.conv2d(input, this.weight)
    const logdet = torch
      .slogdet(this.weight.squeeze().double())[1]
      .float()
      .mul(height * width)
    return [out, logdet]
  }
  reverse(output: T): T {
    return F.conv2d(output, this.weight.squeeze().inverse().unsqueeze(2).unsqueeze(3))
  }
}

class InvConv2dLU extends nn.Module {
  declare w_p: T
  declare u_mask: T
  declare l_mask: T
  declare s_sign: T
  declare l_eye: T
  w_l: torch.nn.Parameter
  w_s: torch.nn.Parameter
  w_u: torch.nn.Parameter
  constructor(in_channel: number) {
    super()
    const weight = torch.randn(in_channel, in_channel, { dtype: torch.float64 })
    const [q] = torch.linalg.qr(weight)
    const [w_p, w_l, u] = torch.linalg.lu(q.float())
    const w_s = torch.diag(u)
    const w_u = torch.triu(u, 1)
    const u_mask = torch.triu(torch.ones_like(w_u), 1)
    const l_mask = u_mask.T
    this.register_buffer('w_p', w_p)
    this.register_buffer('u_mask', u_mask)
    this.register_buffer('l_mask', l_mask)
    this.register_buffer('s_sign', torch.sign(w_s))
    this.register_buffer('l_eye', torch.eye(l_mask.shape[0]!))
    this.w_l = nn.Parameter(w_l)
    this.w_s = nn.Parameter(logabs(w_s))
    this.w_u = nn.Parameter(w_u)
  }
  forward(input: T): [T, T] {
    const [, , height, width] = [...input.shape] as [number, number, number, number]
    const out = F.conv2d(input, this.calc_weight())
    return [out, torch.sum(this.w_s).mul(height * width)]
  }
  calc_weight(): T {
    const weight = this.w_p
      .matmul(this.w_l.mul(this.l_mask).add(this.l_eye))
      .matmul(this.w_u.mul(this.u_mask).add(torch.diag(this.s_sign.mul(torch.exp(this.w_s)))))
    return weight.unsqueeze(2).unsqueeze(3)
  }
  reverse(output: T): T {
    const weight = this.calc_weight()
    return F.conv2d(output, weight.squeeze().inverse().unsqueeze(2).unsqueeze(3))
  }
}

class ZeroConv2d extends nn.Module {
  conv: torch.nn.Conv2d
  scale: torch.nn.Parameter
  constructor(in_channel: number, out_channel: number) {
    super()
    this.conv = nn.Conv2d(in_channel, out_channel, 3, { padding: 0 })
    this.conv.weight.data.zero_()
    this.conv.bias!.data.zero_()
    this.scale = nn.Parameter(torch.zeros(1, out_channel, 1, 1))
  }
  forward(input: T): T {
    let out = F.pad(input, [1, 1, 1, 1], { value: 1 })
    out = this.conv.call(out)
    return out.mul(torch.exp(this.scale.mul(3)))
  }
}

class AffineCoupling extends nn.Module {
  net: torch.nn.Sequential
  constructor(in_channel: number, filter_size = 16) {
    super()
    this.net = nn.Sequential(
      nn.Conv2d(Math.floor(in_channel / 2), filter_size, 3, { padding: 1 }),
      nn.ReLU({ inplace: true }),
      nn.Conv2d(filter_size, filter_size, 1),
      nn.ReLU({ inplace: true }),
      new ZeroConv2d(filter_size, in_channel),
    )
    const c0 = this.net.at(0) as torch.nn.Conv2d
    const c2 = this.net.at(2) as torch.nn.Conv2d
    c0.weight.data.normal_(0, 0.05)
    c0.bias!.data.zero_()
    c2.weight.data.normal_(0, 0.05)
    c2.bias!.data.zero_()
  }
  forward(input: T): [T, T] {
    const [in_a, in_b] = input.chunk(2, 1) as [T, T]
    const [log_s, t] = this.net.call(in_a).chunk(2, 1) as [T, T]
    const s = F.sigmoid(log_s.add(2))
    const out_b = in_b.add(t).mul(s)
    const logdet = torch.sum(torch.log(s).view(input.shape[0]!, -1), 1)
    return [torch.cat([in_a, out_b], 1), logdet]
  }
  reverse(output: T): T {
    const [out_a, out_b] = output.chunk(2, 1) as [T, T]
    const [log_s, t] = this.net.call(out_a).chunk(2, 1) as [T, T]
    const s = F.sigmoid(log_s.add(2))
    return torch.cat([out_a, out_b.div(s).sub(t)], 1)
  }
}

class Flow extends nn.Module {
  actnorm: ActNorm
  invconv: InvConv2dLU | InvConv2d
  coupling: AffineCoupling
  constructor(in_channel: number, conv_lu = true) {
    super()
    this.actnorm = new ActNorm(in_channel)
    this.invconv = conv_lu ? new InvConv2dLU(in_channel) : new InvConv2d(in_channel)
    this.coupling = new AffineCoupling(in_channel)
  }
  forward(input: T): [T, T] {
    let [out, logdet] = this.actnorm.call(input)
    const [out1, det1] = this.invconv.call(out)
    const [out2, det2] = this.coupling.call(out1)
    out = out2
    logdet = logdet.add(det1).add(det2)
    return [out, logdet]
  }
  reverse(output: T): T {
    return this.actnorm.reverse(this.invconv.reverse(this.coupling.reverse(output)))
  }
}

const gaussian_log_p = (x: T, mean: T, log_sd: T): T =>
  log_sd
    .neg()
    .add(-0.5 * Math.log(2 * Math.PI))
    .sub(
      x
        .sub(mean)
        .pow(2)
        .mul(0.5)
        .div(torch.exp(log_sd.mul(2))),
    )

const gaussian_sample = (eps: T, mean: T, log_sd: T): T => mean.add(torch.exp(log_sd).mul(eps))

class Block extends nn.Module {
  flows: torch.nn.ModuleList
  prior: ZeroConv2d
  constructor(
    in_channel: number,
    n_flow: number,
    readonly split = true,
    conv_lu = true,
  ) {
    super()
    const squeeze_dim = in_channel * 4
    this.flows = nn.ModuleList()
    for (let i = 0; i < n_flow; i++) this.flows.append(new Flow(squeeze_dim, conv_lu))
    this.prior = split ? new ZeroConv2d(in_channel * 2, in_channel * 4) : new ZeroConv2d(in_channel * 4, in_channel * 8)
  }
  forward(input: T): [T, T | number, T, T] {
    const [b_size, n_channel, height, width] = [...input.shape] as [number, number, number, number]
    let squeezed = input.view(b_size, n_channel, height / 2, 2, width / 2, 2)
    squeezed = squeezed.permute(0, 1, 3, 5, 2, 4)
    let out = squeezed.contiguous().view(b_size, n_channel * 4, height / 2, width / 2)
    let logdet: T | number = 0
    for (const flow of this.flows) {
      const [o, det] = (flow as Flow).call(out)
      out = o
      logdet = det.add(logdet)
    }
    let log_p: T
    let z_new: T
    if (this.split) {
      ;[out, z_new] = out.chunk(2, 1) as [T, T]
      const [mean, log_sd] = this.prior.call(out).chunk(2, 1) as [T, T]
      log_p = gaussian_log_p(z_new, mean, log_sd).view(b_size, -1).sum(1)
    } else {
      const zero = torch.zeros_like(out)
      const [mean, log_sd] = this.prior.call(zero).chunk(2, 1) as [T, T]
      log_p = gaussian_log_p(out, mean, log_sd).view(b_size, -1).sum(1)
      z_new = out
    }
    return [out, logdet, log_p, z_new]
  }
  reverse(output: T, eps: T, reconstruct = false): T {
    let input = output
    if (reconstruct) {
      input = this.split ? torch.cat([output, eps], 1) : eps
    } else if (this.split) {
      const [mean, log_sd] = this.prior.call(input).chunk(2, 1) as [T, T]
      input = torch.cat([output, gaussian_sample(eps, mean, log_sd)], 1)
    } else {
      const [mean, log_sd] = this.prior.call(torch.zeros_like(input)).chunk(2, 1) as [T, T]
      input = gaussian_sample(eps, mean, log_sd)
    }
    for (const flow of [...this.flows].reverse()) input = (flow as Flow).reverse(input)
    const [b_size, n_channel, height, width] = [...input.shape] as [number, number, number, number]
    let unsqueezed = input.view(b_size, n_channel / 4, 2, 2, height, width)
    unsqueezed = unsqueezed.permute(0, 1, 4, 2, 5, 3)
    return unsqueezed.contiguous().view(b_size, n_channel / 4, height * 2, width * 2)
  }
}

class Glow extends nn.Module {
  blocks: torch.nn.ModuleList
  constructor(in_channel: number, n_flow: number, n_block: number, conv_lu = true) {
    super()
    this.blocks = nn.ModuleList()
    let n_channel = in_channel
    for (let i = 0; i < n_block - 1; i++) {
      this.blocks.append(new Block(n_channel, n_flow, true, conv_lu))
      n_channel *= 2
    }
    this.blocks.append(new Block(n_channel, n_flow, false))
  }
  forward(input: T): [T | number, T | number, T[]] {
    let [log_p_sum, logdet]: [T | number, T | number] = [0, 0]
    let out = input
    const z_outs: T[] = []
    for (const block of this.blocks) {
      const [o, det, log_p, z_new] = (block as Block).call(out) as [T, T, T, T]
      out = o
      z_outs.push(z_new)
      logdet = det.add(logdet)
      log_p_sum = log_p.add(log_p_sum)
    }
    return [log_p_sum, logdet, z_outs]
  }
  reverse(z_list: T[], reconstruct = false): T {
    const blocks = [...this.blocks].reverse() as Block[]
    let input = blocks[0]!.reverse(z_list.at(-1)!, z_list.at(-1)!, reconstruct)
    for (let i = 1; i < blocks.length; i++) input = blocks[i]!.reverse(input, z_list.at(-(i + 1))!, reconstruct)
    return input
  }
}

const calc_z_shapes = (n_channel: number, input_size: number, n_block: number): number[][] => {
  const z_shapes: number[][] = []
  for (let i = 0; i < n_block - 1; i++) {
    input_size = Math.floor(input_size / 2)
    n_channel *= 2
    z_shapes.push([n_channel, input_size, input_size])
  }
  input_size = Math.floor(input_size / 2)
  z_shapes.push([n_channel * 4, input_size, input_size])
  return z_shapes
}

const calc_loss = (log_p: T, logdet: T, image_size: number, n_bins: number): [T, T, T] => {
  const n_pixel = image_size * image_size * 3
  const loss = logdet.add(-Math.log(n_bins) * n_pixel).add(log_p)
  const c = Math.log(2) * n_pixel
  return [loss.neg().div(c).mean(), log_p.div(c).mean(), logdet.div(c).mean()]
}

describe('Glow (rosinality/glow-pytorch)', () => {
  it('initialises ActNorm, trains, samples and reconstructs as PyTorch does', () => {
    torch.manual_seed(0)
    const [img_size, n_flow, n_block, n_bits, temp] = [8, 2, 2, 5, 0.7]
    const n_bins = 2.0 ** n_bits
    const model = new Glow(3, n_flow, n_block, true)
    const optimizer = torch.optim.Adam(model.parameters(), { lr: 1e-3 })
    const images = torch.rand(4, 4, 3, img_size, img_size)
    const z_sample = calc_z_shapes(3, img_size, n_block).map((z) => torch.randn(2, ...z).mul(temp))
    const trace: number[][] = []
    for (let i = 0; i < 4; i++) {
      let image = images.index(i).mul(255)
      if (n_bits < 8) image = torch.floor(image.div(2 ** (8 - n_bits)))
      image = image.div(n_bins).sub(0.5)
      if (i === 0) {
        torch.no_grad(() => model.call(image.add(torch.rand_like(image).div(n_bins))))
        continue
      }
      const [log_p, ld] = model.call(image.add(torch.rand_like(image).div(n_bins))) as [T, T, T[]]
      const logdet = ld.mean()
      const [loss, lp, log_det] = calc_loss(log_p, logdet, img_size, n_bins)
      model.zero_grad()
      loss.backward()
      optimizer.param_groups[0]!.lr = 1e-3
      optimizer.step()
      trace.push([loss, lp, log_det].map((t) => t.item() as number))
    }
    const flow0 = (model.blocks.at(0) as Block).flows.at(0) as Flow
    const invconv = flow0.invconv as InvConv2dLU
    const [sample, recon] = torch.no_grad(() => {
      const s = model.reverse(z_sample)
      const [, , z_outs] = model.call(images.index(0).sub(0.5))
      return [s, model.reverse(z_outs, true)]
    })
    expect(calc_z_shapes(3, img_size, n_block)).toEqual(fixture.z_shapes)
    expectClose(flow0.actnorm.loc.reshape(-1).tolist(), fixture.actnorm_loc, 1e-5, 1e-6)
    expectClose(trace, fixture.trace, 1e-5, 0)
    expectClose(invconv.w_s.grad!.tolist(), fixture.w_s_grad, 1e-4, 1e-6)
    expectClose(invconv.w_l.grad!.reshape(-1).index(':8').tolist(), fixture.w_l_grad, 1e-4, 1e-6)
    expectClose(sample.reshape(-1).index(':10').tolist(), fixture.sample, 1e-4, 1e-5)
    expectClose(sample.double().sum().item(), fixture.sample_sum, 1e-4, 1e-4)
    // the reverse pass inverts the forward one up to float32 rounding (PyTorch: 3.3e-7)
    expect(recon.sub(images.index(0).sub(0.5)).abs().max().item()).toBeLessThan(2e-6)
    // one of a ZeroConv2d bias's entries has a near-zero gradient that Adam turns into lr-sized
    // steps of rounding noise: the sums agree to 1e-5 (observed 3.7e-6), the first values to 1e-6
    expectSummaryClose(summary(model), fixture.params, 1e-5, 1e-5, 1e-6)

    // the plain InvConv2d (conv_lu=False): slogdet of the double weight, its gradient W^-T, inverse
    torch.manual_seed(1)
    const inv = new InvConv2d(4)
    const x = torch.randn(2, 4, 3, 3)
    const [y, ld] = inv.call(x)
    y.square().sum().add(ld).backward()
    const back = inv.reverse(y)
    expectClose(ld.item(), fixture.inv_logdet, 0, 1e-5)
    expectClose(inv.weight.grad!.reshape(-1).tolist(), fixture.inv_grad, 1e-4, 1e-5)
    expectClose(back.reshape(-1).index(':8').tolist(), fixture.inv_back, 1e-5, 1e-6)
  })
})
