/**
 * The special functions exported to ONNX (src/core/primitives/onnx{Math,Special,Erf,Gamma}.ts)
 * and run in ONNX Runtime, against wengert eager over grids that include the edge values (NaN,
 * ±inf, ±0, poles, domain ends and every branch point of the kernels).
 *
 * Tolerances (relative, plus the same absolute near 0), stated per function: float64 results
 * follow the same series and recurrences as the kernels, but ONNX's Exp/Log/Atan and the
 * log1p/expm1 identities differ from V8's `Math` functions by an ulp or two, which the
 * functions' condition numbers amplify; float32 results are the float64 graph rounded once, so
 * they match to float32 rounding.
 */
import { describe, it } from 'vitest'
import { add, array, atan2, div, grad, lax, scipy, sum, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import { check, dense, EDGES, expectMatch, pairs, TOL32, TOL64 } from '../helpers/onnxSpecial'
import { runOrt } from '../helpers/ort'

describe('elementary special functions exported to ONNX', () => {
  it('atan2 over signed zeros, infinities and every quadrant', async () => {
    const v = [...EDGES, 1, -1, 2.5, -3e-5, 1e300, -7e-300, ...dense(-3, 3, 11)]
    await check((y, x) => atan2(y as NdArray, x as NdArray), pairs(v, v), TOL64, TOL32)
  })
  it('xlogy and xlog1py (0·log 0 = 0 unless NaN)', async () => {
    const x = [...EDGES, 1, -2.5, 1e-300]
    const y = [...EDGES, 1, 2, -1, -0.5, 1e-20, 3e5]
    await check((a, b) => scipy.special.xlogy(a as NdArray, b as NdArray), pairs(x, y), TOL64, TOL32)
    await check((a, b) => scipy.special.xlog1py(a as NdArray, b as NdArray), pairs(x, y), TOL64, TOL32)
  })
  it('entr and logit across their branches', async () => {
    await check(
      (x) => scipy.special.entr(x as NdArray),
      [[...EDGES, 1, 0.5, 1e-300, 1e300, -1, 2, ...dense(0, 5)]],
      TOL64,
      TOL32,
    )
    const p = [
      ...EDGES,
      1,
      0.5,
      0.25,
      0.75,
      0.2499,
      0.7501,
      1e-300,
      0.4999999,
      0.5000001,
      1 - 1e-16,
      -0.1,
      1.1,
      ...dense(0, 1),
    ]
    await check((x) => scipy.special.logit(x as NdArray), [p], TOL64, TOL32)
  })
  it('bessel_i0e and bessel_i1e: series to 20, Hankel above', async () => {
    const x = [...EDGES, 1e-300, 0.5, 1, 5, 19.99, 20, 20.01, 25, 60, 1e3, 1e8, -1, -20, -21, -1e5, ...dense(-30, 30)]
    await check((v) => scipy.special.i0e(v as NdArray), [x], TOL64, TOL32)
    await check((v) => scipy.special.i1e(v as NdArray), [x], TOL64, TOL32)
  })
})

describe('the error function family exported to ONNX', () => {
  it('erfc across the series (|x| < 1), the fraction (≥ 1) and the underflow at 27.5', async () => {
    const x = [...EDGES, 1e-300, 0.3, -0.3, 0.999, 1, -1, 1.001, 2, -2, 5, 10, 26.5, 27.5, 27.6, -30, ...dense(-6, 6)]
    await check((v) => scipy.special.erfc(v), [x], TOL64, TOL32)
  })
  it('log_ndtr into both tails', async () => {
    const x = [...EDGES, 1e-10, 0.5, -0.5, 1, -1, 1.5, -1.5, 3, -3, 8, -8, 30, -30, -1e3, -1e10, 50, ...dense(-40, 10)]
    await check((v) => scipy.special.logNdtr(v), [x], TOL64, TOL32)
  })
  it('erfinv and ndtri by Halley steps, the domain ends and beyond', async () => {
    const y = [
      ...EDGES,
      1,
      -1,
      1e-300,
      0.1,
      -0.4,
      0.5,
      -0.5,
      0.50001,
      0.9,
      -0.999999,
      1 - 2 ** -52,
      1.5,
      -2,
      ...dense(-1, 1),
    ]
    await check((v) => scipy.special.erfinv(v), [y], TOL64, TOL32)
    const p = [
      ...EDGES,
      1,
      0.5,
      0.25,
      0.75,
      0.2499,
      0.7501,
      1e-10,
      1e-300,
      5e-324,
      1 - 1e-16,
      0.975,
      -0.1,
      1.1,
      ...dense(0, 1),
    ]
    await check((v) => scipy.special.ndtri(v), [p], TOL64, TOL32)
  })
})

describe('cumlogsumexp exported to ONNX (a Loop of the kernel’s logaddexp)', () => {
  it('with −inf, +inf and NaN entries, forwards and reversed', async () => {
    const row = [-Infinity, -Infinity, 0, 1000, -1000, 3.5, ...dense(-5, 5, 7), Infinity, 2, NaN, 1]
    for (const reverse of [false, true])
      await check((v) => lax.cumlogsumexp(v, { axis: 0, reverse }), [row], TOL64, TOL32)
  })
})

describe('the gamma family exported to ONNX', () => {
  const x = [
    ...EDGES,
    1e-300,
    0.1,
    0.4999,
    0.5,
    1,
    1.4616321449683622,
    1.5,
    2,
    2.4999,
    2.5,
    3,
    9.99,
    10,
    10.5,
    100,
    1e10,
  ]
  const negative = [-0.5, -1, -2, -2.5, -3.7, -10.25, -1e-8, -100.5, -1e15 - 0.5]
  it('lgamma (poles, reflection, the series, the recurrence, Stirling)', async () => {
    // near its zeros below 0 lgamma is ill-conditioned (the kernel: 4e-12 relative there); an ulp
    // of ONNX Sin in the reflection shows as up to 2e-16 absolute, so 1e-15 absolute is allowed
    await check((v) => scipy.special.gammaln(v), [[...x, ...negative, ...dense(-6, 12)]], TOL64, TOL32, 1e-15)
  })
  it('digamma (∓inf at ±0, NaN at the negative integers, the root series)', async () => {
    await check((v) => scipy.special.digamma(v), [[...x, ...negative, ...dense(-6, 12)]], TOL64, TOL32)
  })
  it('polygamma of orders 0 to 3', async () => {
    // below 0 the sum's terms alternate in sign and cancel (the kernel: 5e-9 relative to mpmath
    // there), so the ulp-level differences of ONNX Pow grow: 1e-12 relative there (measured 7e-14)
    for (const n of [0, 1, 2, 3]) {
      await check((v) => scipy.special.polygamma(n, v), [[...x, ...dense(0.05, 30)]], TOL64, TOL32)
      await check((v) => scipy.special.polygamma(n, v), [negative.slice(0, -1)], 1e-12, TOL32)
    }
  })
  it('zeta (Hurwitz) with its special values', async () => {
    const s = [...EDGES, 1, 0.5, 1.5, 2, 3, 7.5, 30, 100]
    const q = [...EDGES, 1, 0.5, 2, 3.25, 50, 1e5, -1, -2.5, -3]
    await check((a, b) => scipy.special.zeta(a, b), pairs(s, q), TOL64, TOL32)
  })
})

describe('gradients of log-densities exported to ONNX', () => {
  it('grad of a summed Gamma and Beta log-density (lgamma, digamma, xlogy, xlog1py) runs in ORT', async () => {
    const loss = (a: NdArray, x: NdArray): NdArray =>
      sum(add(scipy.stats.gamma.logpdf(x, a), scipy.stats.beta.logpdf(div(x, 10), a, add(a, 0.5))))
    const g = grad(loss, { argnums: [0, 1] })
    const a = array([0.3, 1, 2.5, 7, 40], { dtype: 'float64' })
    const x = array([0.2, 1.5, 3, 6, 9.5], { dtype: 'float64' })
    const bytes = exportOnnx(g, [a, x], { inputNames: ['a', 'x'], outputNames: ['da', 'dx'] })
    const out = await runOrt(bytes, { a, x })
    const [da, dx] = g(a, x) as unknown as [NdArray, NdArray]
    expectMatch(out.da, da, [], 1e-14, 'd/da')
    expectMatch(out.dx, dx, [], 1e-14, 'd/dx')
  })
})
