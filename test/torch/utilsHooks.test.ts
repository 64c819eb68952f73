import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

// torch.utils.hooks.RemovableHandle: the type programs annotate hook handles with (the MAML
// few-shot port keeps `hooks: List[RemovableHandle]` of param.register_hook results).
describe('torch.utils.hooks', () => {
  it('RemovableHandle is what register_hook returns, and remove() unregisters the hook', () => {
    const x = torch.ones(3, { requires_grad: true })
    const hooks: torch.utils.hooks.RemovableHandle[] = []
    hooks.push(x.register_hook((g) => g.mul(2)))
    expect(hooks[0]).toBeInstanceOf(torch.utils.hooks.RemovableHandle)
    x.sum().backward()
    expect(x.grad!.tolist()).toEqual([2, 2, 2])
    for (const h of hooks) h.remove()
    x.grad = null
    x.sum().backward()
    expect(x.grad!.tolist()).toEqual([1, 1, 1])
    const node = x.mul(1).grad_fn!
    const post = node.register_hook(() => undefined)
    const pre = node.register_prehook(() => undefined)
    expect(post).toBeInstanceOf(torch.utils.hooks.RemovableHandle)
    expect(pre).toBeInstanceOf(torch.utils.hooks.RemovableHandle)
    // Node hooks go on removal too (and a second remove() is harmless).
    let calls = 0
    const y = torch.ones(2, { requires_grad: true })
    const z = y.mul(3)
    const h = z.grad_fn!.register_prehook(() => void calls++)
    h.remove()
    h.remove()
    z.sum().backward()
    expect(calls).toBe(0)
  })
})
