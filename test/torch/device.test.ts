/**
 * Devices on a CPU-only build, as PyTorch 1.13 without CUDA behaves: the device boilerplate runs,
 * CUDA raises `AssertionError: Torch not compiled with CUDA enabled`, `.to` converts dtypes.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

describe('torch.device', () => {
  it('parses type and index and prints as PyTorch', () => {
    expect(String(torch.device('cpu'))).toBe('cpu')
    expect(String(torch.device('cuda:0'))).toBe('cuda:0')
    expect(torch.device('cuda', 1).index).toBe(1)
    expect(new torch.device('cpu').__repr__()).toBe("device(type='cpu')")
    expect(torch.device(torch.device('mps')).type).toBe('mps')
    expect(() => torch.device('gpu')).toThrow(torch.RuntimeError)
    expect(() => torch.device('cuda:0', 1)).toThrow(/must not include an index/)
  })
  it('cuda and backends report nothing available', () => {
    expect(torch.cuda.is_available()).toBe(false)
    expect(torch.cuda.device_count()).toBe(0)
    expect(torch.backends.mps.is_available()).toBe(false)
    expect(() => torch.cuda.synchronize()).toThrow(torch.AssertionError)
  })
})

describe('Tensor.to / cpu / cuda', () => {
  it('device is the CPU; to(device) keeps the tensor, to(dtype) converts', () => {
    const x = torch.tensor([1, 2])
    expect(x.device.type).toBe('cpu')
    expect(String(x.device)).toBe('cpu')
    expect(x.to('cpu')).toBe(x)
    expect(x.to(torch.device('cpu'))).toBe(x)
    expect(x.cpu()).toBe(x)
    expect(x.to(torch.float64).dtype).toBe(torch.float64)
    expect(x.to('cpu', torch.float64).dtype).toBe(torch.float64)
    expect(x.to({ device: 'cpu', dtype: torch.float64 }).dtype).toBe(torch.float64)
    expect(x.to(torch.tensor([1], { dtype: torch.float64 })).dtype).toBe(torch.float64)
    const c = x.to({ copy: true })
    expect(c).not.toBe(x)
    expect(c.tolist()).toEqual([1, 2])
  })
  it('CUDA raises AssertionError, other devices RuntimeError, bad keywords TypeError', () => {
    const x = torch.ones(2)
    expect(() => x.cuda()).toThrow(torch.AssertionError)
    expect(() => x.to('cuda')).toThrow('Torch not compiled with CUDA enabled')
    expect(() => x.to({ device: 'cuda:0' })).toThrow(torch.AssertionError)
    expect(() => x.to('mps')).toThrow(torch.RuntimeError)
    expect(() => x.to({ devise: 'cpu' } as never)).toThrow(
      'to() received an invalid combination of arguments - got (devise=str, ), but expected one of:',
    ) // PyTorch 1.13's text (to has overloads)
  })
  it('the boilerplate runs unchanged', () => {
    const device = torch.device(torch.cuda.is_available() ? 'cuda' : 'cpu')
    const model = torch.nn.Linear(2, 1).to(device)
    expect(model.call(torch.ones(1, 2).to(device)).shape).toEqual([1, 1])
  })
})

describe('Module.to / cpu / cuda / double / float', () => {
  it('converts parameters in place and refuses CUDA', () => {
    const m = torch.nn.Linear(2, 2)
    const w = m.weight
    m.to(torch.float64)
    expect(m.weight).toBe(w)
    expect(m.weight.dtype).toBe(torch.float64)
    m.float()
    expect(m.weight.dtype).toBe(torch.float32)
    m.double()
    expect(m.bias?.dtype).toBe(torch.float64)
    expect(m.cpu()).toBe(m)
    expect(() => m.cuda()).toThrow(torch.AssertionError)
    expect(() => m.to('cuda')).toThrow('Torch not compiled with CUDA enabled')
    expect(() => m.to(torch.int64)).toThrow(torch.TorchTypeError)
  })
})
