import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/learning_pytorch.json'
import { expectClose } from './portHelpers'

// The "Learning PyTorch with Examples" tutorial ported line by line (twin:
// test/torch/fixtures/ports/learning_pytorch.py): autograd with no_grad in-place updates and
// `a.grad = None`, the custom autograd.Function LegendrePolynomial3, and
// nn.Sequential(Linear, Flatten(0, 1)) with MSELoss(reduction='sum') and RMSprop.
type T = torch.Tensor
const dtype = torch.float

class LegendrePolynomial3 extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, input: T): T {
    ctx.save_for_backward(input)
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5)
  }

  static override backward(ctx: torch.autograd.FunctionCtx, grad_output: T): T {
    const [input] = ctx.saved_tensors
    return grad_output.mul(1.5).mul(input!.pow(2).mul(5).sub(1))
  }
}

const fitByHand = (params: T[], learning_rate: number, predict: () => T, y: T): number[] => {
  const losses: number[] = []
  for (let t = 0; t < 300; t++) {
    const loss = predict().sub(y).pow(2).sum()
    losses.push(loss.item() as number)
    loss.backward()
    torch.no_grad(() => {
      for (const p of params) p.sub_(p.grad!.mul(learning_rate))
      for (const p of params) p.grad = null
    })
  }
  return losses.filter((_, i) => i % 30 === 0)
}

describe('Learning PyTorch with Examples', () => {
  const x = torch.linspace(-Math.PI, Math.PI, 200, { dtype })
  const y = torch.sin(x)

  it('fits the cubic with autograd as PyTorch does', () => {
    torch.manual_seed(0)
    const [a, b, c, d] = [0, 1, 2, 3].map(() => torch.randn([], { dtype, requires_grad: true })) as [T, T, T, T]
    const losses = fitByHand(
      [a, b, c, d],
      1e-5,
      () =>
        a
          .add(b.mul(x))
          .add(c.mul(x.pow(2)))
          .add(d.mul(x.pow(3))),
      y,
    )
    expectClose(losses, fixture.losses1, 1e-5, 1e-6)
    expectClose(
      [a, b, c, d].map((p) => p.item()),
      fixture.cubic,
      1e-5,
      1e-7,
    )
  })

  it('fits through the custom Function as PyTorch does', () => {
    const full = (v: number): T => torch.full([], v, { dtype, requires_grad: true })
    const [a, b, c, d] = [full(0.0), full(-1.0), full(0.0), full(0.3)]
    const P3 = (v: T): T => LegendrePolynomial3.apply(v) as T
    const losses = fitByHand([a, b, c, d], 5e-5, () => a.add(b.mul(P3(c.add(d.mul(x))))), y)
    expectClose(losses, fixture.losses2, 1e-5, 1e-6)
    expectClose(
      [a, b, c, d].map((p) => p.item()),
      fixture.legendre,
      1e-5,
      1e-7,
    )
  })

  it('fits with nn and optim as PyTorch does', () => {
    torch.manual_seed(1)
    const p = torch.tensor([1, 2, 3])
    const xx = x.unsqueeze(-1).pow(p)
    const model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    const loss_fn = torch.nn.MSELoss({ reduction: 'sum' })
    const optimizer = torch.optim.RMSprop(model.parameters(), { lr: 1e-3 })
    const losses: number[] = []
    for (let t = 0; t < 300; t++) {
      const y_pred = model.call(xx)
      const loss = loss_fn.call(y_pred, y)
      losses.push(loss.item() as number)
      optimizer.zero_grad()
      loss.backward()
      optimizer.step()
    }
    const linear_layer = model.at(0) as torch.nn.Linear
    expectClose(
      losses.filter((_, i) => i % 30 === 0),
      fixture.losses3,
      1e-5,
      1e-6,
    )
    expectClose(
      [linear_layer.bias!.item(), ...(linear_layer.weight.index(':', '0:3').view(-1).tolist() as number[])],
      fixture.nn,
      1e-4,
      1e-6,
    )
  })
})
