/**
 * Every nn layer's constructor refuses an unknown keyword and too many positional arguments with
 * Python's TypeError text: `self` counted, "from R to T" when only some parameters are required,
 * the class that defines __init__ named (`_MaxPoolNd.__init__()`), keyword-only losses
 * (GaussianNLLLoss, TripletMarginWithDistanceLoss) taking no positional argument, and layers
 * without their own __init__ (Tanh, Sigmoid, Softmax2d) checking theirs as 2.x's Module.__init__
 * does. Expected texts: fixtures/module_init_arity.py on PyTorch 1.13, adjusted to 2.x there.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/module_init_arity.json'

type Ctor = (...args: unknown[]) => unknown
const layers = torch.nn as unknown as Record<string, Ctor | undefined>

const thrown = (make: () => unknown): string | null => {
  try {
    make()
  } catch (e) {
    expect(e).toBeInstanceOf(torch.TorchTypeError)
    return (e as Error).message
  }
  return null
}

describe('nn layer constructors: arity and keyword TypeErrors', () => {
  it.each(fixture.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const make = layers[name]
    expect(make, `nn.${name}`).toBeDefined()
    const build = make as Ctor
    expect(thrown(() => build(...c.args, { bogus: 1 }))).toBe(c.keyword)
    expect(thrown(() => build(...c.args, ...Array<number>(12).fill(2)))).toBe(c.positional)
  })

  // (the deprecated names are left out of Hardtanh's TypeScript signature: JS and ported code only)
  it("Hardtanh's deprecated min_value/max_value keywords set min_val/max_val with a FutureWarning", () => {
    const [m, ws] = torch.warnings.catch_warnings(() => torch.nn.Hardtanh({ min_value: -2, max_value: 3 } as never))
    expect(String(m)).toBe('Hardtanh(min_val=-2.0, max_val=3.0)')
    expect(ws.map((w) => w.message)).toEqual([
      'keyword argument `min_value` is deprecated and rename to `min_val`',
      'keyword argument `max_value` is deprecated and rename to `max_val`',
    ])
  })

  it("RNN takes nonlinearity fourth positionally (2.x's order)", () => {
    expect(torch.nn.RNN(2, 3, 1, 'relu').nonlinearity).toBe('relu')
  })
})
