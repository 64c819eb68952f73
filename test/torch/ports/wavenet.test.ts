import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/wavenet.json'
import { expectClose, summary } from './portHelpers'

// A WaveNet as the small PyTorch re-implementations write it (twin:
// test/torch/fixtures/ports/wavenet.py): mu-law encoding to 32 classes (torchaudio's formula),
// F.one_hot inputs, a causal Conv1d by left F.pad, gated dilated causal residual blocks (tanh ⊙
// sigmoid) with 1×1 residual and skip convolutions, the summed skips through ReLU-1×1-ReLU-1×1,
// CrossEntropyLoss on the next sample, Adam; then greedy generation decoded by mu_law_decoding.
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor
const QUANT = 32

const mu_law_encoding = (x: T, quantization_channels: number): T => {
  const mu_ = quantization_channels - 1.0
  if (!x.is_floating_point()) x = x.to(torch.float)
  const mu = torch.tensor(mu_, { dtype: x.dtype })
  let x_mu = torch
    .sign(x)
    .mul(torch.log1p(mu.mul(torch.abs(x))))
    .div(torch.log1p(mu))
  x_mu = x_mu.add(1).div(2).mul(mu).add(0.5).to(torch.int64)
  return x_mu
}

const mu_law_decoding = (x_mu: T, quantization_channels: number): T => {
  const mu_ = quantization_channels - 1.0
  if (!x_mu.is_floating_point()) x_mu = x_mu.to(torch.float)
  const mu = torch.tensor(mu_, { dtype: x_mu.dtype })
  let x = x_mu.div(mu).mul(2).sub(1.0)
  x = torch
    .sign(x)
    .mul(torch.exp(torch.abs(x).mul(torch.log1p(mu))).sub(1.0))
    .div(mu)
  return x
}

class CausalConv1d extends nn.Module {
  pad: number
  conv: torch.nn.Conv1d
  constructor(in_channels: number, out_channels: number, kernel_size = 2, dilation = 1) {
    super()
    this.pad = (kernel_size - 1) * dilation
    this.conv = nn.Conv1d(in_channels, out_channels, kernel_size, { dilation, bias: false })
  }
  forward(x: T): T {
    return this.conv.call(F.pad(x, [this.pad, 0]))
  }
}

class ResidualBlock extends nn.Module {
  dilated: CausalConv1d
  conv_res: torch.nn.Conv1d
  conv_skip: torch.nn.Conv1d
  constructor(res_channels: number, skip_channels: number, dilation: number) {
    super()
    this.dilated = new CausalConv1d(res_channels, 2 * res_channels, 2, dilation)
    this.conv_res = nn.Conv1d(res_channels, res_channels, 1)
    this.conv_skip = nn.Conv1d(res_channels, skip_channels, 1)
  }
  forward(x: T, skip_size: number): [T, T] {
    const [filt, gate] = (this.dilated.call(x) as T).chunk(2, { dim: 1 }) as [T, T]
    const gated = torch.tanh(filt).mul(torch.sigmoid(gate))
    const output = this.conv_res.call(gated).add(x)
    const skip = this.conv_skip.call(gated).index(':', ':', `-${skip_size}:`)
    return [output, skip]
  }
}

class WaveNet extends nn.Module {
  dilations: number[]
  receptive_fields: number
  causal: CausalConv1d
  res_stack: torch.nn.ModuleList<ResidualBlock>
  densnet: torch.nn.Sequential
  constructor(layer_size = 3, stack_size = 2, in_channels = QUANT, res_channels = 12, skip_channels = 16) {
    super()
    this.dilations = Array.from({ length: stack_size }, () =>
      Array.from({ length: layer_size }, (_, l) => 2 ** l),
    ).flat()
    this.receptive_fields = this.dilations.reduce((a, b) => a + b, 0) + 1
    this.causal = new CausalConv1d(in_channels, res_channels)
    this.res_stack = nn.ModuleList(this.dilations.map((d) => new ResidualBlock(res_channels, skip_channels, d)))
    this.densnet = nn.Sequential(
      nn.ReLU(),
      nn.Conv1d(skip_channels, skip_channels, 1),
      nn.ReLU(),
      nn.Conv1d(skip_channels, in_channels, 1),
    )
  }
  forward(x: T): T {
    let output = this.causal.call(x.transpose(1, 2)) as T
    const skip_size = output.size(2) - this.receptive_fields + 1
    const skip_connections: T[] = []
    for (const block of this.res_stack) {
      let skip: T
      ;[output, skip] = block.call(output, skip_size) as [T, T]
      skip_connections.push(skip)
    }
    const out = torch.sum(torch.stack(skip_connections), { dim: 0 })
    return this.densnet.call(out).transpose(1, 2).contiguous()
  }
}

describe('WaveNet (gated dilated causal convolutions, mu-law)', () => {
  it('trains and generates as PyTorch does', () => {
    torch.manual_seed(3)
    const t = torch.arange(0, 40, { dtype: torch.float32 })
    const phases = torch.rand(4).mul(6.28).unbind(0)
    let waves = torch.stack(
      phases.map((p) =>
        torch
          .sin(t.mul(0.3).add(p))
          .mul(0.8)
          .mul(torch.exp(t.mul(-0.02))),
      ),
    )
    waves = waves.add(torch.randn_like(waves).mul(0.05))
    const encoded = mu_law_encoding(waves.clamp(-1, 1), QUANT)
    expect(encoded.reshape(-1).tolist()).toEqual(fixture.encoded)
    const model = new WaveNet()
    expect(model.receptive_fields).toBe(fixture.receptive_fields)
    expect([...model.named_parameters()].map(([n]) => n)).toEqual(fixture.names)
    const optimizer = torch.optim.Adam(model.parameters(), { lr: 2e-3 })
    const criterion = nn.CrossEntropyLoss()
    const losses: number[] = []
    for (let step = 0; step < 8; step++) {
      const inputs = F.one_hot(encoded.index(':', ':-1'), QUANT).float()
      const targets = encoded.index(':', `${model.receptive_fields}:`)
      const logits = model.call(inputs) as T
      const loss = criterion.call(logits.view(-1, QUANT), targets.reshape(-1))
      optimizer.zero_grad()
      loss.backward()
      optimizer.step()
      losses.push(loss.item() as number)
    }
    expectClose(losses, fixture.losses, 1e-5, 0)
    const dilated = model.res_stack.at(3).dilated.conv.weight.grad!
    expectClose(dilated.reshape(-1).index(':8').tolist(), fixture.grads.dilated, 1e-4, 1e-8)
    expectClose(model.causal.conv.weight.grad!.reshape(-1).index(':8').tolist(), fixture.grads.causal, 1e-4, 1e-8)
    expectClose(summary(model), fixture.summary, 1e-5, 1e-6)
    model.eval()
    const generated = (encoded.index(0, `:${model.receptive_fields}`).tolist() as number[]).slice()
    torch.no_grad(() => {
      for (let i = 0; i < 6; i++) {
        const window = torch.tensor(generated.slice(-model.receptive_fields).map(BigInt)).unsqueeze(0)
        const logits = model.call(F.one_hot(window, QUANT).float()) as T
        generated.push(logits.index(0, -1).argmax().item() as number)
      }
    })
    expect(generated).toEqual(fixture.generated)
    const audio = mu_law_decoding(torch.tensor(generated.map(BigInt)), QUANT)
    expectClose(audio.tolist(), fixture.audio, 1e-6, 1e-7)
  })
})
