import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/neural_ode.json'
import { expectClose, summary } from './portHelpers'

// torchdiffeq's examples/ode_demo.py, smaller (twin: test/torch/fixtures/ports/neural_ode.py), the
// solver written out as torchdiffeq's fixed-grid 'rk4' computes it (rk4_alt_step_func, the 3/8
// rule, on the grid of the requested times) and backpropagation through its operations: the spiral
// dy/dt = (y**3) A, ODEFunc's Linear-Tanh-Linear with normal_(0, 0.1) weights and zero biases,
// get_batch (starts from torch.randperm: np.random.choice has no twin), mean |pred − y|,
// RMSprop(lr=1e-3), the RunningAverageMeter and the whole-trajectory test loss.
const { nn, optim } = torch
type T = torch.Tensor
type Func = (t: T, y: T) => T

const _one_third = 1 / 3
const _two_thirds = 2 / 3

const rk4_alt_step_func = (func: Func, t0: T, dt: T, t1: T, y0: T, f0: T | null = null): T => {
  let k1 = f0
  if (k1 === null) k1 = func(t0, y0)
  const k2 = func(t0.add(dt.mul(_one_third)), y0.add(dt.mul(k1).mul(_one_third)))
  const k3 = func(t0.add(dt.mul(_two_thirds)), y0.add(dt.mul(k2.sub(k1.mul(_one_third)))))
  const k4 = func(t1, y0.add(dt.mul(k1.sub(k2).add(k3))))
  return k1.add(k2.add(k3).mul(3)).add(k4).mul(dt).mul(0.125)
}

const odeint = (func: Func, y0: T, t: T, method = 'rk4'): T => {
  expect(method).toBe('rk4')
  const solution = torch.empty(t.size(0), ...y0.shape, { dtype: y0.dtype, device: y0.device })
  solution.set(0, y0)
  let j = 1
  let y0_ = y0
  const ts = t.unbind(0)
  for (let i = 0; i + 1 < ts.length; i++) {
    const [t0, t1] = [ts[i]!, ts[i + 1]!]
    const dt = t1.sub(t0)
    const dy = rk4_alt_step_func(func, t0, dt, t1, y0_)
    const y1 = y0_.add(dy)
    solution.set(j, y1)
    j += 1
    y0_ = y1
  }
  return solution
}

class ODEFunc extends nn.Module {
  net = nn.Sequential(nn.Linear(2, 50), nn.Tanh(), nn.Linear(50, 2))
  constructor() {
    super()
    for (const m of this.net.modules()) {
      if (m instanceof nn.Linear) {
        nn.init.normal_(m.weight, { mean: 0, std: 0.1 })
        nn.init.constant_(m.bias!, { val: 0 })
      }
    }
  }
  forward(_t: T, y: T): T {
    return this.net.call(y.pow(3))
  }
}

class RunningAverageMeter {
  val: number | null = null
  avg = 0
  constructor(readonly momentum = 0.99) {
    this.reset()
  }
  reset(): void {
    this.val = null
    this.avg = 0
  }
  update(val: number): void {
    if (this.val === null) this.avg = val
    else this.avg = this.avg * this.momentum + val * (1 - this.momentum)
    this.val = val
  }
}

describe('a neural ODE (torchdiffeq ode_demo, fixed-grid rk4, backprop through the solver)', () => {
  it('fits the spiral as PyTorch does', () => {
    const [data_size, batch_time, batch_size, niters] = [100, 10, 8, 12]
    const true_y0 = torch.tensor([[2, 0]])
    const t = torch.linspace(0, 25, data_size)
    const true_A = torch.tensor([
      [-0.1, 2.0],
      [-2.0, -0.1],
    ])
    const lambda: Func = (_t, y) => torch.mm(y.pow(3), true_A)
    const true_y = torch.no_grad(() => odeint(lambda, true_y0, t, 'rk4'))
    expectClose(true_y.reshape(-1).tolist(), fixture.true_y, 1e-5, 1e-6)
    const get_batch = (s: T): [T, T, T] => {
      const batch_y0 = true_y.index(s)
      const batch_t = t.index(`:${batch_time}`)
      const batch_y = torch.stack(
        Array.from({ length: batch_time }, (_, i) => true_y.index(s.add(i))),
        { dim: 0 },
      )
      return [batch_y0, batch_t, batch_y]
    }
    torch.manual_seed(0)
    const func = new ODEFunc()
    const f: Func = (tt, y) => func.call(tt, y) as T
    const optimizer = optim.RMSprop(func.parameters(), { lr: 1e-3 })
    const loss_meter = new RunningAverageMeter(0.97)
    const [losses, avgs, test_losses]: [number[], number[], number[]] = [[], [], []]
    for (let itr = 1; itr <= niters; itr++) {
      optimizer.zero_grad()
      const s = torch.randperm(data_size - batch_time).index(`:${batch_size}`)
      const [batch_y0, batch_t, batch_y] = get_batch(s)
      const pred_y = odeint(f, batch_y0, batch_t)
      const loss = torch.mean(torch.abs(pred_y.sub(batch_y)))
      loss.backward()
      if (itr === niters) {
        for (const [n, p] of func.named_parameters()) {
          const want = fixture.grads[n as keyof typeof fixture.grads]
          expectClose(p.grad!.reshape(-1).index(':6').tolist(), want, 1e-4, 1e-7, n)
        }
      }
      optimizer.step()
      loss_meter.update(loss.item() as number)
      losses.push(loss.item() as number)
      avgs.push(loss_meter.avg)
      if (itr % 4 === 0) {
        torch.no_grad(() => {
          const pred = odeint(f, true_y0, t)
          test_losses.push(torch.mean(torch.abs(pred.sub(true_y))).item() as number)
        })
      }
    }
    expectClose(losses, fixture.losses, 1e-5, 0)
    expectClose(avgs, fixture.avgs, 1e-5, 0)
    expectClose(test_losses, fixture.test_losses, 1e-5, 0)
    expectClose(summary(func), fixture.summary, 1e-5, 1e-7)
    expect([...func.named_parameters()].map(([n]) => n)).toEqual(fixture.names)
  })
})
