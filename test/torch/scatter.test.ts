/**
 * The facade's scatter family against real PyTorch 1.13 (test/fixtures/torch/scatter.py):
 * forward values, grad_fn names and gradients of (out · w).sum() for scatter, scatter_add,
 * scatter_reduce (every reduce, include_self both ways, ties), index_add/copy/fill,
 * masked_scatter, take_along_dim, bincount; in-place forms; PyTorch's error texts.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

interface Case {
  name: string
  x: number[]
  xShape: number[]
  src: number[] | null
  srcShape: number[] | null
  out: number[]
  outShape: number[]
  w: number[]
  gradFn: string
  gx: number[]
  gs: number[] | null
  dim?: number
  index?: number[] | number[][]
  reduce?: 'sum' | 'prod' | 'mean' | 'amax' | 'amin'
  includeSelf?: boolean
  alpha?: number
  mask?: boolean[]
}
const F = JSON.parse(readFileSync(new URL('../fixtures/torch/scatter.json', import.meta.url), 'utf8')) as {
  cases: Case[]
  bincount: { input: number[]; weights: number[]; plain: number[]; minlength: number[]; weighted: number[] }
}
const D = { dtype: torch.float64 }
const L = { dtype: torch.int64 }
const flat = (t: torch.Tensor): number[] => (t.reshape(-1).tolist() as number[]).map(Number)
const close = (got: number[], want: number[]): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i] as number, 10))
}

const apply = (c: Case, x: torch.Tensor, s: torch.Tensor | null): torch.Tensor => {
  const idx = torch.tensor(c.index ?? [], L)
  const d = c.dim ?? 0
  switch (c.name) {
    case 'scatter':
      return x.scatter(d, idx, s as torch.Tensor)
    case 'scatter_value':
      return x.scatter(d, idx, 1.5)
    case 'scatter_add':
      return torch.scatter_add(x, d, idx, s as torch.Tensor)
    case 'scatter_reduce':
      return torch.scatter_reduce(x, d, idx, s as torch.Tensor, c.reduce ?? 'sum', {
        include_self: c.includeSelf ?? true,
      })
    case 'index_add':
      return torch.index_add(x, d, idx, s as torch.Tensor, { alpha: c.alpha ?? 1 })
    case 'index_copy':
      return torch.index_copy(x, d, idx, s as torch.Tensor)
    case 'index_fill':
      return torch.index_fill(x, d, idx, 2.5)
    case 'masked_scatter':
      return x.masked_scatter(torch.tensor(c.mask ?? []), s as torch.Tensor)
    default:
      return torch.take_along_dim(x, idx, d)
  }
}

describe('scatter family against PyTorch 1.13', () => {
  F.cases.forEach((c, k) => {
    const tag = `${k}: ${c.name}${c.reduce ? ` ${c.reduce} include_self=${c.includeSelf}` : ''}`
    it(tag, () => {
      const x = torch.tensor(c.x, D).reshape(c.xShape).requires_grad_()
      const s =
        c.src === null
          ? null
          : torch
              .tensor(c.src, D)
              .reshape(c.srcShape ?? [])
              .requires_grad_()
      const out = apply(c, x, s)
      expect(out.shape).toEqual(c.outShape)
      close(flat(out), c.out)
      expect(out.grad_fn?.name()).toBe(c.gradFn)
      out.mul(torch.tensor(c.w, D).reshape(c.outShape)).sum().backward()
      close(flat(x.grad as torch.Tensor), c.gx)
      if (s !== null && c.gs !== null) close(flat(s.grad as torch.Tensor), c.gs)
    })
  })
  it('bincount', () => {
    const b = F.bincount
    const x = torch.tensor(b.input, L)
    expect(flat(torch.bincount(x))).toEqual(b.plain)
    expect(torch.bincount(x).dtype).toBe(torch.int64)
    expect(flat(x.bincount(null, 8))).toEqual(b.minlength)
    close(flat(torch.bincount(x, torch.tensor(b.weights, D))), b.weighted)
  })
})

describe('in-place forms', () => {
  it('scatter_, scatter_add_, scatter_reduce_, index_add_, index_copy_, index_fill_, masked_scatter_ equal the out-of-place ones', () => {
    const x = torch.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      D,
    )
    const i = torch.tensor([[1, 0]], L)
    const s = torch.tensor([[10, 20]], D)
    expect(x.clone().scatter_(0, i, s).tolist()).toEqual(x.scatter(0, i, s).tolist())
    expect(x.clone().scatter_add_(0, i, s).tolist()).toEqual([
      [1, 22],
      [13, 4],
    ])
    expect(x.clone().scatter_reduce_(0, i, s, 'amax').tolist()).toEqual([
      [1, 20],
      [10, 4],
    ])
    expect(
      x
        .clone()
        .index_add_(1, torch.tensor([1], L), torch.tensor([[1], [1]], D))
        .tolist(),
    ).toEqual([
      [1, 3],
      [3, 5],
    ])
    expect(
      x
        .clone()
        .index_copy_(0, torch.tensor([1], L), s)
        .tolist(),
    ).toEqual([
      [1, 2],
      [10, 20],
    ])
    expect(
      x
        .clone()
        .index_fill_(1, torch.tensor([0], L), -1)
        .tolist(),
    ).toEqual([
      [-1, 2],
      [-1, 4],
    ])
    expect(
      x
        .clone()
        .masked_scatter_(torch.tensor([true, false]), s)
        .tolist(),
    ).toEqual([
      [10, 2],
      [20, 4],
    ])
  })
  it('records the node of the op on the written tensor', () => {
    const a = torch.tensor([1, 2, 3], { dtype: torch.float64, requires_grad: true })
    const y = a.mul(1).scatter_add_(0, torch.tensor([0, 0], L), torch.tensor([1, 1], D))
    expect(y.grad_fn?.name()).toBe('ScatterAddBackward0')
  })
})

describe('errors (PyTorch texts)', () => {
  const x = torch.zeros([3, 4])
  const i = torch.tensor([[0, 1, 2, 0]], L)
  const s = torch.ones([2, 4])
  it('index dtype, rank, size and range', () => {
    expect(() => x.scatter(0, i.float(), s)).toThrow('scatter(): Expected dtype int64 for index')
    expect(() => x.scatter_add(0, i.int(), s)).toThrow('scatter(): Expected dtype int64 for index')
    expect(() => x.scatter(0, torch.tensor([0, 1], L), s)).toThrow(
      'Index tensor must have the same number of dimensions as self tensor',
    )
    expect(() => x.scatter(0, torch.tensor([[5, 1, 2, 0]], L), s)).toThrow(
      'index 5 is out of bounds for dimension 0 with size 3',
    )
    expect(() => x.scatter(0, torch.zeros([3, 5], L), s)).toThrow(
      'Expected index [3, 5] to be smaller than self [3, 4] apart from dimension 0 and to be smaller size than src [2, 4]',
    )
    expect(() => x.scatter(0, i, s.double())).toThrow('scatter(): Expected self.dtype to be equal to src.dtype')
    expect(() => x.scatter_reduce(0, i, s, 'max' as never)).toThrow(
      'reduce argument must be either sum, prod, mean, amax or amin.',
    )
  })
  it('index_* ops', () => {
    expect(() => x.index_add(0, torch.tensor([0, 2]), s)).toThrow(
      'index_add_(): Expected dtype int32/int64 for index but got: Float',
    )
    expect(() => x.index_add(0, torch.tensor([0, 5], L), s)).toThrow('index out of range in self')
    expect(() => x.index_add(0, torch.tensor([0, 1, 2], L), s)).toThrow(
      'index_add_(): Number of indices (3) should be equal to source.size(dim): (2), for dim: 0',
    )
    expect(() => x.index_copy(0, torch.tensor([0, 5], L), s)).toThrow(
      'index_copy_(): index 5 is out of bounds for dimension 0 with size 3',
    )
    expect(() => x.index_copy(0, torch.tensor([0, 1]), s)).toThrow(
      'index_copy_(): Expected a long tensor for index, but got Float',
    )
    expect(() => x.index_fill(0, torch.tensor([0, 1]), 1)).toThrow('index_fill_(): Expected dtype int64 for index.')
    expect(() => x.index_fill(0, torch.tensor([0], L), torch.ones([2]))).toThrow(
      'index_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).',
    )
  })
  it('bincount, take_along_dim, masked_scatter', () => {
    expect(() => torch.bincount(torch.tensor([0, 1]))).toThrow(`"bincount_cpu" not implemented for 'Float'`)
    expect(() => torch.bincount(torch.tensor([-1, 1], L))).toThrow(
      'bincount only supports 1-d non-negative integral inputs.',
    )
    expect(() => torch.bincount(torch.tensor([1, 1], L), torch.ones([3]))).toThrow(
      'weights should be 1-d and have the same length as input',
    )
    expect(() => torch.take_along_dim(x, i.float(), 0)).toThrow(
      'torch.take_along_dim(): dtype of indices should be Long but got Float',
    )
    expect(() => x.masked_scatter(torch.ones([3, 4], { dtype: torch.bool }), torch.ones([5]))).toThrow(
      'Number of elements of source < number of ones in mask',
    )
  })
})

describe('second order', () => {
  it('gradcheck and gradgradcheck through scatter_reduce (amax, mean) and index_add', () => {
    const x = torch.tensor(
      [
        [0.3, -1.2, 2.0],
        [1.1, 0.4, -0.7],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const s = torch.tensor([[0.9, 0.1, -0.5]], { dtype: torch.float64, requires_grad: true })
    const i = torch.tensor([[1, 0, 1]], L)
    const f = (a: torch.Tensor, b: torch.Tensor): torch.Tensor =>
      a.scatter_reduce(0, i, b, 'amax').mul(a.scatter_reduce(0, i, b, 'mean'))
    expect(torch.autograd.gradcheck(f, [x, s])).toBe(true)
    expect(torch.autograd.gradgradcheck(f, [x, s])).toBe(true)
    const g = (a: torch.Tensor, b: torch.Tensor): torch.Tensor => a.index_add(1, torch.tensor([2], L), b.t()).pow(2)
    expect(
      torch.autograd.gradgradcheck(g, [x, torch.tensor([[0.5, 1.5]], { dtype: torch.float64, requires_grad: true })]),
    ).toBe(true)
  })
})
