import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const { nn } = torch

describe('torch.copy.deepcopy (Python copy.deepcopy on modules and tensors)', () => {
  it('copies a module into an independent, callable module with equal parameters', () => {
    const net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    net.eval()
    const c = torch.copy.deepcopy(net)
    expect(c).not.toBe(net)
    expect(c.training).toBe(false)
    const [p0, q0] = [[...net.parameters()], [...c.parameters()]]
    expect(q0.length).toBe(p0.length)
    p0.forEach((p, i) => {
      const q = q0[i] as torch.Tensor
      expect(q).not.toBe(p)
      expect(q).toBeInstanceOf(nn.Parameter)
      expect(torch.equal(p, q)).toBe(true)
      expect(q.data_ptr()).not.toBe(p.data_ptr())
    })
    const x = torch.randn(5, 3)
    expect(torch.equal(c(x), net(x))).toBe(true)
    torch.no_grad(() => (p0[0] as torch.Tensor).add_(1))
    expect(torch.equal(c(x), net(x))).toBe(false)
  })

  it('keeps tied parameters tied and drops parameter gradients (Parameter.__deepcopy__)', () => {
    const a = nn.Linear(2, 2)
    const b = nn.Linear(2, 2)
    b.weight = a.weight
    const m = nn.ModuleList([a, b])
    a.weight.grad = torch.ones(2, 2)
    const c = torch.copy.deepcopy(m)
    const [ca, cb] = [c.at(0) as torch.nn.Linear, c.at(1) as torch.nn.Linear]
    expect(ca.weight).toBe(cb.weight)
    expect(ca.weight).not.toBe(a.weight)
    expect(ca.weight.grad).toBe(null)
    expect([...c.parameters()].length).toBe([...m.parameters()].length)
  })

  it('copies buffers and keeps requires_grad', () => {
    const bn = nn.BatchNorm1d(3)
    bn.weight?.requires_grad_(false)
    bn.call(torch.randn(4, 3))
    const c = torch.copy.deepcopy(bn)
    expect(torch.equal(c.running_mean as torch.Tensor, bn.running_mean as torch.Tensor)).toBe(true)
    expect(c.running_mean).not.toBe(bn.running_mean)
    expect(c.weight?.requires_grad).toBe(false)
    expect(Object.keys(c.state_dict())).toEqual(Object.keys(bn.state_dict()))
  })

  it('copies a leaf tensor with its gradient, refuses a non-leaf with PyTorch 2.x message', () => {
    const x = torch.tensor([1, 2, 3], { requires_grad: true })
    x.grad = torch.tensor([4, 5, 6])
    const y = torch.copy.deepcopy(x)
    expect(y.requires_grad).toBe(true)
    expect(y.is_leaf).toBe(true)
    expect(y.grad).not.toBe(x.grad)
    expect(y.grad?.tolist()).toEqual([4, 5, 6])
    expect(() => torch.copy.deepcopy(x.mul(2))).toThrow(
      /^Only Tensors created explicitly by the user \(graph leaves\) support the deepcopy protocol at the moment\.  If you were attempting/,
    )
    expect(() => torch.copy.deepcopy(x.mul(2))).toThrow(torch.RuntimeError)
  })

  it('copies containers deeply and shares what is reached twice (the memo)', () => {
    const t = torch.ones(2)
    const sd = { a: t, b: [t, 3], c: new Map([['k', t]]) }
    const c = torch.copy.deepcopy(sd)
    expect(c.a).not.toBe(t)
    expect(c.b[0]).toBe(c.a)
    expect(c.c.get('k')).toBe(c.a)
    t.add_(1)
    expect(c.a.tolist()).toEqual([1, 1])
  })
})

describe('torch.copy.copy (Python copy.copy)', () => {
  it('gives a tensor a new leaf sharing its memory without .grad (as PyTorch 1.13 run shows)', () => {
    const a = torch.ones(3, { requires_grad: true })
    a.grad = torch.ones(3)
    const b = torch.copy.copy(a)
    expect(b).not.toBe(a)
    expect(b.requires_grad).toBe(true)
    expect(b.is_leaf).toBe(true)
    expect(b.grad).toBe(null)
    expect(b.data_ptr()).toBe(a.data_ptr())
    const y = torch.copy.copy(a.mul(2))
    expect([y.requires_grad, y.is_leaf, y.grad_fn]).toEqual([true, true, null])
  })

  it('copies a module shallowly: the same parameter objects', () => {
    const m = nn.Linear(2, 1)
    const c = torch.copy.copy(m)
    expect(c).not.toBe(m)
    expect(c.weight).toBe(m.weight)
    expect(c(torch.ones(1, 2)).shape).toEqual([1, 1])
  })
})
