// Expected values from PyTorch 1.13 (CPU), run by hand:
//   x = torch.ones(2, 3); x[1].data_ptr() - x.data_ptr() == 12; x.storage().size() == 6
//   a = torch.arange(6.).reshape(2, 3).t(); b = a * 2 → b.stride() == (1, 3),
//   b.storage().tolist() == [0, 2, 4, 6, 8, 10]; torch.empty(0).data_ptr() == 0
//   x.pin_memory() raises on a CPU-only build (PyTorch 2.x: "Cannot access accelerator device when
//   none is available."; 1.13 gave a NotImplementedError from the CUDA dispatcher)
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

describe('storage facts', () => {
  it('data_ptr: views of one storage differ by storage_offset · element_size', () => {
    const x = torch.ones(2, 3)
    expect(x.select(0, 1).data_ptr() - x.data_ptr()).toBe(12)
    const i = torch.arange(4)
    expect(i.narrow(0, 1, 2).data_ptr() - i.data_ptr()).toBe(8)
    expect(torch.empty(0).data_ptr()).toBe(0)
    expect(torch.ones(2).data_ptr()).not.toBe(torch.ones(2).data_ptr())
    expect(x.data_ptr() % 64).toBe(0)
  })

  it('storage(): size, element size, values in storage order, one deprecation warning', () => {
    const a = torch.arange(6, { dtype: torch.float32 }).reshape(2, 3).t()
    const b = a.mul(2)
    expect(b.stride()).toEqual([1, 3])
    const [s, caught] = torch.warnings.catch_warnings(() => {
      const first = b.storage()
      b.storage()
      return first
    })
    expect(s.tolist()).toEqual([0, 2, 4, 6, 8, 10])
    expect([s.size(), s.element_size(), s.nbytes()]).toEqual([6, 4, 24])
    expect(s.data_ptr()).toBe(b.data_ptr())
    expect(caught.length).toBeLessThanOrEqual(1)
    const v = torch.arange(4).narrow(0, 1, 2)
    expect(v.storage().size()).toBe(4)
    expect(v.untyped_storage().nbytes()).toBe(32)
    expect(v.untyped_storage().tolist().slice(8, 16)).toEqual([1, 0, 0, 0, 0, 0, 0, 0])
  })

  it('is_set_to compares storage, offset, sizes and strides', () => {
    const x = torch.zeros(2, 3)
    expect(x.is_set_to(x)).toBe(true)
    expect(x.select(0, 0).is_set_to(x)).toBe(false)
    expect(x.view(2, 3).is_set_to(x)).toBe(true)
    expect(torch.zeros(2, 3).is_set_to(x)).toBe(false)
  })

  it('pinning raises, sharing is remembered per storage', () => {
    const t = torch.ones(3)
    expect(t.is_pinned()).toBe(false)
    expect(() => t.pin_memory()).toThrow('Cannot access accelerator device when none is available.')
    expect(t.is_shared()).toBe(false)
    expect(t.share_memory_()).toBe(t)
    expect(t.narrow(0, 1, 2).is_shared()).toBe(true)
  })

  it('DataLoader(pin_memory=True) warns once per iteration and yields unpinned batches', () => {
    const ds = [torch.ones(2), torch.ones(2), torch.ones(2), torch.ones(2)]
    const loader = torch.utils.data.DataLoader(ds, { batch_size: 2, pin_memory: true })
    const [batches, caught] = torch.warnings.catch_warnings(() => [...loader])
    expect(batches.length).toBe(2)
    expect(caught.map((w) => w.message)).toEqual([
      "'pin_memory' argument is set as true but no accelerator is found, then device pinned memory won't be used.",
    ])
  })
})
