/**
 * The graph structure PyTorch records where wengert differed (issue 10, difftest class D7 and an
 * audit of node edges): `next_functions` has no edge for non-differentiable inputs (`where`'s
 * condition, masks, indices) nor for C++ Scalars; an in-place op whose other operand is `self`
 * (`x.mul_(x)`) keeps that operand itself, so its backward raises; a create_graph gradient through
 * clamp at a clamped point is a WhereBackward0 requiring grad. Expected answers: real PyTorch 1.13
 * runs of the same programs (fixtures/graph_edges.py writes fixtures/graph_edges.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/graph_edges.json'

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

describe('graph edges and structure (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(outcome(c.ts)).toEqual(c.expect)
  })
})
