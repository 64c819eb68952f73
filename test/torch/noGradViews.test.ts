/**
 * Views taken under no_grad of a tensor that requires grad, as PyTorch shows them (issue 10,
 * difftest class D9): they require grad (their base does) yet are leaves with no gradient edge;
 * ops on them record a node whose edge to them is None; modifying one in place in grad mode
 * raises PyTorch's error. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/no_grad_views.py writes fixtures/no_grad_views.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/no_grad_views.json'

/** Runs one program (test-only: the statements are this repository's fixture). */
const runProgram = (src: string): ReadonlyArray<torch.Tensor | null> =>
  new Function('torch', src)(torch) as ReadonlyArray<torch.Tensor | null>

const info = (t: torch.Tensor | null): unknown => {
  if (t === null) return null
  const fn = t.grad_fn
  return {
    requires_grad: t.requires_grad,
    is_leaf: t.is_leaf,
    grad_fn: fn === null ? null : fn.name(),
    edges: fn === null ? null : fn.next_functions.map(([n]) => (n === null ? null : n.name())),
    version: t._version,
    values: t.detach().tolist(),
  }
}

const outcome = (src: string): unknown => {
  try {
    return runProgram(src).map(info)
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message }
  }
}

describe('views made under no_grad (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(outcome(c.ts)).toEqual(c.expect)
  })
})
