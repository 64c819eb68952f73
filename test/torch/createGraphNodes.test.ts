/**
 * The create_graph gradient of each differentiable facade op against PyTorch's (issue 10, difftest
 * class D7): node name, next_functions and values of g = d/dx sum(f(x) · gy), and the second-order
 * gradients of sum(g · c) with respect to x and gy. Expected answers: real PyTorch 1.13 runs of the
 * same programs (fixtures/create_graph_nodes.py writes fixtures/create_graph_nodes.json; hardsigmoid
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
 * - tanh: `tanh_backward(grad, result)`'s edges come in the other order here (result first);
 * - clamp: `where(min <= self <= max, grad, 0)` takes the gradient as its first edge in PyTorch;
 * - pow-3: `exponent * self.pow(exponent - 1)` multiplies by a Scalar (MulBackward1), the kernel by a tensor;
 * - pow-tensor: `pow_backward_self`'s `where(exponent == 0, 0, …)` is not a WhereBackward0 node here;
 * - atan2: `grad * other / (self² + other²)` is composed in another order;
 * - logsumexp: `logsumexp_backward` sums the gradient (SumBackward1) where the rule expands it;
 * - mse_loss, smooth_l1_loss, huber_loss: one `…LossBackwardBackward0` node over (grad, self, target)
 *   in PyTorch, the rule's composition here.
 */
const SGN = /^\[0\]\.edges\[1\]: null vs "SgnBackward0"$/
const KNOWN: Readonly<Record<string, RegExp>> = {
  abs: SGN,
  'log-abs': SGN,
  'sqrt-abs': SGN,
  'rsqrt-abs': SGN,
  l1_loss: SGN,
  tanh: /^\[0\]\.edges\[0\]: "TanhBackward0" vs "AccumulateGrad"$/,
  clamp: /^\[0\]\.edges\[0\]: "WhereBackward0" vs "AccumulateGrad"$/,
  'pow-3': /^\[0\]\.edges\[1\]: "MulBackward0" vs "MulBackward1"$/,
  'pow-tensor': /^\[0\]\.edges\[0\]: "MulBackward0" vs "WhereBackward0"$/,
  atan2: /^\[0\]\.edges\[0\]: "AccumulateGrad" vs "MulBackward0"$/,
  logsumexp: /^\[0\]\.edges\[0\]: "ExpandBackward0" vs "SumBackward1"$/,
  mse_loss: /^\[0\]\.grad_fn: "AddBackward0" vs "MseLossBackwardBackward0"$/,
  smooth_l1_loss: /^\[0\]\.grad_fn: "MulBackward0" vs "SmoothL1LossBackwardBackward0"$/,
  huber_loss: /^\[0\]\.grad_fn: "MulBackward0" vs "HuberLossBackwardBackward0"$/,
}

describe('create_graph gradients: graph and second derivatives as PyTorch builds them (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const m = mismatch(outcome(c.ts), c.expect)
    if (name in KNOWN) expect(m).toMatch(KNOWN[name] as RegExp)
    else expect(m).toBeNull()
  })
})
