/**
 * sinh, cosh, acosh and atanh as primitives: values against float64 Math (correctly rounded to
 * float32), the cases where the old exp composites were wrong (sinh cancelling to 0 near 0, cosh
 * overflowing in float32 below its real overflow), domains, closed-form derivatives, jit and vmap.
 */
import { describe, expect, it } from 'vitest'
import { acosh, array, atanh, cosh, grad, jit, sinh, sum, vmap, type NdArray, type NestedArray } from '../../src/index'
import { expectArray, expectClose } from '../ndarray/expect'

const f64 = (x: NestedArray) => array(x as number[], { dtype: 'float64' })
const ops = { sinh, cosh, acosh, atanh } as const
const math = { sinh: Math.sinh, cosh: Math.cosh, acosh: Math.acosh, atanh: Math.atanh } as const
const samples = {
  sinh: [-20, -1.5, -1e-3, 0, 1e-7, 0.5, 3, 80],
  cosh: [-20, -1.5, -1e-3, 0, 1e-7, 0.5, 3, 80],
  acosh: [1, 1 + 1e-6, 1.5, 2, 10, 1e6],
  atanh: [-0.999, -0.5, -1e-6, 0, 1e-8, 0.3, 0.75],
} as const

describe('sinh, cosh, acosh, atanh', () => {
  for (const name of ['sinh', 'cosh', 'acosh', 'atanh'] as const) {
    it(`${name} is the float64 value, rounded once for float32, in eager and jit`, () => {
      const xs = samples[name]
      expectClose(ops[name](f64([...xs])), xs.map(math[name]), { rtol: 2e-16, atol: 0 })
      const x = array([...xs])
      const eager = ops[name](x)
      expectArray(
        eager,
        xs.map((v) => Math.fround(math[name](Math.fround(v)))),
        'float32',
      )
      expect([...jit(ops[name])(x).toTypedArray()]).toEqual([...eager.toTypedArray()])
    })
  }

  it('sinh keeps tiny arguments that (eˣ − e⁻ˣ)/2 cancelled to 0 in float32', () => {
    expect(sinh(array([1e-10])).toArray()).toEqual([Math.fround(1e-10)])
  })

  it('cosh is finite in float32 up to its own overflow (e⁸⁹ alone overflows)', () => {
    const y = cosh(array([89, -89])).toArray() as number[]
    expect(y).toEqual([Math.fround(Math.cosh(89)), Math.fround(Math.cosh(89))])
    expect(Number.isFinite(y[0])).toBe(true)
  })

  it('acosh and atanh outside their real domains are NaN, ±∞ at atanh(±1)', () => {
    expectArray(acosh(f64([0.5, -2, NaN, Infinity])), [NaN, NaN, NaN, Infinity])
    expectArray(atanh(f64([1, -1, 1.5, NaN])), [Infinity, -Infinity, NaN, NaN])
  })

  it('have the closed-form derivatives cosh, sinh, 1/√(x²−1), 1/(1−x²)', () => {
    const d = (f: (x: NdArray) => NdArray) => grad((x: NdArray) => sum(f(x)))
    const x = [-2, 0.5, 3]
    expectClose(d(sinh)(f64(x)), x.map(Math.cosh), { rtol: 1e-15, atol: 0 })
    expectClose(d(cosh)(f64(x)), x.map(Math.sinh), { rtol: 1e-15, atol: 0 })
    const a = [1.5, 2, 10]
    expectClose(
      d(acosh)(f64(a)),
      a.map((v) => 1 / Math.sqrt(v * v - 1)),
      { rtol: 1e-15, atol: 0 },
    )
    const t = [-0.5, 0, 0.9]
    expectClose(
      d(atanh)(f64(t)),
      t.map((v) => 1 / (1 - v * v)),
      { rtol: 1e-14, atol: 0 },
    )
  })

  it('acosh′ near 1 does not cancel: 1/(√(x−1)·√(x+1))', () => {
    const x = 1 + 2 ** -40
    const g = grad((v: NdArray) => sum(acosh(v)))(f64([x])).item() as number
    // exact: 1/√((x−1)(x+1)) with x − 1 = 2⁻⁴⁰ exactly; √(x² − 1) would lose about half the digits
    expect(Math.abs(g * Math.sqrt(2 ** -40 * (2 + 2 ** -40)) - 1)).toBeLessThan(1e-15)
  })

  it('vmap of grad matches the per-example derivative', () => {
    const x = f64([
      [0.1, 0.2],
      [0.3, -0.4],
    ])
    const g = vmap(grad((v: NdArray) => sum(atanh(v))))(x)
    expectClose(
      g,
      [
        [0.1, 0.2],
        [0.3, -0.4],
      ].map((r) => r.map((v) => 1 / (1 - v * v))),
      { rtol: 1e-15, atol: 0 },
    )
  })
})
