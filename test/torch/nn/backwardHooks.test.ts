/**
 * Module backward hooks against PyTorch 1.13 (float64; fixture
 * test/fixtures/torch/nn_core/backward_hooks.json from backward_hooks.py beside it): the order
 * full hooks fire in, their grad_input/grad_output (null where PyTorch passes None), gradients
 * after a hook replaced grad_input, a module whose input needs no gradient, the deprecated hook
 * and its warning, and the error texts. Backward pre-hooks (PyTorch 2.x) are checked by
 * mathematics: a replaced grad_output must give the gradient of the replaced cotangent.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

interface Flat {
  shape: number[]
  data: number[]
}
type G = Flat | null
interface HookEvent {
  name: string
  grad_input: G[]
  grad_output: G[]
}
interface Fixture {
  order: {
    params: Record<string, Flat>
    x: Flat
    cot: Flat
    events: HookEvent[]
    x_grad: Flat
    grads: Record<string, Flat>
  }
  replace: {
    params: Record<string, Flat>
    x: Flat
    cot: Flat
    events: HookEvent[]
    x_grad: Flat
    grads: Record<string, Flat>
  }
  no_input_grad: { params: Record<string, Flat>; x: Flat; cot: Flat; events: HookEvent[]; grads: Record<string, Flat> }
  deprecated: { x: Flat; y: Flat; events: HookEvent[]; warnings: string[] }
  errors: Record<string, string | null>
  [multi: string]: unknown
}
interface MultiCase {
  x: Flat
  y: Flat
  y_requires_grad: boolean
  use_second: boolean
  ca: Flat
  cb: Flat
  events: HookEvent[]
  x_grad: Flat
  y_grad: G
}
const fx = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/nn_core/backward_hooks.json', import.meta.url), 'utf8'),
) as Fixture

const t64 = (f: Flat, requires_grad = false): torch.Tensor =>
  torch.tensor(f.data, { dtype: torch.float64 }).reshape(f.shape).detach().requires_grad_(requires_grad)
const flat = (t: torch.Tensor): number[] => {
  const v = t.tolist()
  return Array.isArray(v) ? (v.flat(5) as number[]) : [v as number]
}
const close = (t: torch.Tensor | null, f: G, tol = 1e-10): void => {
  if (f === null) {
    expect(t).toBeNull()
    return
  }
  expect(t).not.toBeNull()
  expect([...(t as torch.Tensor).shape]).toEqual(f.shape)
  const got = flat(t as torch.Tensor)
  const worst = Math.max(0, ...got.map((v, i) => Math.abs(v - (f.data[i] as number))))
  expect(worst).toBeLessThan(tol)
}
const load = (m: nn.Module, params: Record<string, Flat>): void => {
  m.to(torch.float64)
  m.load_state_dict(Object.fromEntries(Object.entries(params).map(([k, f]) => [k, t64(f)])))
}

type Recorded = { name: string; gi: ReadonlyArray<torch.Tensor | null>; go: ReadonlyArray<torch.Tensor | null> }
const logger =
  (events: Recorded[], name: string, ret?: (gi: ReadonlyArray<torch.Tensor | null>) => Array<torch.Tensor | null>) =>
  (_m: nn.Module, gi: ReadonlyArray<torch.Tensor | null>, go: ReadonlyArray<torch.Tensor | null>) => {
    events.push({ name, gi, go })
    return ret === undefined ? undefined : ret(gi)
  }
const checkEvents = (got: Recorded[], want: HookEvent[]): void => {
  expect(got.map((e) => e.name)).toEqual(want.map((e) => e.name))
  got.forEach((e, i) => {
    const w = want[i] as HookEvent
    expect(e.gi.length).toBe(w.grad_input.length)
    expect(e.go.length).toBe(w.grad_output.length)
    e.gi.forEach((g, k) => close(g, w.grad_input[k] as G))
    e.go.forEach((g, k) => close(g, w.grad_output[k] as G))
  })
}

class Net extends nn.Module {
  lin1 = nn.Linear(3, 4)
  act = nn.Tanh()
  lin2 = nn.Linear(4, 2)
  forward(x: torch.Tensor): torch.Tensor {
    return this.lin2(this.act(this.lin1(x)))
  }
}

class Mix extends nn.Module {
  forward(x: torch.Tensor, scale: number, y: torch.Tensor): [torch.Tensor, torch.Tensor] {
    return [x.mul(y).mul(scale), x.sub(y.sum())]
  }
}

describe('register_full_backward_hook (PyTorch 1.13)', () => {
  it('fires innermost-last-layer first, with the layers’ gradients (Linear, Tanh, a model)', () => {
    const c = fx.order
    const net = new Net()
    load(net, c.params)
    const events: Recorded[] = []
    for (const name of ['lin1', 'act', 'lin2'] as const) net[name].register_full_backward_hook(logger(events, name))
    net.register_full_backward_hook(logger(events, 'net'))
    const x = t64(c.x, true)
    net(x).mul(t64(c.cot)).sum().backward()
    checkEvents(events, c.events)
    close(x.grad, c.x_grad)
    for (const [k, p] of net.named_parameters()) close(p.grad, c.grads[k] as Flat)
  })

  it('a returned tuple replaces grad_input (Conv2d, doubled)', () => {
    const c = fx.replace
    const conv = nn.Conv2d(2, 3, 3, { padding: 1 })
    load(conv, c.params)
    const events: Recorded[] = []
    conv.register_full_backward_hook(logger(events, 'conv', (gi) => [(gi[0] as torch.Tensor).mul(2)]))
    const x = t64(c.x, true)
    conv(x).mul(t64(c.cot)).sum().backward()
    checkEvents(events, c.events)
    close(x.grad, c.x_grad)
    for (const [k, p] of conv.named_parameters()) close(p.grad, c.grads[k] as Flat)
  })

  for (const label of ['multi', 'multi_y_no_grad', 'multi_first_output_only', 'multi_replace']) {
    it(`a module with several inputs and outputs: ${label}`, () => {
      const c = fx[label] as MultiCase
      const m = new Mix()
      const events: Recorded[] = []
      const ret =
        label === 'multi_replace'
          ? (gi: ReadonlyArray<torch.Tensor | null>) => [
              (gi[0] as torch.Tensor).add(1),
              null,
              (gi[2] as torch.Tensor).mul(3),
            ]
          : undefined
      m.register_full_backward_hook(logger(events, 'mix', ret))
      const x = t64(c.x, true)
      const y = t64(c.y, c.y_requires_grad)
      const [a, b] = m(x, 2.5, y)
      let loss = a.mul(t64(c.ca)).sum()
      if (c.use_second) loss = loss.add(b.mul(t64(c.cb)).sum())
      loss.backward()
      checkEvents(events, c.events)
      close(x.grad, c.x_grad)
      close(y.grad, c.y_grad)
    })
  }

  it('no input requires grad: the hook fires from the outputs with grad_input [null], and warns', () => {
    const c = fx.no_input_grad
    const lin = nn.Linear(3, 2)
    load(lin, c.params)
    const events: Recorded[] = []
    lin.register_full_backward_hook(logger(events, 'lin'))
    const out = lin(t64(c.x))
    const [, caught] = torch.warnings.catch_warnings(() => out.mul(t64(c.cot)).sum().backward())
    checkEvents(events, c.events)
    for (const [k, p] of lin.named_parameters()) close(p.grad, c.grads[k] as Flat)
    expect(caught.map((w) => w.message)).toEqual([
      expect.stringContaining(
        'Full backward hook is firing when gradients are computed with respect to module outputs',
      ),
    ])
  })

  it('the outputs and inputs are one BackwardHookFunctionBackward node each, and views', () => {
    const m = new Mix()
    m.register_full_backward_hook(() => undefined)
    const x = torch.randn(3, { requires_grad: true, dtype: torch.float64 })
    const [a, b] = m(x, 2, torch.randn(3, { dtype: torch.float64 }))
    expect(a.grad_fn?.name()).toBe('BackwardHookFunctionBackward')
    expect(b.grad_fn).toBe(a.grad_fn)
    expect(b._outputNr).toBe(1)
    expect(a.grad_fn?.next_functions.map(([n]) => n?.name())).toEqual(['MulBackward0', 'SubBackward0'])
    expect(a._base).not.toBeNull()
  })

  it('raises PyTorch’s errors', () => {
    const e = fx.errors
    const xr = torch.randn(2, 3, { requires_grad: true, dtype: torch.float64 })
    const lin = nn.Linear(3, 3).double()
    lin.register_full_backward_hook(() => undefined)
    expect(() => lin(xr).relu_()).toThrow(e.inplace_output as string)
    class InplaceIn extends nn.Module {
      forward(x: torch.Tensor): torch.Tensor {
        return x.relu_()
      }
    }
    const ii = new InplaceIn()
    ii.register_full_backward_hook(() => undefined)
    expect(() => ii(xr.mul(1))).toThrow(e.inplace_input as string)
    class TwoIn extends nn.Module {
      forward(x: torch.Tensor, y: torch.Tensor): torch.Tensor {
        return x.mul_(2).add(y)
      }
    }
    const ti = new TwoIn()
    ti.register_full_backward_hook(() => undefined)
    expect(() => ti(xr.mul(1), xr.mul(1))).toThrow(e.inplace_multi as string)
    const bad = nn.Linear(3, 3).double()
    bad.register_full_backward_hook((_m, gi) => [gi[0] ?? null, gi[0] ?? null])
    expect(() => bad(xr).sum().backward()).toThrow(e.count as string)
    const nog = nn.Linear(3, 3).double()
    nog.register_full_backward_hook(() => [torch.ones(3)])
    const out = nog(torch.ones(2, 3, { dtype: torch.float64 }))
    torch.warnings.catch_warnings(() => expect(() => out.sum().backward()).toThrow(e.no_input_grad_return as string))
    const mixed = nn.Linear(3, 3)
    mixed.register_backward_hook(() => undefined)
    expect(() => mixed.register_full_backward_hook(() => undefined)).toThrow(e.mixed as string)
    const mixed2 = nn.Linear(3, 3)
    mixed2.register_full_backward_hook(() => undefined)
    expect(() => mixed2.register_backward_hook(() => undefined)).toThrow(e.mixed as string)
  })

  it('handles remove the hook; prepend puts it first', () => {
    const lin = nn.Linear(2, 2)
    const order: string[] = []
    const h1 = lin.register_full_backward_hook(() => void order.push('a'))
    lin.register_full_backward_hook(() => void order.push('b'))
    lin.register_full_backward_hook(() => void order.push('c'), { prepend: true })
    const x = torch.randn(1, 2, { requires_grad: true })
    lin(x).sum().backward()
    expect(order).toEqual(['c', 'a', 'b'])
    h1.remove()
    order.length = 0
    lin(x).sum().backward()
    expect(order).toEqual(['c', 'b'])
    expect(() => lin.register_full_backward_hook(() => undefined, { prepnd: true } as never)).toThrow(/prepend/)
  })

  it('warns when the output is not a tensor or an array, and the hook does not fire', () => {
    class Dict extends nn.Module {
      forward(x: torch.Tensor): { a: torch.Tensor } {
        return { a: x.mul(2) }
      }
    }
    const m = new Dict()
    let fired = false
    m.register_full_backward_hook(() => void (fired = true))
    const [r, caught] = torch.warnings.catch_warnings(() => m(torch.ones(2, { requires_grad: true })))
    expect(caught.map((w) => w.message)).toEqual([
      "For backward hooks to be called, module output should be a Tensor or a tuple of Tensors but received <class 'dict'>",
    ])
    r.a.sum().backward()
    expect(fired).toBe(false)
  })

  it('under no_grad nothing is hooked', () => {
    const lin = nn.Linear(2, 2)
    lin.register_full_backward_hook(() => undefined)
    const y = torch.no_grad(() => lin(torch.ones(1, 2, { requires_grad: true })))
    expect(y.grad_fn).toBeNull()
  })
})

describe('register_full_backward_pre_hook (PyTorch 2.x)', () => {
  it('sees grad_output before the module’s backward; a returned array replaces it', () => {
    const m = new Mix()
    const seen: Array<ReadonlyArray<torch.Tensor | null>> = []
    m.register_full_backward_pre_hook((_m, go) => {
      seen.push(go)
      return [(go[0] as torch.Tensor).mul(10), go[1] ?? null]
    })
    const post: Array<ReadonlyArray<torch.Tensor | null>> = []
    m.register_full_backward_hook((_m, _gi, go) => void post.push(go))
    const x = torch.tensor([1, 2, 3], { dtype: torch.float64, requires_grad: true })
    const y = torch.tensor([4, 5, 6], { dtype: torch.float64 })
    const [a, b] = m(x, 0.5, y)
    a.sum().add(b.mul(2).sum()).backward()
    // d/dx of sum(10 * x*y*0.5) + sum(2 * (x - sum y)) = 5 y + 2
    expect(x.grad?.tolist()).toEqual([22, 27, 32])
    expect(seen[0]?.map((g) => g?.tolist())).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ])
    expect(post[0]?.[0]?.tolist()).toEqual([10, 10, 10])
  })

  it('checks the number of returned gradients', () => {
    const lin = nn.Linear(2, 2)
    lin.register_full_backward_pre_hook(() => [null, null])
    expect(() =>
      lin(torch.ones(1, 2, { requires_grad: true }))
        .sum()
        .backward(),
    ).toThrow('Backward pre hook returned an invalid number of grad_output, got 2, but expected 1')
  })
})

describe('register_backward_hook (deprecated, PyTorch 1.13)', () => {
  it('sees the last node’s gradients and warns as PyTorch', () => {
    const c = fx.deprecated
    class Mul extends nn.Module {
      forward(x: torch.Tensor, y: torch.Tensor): torch.Tensor {
        return x.mul(y)
      }
    }
    const m = new Mul()
    const events: Recorded[] = []
    m.register_backward_hook(logger(events, 'mul'))
    const x = t64(c.x, true)
    const y = t64(c.y, true)
    const [out, caught] = torch.warnings.catch_warnings(() => m(x, y))
    expect(caught.map((w) => w.message)).toEqual(c.warnings)
    out.sum().backward()
    checkEvents(events, c.events)
  })
})
