/**
 * Version counters of a freshly built module's parameters and buffers, as PyTorch's: each module's
 * reset_parameters initialises them in place (LayerNorm's weight and bias used to be built at
 * version 0, so a program copying weights in and saving them for backward saw a different
 * `_version`). Expected values: fixtures/module_init_versions.py on PyTorch 1.13.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/module_init_versions.json'

type Ctor = new (...args: unknown[]) => torch.nn.Module
const modules = torch.nn as unknown as Record<string, Ctor>

describe('versions of a new module’s tensors', () => {
  it.each(fixture.cases.map((c) => [`${c.name}(${JSON.stringify(c.args)}, ${JSON.stringify(c.kwargs)})`, c] as const))(
    '%s',
    (_, c) => {
      const Module = modules[c.name]
      if (Module === undefined) throw new Error(`no nn.${c.name}`)
      const args = Object.keys(c.kwargs).length > 0 ? [...c.args, c.kwargs] : c.args
      const m = new Module(...args)
      const got = [...m.named_parameters(), ...m.named_buffers()].map(([n, t]) => [n, t._version])
      expect(got).toEqual(c.versions)
    },
  )
})
