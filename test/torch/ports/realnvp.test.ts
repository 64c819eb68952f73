import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/realnvp.json'
import { expectClose } from './portHelpers'

// RealNVP on two moons, ported line by line from the classic notebook (twin:
// test/torch/fixtures/ports/realnvp.py): masked affine coupling layers in ModuleLists, the masks
// as a frozen nn.Parameter, log-det accumulated in place (log_det_J -= s.sum(dim=1)), a
// torch.distributions.MultivariateNormal prior (log_prob, sample), Adam over the trainable
// parameters, backward(retain_graph=True), and the inverse pass on prior samples.
const { nn, distributions } = torch
type T = torch.Tensor

class RealNVP extends nn.Module {
  mask: torch.nn.Parameter
  t: torch.nn.ModuleList
  s: torch.nn.ModuleList
  constructor(
    nets: () => torch.nn.Sequential,
    nett: () => torch.nn.Sequential,
    mask: T,
    public prior: torch.distributions.MultivariateNormal,
  ) {
    super()
    this.mask = nn.Parameter(mask, { requires_grad: false })
    this.t = torch.nn.ModuleList(Array.from({ length: mask.shape[0]! }, () => nett()))
    this.s = torch.nn.ModuleList(Array.from({ length: mask.shape[0]! }, () => nets()))
  }
  private st(i: number, x_: T): [T, T] {
    const keep = this.mask.index(i).rsub(1)
    const s = (this.s.at(i) as torch.nn.Sequential).call(x_).mul(keep)
    const t = (this.t.at(i) as torch.nn.Sequential).call(x_).mul(keep)
    return [s, t]
  }
  g(z: T): T {
    let x = z
    for (let i = 0; i < this.t.length; i++) {
      const x_ = x.mul(this.mask.index(i))
      const [s, t] = this.st(i, x_)
      x = x_.add(
        this.mask
          .index(i)
          .rsub(1)
          .mul(x.mul(torch.exp(s)).add(t)),
      )
    }
    return x
  }
  f(x: T): [T, T] {
    const log_det_J = x.new_zeros(x.shape[0]!)
    let z = x
    for (let i = this.t.length - 1; i >= 0; i--) {
      const z_ = this.mask.index(i).mul(z)
      const [s, t] = this.st(i, z_)
      z = this.mask.index(i).rsub(1).mul(z.sub(t)).mul(torch.exp(s.neg())).add(z_)
      log_det_J.sub_(s.sum({ dim: 1 }))
    }
    return [z, log_det_J]
  }
  log_prob(x: T): T {
    const [z, logp] = this.f(x)
    return this.prior.log_prob(z).add(logp)
  }
  sample(batchSize: number): T {
    const z = this.prior.sample([batchSize, 1])
    this.prior.log_prob(z)
    return this.g(z)
  }
}

/** A two-moons sample drawn with torch (the notebook uses sklearn.datasets.make_moons). */
const make_moons = (n: number, noise: number): T => {
  const t = torch.rand(n).mul(Math.PI)
  const upper = torch.stack([torch.cos(t), torch.sin(t)], { dim: 1 })
  const lower = torch.stack([torch.cos(t).rsub(1), torch.sin(t).rsub(1).sub(0.5)], { dim: 1 })
  const which = torch.arange(n).remainder(2).eq(0).unsqueeze(1)
  return torch.where(which, upper, lower).add(torch.randn(n, 2).mul(noise))
}

describe('RealNVP (two moons)', () => {
  it('trains and samples as PyTorch does', () => {
    torch.manual_seed(0)
    const nets = () =>
      nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(), nn.Linear(32, 32), nn.LeakyReLU(), nn.Linear(32, 2), nn.Tanh())
    const nett = () =>
      nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(), nn.Linear(32, 32), nn.LeakyReLU(), nn.Linear(32, 2))
    const row = [
      [0, 1],
      [1, 0],
    ]
    const masks = torch.tensor([...row, ...row, ...row], { dtype: torch.float32 })
    const prior = distributions.MultivariateNormal(torch.zeros(2), torch.eye(2))
    const flow = new RealNVP(nets, nett, masks, prior)
    const optimizer = torch.optim.Adam(
      [...flow.parameters()].filter((p) => p.requires_grad === true),
      { lr: 1e-4 },
    )
    const losses: number[] = []
    for (let t = 0; t < 30; t++) {
      const noisy_moons = make_moons(64, 0.05)
      const loss = flow.log_prob(noisy_moons).mean().neg()
      optimizer.zero_grad()
      loss.backward({ retain_graph: true })
      optimizer.step()
      losses.push(loss.item() as number)
    }
    const [z, logdet] = flow.f(make_moons(4, 0.05))
    const x = flow.sample(3)
    expectClose(losses, fixture.losses, 1e-5, 0)
    expectClose(z.tolist(), fixture.z, 1e-5, 1e-6)
    expectClose(logdet.tolist(), fixture.logdet, 1e-5, 1e-6)
    expectClose(x.tolist(), fixture.x, 1e-5, 1e-6)
    expectClose(
      ((flow.s.at(0) as torch.nn.Sequential).at(0) as torch.nn.Linear).weight.index(0).tolist(),
      fixture.s0,
      1e-5,
      1e-6,
    )
    const n = [...flow.parameters()].filter((p) => p.requires_grad).reduce((a, p) => a + p.numel(), 0)
    expect(n).toBe(fixture.n_params)
  })
})
