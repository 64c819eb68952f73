/**
 * Gradient tensors as PyTorch shows them (issue 10, difftest classes D1 and D3): `.grad`'s
 * `_version` after backward, accumulation and optimizer steps (AccumulateGrad takes a fresh
 * gradient as is, copies a shared or expanded one, then sums in place), `grad_fn` and
 * `requires_grad` of a `.grad` made under create_graph (`CopyBackwards`, then `AddBackward0`),
 * and which recorded tensors are the same object. Expected answers: real PyTorch 1.13 runs of
 * the same programs (fixtures/grad_version.py writes fixtures/grad_version.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/grad_version.json'
import { typeName } from '../helpers/nodeNames'

/** Runs one program (test-only: the statements are this repository's fixture). */
const runProgram = (src: string): ReadonlyArray<torch.Tensor | null> =>
  new Function('torch', src)(torch) as ReadonlyArray<torch.Tensor | null>

const info = (t: torch.Tensor | null, before: ReadonlyArray<torch.Tensor | null>): unknown => {
  if (t === null) return null
  const same = before.indexOf(t)
  return {
    version: t._version,
    grad_fn: typeName(t.grad_fn),
    requires_grad: t.requires_grad,
    same: same < 0 ? null : same,
  }
}

describe('gradient tensors: _version, grad_fn, identity (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const out = runProgram(c.ts)
    expect(out.map((t, k) => info(t, out.slice(0, k)))).toEqual(c.expect)
  })
})
