/**
 * The graph structure PyTorch records where wengert differed (issue 10, difftest class D7 and an
 * audit of node edges): `next_functions` has no edge for non-differentiable inputs (`where`'s
 * condition, masks, indices) nor for C++ Scalars; an in-place op whose other operand is `self`
 * (`x.mul_(x)`) keeps that operand itself, so its backward raises; a create_graph gradient through
 * clamp at a clamped point is a WhereBackward0 requiring grad. Expected answers: real PyTorch 1.13
 * runs of the same programs (fixtures/graph_edges.py writes fixtures/graph_edges.json).
 */
import { describe, expect, it } from 'vitest'
import { outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/graph_edges.json'

describe('graph edges and structure (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(outcome(c.ts)).toEqual(c.expect)
  })
})
