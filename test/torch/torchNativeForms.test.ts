/**
 * The `torch.*` forms of src/torch/torchNative.ts and `Tensor.ger` / `Tensor.narrow_copy`: values,
 * nodes, gradients and errors. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/torch_native_forms.py writes fixtures/torch_native_forms.json).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/torch_native_forms.json'

describe('torch.* native forms (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    const m = mismatch(got, c.expect)
    expect(m === null ? null : { m, got }).toBeNull()
  })
})
