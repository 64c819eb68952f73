import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/moe.json'
import { expectClose, summary } from './portHelpers'

// The sparsely-gated mixture-of-experts layer as davidmrau/mixture-of-experts writes it (moe.py and
// example.py at 0b67cc0; twin: test/torch/fixtures/ports/moe.py), sizes cut: noisy top-k gating
// (softplus noise scale, randn_like, topk of k + 1, softmax of the top k scattered into a
// zeros_like leaf that requires grad), the load through Normal(mean, std).cdf of thresholds
// gathered from the flattened top values, cv_squared, the SparseDispatcher (nonzero().sort(0),
// split(1, dim=1), gather, torch.split by part sizes, experts fed empty batches), combine in log
// space (index_add into a zeros leaf, combined[combined == 0] = eps on a non-leaf, log), Adam.
const { nn } = torch
const { Normal } = torch.distributions
type T = torch.Tensor

class SparseDispatcher {
  _batch_index: T
  _expert_index: T
  _part_sizes: number[]
  _nonzero_gates: T
  constructor(
    readonly _num_experts: number,
    readonly _gates: T,
  ) {
    const [sorted_experts, index_sorted_experts] = torch.nonzero(_gates).sort(0)
    ;[, this._expert_index] = sorted_experts.split(1, { dim: 1 }) as [T, T]
    this._batch_index = torch.nonzero(_gates).index(index_sorted_experts.index(':', 1), 0)
    this._part_sizes = _gates.gt(0).sum(0).tolist() as number[]
    const gates_exp = _gates.index(this._batch_index.flatten())
    this._nonzero_gates = torch.gather(gates_exp, 1, this._expert_index)
  }
  dispatch(inp: T): T[] {
    const inp_exp = inp.index(this._batch_index).squeeze(1)
    return torch.split(inp_exp, this._part_sizes, { dim: 0 })
  }
  combine(expert_out: T[], multiply_by_gates = true): T {
    let stitched = torch.cat(expert_out, 0).exp()
    if (multiply_by_gates) stitched = stitched.mul(this._nonzero_gates)
    const zeros = torch.zeros(this._gates.size(0), expert_out.at(-1)!.size(1), {
      requires_grad: true,
      device: stitched.device,
    })
    const combined = zeros.index_add(0, this._batch_index, stitched.float())
    combined.set(combined.eq(0), Number.EPSILON)
    return combined.log()
  }
  expert_to_gates(): T[] {
    return torch.split(this._nonzero_gates, this._part_sizes, { dim: 0 })
  }
}

class MLP extends nn.Module {
  fc1: torch.nn.Linear
  fc2: torch.nn.Linear
  relu = nn.ReLU()
  soft = nn.Softmax(1)
  constructor(input_size: number, output_size: number, hidden_size: number) {
    super()
    this.fc1 = nn.Linear(input_size, hidden_size)
    this.fc2 = nn.Linear(hidden_size, output_size)
  }
  forward(x: T): T {
    return this.soft.call(this.fc2.call(this.relu.call(this.fc1.call(x))))
  }
}

class MoE extends nn.Module {
  experts: torch.nn.ModuleList
  w_gate: torch.nn.Parameter
  w_noise: torch.nn.Parameter
  softplus = nn.Softplus()
  softmax = nn.Softmax(1)
  declare mean: T
  declare std: T
  constructor(
    readonly input_size: number,
    readonly output_size: number,
    readonly num_experts: number,
    readonly hidden_size: number,
    readonly noisy_gating = true,
    readonly k = 4,
  ) {
    super()
    this.experts = nn.ModuleList(
      Array.from({ length: num_experts }, () => new MLP(input_size, output_size, hidden_size)),
    )
    this.w_gate = nn.Parameter(torch.zeros(input_size, num_experts), { requires_grad: true })
    this.w_noise = nn.Parameter(torch.zeros(input_size, num_experts), { requires_grad: true })
    this.register_buffer('mean', torch.tensor([0.0]))
    this.register_buffer('std', torch.tensor([1.0]))
    expect(this.k <= this.num_experts).toBe(true)
  }
  cv_squared(x: T): T {
    const eps = 1e-10
    if (x.shape[0] === 1) return torch.tensor([0], { device: x.device, dtype: x.dtype })
    return x.float().var().div(x.float().mean().pow(2).add(eps))
  }
  _gates_to_load(gates: T): T {
    return gates.gt(0).sum(0)
  }
  _prob_in_top_k(clean_values: T, noisy_values: T, noise_stddev: T, noisy_top_values: T): T {
    const batch = clean_values.size(0)
    const m = noisy_top_values.size(1)
    const top_values_flat = noisy_top_values.flatten()
    const threshold_positions_if_in = torch.arange(batch, { device: clean_values.device }).mul(m).add(this.k)
    const threshold_if_in = torch.unsqueeze(torch.gather(top_values_flat, 0, threshold_positions_if_in), 1)
    const is_in = torch.gt(noisy_values, threshold_if_in)
    const threshold_positions_if_out = threshold_positions_if_in.sub(1)
    const threshold_if_out = torch.unsqueeze(torch.gather(top_values_flat, 0, threshold_positions_if_out), 1)
    const normal = Normal(this.mean, this.std)
    const prob_if_in = normal.cdf(clean_values.sub(threshold_if_in).div(noise_stddev))
    const prob_if_out = normal.cdf(clean_values.sub(threshold_if_out).div(noise_stddev))
    return torch.where(is_in, prob_if_in, prob_if_out)
  }
  noisy_top_k_gating(x: T, train: boolean, noise_epsilon = 1e-2): [T, T] {
    const clean_logits = x.matmul(this.w_gate)
    let logits = clean_logits
    let noise_stddev: T | null = null
    if (this.noisy_gating && train) {
      const raw_noise_stddev = x.matmul(this.w_noise)
      noise_stddev = this.softplus.call(raw_noise_stddev).add(noise_epsilon)
      logits = clean_logits.add(torch.randn_like(clean_logits).mul(noise_stddev))
    }
    const [top_logits, top_indices] = logits.topk(Math.min(this.k + 1, this.num_experts), { dim: 1 })
    const top_k_logits = top_logits.index(':', `:${this.k}`)
    const top_k_indices = top_indices.index(':', `:${this.k}`)
    const top_k_gates = this.softmax.call(top_k_logits)
    const zeros = torch.zeros_like(logits, { requires_grad: true })
    const gates = zeros.scatter(1, top_k_indices, top_k_gates)
    const load =
      noise_stddev !== null && this.k < this.num_experts
        ? this._prob_in_top_k(clean_logits, logits, noise_stddev, top_logits).sum(0)
        : this._gates_to_load(gates)
    return [gates, load]
  }
  forward(x: T, loss_coef = 1e-2): [T, T] {
    const [gates, load] = this.noisy_top_k_gating(x, this.training)
    const importance = gates.sum(0)
    let loss = this.cv_squared(importance).add(this.cv_squared(load))
    loss = loss.mul(loss_coef)
    const dispatcher = new SparseDispatcher(this.num_experts, gates)
    const expert_inputs = dispatcher.dispatch(x)
    dispatcher.expert_to_gates()
    const expert_outputs = Array.from({ length: this.num_experts }, (_, i) =>
      (this.experts.at(i) as MLP).call(expert_inputs[i]!),
    )
    return [dispatcher.combine(expert_outputs), loss]
  }
}

const dummy_data = (batch_size: number, input_size: number, num_classes: number): [T, T] => {
  const x = torch.rand(batch_size, input_size)
  const y = torch.randint(num_classes, [batch_size, 1]).squeeze(1)
  return [x, y]
}

describe('Mixture of experts (davidmrau/mixture-of-experts)', () => {
  it('gates, dispatches, combines and trains as PyTorch does', () => {
    torch.manual_seed(0)
    const [input_size, num_classes, num_experts, hidden_size, batch_size, k] = [12, 6, 5, 8, 8, 2]
    const model = new MoE(input_size, num_classes, num_experts, hidden_size, true, k)
    const loss_fn = nn.CrossEntropyLoss()
    const optim = torch.optim.Adam(model.parameters(), { lr: 1e-2 })
    const [trace, parts]: [number[][], number[][]] = [[], []]
    for (let step = 0; step < 4; step++) {
      const [x, y] = dummy_data(batch_size, input_size, num_classes)
      if (step > 0) {
        const [gates] = model.noisy_top_k_gating(x.float(), false)
        parts.push(new SparseDispatcher(num_experts, gates)._part_sizes)
      }
      const [y_hat, aux_loss] = model.call(x.float())
      const loss = loss_fn.call(y_hat, y)
      const total_loss = loss.add(aux_loss)
      optim.zero_grad()
      total_loss.backward()
      optim.step()
      trace.push([loss.item() as number, aux_loss.item() as number])
    }
    const w_noise_grad = model.w_noise.grad!.reshape(-1).index(':10').tolist()
    const w_gate_grad = model.w_gate.grad!.reshape(-1).index(':10').tolist()
    model.eval()
    const [x, y] = dummy_data(batch_size, input_size, num_classes)
    const [y_hat, aux_loss] = model.call(x.float())
    expectClose(trace, fixture.trace, 1e-5, 1e-8)
    expect(parts).toEqual(fixture.parts)
    expectClose(w_noise_grad, fixture.w_noise_grad, 1e-4, 1e-8)
    expectClose(w_gate_grad, fixture.w_gate_grad, 1e-4, 1e-8)
    expectClose([loss_fn.call(y_hat, y).item() as number, aux_loss.item() as number], fixture.eval, 1e-5, 1e-8)
    expectClose(y_hat.index(':2').tolist(), fixture.eval_y, 1e-5, 1e-7)
    expectClose(summary(model), fixture.params, 1e-5, 1e-6)
  })
})
