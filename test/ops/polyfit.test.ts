/**
 * polyfit (src/ops/numpyExtra/polyfit.ts) against np.polyfit (test/ops/fixtures/polyfit.py →
 * polyfit.json): degrees, 2-D y, weights, rcond and full=True; gradients in y and w against
 * float64 central differences; vmap over y against a loop; bad inputs.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, type NdArray, type NestedArray, polyfit, stack, vmap } from 'wengert'
import { expectClose } from '../transforms/helpers'

const fx = JSON.parse(readFileSync(new URL('./fixtures/polyfit.json', import.meta.url), 'utf8')) as Record<
  string,
  NestedArray
>
const d64 = (k: string): NdArray => array(fx[k] as NestedArray, { dtype: 'float64' })
const tol = { rtol: 1e-9, atol: 1e-11 }

describe('polyfit', () => {
  it('matches np.polyfit', () => {
    const [x, y] = [d64('x'), d64('y')]
    expectClose(polyfit(x, y, 3), fx['deg3'] as NestedArray, tol)
    expectClose(polyfit(x, d64('y2'), 2), fx['deg2_y2'] as NestedArray, tol)
    expectClose(polyfit(x, y, 2, { w: d64('w') }), fx['deg2_w'] as NestedArray, tol)
    expectClose(polyfit(x, y, 4, { rcond: 1e-3 }), fx['deg4_rcond'] as NestedArray, tol)
    const [c, res, rank, s, rc] = polyfit(x, y, 2, { full: true })
    const want = fx['full'] as NestedArray[]
    expectClose(c, want[0] as NestedArray, tol)
    expectClose(res, want[1] as NestedArray, tol)
    expect(rank.item()).toBe(want[2])
    expectClose(s, want[3] as NestedArray, tol)
    expect(rc).toBeCloseTo(want[4] as number, 25)
  })
  it('is differentiable in y and w, and vmaps over y like a loop', () => {
    const [x, y, w] = [d64('x'), d64('y'), d64('w')]
    checkGrads((yy: NdArray, ww: NdArray) => polyfit(x, yy, 2, { w: ww }), [y, w], { order: 1 })
    const ys = stack([y, y.mul(2), y.neg()])
    const loop = [y, y.mul(2), y.neg()].map((v) => polyfit(x, v, 2))
    expectClose(vmap((v: NdArray) => polyfit(x, v, 2))(ys), stack(loop).toArray() as NestedArray, tol)
  })
  it('rejects bad input', () => {
    const x = d64('x')
    expect(() => polyfit(x, d64('y'), -1)).toThrow('polyfit: expected deg >= 0, got -1')
    expect(() => polyfit(x, x.reshape([3, 3]), 1)).toThrow('polyfit: expected x and y to have same length, got 9 and 3')
    expect(() => polyfit(x.reshape([3, 3]), x, 1)).toThrow(/expected 1D vector for x/)
    expect(() => polyfit(x, x, 1, { cov: true as false })).toThrow('polyfit: cov is not supported (only cov=false)')
    expect(() => polyfit(x, x, 1, { w: array([1, 2]) })).toThrow(/expected a 1-D w of length 9/)
  })
})
