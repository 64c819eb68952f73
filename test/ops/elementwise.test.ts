/**
 * Element-wise ops: hand-computed values, NumPy's broadcasting rule, weak-scalar dtype rules
 * and the numerically delicate cases (overflow-free sigmoid/softplus/tanh, NaN propagation).
 */
import { describe, expect, it } from 'vitest'
import {
  abs,
  acos,
  add,
  arange,
  array,
  asin,
  asinh,
  atan,
  atan2,
  ceil,
  clip,
  cos,
  cosh,
  div,
  equal,
  erf,
  exp,
  expm1,
  floor,
  grad,
  jit,
  greater,
  greaterEqual,
  isfinite,
  isnan,
  less,
  lessEqual,
  log,
  log1p,
  logicalAnd,
  logicalNot,
  logicalOr,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  sin,
  sinh,
  softplus,
  sqrt,
  square,
  sub,
  sum,
  tan,
  tanh,
  where,
  type NestedArray,
} from '../../src/index'
import { expectArray, expectClose } from '../ndarray/expect'

const f64 = (x: NestedArray) => array(x as number[], { dtype: 'float64' })
const i32 = (x: NestedArray) => array(x as number[], { dtype: 'int32' })
const { PI, E } = Math

describe('binary arithmetic', () => {
  it('add broadcasts a column against a row (NumPy: trailing axes align, 1 stretches)', () => {
    expectArray(
      add(array([[1], [2]]), array([10, 20, 30])),
      [
        [11, 21, 31],
        [12, 22, 32],
      ],
      'float32',
    )
  })

  it('add broadcasts a lower-rank operand by prepending axes', () => {
    // shapes [2,1,3] and [4,1] -> [2,4,3]
    const x = add(array([[[0, 1, 2]], [[10, 11, 12]]]), array([[100], [200], [300], [400]]))
    expect(x.shape).toEqual([2, 4, 3])
    expectArray(x, [
      [
        [100, 101, 102],
        [200, 201, 202],
        [300, 301, 302],
        [400, 401, 402],
      ],
      [
        [110, 111, 112],
        [210, 211, 212],
        [310, 311, 312],
        [410, 411, 412],
      ],
    ])
  })

  it('sub, mul, div by hand', () => {
    expectArray(sub(array([5, 7]), array([2, 10])), [3, -3])
    expectArray(mul(array([1.5, -2]), array([4, 0.5])), [6, -1])
    expectArray(div(f64([1, 3, -1]), f64([2, 4, 8])), [0.5, 0.75, -0.125], 'float64')
  })

  it('div follows IEEE: x/0 is ±inf, 0/0 is NaN', () => {
    expectArray(div(f64([1, -1, 0]), 0), [Infinity, -Infinity, NaN])
  })

  it('div of integers is true division in float32', () => {
    expectArray(div(i32([1, 7]), i32([2, 2])), [0.5, 3.5], 'float32')
  })

  it('pow by hand, including 0⁰ = 1 and a negative base with a fractional exponent (NaN)', () => {
    expectArray(pow(f64([2, 3, 0, 4, -8]), f64([3, 2, 0, 0.5, 1 / 3])), [8, 9, 1, 2, NaN], 'float64')
    expectArray(pow(i32([2, 3]), 2), [4, 9], 'int32')
  })

  it('maximum and minimum propagate NaN from either side', () => {
    expectArray(maximum(f64([1, 5, NaN, 1]), f64([3, 2, 1, NaN])), [3, 5, NaN, NaN])
    expectArray(minimum(f64([1, 5, NaN, 1]), f64([3, 2, 1, NaN])), [1, 2, NaN, NaN])
    expectArray(minimum(i32([1, 5]), i32([3, 2])), [1, 2], 'int32')
  })

  it('maximum and minimum of bools are logical or / and', () => {
    const a = array([true, true, false, false])
    const b = array([true, false, true, false])
    expectArray(maximum(a, b), [true, true, true, false], 'bool')
    expectArray(minimum(a, b), [true, false, false, false], 'bool')
  })

  it('atan2 picks the quadrant from both signs', () => {
    expectClose(
      atan2(f64([1, 1, -1, -1, 0, 0]), f64([1, -1, 1, -1, -1, 1])),
      [PI / 4, (3 * PI) / 4, -PI / 4, (-3 * PI) / 4, PI, 0],
      {
        rtol: 1e-15,
        atol: 0,
      },
    )
  })
})

describe('dtype rules', () => {
  it('float32 with float64 promotes to float64', () => {
    expect(add(array([1]), f64([1])).dtype).toBe('float64')
    expect(mul(f64([1]), array([1])).dtype).toBe('float64')
  })

  it('a JS number is a weak scalar that takes the array dtype', () => {
    expect(mul(array([1, 2]), 2).dtype).toBe('float32')
    expect(mul(2, array([1, 2])).dtype).toBe('float32')
    expect(add(f64([1]), 0.1).dtype).toBe('float64')
    expect(add(i32([1]), 2).dtype).toBe('int32')
    // a fractional number next to an int array needs a float: the default float32
    expectArray(add(i32([1]), 0.5), [1.5], 'float32')
  })

  it('the weak scalar is rounded to float32 inside a float32 op', () => {
    // 0.1 is not representable: the result is fround(1 + fround(0.1)) as in JAX
    expect(add(array([1]), 0.1).item()).toBe(Math.fround(1 + Math.fround(0.1)))
  })

  it('two numbers give a float32 0-d array (the default float dtype)', () => {
    const x = add(1, 2)
    expect(x.dtype).toBe('float32')
    expect(x.shape).toEqual([])
    expect(x.item()).toBe(3)
  })

  it('int32 with float32 promotes to float32; bool with a number to int32', () => {
    expect(add(i32([1]), array([1])).dtype).toBe('float32')
    expect(add(i32([1]), f64([1])).dtype).toBe('float64')
    expectArray(add(array([true, false]), 1), [2, 1], 'int32')
  })

  it('bool + bool is logical or, bool − bool is rejected (NumPy)', () => {
    expectArray(add(array([true, true, false]), array([true, false, false])), [true, true, false], 'bool')
    expect(() => sub(array([true]), array([false]))).toThrow(/sub: expected a numeric array, got dtype bool/)
  })

  it('comparisons return bool whatever the inputs', () => {
    expect(less(i32([1]), 2.5).dtype).toBe('bool')
    expect(equal(array([1]), f64([1])).dtype).toBe('bool')
  })
})

describe('comparisons and logic', () => {
  const x = array([1, 2, 3])
  it('compare against a broadcast scalar', () => {
    expectArray(equal(x, 2), [false, true, false], 'bool')
    expectArray(notEqual(x, 2), [true, false, true])
    expectArray(greater(x, 2), [false, false, true])
    expectArray(greaterEqual(x, 2), [false, true, true])
    expectArray(less(x, 2), [true, false, false])
    expectArray(lessEqual(x, 2), [true, true, false])
  })

  it('NaN is unequal to everything, itself included', () => {
    const n = f64([NaN])
    expectArray(equal(n, n), [false])
    expectArray(notEqual(n, n), [true])
    expectArray(less(n, 1), [false])
    expectArray(greaterEqual(n, 1), [false])
  })

  it('comparisons broadcast', () => {
    expectArray(less(array([[1], [3]]), array([2, 4])), [
      [true, true],
      [false, true],
    ])
  })

  it('logical ops treat non-zero (and NaN) as true', () => {
    expectArray(logicalAnd(array([1, 0, 2, 0]), array([3, 3, 0, 0])), [true, false, false, false], 'bool')
    expectArray(logicalOr(array([1, 0, 2, 0]), array([3, 3, 0, 0])), [true, true, true, false])
    expectArray(logicalNot(f64([0, -1, NaN])), [true, false, false])
  })

  it('where broadcasts condition and both branches', () => {
    // cond [2,1], x [3], y scalar -> [2,3]
    expectArray(where(array([[true], [false]]), array([1, 2, 3]), 0), [
      [1, 2, 3],
      [0, 0, 0],
    ])
    expectArray(where(array([true, false, true]), array([1, 2, 3]), array([10, 20, 30])), [1, 20, 3])
  })

  it('where takes a numeric condition as truthiness', () => {
    expectArray(where(array([0, 5]), array([1, 2]), array([8, 9])), [8, 2])
  })
})

describe('unary ops (float64, hand-computed)', () => {
  const tight = { rtol: 1e-14, atol: 1e-15 }
  it('neg, abs, sign, square, reciprocal', () => {
    expectArray(neg(f64([1, -2, 0])), [-1, 2, -0])
    expectArray(abs(f64([-1.5, 0, 2])), [1.5, 0, 2])
    expectArray(abs(i32([-3, 4])), [3, 4], 'int32')
    expectArray(sign(f64([-2, 0, 3, NaN])), [-1, 0, 1, NaN])
    expectArray(square(f64([-3, 0.5])), [9, 0.25])
    expectArray(reciprocal(f64([4, -0.5])), [0.25, -2])
  })

  it('exp, log and their accurate variants near 0', () => {
    expectClose(exp(f64([0, 1, -1])), [1, E, 1 / E], tight)
    expectClose(log(f64([1, E, 100])), [0, 1, 2 * Math.LN10], tight)
    expectArray(log(f64([0, -1])), [-Infinity, NaN])
    // exp(1e-10) - 1 loses 6 digits; expm1 keeps them: 1e-10 + 5e-21
    expectClose(expm1(f64([1e-10, 0])), [1.00000000005e-10, 0], { rtol: 1e-15, atol: 0 })
    expectClose(log1p(f64([1e-10, E - 1])), [9.9999999995e-11, 1], { rtol: 1e-15, atol: 0 })
  })

  it('sqrt, rsqrt', () => {
    expectClose(sqrt(f64([4, 2, 0])), [2, Math.SQRT2, 0], tight)
    expectArray(sqrt(f64([-1])), [NaN])
    expectClose(rsqrt(f64([4, 0.25])), [0.5, 2], tight)
  })

  it('trigonometry at the textbook angles', () => {
    expectClose(sin(f64([PI / 6, PI / 2, 0])), [0.5, 1, 0], tight)
    expectClose(cos(f64([PI / 3, 0, PI])), [0.5, 1, -1], tight)
    expectClose(tan(f64([PI / 4, 0, -PI / 4])), [1, 0, -1], tight)
    expectClose(asin(f64([0.5, 1, -1, 0])), [PI / 6, PI / 2, -PI / 2, 0], tight)
    expectClose(acos(f64([0.5, 1, -1, 0])), [PI / 3, 0, PI, PI / 2], tight)
    expectClose(atan(f64([1, 0, -1])), [PI / 4, 0, -PI / 4], tight)
    expectArray(asin(f64([2])), [NaN])
  })

  it('hyperbolic functions', () => {
    expectClose(sinh(f64([1, 0, -1])), [(E - 1 / E) / 2, 0, -(E - 1 / E) / 2], tight)
    expectClose(cosh(f64([1, 0])), [(E + 1 / E) / 2, 1], tight)
    expectClose(tanh(f64([1, 0, -1])), [(E * E - 1) / (E * E + 1), 0, -(E * E - 1) / (E * E + 1)], tight)
  })

  it('tanh saturates without NaN for huge inputs', () => {
    expectArray(tanh(array([1000, -1000])), [1, -1])
    expectArray(tanh(f64([1000, -1000])), [1, -1])
  })

  it('sigmoid: exact points and no overflow at ±1000', () => {
    expectClose(sigmoid(f64([0, Math.log(3), -Math.log(3)])), [0.5, 0.75, 0.25], tight)
    expectArray(sigmoid(array([1000, -1000])), [1, 0])
    expectArray(sigmoid(f64([1000, -1000])), [1, 0])
  })

  it('relu zeroes the negatives', () => {
    expectArray(relu(f64([-1, 0, 2])), [0, 0, 2])
    expectArray(relu(i32([-1, 3])), [0, 3], 'int32')
  })

  it('softplus = log(1 + eˣ) without overflow', () => {
    expectClose(softplus(f64([0, 1, -1])), [Math.LN2, Math.log(1 + E), Math.log(1 + 1 / E)], tight)
    expectArray(softplus(array([1000])), [1000])
    expectClose(softplus(f64([-50])), [Math.exp(-50)], { rtol: 1e-12, atol: 0 })
  })

  it('erf against tabulated values (Abramowitz & Stegun table 7.1)', () => {
    expectClose(
      erf(f64([0, 0.5, 1, 2, 3, -1])),
      [0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014, -0.8427007929497149],
      {
        rtol: 1e-13,
        atol: 1e-15,
      },
    )
    expectArray(erf(f64([Infinity, -Infinity])), [1, -1])
  })

  it('floor, ceil, and round half to even (NumPy)', () => {
    expectArray(floor(f64([-1.5, 1.5, 2])), [-2, 1, 2])
    expectArray(ceil(f64([-1.5, 1.5, 2])), [-1, 2, 2])
    expectArray(round(f64([0.5, 1.5, 2.5, -0.5, -2.5, 2.4, 2.6])), [0, 2, 2, -0, -2, 2, 3])
    expectArray(round(i32([3])), [3], 'int32')
  })

  it('clip to [lo, hi], or one side only', () => {
    expectArray(clip(f64([-2, 0.5, 3]), 0, 1), [0, 0.5, 1])
    expectArray(clip(f64([-2, 0.5, 3]), 0), [0, 0.5, 3])
    expectArray(clip(f64([-2, 0.5, 3]), undefined, 1), [-2, 0.5, 1])
    expectArray(clip(arange(5), 1, 3), [1, 1, 2, 3, 3], 'int32')
  })

  it('isnan and isfinite', () => {
    const x = f64([NaN, Infinity, -Infinity, 1])
    expectArray(isnan(x), [true, false, false, false], 'bool')
    expectArray(isfinite(x), [false, false, false, true], 'bool')
    expectArray(isnan(i32([1])), [false])
  })

  it('float ops promote int and bool input to float32', () => {
    expect(exp(i32([1])).dtype).toBe('float32')
    expect(sqrt(array([true])).dtype).toBe('float32')
    expect(sin(f64([1])).dtype).toBe('float64')
  })

  it('float32 results are float32-rounded', () => {
    const y = exp(array([1]))
    expect(y.dtype).toBe('float32')
    expect(Math.abs((y.item() as number) - E)).toBeLessThan(3e-7)
    expect(y.item()).toBe(Math.fround(y.item() as number))
  })
})

describe('asinh (the element-wise primitive added end to end in issue 9)', () => {
  it('is log(x + √(x² + 1)), odd, accurate near 0 and without overflow for huge x', () => {
    // asinh(1) = ln(1 + √2); asinh(1e300) = ln(2·1e300) (x + √(x² + 1) would overflow)
    expectClose(
      asinh(f64([0, 1, -2, 1e-10, 1e300])),
      [0, 0.881373587019543, -1.4436354751788103, 1e-10, 691.4686750787737],
      {
        rtol: 1e-15,
        atol: 0,
      },
    )
    expectArray(asinh(f64([NaN, Infinity, -Infinity])), [NaN, Infinity, -Infinity])
  })
  it('rounds float32 results from the float64 value, in eager and jit alike', () => {
    // Arrange
    const xs = [-30, -1.5, -0.25, 0.001, 0.7, 3, 1e20]
    const x = array(xs)
    // Act
    const eager = asinh(x)
    const staged = jit(asinh)(x)
    // Assert
    expect(eager.dtype).toBe('float32')
    expectArray(
      eager,
      xs.map((v) => Math.fround(Math.asinh(Math.fround(v)))),
      'float32',
    )
    expect([...staged.toTypedArray()]).toEqual([...eager.toTypedArray()])
  })
  it('has derivative 1/√(x² + 1)', () => {
    const g = grad((x: import('../../src/index').NdArray) => sum(asinh(x)))
    expectClose(g(f64([0, -3, 2])), [1, 1 / Math.sqrt(10), 1 / Math.sqrt(5)], { rtol: 1e-15, atol: 0 })
  })
})

describe('immutability', () => {
  it('ops never write into their inputs', () => {
    const x = array([1, 2, 3])
    const before = x.toArray()
    add(x, 1)
    neg(x)
    exp(x)
    expect(x.toArray()).toEqual(before)
  })
})

describe('softplus derivative', () => {
  // d/dx log(1 + eˣ) = σ(x) = 1/(1 + e⁻ˣ); at 0 it is ½ (a regression: a relu/abs composite gave −½)
  it.each([-1000, -30, -3, 0, 0.5, 2, 30, 1000])('is the logistic sigmoid at %d, with no NaN', (v) => {
    const g = grad(softplus)(array(v, { dtype: 'float64' })).item() as number
    expect(g).toBeCloseTo(1 / (1 + Math.exp(-v)), 14)
  })
})
