import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fx from '../fixtures/sparse_coo2.json'
import { expectClose } from '../ports/portHelpers'
import { errorOf as errOf } from '../../helpers/fixtureErrors'

// Sparse COO tensors, part 2, against PyTorch 1.13 (twin: test/torch/fixtures/sparse_coo2.py) and
// float64 finite differences: grad_fn names, dense ± sparse, sparse × sparse mm, sparse_mask.
const I = [
  [0, 1, 1, 0, 2],
  [2, 0, 2, 2, 1],
]
const V = [3.0, -4.0, 5.0, 1.5, 2.0]
const f64 = { dtype: torch.float64 }
const sp = (requires_grad = false): torch.Tensor => torch.sparse_coo_tensor(I, V, [3, 3], { ...f64, requires_grad })
const sp2 = (requires_grad = false): torch.Tensor =>
  torch.sparse_coo_tensor(
    [
      [0, 2, 1, 1],
      [1, 1, 0, 2],
    ],
    [2.0, -1.0, 0.5, 3.0],
    [3, 3],
    { ...f64, requires_grad },
  )
const dense = (): torch.Tensor =>
  torch.tensor(
    [
      [1.0, 2.0],
      [-3.0, 0.5],
      [0.25, 4.0],
    ],
    { ...f64, requires_grad: true },
  )
const square = (requires_grad = true): torch.Tensor => torch.arange(9, f64).reshape(3, 3).requires_grad_(requires_grad)
const W = torch.tensor(
  [
    [1.0, -2.0, 3.0],
    [0.5, 2.0, -1.0],
    [4.0, 1.0, -3.0],
  ],
  f64,
)

/** The grad_fn's name and every node's below it, depth first (the fixture's order). */
const names = (t: torch.Tensor): string[] => {
  const seen: string[] = []
  const stack = [t.grad_fn]
  while (stack.length > 0) {
    const f = stack.pop()
    if (f === null || f === undefined || seen.includes(f.name())) continue
    seen.push(f.name())
    for (const [g] of f.next_functions) stack.push(g)
  }
  return seen
}
const sparseOut = (s: torch.Tensor): { indices: number[][]; values: unknown; size: number[] } => {
  const t = s.detach()
  return { indices: t._indices().tolist() as number[][], values: t._values().tolist(), size: [...t.shape] }
}
/** A sparse result's entries in sorted order (1.13's sparse × sparse product lists them unsorted). */
const sorted = (o: { indices: number[][]; values: unknown; size: number[] }): typeof o => {
  const vals = o.values as number[]
  const k = vals
    .map((_, j) => j)
    .sort((x, y) => (o.indices[0]![x]! - o.indices[0]![y]!) * 1000 + o.indices[1]![x]! - o.indices[1]![y]!)
  return { indices: o.indices.map((r) => k.map((j) => r[j]!)), values: k.map((j) => vals[j]!), size: o.size }
}

describe('sparse COO tensors (part 2)', () => {
  it('name the nodes of sparse results and of their gradient path as PyTorch', () => {
    const got = {
      sparse_mm: names(torch.sparse.mm(sp(true), dense())),
      sparse_addmm: names(torch.sparse.addmm(square(), sp(true), dense().narrow(1, 0, 1).expand(3, 3))),
      mul_scalar: names(sp(true).mul(2)),
      coalesce: names(sp(true).coalesce()),
      to_dense: names(sp(true).to_dense()),
      t: names(sp(true).t()),
      add_sparse: names(sp(true).add(sp2(true))),
      add_dense_sparse: names(square().add(sp(true))),
      sub_dense_sparse: names(square().sub(sp(true))),
      sparse_sparse_mm: names(torch.sparse.mm(sp(true), sp2(true))),
      sparse_mask: names(square().sparse_mask(sp().coalesce())),
      sparse_sum_dim: names(torch.sparse.sum(sp(true), 0)),
      softmax: names(torch.sparse.softmax(sp(true), 1)),
      log_softmax: names(torch.sparse.log_softmax(sp(true), 1)),
    }
    expect(got).toEqual(fx.names)
  })

  it('dense + / − sparse: values and the dense gradient as PyTorch; the sparse leaf gets the output gradient on its pattern', () => {
    const forms: Record<string, (e: torch.Tensor, s: torch.Tensor) => torch.Tensor> = {
      add: (e, s) => e.add(s),
      add_alpha: (e, s) => torch.add(e, s, { alpha: 2 }),
      sub: (e, s) => e.sub(s),
      sub_alpha: (e, s) => torch.sub(e, s, { alpha: 0.5 }),
    }
    for (const [k, f] of Object.entries(forms)) {
      const e = square()
      const y = f(e, sp())
      y.mul(W).sum().backward()
      const want = fx[k as keyof typeof fx] as { y: number[][]; e_grad: number[][] }
      expectClose(y.tolist(), want.y, 1e-12, 1e-12)
      expectClose((e.grad as torch.Tensor).tolist(), want.e_grad, 0, 0)
    }
    const x = square(false).clone()
    x.add_(sp(), { alpha: 3 })
    expectClose(x.tolist(), fx.add_inplace, 1e-12, 1e-12)
    expect([
      String(torch.add(square(false).float(), sp()).dtype),
      String(torch.add(torch.ones(3, 3, { dtype: torch.int64 }), sp()).dtype),
    ]).toEqual(fx.add_promote)
    // the sparse leaf (1.13 refuses this backward): alpha · W at each coalesced entry, i.e. d/dv by maths
    const s = sp(true)
    torch.add(square(false), s, { alpha: -2 }).mul(W).sum().backward()
    const g = sparseOut(s.grad as torch.Tensor)
    expect(g.indices).toEqual([
      [0, 1, 1, 2],
      [2, 0, 2, 1],
    ])
    expect(g.values).toEqual([-6, -1, 2, -2])
  })

  it('torch.sparse.mm of two sparse matrices: a sparse product and sparse gradients on each pattern', () => {
    const [a, b] = [sp(true), sp2(true)]
    const y = torch.sparse.mm(a, b)
    y.to_dense().mul(W).sum().backward()
    expectClose(sparseOut(y), sorted(fx.ssmm.y), 1e-12, 1e-12)
    expect(y.is_coalesced()).toBe(fx.ssmm.coalesced)
    expectClose(sparseOut((a.grad as torch.Tensor).coalesce()), fx.ssmm.a_grad, 1e-12, 1e-12)
    expectClose(sparseOut((b.grad as torch.Tensor).coalesce()), fx.ssmm.b_grad, 1e-12, 1e-12)
  })

  it('dense.sparse_mask: the entries at the mask, the dense gradient at them', () => {
    const e = square()
    const y = e.sparse_mask(sp().coalesce())
    y.to_dense().mul(W).sum().backward()
    expectClose(sparseOut(y), fx.sparse_mask.y, 0, 0)
    expect(y.is_coalesced()).toBe(fx.sparse_mask.coalesced)
    expectClose((e.grad as torch.Tensor).tolist(), fx.sparse_mask.e_grad, 0, 0)
  })

  it('errors as PyTorch; smm/hspmm/sspaddmm refused by name', () => {
    expect(errOf(() => sp().add(square(false)))).toEqual(fx.errors.sparse_plus_dense)
    expect(errOf(() => torch.ones(2, 2, f64).add(sp()))).toEqual(fx.errors.add_size)
    expect(errOf(() => square().sparse_mask(sp()))).toEqual(fx.errors.mask_uncoalesced)
    const s22 = torch.sparse_coo_tensor([[0], [0]], [1.0], [2, 2], f64)
    expect(errOf(() => torch.sparse.mm(sp(), s22))).toEqual(fx.errors.ssmm_size)
    for (const [name, f] of [
      ['smm', () => torch.smm(sp(), dense())],
      ['hspmm', () => torch.hspmm(sp(), dense())],
      ['sspaddmm', () => torch.sspaddmm(sp(), sp(), dense())],
    ] as const) {
      expect(f).toThrow(torch.NotImplementedError)
      expect(f).toThrow(`'aten::${name}'`)
    }
  })
})
