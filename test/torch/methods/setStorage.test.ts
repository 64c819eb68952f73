/**
 * Tensor.set_ against PyTorch 1.13 (fixtures/set_storage.json, written by set_storage.py): each form's
 * values, strides, storage offset, is_set_to, version counters, and the autograd behaviour.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { typeName } from '../../helpers/nodeNames'

type Rec = Record<string, unknown>
const fx = JSON.parse(readFileSync(new URL('./fixtures/set_storage.json', import.meta.url), 'utf8')) as Record<
  string,
  Rec
> & {
  errors: Record<string, string>
}
const long = (v: number[]) => torch.tensor(v, { dtype: torch.int64 })

describe('Tensor.set_', () => {
  it('set_(source): shares the storage, keeps its own bumped counter', () => {
    // Arrange
    const a = torch.arange(6, { dtype: torch.float32 })
    const b = torch.zeros(2)
    // Act
    b.set_(a)
    // Assert
    expect({ value: b.tolist(), version: b._version, source_version: a._version, is_set_to: b.is_set_to(a) }).toEqual(
      fx.tensor,
    )
    expect(b.data_ptr()).toBe(a.data_ptr())
    b.index_fill_(0, long([0]), 100)
    expect({ source: a.tolist(), source_version: a._version, version: b._version }).toEqual(fx.write_through)
  })

  it('set_(view) takes its strides and offset', () => {
    const a = torch.arange(6, { dtype: torch.float32 })
    const v = a.view(3, 2).select(1, 1)
    const e = torch.zeros(3)
    e.set_(v)
    expect({ value: e.tolist(), stride: e.stride(), offset: e.storage_offset(), is_set_to: e.is_set_to(v) }).toEqual(
      fx.view_source,
    )
    a.fill_(7)
    expect(e.tolist()).toEqual([7, 7, 7])
  })

  it('set_(storage, offset, size, stride), set_(tensor, …), set_(storage), set_()', () => {
    const a = torch.arange(6, { dtype: torch.float32 })
    const d = torch.zeros(1)
    const geom = () => ({ value: d.tolist(), stride: d.stride(), offset: d.storage_offset(), version: d._version })
    d.set_(a.untyped_storage(), 1, [2, 2], [1, 2])
    expect(geom()).toEqual(fx.storage_window)
    d.set_(a, 2, [2], [2])
    expect(geom()).toEqual(fx.tensor_window)
    d.set_(a.untyped_storage())
    expect({ value: d.tolist(), version: d._version }).toEqual(fx.whole_storage)
    d.fill_(1)
    expect(a.tolist()).toEqual([1, 1, 1, 1, 1, 1])
    const c = torch.zeros(2)
    c.set_()
    expect({ shape: [...c.shape], version: c._version, dtype: String(c.dtype) }).toEqual(fx.empty)
    const k = torch.zeros(1)
    k.set_({ source: a, storage_offset: 1, size: [2], stride: [1] })
    expect(k.tolist()).toEqual([1, 1])
  })

  it('refuses leaves requiring grad, mismatched dtypes and bad geometry', () => {
    const e = fx.errors
    expect(() => torch.zeros(3, { requires_grad: true }).set_(torch.ones(2))).toThrow(e.leaf!)
    expect(() => torch.zeros(2).set_(torch.zeros(2, { dtype: torch.int64 }))).toThrow(
      'Could not set tensor of type long int to a tensor of type float',
    )
    expect(() => torch.zeros(1).set_(torch.zeros(2, { dtype: torch.int64 }).untyped_storage())).toThrow(
      torch.NotImplementedError,
    )
    const a = torch.arange(6, { dtype: torch.float32 })
    expect(() => torch.zeros(1).set_(a.untyped_storage(), 0, [2], [1, 2])).toThrow(e.stride_len!)
    expect(() => torch.zeros(1).set_(a.untyped_storage(), 5, [2, 2], [1, 2])).toThrow(/^setStorage: sizes \[2, 2\]/)
  })

  it('gives a result requiring grad the NotImplemented grad_fn; under no_grad a leaf stays a leaf', () => {
    const y = torch.zeros(3, { requires_grad: true }).mul(2)
    y.set_(torch.ones(2))
    expect({ grad_fn: typeName(y.grad_fn), requires_grad: y.requires_grad, value: y.tolist() }).toEqual(fx.nonleaf)
    expect(() => y.sum().backward()).toThrow(fx.errors.backward!)
    const z = torch.zeros(3)
    z.set_(torch.ones(3, { requires_grad: true }))
    expect({ grad_fn: typeName(z.grad_fn), requires_grad: z.requires_grad, is_leaf: z.is_leaf }).toEqual(
      fx.source_requires_grad,
    )
    const w = torch.zeros(2, { requires_grad: true })
    torch.no_grad(() => w.set_(torch.ones(3)))
    expect({ value: w.tolist(), requires_grad: w.requires_grad, is_leaf: w.is_leaf, version: w._version }).toEqual(
      fx.leaf_no_grad,
    )
  })
})
