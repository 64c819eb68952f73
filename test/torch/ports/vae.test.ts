import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/vae.json'
import { expectClose, summary } from './portHelpers'

// pytorch/examples vae/main.py ported line by line (test/torch/fixtures/ports/vae.py is the
// PyTorch twin): same seed, so the same initial weights, data and reparameterisation noise.
const { nn, optim } = torch
const F = torch.nn.functional

class VAE extends nn.Module {
  fc1 = nn.Linear(784, 400)
  fc21 = nn.Linear(400, 20)
  fc22 = nn.Linear(400, 20)
  fc3 = nn.Linear(20, 400)
  fc4 = nn.Linear(400, 784)

  encode(x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    const h1 = F.relu(this.fc1.call(x))
    return [this.fc21.call(h1), this.fc22.call(h1)]
  }

  reparameterize(mu: torch.Tensor, logvar: torch.Tensor): torch.Tensor {
    const std = torch.exp(logvar.mul(0.5))
    const eps = torch.randn_like(std)
    return mu.add(eps.mul(std))
  }

  decode(z: torch.Tensor): torch.Tensor {
    const h3 = F.relu(this.fc3.call(z))
    return torch.sigmoid(this.fc4.call(h3))
  }

  forward(x: torch.Tensor): [torch.Tensor, torch.Tensor, torch.Tensor] {
    const [mu, logvar] = this.encode(x.view(-1, 784))
    const z = this.reparameterize(mu, logvar)
    return [this.decode(z), mu, logvar]
  }
}

const lossFunction = (reconX: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor): torch.Tensor => {
  const bce = F.binary_cross_entropy(reconX, x.view(-1, 784), { reduction: 'sum' })
  const kld = torch.sum(logvar.add(1).sub(mu.pow(2)).sub(logvar.exp())).mul(-0.5)
  return bce.add(kld)
}

describe('pytorch/examples VAE', () => {
  it('trains as PyTorch does', () => {
    torch.manual_seed(1)
    const model = new VAE()
    const optimizer = optim.Adam(model.parameters(), { lr: 1e-3 })
    const data = torch.rand(3, 8, 1, 28, 28)
    const losses: number[] = []
    model.train()
    for (let epoch = 0; epoch < 2; epoch++) {
      for (const batch of data.__iter__()) {
        optimizer.zero_grad()
        const [reconBatch, mu, logvar] = model.call(batch) as [torch.Tensor, torch.Tensor, torch.Tensor]
        const loss = lossFunction(reconBatch, batch, mu, logvar)
        loss.backward()
        losses.push(loss.item() as number)
        optimizer.step()
      }
    }
    model.eval()
    const [testLoss, sample] = torch.no_grad(() => {
      let total = 0
      for (const batch of data.__iter__()) {
        const [recon, mu, logvar] = model.call(batch) as [torch.Tensor, torch.Tensor, torch.Tensor]
        total += lossFunction(recon, batch, mu, logvar).item() as number
      }
      return [total, model.decode(torch.randn(4, 20))] as const
    })
    expectClose(losses, fixture.losses, 1e-5, 0)
    expectClose(testLoss / 24, fixture.test_loss, 1e-5, 0)
    expectClose([sample.sum().item(), sample.index(0, ':4').tolist()], fixture.sample, 1e-4, 1e-6)
    expectClose(summary(model), fixture.params, 1e-4, 1e-4)
  })
})
