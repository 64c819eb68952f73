import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/pruning.json'
import type { BasePruningMethod, Hooked, PruningContainer } from '../../../src/torch/nn/prune'
import { expectClose, summary } from './portHelpers'

// The PyTorch "Pruning Tutorial" ported line by line (twin: test/torch/fixtures/ports/pruning.py):
// random_unstructured, l1_unstructured, ln_structured on top (a PruningContainer iterated as the
// tutorial does), remove, pruning over named_modules, global_unstructured, the custom
// FooBarPruningMethod applied through the class method apply; then three SGD steps on a pruned model.
const { nn } = torch
const F = nn.functional
const prune = nn.utils.prune
type T = torch.Tensor
type Pruned = { weight_mask: T; bias_mask: T; weight_orig: T; bias_orig: T }
const attrs = (m: torch.nn.Module): Pruned => m as unknown as Pruned
const flat = (t: T): number[] => t.reshape(-1).tolist() as number[]
const names = (it: Iterable<[string, unknown]>): string[] => [...it].map(([n]) => n)

class LeNet extends nn.Module {
  // 1 input image channel, 6 output channels, 3x3 square conv kernel
  conv1 = nn.Conv2d(1, 6, 3)
  conv2 = nn.Conv2d(6, 16, 3)
  fc1 = nn.Linear(16 * 5 * 5, 120) // 5x5 image dimension
  fc2 = nn.Linear(120, 84)
  fc3 = nn.Linear(84, 10)

  forward(x: T): T {
    x = F.max_pool2d(F.relu(this.conv1.call(x)), [2, 2])
    x = F.max_pool2d(F.relu(this.conv2.call(x)), 2)
    x = x.view(-1, Math.trunc(x.nelement() / (x.shape[0] as number)))
    x = F.relu(this.fc1.call(x))
    x = F.relu(this.fc2.call(x))
    x = this.fc3.call(x)
    return x
  }
}

/** Prune every other entry in a tensor */
class FooBarPruningMethod extends prune.BasePruningMethod {
  readonly PRUNING_TYPE = 'unstructured' as const

  compute_mask(_t: T, default_mask: T): T {
    const mask = default_mask.clone()
    mask.view(-1).setitem('::2', 0)
    return mask
  }
}

const foobar_unstructured = <M extends torch.nn.Module>(module: M, name: string): M => {
  FooBarPruningMethod.apply(module, name)
  return module
}

describe('the PyTorch pruning tutorial', () => {
  it('prunes, removes and trains as PyTorch does', () => {
    const out: Record<string, unknown> = {}
    torch.manual_seed(0)
    let model = new LeNet()
    let module: torch.nn.Module = model.conv1
    out.params_before = names(module.named_parameters())
    out.buffers_before = names(module.named_buffers())

    prune.random_unstructured(module, 'weight', 0.3)
    out.params_after = names(module.named_parameters())
    out.buffers_after = names(module.named_buffers())
    out.weight_mask = flat(attrs(module).weight_mask)
    out.weight = flat(model.conv1.weight)
    out.n_hooks = module._forward_pre_hooks.length

    prune.l1_unstructured(module, 'bias', 3)
    out.bias_mask = attrs(module).bias_mask.tolist()
    out.bias = (model.conv1.bias as T).tolist()

    prune.ln_structured(module, 'weight', 0.5, 2, 0)
    out.weight_mask_2 = flat(attrs(module).weight_mask)
    let hook: BasePruningMethod | undefined
    for (const h of module._forward_pre_hooks as Hooked[]) {
      hook = h._pruning_method
      if (hook?._tensor_name === 'weight') break // select out the correct hook
    }
    out.hook_methods = [...(hook as PruningContainer)].map((m) => m.constructor.name)
    out.state_dict_keys = Object.keys(model.state_dict())

    prune.remove(module, 'weight')
    out.params_removed = names(module.named_parameters())
    out.buffers_removed = names(module.named_buffers())
    out.weight_removed = flat(model.conv1.weight)

    const new_model = new LeNet()
    for ([, module] of new_model.named_modules()) {
      // prune 20% of connections in all 2D-conv layers
      if (module instanceof nn.Conv2d) prune.l1_unstructured(module, 'weight', 0.2)
      // prune 40% of connections in all linear layers
      else if (module instanceof nn.Linear) prune.l1_unstructured(module, 'weight', 0.4)
    }
    out.new_model_buffers = Object.keys(Object.fromEntries(new_model.named_buffers()))

    model = new LeNet()
    const parameters_to_prune: Array<[torch.nn.Module, string]> = [
      [model.conv1, 'weight'],
      [model.conv2, 'weight'],
      [model.fc1, 'weight'],
      [model.fc2, 'weight'],
      [model.fc3, 'weight'],
    ]
    prune.global_unstructured(parameters_to_prune, prune.L1Unstructured, { amount: 0.2 })
    const layers = { conv1: model.conv1, conv2: model.conv2, fc1: model.fc1, fc2: model.fc2, fc3: model.fc3 }
    const sparsity: Record<string, number> = {}
    let [zeros, total] = [0, 0]
    for (const [label, m] of Object.entries(layers)) {
      const z = torch.sum(m.weight.eq(0)).item() as number
      sparsity[label] = z / m.weight.nelement()
      zeros += z
      total += m.weight.nelement()
    }
    sparsity.global = zeros / total
    out.sparsity = sparsity

    model = new LeNet()
    foobar_unstructured(model.fc3, 'bias')
    out.foobar_mask = attrs(model.fc3).bias_mask.tolist()

    // added: three SGD steps on a pruned model (masks stay, weight_orig moves)
    model = new LeNet()
    prune.global_unstructured(
      [
        [model.conv1, 'weight'],
        [model.fc1, 'weight'],
      ],
      prune.L1Unstructured,
      { amount: 0.3 },
    )
    foobar_unstructured(model.fc3, 'bias')
    const opt = torch.optim.SGD(model.parameters(), { lr: 0.1 })
    const x = torch.randn(4, 1, 28, 28)
    const y = torch.tensor([1, 0, 3, 9], { dtype: torch.int64 })
    const losses: number[] = []
    for (let i = 0; i < 3; i++) {
      opt.zero_grad()
      const loss = F.cross_entropy(model.call(x), y)
      loss.backward()
      opt.step()
      losses.push(loss.item() as number)
    }
    out.losses = losses
    out.fc3_bias_orig_grad = attrs(model.fc3).bias_orig.grad?.tolist()
    out.trained = summary(model)

    const {
      weight_mask,
      weight_mask_2,
      weight,
      weight_removed,
      bias,
      losses: l,
      trained,
      fc3_bias_orig_grad,
      sparsity: sp,
      ...exact
    } = fixture
    expect(Object.keys(out).sort()).toEqual(Object.keys(fixture).sort())
    for (const k of Object.keys(exact)) expect(out[k], k).toEqual((fixture as Record<string, unknown>)[k])
    expectClose(out.weight_mask, weight_mask, 0, 0)
    expectClose(out.weight_mask_2, weight_mask_2, 0, 0)
    expectClose([out.weight, out.weight_removed, out.bias], [weight, weight_removed, bias], 1e-6, 1e-7)
    expectClose(out.sparsity, sp, 0, 1e-12)
    expectClose(out.losses, l, 1e-5, 1e-6)
    expectClose(out.fc3_bias_orig_grad, fc3_bias_orig_grad, 1e-4, 1e-6)
    expectClose(out.trained, trained, 1e-4, 1e-5)
  })
})
