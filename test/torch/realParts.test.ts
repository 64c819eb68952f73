/**
 * The complex-number accessors on real tensors: angle (π below zero, 0 at and above, NaN at NaN;
 * a zero derivative everywhere), real (the tensor itself), imag (raises), conj_physical (the
 * tensor itself) and conj_physical_ (an in-place op: version, leaf check, ConjPhysicalBackward1).
 * Expected values are those definitions; messages and node names as PyTorch 1.13 printed them
 * (checked on /usr/bin/python3, and unchanged in 2.x).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

describe('angle of real tensors', () => {
  const x = torch.tensor([-2, -0, 0, 3, NaN, -Infinity], { requires_grad: true })

  it('is π below zero, 0 at and above it, NaN at NaN', () => {
    const y = torch.angle(x)
    const v = y.tolist() as number[]
    expect(v.map((e) => (Number.isNaN(e) ? 'nan' : e))).toEqual([
      Math.fround(Math.PI),
      0,
      0,
      0,
      'nan',
      Math.fround(Math.PI),
    ])
    expect(y.grad_fn?.name()).toBe('AngleBackward0')
    expect(x.angle().tolist()).toEqual(y.tolist())
  })

  it('has a zero gradient everywhere, NaN included', () => {
    const leaf = torch.tensor([-2, 0.5, NaN], { requires_grad: true })
    torch.angle(leaf).sum().backward()
    expect(leaf.grad?.tolist()).toEqual([0, 0, 0])
  })

  it('gives the default float dtype for integers and keeps float64', () => {
    expect(torch.angle(torch.tensor([-1, 2])).dtype).toBe(torch.float32)
    expect(torch.angle(torch.tensor([-1, 2])).tolist()).toEqual([Math.fround(Math.PI), 0])
    expect(torch.angle(torch.tensor([1], { dtype: torch.float64 })).dtype).toBe(torch.float64)
  })

  it('refuses a non-tensor with TypeError', () => {
    expect(() => torch.angle(3 as never)).toThrow(/angle\(\): argument 'input' \(position 1\) must be Tensor, not int/)
  })
})

describe('real, imag and conj_physical of real tensors', () => {
  it('real is the tensor itself; imag raises', () => {
    const x = torch.tensor([1, -2], { requires_grad: true })
    expect(torch.real(x)).toBe(x)
    expect(x.real).toBe(x)
    expect(() => x.imag).toThrow('imag is not implemented for tensors with non-complex dtypes.')
    expect(() => torch.imag(x)).toThrow(torch.RuntimeError)
    expect(() => torch.real(3 as never)).toThrow(/real\(\): argument 'input' \(position 1\) must be Tensor, not int/)
  })

  it('conj_physical is the tensor itself', () => {
    const x = torch.tensor([1, -2])
    expect(torch.conj_physical(x)).toBe(x)
    expect(x.conj_physical()).toBe(x)
  })

  it('conj_physical_ is an in-place op: version, history and the leaf check', () => {
    const x = torch.tensor([-2, 1], { requires_grad: true })
    const y = x.mul(1)
    expect(y.conj_physical_()).toBe(y)
    expect(y._version).toBe(1)
    expect(y.grad_fn?.name()).toBe('ConjPhysicalBackward1')
    expect(y.tolist()).toEqual([-2, 1])
    y.mul(torch.tensor([3, 4]))
      .sum()
      .backward()
    expect(x.grad?.tolist()).toEqual([3, 4])
    expect(() => x.conj_physical_()).toThrow(
      'a leaf Variable that requires grad is being used in an in-place operation.',
    )
    expect(x._version).toBe(0)
    torch.no_grad(() => x.conj_physical_())
    expect(x._version).toBe(1)
  })
})
