// PyTorch 1.13 (CPU), run by hand:
//   torch.abs()            → TypeError: abs() missing 1 required positional arguments: "input"
//   torch.abs('a')         → TypeError: abs(): argument 'input' (position 1) must be Tensor, not str
//   torch.abs(None / {} / [1, 2] / 2.5 / True / (lambda x: x))
//                          → … must be Tensor, not NoneType / dict / list / float / bool / function
//   torch.add(2, t)  → AddBackward0, float32;  torch.add(2, t, alpha=3) == [5, 8] for t = [1, 2]
//   torch.sub(2, t)  → SubBackward0;  torch.div(2, t) → DivBackward0;  torch.add(2.5, int t) → float32
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const call = (f: (...a: unknown[]) => unknown, ...a: unknown[]): unknown => f(...a)

describe('function forms check their input', () => {
  it('a missing input raises PyTorch’s TypeError', () => {
    expect(() => call(torch.abs as never)).toThrow(torch.TorchTypeError)
    expect(() => call(torch.abs as never)).toThrow('abs() missing 1 required positional arguments: "input"')
  })

  it('a non-tensor input names the op and its Python type', () => {
    const cases: Array<[unknown, string]> = [
      ['a', 'str'],
      [null, 'NoneType'],
      [{}, 'dict'],
      [[1, 2], 'list'],
      [2.5, 'float'],
      [true, 'bool'],
      [(x: number) => x, 'function'],
    ]
    for (const [v, name] of cases)
      expect(() => call(torch.abs as never, v)).toThrow(
        `abs(): argument 'input' (position 1) must be Tensor, not ${name}`,
      )
    expect(() => call(torch.cumsum as never, 'x', 0)).toThrow(torch.TorchTypeError)
  })

  it('add/sub/mul/div take a number input as a 0-d tensor, as PyTorch’s argument parser does', () => {
    const t = torch.tensor([1, 2], { requires_grad: true })
    const a = call(torch.add as never, 2, t) as torch.Tensor
    expect(a.tolist()).toEqual([3, 4])
    expect(a.grad_fn?.name()).toBe('AddBackward0')
    expect((call(torch.add as never, 2, t, { alpha: 3 }) as torch.Tensor).tolist()).toEqual([5, 8])
    const s = call(torch.sub as never, 2, t) as torch.Tensor
    expect([s.tolist(), s.grad_fn?.name()]).toEqual([[1, 0], 'SubBackward0'])
    const d = call(torch.div as never, 2, t) as torch.Tensor
    expect([d.tolist(), d.grad_fn?.name()]).toEqual([[2, 1], 'DivBackward0'])
    const i = torch.tensor([1n, 2n])
    expect((call(torch.add as never, 2.5, i) as torch.Tensor).dtype).toBe(torch.float32)
    expect((call(torch.mul as never, 2, i) as torch.Tensor).dtype).toBe(torch.int64)
  })
})
