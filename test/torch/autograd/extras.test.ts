/**
 * torch.autograd.Variable and torch.autograd.function.once_differentiable against real PyTorch 1.13
 * (fixtures/autograd_extras.py writes fixtures/autograd_extras.json); torch.func.grad_and_value,
 * linearize and stack_module_state against their definitions (analytic derivatives, torch.stack).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { errOf } from '../../helpers/fixtureErrors'
import fixture from '../fixtures/autograd_extras.json'
import { typeName } from '../../helpers/nodeNames'

type T = torch.Tensor

describe('torch.autograd.Variable', () => {
  it('returns a new leaf sharing the values, requires_grad as given; volatile warns', () => {
    const fx = fixture.variable
    const t = torch.tensor([1, 2], { dtype: torch.float64 })
    const v = torch.autograd.Variable(t, { requires_grad: true })
    expect(v === t).toBe(fx.same_object)
    expect([v.requires_grad, v.is_leaf, t.requires_grad]).toEqual([
      fx.requires_grad,
      fx.is_leaf,
      fx.source_requires_grad,
    ])
    const [, warns] = torch.warnings.catch_warnings(() => torch.autograd.Variable(t, { volatile: true }))
    expect(warns.map((w) => String(w.message))).toEqual([fx.volatile_warning])
    expect(errOf(() => torch.autograd.Variable([1, 2] as unknown as T))).toEqual(fx.list_error)
  })
})

class Sq extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, x: T): T {
    ctx.save_for_backward(x)
    return x.mul(x)
  }
  static override backward = torch.autograd.function.once_differentiable((ctx: torch.autograd.FunctionCtx, g: T): T =>
    g.mul(2).mul(ctx.saved_tensors[0]!),
  )
}

describe('once_differentiable', () => {
  it('create_graph with constant grad outputs: a gradient outside the graph', () => {
    const fx = fixture.once
    const x = torch.tensor([3, -1], { dtype: torch.float64, requires_grad: true })
    const [g] = torch.autograd.grad((Sq.apply(x) as T).sum(), [x], { create_graph: true })
    expect(g!.tolist()).toEqual(fx.grad)
    expect(g!.requires_grad).toBe(fx.requires_grad)
    expect(errOf(() => g!.sum().backward())).toEqual(fx.twice)
  })
  it('a grad output requiring grad: the Error node raises when differentiated again', () => {
    const fx = fixture.once_delayed
    const x = torch.tensor([3, -1], { dtype: torch.float64, requires_grad: true })
    const go = torch.tensor([1, 0.5], { dtype: torch.float64, requires_grad: true })
    const [g] = torch.autograd.grad(Sq.apply(x) as T, [x], [go], { create_graph: true })
    expect(g!.tolist()).toEqual(fx.grad)
    expect(typeName(g!.grad_fn)).toBe(fx.node)
    expect(g!.grad_fn?.next_functions.map(([n]) => typeName(n ?? null))).toEqual(fx.next)
    expect(errOf(() => g!.sum().backward())).toEqual(fx.twice)
  })
})

describe('torch.func extras', () => {
  const x = torch.tensor([0.5, -1, 2], { dtype: torch.float64 })
  it('grad_and_value (argnums, has_aux)', () => {
    const [g, v] = torch.func.grad_and_value((t: T) => t.sin().sum())(x) as [T, T]
    expect(g.allclose(x.cos())).toBe(true)
    expect(v.item()).toBeCloseTo(x.sin().sum().item(), 14)
    const w = torch.tensor([2, 3, 4], { dtype: torch.float64 })
    const [gw, [val, aux]] = torch.func.grad_and_value((a: T, b: T) => [a.mul(b).sum(), b.mul(2)], {
      argnums: 1,
      has_aux: true,
    })(x, w) as [T, [T, T]]
    expect(gw.tolist()).toEqual(x.tolist())
    expect(val.item()).toBeCloseTo(x.mul(w).sum().item(), 14)
    expect(aux.tolist()).toEqual([4, 6, 8])
    expect(errOf(() => torch.func.grad_and_value((t: T) => t.sum(), { nope: 1 } as never))).toEqual([
      'TypeError',
      "grad_and_value() got an unexpected keyword argument 'nope'",
    ])
  })
  it('linearize: value and Jacobian-vector products', () => {
    const [y, jvpFn] = torch.func.linearize((t: T) => t.exp().mul(t), x)
    expect((y as T).allclose(x.exp().mul(x))).toBe(true)
    const tan = torch.tensor([1, 2, -1], { dtype: torch.float64 })
    expect((jvpFn(tan) as T).allclose(x.exp().mul(x.add(1)).mul(tan))).toBe(true)
  })
  it('stack_module_state: stacked leaves and buffers; its errors', () => {
    const models = [torch.nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)]
    const [params, buffers] = torch.func.stack_module_state(models)
    expect(Object.keys(params)).toEqual(['weight', 'bias'])
    expect(Object.keys(buffers)).toEqual(['running_mean', 'running_var', 'num_batches_tracked'])
    expect([...params['weight']!.shape]).toEqual([2, 3])
    expect(params['weight']!.is_leaf && params['weight']!.requires_grad).toBe(true)
    expect(buffers['running_var']!.requires_grad).toBe(false)
    expect(errOf(() => torch.func.stack_module_state([]))).toEqual([
      'RuntimeError',
      'stack_module_state: Expected at least one model, got 0.',
    ])
    expect(errOf(() => torch.func.stack_module_state([torch.nn.Linear(2, 2), torch.nn.Linear(2, 2).eval()]))).toEqual([
      'RuntimeError',
      'stack_module_state: Expected all models to have the same training/eval mode.',
    ])
    expect(errOf(() => torch.func.stack_module_state([torch.nn.Linear(2, 2), torch.nn.ReLU()]))).toEqual([
      'RuntimeError',
      'stack_module_state: Expected all models to be of the same class.',
    ])
  })
})

describe('torch.func.vmap randomness / chunk_size', () => {
  const xs = torch.tensor([
    [1, 2],
    [3, 4],
  ])
  const f = (x: T): T => x.pow(2).sum()
  it('chunk_size does not change the result; its check and randomness raise as PyTorch', () => {
    expect((torch.func.vmap(f, 0, 0, 'error', { chunk_size: 1 })(xs) as T).tolist()).toEqual([5, 25])
    expect((torch.func.vmap(f, { in_dims: 0, chunk_size: null })(xs) as T).tolist()).toEqual([5, 25])
    expect(errOf(() => torch.func.vmap(f, { chunk_size: 0 }))).toEqual([
      'ValueError',
      'vmap: chunk_size should be None or greater than 0. (got 0)',
    ])
    expect(errOf(() => torch.func.vmap(f, 0, 0, 'sometimes' as never))).toEqual([
      'RuntimeError',
      "Only allowed values for randomness are 'error', 'different', or 'same'. Got sometimes",
    ])
    expect(errOf(() => torch.func.vmap(f, { randomness: 'different' }))![0]).toBe('NotImplementedError')
  })
})
