/**
 * Reductions: NumPy's `axis` (number, list, negative, default all) and `keepdims`, hand-computed
 * values, and the stable softmax family.
 */
import { describe, expect, it } from 'vitest'
import * as w from '../../src/index'
import {
  all,
  any,
  arange,
  argmax,
  argmin,
  array,
  logSoftmax,
  logsumexp,
  max,
  mean,
  min,
  prod,
  reshape,
  softmax,
  std,
  sum,
  variance,
  zeros,
  type NestedArray,
} from '../../src/index'
import { expectArray, expectClose } from '../ndarray/expect'

const f64 = (x: NestedArray) => array(x as number[], { dtype: 'float64' })
// x = [[1, 2, 3], [4, 5, 6]]
const x = f64([
  [1, 2, 3],
  [4, 5, 6],
])
// y[i][j][k] = 12i + 4j + k, shape [2, 3, 4]
const y = reshape(arange(24), [2, 3, 4])

describe('axis handling (NumPy rules)', () => {
  it('default reduces every axis to a 0-d array', () => {
    const s = sum(x)
    expect(s.shape).toEqual([])
    expect(s.item()).toBe(21)
  })

  it('a number, a negative number and a list select axes', () => {
    expectArray(sum(x, { axis: 0 }), [5, 7, 9])
    expectArray(sum(x, { axis: 1 }), [6, 15])
    expectArray(sum(x, { axis: -1 }), [6, 15])
    expectArray(sum(x, { axis: -2 }), [5, 7, 9])
    expectArray(sum(x, { axis: [0, 1] }), 21)
    expectArray(sum(x, { axis: [] }), [
      [1, 2, 3],
      [4, 5, 6],
    ])
  })

  it('non-adjacent axes: Σ over i,k of 12i + 4j + k = 32j + 60', () => {
    expectArray(sum(y, { axis: [0, 2] }), [60, 92, 124], 'int32')
    expectArray(sum(y, { axis: [-1, 0] }), [60, 92, 124])
  })

  it('keepdims keeps reduced axes as size 1', () => {
    expectArray(sum(x, { axis: 0, keepdims: true }), [[5, 7, 9]])
    expectArray(sum(x, { axis: -1, keepdims: true }), [[6], [15]])
    expectArray(sum(x, { keepdims: true }), [[21]])
    expect(sum(y, { axis: [0, 2], keepdims: true }).shape).toEqual([1, 3, 1])
    expect(max(y, { axis: 1, keepdims: true }).shape).toEqual([2, 1, 4])
  })

  it('axes out of range and repeated axes are ShapeErrors', () => {
    expect(() => sum(x, { axis: 2 })).toThrow(w.ShapeError)
    expect(() => sum(x, { axis: -3 })).toThrow(/sum: axis -3 is out of bounds for array of dimension 2/)
    expect(() => mean(x, { axis: [0, -2] })).toThrow(/mean: duplicate value in 'axis': repeated axis 0/)
    expect(() => max(x, { axis: 1.5 })).toThrow(w.ShapeError)
  })
})

describe('sum, mean, max, min, prod', () => {
  it('sum keeps int32, counts bools as int32', () => {
    expect(sum(arange(5)).dtype).toBe('int32')
    expectArray(sum(array([true, true, false])), 2, 'int32')
    expectArray(sum(zeros([0])), 0)
  })

  it('float32 sums round once at the end', () => {
    // 1e8 + 1 + 1 + … in float32 steps would stay 1e8; the exact sum 1e8 + 16 is representable
    const data = [1e8, ...Array<number>(16).fill(1)]
    expect(sum(array(data)).item()).toBe(1e8 + 16)
  })

  it('mean by hand; integers promote to float32', () => {
    expectArray(mean(x), 3.5)
    expectArray(mean(x, { axis: 0 }), [2.5, 3.5, 4.5])
    expectArray(mean(x, { axis: 1 }), [2, 5])
    expectArray(mean(arange(4)), 1.5, 'float32')
  })

  it('max and min over axes', () => {
    expectArray(max(x), 6)
    expectArray(max(x, { axis: 0 }), [4, 5, 6])
    expectArray(max(x, { axis: 1 }), [3, 6])
    expectArray(min(x), 1)
    expectArray(min(x, { axis: 0 }), [1, 2, 3])
    expectArray(
      min(
        f64([
          [3, -1],
          [-7, 2],
        ]),
        { axis: 1 },
      ),
      [-1, -7],
    )
    // max over i, k of 12i + 4j + k is 12 + 4j + 3
    expectArray(max(y, { axis: [0, 2] }), [15, 19, 23], 'int32')
  })

  it('max and min propagate NaN (NumPy)', () => {
    expectArray(max(f64([1, NaN, 3])), NaN)
    expectArray(
      min(
        f64([
          [1, NaN],
          [2, 3],
        ]),
        { axis: 1 },
      ),
      [NaN, 2],
    )
  })

  it('max of an empty axis is an error (no identity)', () => {
    expect(() => max(zeros([0]))).toThrow(/max: zero-size array to reduction operation max which has no identity/)
    expect(() => min(zeros([2, 0]), { axis: 1 })).toThrow(w.ValueError)
  })

  it('prod by hand, with zeros and over an empty axis (= 1)', () => {
    expectArray(prod(x), 720)
    expectArray(prod(x, { axis: 0 }), [4, 10, 18])
    expectArray(prod(x, { axis: 1 }), [6, 120])
    expectArray(prod(f64([3, 0, 5])), 0)
    expectArray(prod(f64([1, 2, 3, 4, 5])), 120) // odd count: the tree carries one factor
    expectArray(prod(zeros([0])), 1)
    expectArray(prod(array([true, true])), 1, 'int32')
    expectArray(prod(y, { axis: [0, 2] }), [
      0 * 1 * 2 * 3 * 12 * 13 * 14 * 15,
      4 * 5 * 6 * 7 * 16 * 17 * 18 * 19,
      8 * 9 * 10 * 11 * 20 * 21 * 22 * 23,
    ])
  })
})

describe('variance and std', () => {
  it('var: mean squared deviation; ddof divides by N − ddof', () => {
    // deviations from 3.5: ±2.5, ±1.5, ±0.5 -> squares sum to 17.5
    expectClose(variance(x), 17.5 / 6, { rtol: 1e-15 })
    expectClose(variance(x, { ddof: 1 }), 3.5, { rtol: 1e-15 })
    expectClose(variance(x, { axis: 1 }), [2 / 3, 2 / 3], { rtol: 1e-15 })
    expectClose(variance(x, { axis: 0 }), [2.25, 2.25, 2.25], { rtol: 1e-15 })
    expect(variance(x, { axis: 0, keepdims: true }).shape).toEqual([1, 3])
  })

  it("var is exported under NumPy's name too", () => {
    expect(w.var).toBe(variance)
  })

  it('std is the square root of var', () => {
    expectClose(std(x, { axis: 0 }), [1.5, 1.5, 1.5], { rtol: 1e-15 })
    expectClose(std(f64([2, 4, 4, 4, 5, 5, 7, 9])), 2, { rtol: 1e-15 })
    expectClose(std(f64([2, 4, 4, 4, 5, 5, 7, 9]), { ddof: 1 }), Math.sqrt(32 / 7), { rtol: 1e-15 })
  })

  it('var of a constant is exactly 0 even for large values (two-pass)', () => {
    expectArray(variance(array([1e4 + 0.5, 1e4 + 0.5, 1e4 + 0.5])), 0)
  })
})

describe('argmax, argmin', () => {
  it('over the flattened array by default', () => {
    expectArray(argmax(x), 5, 'int32')
    expectArray(argmin(x), 0, 'int32')
  })

  it('along an axis, with keepdims', () => {
    expectArray(
      argmax(
        f64([
          [1, 9, 3],
          [7, 5, 6],
        ]),
        { axis: 0 },
      ),
      [1, 0, 1],
    )
    expectArray(
      argmax(
        f64([
          [1, 9, 3],
          [7, 5, 6],
        ]),
        { axis: 1 },
      ),
      [1, 0],
    )
    expectArray(
      argmin(
        f64([
          [1, 9, 3],
          [7, 5, 6],
        ]),
        { axis: -1 },
      ),
      [0, 1],
    )
    expectArray(
      argmax(
        f64([
          [1, 9, 3],
          [7, 5, 6],
        ]),
        { axis: 1, keepdims: true },
      ),
      [[1], [0]],
    )
    expectArray(
      argmax(
        f64([
          [1, 9, 3],
          [7, 5, 6],
        ]),
        { keepdims: true },
      ),
      [[1]],
    )
  })

  it('ties give the first occurrence; NaN counts as the extreme (NumPy)', () => {
    expectArray(argmax(f64([1, 3, 3])), 1)
    expectArray(argmin(f64([2, 1, 1])), 1)
    expectArray(argmax(f64([1, NaN, 3, NaN])), 1)
    expectArray(argmin(f64([1, NaN, -3])), 1)
  })

  it('empty input is an error', () => {
    expect(() => argmax(zeros([0]))).toThrow(/argmax: attempt to get argmax of an empty sequence/)
  })
})

describe('all, any', () => {
  const b = array([
    [true, false],
    [true, true],
  ])
  it('reduce booleans over axes', () => {
    expectArray(all(b), false, 'bool')
    expectArray(any(b), true, 'bool')
    expectArray(all(b, { axis: 0 }), [true, false])
    expectArray(any(b, { axis: 1 }), [true, true])
    expectArray(all(b, { axis: 1, keepdims: true }), [[false], [true]])
  })

  it('numbers are truthy when non-zero; empty all is true, empty any is false', () => {
    expectArray(all(array([1, 0, 2])), false)
    expectArray(any(array([0, 0, -1])), true)
    expectArray(all(zeros([0])), true)
    expectArray(any(zeros([0])), false)
  })
})

describe('logsumexp, softmax, logSoftmax', () => {
  const tight = { rtol: 1e-14, atol: 1e-14 }
  it('logsumexp by hand', () => {
    expectClose(logsumexp(f64([0, 0])), Math.LN2, tight)
    expectClose(logsumexp(f64([1, 2, 3])), 3 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), tight)
    expectClose(
      logsumexp(
        f64([
          [0, 0],
          [1, 1],
        ]),
        { axis: 1 },
      ),
      [Math.LN2, 1 + Math.LN2],
      tight,
    )
    expect(
      logsumexp(
        f64([
          [0, 0],
          [1, 1],
        ]),
        { axis: 1, keepdims: true },
      ).shape,
    ).toEqual([2, 1])
  })

  it('logsumexp is stable for large inputs and handles −inf', () => {
    expectClose(logsumexp(f64([1000, 1000])), 1000 + Math.LN2, tight)
    expectClose(logsumexp(f64([-1000, -1000])), -1000 + Math.LN2, tight)
    expectClose(logsumexp(array([1000, 1000])), 1000.6931, { rtol: 1e-6 })
    expectArray(logsumexp(f64([-Infinity, -Infinity])), -Infinity)
    expectClose(logsumexp(f64([-Infinity, 0])), 0, tight)
  })

  it('softmax by hand: e^xᵢ / Σ e^xⱼ', () => {
    const z = 1 + Math.E + Math.E ** 2
    expectClose(softmax(f64([0, 1, 2])), [1 / z, Math.E / z, Math.E ** 2 / z], tight)
  })

  it('softmax is shift-invariant, so large inputs do not overflow', () => {
    const z = 1 + Math.E + Math.E ** 2
    expectClose(softmax(f64([1000, 1001, 1002])), [1 / z, Math.E / z, Math.E ** 2 / z], tight)
    expectClose(softmax(array([1000, 1000])), [0.5, 0.5])
    expectClose(softmax(array([-1000, 0])), [0, 1])
  })

  it('softmax uses the last axis by default; axis selects another', () => {
    const m = f64([
      [0, Math.LN2],
      [Math.LN2, 0],
    ])
    expectClose(
      softmax(m),
      [
        [1 / 3, 2 / 3],
        [2 / 3, 1 / 3],
      ],
      tight,
    )
    expectClose(
      softmax(m, { axis: 0 }),
      [
        [1 / 3, 2 / 3],
        [2 / 3, 1 / 3],
      ],
      tight,
    )
    expectClose(
      softmax(
        f64([
          [0, 0],
          [Math.LN2, Math.LN2],
        ]),
        { axis: 0 },
      ),
      [
        [1 / 3, 1 / 3],
        [2 / 3, 2 / 3],
      ],
      tight,
    )
  })

  it('logSoftmax = x − logsumexp(x), stable for large inputs', () => {
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))
    expectClose(logSoftmax(f64([1, 2, 3])), [1 - lse, 2 - lse, 3 - lse], tight)
    expectClose(logSoftmax(f64([1000, 0])), [0, -1000], tight)
    expectClose(logSoftmax(array([1000, 0])), [0, -1000])
    expectClose(
      logSoftmax(
        f64([
          [1, 1],
          [0, 1000],
        ]),
        { axis: -1 },
      ),
      [
        [-Math.LN2, -Math.LN2],
        [-1000, 0],
      ],
      tight,
    )
  })
})

describe('cumsum (the axis-parameterised primitive added end to end in issue 9)', () => {
  it('sums along an axis, from its end with reverse, over the flattened array without one', () => {
    const x = f64([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expectArray(w.cumsum(x), [1, 3, 6, 10, 15, 21])
    expectArray(w.cumsum(x, { axis: 0 }), [
      [1, 2, 3],
      [5, 7, 9],
    ])
    expectArray(w.cumsum(x, { axis: -1, reverse: true }), [
      [6, 5, 3],
      [15, 11, 6],
    ])
    expectArray(w.cumsum(f64([])), [])
    expectArray(w.cumsum(zeros([2, 0]), { axis: 1 }), [[], []], 'float32')
    // data-last
    expectArray(w.cumsum({ axis: 1 })(x), [
      [1, 3, 6],
      [4, 9, 15],
    ])
  })

  it('accumulates in the dtype, as NumPy 1.24 does (test/ops/fixtures/cumsum.py)', () => {
    const tenths = (n: number) => array(new Array<number>(n).fill(0.1))
    expect(w.cumsum(tenths(10)).toTypedArray()[9]).toBe(1.0000001192092896)
    expect(w.cumsum(tenths(10000)).toTypedArray()[9999]).toBe(999.9028930664062)
    expectArray(w.cumsum(array([1e8, 1, 1, 1, 1])), [1e8, 1e8, 1e8, 1e8, 1e8], 'float32')
    expectArray(
      w.cumsum(array([2 ** 31 - 1, 1, 1], { dtype: 'int32' })),
      [2147483647, -2147483648, -2147483647],
      'int32',
    )
    expectArray(w.cumsum(array([true, false, true])), [1, 1, 2], 'int32')
    expectArray(w.cumsum(array([1, 2], { dtype: 'int32' }), { dtype: 'float64' }), [1, 3], 'float64')
  })

  it('reports a bad axis or dtype in its own terms', () => {
    expect(() => w.cumsum(f64([1, 2]), { axis: 1 })).toThrow(/cumsum: axis 1 is out of bounds for array of dimension 1/)
    expect(() => w.cumsum(f64([1, 2]), { dtype: 'bool' })).toThrow(w.DTypeError)
  })

  it('differentiates and vectorises: the gradient of Σ wᵢ·cumsum(x)ᵢ is the reversed running sum of w', () => {
    // Arrange
    const wts = f64([1, 10, 100])
    const f = (x: w.NdArray) => sum(w.mul(wts, w.cumsum(x)))
    // Act
    const g = w.grad(f)(f64([0.5, -1, 2]))
    const batched = w.vmap((x: w.NdArray) => w.cumsum(x, { reverse: true }))(
      f64([
        [1, 2],
        [3, 4],
      ]),
    )
    const staged = w.jit((x: w.NdArray) => w.cumsum(x, { axis: 0 }))(
      f64([
        [1, 2],
        [3, 4],
      ]),
    )
    // Assert
    expectArray(g, [111, 110, 100])
    expectArray(batched, [
      [3, 2],
      [7, 4],
    ])
    expectArray(staged, [
      [1, 2],
      [4, 6],
    ])
  })
})
