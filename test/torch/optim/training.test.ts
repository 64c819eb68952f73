/**
 * The requirement: a two-layer model trained with SGD and with Adam, whose loss falls;
 * and the example program examples/pytorch/train_mlp.ts runs and prints falling losses.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { runExample } from '../run-example'

const { nn, optim } = torch

class TwoLayer extends nn.Module {
  fc1 = nn.Linear(2, 16)
  fc2 = nn.Linear(16, 1)
  forward(x: torch.Tensor): torch.Tensor {
    return this.fc2.call(torch.tanh(this.fc1.call(x)))
  }
}

/** y = sin(x₀)·cos(x₁) on 64 points of [−2, 2]². */
const data = (): [torch.Tensor, torch.Tensor] => {
  const x = torch.rand(64, 2).mul(4).sub(2)
  const rows = x.tolist() as number[][]
  const y = torch.tensor(rows.map(([a, b]) => [Math.sin(a as number) * Math.cos(b as number)]))
  return [x, y]
}

const train = (makeOpt: (m: TwoLayer) => torch.optim.Optimizer<object, object>, epochs: number): number[] => {
  torch.manual_seed(0)
  const [x, y] = data()
  const model = new TwoLayer()
  const opt = makeOpt(model)
  const lossFn = nn.MSELoss()
  const losses: number[] = []
  for (let e = 0; e < epochs; e++) {
    opt.zero_grad()
    const loss = lossFn.call(model.call(x), y)
    loss.backward()
    opt.step()
    losses.push(loss.item() as number)
  }
  return losses
}

describe('training a two-layer model', () => {
  it('with SGD (momentum): the loss falls', () => {
    const losses = train((m) => optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9 }), 200)
    expect(losses.at(-1)).toBeLessThan(0.25 * (losses[0] as number))
  })

  it('with Adam: the loss falls', () => {
    const losses = train((m) => optim.Adam(m.parameters(), { lr: 0.02 }), 200)
    expect(losses.at(-1)).toBeLessThan(0.25 * (losses[0] as number))
  })

  it('a classifier with CrossEntropyLoss and AdamW learns two separable clusters', () => {
    torch.manual_seed(1)
    const n = 40
    const x = torch.randn(n, 2).add(torch.tensor([[2, 2]]))
    const x2 = torch.randn(n, 2).sub(torch.tensor([[2, 2]]))
    const inputs = torch.cat([x, x2])
    const labels = torch.tensor([...Array(n).fill(0), ...Array(n).fill(1)], { dtype: torch.int64 })
    const net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    const opt = optim.AdamW(net.parameters(), { lr: 0.05 })
    const lossFn = nn.CrossEntropyLoss()
    let first = 0
    let last = 0
    for (let e = 0; e < 60; e++) {
      opt.zero_grad()
      const loss = lossFn.call(net.call(inputs), labels)
      loss.backward()
      opt.step()
      if (e === 0) first = loss.item() as number
      last = loss.item() as number
    }
    expect(last).toBeLessThan(0.2 * first)
    const pred = net.call(inputs).argmax(1)
    expect(pred.eq(labels).sum().item()).toBeGreaterThanOrEqual(2 * n - 2)
  })
})

describe('examples/pytorch/train_mlp.ts', () => {
  it('prints falling losses for SGD and Adam', async () => {
    const { out } = await runExample('../../../examples/pytorch/train_mlp.ts')
    const losses = (opt: string): number[] =>
      out.filter((l) => l.startsWith(opt)).map((l) => Number(/loss ([\d.e+-]+)/.exec(l)?.[1]))
    for (const opt of ['SGD', 'Adam']) {
      const ls = losses(opt)
      expect(ls.length).toBeGreaterThan(3)
      expect(ls.at(-1)).toBeLessThan(0.5 * (ls[0] as number))
    }
  })
})
