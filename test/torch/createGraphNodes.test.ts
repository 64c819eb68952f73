/**
 * The create_graph gradient of each differentiable facade op against PyTorch's (issue 10, difftest
 * class D7): node name, next_functions and values of g = d/dx sum(f(x) · gy), and the second-order
 * gradients of sum(g · c) with respect to x and gy. Expected answers: real PyTorch 1.13 runs of the
 * same programs (fixtures/create_graph_nodes.py writes fixtures/create_graph_nodes.json; second
 * derivatives compared as `h + 0`, zeros as +0, on both sides; hardsigmoid
 * follows PyTorch 2.x, see the script).
 */
import { describe, expect, it } from 'vitest'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/create_graph_nodes.json'

/**
 * Known differences (values and second derivatives agree; each must still differ this way; remove
 * it when it is fixed):
 * - abs (and log/sqrt/rsqrt/l1_loss through it): `grad * self.sgn()` has no SgnBackward0 edge when
 *   the gradient requires grad (the gradLink covers only one that does not; a sgn formula changed
 *   the zeros of two difftest corpus programs, so it waits);
 * - pow-tensor: through abs (its SgnBackward0 edge, above).
 */
const SGN = /^\[0\]\.edges\[1\]: null vs "SgnBackward0"$/
const KNOWN: Readonly<Record<string, RegExp>> = {
  abs: SGN,
  'log-abs': SGN,
  'sqrt-abs': SGN,
  'rsqrt-abs': SGN,
  l1_loss: SGN,
  'pow-tensor': SGN,
}

describe('create_graph gradients: graph and second derivatives as PyTorch builds them (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const m = mismatch(outcome(c.ts), c.expect)
    if (name in KNOWN) expect(m).toMatch(KNOWN[name] as RegExp)
    else expect(m).toBeNull()
  })
})
