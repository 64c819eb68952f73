/**
 * The regularised incomplete gamma functions and their a-derivatives exported to ONNX
 * (src/core/primitives/onnxIgamma.ts, onnxIgammaGrad.ts) and run in ONNX Runtime against wengert
 * eager: every branch of the kernels (the lower series, Legendre's fraction where x > a + 1, Q's
 * small-a series, the prefactor's direct product, its log fallback and its a ≥ 50 form), the edge
 * values (a or x 0, ∞, NaN, negative), float64 and float32, broadcasting, vmap, and gradients
 * through igamma with respect to a and x.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, mul, scipy, sum, vmap, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import * as lax from '../../src/core/lax'
import { check, EDGES, expectMatch, pairs, TOL32, TOL64 } from '../helpers/onnxSpecial'
import { runOrt } from '../helpers/ort'

const A = [...EDGES, -1, 1e-300, 1e-10, 0.1, 0.5, 0.9999, 1, 1.5, 2, 5, 10, 49.9, 50, 50.5, 100, 1e3, 3e4]
const X = [
  ...EDGES,
  -2,
  1e-300,
  1e-5,
  0.1,
  0.5,
  1,
  1.5,
  2,
  2.5,
  3,
  6,
  10,
  11.5,
  49,
  51,
  60,
  99,
  101,
  1e3,
  3e4,
  750,
  1e300,
]
const [GA, GX] = pairs(A, X)

/** P and Q agree to the tolerance of the other special functions (a few ulps). */
const TOL_GAMMA = TOL64
/**
 * dx/da cancels in s·(log x − ψ(a + 1)) + ds (an ulp of ONNX Log shows as 1e-15 relative, at
 * (2, 3)); ∂P/∂a also multiplies by exp((a − 1)·log x − x − lnΓ(a)), whose exponent's terms (up
 * to ~150 on this grid) turn an ulp of Log or lnΓ into 1e-14 relative (at (49.9, 3)).
 */
const TOL_RGG = 4e-15
const TOL_GRAD_A = 5e-14

describe('igamma and igammac exported to ONNX', () => {
  it('P(a, x) over every branch and edge', async () => {
    await check((a, x) => scipy.special.gammainc(a as NdArray, x as NdArray), [GA, GX], TOL_GAMMA, TOL32)
  })
  it('Q(a, x) over every branch and edge (small-a series included)', async () => {
    await check((a, x) => scipy.special.gammaincc(a as NdArray, x as NdArray), [GA, GX], TOL_GAMMA, TOL32)
  })
})

describe('the a-derivatives exported to ONNX', () => {
  it('igamma_grad_a (∂P/∂a) over both expansions and the edges', async () => {
    await check((a, x) => lax.igammaGradA(a as NdArray, x as NdArray), [GA, GX], TOL_GRAD_A, TOL32)
  })
  it('random_gamma_grad (dx/da of a Gamma sample)', async () => {
    await check((a, x) => lax.randomGammaGrad(a as NdArray, x as NdArray), [GA, GX], TOL_RGG, TOL32)
  })
})

describe('igamma broadcast, batched and differentiated, exported', () => {
  const a = array([[0.3], [1], [2.5], [60]], { dtype: 'float64' })
  const x = array([[0.2, 1.5, 3, 62, 9.5]], { dtype: 'float64' })
  it('broadcasting [4, 1] against [1, 5]', async () => {
    const f = (p: NdArray, q: NdArray): NdArray => scipy.special.gammainc(p, q)
    const out = await runOrt(exportOnnx(f, [a, x]), { arg0: a, arg1: x })
    expectMatch(out.output, f(a, x), [], TOL_GAMMA, 'broadcast')
  })
  it('vmap over rows', async () => {
    const f = vmap((p: NdArray, q: NdArray) => scipy.special.gammaincc(p, q), { inAxes: [0, null] })
    const out = await runOrt(exportOnnx(f, [a, x]), { arg0: a, arg1: x })
    expectMatch(out.output, f(a, x), [], TOL_GAMMA, 'vmap')
  })
  it('gradients of Σ w·P(a, x) with respect to a and x', async () => {
    const w = array([[1, -2, 0.5, 3, 1.5]], { dtype: 'float64' })
    const loss = (p: NdArray, q: NdArray): NdArray => sum(mul(scipy.special.gammainc(p, q), w))
    const g = grad(loss, { argnums: [0, 1] })
    const bytes = exportOnnx(g, [a, x], { inputNames: ['a', 'x'], outputNames: ['da', 'dx'] })
    const out = await runOrt(bytes, { a, x })
    const [da, dx] = g(a, x) as unknown as [NdArray, NdArray]
    expectMatch(out.da, da, [], 1e-14, 'd/da')
    expectMatch(out.dx, dx, [], 1e-14, 'd/dx')
    // float32: the same graph rounded once per primitive, as wengert's float32 kernels
    const [a32, x32] = [a.astype('float32'), x.astype('float32')]
    const names = { inputNames: ['a', 'x'], outputNames: ['da', 'dx'] }
    const o32 = await runOrt(exportOnnx(g, [a32, x32], names), { a: a32, x: x32 })
    const [da32, dx32] = g(a32, x32) as unknown as [NdArray, NdArray]
    expectMatch(o32.da, da32, [], 2.4e-7, 'd/da float32')
    expectMatch(o32.dx, dx32, [], 2.4e-7, 'd/dx float32')
    expect(da.shape).toEqual([4, 1])
  })
})
