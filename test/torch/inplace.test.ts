/**
 * In-place ops on immutable arrays: storage swaps, version counters shared by views, PyTorch's
 * leaf / view-of-leaf errors, CopySlices and grad_fn rebasing, and gradients through them.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const list = (x: torch.Tensor | null | undefined) => x?.tolist()

describe('in-place ops', () => {
  it('refuse leaves that require grad under grad mode, and are allowed under no_grad', () => {
    const w = torch.tensor([1.0, 2.0], { requires_grad: true })
    expect(() => w.add_(1)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.')
    expect(() => w.set(0, 5)).toThrow(
      'a view of a leaf Variable that requires grad is being used in an in-place operation.',
    )
    expect(w._version).toBe(0)
    torch.no_grad(() => w.sub_(torch.tensor([0.5, 0.5]), { alpha: 2 }))
    expect(list(w)).toEqual([0, 1])
    expect(w._version).toBe(1)
    expect(w.is_leaf).toBe(true)
  })

  it('rebase the grad_fn of non-leaves and keep gradients right', () => {
    const a = torch.tensor([1.0, 2.0], { requires_grad: true })
    const x = a.mul(2)
    x.add_(1)
    expect(x.grad_fn?.name()).toBe('AddBackward0')
    expect(x.grad_fn?.next_functions[0]?.[0]?.name()).toBe('MulBackward0')
    x.mul_(x) // (2a + 1)²
    // PyTorch 1.13 and 2.x: mul_ keeps a copy of self, but `other` is x itself, which mul_ moved on
    expect(() => x.sum().backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of MulBackward0, is at version 2; expected version 1 instead.',
    )
    const y = a.mul(2)
    y.add_(y) // other needs no saving: 2·(2a)
    y.sum().backward()
    expect(list(a.grad)).toEqual([4, 4])
  })

  it('version check names the saved output (ExpBackward0)', () => {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true })
    const y = x.exp()
    y.add_(1)
    expect(y._version).toBe(1)
    expect(() => y.sum().backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    )
  })

  it('a saved leaf changed under no_grad: no "output of" clause', () => {
    const w = torch.tensor([1.0, 2.0], { dtype: torch.float64, requires_grad: true })
    const l = w.mul(w).sum()
    torch.no_grad(() => w.mul_(2))
    expect(() => l.backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.DoubleTensor [2]] is at version 1; expected version 0 instead.',
    )
  })

  it('views share storage and version; writing a view records CopySlices on the base', () => {
    const a = torch.tensor(
      [
        [1.0, 2.0],
        [3.0, 4.0],
      ],
      { requires_grad: true },
    )
    const x = a.mul(1)
    const row = x.index(1)
    expect(row.grad_fn?.name()).toBe('SelectBackward0')
    row.mul_(10)
    expect(list(x)).toEqual([
      [1, 2],
      [30, 40],
    ])
    expect([x._version, row._version]).toEqual([1, 1])
    expect(x.grad_fn?.name()).toBe('torch::autograd::CopySlices')
    expect(row.grad_fn?.name()).toBe('AsStridedBackward0')
    x.sum().backward()
    expect(list(a.grad)).toEqual([
      [1, 1],
      [10, 10],
    ])
  })

  it("CopySlices' inputs are the base's previous node and the in-place op's other inputs, as PyTorch's", () => {
    const names = (n: torch.autograd.Node | null | undefined) =>
      (n?.next_functions ?? []).map(([c]) => c?.name() ?? null)
    const a = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true })
    const w = torch.tensor(5.0, { requires_grad: true })
    const x = a.clone()
    x.set(0, w) // x[0] = w: copy_ into a select view
    expect(x.grad_fn?.name()).toBe('torch::autograd::CopySlices')
    expect(names(x.grad_fn)).toEqual(['CloneBackward0', 'torch::autograd::AccumulateGrad'])
    expect(x.grad_fn?.next_functions[1]?.[0]).toBe(w._accumulator())
    x.index('1:').mul_(w) // x[1:] *= w: the base's previous node is the first CopySlices
    expect(names(x.grad_fn)).toEqual(['torch::autograd::CopySlices', 'torch::autograd::AccumulateGrad'])
    x.mul(torch.tensor([1.0, 10.0, 100.0]))
      .sum()
      .backward()
    expect(list(a.grad)).toEqual([0, 50, 500])
    expect(w.grad?.item()).toBe(1 + 20 + 300)
    // a base that needs no gradient: its edge is None
    const z = torch.zeros(2)
    z.set(1, w)
    expect(names(z.grad_fn)).toEqual([null, 'torch::autograd::AccumulateGrad'])
  })

  it('CopySlices frees its op after backward (a second one raises) and records under create_graph', () => {
    const a = torch.tensor([1.0, 2.0], { dtype: torch.float64, requires_grad: true })
    const x = a.mul(1)
    x.index(0).mul_(a.index(1)) // x = [a0·a1, a1]
    const s = x.sum()
    s.backward(undefined, { retain_graph: true })
    expect(list(a.grad)).toEqual([2, 2])
    s.backward()
    expect(() => s.backward()).toThrow('Trying to backward through the graph a second time')
    const y = a.mul(1)
    y.index(0).mul_(a.index(1))
    const [g] = torch.autograd.grad(y.pow(2).sum(), a, { create_graph: true }) // ∂(a0²a1² + a1²)
    expect(list(g)).toEqual([2 * 1 * 4, 2 * 1 * 2 + 2 * 2])
    const [h] = torch.autograd.grad(g!.sum(), a) // ∂(2a0a1² + 2a0²a1 + 2a1)
    expect(list(h)).toEqual([2 * 4 + 4 * 2, 8 * 1 + 2 * 1 + 2])
    expect(
      torch.autograd.gradgradcheck(
        (t: torch.Tensor) => {
          const u = t.mul(1)
          u.index(0).mul_(t.index(1).sin())
          return u.pow(2)
        },
        [a],
      ),
    ).toBe(true)
  })

  it('x[i] = v with a value that requires grad makes the base require grad', () => {
    const v = torch.tensor([5.0, 6.0], { requires_grad: true })
    const x = torch.zeros(2, 2)
    x.set(0, v) // x[0] = v
    expect(x.requires_grad).toBe(true)
    expect(x.is_leaf).toBe(false)
    expect(x.grad_fn?.name()).toBe('torch::autograd::CopySlices')
    x.mul(
      torch.tensor([
        [1.0, 2.0],
        [3.0, 4.0],
      ]),
    )
      .sum()
      .backward()
    expect(list(v.grad)).toEqual([1, 2])
  })

  it('advanced-index assignment and index_put_', () => {
    const x = torch.zeros(4)
    x.set(torch.tensor([0, 2], { dtype: torch.int64 }), 7)
    expect(list(x)).toEqual([7, 0, 7, 0])
    x.set(x.gt(5), torch.tensor([1.0, 2.0]))
    expect(list(x)).toEqual([1, 0, 2, 0])
    x.index_put_([torch.tensor([1, 1], { dtype: torch.int64 })], torch.tensor(3.0), true)
    expect(list(x)).toEqual([1, 6, 2, 0])
    const v = torch.tensor([2.0, 3.0], { requires_grad: true })
    const y = torch.zeros(3)
    y.set([0, 2], v)
    expect(y.grad_fn?.name()).toBe('IndexPutBackward0')
    y.mul(torch.tensor([10.0, 20.0, 30.0]))
      .sum()
      .backward()
    expect(list(v.grad)).toEqual([10, 30])
  })

  it('refuses to write through expanded views', () => {
    const x = torch.zeros(3).expand(2, 3)
    expect(() => x.add_(1)).toThrow(
      'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.',
    )
  })

  it('zero_, fill_, copy_, masked_fill_, clamp_ and the result-type check', () => {
    const x = torch.tensor([1.0, -2.0, 3.0])
    x.clamp_({ min: 0 })
    expect(list(x)).toEqual([1, 0, 3])
    x.masked_fill_(x.eq(0), -1)
    expect(list(x)).toEqual([1, -1, 3])
    x.copy_(torch.tensor([4.0]))
    expect(list(x)).toEqual([4, 4, 4])
    x.fill_(2).zero_()
    expect(list(x)).toEqual([0, 0, 0])
    expect(x._version).toBe(5)
    const i = torch.tensor([1, 2], { dtype: torch.int64 })
    expect(() => i.add_(0.5)).toThrow("result type Float can't be cast to the desired output type Long")
  })

  it('.data shares values but not the version counter', () => {
    const w = torch.tensor([1.0, 2.0], { requires_grad: true })
    const l = w.mul(w).sum()
    w.data.mul_(0)
    expect(list(w)).toEqual([0, 0])
    expect(w._version).toBe(0)
    l.backward()
    expect(list(w.grad)).toEqual([2, 4]) // saved values are the originals
  })
})

describe('in-place view ops (t_, transpose_, squeeze_, unsqueeze_)', () => {
  const names = (n: torch.autograd.Node | null | undefined) => (n?.next_functions ?? []).map(([c]) => c?.name() ?? null)

  it('change the tensor itself, bump its version and rebase its grad_fn', () => {
    const a = torch.tensor(
      [
        [1.0, 2.0, 3.0],
        [4.0, 5.0, 6.0],
      ],
      { requires_grad: true },
    )
    const x = a.mul(1)
    expect(x.t_()).toBe(x)
    expect([...x.shape]).toEqual([3, 2])
    expect(list(x)).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ])
    expect(x.is_contiguous()).toBe(false)
    expect(x._version).toBe(1)
    expect(x.grad_fn?.name()).toBe('TBackward1')
    expect(names(x.grad_fn)).toEqual(['MulBackward0'])
    x.mul(
      torch.tensor([
        [1.0, 10.0],
        [2.0, 20.0],
        [3.0, 30.0],
      ]),
    )
      .sum()
      .backward()
    expect(list(a.grad)).toEqual([
      [1, 2, 3],
      [10, 20, 30],
    ])
  })

  it("name their nodes as PyTorch's in-place overloads", () => {
    const x = torch.ones(1, 2, 1, { requires_grad: true }).mul(1)
    expect(x.unsqueeze_(0).grad_fn?.name()).toBe('UnsqueezeBackward1')
    expect([...x.shape]).toEqual([1, 1, 2, 1])
    expect(x.squeeze_(0).grad_fn?.name()).toBe('SqueezeBackward4')
    expect(x.squeeze_([0, 2]).grad_fn?.name()).toBe('SqueezeBackward5')
    expect([...x.shape]).toEqual([2])
    expect(x.unsqueeze_(1).squeeze_().grad_fn?.name()).toBe('SqueezeBackward3')
    expect(x.transpose_(0, -1).grad_fn?.name()).toBe('TransposeBackward1')
    expect(x._version).toBe(6)
    const m = torch.ones(2, 3).mul(torch.ones(3, { requires_grad: true }))
    expect(m.transpose_(1, 0).grad_fn?.name()).toBe('TransposeBackward1')
    expect([...m.shape]).toEqual([3, 2])
    // matmul(1-D, 2-D) is unsqueeze(0).mm(other).squeeze_(0), at version 1, as PyTorch's
    const v = torch.ones(2, { requires_grad: true }).matmul(torch.ones(2, 3))
    expect([v.grad_fn?.name(), v._version, [...v.shape]]).toEqual(['SqueezeBackward4', 1, [3]])
  })

  it("raise PyTorch's errors", () => {
    const w = torch.ones(2, 3, { requires_grad: true })
    expect(() => w.t_()).toThrow('a leaf Variable that requires grad is being used in an in-place operation.')
    expect(() => w.index(0).unsqueeze_(0)).toThrow(
      'a view of a leaf Variable that requires grad is being used in an in-place operation.',
    )
    expect(w._version).toBe(0)
    torch.no_grad(() => w.t_())
    expect([[...w.shape], w.is_leaf, w.requires_grad, w._version]).toEqual([[3, 2], true, true, 1])
    expect(() => torch.ones(2, 2, 2).t_()).toThrow('t_() expects a tensor with <= 2 dimensions, but self is 3D')
    expect(() => torch.ones(2, 2).transpose_(0, 2)).toThrow(
      'Dimension out of range (expected to be in range of [-2, 1], but got 2)',
    )
    expect(() => torch.ones(2).unsqueeze_(3)).toThrow(torch.IndexError)
    const s = torch.ones(3)
    expect(s.t_()).toBe(s) // ≤ 1-D: unchanged, still a new version
    expect([[...s.shape], s._version]).toEqual([[3], 1])
  })

  it('views taken before keep writing to the same elements, with gradients', () => {
    const b = torch.zeros(2, 3)
    const row = b.index(0)
    b.t_()
    row.fill_(1)
    expect(list(b)).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
    ])
    const a = torch.tensor(
      [
        [1.0, 2.0, 3.0],
        [4.0, 5.0, 6.0],
      ],
      { requires_grad: true },
    )
    const x = a.mul(1)
    const r = x.index(0)
    x.t_()
    r.mul_(2)
    expect(list(x)).toEqual([
      [2, 4],
      [4, 5],
      [6, 6],
    ])
    expect(x.grad_fn?.name()).toBe('torch::autograd::CopySlices')
    expect(names(x.grad_fn)).toEqual(['TBackward1', null])
    x.sum().backward()
    expect(list(a.grad)).toEqual([
      [2, 2, 2],
      [1, 1, 1],
    ])
    // an in-place view op on a view: it stays a view of its base
    const z = torch.zeros(2, 2, 3)
    const v = z.index(0).t_()
    expect([...v.shape]).toEqual([3, 2])
    v.index(0).fill_(1)
    expect(list(z.index(0))).toEqual([
      [1, 0, 0],
      [1, 0, 0],
    ])
  })
})

describe('an in-place op with a broadcasting operand (issue 10, item 2)', () => {
  const big = () => torch.ones(2, 2, 3)
  const GROW = "output with shape [2, 3] doesn't match the broadcast shape [2, 2, 3]"
  // texts from PyTorch 1.13: a = torch.ones(2, 3); a.add_(torch.ones(2, 2, 3)), and so on
  it.each([
    ['add_', (a: torch.Tensor) => a.add_(big())],
    ['sub_', (a: torch.Tensor) => a.sub_(big())],
    ['mul_', (a: torch.Tensor) => a.mul_(big())],
    ['div_', (a: torch.Tensor) => a.div_(big())],
    ['pow_', (a: torch.Tensor) => a.pow_(big())],
    ['maximum_', (a: torch.Tensor) => a.maximum_(big())],
    ['minimum_', (a: torch.Tensor) => a.minimum_(big())],
    ['clamp_min_', (a: torch.Tensor) => a.clamp_min_(big())],
    ['addcmul_', (a: torch.Tensor) => a.addcmul_(torch.ones(2, 1, 3), torch.ones(2, 3))],
    ['addcdiv_', (a: torch.Tensor) => a.addcdiv_(torch.ones(2, 1, 3), torch.ones(2, 3))],
    ['lerp_', (a: torch.Tensor) => a.lerp_(big(), 0.5)],
    ['masked_fill_', (a: torch.Tensor) => a.masked_fill_(big().gt(0), 0)],
    ['copy_', (a: torch.Tensor) => a.copy_(big())],
  ])('%s raises PyTorch’s RuntimeError and leaves the tensor as it was', (_, f) => {
    for (const requiresGrad of [false, true]) {
      const leaf = torch.ones(2, 3, { requires_grad: requiresGrad })
      const a = requiresGrad ? leaf.mul(1) : leaf
      expect(() => f(a)).toThrow(torch.RuntimeError)
      expect(() => f(a)).toThrow(GROW)
      expect(a.shape).toEqual(torch.ones(2, 3).shape)
      expect(a._version).toBe(0)
      expect(a.grad_fn?.name() ?? null).toBe(requiresGrad ? 'MulBackward0' : null)
    }
  })

  it('a non-broadcastable operand names the mismatching dimension (copy_ too)', () => {
    const a = torch.ones(2, 3)
    const msg = 'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1'
    expect(() => a.add_(torch.ones(4))).toThrow(msg)
    expect(() => a.copy_(torch.ones(4))).toThrow(msg)
    expect(() => torch.ones(3).add_(torch.ones(2, 3))).toThrow(
      "output with shape [3] doesn't match the broadcast shape [2, 3]",
    )
  })

  it('an operand that broadcasts into the tensor is still fine', () => {
    const a = torch.ones(2, 3)
    a.add_(torch.tensor([1, 2, 3])).copy_(a.mul(2).index(0))
    expect(list(a)).toEqual([
      [4, 6, 8],
      [4, 6, 8],
    ])
  })
})
