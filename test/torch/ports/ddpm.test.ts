import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/ddpm.json'
import { expectClose, summary } from './portHelpers'

// A DDPM training loop in the style of denoising-diffusion-pytorch, ported line by line (twin:
// test/torch/fixtures/ports/ddpm.py): SinusoidalPosEmb, ResnetBlocks with GroupNorm, SiLU and a
// time scale-shift, a two-level UNet (strided conv down, nearest Upsample, skip concat), the linear
// beta schedule in float64, F.pad of alphas_cumprod_prev, extract through gather, q_sample, MSE on
// the noise, Adam, and ancestral sampling steps under no_grad.
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor

class SinusoidalPosEmb extends nn.Module {
  constructor(public dim: number) {
    super()
  }
  forward(x: T): T {
    const half_dim = Math.floor(this.dim / 2)
    let emb: number | T = Math.log(10000) / (half_dim - 1)
    emb = torch.exp(torch.arange(half_dim).mul(-emb))
    emb = x.index(':', null).mul(emb.index(null, ':'))
    return torch.cat([emb.sin(), emb.cos()], { dim: -1 })
  }
}

class Block extends nn.Module {
  proj: torch.nn.Conv2d
  norm: torch.nn.GroupNorm
  act = nn.SiLU()
  constructor(dim: number, dim_out: number, groups = 4) {
    super()
    this.proj = nn.Conv2d(dim, dim_out, 3, { padding: 1 })
    this.norm = nn.GroupNorm(groups, dim_out)
  }
  forward(x: T, scale_shift: [T, T] | null = null): T {
    x = this.proj.call(x)
    x = this.norm.call(x)
    if (scale_shift !== null) {
      const [scale, shift] = scale_shift
      x = x.mul(scale.add(1)).add(shift)
    }
    return this.act.call(x)
  }
}

class ResnetBlock extends nn.Module {
  mlp: torch.nn.Sequential
  block1: Block
  block2: Block
  res_conv: torch.nn.Module
  constructor(dim: number, dim_out: number, time_emb_dim: number, groups = 4) {
    super()
    this.mlp = nn.Sequential(nn.SiLU(), nn.Linear(time_emb_dim, dim_out * 2))
    this.block1 = new Block(dim, dim_out, groups)
    this.block2 = new Block(dim_out, dim_out, groups)
    this.res_conv = dim !== dim_out ? nn.Conv2d(dim, dim_out, 1) : nn.Identity()
  }
  forward(x: T, time_emb: T): T {
    time_emb = this.mlp.call(time_emb)
    time_emb = time_emb.index(':', ':', null, null)
    const scale_shift = time_emb.chunk(2, { dim: 1 }) as [T, T]
    let h = this.block1.call(x, scale_shift)
    h = this.block2.call(h)
    return h.add((this.res_conv as torch.nn.Conv2d).call(x))
  }
}

class Unet extends nn.Module {
  init_conv: torch.nn.Conv2d
  time_mlp: torch.nn.Sequential
  down1: ResnetBlock
  downsample: torch.nn.Conv2d
  mid: ResnetBlock
  upsample: torch.nn.Sequential
  up1: ResnetBlock
  final_conv: torch.nn.Conv2d
  constructor(
    dim = 8,
    public channels = 1,
  ) {
    super()
    const time_dim = dim * 4
    this.init_conv = nn.Conv2d(channels, dim, 7, { padding: 3 })
    this.time_mlp = nn.Sequential(
      new SinusoidalPosEmb(dim),
      nn.Linear(dim, time_dim),
      nn.GELU(),
      nn.Linear(time_dim, time_dim),
    )
    this.down1 = new ResnetBlock(dim, dim, time_dim)
    this.downsample = nn.Conv2d(dim, dim * 2, 4, 2, 1)
    this.mid = new ResnetBlock(dim * 2, dim * 2, time_dim)
    this.upsample = nn.Sequential(
      nn.Upsample({ scale_factor: 2, mode: 'nearest' }),
      nn.Conv2d(dim * 2, dim, 3, { padding: 1 }),
    )
    this.up1 = new ResnetBlock(dim * 2, dim, time_dim)
    this.final_conv = nn.Conv2d(dim, channels, 1)
  }
  forward(x: T, time: T): T {
    x = this.init_conv.call(x)
    const t = this.time_mlp.call(time)
    const h = this.down1.call(x, t)
    x = this.downsample.call(h)
    x = this.mid.call(x, t)
    x = this.upsample.call(x)
    x = torch.cat([x, h], { dim: 1 })
    x = this.up1.call(x, t)
    return this.final_conv.call(x)
  }
}

const linear_beta_schedule = (timesteps: number): T => {
  const scale = 1000 / timesteps
  const beta_start = scale * 0.0001
  const beta_end = scale * 0.02
  return torch.linspace(beta_start, beta_end, timesteps, { dtype: torch.float64 })
}

const extract = (a: T, t: T, x_shape: readonly number[]): T => {
  const [b] = t.shape as unknown as [number]
  const out = a.gather(-1, t)
  return out.reshape(b, ...Array<number>(x_shape.length - 1).fill(1))
}

class GaussianDiffusion extends nn.Module {
  num_timesteps: number
  declare betas: T
  declare alphas_cumprod: T
  declare sqrt_alphas_cumprod: T
  declare sqrt_one_minus_alphas_cumprod: T
  declare sqrt_recip_alphas: T
  declare posterior_variance: T
  constructor(
    public model: Unet,
    timesteps = 100,
  ) {
    super()
    const betas = linear_beta_schedule(timesteps)
    const alphas = betas.rsub(1.0)
    const alphas_cumprod = torch.cumprod(alphas, { dim: 0 })
    const alphas_cumprod_prev = F.pad(alphas_cumprod.index(':-1'), [1, 0], { value: 1.0 })
    this.num_timesteps = betas.shape[0]!
    const register_buffer = (name: string, val: T): void => this.register_buffer(name, val.to(torch.float32))
    register_buffer('betas', betas)
    register_buffer('alphas_cumprod', alphas_cumprod)
    register_buffer('sqrt_alphas_cumprod', torch.sqrt(alphas_cumprod))
    register_buffer('sqrt_one_minus_alphas_cumprod', torch.sqrt(alphas_cumprod.rsub(1.0)))
    register_buffer('sqrt_recip_alphas', torch.sqrt(alphas.reciprocal()))
    const posterior_variance = betas.mul(alphas_cumprod_prev.rsub(1.0)).div(alphas_cumprod.rsub(1.0))
    register_buffer('posterior_variance', posterior_variance)
  }
  q_sample(x_start: T, t: T, noise: T | null = null): T {
    noise = noise ?? torch.randn_like(x_start)
    return extract(this.sqrt_alphas_cumprod, t, x_start.shape)
      .mul(x_start)
      .add(extract(this.sqrt_one_minus_alphas_cumprod, t, x_start.shape).mul(noise))
  }
  p_losses(x_start: T, t: T): T {
    const noise = torch.randn_like(x_start)
    const x = this.q_sample(x_start, t, noise)
    const model_out = this.model.call(x, t)
    let loss = F.mse_loss(model_out, noise, { reduction: 'none' })
    loss = loss.mean({ dim: [1, 2, 3] })
    return loss.mean()
  }
  forward(img: T): T {
    const b = img.shape[0]!
    const t = torch.randint(0, this.num_timesteps, [b]).long()
    img = img.mul(2).sub(1)
    return this.p_losses(img, t)
  }
  p_sample(x: T, t: number): T {
    return torch.no_grad(() => {
      const b = x.shape[0]!
      const batched_times = torch.full([b], t, { dtype: torch.long })
      const betas_t = extract(this.betas, batched_times, x.shape)
      const sqrt_one_minus = extract(this.sqrt_one_minus_alphas_cumprod, batched_times, x.shape)
      const sqrt_recip = extract(this.sqrt_recip_alphas, batched_times, x.shape)
      const model_mean = sqrt_recip.mul(x.sub(betas_t.mul(this.model.call(x, batched_times)).div(sqrt_one_minus)))
      if (t === 0) return model_mean
      const noise = torch.randn_like(x)
      return model_mean.add(torch.sqrt(extract(this.posterior_variance, batched_times, x.shape)).mul(noise))
    })
  }
}

describe('DDPM (denoising-diffusion-pytorch style)', () => {
  it('trains and samples as PyTorch does', () => {
    torch.manual_seed(0)
    const model = new Unet(8, 1)
    const diffusion = new GaussianDiffusion(model, 100)
    const opt = torch.optim.Adam(diffusion.parameters(), { lr: 1e-3 })
    const data = torch.rand(4, 3, 1, 8, 8)
    const losses: number[] = []
    for (let step = 0; step < 4; step++) {
      opt.zero_grad()
      const loss = diffusion.call(data.index(step % 3)) as T
      loss.backward()
      opt.step()
      losses.push(loss.item() as number)
    }
    let x = torch.randn(2, 1, 8, 8)
    x = diffusion.p_sample(x, 5)
    const x0 = diffusion.p_sample(x, 0)
    expectClose(losses, fixture.losses, 1e-5, 0)
    const emb = new SinusoidalPosEmb(8).call(torch.tensor([0.0, 3.0, 99.0]))
    expectClose(emb.tolist(), fixture.emb, 1e-6, 1e-6)
    const ex = extract(diffusion.alphas_cumprod, torch.tensor([0, 50, 99]), [3, 1, 8, 8])
    expectClose(ex.flatten().tolist(), fixture.extract, 1e-6, 0)
    expectClose(diffusion.posterior_variance.index(':4').tolist(), fixture.posterior_variance, 1e-6, 0)
    const sample = [x.sum().item(), x0.sum().item(), ...(x0.flatten().index(':4').tolist() as number[])]
    expectClose(sample, fixture.sample, 1e-4, 1e-5)
    expectClose(summary(model), fixture.params, 1e-4, 1e-5)
  })
})
