/**
 * `Module.register_forward_hook(hook, { always_call: true })` (PyTorch 2.x; not in 1.13, so the
 * expectations follow the 2.x documentation of `register_forward_hook` and `Module.__call__`): the
 * hook also runs when the call raises, seeing the result so far, after the global `always_call`
 * hooks; a hook that already ran is not run again; its own error becomes a warning.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

class Bad extends torch.nn.Module {
  forward(): torch.Tensor {
    throw new torch.RuntimeError('boom')
  }
}
class Twice extends torch.nn.Module {
  forward(x: torch.Tensor): torch.Tensor {
    return x.mul(2)
  }
}
const value = (o: unknown): unknown => (o instanceof torch.Tensor ? o.tolist() : o)

describe('register_forward_hook always_call', () => {
  it('runs when forward raises (output null); a plain hook does not', () => {
    const got: unknown[] = []
    const m = new Bad()
    m.register_forward_hook(() => void got.push('plain'))
    m.register_forward_hook((_m, _a, o) => void got.push(o), { always_call: true })
    expect(() => m()).toThrow('boom')
    expect(got).toEqual([null])
  })

  it('sees the forward’s output when a later hook raised, and is not run twice', () => {
    const got: unknown[] = []
    const m = new Twice()
    m.register_forward_hook((_m, _a, o) => void got.push(['first', value(o)]), { always_call: true })
    m.register_forward_hook(() => {
      throw new torch.RuntimeError('hook failed')
    })
    m.register_forward_hook((_m, _a, o) => void got.push(['last', value(o)]), { always_call: true })
    expect(() => m(torch.tensor([1, 2]))).toThrow('hook failed')
    expect(got).toEqual([
      ['first', [2, 4]],
      ['last', [2, 4]],
    ])
  })

  it('runs after the global always_call hooks; its own error is a warning, the call’s error is raised', () => {
    const order: string[] = []
    const m = new Bad()
    m.register_forward_hook(
      () => {
        order.push('module')
        throw new torch.RuntimeError('inner')
      },
      { always_call: true },
    )
    const h = torch.nn.modules.module.register_module_forward_hook(() => void order.push('global'), {
      always_call: true,
    })
    try {
      const [, caught] = torch.warnings.catch_warnings(() => expect(() => m()).toThrow('boom'))
      expect(order).toEqual(['global', 'module'])
      expect(caught.map((w) => String(w.message))).toEqual([
        'module forward hook with ``always_call=True`` raised an exception that was silenced as another error was raised in forward: inner',
      ])
    } finally {
      h.remove()
    }
  })

  it('a removed always_call hook no longer runs; the pre-hook refuses the option', () => {
    const got: unknown[] = []
    const m = new Bad()
    m.register_forward_hook(() => void got.push('x'), { always_call: true }).remove()
    expect(() => m()).toThrow('boom')
    expect(got).toEqual([])
    expect(() => m.register_forward_pre_hook(() => undefined, { always_call: true } as never)).toThrow(
      /register_forward_pre_hook/,
    )
  })
})
