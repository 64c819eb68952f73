import { describe, expect, it } from 'vitest'
import {
  array,
  checkGrads,
  cos,
  customJvp,
  customVjp,
  exp,
  GradCheckError,
  logsumexp,
  matmul,
  mul,
  sin,
  softmax,
  stopGradient,
  sum,
  tanh,
  ValueError,
  type NdArray,
} from 'wengert'

const f64 = (v: Parameters<typeof array>[0]): NdArray => array(v, { dtype: 'float64' })

/** The GradCheckError `f` throws (fails the test if it throws none). */
const gradCheckError = (f: () => void): GradCheckError => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(GradCheckError)
    return e as GradCheckError
  }
  throw new Error('expected a GradCheckError')
}

describe('checkGrads passes correct derivatives', () => {
  it('composites at orders 1 to 3, in both modes', () => {
    const a = f64([
      [0.1, -0.4, 0.3],
      [0.2, 0.5, -0.6],
    ])
    const b = f64([
      [0.7, -0.2],
      [0.1, 0.9],
      [-0.5, 0.3],
    ])
    checkGrads((x: NdArray, y: NdArray) => tanh(matmul(x, y)), [a, b], { order: 3 })
    checkGrads((x: NdArray) => logsumexp(x, { axis: 1 }), [a])
    checkGrads((x: NdArray) => softmax(x, { axis: 0 }), [a])
  })

  it('one mode at a time', () => {
    checkGrads(sin, [f64([0.3, 1.2])], { modes: ['fwd'], order: 3 })
    checkGrads(sin, [f64([0.3, 1.2])], { modes: ['rev'], order: 3 })
  })

  it('pytrees of arguments and results; integer leaves are held fixed; numbers become float64', () => {
    const params = { w: f64([0.5, -1]), n: array([2, 3], { dtype: 'int32' }) }
    checkGrads((p: typeof params, s: number) => ({ y: mul(mul(sin(p.w), p.n), s), z: [exp(p.w)] }), [params, 1.5])
  })

  it('float32 arguments get the float32 tolerances', () => {
    checkGrads((x: NdArray) => sum(mul(sin(x), x)), [array([0.5, 1, -2])])
  })
})

describe('checkGrads reports the worst mismatch', () => {
  it('a wrong VJP: which argument and element, expected and got', () => {
    // Arrange: ∂/∂y of x·y is x, the rule says 2x for y's second element only
    const bad = customVjp(
      (x, y) => mul(x, y),
      (x, y) => [mul(x, y), [x, y]],
      (res, g) => {
        const [x, y] = res as [NdArray, NdArray]
        return [mul(g, y), mul(mul(g, x), f64([1, 2, 1]))]
      },
    )
    // Act
    const e = gradCheckError(() => checkGrads(bad, [f64([0.5, 1.5, -1]), f64([2, 3, 4])], { modes: ['rev'], order: 1 }))
    // Assert
    expect(e.check).toBe('VJP')
    expect(e.mismatch?.argument).toBe('argument 1')
    expect(e.mismatch?.index).toEqual([1])
    // the rule doubles the true cotangent there
    expect((e.mismatch?.got ?? 0) / (e.mismatch?.expected ?? 1)).toBeCloseTo(2, 6)
    expect(e.message).toMatch(
      /VJP does not match central differences: argument 1, element \[1\]: expected .* \(central differences\) but got .* \(reverse mode\)/,
    )
  })

  it('a wrong JVP: the output element and the argument whose tangent shows it', () => {
    const wrongSin = customJvp(sin, ([x], [t]) => [sin(x!), mul(t!, sin(x!))])
    const e = gradCheckError(() =>
      checkGrads((u: NdArray, v: NdArray) => mul(wrongSin(u), v), [f64([0.5]), f64([2])], { order: 1 }),
    )
    expect(e.check).toBe('JVP')
    expect(e.mismatch?.argument).toBe('argument 0')
    expect(e.message).toMatch(/output 0, element \[0\] \(tangent on argument 0\)/)
  })

  it('a rule that is right at first order but not differentiable fails only at order 2', () => {
    const frozenSin = customVjp(
      sin,
      (x) => [sin(x), x],
      (x, g) => [mul(g, cos(stopGradient(x as NdArray)))],
    )
    const x = [f64([0.4, 1.1])]
    checkGrads(frozenSin, x, { order: 1, modes: ['rev'] })
    const e = gradCheckError(() => checkGrads(frozenSin, x, { order: 2, modes: ['rev'] }))
    expect(e.check).toBe('VJP of VJP')
  })

  it('is deterministic for a seed', () => {
    const wrongSin = customJvp(sin, ([x], [t]) => [sin(x!), mul(t!, sin(x!))])
    const run = (seed: number): string =>
      gradCheckError(() => checkGrads(wrongSin, [f64([0.5, 1, 2])], { seed, order: 1 })).message
    expect(run(3)).toBe(run(3))
  })
})

describe('checkGrads validates its options', () => {
  it('order, modes and float arguments', () => {
    expect(() => checkGrads(sin, [f64(1)], { order: 0 })).toThrow(ValueError)
    expect(() => checkGrads(sin, [f64(1)], { modes: ['sideways' as 'fwd'] })).toThrow(/unknown mode sideways/)
    expect(() => checkGrads(sin, [array(1, { dtype: 'int32' })])).toThrow(/no float arguments/)
  })
})
