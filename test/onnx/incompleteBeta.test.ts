/**
 * The regularised incomplete beta function exported to ONNX (src/core/primitives/onnxBeta.ts) and
 * run in ONNX Runtime against wengert eager: both sides of the symmetry, the edge values (x at 0
 * and 1, outside [0, 1], a or b ≤ 0, ∞ or NaN), float64 and float32, broadcasting, and the
 * gradient with respect to x.
 */
import { describe, it } from 'vitest'
import { array, grad, mul, scipy, sum, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import { check, dense, expectMatch, TOL32 } from '../helpers/onnxSpecial'
import { runOrt } from '../helpers/ort'

const AB = [NaN, Infinity, 0, -1, 1e-8, 0.1, 0.5, 1, 2, 3.5, 10, 50, 1e3]
const XS = [NaN, -0.1, 0, 1e-300, 1e-5, 0.1, 0.3, 0.5, 0.7, 0.9, 1 - 1e-9, 1, 1.5, ...dense(0, 1, 5)]

/** Every triple of the three lists, as three flat lists. */
const triples = (a: number[], b: number[], x: number[]): [number[], number[], number[]] => {
  const out: [number[], number[], number[]] = [[], [], []]
  for (const p of a) for (const q of b) for (const v of x) [p, q, v].forEach((u, i) => out[i]?.push(u))
  return out
}

/**
 * Relative: the prefactor exp(a·log x + b·log1p(−x) − log B(a, b)) turns an ulp of ONNX Log (or
 * of the log1p identity) into the size of its exponent's terms times 1e-16, 2.3e-13 at
 * a = b = 1e3, x = 0.3 (1e-14 below a, b = 50). Absolute: on the symmetric side the kernel
 * returns 1 − I_{1−x}(b, a), which cancels where the result is tiny (b = 1e-8: results near 1e-7
 * agree to 1e-16 absolute, 1e-9 relative), so 1e-15 absolute is allowed as well.
 */
const TOL_BETA = 5e-13
const ABS_BETA = 1e-15

describe('regularized_incomplete_beta exported to ONNX', () => {
  it('I_x(a, b) on both sides of the symmetry and at the edges', async () => {
    await check(
      (a, b, x) => scipy.special.betainc(a as NdArray, b as NdArray, x as NdArray),
      triples(AB, AB, XS),
      TOL_BETA,
      TOL32,
      ABS_BETA,
    )
  })
  it('broadcast [3, 1, 1] × [1, 2, 1] × [4] and the gradient in x', async () => {
    const a = array([[[0.5]], [[2]], [[30]]], { dtype: 'float64' })
    const b = array([[[1.5], [4]]], { dtype: 'float64' })
    const x = array([0.05, 0.4, 0.6, 0.97], { dtype: 'float64' })
    const f = (p: NdArray, q: NdArray, v: NdArray): NdArray => scipy.special.betainc(p, q, v)
    const out = await runOrt(exportOnnx(f, [a, b, x]), { arg0: a, arg1: b, arg2: x })
    expectMatch(out.output, f(a, b, x), [], TOL_BETA, 'broadcast')
    const w = array([1, -2, 0.5, 3], { dtype: 'float64' })
    const g = grad((v: NdArray) => sum(mul(f(a, b, v), w)))
    const og = await runOrt(
      exportOnnx((p: NdArray, q: NdArray, v: NdArray) => grad((u: NdArray) => sum(mul(f(p, q, u), w)))(v), [a, b, x]),
      {
        arg0: a,
        arg1: b,
        arg2: x,
      },
    )
    expectMatch(og.output, g(x), [], 1e-13, 'd/dx')
  })
})
