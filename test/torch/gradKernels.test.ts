/**
 * Gradients whose value (down to the sign of zero), graph or requires_grad follow PyTorch's
 * backward kernel rather than the math (issue 10, difftest class D2): gelu's `grad · dgelu(x)` at a
 * zero incoming gradient, the full max()/min() reduction (grad / #ties written into zeros, NaN
 * maxima sharing it), amax/amin (mask · grad / count), and create_graph gradients through
 * piecewise-constant ops. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/grad_kernels.py writes fixtures/grad_kernels.json).
 */
import { describe, expect, it } from 'vitest'
import { outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/grad_kernels.json'

/** Where two described results differ: numbers within 1e-5 (relative, floor 1e-5: float32 kernels round differently), zeros with their sign, NaN equal to NaN; null if nowhere. */
const mismatch = (got: unknown, want: unknown, path = ''): string | null => {
  const w = want === 'nan' ? NaN : want === 'inf' ? Infinity : want === '-inf' ? -Infinity : want
  if (typeof got === 'number' && typeof w === 'number') {
    if (Number.isNaN(got) || Number.isNaN(w)) return Number.isNaN(got) === Number.isNaN(w) ? null : path
    if (got === 0 && w === 0) return Object.is(got, w) ? null : `${path}: ${Object.is(got, -0) ? '-0' : '+0'}`
    if (!Number.isFinite(got) || !Number.isFinite(w)) return got === w ? null : path
    return Math.abs(got - w) <= 1e-5 * (1 + Math.abs(w)) ? null : `${path}: ${got} vs ${w}`
  }
  if (Array.isArray(got) && Array.isArray(w)) {
    if (got.length !== w.length) return `${path}: length`
    for (let i = 0; i < got.length; i++) {
      const m = mismatch(got[i], w[i], `${path}[${i}]`)
      if (m !== null) return m
    }
    return null
  }
  if (typeof got === 'object' && got !== null && typeof w === 'object' && w !== null && !Array.isArray(w)) {
    const keys = new Set([...Object.keys(got), ...Object.keys(w)])
    for (const k of keys) {
      const m = mismatch((got as Record<string, unknown>)[k], (w as Record<string, unknown>)[k], `${path}.${k}`)
      if (m !== null) return m
    }
    return null
  }
  return JSON.stringify(got) === JSON.stringify(w) ? null : `${path}: ${JSON.stringify(got)} vs ${JSON.stringify(w)}`
}

/**
 * Known differences (each must still differ this way; remove it when it is fixed):
 * - gelu-create-graph: wengert's GeluBackwardBackward0 is the last product of gelu′'s composition,
 *   so its second edge is gelu′'s last node (AddBackward0), not `self` (AccumulateGrad); values agree.
 * - cg-sigmoid-floor-relu-abs: sigmoid's second derivative is the derivative of y·(1 − y), not
 *   PyTorch's one-node `sigmoid_backward` (SigmoidBackwardBackward0, `gg·g·(1 − 2y)`), so its zero
 *   comes out +0 where PyTorch's is −0 (a `sigmoid_backward` primitive like tanh_backward would fix it).
 */
const KNOWN: Readonly<Record<string, RegExp>> = {
  'gelu-create-graph': /^\[0\]\.edges\[1\]: "AddBackward0" vs "AccumulateGrad"$/,
  'cg-sigmoid-floor-relu-abs': /^\[0\]\.edges\[1\]: "MulBackward0" vs "SigmoidBackward0"$/,
}

describe('gradients as PyTorch kernels compute them (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const m = mismatch(outcome(c.ts), c.expect)
    if (name in KNOWN) expect(m).toMatch(KNOWN[name] as RegExp)
    else expect(m).toBeNull()
  })
})
