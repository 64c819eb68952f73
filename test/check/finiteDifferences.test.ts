import { describe, expect, it } from 'vitest'
import {
  array,
  defaultTolerance,
  exp,
  grad,
  innerProduct,
  jacfwd,
  matmul,
  mul,
  numericalJacobian,
  numericalJvp,
  numericalVjp,
  sin,
  sum,
  worstMismatch,
  type NdArray,
} from 'wengert'

const f64 = (v: Parameters<typeof array>[0]): NdArray => array(v, { dtype: 'float64' })
const values = (x: NdArray): number[] => Array.from(x.toTypedArray() as Float64Array)

describe('numericalJvp', () => {
  it('agrees with the analytic JVP to ~1e-9 in float64', () => {
    // Arrange
    const x = f64([-1, 0, 0.5, 2])
    const t = f64([1, -2, 0.25, 3])
    // Act
    const yDot = numericalJvp(sin, [x], [t])
    // Assert
    values(yDot).forEach((v, i) => expect(Math.abs(v - Math.cos(values(x)[i]!) * values(t)[i]!)).toBeLessThan(1e-9))
    expect(yDot.dtype).toBe('float64')
  })

  it('is exactly zero for a zero tangent, and sensible for a denormal one', () => {
    const x = f64([0.3])
    expect(values(numericalJvp(exp, [x], [f64([0])]))).toEqual([0])
    const tiny = numericalJvp(exp, [x], [f64([5e-324])])
    expect(Number.isFinite(values(tiny)[0]!)).toBe(true)
    expect(Math.abs(values(tiny)[0]!)).toBeLessThan(1e-300)
  })

  it('keeps the output pytree structure and holds integer arguments fixed', () => {
    const n = array([3], { dtype: 'int32' })
    const out = numericalJvp(
      (x: NdArray, k: NdArray) => ({ a: mul(x, x), b: [mul(x, k)] }),
      [f64([2]), n],
      [f64([1]), n],
    )
    expect(values(out.a)[0]).toBeCloseTo(4, 8)
    expect(values(out.b[0]!)[0]).toBeCloseTo(3, 8)
  })

  it('uses the float32 step for float32 inputs (still accurate to ~1e-4)', () => {
    expect(defaultTolerance(['float32']).eps).toBe(1e-3)
    const yDot = numericalJvp(sin, [array([0.5])], [array([1])])
    expect(yDot.dtype).toBe('float32')
    expect(Math.abs((yDot.item() as number) - Math.cos(0.5))).toBeLessThan(1e-3)
  })

  it('rejects mismatched tangents', () => {
    expect(() => numericalJvp(sin, [f64([1, 2])], [f64([1])])).toThrow(
      /primal 0 has shape \[2\] but its tangent has shape \[1\]/,
    )
    expect(() => numericalJvp(sin, [f64([1])], [])).toThrow(/one tangent per primal/)
  })
})

describe('numericalJacobian and numericalVjp', () => {
  it('the Jacobian has shape out ++ in and matches jacfwd', () => {
    // Arrange
    const a = f64([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ])
    const b = f64([
      [1, 2],
      [3, 4],
      [5, 6],
    ])
    const f = (x: NdArray, y: NdArray): NdArray => sin(matmul(x, y))
    // Act
    const num = numericalJacobian(f, [a, b], { argnum: 1 })
    const exact = jacfwd(f, { argnums: 1 })(a, b) as NdArray
    // Assert
    expect(num.shape).toEqual([2, 2, 3, 2])
    expect(worstMismatch([exact], [num], { atol: 1e-8, rtol: 1e-8 })).toBeUndefined()
  })

  it('numericalVjp is the gradient of ⟨ȳ, f⟩', () => {
    const x = f64([0.5, -1, 2])
    const [g] = numericalVjp((v: NdArray) => sum(exp(v)), [x], f64(1))
    expect(worstMismatch([grad((v: NdArray) => sum(exp(v)))(x)], [g!], { atol: 1e-8, rtol: 1e-8 })).toBeUndefined()
  })

  it('refuses to perturb an integer argument', () => {
    expect(() => numericalJacobian(sin, [array([1], { dtype: 'int32' })])).toThrow(/only float arguments/)
    expect(() => numericalJacobian(sin, [f64([1])], { argnum: 2 })).toThrow(/out of range/)
  })
})

describe('comparisons', () => {
  it('worstMismatch reports the element furthest beyond its tolerance', () => {
    const m = worstMismatch(
      [
        f64([
          [1, 100],
          [3, 4],
        ]),
      ],
      [
        f64([
          [1.1, 100.5],
          [3, 4],
        ]),
      ],
      { atol: 0, rtol: 0.01 },
    )
    // 0.1 > 0.01·1 is 10× over; 0.5 < 0.01·100 is within
    expect(m?.index).toEqual([0, 0])
    expect(m?.expected).toBe(1)
    expect(m?.got).toBe(1.1)
  })

  it('NaN matches NaN and nothing else', () => {
    expect(worstMismatch([f64([NaN])], [f64([NaN])], { atol: 0, rtol: 0 })).toBeUndefined()
    expect(worstMismatch([f64([1])], [f64([NaN])], { atol: 1, rtol: 1 })?.flat).toBe(0)
  })

  it('innerProduct returns the value and the sum of absolute terms', () => {
    expect(innerProduct([f64([1, -2]), f64(3)], [f64([3, 4]), f64(2)])).toEqual({ value: 1, scale: 17 })
    expect(() => innerProduct([f64([1])], [])).toThrow(/different lengths/)
  })
})
