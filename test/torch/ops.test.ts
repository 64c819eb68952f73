/**
 * Facade ops: values, PyTorch's node names and next_functions, type promotion, broadcasting
 * errors, reductions, matmul by rank, indexing and views.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const list = (x: torch.Tensor | null | undefined) => x?.tolist()
const name = (x: torch.Tensor) => x.grad_fn?.name()

describe('node names', () => {
  const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true })
  const cases: Array<[string, () => torch.Tensor]> = [
    ['AddBackward0', () => x.add(2)],
    ['SubBackward0', () => x.sub(x)],
    ['RsubBackward1', () => x.rsub(1)],
    ['MulBackward0', () => x.mul(x)],
    ['DivBackward0', () => x.div(2)],
    ['PowBackward0', () => x.pow(2)],
    ['PowBackward1', () => x.pow(x)],
    ['PowBackward2', () => torch.pow(2, x)],
    ['NegBackward0', () => x.neg()],
    ['ExpBackward0', () => x.exp()],
    ['LogBackward0', () => x.log()],
    ['SinBackward0', () => x.sin()],
    ['CosBackward0', () => x.cos()],
    ['TanhBackward0', () => x.tanh()],
    ['SigmoidBackward0', () => torch.sigmoid(x)],
    ['ReluBackward0', () => x.relu()],
    ['AbsBackward0', () => x.abs()],
    ['SqrtBackward0', () => x.sqrt()],
    ['ClampBackward1', () => x.clamp(0, 1)],
    ['SumBackward0', () => x.sum()],
    ['SumBackward1', () => x.sum(0)],
    ['MeanBackward0', () => x.mean()],
    ['MeanBackward1', () => x.mean({ dim: 0 })],
    ['MaxBackward1', () => x.max()],
    ['AmaxBackward0', () => x.amax(0)],
    ['LinalgVectorNormBackward0', () => x.norm()],
    ['SoftmaxBackward0', () => x.softmax(0)],
    ['LogSoftmaxBackward0', () => x.log_softmax(-1)],
    ['DotBackward0', () => torch.matmul(x, x)],
    ['UnsqueezeBackward0', () => x.unsqueeze(0)],
    ['SqueezeBackward0', () => x.unsqueeze(0).squeeze()],
    ['ViewBackward0', () => x.view(3, 1)],
    ['ExpandBackward0', () => x.expand(2, 3)],
    ['SelectBackward0', () => x.index(0)],
    ['SliceBackward0', () => x.index('1:')],
    ['IndexBackward0', () => x.index([0, 2])],
    ['CatBackward0', () => torch.cat([x, x])],
    ['StackBackward0', () => torch.stack([x, x])],
    ['CloneBackward0', () => x.clone()],
    ['WhereBackward0', () => torch.where(x.gt(1), x, 0)],
    ['MaskedFillBackward0', () => x.masked_fill(x.gt(1), 0)],
    ['ToCopyBackward0', () => x.double()],
    ['TBackward0', () => x.view(3, 1).t()],
    ['PermuteBackward0', () => x.view(3, 1).T],
    ['TransposeBackward0', () => x.view(3, 1).transpose(0, 1)],
  ]
  it.each(cases)('%s', (n, f) => {
    expect(name(f())).toBe(n)
  })

  it('matmul by rank: MvBackward0, MmBackward0, SqueezeBackward4 → MmBackward0', () => {
    const W = torch.ones(5, 3, { requires_grad: true })
    const v = torch.ones(5)
    expect(name(W.t().matmul(v))).toBe('MvBackward0')
    expect(name(torch.mm(W.t(), W))).toBe('MmBackward0')
    const z = torch.matmul(v, W)
    expect(name(z)).toBe('SqueezeBackward4')
    const mm = z.grad_fn?.next_functions[0]?.[0]
    expect(mm?.name()).toBe('MmBackward0')
    expect(mm?.next_functions.map(([n]) => n?.name() ?? null)).toEqual([null, 'torch::autograd::AccumulateGrad'])
  })

  it('next_functions of z = x@W + b: (op node, 0), (AccumulateGrad, 0); AccumulateGrad.variable is the leaf', () => {
    const W = torch.randn(5, 3, { requires_grad: true })
    const b = torch.randn(3, { requires_grad: true })
    const z = torch.matmul(torch.ones(5), W).add(b)
    expect(name(z)).toBe('AddBackward0')
    const [[n0, i0], [n1, i1]] = z.grad_fn!.next_functions as [
      [torch.autograd.Node, number],
      [torch.autograd.AccumulateGrad, number],
    ]
    expect([n0.name(), i0, n1.name(), i1]).toEqual(['SqueezeBackward4', 0, 'torch::autograd::AccumulateGrad', 0])
    expect(n1.variable).toBe(b)
    expect(String(z.grad_fn)).toMatch(/^<AddBackward0 object at 0x[0-9a-f]+>$/)
    expect(torch.pyStr(x2nf(z))).toMatch(
      /^\(\(<SqueezeBackward4 object at 0x[0-9a-f]+>, 0\), \(<AccumulateGrad object at 0x[0-9a-f]+>, 0\)\)$/,
    )
  })
})
const x2nf = (z: torch.Tensor) => z.grad_fn!.next_functions

describe('values', () => {
  it('broadcasting arithmetic with number operands and PyTorch promotion', () => {
    const a = torch.tensor([[1.0], [2.0]])
    expect(list(a.add(torch.tensor([10.0, 20.0])))).toEqual([
      [11, 21],
      [12, 22],
    ])
    expect(() => torch.ones(3).add(torch.ones(2))).toThrow(
      'The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0',
    )
    const i = torch.arange(3)
    expect(i.dtype).toBe(torch.int64)
    expect(i.add(1).dtype).toBe(torch.int64)
    expect(i.add(0.5).dtype).toBe(torch.float32)
    expect(i.div(2).tolist()).toEqual([0, 0.5, 1])
    expect(torch.ones(2).add(torch.tensor(1, { dtype: torch.float64 })).dtype).toBe(torch.float32)
    expect(torch.ones(2, { dtype: torch.float64 }).mul(torch.ones(2)).dtype).toBe(torch.float64)
  })

  it('max(dim) returns values and indices; the gradient goes to the selected index', () => {
    const x = torch.tensor(
      [
        [1.0, 5.0, 5.0],
        [7.0, 2.0, 3.0],
      ],
      { requires_grad: true },
    )
    const r = x.max(1)
    const [values, indices] = r
    expect(list(values)).toEqual([5, 7])
    expect(list(indices)).toEqual([1, 0])
    expect(r.values).toBe(values)
    expect(indices.dtype).toBe(torch.int64)
    expect(name(values)).toBe('MaxBackward0')
    values.sum().backward()
    expect(list(x.grad)).toEqual([
      [0, 1, 0],
      [1, 0, 0],
    ])
    const y = torch.tensor([1.0, 3.0, 3.0], { requires_grad: true })
    y.max().backward() // ties share evenly, as PyTorch's max()
    expect(list(y.grad)).toEqual([0, 0.5, 0.5])
  })

  it('reductions: sum/mean with dim and keepdim, var/std corrected, argmax, norm', () => {
    const x = torch.tensor([
      [1.0, 2.0],
      [3.0, 4.0],
    ])
    expect(list(x.sum({ dim: 0, keepdim: true }))).toEqual([[4, 6]])
    expect(list(x.sum(1))).toEqual([3, 7])
    expect(list(x.mean(0))).toEqual([2, 3])
    expect(x.var().item()).toBeCloseTo(5 / 3, 6)
    expect(x.var({ unbiased: false }).item()).toBeCloseTo(1.25, 6)
    expect(x.std(0).tolist()).toEqual([Math.SQRT2, Math.SQRT2].map(Math.fround))
    expect(x.argmax().item()).toBe(3)
    expect(list(x.argmax({ dim: 1 }))).toEqual([1, 1])
    expect(x.norm().item()).toBeCloseTo(Math.sqrt(30), 5)
    expect(() => torch.arange(3).mean()).toThrow(
      'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long',
    )
  })

  it('matmul shape errors use PyTorch text', () => {
    expect(() => torch.ones(2, 3).mm(torch.ones(4, 5))).toThrow(
      'mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)',
    )
    expect(() => torch.ones(2, 3).matmul(torch.ones(3, 2, { dtype: torch.float64 }))).toThrow(
      'expected m1 and m2 to have the same dtype, but got: float != double',
    )
  })

  it('views and copies: reshape, view errors, transpose contiguity, split, chunk', () => {
    const x = torch.arange(6).float()
    expect(list(x.view(2, 3).t().contiguous().view(-1))).toEqual([0, 3, 1, 4, 2, 5])
    expect(() => x.view(2, 3).t().view(-1)).toThrow("view size is not compatible with input tensor's size and stride")
    expect(list(x.view(2, 3).t().reshape(6))).toEqual([0, 3, 1, 4, 2, 5])
    expect(() => x.view(4, 2)).toThrow("shape '[4, 2]' is invalid for input of size 6")
    expect(x.view(2, 3).t().is_contiguous()).toBe(false)
    expect(x.split(4).map((p) => p.tolist())).toEqual([
      [0, 1, 2, 3],
      [4, 5],
    ])
    expect(x.chunk(3).length).toBe(3)
    expect(x.view(3, 2).shape).toEqual([3, 2])
    expect(String(x.view(3, 2).shape)).toBe('torch.Size([3, 2])')
    expect(x.view(3, 2).size(-1)).toBe(2)
  })

  it('indexing: ints, slices, None, ellipsis, masks, lists', () => {
    const x = torch.arange(12).view(3, 4)
    expect(list(x.index(1))).toEqual([4, 5, 6, 7])
    expect(list(x.index(':', 1))).toEqual([1, 5, 9])
    expect(list(x.index('1:', '::2'))).toEqual([
      [4, 6],
      [8, 10],
    ])
    expect(x.index(null).shape).toEqual([1, 3, 4])
    expect(list(x.index('...', -1))).toEqual([3, 7, 11])
    expect(list(x.index(x.gt(9)))).toEqual([10, 11])
    expect(list(x.index([0, 2], [1, 3]))).toEqual([1, 11])
    expect(list(x.index(':', [0, 3]))).toEqual([
      [0, 3],
      [4, 7],
      [8, 11],
    ])
    expect(list(x.index(torch.slice(null, null, -1 + 3)))).toEqual([
      [0, 1, 2, 3],
      [8, 9, 10, 11],
    ])
    expect(() => x.index(5)).toThrow('index 5 is out of bounds for dimension 0 with size 3')
    expect(list(x.index_select(1, torch.tensor([3, 0], { dtype: torch.int64 })))).toEqual([
      [3, 0],
      [7, 4],
      [11, 8],
    ])
    expect(list(x.gather(1, torch.tensor([[0], [1], [2]], { dtype: torch.int64 })))).toEqual([[0], [5], [10]])
  })

  it('gradients through indexing and joins', () => {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true })
    const y = torch.cat([x.index([0, 0]), x.index('1:').mul(2)])
    y.sum().backward()
    expect(list(x.grad)).toEqual([2, 2, 2])
  })

  it('cat and stack errors', () => {
    expect(() => torch.cat([torch.ones(2, 2), torch.ones(2, 3)])).toThrow(
      'Sizes of tensors must match except in dimension 0. Expected size 2 but got size 3 for tensor number 1 in the list.',
    )
    expect(() => torch.stack([torch.ones(2), torch.ones(3)])).toThrow(
      'stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1',
    )
  })
})

describe('one home per formula (the facade calls src/ops and adds promotion, names, messages)', () => {
  it('names the last mismatching dimension of a broadcast, as PyTorch’s infer_size', () => {
    // PyTorch 1.13: torch.ones(2, 3) + torch.ones(3, 4) and torch.ones(2, 3, 5) + torch.ones(4, 1)
    const msg = 'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1'
    expect(() => torch.ones(2, 3).add(torch.ones(3, 4))).toThrow(msg)
    expect(() => torch.ones(2, 3, 5).add(torch.ones(4, 1))).toThrow(msg)
    expect(() => torch.nn.functional.mse_loss(torch.ones(2, 3), torch.ones(3, 4))).toThrow(msg)
  })

  it('float-only ops promote ints to the default dtype, then agree with src/ops', () => {
    const i = torch.tensor([0, 1], { dtype: torch.int64 })
    for (const f of ['asin', 'acos', 'atan', 'sinh', 'cosh', 'tan', 'rsqrt'] as const) {
      const r = i[f]()
      expect(r.dtype).toBe(torch.float32)
      const x = torch.tensor([0, 1], { dtype: torch.float64 })
      const expected = {
        asin: Math.asin,
        acos: Math.acos,
        atan: Math.atan,
        sinh: Math.sinh,
        cosh: Math.cosh,
        tan: Math.tan,
        rsqrt: (v: number) => 1 / Math.sqrt(v),
      }[f]
      ;(x[f]().tolist() as number[]).forEach((v, k) => expect(v).toBeCloseTo(expected(k), 14))
    }
  })

  it('F.relu is Tensor.relu (one formula, one node, also in place)', () => {
    const x = torch.tensor([-1, 0, 2], { requires_grad: true })
    const a = torch.nn.functional.relu(x)
    expect(a.grad_fn?.name()).toBe('ReluBackward0')
    expect(a.tolist()).toEqual(x.relu().tolist())
    const b = x.mul(1)
    torch.nn.functional.relu(b, true)
    expect(b.tolist()).toEqual([0, 0, 2])
    expect(b._version).toBe(1)
  })
})
