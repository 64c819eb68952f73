/**
 * The hyperbolic primitives (src/core/primitives/hyperbolic.ts) exported to ONNX and run in ONNX
 * Runtime, values and gradients, against wengert eager.
 */
import { describe, expect, it } from 'vitest'
import { acosh, array, asinh, atanh, cosh, grad, sinh, sum, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import { flat, runOrt } from '../helpers/ort'

const cases = [
  ['sinh', sinh, [-20, -1.5, -1e-3, 0, 1e-7, 0.5, 3, 60]],
  ['cosh', cosh, [-20, -1.5, -1e-3, 0, 1e-7, 0.5, 3, 60]],
  ['asinh', asinh, [-20, -1.5, -1e-3, 0, 1e-7, 0.5, 3, 60]],
  ['acosh', acosh, [1, 1.001, 1.5, 2, 10, 1e4, 0.5]],
  ['atanh', atanh, [-0.999, -0.5, -1e-6, 0, 1e-8, 0.3, 0.75, 1]],
] as const

const close = (got: ReadonlyArray<number> | undefined, want: NdArray, tol: number): void => {
  const w = flat(want)
  expect(got?.length).toBe(w.length)
  w.forEach((v, i) => {
    const g = (got as ReadonlyArray<number>)[i] as number
    if (!Number.isFinite(v)) expect(g).toBe(v)
    else expect(Math.abs(g - v)).toBeLessThanOrEqual(tol * Math.abs(v) + 1e-30)
  })
}

describe('hyperbolic primitives in ONNX Runtime', () => {
  for (const [name, f, xs] of cases) {
    it(`${name}: values and gradient (float32)`, async () => {
      const x = array([...xs], { dtype: 'float32' })
      close((await runOrt(exportOnnx(f, [x]), { arg0: x })).output, f(x), 2.4e-7)
      const g = grad((v: NdArray) => sum(f(v)))
      const finite = array(
        xs.filter((v) => Number.isFinite(Math[name](v)) && Math.abs(v) !== 1 && v !== 1),
        { dtype: 'float32' },
      )
      close((await runOrt(exportOnnx(g, [finite]), { arg0: finite })).output, g(finite), 1e-6)
    })
  }
})
