/**
 * Callable modules, ModuleDict / ParameterList / ParameterDict, Sequential and ModuleList list
 * operations, get_submodule / get_parameter / get_buffer, and hooks with kwargs. Expected reprs
 * and messages are PyTorch 1.13's (printed by /usr/bin/python3 with the same calls).
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

class Block extends nn.Module {
  fc = nn.Linear(4, 4)
  override name = 'block' // `name`/`length` are Function members in the type: redeclare with override
  forward(x: torch.Tensor): torch.Tensor {
    return this.fc(x).relu()
  }
}

class GPT extends nn.Module {
  transformer = nn.ModuleDict({
    wte: nn.Embedding(10, 4),
    h: nn.ModuleList([new Block(), new Block()]),
    ln_f: nn.LayerNorm(4),
  })
  forward(idx: torch.Tensor, scale = 1): torch.Tensor {
    let x = this.transformer.wte(idx)
    for (const block of this.transformer.h) x = block(x)
    return this.transformer.ln_f(x).mul(scale)
  }
}

describe('callable modules', () => {
  it('model(x) runs hooks and forward, typed as forward; instanceof, this and subclassing hold', () => {
    torch.manual_seed(0)
    const m = new GPT()
    const idx = torch.tensor([[1, 2, 3]]).long()
    const y = m(idx)
    expectTypeOf(y).toEqualTypeOf<torch.Tensor>()
    expectTypeOf(m).parameter(1).toEqualTypeOf<number | undefined>()
    expect(String(y.shape)).toBe('torch.Size([1, 3, 4])')
    expect(y.tolist()).toEqual(m.call(idx).tolist())
    expect(m(idx, 2).tolist()).toEqual(y.mul(2).tolist())
    expect(m).toBeInstanceOf(GPT)
    expect(m).toBeInstanceOf(nn.Module)
    expect(typeof m).toBe('function')
    expect(m.transformer.h.at(0).name).toBe('block')
    const seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    expect(seq.length).toBe(2)
    expect(String(seq(torch.ones(5, 2)).shape)).toBe('torch.Size([5, 3])')
    // @ts-expect-error forward takes a Tensor
    expect(() => seq('x')).toThrow()
  })
  it('a module without forward raises NotImplementedError when called', () => {
    const l = nn.ModuleList()
    expect(() => l()).toThrow('Module [ModuleList] is missing the required "forward" function')
  })
})

describe('ModuleDict', () => {
  it('gives attribute and key access, PyTorch state_dict keys and repr', () => {
    const m = new GPT()
    expect(m.transformer.get('wte')).toBe(m.transformer.wte)
    expect(m.transformer.keys()).toEqual(['wte', 'h', 'ln_f'])
    expect(m.transformer.has('h')).toBe(true)
    expect(m.transformer.length).toBe(3)
    expect(Object.keys(m.state_dict()).slice(0, 3)).toEqual([
      'transformer.wte.weight',
      'transformer.h.0.fc.weight',
      'transformer.h.0.fc.bias',
    ])
    const md = nn.ModuleDict({ wte: nn.Embedding(3, 2), h: nn.ModuleList([nn.Linear(2, 2)]) })
    expect(String(md)).toBe(
      'ModuleDict(\n  (wte): Embedding(3, 2)\n  (h): ModuleList(\n    (0): Linear(in_features=2, out_features=2, bias=True)\n  )\n)',
    )
    expect(() => md.get('zz')).toThrow("'zz'")
    expect(() => nn.ModuleDict({ keys: nn.ReLU() })).toThrow("attribute 'keys' already exists")
    md.set('act', nn.ReLU())
    expect([...md]).toEqual(['wte', 'h', 'act'])
    expect(md.pop('act')).toBeInstanceOf(nn.ReLU)
    md.update([['x', nn.Tanh()]])
    expect(md.keys()).toEqual(['wte', 'h', 'x'])
    md.clear()
    expect(md.length).toBe(0)
  })
})

describe('ParameterList and ParameterDict', () => {
  it('wrap tensors in Parameters, register them and print as PyTorch', () => {
    const pl = nn.ParameterList([new nn.Parameter(torch.zeros(2, 3)), torch.ones(3)])
    expect(String(pl)).toBe(
      'ParameterList(\n    (0): Parameter containing: [torch.float32 of size 2x3]\n    (1): Parameter containing: [torch.float32 of size 3]\n)',
    )
    expect(pl[1]).toBeInstanceOf(nn.Parameter)
    expect(pl.at(-1)).toBe(pl[1])
    expect([...pl.named_parameters()].map(([k]) => k)).toEqual(['0', '1'])
    expect(() => pl.at(5)).toThrow('index 5 is out of range')
    const pd = nn.ParameterDict({ a: new nn.Parameter(torch.zeros(2)), b: torch.ones(1, 2) })
    expect(String(pd)).toBe(
      'ParameterDict(\n    (a): Parameter containing: [torch.FloatTensor of size 2]\n    (b): Parameter containing: [torch.FloatTensor of size 1x2]\n)',
    )
    expect(Object.keys(pd.state_dict())).toEqual(['a', 'b'])
    expect(pd.get('b').requires_grad).toBe(true)
    expect(() => pd.get('c')).toThrow("'c'")
  })
})

describe('Sequential and ModuleList as lists', () => {
  it('slice keeping names, insert and pop renumbering, as PyTorch', () => {
    const s = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 3))
    expect(String(s.slice(1))).toBe(
      'Sequential(\n  (1): ReLU()\n  (2): Linear(in_features=2, out_features=3, bias=True)\n)',
    )
    expect(String(s.at(-1))).toBe('Linear(in_features=2, out_features=3, bias=True)')
    expect(() => s.at(5)).toThrow('index 5 is out of range')
    s.insert(1, nn.Tanh())
    expect(String(s)).toBe(
      'Sequential(\n  (0): Linear(in_features=1, out_features=2, bias=True)\n  (1): Tanh()\n  (2): ReLU()\n  (3): Linear(in_features=2, out_features=3, bias=True)\n)',
    )
    expect(() => s.insert(9, nn.Tanh())).toThrow('Index out of range: 9')
    expect(s.pop(1)).toBeInstanceOf(nn.Tanh)
    expect([...s].map((m) => m._get_name())).toEqual(['Linear', 'ReLU', 'Linear'])
    expect(s.slice(null, null, 2).at(1)).toBe(s.at(2))
    const l = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.Sigmoid()])
    expect(l.slice(1).at(0)).toBe(l[1])
    l.insert(0, nn.Identity())
    expect(l[0]).toBeInstanceOf(nn.Identity)
    expect(l.pop(-1)).toBeInstanceOf(nn.Sigmoid)
    expect(l.length).toBe(3)
  })
})

describe('get_submodule, get_parameter, get_buffer', () => {
  it('resolve dotted paths and raise PyTorch’s AttributeError', () => {
    const s = nn.Sequential(nn.Linear(1, 2), nn.Tanh())
    s.register_buffer('steps', torch.zeros(1))
    expect(String(s.get_parameter('0.weight').shape)).toBe('torch.Size([2, 1])')
    expect(s.get_buffer('steps')).toBe((s as unknown as { steps: torch.Tensor }).steps)
    expect(() => s.get_parameter('0.foo')).toThrow(torch.AttributeError)
    expect(() => s.get_parameter('0.foo')).toThrow('Linear has no attribute `foo`')
    expect(() => s.get_parameter('1.weight')).toThrow('Tanh has no attribute `weight`')
    expect(() => s.get_submodule('7')).toThrow('Sequential has no attribute `7`')
  })
})

describe('hooks with kwargs', () => {
  it('pass and replace the trailing keyword object', () => {
    const m = new GPT()
    const idx = torch.tensor([[1, 2]]).long()
    const seen: unknown[] = []
    const h1 = m.register_forward_pre_hook(
      (_m, args, kwargs) => {
        seen.push(args.length, kwargs)
        return [args, {}]
      },
      { with_kwargs: true },
    )
    const h2 = m.register_forward_hook(
      (_m, _args, kwargs, out) => {
        seen.push(kwargs)
        return (out as torch.Tensor).mul(0)
      },
      { with_kwargs: true },
    )
    expect((m(idx) as torch.Tensor).abs().sum().item()).toBe(0)
    expect(seen).toEqual([1, {}, {}])
    h1.remove()
    h2.remove()
    expect(m(idx).abs().sum().item()).toBeGreaterThan(0)
    const bad = m.register_forward_pre_hook(() => [1, 2, 3] as unknown as undefined, { with_kwargs: true })
    expect(() => m(idx)).toThrow('forward pre-hook must return None or a tuple of (new_args, new_kwargs)')
    bad.remove()
    expect(() => m.register_forward_hook(() => undefined, { prepnd: true } as never)).toThrow("did you mean 'prepend'")
  })
})
