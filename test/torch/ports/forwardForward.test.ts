import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/forward_forward.json'
import { expectClose } from './portHelpers'

// pytorch/examples mnist_forward_forward ported line by line on random 64-feature inputs (twin:
// test/torch/fixtures/ports/forward_forward.py): overlay_y_on_x (in-place *= on a slice, a
// [range(n), y] assignment), Layer subclassing nn.Linear with its own Adam and a train(x_pos,
// x_neg) shadowing Module.train, the goodness loss, negatives from y[randperm], Net.predict.
const { nn } = torch
const { Adam } = torch.optim
type Tensor = torch.Tensor

const device = torch.device('cpu')
const [lr, threshold, epochs, log_interval] = [0.03, 2.0, 6, 2]
const losses: number[] = []

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** Replace the first 10 pixels of data [x] with one-hot-encoded label [y] */
const overlay_y_on_x = (x: Tensor, y: Tensor | number): Tensor => {
  const x_ = x.clone()
  x_.index(':', ':10').mul_(0.0)
  x_.set(range(x.shape[0] as number), y, x.max())
  return x_
}

class Layer extends nn.Linear {
  relu = nn.ReLU()
  opt: torch.optim.Optimizer
  threshold: number
  num_epochs: number

  constructor(in_features: number, out_features: number, bias = true) {
    super(in_features, out_features, bias)
    this.opt = Adam(this.parameters(), { lr })
    this.threshold = threshold
    this.num_epochs = epochs
  }

  override forward(x: Tensor): Tensor {
    const x_direction = x.div(x.norm(2, 1, { keepdim: true }).add(1e-4))
    return this.relu.call(torch.mm(x_direction, this.weight.T).add((this.bias as Tensor).unsqueeze(0)))
  }

  // Python's Layer.train(x_pos, x_neg) shadows Module.train(mode); JavaScript keeps both by arity
  override train(mode?: boolean): this
  override train(x_pos: Tensor, x_neg: Tensor): [Tensor, Tensor]
  override train(x_pos?: Tensor | boolean, x_neg?: Tensor): this | [Tensor, Tensor] {
    if (!(x_pos instanceof torch.Tensor) || x_neg === undefined) return super.train(x_pos as boolean | undefined)
    for (let i = 0; i < this.num_epochs; i++) {
      const g_pos = this.forward(x_pos).pow(2).mean(1)
      const g_neg = this.forward(x_neg).pow(2).mean(1)
      // pushes pos (neg) samples to values larger (smaller) than the threshold
      const loss = torch
        .log(torch.exp(torch.cat([g_pos.neg().add(this.threshold), g_neg.sub(this.threshold)])).add(1))
        .mean()
      this.opt.zero_grad()
      // this backward just computes the derivative and hence is not considered backpropagation
      loss.backward()
      this.opt.step()
      if (i % log_interval === 0) losses.push(loss.item())
    }
    return [this.forward(x_pos).detach(), this.forward(x_neg).detach()]
  }
}

class Net extends nn.Module {
  layers: Layer[]

  constructor(dims: number[]) {
    super()
    this.layers = []
    for (let d = 0; d < dims.length - 1; d++) {
      this.layers = [...this.layers, new Layer(dims[d] as number, dims[d + 1] as number).to(device)]
    }
  }

  predict(x: Tensor): Tensor {
    const goodness_per_label: Tensor[] = []
    for (let label = 0; label < 10; label++) {
      let h = overlay_y_on_x(x, label)
      let goodness: Tensor[] = []
      for (const layer of this.layers) {
        h = layer.call(h)
        goodness = [...goodness, h.pow(2).mean(1)]
      }
      // Python's sum(goodness): 0 + g0 + g1 + …
      const total = goodness.reduce<Tensor | number>((acc, g) => g.add(acc), 0) as Tensor
      goodness_per_label.push(total.unsqueeze(1))
    }
    return torch.cat(goodness_per_label, 1).argmax(1)
  }

  override train(mode?: boolean): this
  override train(x_pos: Tensor, x_neg: Tensor): void
  override train(x_pos?: Tensor | boolean, x_neg?: Tensor): this | void {
    if (!(x_pos instanceof torch.Tensor) || x_neg === undefined) return super.train(x_pos as boolean | undefined)
    let [h_pos, h_neg] = [x_pos, x_neg]
    for (const layer of this.layers) [h_pos, h_neg] = layer.train(h_pos, h_neg)
  }
}

describe('mnist_forward_forward', () => {
  it('trains layer by layer and predicts as PyTorch does', () => {
    torch.manual_seed(1)
    const x = torch.rand(20, 64).sub(0.5).div(0.3)
    const y = torch.randint(0, 10, [20])
    const x_test = torch.rand(10, 64).sub(0.5).div(0.3)
    const y_test = torch.randint(0, 10, [10])
    const x_pos = overlay_y_on_x(x, y)
    const rnd = torch.randperm(x.size(0))
    const x_neg = overlay_y_on_x(x, y.index(rnd))
    const net = new Net([64, 32, 32])
    net.train(x_pos, x_neg)
    const train_pred = net.predict(x)
    const test_pred = net.predict(x_test)
    expectClose(x_pos.index(3, ':12').tolist(), fixture.x_pos_row, 1e-6, 1e-7)
    expectClose(losses, fixture.losses, 1e-5, 1e-6)
    expectClose(1.0 - train_pred.eq(y).float().mean().item(), fixture.train_error, 1e-6, 1e-7)
    expectClose(1.0 - test_pred.eq(y_test).float().mean().item(), fixture.test_error, 1e-6, 1e-7)
    expectClose(train_pred.tolist(), fixture.train_pred, 0, 0)
    const w = (net.layers[1] as Layer).weight
    expectClose([w.double().sum().item(), w.index(0, ':4').tolist()], fixture.weight, 1e-5, 1e-6)
  })
})
