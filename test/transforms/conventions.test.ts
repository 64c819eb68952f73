/**
 * Derivatives at non-differentiable points follow JAX's conventions, and the stable composites
 * stay finite at large inputs.
 */
import { describe, expect, it } from 'vitest'
import {
  abs,
  array,
  clip,
  exp,
  grad,
  greater,
  jvp,
  logSoftmax,
  logsumexp,
  max,
  maximum,
  min,
  minimum,
  mul,
  type NdArray,
  relu,
  softmax,
  sqrt,
  sum,
  where,
} from 'wengert'
import { expectClose, f64 } from './helpers'

const d = (f: (x: NdArray) => NdArray, x: number): number => grad((t: NdArray) => f(t))(f64(x)).item() as number
const dFwd = (f: (x: NdArray) => NdArray, x: number): number =>
  jvp((t: NdArray) => f(t), [f64(x)], [f64(1)])[1].item() as number

describe('non-differentiable points (JAX conventions, same in forward and reverse mode)', () => {
  it.each([
    ['relu at 0 → 0', (x: NdArray) => relu(x), 0, 0],
    ['abs at 0 → 1', (x: NdArray) => abs(x), 0, 1],
    ['maximum(x, 1) at a tie → ½', (x: NdArray) => maximum(x, 1), 1, 0.5],
    ['minimum(x, 1) at a tie → ½', (x: NdArray) => minimum(x, 1), 1, 0.5],
    ['sqrt at 0 → +∞', (x: NdArray) => sqrt(x), 0, Infinity],
    ['clip at its bounds → ½', (x: NdArray) => clip(x, 0, 1), 1, 0.5],
  ] as const)('%s', (_, f, x, expected) => {
    expect(d(f, x)).toBe(expected)
    expect(dFwd(f, x)).toBe(expected)
  })

  it('away from the kinks the derivatives are the ordinary ones', () => {
    expect(d((x) => relu(x), -1)).toBe(0)
    expect(d((x) => relu(x), 2)).toBe(1)
    expect(d((x) => abs(x), -2)).toBe(-1)
    expect(d((x) => maximum(x, 1), 2)).toBe(1)
    expect(d((x) => maximum(x, 1), 0)).toBe(0)
  })

  it('maximum(x, x): each side gets half, so the total derivative is 1', () => {
    expect(d((x) => maximum(x, x), 3)).toBe(1)
  })

  it('reductions share the derivative equally among tied maxima and minima', () => {
    expectClose(grad((x: NdArray) => max(x))(f64([1, 3, 3, 0])), [0, 0.5, 0.5, 0])
    expectClose(grad((x: NdArray) => min(x))(f64([2, 0, 0, 0])), [0, 1 / 3, 1 / 3, 1 / 3])
  })

  it('where: NaN in the branch not taken does not leak into the derivative', () => {
    expectClose(grad((x: NdArray) => sum(where(greater(x, 0), x, NaN)))(f64([1, 2])), [1, 1])
    expectClose(grad((x: NdArray) => sum(where(greater(x, 0), mul(x, 3), f64([NaN, Infinity]))))(f64([1, -1])), [3, 0])
  })

  it('where: an inf/NaN *derivative* in the untaken branch still gives NaN (as in JAX); the double-where trick avoids it', () => {
    // sqrt(x) at x = −1 is NaN and its derivative is NaN; the zero cotangent times NaN is NaN
    const naive = (x: NdArray) => where(greater(x, 0), sqrt(x), 0)
    expect(d(naive, -1)).toBeNaN()
    // feed the untaken branch a safe value
    const safe = (x: NdArray) => {
      const pos = greater(x, 0)
      return where(pos, sqrt(where(pos, x, 1)), 0)
    }
    expect(d(safe, -1)).toBe(0)
    expect(d(safe, 4)).toBe(0.25)
  })
})

describe('stable composites at large inputs', () => {
  it.each(['float32', 'float64'] as const)('softmax gradient stays finite at ±1000 (%s)', (dtype) => {
    const x = array([1000, 1000, -1000, 0], { dtype })
    const w = array([1, 2, 3, 4], { dtype })
    // s = [½, ½, 0, 0]; ∂(w·s)/∂x = s ⊙ (w − w·s) = [½(1 − 1.5), ½(2 − 1.5), 0, 0]
    const g = grad((t: NdArray) => sum(mul(softmax(t), w)))(x)
    expectClose(g, [-0.25, 0.25, 0, 0], { atol: 1e-6 })
    expectClose(softmax(x), [0.5, 0.5, 0, 0])
  })

  it.each(['float32', 'float64'] as const)('logsumexp and logSoftmax gradients stay finite at ±1000 (%s)', (dtype) => {
    const x = array([1000, -1000, 1000], { dtype })
    expectClose(logsumexp(x), 1000 + Math.log(2), { rtol: 1e-6 })
    expectClose(grad((t: NdArray) => logsumexp(t))(x), [0.5, 0, 0.5])
    // Σᵢ wᵢ log softmax(x)ᵢ: gradient w − (Σw)·softmax(x)
    const w = array([1, 0, 0], { dtype })
    expectClose(grad((t: NdArray) => sum(mul(logSoftmax(t), w)))(x), [0.5, 0, -0.5])
    const y = array([-1000, -1000], { dtype })
    expectClose(logsumexp(y), -1000 + Math.log(2), { rtol: 1e-6 })
    expectClose(grad((t: NdArray) => logsumexp(t))(y), [0.5, 0.5])
  })

  it('second derivatives of logsumexp at large inputs are finite', () => {
    // H = diag(p) − ppᵀ with p = softmax(x) = [½, 0, ½]
    const H = jvp(
      grad((t: NdArray) => logsumexp(t)),
      [f64([1000, -1000, 1000])],
      [f64([1, 0, 0])],
    )[1]
    expectClose(H, [0.25, 0, -0.25])
  })

  it('the naive composite overflows where the stable one does not', () => {
    const naive = (t: NdArray) => mul(exp(t), 1)
    expect(Number.isFinite(d(naive, 1000))).toBe(false)
  })
})
