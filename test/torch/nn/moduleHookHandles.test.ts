/**
 * Module hook registrations return `torch.utils.hooks.RemovableHandle`, as PyTorch's do: an `id`,
 * `remove()` that may be called twice, the `with` form (`__enter__`/`__exit__`), and removal from
 * inside the hook's own call (the call goes on with the hooks it started with, as PyTorch's
 * `_call_impl` iterates over a snapshot; later calls no longer run it).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const { RemovableHandle } = torch.utils.hooks

describe('module hook handles', () => {
  it('every registration returns a RemovableHandle with increasing ids', () => {
    const m = torch.nn.Linear(2, 1)
    const hs = [
      m.register_forward_hook(() => undefined),
      m.register_forward_pre_hook(() => undefined),
      m.register_full_backward_hook(() => undefined),
      m.register_full_backward_pre_hook(() => undefined),
      torch.nn.Linear(2, 1).register_backward_hook(() => undefined),
      m.register_forward_hook(() => undefined, { with_kwargs: true }),
    ]
    for (const h of hs) expect(h).toBeInstanceOf(RemovableHandle)
    // the older name is the same class
    expect(hs[0]).toBeInstanceOf(torch.nn.HookHandle)
    const ids = hs.map((h) => h.id)
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number))).toBe(true)
  })

  it('remove() twice is harmless, also when the same function was registered twice', () => {
    const m = torch.nn.Identity()
    let calls = 0
    const hook = (): undefined => {
      calls++
      return undefined
    }
    const h1 = m.register_forward_hook(hook)
    m.register_forward_hook(hook)
    h1.remove()
    h1.remove()
    m(torch.ones(1))
    expect(calls).toBe(1)
  })

  it('a hook removing itself during its call: that call completes, later calls skip it', () => {
    const m = torch.nn.Identity()
    const seen: string[] = []
    const h = m.register_forward_hook(() => {
      seen.push('a')
      h.remove()
      return undefined
    })
    m.register_forward_hook(() => {
      seen.push('b')
      return undefined
    })
    m(torch.ones(1))
    m(torch.ones(1))
    expect(seen).toEqual(['a', 'b', 'b'])
  })

  it('a pre-hook removing a later hook during the call: the call still runs it (a snapshot)', () => {
    const m = torch.nn.Identity()
    const seen: string[] = []
    let later: InstanceType<typeof RemovableHandle> | null = null
    m.register_forward_pre_hook(() => {
      seen.push('pre')
      later?.remove()
      return undefined
    })
    later = m.register_forward_pre_hook(() => {
      seen.push('later')
      return undefined
    })
    m(torch.ones(1))
    m(torch.ones(1))
    expect(seen).toEqual(['pre', 'later', 'pre'])
  })

  it('a full backward hook removing itself during backward runs once', () => {
    const m = torch.nn.Linear(2, 1)
    let calls = 0
    const h = m.register_full_backward_hook(() => {
      calls++
      h.remove()
      return undefined
    })
    for (let i = 0; i < 2; i++)
      m(torch.ones(3, 2, { requires_grad: true }))
        .sum()
        .backward()
    expect(calls).toBe(1)
  })

  it('__enter__ returns the handle and __exit__ removes the hook (Python `with`)', () => {
    const m = torch.nn.Identity()
    let calls = 0
    const h = m.register_forward_hook(() => {
      calls++
      return undefined
    })
    expect(h.__enter__()).toBe(h)
    m(torch.ones(1))
    h.__exit__(null, null, null)
    m(torch.ones(1))
    expect(calls).toBe(1)
  })
})
