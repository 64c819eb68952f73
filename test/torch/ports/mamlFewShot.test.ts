import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/maml_few_shot.json'
import { adamStepBound, expectClose, summary } from './portHelpers'

// MAML for few-shot classification as oscarknagg/few-shot writes it (twin:
// test/torch/fixtures/ports/maml_few_shot.py), in float64: fast weights in an OrderedDict (a Map
// here) updated through torch.autograd.grad(create_graph=True), functional_forward with F.conv2d /
// F.batch_norm(training=True) / F.relu / F.max_pool2d / F.linear on explicit weights,
// loss.backward(retain_graph=True) per task, and for first order the mean task gradients put in
// place by param.register_hook during a dummy pass through the module.
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor
type Weights = Map<string, T>

const create_nshot_task_label = (k: number, q: number): T => {
  const y = torch.arange(0, k, 1 / q).long()
  return y
}

const conv_block = (in_channels: number, out_channels: number): torch.nn.Sequential =>
  nn.Sequential(
    nn.Conv2d(in_channels, out_channels, 3, { padding: 1 }),
    nn.BatchNorm2d(out_channels),
    nn.ReLU(),
    nn.MaxPool2d({ kernel_size: 2, stride: 2 }),
  )

const functional_conv_block = (x: T, weights: T, biases: T, bn_weights: T | null, bn_biases: T | null): T => {
  x = F.conv2d(x, weights, biases, { padding: 1 })
  x = F.batch_norm(x, null, null, { weight: bn_weights, bias: bn_biases, training: true })
  x = F.relu(x)
  x = F.max_pool2d(x, { kernel_size: 2, stride: 2 })
  return x
}

class FewShotClassifier extends nn.Module {
  conv1: torch.nn.Sequential
  conv2: torch.nn.Sequential
  conv3: torch.nn.Sequential
  conv4: torch.nn.Sequential
  logits: torch.nn.Linear
  constructor(num_input_channels: number, k_way: number, final_layer_size = 64) {
    super()
    this.conv1 = conv_block(num_input_channels, 64)
    this.conv2 = conv_block(64, 64)
    this.conv3 = conv_block(64, 64)
    this.conv4 = conv_block(64, 64)
    this.logits = nn.Linear(final_layer_size, k_way)
  }
  forward(x: T): T {
    x = this.conv1.call(x) as T
    x = this.conv2.call(x) as T
    x = this.conv3.call(x) as T
    x = this.conv4.call(x) as T
    x = x.view(x.size(0), -1)
    return this.logits.call(x)
  }
  functional_forward(x: T, weights: Weights): T {
    for (const block of [1, 2, 3, 4]) {
      x = functional_conv_block(
        x,
        weights.get(`conv${block}.0.weight`)!,
        weights.get(`conv${block}.0.bias`)!,
        weights.get(`conv${block}.1.weight`) ?? null, // dict.get: None when absent
        weights.get(`conv${block}.1.bias`) ?? null,
      )
    }
    x = x.view(x.size(0), -1)
    x = F.linear(x, weights.get('logits.weight')!, weights.get('logits.bias')!)
    return x
  }
}

const replace_grad = (parameter_gradients: Record<string, T>, parameter_name: string) => (): T =>
  parameter_gradients[parameter_name]!

const meta_gradient_step = (
  model: FewShotClassifier,
  optimiser: torch.optim.Optimizer,
  loss_fn: (a: T, b: T) => T,
  x: T,
  n_shot: number,
  k_way: number,
  q_queries: number,
  order: number,
  inner_train_steps: number,
  inner_lr: number,
  train: boolean,
  device: torch.device,
): [T, T] => {
  const data_shape = x.shape.slice(2)
  const create_graph = (order === 2 ? true : false) && train

  const task_gradients: Array<Record<string, T>> = []
  const task_losses: T[] = []
  const task_predictions: T[] = []
  for (let b = 0; b < x.shape[0]!; b++) {
    const meta_batch = x.index(b)
    const x_task_train = meta_batch.index(`:${n_shot * k_way}`)
    const x_task_val = meta_batch.index(`${n_shot * k_way}:`)

    let fast_weights: Weights = new Map(model.named_parameters())

    for (let inner_batch = 0; inner_batch < inner_train_steps; inner_batch++) {
      const y = create_nshot_task_label(k_way, n_shot).to(device)
      const logits = model.functional_forward(x_task_train, fast_weights)
      const loss = loss_fn(logits, y)
      const gradients = torch.autograd.grad(loss, [...fast_weights.values()], { create_graph: create_graph })

      fast_weights = new Map(
        [...fast_weights.entries()].map(([name, param], i) => [name, param.sub(gradients[i]!.mul(inner_lr))]),
      )
    }

    const y = create_nshot_task_label(k_way, q_queries).to(device)
    const logits = model.functional_forward(x_task_val, fast_weights)
    const loss = loss_fn(logits, y)
    loss.backward({ retain_graph: true })

    const y_pred = logits.softmax({ dim: 1 })
    task_predictions.push(y_pred)

    task_losses.push(loss)
    const gradients = torch.autograd.grad(loss, [...fast_weights.values()], { create_graph: create_graph })
    const named_grads = Object.fromEntries([...fast_weights.keys()].map((name, i) => [name, gradients[i]!]))
    task_gradients.push(named_grads)
  }

  if (order === 1) {
    if (train) {
      const sum_task_gradients = Object.fromEntries(
        Object.keys(task_gradients[0]!).map((k) => [
          k,
          torch.stack(task_gradients.map((grad) => grad[k]!)).mean({ dim: 0 }),
        ]),
      )
      const hooks: torch.utils.hooks.RemovableHandle[] = []
      for (const [name, param] of model.named_parameters()) {
        hooks.push(param.register_hook(replace_grad(sum_task_gradients, name)))
      }

      model.train()
      optimiser.zero_grad()
      const logits = model.call(torch.zeros([k_way, ...data_shape]).to(device, { dtype: torch.double }))
      const loss = loss_fn(logits, create_nshot_task_label(k_way, 1).to(device))
      loss.backward()
      optimiser.step()

      for (const h of hooks) h.remove()
    }
    return [torch.stack(task_losses).mean(), torch.cat(task_predictions)]
  } else if (order === 2) {
    model.train()
    optimiser.zero_grad()
    const meta_batch_loss = torch.stack(task_losses).mean()
    if (train) {
      meta_batch_loss.backward()
      optimiser.step()
    }
    return [meta_batch_loss, torch.cat(task_predictions)]
  } else {
    throw new Error('Order must be either 1 or 2.')
  }
}

describe('MAML few-shot classification (oscarknagg/few-shot, second and first order)', () => {
  it('meta-trains as PyTorch does', () => {
    torch.manual_seed(0)
    const device = torch.device('cpu')
    const [n, k, q] = [1, 2, 1]
    const model = new FewShotClassifier(1, k).to(device, { dtype: torch.double })
    const optimiser = torch.optim.Adam(model.parameters(), { lr: 1e-3 })
    const criterion = new nn.CrossEntropyLoss().to(device)
    const loss_fn = (a: T, b: T): T => criterion.call(a, b)
    const x_all = torch.rand([4, 2, n * k + q * k, 1, 16, 16], { dtype: torch.double })
    const [losses, predictions]: [number[], unknown[]] = [[], []]
    let grads: Record<string, number[]> = {}
    const steps: Array<[number, number, boolean]> = [
      [0, 2, true],
      [1, 2, true],
      [2, 1, true],
      [3, 2, false],
    ]
    for (const [i, order, train] of steps) {
      const [loss, y_pred] = meta_gradient_step(
        model,
        optimiser,
        loss_fn,
        x_all.index(i),
        n,
        k,
        q,
        order,
        1,
        0.4,
        train,
        device,
      )
      losses.push(loss.item() as number)
      predictions.push(y_pred.tolist())
      if (order === 1) {
        grads = Object.fromEntries(
          [...model.named_parameters()].map(([name, p]) => [
            name,
            [p.grad!.sum().item() as number, p.grad!.abs().sum().item() as number],
          ]),
        )
      }
    }
    expectClose(losses, fixture.losses, 1e-9, 0)
    expectClose(predictions, fixture.predictions, 1e-9, 1e-12)
    expectClose(grads, fixture.grads, 1e-8, 1e-12)
    // The conv biases sit before training-mode batch norms: their exact gradients are zero and
    // float64 leaves ~1e-16 of rounding noise (the hooked first-order gradients: |Σ| ≤ 3e-15 over
    // 64 entries). Adam's ε = 1e-8 dominates √v̂ there, so each step moves them by at most
    // lr·adamStepBound(t)·|g|/ε, on each side independently: with |g| bounded by the recorded Σ|g|,
    // three training steps keep the two runs within 2·Σ_t lr·c_t·|g|/ε (about 2e-9). The
    // dummy pass on zeros makes conv1's running_mean 0.1·bias, so it inherits 0.1 of that.
    const gmax = Math.max(...[1, 2, 3, 4].map((b) => fixture.grads[`conv${b}.0.bias` as 'conv1.0.bias']![1]!))
    const noisy = (2 * 1e-3 * (adamStepBound(1) + adamStepBound(2) + adamStepBound(3)) * gmax) / 1e-8
    const bn = model.conv1[1] as torch.nn.BatchNorm2d
    expectClose(bn.running_mean!.index(':4').tolist(), fixture.running[0], 1e-9, 0.1 * noisy)
    expectClose(bn.running_var!.index(':4').tolist(), fixture.running[1], 1e-12, 0)
    expect(bn.num_batches_tracked!.item()).toBe(fixture.running[2])
    const got = summary(model)
    for (const [name, want] of Object.entries(fixture.params)) {
      if (/^conv\d\.0\.bias$/.test(name)) expectClose(got[name]!.slice(2), want.slice(2), 0, noisy, name)
      else expectClose(got[name], want, 1e-9, 1e-12, name)
    }
  })
})
