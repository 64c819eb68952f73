/**
 * The create_graph gradient of each differentiable facade op against PyTorch's (issue 10, difftest
 * class D7): node name, next_functions and values of g = d/dx sum(f(x) · gy), and the second-order
 * gradients of sum(g · c) with respect to x and gy. Expected answers: real PyTorch 1.13 runs of the
 * same programs (fixtures/create_graph_nodes.py writes fixtures/create_graph_nodes.json; second
 * derivatives compared as `h + 0`, zeros as +0, on both sides; hardsigmoid
 * follows PyTorch 2.x, see the script). Every op agrees exactly, abs and the ops through it (log/sqrt/
 * rsqrt of abs, pow with a tensor exponent, l1_loss) included: `grad * self.sgn()` with sgn's
 * own zero derivative.
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/create_graph_nodes.json'

describe('create_graph gradients: graph and second derivatives as PyTorch builds them (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(mismatch(outcome(c.ts), c.expect)).toBeNull()
  })
})
