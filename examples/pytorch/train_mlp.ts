/**
 * Training a small multilayer perceptron with the PyTorch facade: an `nn.Module` subclass, an
 * `nn.MSELoss`, and the usual loop (zero_grad, forward, backward, step) — once with SGD and
 * momentum, once with Adam. The task is to fit y = sin(x₀)·cos(x₁) on 128 random points; the
 * printed losses fall.
 *
 * Run: npx tsx examples/pytorch/train_mlp.ts
 */
import * as torch from 'wengert/torch'
const { nn, optim } = torch

class MLP extends nn.Module {
  fc1 = nn.Linear(2, 32)
  fc2 = nn.Linear(32, 32)
  fc3 = nn.Linear(32, 1)
  forward(x: torch.Tensor): torch.Tensor {
    x = torch.tanh(this.fc1.call(x))
    x = torch.tanh(this.fc2.call(x))
    return this.fc3.call(x)
  }
}

// the data: 128 points of [−2, 2]² and their targets
torch.manual_seed(0)
const x = torch.rand(128, 2).mul(4).sub(2)
const y = torch.tensor((x.tolist() as number[][]).map(([a, b]) => [Math.sin(a as number) * Math.cos(b as number)]))

const train = (
  name: string,
  makeOptimizer: (params: Iterable<torch.nn.Parameter>) => torch.optim.Optimizer<object, object>,
): void => {
  torch.manual_seed(1)
  const model = new MLP()
  const optimizer = makeOptimizer(model.parameters())
  const loss_fn = nn.MSELoss()
  for (let epoch = 0; epoch <= 300; epoch++) {
    optimizer.zero_grad()
    const loss = loss_fn.call(model.call(x), y)
    loss.backward()
    optimizer.step()
    if (epoch % 50 === 0)
      console.log(`${name} epoch ${String(epoch).padStart(3)}  loss ${(loss.item() as number).toFixed(5)}`)
  }
}

console.log(String(new MLP()))
train('SGD ', (params) => optim.SGD(params, { lr: 0.05, momentum: 0.9 }))
train('Adam', (params) => optim.Adam(params, { lr: 0.01 }))
