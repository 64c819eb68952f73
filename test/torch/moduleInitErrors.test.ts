/**
 * The TypeError of a layer's constructor given an unexpected keyword or missing a positional
 * argument names the function that refused it, as Python does: a layer whose __init__ is
 * inherited names its base class (`_MaxPoolNd.__init__()`, `_BatchNorm.__init__()`,
 * `RNNBase.__init__()`, ...), and padding layers refuse a keyword they do not take. Expected
 * texts: fixtures/module_init_errors.py on PyTorch 1.13.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/module_init_errors.json'

type Ctor = (...args: unknown[]) => unknown
const layers = torch.nn as unknown as Record<string, Ctor>

const thrown = (make: () => unknown): string | null => {
  try {
    make()
  } catch (e) {
    expect(e).toBeInstanceOf(torch.TorchTypeError)
    return (e as Error).message
  }
  return null
}

const layer = (name: string): Ctor => {
  const make = layers[name]
  if (make === undefined) throw new Error(`no nn.${name}`)
  return make
}

describe('layer constructors name the __init__ that refused an argument', () => {
  it.each(fixture.unexpected.map(([n, a, msg]) => [n as string, a as unknown[], msg as string] as const))(
    '%s(…, bogus=1)',
    (name, args, msg) => {
      expect(thrown(() => layer(name)(...args, { bogus: 1 }))).toBe(msg)
    },
  )
  it.each(fixture.missing.map(([n, msg]) => [n as string, msg as string] as const))('%s()', (name, msg) => {
    expect(thrown(() => layer(name)())).toBe(msg)
  })
})
