/**
 * torch.overrides helpers and torch.autograd.Variable against PyTorch
 * (test/torch/fixtures/overrides.py; JavaScript functions and classes have no module, so the
 * TypeError prints `myfunc` and `<class 'Refuse'>` where Python prints `__main__.myfunc`).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const c = JSON.parse(readFileSync(new URL('./fixtures/overrides.json', import.meta.url), 'utf8')) as {
  has: boolean[]
  unary_variadic: boolean[]
  plain: string
  dummy: unknown[]
  refuse: string
  refuse_then_dummy: unknown[]
  tensor_like: boolean[]
  variable: boolean[]
  isinstance: boolean[]
  variable_list: string
}
const O = torch.overrides

class Dummy {
  static __torch_function__(
    func: (...a: never[]) => unknown,
    types: ReadonlyArray<{ readonly name: string }>,
    args: ReadonlyArray<unknown>,
    kwargs: Readonly<Record<string, unknown>>,
  ): unknown {
    return ['dummy', func.name, types.map((t) => t.name), args.length, Object.keys(kwargs).sort()]
  }
}
class Refuse {
  static __torch_function__(): unknown {
    return O.NotImplemented
  }
}
class Sub extends torch.Tensor {}
const sub = (): torch.Tensor => Object.setPrototypeOf(torch.ones(2), Sub.prototype) as torch.Tensor

function myfunc(x: unknown, kw: { readonly y?: unknown } = {}): unknown {
  if (O.has_torch_function([x])) return O.handle_torch_function(myfunc, [x], x, { y: kw.y ?? null })
  return 'plain'
}

describe('torch.overrides (PyTorch fixtures)', () => {
  const t = torch.ones(2)
  it('has_torch_function: a type with __torch_function__ or a Tensor subclass, not a plain tensor', () => {
    const got = [[t], [new Dummy()], [1], [], [t, new Dummy()], [sub()]].map((a) => O.has_torch_function(a))
    expect(got).toEqual(c.has)
    expect([O.has_torch_function_unary(t), O.has_torch_function_variadic(t, new Dummy())]).toEqual(c.unary_variadic)
  })
  it('handle_torch_function calls the handlers in turn and raises when all decline', () => {
    expect(myfunc(t)).toBe(c.plain)
    expect(myfunc(new Dummy())).toEqual(c.dummy)
    expect(() => myfunc(new Refuse())).toThrow(
      new torch.TorchTypeError(c.refuse.replace("'__main__.", "'").replace("<class '__main__.", "<class '")),
    )
    expect(O.handle_torch_function(myfunc, [new Refuse(), new Dummy()], 1)).toEqual(c.refuse_then_dummy)
  })
  it('a Tensor subclass without a handler runs the function with dispatch off', () => {
    const twice = (x: torch.Tensor): unknown =>
      O.has_torch_function([x]) ? O.handle_torch_function(twice, [x], x) : x.mul(2)
    expect((twice(sub()) as torch.Tensor).tolist()).toEqual([2, 2])
  })
  it('is_tensor_like', () => {
    expect([t, new Dummy(), Dummy, 1, sub()].map((u) => O.is_tensor_like(u))).toEqual(c.tensor_like)
  })
  it('the listings are not supported (the facade does not dispatch)', () => {
    expect(() => O.get_overridable_functions()).toThrow(/not supported.*__torch_function__/)
    expect(() => O.get_testing_overrides()).toThrow(torch.NotImplementedError)
  })
})

describe('torch.autograd.Variable (PyTorch fixtures)', () => {
  it('returns a leaf tensor sharing the data, and every tensor is a Variable', () => {
    const t = torch.ones(2)
    const v = torch.autograd.Variable(t, { requires_grad: true })
    const shared = (() => {
      v.data.add_(1)
      return (t.tolist() as number[])[0] === 2
    })()
    expect([v instanceof torch.Tensor, v.requires_grad, v.is_leaf, t.requires_grad, shared]).toEqual(c.variable)
    expect([t instanceof torch.autograd.Variable, (1 as unknown) instanceof torch.autograd.Variable]).toEqual(
      c.isinstance,
    )
    expect(torch.autograd.variable.Variable).toBe(torch.autograd.Variable)
    expect(() => torch.autograd.Variable([1] as unknown as torch.Tensor)).toThrow(c.variable_list)
  })
})
