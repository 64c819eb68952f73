/**
 * Types of the facade (issue 15): `item()` is a number unless a boolean is asked for, so
 * `loss.item().toFixed(4)` compiles as in a ported training loop.
 */
import { describe, expectTypeOf, it } from 'vitest'
import * as torch from 'wengert/torch'

describe('Tensor.item', () => {
  it('is a number by default and a boolean on request', () => {
    const loss = torch.tensor(0.25)
    expectTypeOf(loss.item()).toEqualTypeOf<number>()
    expectTypeOf(loss.item().toFixed(4)).toEqualTypeOf<string>()
    expectTypeOf(loss.gt(0).item<boolean>()).toEqualTypeOf<boolean>()
  })
})

describe('function forms of size-taking methods', () => {
  it('are callable (a method with a readonly rest of sizes typed torch.reshape as never)', () => {
    const x = torch.zeros(2, 3)
    const shape: number[] = [3, 2]
    expectTypeOf(torch.reshape(x, shape)).toEqualTypeOf<torch.Tensor>()
    expectTypeOf(torch.reshape(x, 3, 2)).toEqualTypeOf<torch.Tensor>()
    expectTypeOf(torch.permute(x, [1, 0])).toEqualTypeOf<torch.Tensor>()
    expectTypeOf(torch.tile(x, [2, 1])).toEqualTypeOf<torch.Tensor>()
  })
})
