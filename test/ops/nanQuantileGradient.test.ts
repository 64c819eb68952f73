/**
 * nanquantile, nanpercentile, nanmedian (src/ops/numpyExtra/nanQuantile.ts) and gradient
 * (src/ops/numpyExtra/gradient.ts) against NumPy (test/ops/fixtures/nanQuantileGradient.py →
 * nanQuantileGradient.json; null stands for NaN); gradients against float64 central differences;
 * jit against eager; bad inputs.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  array,
  checkGrads,
  gradient,
  jit,
  nanmedian,
  nanpercentile,
  nanquantile,
  type NdArray,
  type NestedArray,
  type QuantileMethod,
  where,
  isnan,
} from 'wengert'
import { expectClose } from '../transforms/helpers'

const fx = JSON.parse(readFileSync(new URL('./fixtures/nanQuantileGradient.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>
/** JSON nulls back to NaN. */
const nan = (v: unknown): NestedArray => (Array.isArray(v) ? v.map(nan) : v === null ? NaN : v) as NestedArray
const d64 = (k: string): NdArray => array(nan(fx[k]), { dtype: 'float64' })
const want = (k: string): NestedArray => nan(fx[k])
const tol = { rtol: 1e-12, atol: 1e-12 }
const x = d64('x')

describe('nanquantile, nanpercentile, nanmedian', () => {
  it.each(['linear', 'lower', 'higher', 'midpoint', 'nearest'] as QuantileMethod[])('match NumPy (method %s)', (m) => {
    expectClose(nanquantile(x, [0.1, 0.5, 0.75], { axis: 2, method: m }), want(`q_${m}_ax2`), tol)
    expect(nanquantile(x, 0.3, { method: m }).item()).toBeCloseTo(fx[`q_${m}_all`] as number, 12)
  })
  it('match NumPy over several axes, for percentiles and the median', () => {
    expectClose(nanquantile(x, 0.4, { axis: [0, 1], keepdims: true }), want('q_ax01_keep'), tol)
    expectClose(nanpercentile(x, [25, 90], { axis: 0 }), want('p_ax0'), tol)
    expectClose(nanmedian(x, 2), want('median_ax2'), tol)
    expect(nanmedian(x).item()).toBeCloseTo(fx['median_all'] as number, 12)
    expectClose(jit((a: NdArray) => nanmedian(a, 2))(x), want('median_ax2'), tol)
  })
  it('are differentiable in the non-NaN values', () => {
    const clean = where(isnan(x), 0.25, x)
    const f = (a: NdArray): NdArray => nanquantile(where(isnan(x), NaN, a), [0.3, 0.5], { axis: 2 })
    const safe = (a: NdArray): NdArray => where(isnan(f(a)), 0, f(a))
    checkGrads(safe, [clean], { order: 1 })
  })
  it('reject bad input', () => {
    expect(() => nanquantile(x, 1.5)).toThrow(/q must be in the range \[0, 1\]/)
    expect(() => nanpercentile(x, -1)).toThrow(/range \[0, 100\]/)
    expect(() => nanquantile(x, 0.5, { method: 'cubic' as QuantileMethod })).toThrow(/method must be one of/)
    expect(() => nanmedian(array([]))).toThrow(/empty/)
  })
})

describe('gradient', () => {
  const g = d64('g')
  it('matches np.gradient (edge_order=1)', () => {
    const all = gradient(g) as NdArray[]
    ;(fx['grad_all'] as NestedArray[]).forEach((w, i) => expectClose(all[i] as NdArray, w, tol))
    expectClose(gradient(g, 0.5, { axis: 1 }) as NdArray, want('grad_ax1_h'), tol)
    const h2 = gradient(g, 0.5, 3) as NdArray[]
    ;(fx['grad_h2'] as NestedArray[]).forEach((w, i) => expectClose(h2[i] as NdArray, w, tol))
    expectClose(gradient(array([1, 4], { dtype: 'float64' })) as NdArray, want('grad_len2'), tol)
  })
  it('is differentiable in the values and in the spacing', () => {
    checkGrads(
      (a: NdArray, h: NdArray) => gradient(a, h, { axis: 0 }) as NdArray,
      [g, array(0.7, { dtype: 'float64' })],
      {
        order: 2,
      },
    )
  })
  it('rejects what JAX rejects', () => {
    expect(() => gradient(g, { edgeOrder: 2 })).toThrow(/edge_order/)
    expect(() => gradient(g, array([1, 2, 3, 4]))).toThrow(/non-constant spacing/)
    expect(() => gradient(g, 1, 2, 3)).toThrow(/expected 0, 1 or 2, got 3/)
    expect(() => gradient(array([1]))).toThrow(/too small/)
  })
})
