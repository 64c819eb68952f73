/**
 * The global module hooks of `torch.nn.modules.module`: order relative to a module's own hooks and
 * replaced inputs/outputs/gradients against real PyTorch 1.13
 * (scripts/fixtures/module_global_hooks.py writes test/fixtures/torch/nn_core/module_global_hooks.json);
 * the backward pre-hook, the registration hooks and `always_call` are PyTorch 2.x only (not in
 * 1.13): their expectations follow the 2.x documentation.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const M = torch.nn.modules.module
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/nn_core/module_global_hooks.json', import.meta.url), 'utf8'),
) as { order: string[]; pre_replaced: number[][]; out_replaced: number[][]; grad_replaced: number[][] }

const handles: Array<{ remove(): void }> = []
afterEach(() => {
  for (const h of handles.splice(0)) h.remove()
})
const keep = <H extends { remove(): void }>(h: H): H => {
  handles.push(h)
  return h
}

const linear = (): torch.nn.Linear => {
  const lin = torch.nn.Linear(2, 1)
  torch.no_grad(() => {
    lin.weight.copy_(torch.tensor([[1, 2]]))
    lin.bias!.fill_(0.5)
  })
  return lin
}
const x = (): torch.Tensor => torch.tensor([[3, 4]], { requires_grad: true })

describe('global module hooks (PyTorch 1.13 fixture)', () => {
  it('run before the module’s own hooks of the same kind', () => {
    const order: string[] = []
    const lin = linear()
    keep(M.register_module_forward_pre_hook(() => void order.push('global_pre')))
    keep(M.register_module_forward_hook(() => void order.push('global_fwd')))
    keep(M.register_module_full_backward_hook(() => void order.push('global_bwd')))
    lin.register_forward_pre_hook(() => void order.push('own_pre'))
    lin.register_forward_hook(() => void order.push('own_fwd'))
    lin.register_full_backward_hook(() => void order.push('own_bwd'))
    lin(x()).sum().backward()
    expect(order).toEqual(fixture.order)
  })

  it('a result replaces the input, the output and grad_input', () => {
    const h1 = M.register_module_forward_pre_hook((_m, a) => [(a[0] as torch.Tensor).mul(2)])
    expect(linear()(x()).tolist()).toEqual(fixture.pre_replaced)
    h1.remove()
    const lin = linear()
    keep(M.register_module_forward_hook((_m, _a, o) => (o as torch.Tensor).add(1)))
    lin.register_forward_hook((_m, _a, o) => (o as torch.Tensor).mul(3))
    expect(lin(x()).tolist()).toEqual(fixture.out_replaced)
    handles.splice(0).forEach((h) => h.remove())
    keep(M.register_module_full_backward_hook((_m, gi) => [gi[0]!.mul(10)]))
    const xx = x()
    linear()(xx).sum().backward()
    expect(xx.grad!.tolist()).toEqual(fixture.grad_replaced)
  })

  it('remove() stops the hook and returns a RemovableHandle', () => {
    let n = 0
    const h = M.register_module_forward_hook(() => void n++)
    expect(h).toBeInstanceOf(torch.utils.hooks.RemovableHandle)
    linear()(x())
    h.remove()
    h.remove()
    linear()(x())
    expect(n).toBe(1)
  })
})

describe('global module hooks (PyTorch 2.x only)', () => {
  it('the full backward pre-hook runs before the module’s own and may replace grad_output', () => {
    const order: string[] = []
    keep(
      M.register_module_full_backward_pre_hook((_m, go) => {
        order.push('global')
        return [go[0]!.mul(2)]
      }),
    )
    const lin = linear()
    lin.register_full_backward_pre_hook(() => void order.push('own'))
    const xx = x()
    lin(xx).sum().backward()
    expect(order).toEqual(['global', 'own'])
    // d(sum(w·x + b))/dx = w = [1, 2], doubled by the hook
    expect(xx.grad!.tolist()).toEqual([[2, 4]])
  })

  it('registration hooks see (module, name, value) and a non-null result is stored', () => {
    const seen: string[] = []
    keep(M.register_module_buffer_registration_hook((_m, name) => void seen.push(`buffer ${name}`)))
    keep(
      M.register_module_parameter_registration_hook((_m, name, p) => {
        seen.push(`param ${name}`)
        return name === 'w2' ? new torch.nn.Parameter(torch.zeros(1)) : p
      }),
    )
    keep(M.register_module_module_registration_hook((_m, name) => void seen.push(`module ${name}`)))
    const m = new torch.nn.Module()
    m.register_buffer('b', torch.ones(1))
    m.register_parameter('w2', new torch.nn.Parameter(torch.ones(2)))
    m.register_module('child', torch.nn.Identity())
    m.add_module('other', torch.nn.Identity())
    expect(seen).toEqual(['buffer b', 'param w2', 'module child', 'module other'])
    expect(m.get_parameter('w2').shape).toEqual([1])
  })

  it('always_call runs the hook when forward raises, its own error only a warning', () => {
    class Bad extends torch.nn.Module {
      forward(): torch.Tensor {
        throw new torch.RuntimeError('boom')
      }
    }
    const got: unknown[] = []
    keep(M.register_module_forward_hook((_m, _a, o) => void got.push(o), { always_call: true }))
    keep(M.register_module_forward_hook(() => void got.push('plain')))
    expect(() => new Bad()()).toThrow('boom')
    expect(got).toEqual([null])
  })

  it('unknown options are refused by name', () => {
    expect(() => M.register_module_forward_hook(() => undefined, { with_kwargs: true } as never)).toThrow(
      /register_module_forward_hook/,
    )
  })
})
