/**
 * create_graph gradients whose graph follows PyTorch's derivative formula (issue 10, difftest class
 * D7): cumsum's flip(cumsum(flip(grad))), sinh's and cosh's grad·cosh(x) / grad·sinh(x), one
 * Softmax/LogSoftmaxBackwardDataBackward0 node over the gradient and the output; node names,
 * next_functions, values and second derivatives. Expected answers: real PyTorch 1.13 runs of the
 * same programs (fixtures/grad_formulas.py writes fixtures/grad_formulas.json).
 */
import { describe, expect, it } from 'vitest'
import { outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/grad_formulas.json'

/** Float results agree with PyTorch's to rounding; everything else exactly. */
const close = (x: unknown, y: unknown): boolean => {
  if (typeof x === 'number' && typeof y === 'number') return Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y))
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => close(v, y[i]))
  if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object') {
    const kx = Object.keys(x).sort()
    return close(kx, Object.keys(y).sort()) && kx.every((k) => close(x[k as keyof typeof x], y[k as keyof typeof y]))
  }
  return x === y
}

describe('create_graph gradients as PyTorch formulas build them (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    if (!close(got, c.expect)) expect(got).toEqual(c.expect)
  })
})
