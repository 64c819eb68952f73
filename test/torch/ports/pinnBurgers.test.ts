import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/pinn_burgers.json'
import { expectClose, summary } from './portHelpers'

// A physics-informed neural network for viscous Burgers (Raissi, Perdikaris & Karniadakis, 2019)
// as the PyTorch ports write it (twin: test/torch/fixtures/ports/pinn_burgers.py): a tanh MLP on
// torch.cat([x, t], 1), the residual u_t + u·u_x − ν·u_xx from torch.autograd.grad with
// grad_outputs=torch.ones_like(u) and create_graph=True (u_xx a second grad of u_x), data MSE plus
// residual MSE, Adam steps, then LBFGS with the strong-Wolfe line search and a closure. float64.
const { nn } = torch
type T = torch.Tensor

const nu = 0.01 / Math.PI

class PhysicsInformedNN extends nn.Module {
  net: torch.nn.Sequential
  constructor(layers: number[]) {
    super()
    const modules: torch.nn.Module[] = []
    for (let i = 0; i < layers.length - 2; i++) {
      modules.push(new nn.Linear(layers[i]!, layers[i + 1]!))
      modules.push(new nn.Tanh())
    }
    modules.push(new nn.Linear(layers[layers.length - 2]!, layers[layers.length - 1]!))
    this.net = new nn.Sequential(...modules)
  }

  forward(x: T, t: T): T {
    return this.net.call(torch.cat([x, t], { dim: 1 }))
  }

  net_f(x: T, t: T): T {
    const u = this.forward(x, t)
    const u_t = torch.autograd.grad(u, t, {
      grad_outputs: torch.ones_like(u),
      retain_graph: true,
      create_graph: true,
    })[0]!
    const u_x = torch.autograd.grad(u, x, {
      grad_outputs: torch.ones_like(u),
      retain_graph: true,
      create_graph: true,
    })[0]!
    const u_xx = torch.autograd.grad(u_x, x, {
      grad_outputs: torch.ones_like(u_x),
      retain_graph: true,
      create_graph: true,
    })[0]!
    const f = u_t.add(u.mul(u_x)).sub(u_xx.mul(nu))
    return f
  }
}

describe('PINN for Burgers (autograd.grad residuals, Adam then LBFGS)', () => {
  let dtype: torch.dtype
  beforeAll(() => {
    dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
  })
  afterAll(() => torch.set_default_dtype(dtype))

  it('trains as PyTorch 1.13 does', () => {
    torch.manual_seed(0)
    const [N_u, N_f] = [30, 100]
    const x0 = torch.rand(N_u, 1).mul(2).sub(1)
    const t_b = torch.rand(N_u, 1)
    const x_u = torch.cat([x0, torch.ones(N_u / 2, 1).neg(), torch.ones(N_u / 2, 1)])
    const t_u = torch.cat([torch.zeros(N_u, 1), t_b.index(`:${N_u / 2}`), t_b.index(`${N_u / 2}:`)])
    const u_train = torch.cat([torch.sin(x0.mul(Math.PI)).neg(), torch.zeros(N_u, 1)])
    const x_f = torch.rand(N_f, 1).mul(2).sub(1).requires_grad_(true)
    const t_f = torch.rand(N_f, 1).requires_grad_(true)

    const model = new PhysicsInformedNN([2, 20, 20, 20, 1])

    const loss_func = (): T => {
      const u_pred = model.call(x_u, t_u)
      const f_pred = model.net_f(x_f, t_f)
      return torch.mean(u_train.sub(u_pred).pow(2)).add(torch.mean(f_pred.pow(2)))
    }

    const optimizer = new torch.optim.Adam(model.parameters(), { lr: 1e-2 })
    const adam_losses: number[] = []
    for (let it = 0; it < 25; it++) {
      optimizer.zero_grad()
      const loss = loss_func()
      loss.backward()
      optimizer.step()
      adam_losses.push(loss.item() as number)
    }

    const lbfgs = new torch.optim.LBFGS(model.parameters(), {
      lr: 1.0,
      max_iter: 30,
      max_eval: 40,
      history_size: 20,
      tolerance_grad: 1e-9,
      tolerance_change: 1e-12,
      line_search_fn: 'strong_wolfe',
    })
    const lbfgs_losses: number[] = []
    const closure = (): T => {
      lbfgs.zero_grad()
      const loss = loss_func()
      loss.backward()
      lbfgs_losses.push(loss.item() as number)
      return loss
    }
    lbfgs.step(closure)
    const u_test = torch.no_grad(() => model.call(torch.linspace(-1, 1, 5).reshape(-1, 1), torch.full([5, 1], 0.5)))

    expectClose(adam_losses, fixture.adam_losses, 1e-9, 1e-12)
    expect(lbfgs_losses.length).toBe(fixture.lbfgs_losses.length)
    expectClose(lbfgs_losses, fixture.lbfgs_losses, 1e-6, 1e-9)
    expectClose(loss_func().item(), fixture.final_loss, 1e-6, 1e-9)
    expectClose(u_test.reshape(-1).tolist(), fixture.u_test, 1e-5, 1e-7)
    expectClose(summary(model), fixture.params, 1e-5, 1e-7)
  })
})
