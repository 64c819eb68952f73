import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/dcgan.json'
import { expectClose, summary } from './portHelpers'

// pytorch/examples dcgan/main.py in the small, ported line by line (twin:
// test/torch/fixtures/ports/dcgan.py): weights_init via apply, BCELoss, two Adams, the
// discriminator step on real and detached fake images, then the generator step.
const { nn, optim } = torch
const [nz, ngf, ndf, nc] = [8, 4, 4, 1]

const weightsInit = (m: torch.nn.Module): void => {
  const classname = m.constructor.name
  if (classname.indexOf('Conv') !== -1) {
    nn.init.normal_((m as torch.nn.Conv2d).weight.data, 0.0, 0.02)
  } else if (classname.indexOf('BatchNorm') !== -1) {
    nn.init.normal_((m as torch.nn.BatchNorm2d).weight!.data, 1.0, 0.02)
    nn.init.constant_((m as torch.nn.BatchNorm2d).bias!.data, 0)
  }
}

class Generator extends nn.Module {
  main = nn.Sequential(
    nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, { bias: false }),
    nn.BatchNorm2d(ngf * 4),
    nn.ReLU(true),
    nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, { bias: false }),
    nn.BatchNorm2d(ngf * 2),
    nn.ReLU(true),
    nn.ConvTranspose2d(ngf * 2, nc, 4, 2, 1, { bias: false }),
    nn.Tanh(),
  )

  forward(input: torch.Tensor): torch.Tensor {
    return this.main.call(input)
  }
}

class Discriminator extends nn.Module {
  main = nn.Sequential(
    nn.Conv2d(nc, ndf, 4, 2, 1, { bias: false }),
    nn.LeakyReLU(0.2, { inplace: true }),
    nn.Conv2d(ndf, ndf * 2, 4, 2, 1, { bias: false }),
    nn.BatchNorm2d(ndf * 2),
    nn.LeakyReLU(0.2, { inplace: true }),
    nn.Conv2d(ndf * 2, 1, 4, 1, 0, { bias: false }),
    nn.Sigmoid(),
  )

  forward(input: torch.Tensor): torch.Tensor {
    const output = this.main.call(input)
    return output.view(-1, 1).squeeze(1)
  }
}

describe('pytorch/examples DCGAN', () => {
  it('trains both networks as PyTorch does', () => {
    torch.manual_seed(999)
    const netG = new Generator()
    netG.apply(weightsInit)
    const netD = new Discriminator()
    netD.apply(weightsInit)
    const criterion = new nn.BCELoss()
    const fixedNoise = torch.randn(4, nz, 1, 1)
    const [realLabel, fakeLabel] = [1, 0]
    const optimizerD = optim.Adam(netD.parameters(), { lr: 0.0002, betas: [0.5, 0.999] })
    const optimizerG = optim.Adam(netG.parameters(), { lr: 0.0002, betas: [0.5, 0.999] })
    const dataset = torch.rand(3, 6, nc, 16, 16).mul(2).sub(1)
    const log: number[][] = []
    for (const realCpu of dataset.__iter__()) {
      netD.zero_grad()
      const batchSize = realCpu.size(0)
      const label = torch.full([batchSize], realLabel, { dtype: realCpu.dtype })
      let output = netD.call(realCpu)
      const errDReal = criterion.call(output, label)
      errDReal.backward()
      const D_x = output.mean().item() as number
      const noise = torch.randn(batchSize, nz, 1, 1)
      const fake = netG.call(noise)
      label.fill_(fakeLabel)
      output = netD.call(fake.detach())
      const errDFake = criterion.call(output, label)
      errDFake.backward()
      const D_G_z1 = output.mean().item() as number
      const errD = errDReal.add(errDFake)
      optimizerD.step()
      netG.zero_grad()
      label.fill_(realLabel)
      output = netD.call(fake)
      const errG = criterion.call(output, label)
      errG.backward()
      const D_G_z2 = output.mean().item() as number
      optimizerG.step()
      log.push([errD.item() as number, errG.item() as number, D_x, D_G_z1, D_G_z2])
    }
    const fake = torch.no_grad(() => netG.call(fixedNoise).detach())
    netG.eval()
    const fakeEval = torch.no_grad(() => netG.call(fixedNoise))
    expectClose(log, fixture.log, 1e-5, 1e-6)
    expectClose([fake.sum().item(), fake.reshape(-1).index(':4').tolist()], fixture.fake, 1e-4, 1e-6)
    expectClose([fakeEval.sum().item(), fakeEval.reshape(-1).index(':4').tolist()], fixture.fake_eval, 1e-4, 1e-6)
    const bnG = netG.main[1] as torch.nn.BatchNorm2d
    const bnD = netD.main[3] as torch.nn.BatchNorm2d
    expectClose(bnG.running_mean!.tolist(), fixture.running_mean, 1e-4, 1e-6)
    expectClose(bnD.running_var!.tolist(), fixture.running_var, 1e-4, 1e-6)
    expectClose(summary(netG), fixture.netG, 1e-4, 1e-5)
    expectClose(summary(netD), fixture.netD, 1e-4, 1e-5)
  })
})
