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
