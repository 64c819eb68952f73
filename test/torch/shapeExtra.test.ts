/**
 * movedim, swapdims, broadcast_to, fliplr/flipud, rot90, ravel, tensor_split and h/v/dsplit,
 * argwhere, atleast_nd, dstack, column_stack, broadcast_tensors: values from their definitions
 * (index arithmetic on small arange tensors), node names as PyTorch 1.13 records them
 * (PermuteBackward0, TransposeBackward0, ExpandBackward0, FlipBackward0, Rot90Backward0,
 * SliceBackward0, UnsqueezeBackward0, CatBackward0), and gradients of Σ out·W routed back to
 * where each element came from.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const x = (): torch.Tensor => torch.arange(12, { dtype: torch.float64 }).reshape(3, 4).requires_grad_()

describe('shape extras', () => {
  it('movedim / moveaxis / swapdims are permutes with PyTorch nodes', () => {
    const a = torch.arange(24).reshape(2, 3, 4)
    expect([...torch.movedim(a, 0, 2).shape]).toEqual([3, 4, 2])
    expect([...torch.movedim(a, [0, 1], [2, 0]).shape]).toEqual([3, 4, 2])
    expect(torch.movedim(a, 0, 2).tolist()).toEqual(a.permute(1, 2, 0).tolist())
    expect([...torch.moveaxis(a, -1, 0).shape]).toEqual([4, 2, 3])
    const t = x()
    expect(t.movedim(0, 1).grad_fn?.name()).toBe('PermuteBackward0')
    expect(t.swapdims(0, 1).grad_fn?.name()).toBe('TransposeBackward0')
    expect(() => a.movedim([0, 0], [1, 2])).toThrow(/repeated dim in `source`/)
  })
  it('broadcast_to, broadcast_tensors', () => {
    const v = torch.tensor([1, 2, 3], { dtype: torch.float64, requires_grad: true })
    const b = torch.broadcast_to(v, [2, 3])
    expect(b.tolist()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ])
    expect(b.grad_fn?.name()).toBe('ExpandBackward0')
    b.sum().backward()
    expect(v.grad?.tolist()).toEqual([2, 2, 2])
    const [p, q] = torch.broadcast_tensors(torch.ones(2, 1), torch.zeros(3))
    expect([...p!.shape, ...q!.shape]).toEqual([2, 3, 2, 3])
  })
  it('fliplr, flipud, rot90 (k = 1, 2, 3, −1) from index arithmetic', () => {
    const t = x()
    const v = t.tolist() as number[][]
    expect(t.fliplr().tolist()).toEqual(v.map((r) => [...r].reverse()))
    expect(t.flipud().tolist()).toEqual([...v].reverse())
    expect(t.fliplr().grad_fn?.name()).toBe('FlipBackward0')
    // rot90 k=1 (dims 0→1): out[i][j] = x[j][n−1−i]
    const r1 = v[0]!.map((_, i) => v.map((row) => row[v[0]!.length - 1 - i]!))
    expect(t.rot90().tolist()).toEqual(r1)
    expect(t.rot90(2).tolist()).toEqual([...v].reverse().map((r) => [...r].reverse()))
    const r3 = v[0]!.map((_, i) => v.map((__, j) => v[v.length - 1 - j]![i]!))
    expect(t.rot90(3).tolist()).toEqual(r3)
    expect(t.rot90(-1).tolist()).toEqual(r3)
    expect(t.rot90(1, [1, 0]).tolist()).toEqual(r3)
    const y = t.rot90()
    expect(y.grad_fn?.name()).toBe('Rot90Backward0')
    // gradient of Σ y·W is W rotated back
    const w = torch.arange(12, { dtype: torch.float64 }).reshape(4, 3).mul(0.5)
    y.mul(w).sum().backward()
    expect(t.grad?.tolist()).toEqual(w.rot90(-1).tolist())
    expect(() => torch.ones(3).rot90()).toThrow(/expected total dims >= 2/)
  })
  it('tensor_split, hsplit, vsplit, dsplit, ravel, argwhere', () => {
    const a = torch.arange(7)
    expect(torch.tensor_split(a, 3).map((p) => p.tolist())).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6],
    ])
    expect(torch.tensor_split(a, [1, 5]).map((p) => p.tolist())).toEqual([[0], [1, 2, 3, 4], [5, 6]])
    expect(torch.tensor_split(a, [-2, 9]).map((p) => p.tolist())).toEqual([[0, 1, 2, 3, 4], [5, 6], []])
    const t = x()
    const [l, r] = torch.hsplit(t, 2)
    expect(l!.tolist()).toEqual([
      [0, 1],
      [4, 5],
      [8, 9],
    ])
    expect(r!.grad_fn?.name()).toBe('SliceBackward0')
    expect(torch.vsplit(t, [1])[1]!.tolist()).toEqual([
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ])
    expect(() => torch.hsplit(t, 3)).toThrow(/not divisible by the split_size 3/)
    expect(torch.dsplit(torch.arange(8).reshape(1, 2, 4), 2)[1]!.tolist()).toEqual([
      [
        [2, 3],
        [6, 7],
      ],
    ])
    expect(t.ravel().tolist()).toEqual([...Array(12).keys()])
    expect(
      torch
        .argwhere(
          torch.tensor([
            [0, 1],
            [2, 0],
          ]),
        )
        .tolist(),
    ).toEqual([
      [0, 1],
      [1, 0],
    ])
  })
  it('atleast_nd, dstack, column_stack', () => {
    expect([...torch.atleast_1d(torch.tensor(1)).shape]).toEqual([1])
    expect([...torch.atleast_2d(torch.ones(3)).shape]).toEqual([1, 3])
    expect([...torch.atleast_3d(torch.ones(3)).shape]).toEqual([1, 3, 1])
    expect([...torch.atleast_3d(torch.tensor(2)).shape]).toEqual([1, 1, 1])
    const t = x()
    const d = torch.dstack([t, t.mul(2)])
    expect([...d.shape]).toEqual([3, 4, 2])
    expect(d.grad_fn?.name()).toBe('CatBackward0')
    expect((d.tolist() as number[][][])[1]![2]).toEqual([6, 12])
    expect(
      torch
        .column_stack([
          torch.tensor([1, 2]),
          torch.tensor([
            [3, 4],
            [5, 6],
          ]),
        ])
        .tolist(),
    ).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ])
  })
})
