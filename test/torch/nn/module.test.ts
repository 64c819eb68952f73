/**
 * nn.Module: registration by assignment, traversal order and names, buffers, hooks, modes,
 * zero_grad, state_dict round trips and load_state_dict's errors, printing, and the seed's
 * model ("模型参数的梯度").
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

/** The seed's model: one Linear layer assigned as a class field. */
class Model extends nn.Module {
  line_layer: nn.Linear
  constructor(in_feature = 1, out_feature = 3) {
    super()
    this.line_layer = nn.Linear({ in_features: in_feature, out_features: out_feature })
  }
  forward(x: torch.Tensor): torch.Tensor {
    return this.line_layer.call(x)
  }
}

class Net extends nn.Module {
  fc1 = nn.Linear(2, 4)
  act = nn.Tanh()
  fc2 = nn.Linear(4, 1, { bias: false })
  scale = new nn.Parameter(torch.ones(1))
  plain = torch.zeros(3) // a plain tensor attribute is not state
  declare steps: torch.Tensor
  constructor() {
    super()
    this.register_buffer('steps', torch.zeros(1))
    this.register_buffer('cache', torch.zeros(2), false)
  }
  forward(x: torch.Tensor): torch.Tensor {
    return this.fc2.call(this.act.call(this.fc1.call(x))).mul(this.scale)
  }
}

describe('the seed model', () => {
  it('prints its parameters as PyTorch, predicts [2, 3] and backpropagates', () => {
    // Arrange
    torch.manual_seed(0)
    const model = new Model(1, 3)
    // Act
    const printed = [...model.parameters()].map(String)
    const x = torch.randn(2, 1)
    const y_pred = model.call(x)
    const label = torch.tensor([0, 0]).unsqueeze(1).long()
    const loss = y_pred.sub(label).mean()
    loss.backward()
    // Assert
    expect(printed).toHaveLength(2)
    // PyTorch 1.13: torch.manual_seed(0); print(*nn.Linear(1, 3).parameters()) (the same draws)
    expect(printed[0]).toBe(
      'Parameter containing:\ntensor([[-0.0075],\n        [ 0.5364],\n        [-0.8230]], requires_grad=True)',
    )
    expect(printed[1]).toBe('Parameter containing:\ntensor([-0.7359, -0.3852,  0.2682], requires_grad=True)')
    // and then torch.randn(2, 1) through it
    expect(String(y_pred.detach())).toBe('tensor([[-0.7454,  0.2932, -0.7725],\n        [-0.7308, -0.7539,  0.8339]])')
    expect(String(y_pred.shape)).toBe('torch.Size([2, 3])')
    expect(String(label.shape)).toBe('torch.Size([2, 1])')
    // ∂mean(y − label)/∂b = 1/3 for each output; ∂/∂W = Σ x / 6
    expect(model.line_layer.bias?.grad?.tolist()).toEqual([1 / 3, 1 / 3, 1 / 3].map((v) => Math.fround(v)))
    const sx = (x.tolist() as number[][]).reduce((s, r) => s + (r[0] as number), 0)
    for (const g of (model.line_layer.weight.grad?.tolist() as number[][]).flat()) expect(g).toBeCloseTo(sx / 6, 6)
    expect(model.line_layer.weight.is_leaf).toBe(true)
  })

  it('types call() as the subclass forward', () => {
    const m = new Model()
    expectTypeOf(m.call(torch.ones(1, 1))).toEqualTypeOf<torch.Tensor>()
    const wrong = (): unknown =>
      // @ts-expect-error forward takes a Tensor
      m.call('x')
    expect(typeof wrong).toBe('function')
  })
})

describe('registration and traversal', () => {
  it('finds parameters, children and buffers in assignment order with dotted names', () => {
    const net = new Net()
    expect([...net.named_parameters()].map(([k]) => k)).toEqual(['scale', 'fc1.weight', 'fc1.bias', 'fc2.weight'])
    expect([...net.named_children()].map(([k]) => k)).toEqual(['fc1', 'act', 'fc2'])
    expect([...net.named_modules()].map(([k]) => k)).toEqual(['', 'fc1', 'act', 'fc2'])
    expect([...net.named_buffers()].map(([k]) => k)).toEqual(['steps', 'cache'])
    expect([...net.parameters(false)]).toEqual([net.scale])
    expect(Object.keys(net.state_dict())).toEqual(['scale', 'steps', 'fc1.weight', 'fc1.bias', 'fc2.weight'])
  })

  it('registers assignments made in the constructor and later', () => {
    const m = new nn.Module()
    ;(m as unknown as Record<string, unknown>).w = new nn.Parameter(torch.ones(2))
    m.add_module('sub', nn.Linear(1, 1))
    m.register_parameter('nothing', null)
    expect([...m.named_parameters()].map(([k]) => k)).toEqual(['w', 'sub.weight', 'sub.bias'])
    expect(m.get_submodule('sub')).toBeInstanceOf(nn.Linear)
  })

  it('counts shared parameters and modules once', () => {
    const shared = nn.Linear(2, 2)
    const seq = nn.Sequential(shared, nn.ReLU(), shared)
    expect([...seq.parameters()]).toHaveLength(2)
    expect([...seq.named_modules()].map(([k]) => k)).toEqual(['', '0', '1'])
  })

  it('rejects bad names and values with PyTorch’s messages', () => {
    const m = new Net()
    expect(() => m.register_parameter('a.b', null)).toThrow('parameter name can\'t contain "."')
    expect(() => m.register_parameter('', null)).toThrow('parameter name can\'t be empty string ""')
    expect(() => m.register_parameter('x', torch.ones(1) as nn.Parameter)).toThrow(
      "cannot assign 'torch.FloatTensor' object to parameter 'x' (torch.nn.Parameter or None required)",
    )
    expect(() => m.register_buffer('fc1', torch.ones(1))).toThrow("attribute 'fc1' already exists")
    expect(() => m.add_module('x', {} as nn.Module)).toThrow('dict is not a Module subclass')
    expect(() => new (class extends nn.Module {})()._call_impl([])).toThrow(
      'is missing the required "forward" function',
    )
  })
})

describe('Parameter', () => {
  it('is a leaf that requires grad, shares the data it wraps, and prints as PyTorch', () => {
    const t = torch.tensor([1, 2])
    const p = new nn.Parameter(t)
    expect(p.requires_grad && p.is_leaf).toBe(true)
    expect(String(p)).toBe('Parameter containing:\ntensor([1., 2.], requires_grad=True)')
    expect(String(new nn.Parameter(t, false))).toBe('Parameter containing:\ntensor([1., 2.])')
    torch.no_grad(() => p.mul_(2))
    expect(t.tolist()).toEqual([2, 4])
    expect(p.mul(2)).not.toBeInstanceOf(nn.Parameter)
  })
})

describe('modes, gradients, hooks', () => {
  it('train/eval set training recursively; requires_grad_ freezes', () => {
    const net = new Net()
    expect(net.eval()).toBe(net)
    expect([...net.modules()].every((m) => !m.training)).toBe(true)
    net.train()
    expect(net.fc1.training).toBe(true)
    net.requires_grad_(false)
    expect([...net.parameters()].some((p) => p.requires_grad)).toBe(false)
  })

  it('zero_grad sets grads to null, or to zeros with set_to_none = false', () => {
    const net = new Net()
    net.call(torch.ones(3, 2)).sum().backward()
    expect(net.fc1.weight.grad).not.toBeNull()
    net.zero_grad(false)
    expect(net.fc1.weight.grad?.tolist()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ])
    net.zero_grad()
    expect([...net.parameters()].every((p) => p.grad === null)).toBe(true)
  })

  it('runs forward pre-hooks and hooks in call (not in forward); a hook may replace the output', () => {
    const net = new Net()
    const seen: string[] = []
    const h1 = net.register_forward_pre_hook(
      (_m, args) => void seen.push(`pre ${String((args[0] as torch.Tensor).shape)}`),
    )
    const h2 = net.register_forward_hook((_m, _args, out) => (out as torch.Tensor).mul(0))
    expect(net.call(torch.ones(2, 2)).tolist()).toEqual([[0], [0]])
    net.forward(torch.ones(1, 2))
    expect(seen).toEqual(['pre torch.Size([2, 2])'])
    h1.remove()
    h2.remove()
    expect(net.call(torch.ones(2, 2)).tolist()).not.toEqual([[0], [0]])
  })

  it('double() converts parameters in place, keeping the Parameter objects', () => {
    const net = new Net()
    const w = net.fc1.weight
    net.double()
    expect(net.fc1.weight).toBe(w)
    expect(w.dtype).toBe(torch.float64)
    expect(net.call(torch.ones(1, 2, { dtype: torch.float64 })).dtype).toBe(torch.float64)
  })
})

describe('state_dict', () => {
  it('round-trips into a fresh model (values copied in place, no graph recorded)', () => {
    // Arrange
    const a = new Net()
    const b = new Net()
    torch.no_grad(() => a.steps.fill_(7))
    const wB = b.fc1.weight
    // Act
    const res = b.load_state_dict(a.state_dict())
    // Assert
    expect(String(res)).toBe('<All keys matched successfully>')
    for (const [k, v] of Object.entries(a.state_dict())) expect(b.state_dict()[k]?.tolist()).toEqual(v.tolist())
    expect(b.fc1.weight).toBe(wB)
    expect(wB.is_leaf && wB.requires_grad).toBe(true)
    expect(a.state_dict()['fc1.weight']?.requires_grad).toBe(false)
    const x = torch.randn(4, 2)
    expect(b.call(x).tolist()).toEqual(a.call(x).tolist())
  })

  it('shares storage with the parameters (PyTorch’s detach) unless copied', () => {
    const m = nn.Linear(2, 2)
    const sd = m.state_dict()
    torch.no_grad(() => m.weight.fill_(3))
    expect(sd.weight?.tolist()).toEqual([
      [3, 3],
      [3, 3],
    ])
    expect(m.state_dict({ keep_vars: true }).weight).toBe(m.weight)
  })

  it('reports missing, unexpected and mismatched keys as PyTorch does', () => {
    const m = new Net()
    const sd = m.state_dict()
    const { steps: _s, ...partial } = sd
    void _s
    expect(() => m.load_state_dict({ ...partial, extra: torch.ones(1) })).toThrow(
      'Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: "steps". \n\tUnexpected key(s) in state_dict: "extra". ',
    )
    const r = m.load_state_dict({ ...partial, extra: torch.ones(1) }, false)
    expect(r.missing_keys).toEqual(['steps'])
    expect(r.unexpected_keys).toEqual(['extra'])
    expect(() => m.load_state_dict({ ...sd, 'fc1.weight': torch.ones(3, 2) })).toThrow(
      'size mismatch for fc1.weight: copying a param with shape torch.Size([3, 2]) from checkpoint, the shape in current model is torch.Size([4, 2]).',
    )
  })
})

describe('printing', () => {
  it('prints nested modules with PyTorch’s layout', () => {
    expect(String(new Net())).toBe(
      'Net(\n  (fc1): Linear(in_features=2, out_features=4, bias=True)\n  (act): Tanh()\n  (fc2): Linear(in_features=4, out_features=1, bias=False)\n)',
    )
    const seq = nn.Sequential(nn.Linear(1, 2), nn.Sequential(nn.ReLU(), nn.Dropout(0.1)))
    expect(String(seq)).toBe(
      'Sequential(\n  (0): Linear(in_features=1, out_features=2, bias=True)\n  (1): Sequential(\n    (0): ReLU()\n    (1): Dropout(p=0.1, inplace=False)\n  )\n)',
    )
  })
})
