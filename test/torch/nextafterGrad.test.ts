/**
 * torch.nextafter under autograd, as PyTorch records it (fixtures/nextafter_grad.py): the result
 * requires grad through a NextafterBackward0 node with an edge per operand, and a backward
 * through it raises NotImplementedError instead of giving a zero or no gradient.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/nextafter_grad.json'
import { typeName } from '../helpers/nodeNames'

const nodeName = (f: torch.autograd.Node | null): string | null => typeName(f)

describe('nextafter autograd', () => {
  it('records NextafterBackward0 with PyTorch edges and refuses backward', () => {
    const x = torch.tensor([1, 2], { requires_grad: true })
    const y = torch.nextafter(x, torch.tensor([3, 0]))
    expect(y.tolist()).toEqual(fixture.values)
    expect(y.requires_grad).toBe(fixture.requires_grad)
    expect(typeName(y.grad_fn)).toBe(fixture.grad_fn)
    expect(y.grad_fn?.next_functions.map(([f]) => nodeName(f))).toEqual(fixture.edges)
    const z = torch.nextafter(torch.tensor([1]), x.narrow(0, 0, 1))
    expect(z.grad_fn?.next_functions.map(([f]) => nodeName(f))).toEqual(fixture.edges_other)
    const [cls, msg] = fixture.error as [string, string]
    let thrown: unknown
    try {
      y.sum().backward()
    } catch (e) {
      thrown = e
    }
    expect((thrown as Error).constructor.name).toBe(cls)
    expect((thrown as Error).message).toBe(msg)
    expect(x.grad).toBeNull()
    expect(torch.nextafter(x.detach(), torch.tensor([3, 0])).requires_grad).toBe(fixture.no_grad_requires)
  })
})
