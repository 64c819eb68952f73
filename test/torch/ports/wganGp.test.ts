import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/wgan_gp.json'
import { expectClose, summary } from './portHelpers'

// A WGAN-GP training loop (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs")
// ported line by line (twin: test/torch/fixtures/ports/wgan_gp.py): the gradient penalty takes
// autograd.grad with create_graph through the critic, so d_loss.backward() differentiates twice.
const { nn } = torch
const autograd = torch.autograd
type T = torch.Tensor
const latent_dim = 6
const img_shape = [1, 4, 4]
const lambda_gp = 10
const n_critic = 2
const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1)

class Generator extends nn.Module {
  model: torch.nn.Sequential

  constructor() {
    super()
    const block = (in_feat: number, out_feat: number, normalize = true): torch.nn.Module[] => {
      const layers: torch.nn.Module[] = [nn.Linear(in_feat, out_feat)]
      if (normalize) layers.push(nn.BatchNorm1d(out_feat, 0.8))
      layers.push(nn.LeakyReLU(0.2, { inplace: true }))
      return layers
    }
    this.model = nn.Sequential(
      ...block(latent_dim, 16, false),
      ...block(16, 32),
      nn.Linear(32, prod(img_shape)),
      nn.Tanh(),
    )
  }

  forward(z: T): T {
    const img = this.model.call(z)
    return img.view(img.shape[0]!, ...img_shape)
  }
}

class Discriminator extends nn.Module {
  model = nn.Sequential(
    nn.Linear(prod(img_shape), 32),
    nn.LeakyReLU(0.2, { inplace: true }),
    nn.Linear(32, 16),
    nn.LeakyReLU(0.2, { inplace: true }),
    nn.Linear(16, 1),
  )

  forward(img: T): T {
    const img_flat = img.view(img.shape[0]!, -1)
    return this.model.call(img_flat)
  }
}

// Calculates the gradient penalty loss for WGAN GP
const compute_gradient_penalty = (D: Discriminator, real_samples: T, fake_samples: T): T => {
  const alpha = torch.rand([real_samples.size(0), 1, 1, 1])
  const interpolates = alpha.mul(real_samples).add(torch.rsub(alpha, 1).mul(fake_samples)).requires_grad_(true)
  const d_interpolates = D.call(interpolates)
  const fake = torch.ones(real_samples.shape[0]!, 1).requires_grad_(false)
  let gradients = autograd.grad(d_interpolates, interpolates, fake, {
    create_graph: true,
    retain_graph: true,
    only_inputs: true,
  })[0]!
  gradients = gradients.view(gradients.size(0), -1)
  return gradients.norm(2, { dim: 1 }).sub(1).pow(2).mean()
}

describe('WGAN-GP', () => {
  it('trains critic and generator as PyTorch does', () => {
    torch.manual_seed(11)
    const generator = new Generator()
    const discriminator = new Discriminator()
    const optimizer_G = torch.optim.Adam(generator.parameters(), { lr: 2e-4, betas: [0.5, 0.999] })
    const optimizer_D = torch.optim.Adam(discriminator.parameters(), { lr: 2e-4, betas: [0.5, 0.999] })
    const data = torch
      .rand(4, 5, ...img_shape)
      .mul(2)
      .sub(1)
    const records: number[][] = []
    for (let i = 0; i < 4; i++) {
      const imgs = data.index(i)
      const real_imgs = imgs
      optimizer_D.zero_grad()
      const z = torch.randn(imgs.shape[0]!, latent_dim)
      let fake_imgs = generator.call(z)
      const real_validity = discriminator.call(real_imgs)
      let fake_validity = discriminator.call(fake_imgs)
      const gradient_penalty = compute_gradient_penalty(discriminator, real_imgs.data, fake_imgs.data)
      const d_loss = torch.mean(real_validity).neg().add(torch.mean(fake_validity)).add(gradient_penalty.mul(lambda_gp))
      d_loss.backward()
      optimizer_D.step()
      optimizer_G.zero_grad()
      const record = [d_loss.item() as number, gradient_penalty.item() as number]
      if (i % n_critic === 0) {
        fake_imgs = generator.call(z)
        fake_validity = discriminator.call(fake_imgs)
        const g_loss = torch.mean(fake_validity).neg()
        g_loss.backward()
        optimizer_G.step()
        record.push(g_loss.item() as number)
      }
      records.push(record)
    }
    expectClose(records, fixture.records, 1e-4, 1e-6)
    // model.2 is the Linear before BatchNorm1d (train mode): its bias gradient is zero in exact
    // arithmetic and ±1e-10 rounding noise in float32 (PyTorch's own values at step 0:
    // 5.8e-11, 3.8e-10, …), which Adam (eps 1e-8) turns into steps of up to lr·|g|/(|g| + eps).
    // Two generator steps of lr 2e-4 bound the difference that noise can make by 4e-4.
    const { 'model.2.bias': noisyBias, ...gen } = summary(generator)
    const { 'model.2.bias': wantBias, ...wantGen } = fixture.generator
    expectClose(gen, wantGen, 1e-4, 1e-5)
    expectClose(noisyBias!.slice(2), wantBias.slice(2), 0, 4e-4)
    expectClose(summary(discriminator), fixture.discriminator, 1e-4, 1e-5)
  })
})
