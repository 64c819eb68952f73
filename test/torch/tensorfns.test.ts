/**
 * Tensor and torch functions real models use, against real PyTorch 1.13
 * (test/fixtures/torch/tensorfns/tensorfns.py): forward values, grad_fn names and gradients of
 * (out · w).sum() for the addmm family, einsum, masked_fill broadcasting, repeat_interleave,
 * flatten/unflatten, split/chunk by sizes; the new_* family's dtypes; PyTorch's error texts.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

interface Case {
  name: string
  shape: number[]
  out: number[]
  grads: Array<number[] | null>
  grad_fn: string | null
}
interface Fixture {
  cases: Case[]
  errors: Record<string, [string, string] | null>
  misc: Record<string, unknown>
}
const F = JSON.parse(
  readFileSync(new URL('../fixtures/torch/tensorfns/tensorfns.json', import.meta.url), 'utf8'),
) as Fixture
const D = { dtype: torch.float64 }
const flat = (t: torch.Tensor): number[] => (t.reshape(-1).tolist() as number[]).map(Number)
const close = (got: number[], want: number[]): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i] as number, 10))
}
/** sin(arange(numel) + seed).reshape(shape), float64, requiring grad (the script's `inp`). */
const inp = (shape: number[], seed: number): torch.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1)
  return torch.arange(n, D).add(seed).sin().reshape(shape).detach().requires_grad_()
}
/** Nodes PyTorch 2.x renamed since 1.13 (the facade follows 2.x). */
const renamed: Record<string, string> = { ReshapeAliasBackward0: 'ViewBackward0' }
/** einsum contractions whose last node differs from PyTorch's (values and gradients are equal). */
const einsumNodeDiffers = ['einsum_ellipsis_bcast']
const T = torch.tensor

type Fn = (...xs: torch.Tensor[]) => torch.Tensor
const impls: Record<string, [number[][], Fn]> = {
  addmm: [[[3], [2, 4], [4, 3]], (s, a, b) => torch.addmm(s!, a!, b!)],
  addmm_beta_alpha: [
    [
      [2, 3],
      [2, 4],
      [4, 3],
    ],
    (s, a, b) => torch.addmm(s!, a!, b!, { beta: 0.5, alpha: -2 }),
  ],
  addmm_beta0: [
    [
      [2, 1],
      [2, 4],
      [4, 3],
    ],
    (s, a, b) => torch.addmm(s!, a!, b!, { beta: 0, alpha: 3 }),
  ],
  addmv: [[[3], [3, 4], [4]], (s, a, b) => torch.addmv(s!, a!, b!, { beta: 2, alpha: 0.5 })],
  addr: [[[3, 1], [3], [2]], (s, a, b) => torch.addr(s!, a!, b!, { beta: -1, alpha: 2 })],
  baddbmm: [
    [
      [3, 1],
      [2, 3, 4],
      [2, 4, 5],
    ],
    (s, a, b) => torch.baddbmm(s!, a!, b!, { beta: 0.25, alpha: 1.5 }),
  ],
  addbmm: [
    [
      [2, 5],
      [3, 2, 4],
      [3, 4, 5],
    ],
    (s, a, b) => s!.addbmm(a!, b!, { beta: 2, alpha: 0.5 }),
  ],
  einsum_matmul: [
    [
      [2, 3],
      [3, 4],
    ],
    (a, b) => torch.einsum('ij,jk->ik', a!, b!),
  ],
  einsum_batch: [
    [
      [2, 3, 4],
      [2, 4, 5],
    ],
    (a, b) => torch.einsum('bij,bjk->bik', a!, b!),
  ],
  einsum_trace: [[[3, 3]], (a) => torch.einsum('ii', a!)],
  einsum_diag: [[[3, 3]], (a) => torch.einsum('ii->i', a!)],
  einsum_implicit: [
    [
      [2, 3],
      [3, 4],
    ],
    (a, b) => torch.einsum('ij,jk', a!, b!),
  ],
  einsum_implicit_t: [[[2, 3]], (a) => torch.einsum('ji', a!)],
  einsum_ellipsis: [
    [
      [2, 5, 3, 4],
      [4, 6],
    ],
    (a, b) => torch.einsum('...ij,jk->...ik', a!, b!),
  ],
  einsum_ellipsis_bcast: [
    [
      [2, 1, 3],
      [4, 3],
    ],
    (a, b) => torch.einsum('...j,...j->...', a!, b!),
  ],
  einsum_outer: [[[3], [2]], (a, b) => torch.einsum('i,j->ij', a!, b!)],
  einsum_three: [
    [
      [2, 3],
      [3, 4],
      [4, 2],
    ],
    (a, b, c) => torch.einsum('ij,jk,kl->il', a!, b!, c!),
  ],
  einsum_sum_free: [
    [
      [2, 3],
      [3, 4],
    ],
    (a, b) => torch.einsum('ij,jk->k', a!, b!),
  ],
  einsum_bilinear: [
    [
      [2, 3],
      [5, 3, 4],
      [2, 4],
    ],
    (a, b, c) => torch.einsum('bn,anm,bm->ba', a!, b!, c!),
  ],
  einsum_diag3: [[[2, 2, 2]], (a) => torch.einsum('iij->ij', a!)],
  einsum_list_ops: [[[2, 3], [3]], (a, b) => torch.einsum('ij,j->i', [a!, b!])],
  masked_fill_bcast: [[[2, 3]], (a) => a!.masked_fill(T([true, false, true]), 5)],
  masked_fill_grow: [
    [[3]],
    (a) =>
      a!.masked_fill(
        T([
          [true, false, true],
          [false, true, false],
        ]),
        -1,
      ),
  ],
  repeat_interleave_int: [[[2, 3]], (a) => a!.repeat_interleave(2, { dim: 1 })],
  repeat_interleave_flat: [[[2, 2]], (a) => a!.repeat_interleave(3)],
  repeat_interleave_tensor: [
    [[3, 2]],
    (a) => torch.repeat_interleave(a!, T([1, 0, 2], { dtype: torch.int64 }), { dim: 0 }),
  ],
  flatten_mid: [[[2, 3, 4, 5]], (a) => a!.flatten(1, 2)],
  unflatten: [[[2, 12]], (a) => a!.unflatten(1, [3, -1])],
  split_sizes: [[[6, 2]], (a) => torch.split(a!, [1, 2, 3])[2]!],
  chunk_uneven: [[[5, 2]], (a) => a!.chunk(3)[2]!],
}

describe('against PyTorch 1.13: values, grad_fn names, gradients', () => {
  for (const c of F.cases) {
    const impl = impls[c.name]
    if (impl === undefined) continue
    it(c.name, () => {
      const [shapes, f] = impl
      const xs = shapes.map((s, i) => inp(s, i + 1))
      const out = f(...xs)
      expect([...out.shape]).toEqual(c.shape)
      close(flat(out), c.out)
      if (!einsumNodeDiffers.includes(c.name))
        expect(out.grad_fn?.name() ?? null).toBe(renamed[c.grad_fn ?? ''] ?? c.grad_fn)
      const w = torch
        .arange(out.numel(), D)
        .cos()
        .reshape([...out.shape])
      out.mul(w).sum().backward()
      xs.forEach((x, i) => {
        const g = c.grads[i]
        if (g === null || g === undefined) expect(x.grad).toBeNull()
        else close(flat(x.grad!), g)
      })
    })
  }
})

const R = (...s: number[]): torch.Tensor => torch.randn(...s)
const errs: Record<string, () => unknown> = {
  addmm_mat1: () => torch.addmm(R(3), R(3), R(3, 2)),
  addmm_shapes: () => torch.addmm(R(3), R(2, 3), R(2, 3)),
  addmm_expand: () => torch.addmm(R(4), R(2, 3), R(3, 3)),
  addmv_mismatch: () => torch.addmv(R(3), R(3, 2), R(3)),
  baddbmm_3d: () => torch.baddbmm(R(3), R(2, 3), R(2, 3, 3)),
  baddbmm_sizes: () => torch.baddbmm(R(3), R(2, 3, 2), R(2, 3, 3)),
  addbmm_sizes: () => torch.addbmm(R(3), R(2, 3, 2), R(2, 3, 3)),
  addr_1d: () => torch.addr(R(3), R(3, 2), R(3)),
  einsum_operands: () => torch.einsum('ij,jk->ik', R(2, 3)),
  einsum_rank: () => torch.einsum('ij->i', R(2, 3, 4)),
  einsum_size: () => torch.einsum('ij,jk->ik', R(2, 3), R(4, 5)),
  einsum_out_unknown: () => torch.einsum('ij->k', R(2, 3)),
  einsum_out_repeat: () => torch.einsum('ij->ii', R(2, 3)),
  repeat_interleave_len: () => R(3).repeat_interleave(T([1, 2], { dtype: torch.int64 })),
  masked_fill_inplace_grow: () => R(3).masked_fill_(torch.ones(2, 3, { dtype: torch.bool }), 1),
}

/** 1.13's message in PyTorch 2.x's words (the facade follows 2.x): mv/addmv's size mismatch names the operands. */
const as2x = (m: string): string =>
  m.replace(/^size mismatch, got (\d+), (\d+)x(\d+),(\d+)$/, 'size mismatch, got input ($1), mat ($2x$3), vec ($4)')

describe("PyTorch's error messages", () => {
  for (const [name, f] of Object.entries(errs)) {
    it(name, () => {
      const [cls, msg] = F.errors[name]!
      const want = [cls, as2x(msg)]
      expect(f).toThrow(want[1])
      try {
        f()
      } catch (e) {
        expect((e as Error).message).toBe(want[1])
      }
    })
  }
})

describe('new_* family and *_like dtypes', () => {
  const x = torch.zeros(2, D)
  const li = torch.zeros(2, { dtype: torch.int64 })
  it('inherits the dtype unless given', () => {
    expect(String(x.new_zeros(2, 3).dtype)).toBe(F.misc.new_zeros)
    expect(String(x.new_ones([2], { dtype: torch.int64 }).dtype)).toBe(F.misc.new_ones_kw)
    expect(li.new_full([2], 3.7).tolist()).toEqual(F.misc.new_full_long)
    const nt = li.new_tensor([1.5, 2.5])
    expect([String(nt.dtype), nt.tolist()]).toEqual(F.misc.new_tensor)
    expect([...x.new_empty(3, 1).shape]).toEqual(F.misc.new_empty)
    expect(String(torch.zeros_like(x, { dtype: torch.int64 }).dtype)).toBe(F.misc.zeros_like_dtype)
  })
  it('makes leaves: requires_grad only when asked, no link to self', () => {
    const p = torch.ones(2, { requires_grad: true })
    expect(p.new_zeros(2).requires_grad).toBe(false)
    const q = p.new_ones(3, { requires_grad: true })
    expect(q.requires_grad).toBe(true)
    expect(q.grad_fn).toBeNull()
  })
  it('rejects unknown keywords and integer requires_grad', () => {
    const x = torch.zeros(2)
    expect(() => x.new_zeros(2, { dtyp: torch.int64 } as never)).toThrow(/dtyp/)
    expect(() => x.new_zeros(2, { dtype: torch.int64, requires_grad: true })).toThrow(
      'Only Tensors of floating point and complex dtype can require gradients',
    )
  })
})

describe('torch.where(cond), meshgrid, repeat_interleave forms', () => {
  it('where(cond) gives int64 index tensors per dimension', () => {
    const r = torch.where(
      T([
        [1, 0],
        [0, 2],
      ]),
    )
    expect(r.map((t) => t.tolist())).toEqual(F.misc.where_cond)
    expect(r.every((t) => t.dtype === torch.int64)).toBe(true)
  })
  it('meshgrid ij/xy equal PyTorch; omitted indexing warns', () => {
    const a = T([1, 2, 3], { dtype: torch.int64 })
    const b = T([4, 5], { dtype: torch.int64 })
    expect(torch.meshgrid(a, b, { indexing: 'xy' }).map((t) => t.tolist())).toEqual(F.misc.meshgrid_xy)
    expect(torch.meshgrid([a, b], { indexing: 'ij' }).map((t) => t.tolist())).toEqual(F.misc.meshgrid_ij)
    const [grids, ws] = torch.warnings.catch_warnings(() => torch.meshgrid(a, b))
    expect(grids.map((t) => t.tolist())).toEqual(F.misc.meshgrid_ij)
    expect(ws.map((w) => w.message)).toEqual([
      'torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.',
    ])
    expect(() => torch.meshgrid(a, { indexing: 'foo' as 'ij' })).toThrow(
      'torch.meshgrid: indexing must be one of "xy" or "ij", but received: foo',
    )
  })
  it('meshgrid gradients flow back through the expands', () => {
    const x = torch.tensor([1, 2], { requires_grad: true })
    const [g] = torch.meshgrid(x, torch.ones(3), { indexing: 'ij' })
    expect(g!.grad_fn?.name()).toBe('ExpandBackward0')
    g!.sum().backward()
    expect(x.grad!.tolist()).toEqual([3, 3])
  })
  it('repeat_interleave: one-argument form, output_size, negative repeats', () => {
    const r = T([1, 2, 0, 3], { dtype: torch.int64 })
    expect(torch.repeat_interleave(r).tolist()).toEqual([0, 1, 1, 3, 3, 3])
    expect(() => T([1, 2]).repeat_interleave(T([1, 2], { dtype: torch.int64 }), { output_size: 5 })).toThrow(
      'allocated size does not match required size',
    )
    expect(() => T([1, 2]).repeat_interleave(-1)).toThrow('repeats can not be negative')
    expect(
      T([1, 2])
        .repeat_interleave(T([3], { dtype: torch.int64 }))
        .tolist(),
    ).toEqual([1, 1, 1, 2, 2, 2])
  })
})

describe('shape and *_like messages as PyTorch 1.13', () => {
  it('unflatten, chunk, rand_like/randn_like of integer dtypes', () => {
    expect(() => torch.arange(6).unflatten(0, [4, -1])).toThrow(
      "unflatten: Provided sizes [4, -1] don't multiply up to the size of dim 0 (6) in the input tensor",
    )
    expect(() => torch.arange(6).unflatten(0, [4, 2])).toThrow(
      "unflatten: Provided sizes [4, 2] don't multiply up to the size of dim 0 (6) in the input tensor",
    )
    expect(() => torch.arange(6).chunk(0)).toThrow('chunk expects `chunks` to be greater than 0, got: 0')
    expect(() => torch.rand_like(torch.zeros(2, { dtype: torch.int64 }))).toThrow(
      `"check_uniform_bounds" not implemented for 'Long'`,
    )
    expect(() => torch.randn_like(torch.zeros(2, { dtype: torch.int32 }))).toThrow(
      `"normal_kernel_cpu" not implemented for 'Int'`,
    )
    expect(torch.randn_like(torch.zeros(2, { dtype: torch.int64 }), { dtype: torch.float64 }).dtype).toBe(torch.float64)
  })
})
