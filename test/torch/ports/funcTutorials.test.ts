import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/func_tutorials.json'
import { expectClose } from './portHelpers'

// Three torch.func tutorials ported line by line at smaller sizes (twin:
// test/torch/fixtures/ports/func_tutorials.py, whose references are the loops each tutorial checks
// its torch.func result against): per-sample gradients (functional_call + vmap + grad), model
// ensembling (stack_module_state, a 'meta' base model, vmap over functional_call with in_dims),
// and Jacobians/Hessians (vjp + vmap, jacrev/jacfwd with argnums, hessian, batch Jacobians, hvp).
const { nn } = torch
const F = torch.nn.functional
const { functional_call, vmap, grad, vjp, jacrev, jacfwd, hessian, jvp, stack_module_state } = torch.func
const copy = torch.copy

type T = torch.Tensor
type Dict = Record<string, T>

const digest = (t: T): number[] => {
  const w = t.detach().double().reshape(-1)
  return [w.sum().item(), w.abs().sum().item(), ...(w.index(':4').tolist() as number[])]
}

class SimpleCNN extends nn.Module {
  conv1 = nn.Conv2d(1, 8, 3, 1)
  conv2 = nn.Conv2d(8, 16, 3, 1)
  fc1 = nn.Linear(256, 32)
  fc2 = nn.Linear(32, 10)

  forward(x: T): T {
    x = this.conv1.call(x)
    x = F.relu(x)
    x = this.conv2.call(x)
    x = F.relu(x)
    x = F.max_pool2d(x, 2)
    x = torch.flatten(x, 1)
    x = this.fc1.call(x)
    x = F.relu(x)
    x = this.fc2.call(x)
    const output = F.log_softmax(x, { dim: 1 })
    return output
  }
}

const loss_fn = (predictions: T, targets: T): T => F.nll_loss(predictions, targets)

class SimpleMLP extends nn.Module {
  fc1 = nn.Linear(64, 32)
  fc2 = nn.Linear(32, 32)
  fc3 = nn.Linear(32, 10)

  forward(x: T): T {
    x = x.flatten(1)
    x = this.fc1.call(x)
    x = F.relu(x)
    x = this.fc2.call(x)
    x = F.relu(x)
    x = this.fc3.call(x)
    return x
  }
}

const predict = (weight: T, bias: T, x: T): T => F.linear(x, weight, bias).tanh()

describe('torch.func tutorials', () => {
  it('per-sample gradients: vmap(grad(compute_loss)) over functional_call', () => {
    torch.manual_seed(0)
    const batch_size = 8
    const data = torch.randn(batch_size, 1, 12, 12)
    const targets = torch.randint(10, [batch_size])
    const model = new SimpleCNN()
    const predictions = model.call(data)
    const loss = loss_fn(predictions, targets)
    expectClose(loss.item(), fixture.per_sample.loss, 1e-5, 1e-6)

    const params = Object.fromEntries([...model.named_parameters()].map(([k, v]) => [k, v.detach()]))
    const buffers = Object.fromEntries([...model.named_buffers()].map(([k, v]) => [k, v.detach()]))

    const compute_loss = (params: Dict, buffers: Dict, sample: T, target: T): T => {
      const batch = sample.unsqueeze(0)
      const targets = target.unsqueeze(0)
      const predictions = functional_call(model, [params, buffers], [batch]) as T
      const loss = loss_fn(predictions, targets)
      return loss
    }
    const ft_compute_grad = grad(compute_loss)
    const ft_compute_sample_grad = vmap(ft_compute_grad, { in_dims: [null, null, 0, 0] })
    const ft_per_sample_grads = ft_compute_sample_grad(params, buffers, data, targets) as Dict

    const grads = Object.values(ft_per_sample_grads)
    expect(Object.keys(ft_per_sample_grads)).toEqual([...model.named_parameters()].map(([k]) => k))
    expect(grads.map((g) => [...g.shape])).toEqual(fixture.per_sample.shapes)
    expectClose(grads.map(digest), fixture.per_sample.grads, 1e-4, 1e-5)
    expectClose((grads[grads.length - 1] as T).index(':', 0).tolist(), fixture.per_sample.first, 1e-4, 1e-6)

    // the tutorial's loop, for comparison: autograd.grad per example
    const compute_grad = (sample: T, target: T): T[] => {
      const prediction = model.call(sample.unsqueeze(0))
      const loss = loss_fn(prediction, target.unsqueeze(0))
      return torch.autograd.grad(loss, [...model.parameters()]) as T[]
    }
    const sample_grads = Array.from({ length: batch_size }, (_, i) => compute_grad(data.index(i), targets.index(i)))
    const stacked = grads.map((_, k) => torch.stack(sample_grads.map((g) => g[k] as T)))
    stacked.forEach((g, k) => expect(torch.allclose(g, grads[k] as T, { atol: 3e-3, rtol: 1e-5 })).toBe(true))
  })

  it('model ensembling: stack_module_state + vmap over functional_call of a deep copy', () => {
    torch.manual_seed(1)
    const num_models = 4
    const data = torch.randn(10, 6, 1, 8, 8)
    torch.randint(10, [60]) // the tutorial's targets (unused), drawn to keep the random stream
    const models = Array.from({ length: num_models }, () => new SimpleMLP())
    const minibatches = data.index(`:${num_models}`)
    const minibatch = data.index(0)

    const [params, buffers] = stack_module_state(models)
    // the tutorial then moves base_model to the 'meta' device (wengert has no meta tensors): its
    // values are never read, functional_call swaps in the stacked ones
    const base_model = copy.deepcopy(models[0] as SimpleMLP)
    const fmodel = (params: Dict, buffers: Dict, x: T): T => functional_call(base_model, [params, buffers], [x]) as T

    expect(Object.values(params).map((p) => p.size(0))).toEqual([4, 4, 4, 4, 4, 4])
    const predictions1_vmap = vmap(fmodel)(params, buffers, minibatches) as T
    expectClose(predictions1_vmap.tolist(), fixture.ensemble.diff, 1e-5, 1e-6)
    const predictions2_vmap = vmap(fmodel, { in_dims: [0, 0, null] })(params, buffers, minibatch) as T
    expectClose(predictions2_vmap.tolist(), fixture.ensemble.same, 1e-5, 1e-6)
  })

  it('Jacobians, Hessians, hvp: vjp + vmap, jacrev/jacfwd/hessian with argnums, batch Jacobians', () => {
    torch.manual_seed(0)
    const D = 16
    let weight = torch.randn(D, D)
    let bias = torch.randn(D)
    let x = torch.randn(D)
    const J = fixture.jacobians

    const unit_vectors = torch.eye(D)
    const compute_jac = (xp: T): T => {
      const rows = [...unit_vectors.__iter__()].map(
        (vec) => (torch.autograd.grad(predict(weight, bias, xp), xp, vec) as T[])[0] as T,
      )
      return torch.stack(rows)
    }
    const xp = x.clone().requires_grad_()
    expectClose(compute_jac(xp).tolist(), J.jacobian, 1e-5, 1e-6)

    const [, vjp_fn] = vjp((x: T) => predict(weight, bias, x), x)
    const [ft_jacobian] = vmap(vjp_fn)(unit_vectors) as T[]
    expectClose((ft_jacobian as T).tolist(), J.jacobian, 1e-5, 1e-6)

    expectClose((jacrev(predict, { argnums: 2 })(weight, bias, x) as T).tolist(), J.jacobian, 1e-5, 1e-6)
    const [ft_jac_weight, ft_jac_bias] = jacrev(predict, { argnums: [0, 1] })(weight, bias, x) as T[]
    expectClose(digest(ft_jac_weight as T), J.jac_weight, 1e-5, 1e-6)
    expectClose((ft_jac_bias as T).tolist(), J.jac_bias, 1e-5, 1e-6)
    expectClose((jacfwd(predict, { argnums: 2 })(weight, bias, x) as T).tolist(), J.jacobian, 1e-5, 1e-6)

    const hess_api = hessian(predict, { argnums: 2 })(weight, bias, x) as T
    const hess_fwdfwd = jacfwd(jacfwd(predict, { argnums: 2 }), { argnums: 2 })(weight, bias, x) as T
    const hess_revrev = jacrev(jacrev(predict, { argnums: 2 }), { argnums: 2 })(weight, bias, x) as T
    expect([...hess_api.shape]).toEqual([D, D, D])
    for (const h of [hess_api, hess_fwdfwd, hess_revrev]) {
      expectClose(digest(h), J.hessian, 1e-4, 1e-5)
      expectClose(h.index(3).tolist(), J.hessian_row3, 1e-4, 1e-5)
    }

    // batch Jacobian and batch Hessian
    const [batch_size, Din, Dout] = [8, 5, 7]
    weight = torch.randn(Dout, Din)
    bias = torch.randn(Dout)
    x = torch.randn(batch_size, Din)
    const compute_batch_jacobian = vmap(jacrev(predict, { argnums: 2 }), { in_dims: [null, null, 0] })
    const batch_jacobian0 = compute_batch_jacobian(weight, bias, x) as T
    expectClose(digest(batch_jacobian0), J.batch_jacobian, 1e-5, 1e-6)
    expectClose(batch_jacobian0.index(0).tolist(), J.batch_jacobian0, 1e-5, 1e-6)
    const predict_with_output_summed = (weight: T, bias: T, x: T): T => predict(weight, bias, x).sum(0)
    const batch_jacobian1 = (jacrev(predict_with_output_summed, { argnums: 2 })(weight, bias, x) as T).movedim(1, 0)
    expect(torch.allclose(batch_jacobian0, batch_jacobian1)).toBe(true)
    const compute_batch_hessian = vmap(hessian(predict, { argnums: 2 }), { in_dims: [null, null, 0] })
    const batch_hess = compute_batch_hessian(weight, bias, x) as T
    expect([...batch_hess.shape]).toEqual([batch_size, Dout, Din, Din])
    expectClose(digest(batch_hess), J.batch_hessian, 1e-4, 1e-5)

    // hvp: forward-over-reverse
    const hvp = (f: (x: T) => T, primals: T[], tangents: T[]): T => jvp(grad(f), primals, tangents)[1] as T
    const f = (x: T): T => x.sin().sum()
    const xh = torch.randn(64)
    const tangent = torch.randn(64)
    expectClose(hvp(f, [xh], [tangent]).tolist(), J.hvp, 1e-5, 1e-6)
  })
})
