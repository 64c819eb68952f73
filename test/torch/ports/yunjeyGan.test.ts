import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/yunjey_gan.json'
import { expectClose, summary } from './portHelpers'

// yunjey/pytorch-tutorial's GAN ported line by line (twin: test/torch/fixtures/ports/yunjey_gan.py):
// MLP discriminator and generator on MNIST-shaped random images, BCELoss, two Adam optimizers,
// reset_grad, denorm; the third discriminator step uses fake_images.detach() (added).
const { nn } = torch
type T = torch.Tensor

const latent_size = 64
const hidden_size = 256
const image_size = 784
const batch_size = 16

describe("yunjey's GAN", () => {
  it('trains D and G as PyTorch does', () => {
    torch.manual_seed(0)
    const data = torch.rand(3, batch_size, 1, 28, 28).sub(0.5).div(0.5)
    // Discriminator
    const D = nn.Sequential(
      nn.Linear(image_size, hidden_size),
      nn.LeakyReLU(0.2),
      nn.Linear(hidden_size, hidden_size),
      nn.LeakyReLU(0.2),
      nn.Linear(hidden_size, 1),
      nn.Sigmoid(),
    )
    // Generator
    const G = nn.Sequential(
      nn.Linear(latent_size, hidden_size),
      nn.ReLU(),
      nn.Linear(hidden_size, hidden_size),
      nn.ReLU(),
      nn.Linear(hidden_size, image_size),
      nn.Tanh(),
    )
    // Binary cross entropy loss and optimizer
    const criterion = nn.BCELoss()
    const d_optimizer = torch.optim.Adam(D.parameters(), { lr: 0.0002 })
    const g_optimizer = torch.optim.Adam(G.parameters(), { lr: 0.0002 })
    const denorm = (x: T): T => {
      const out = x.add(1).div(2)
      return out.clamp(0, 1)
    }
    const reset_grad = (): void => {
      d_optimizer.zero_grad()
      g_optimizer.zero_grad()
    }
    const grads = (m: torch.nn.Module): Record<string, number[]> => {
      const g: Record<string, number[]> = {}
      for (const [n, p] of m.named_parameters()) {
        if (p.grad === null) continue
        g[n] = [...(p.grad.reshape(-1).index(':4').tolist() as number[]), p.grad.double().abs().sum().item() as number]
      }
      return g
    }
    const out = {
      d_loss: [] as number[],
      g_loss: [] as number[],
      scores: [] as number[][],
      g_grad_after_d: [] as number[],
    }
    const fx = fixture as Record<string, unknown>
    let fake_images = torch.zeros(1)
    for (let i = 0; i < 3; i++) {
      const images = data.index(i).reshape(batch_size, -1)
      // Create the labels which are later used as input for the BCE loss
      const real_labels = torch.ones(batch_size, 1)
      const fake_labels = torch.zeros(batch_size, 1)
      // Compute BCE_Loss using real images where BCE_Loss(x, y): - y * log(D(x)) - (1 - y) * log(1 - D(x))
      let outputs = D.call(images)
      const d_loss_real = criterion.call(outputs, real_labels)
      const real_score = outputs
      // Compute BCELoss using fake images
      let z = torch.randn(batch_size, latent_size)
      fake_images = G.call(z)
      outputs = D.call(i === 2 ? fake_images.detach() : fake_images)
      const d_loss_fake = criterion.call(outputs, fake_labels)
      const fake_score = outputs
      // Backprop and optimize
      const d_loss = d_loss_real.add(d_loss_fake)
      reset_grad()
      d_loss.backward()
      out.g_grad_after_d.push(
        [...G.parameters()].reduce((s, p) => s + (p.grad === null ? 0 : (p.grad.abs().sum().item() as number)), 0),
      )
      if (i === 0) expectClose(grads(D), fx.d_grads0, 1e-4, 1e-7, 'd_grads0')
      d_optimizer.step()
      // Compute loss with fake images
      z = torch.randn(batch_size, latent_size)
      fake_images = G.call(z)
      outputs = D.call(fake_images)
      // We train G to maximize log(D(G(z)) instead of minimizing log(1-D(G(z)))
      const g_loss = criterion.call(outputs, real_labels)
      // Backprop and optimize
      reset_grad()
      g_loss.backward()
      if (i === 0) expectClose(grads(G), fx.g_grads0, 1e-4, 1e-7, 'g_grads0')
      g_optimizer.step()
      out.d_loss.push(d_loss.item() as number)
      out.g_loss.push(g_loss.item() as number)
      out.scores.push([real_score.mean().item() as number, fake_score.mean().item() as number])
    }
    fake_images = fake_images.reshape(fake_images.size(0), 1, 28, 28)
    const sample = denorm(fake_images)
    expectClose([sample.sum().item(), sample.reshape(-1).index(':6').tolist()], fx.sample, 1e-5, 1e-6, 'sample')
    expect(out.g_grad_after_d[2]).toBe(0)
    expectClose(
      out,
      { d_loss: fx.d_loss, g_loss: fx.g_loss, scores: fx.scores, g_grad_after_d: fx.g_grad_after_d },
      1e-5,
      1e-6,
    )
    expectClose(summary(D), fx.D, 1e-4, 1e-5, 'D')
    expectClose(summary(G), fx.G, 1e-4, 1e-5, 'G')
  })
})
