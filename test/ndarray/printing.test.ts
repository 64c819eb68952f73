/**
 * `toString()` prints NumPy's `repr`. Expected strings are NumPy's own outputs: most are copied
 * from NumPy's documentation (the quickstart tutorial, `numpy.linspace`, `numpy.full`,
 * `numpy.isnan`, `numpy.array_repr`), the rest follow the rules documented in
 * `numpy/_core/arrayprint.py` (FloatingFormat, IntegerFormat, BoolFormat, `_formatArray`,
 * `_array_repr_implementation`) under the default print options (precision 8, threshold 1000,
 * edgeitems 3, linewidth 75, floatmode 'maxprec'; NumPy ≥ 2.2 adds `shape=` to summarised arrays).
 */
import { describe, expect, it } from 'vitest'
import {
  arange,
  array,
  exp,
  full,
  less,
  linspace,
  mul,
  ones,
  reshape,
  sin,
  sqrt,
  zeros,
  type NestedArray,
} from '../../src/index'
import { formatData } from '../../src/ndarray/format'

const f64 = (x: NestedArray) => array(x as number[], { dtype: 'float64' })

describe('floats (NumPy documentation examples, float64)', () => {
  it('quickstart: trailing zeros trimmed, the point kept, fractions right-padded', () => {
    // np.array([(1.5, 2, 3), (4, 5, 6)])
    expect(
      f64([
        [1.5, 2, 3],
        [4, 5, 6],
      ]).toString(),
    ).toBe('array([[1.5, 2. , 3. ],\n       [4. , 5. , 6. ]])')
  })

  it('quickstart: np.arange(0, 2, 0.3)', () => {
    // NumPy computes start + i·step: 0.8999999999999999 prints as 0.9 (8 digits, trimmed)
    const x = f64(Array.from({ length: 7 }, (_, i) => i * 0.3))
    expect(x.toString()).toBe('array([0. , 0.3, 0.6, 0.9, 1.2, 1.5, 1.8])')
  })

  it('quickstart: np.linspace(0, 2, 9)', () => {
    expect(linspace(0, 2, 9, { dtype: 'float64' }).toString()).toBe(
      'array([0.  , 0.25, 0.5 , 0.75, 1.  , 1.25, 1.5 , 1.75, 2.  ])',
    )
  })

  it('linspace docs: np.linspace(2.0, 3.0, num=5)', () => {
    expect(linspace(2, 3, 5, { dtype: 'float64' }).toString()).toBe('array([2.  , 2.25, 2.5 , 2.75, 3.  ])')
  })

  it('quickstart universal functions: np.exp(B), np.sqrt(B) for B = np.arange(3)', () => {
    const b = arange(3, undefined, 1, { dtype: 'float64' })
    expect(exp(b).toString()).toBe('array([1.        , 2.71828183, 7.3890561 ])')
    expect(sqrt(b).toString()).toBe('array([0.        , 1.        , 1.41421356])')
  })

  it('quickstart: 10 * np.sin(a) — signs widen the integer part', () => {
    const a = f64([20, 30, 40, 50])
    expect(mul(sin(a), 10).toString()).toBe('array([ 9.12945251, -9.88031624,  7.4511316 , -2.62374854])')
  })

  it('quickstart: np.zeros((3, 4))', () => {
    expect(zeros([3, 4], { dtype: 'float64' }).toString()).toBe(
      'array([[0., 0., 0., 0.],\n       [0., 0., 0., 0.],\n       [0., 0., 0., 0.]])',
    )
  })

  it('full docs: np.full((2, 2), np.inf)', () => {
    expect(full([2, 2], Infinity, { dtype: 'float64' }).toString()).toBe('array([[inf, inf],\n       [inf, inf]])')
  })
})

describe('floats (FloatingFormat rules)', () => {
  it('float32 prints its own shortest digits and shows the dtype', () => {
    // float32(1.1) is 1.10000002384…; the shortest float32 repr is 1.1
    expect(array([0.1, 1.1]).toString()).toBe('array([0.1, 1.1], dtype=float32)')
    expect(
      array([
        [1.5, 2],
        [3, 4],
      ]).toString(),
    ).toBe('array([[1.5, 2. ],\n       [3. , 4. ]], dtype=float32)')
    expect(array([1 / 3]).toString()).toBe('array([0.33333334], dtype=float32)')
  })

  it('float64 rounds to 8 digits after the point', () => {
    expect(f64([1 / 3, 2 / 3]).toString()).toBe('array([0.33333333, 0.66666667])')
  })

  it('scientific when the smallest magnitude is under 1e-4', () => {
    // every mantissa gets the longest fraction needed (min_digits); exponents have 2+ digits
    expect(f64([1.5e-10, 1.5, 1500]).toString()).toBe('array([1.5e-10, 1.5e+00, 1.5e+03])')
    expect(f64([1e-5, 1]).toString()).toBe('array([1.e-05, 1.e+00])')
    expect(f64([-1e-5, 1]).toString()).toBe('array([-1.e-05,  1.e+00])')
  })

  it('scientific when max/min exceeds 1000 or max reaches 1e8', () => {
    expect(f64([1, 1000]).toString()).toBe('array([   1., 1000.])')
    expect(f64([1, 10000]).toString()).toBe('array([1.e+00, 1.e+04])')
    expect(f64([1e8]).toString()).toBe('array([1.e+08])')
    expect(f64([12345678]).toString()).toBe('array([12345678.])')
    expect(f64([1e-100, 1]).toString()).toBe('array([1.e-100, 1.e+000])')
  })

  it('zeros do not count for the notation; -0 keeps its sign', () => {
    expect(f64([0, 1e-5]).toString()).toBe('array([0.e+00, 1.e-05])')
    expect(f64([-0, 0]).toString()).toBe('array([-0.,  0.])')
  })

  it('nan and inf are right-aligned in the common width', () => {
    expect(f64([1, NaN]).toString()).toBe('array([ 1., nan])')
    expect(f64([NaN, -Infinity]).toString()).toBe('array([ nan, -inf])')
    expect(f64([1.5, -Infinity, 2]).toString()).toBe('array([ 1.5, -inf,  2. ])')
    expect(f64(NaN).toString()).toBe('array(nan)')
  })

  it('0-d arrays print the bare value', () => {
    expect(f64(-1.5).toString()).toBe('array(-1.5)')
    expect(array(2).toString()).toBe('array(2., dtype=float32)')
  })
})

describe('ints and bools', () => {
  it('quickstart: np.arange(15).reshape(3, 5), with int32 shown', () => {
    expect(reshape(arange(15), [3, 5]).toString()).toBe(
      'array([[ 0,  1,  2,  3,  4],\n       [ 5,  6,  7,  8,  9],\n       [10, 11, 12, 13, 14]], dtype=int32)',
    )
  })

  it('quickstart: np.ones((2, 3, 4)) — a blank line between blocks', () => {
    expect(ones([2, 3, 4], { dtype: 'int32' }).toString()).toBe(
      [
        'array([[[1, 1, 1, 1],',
        '        [1, 1, 1, 1],',
        '        [1, 1, 1, 1]],',
        '',
        '       [[1, 1, 1, 1],',
        '        [1, 1, 1, 1],',
        '        [1, 1, 1, 1]]], dtype=int32)',
      ].join('\n'),
    )
  })

  it('negative ints widen the column', () => {
    expect(array([-1, 2, -30], { dtype: 'int32' }).toString()).toBe('array([ -1,   2, -30], dtype=int32)')
  })

  it('quickstart: a < 35 — True is padded to the width of False', () => {
    expect(less(array([20, 30, 40, 50]), 35).toString()).toBe('array([ True,  True, False, False])')
    expect(array([true, true]).toString()).toBe('array([ True,  True])')
    expect(array(true).toString()).toBe('array(True)')
  })
})

describe('empty, long and summarised arrays', () => {
  it('array_repr docs: empty arrays show their dtype, non-1-D ones their shape', () => {
    // np.array_repr(np.array([], np.int32)) -> 'array([], dtype=int32)'
    expect(array([], { dtype: 'int32' }).toString()).toBe('array([], dtype=int32)')
    expect(zeros([0], { dtype: 'float64' }).toString()).toBe('array([], dtype=float64)')
    expect(zeros([2, 0]).toString()).toBe('array([], shape=(2, 0), dtype=float32)')
  })

  it('rows wrap at 75 characters with a hanging indent', () => {
    expect(arange(30, undefined, 1, { dtype: 'float64' }).toString()).toBe(
      [
        'array([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12.,',
        '       13., 14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25.,',
        '       26., 27., 28., 29.])',
      ].join('\n'),
    )
  })

  it('quickstart printing: np.arange(10000).reshape(100, 100) is summarised', () => {
    // the quickstart shows print() (str); repr has the same layout with ', ' separators
    expect(reshape(arange(10000), [100, 100]).toString()).toBe(
      [
        'array([[   0,    1,    2, ...,   97,   98,   99],',
        '       [ 100,  101,  102, ...,  197,  198,  199],',
        '       [ 200,  201,  202, ...,  297,  298,  299],',
        '       ...,',
        '       [9700, 9701, 9702, ..., 9797, 9798, 9799],',
        '       [9800, 9801, 9802, ..., 9897, 9898, 9899],',
        '       [9900, 9901, 9902, ..., 9997, 9998, 9999]],',
        '      shape=(100, 100), dtype=int32)',
      ].join('\n'),
    )
  })

  it('summarised arrays format only the shown edge values', () => {
    // 0..1999: max/min of the shown values is 1999 > 1000, so scientific; wraps before the last
    expect(arange(2000, undefined, 1, { dtype: 'float64' }).toString()).toBe(
      'array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n       1.999e+03], shape=(2000,))',
    )
    // exactly the threshold is not summarised
    expect(arange(1000).toString()).not.toContain('...')
    // the extras go to their own line when 'array(...,' + ' ' + extras would pass 75 characters
    expect(arange(1001).toString()).toBe(
      'array([   0,    1,    2, ...,  998,  999, 1000],\n      shape=(1001,), dtype=int32)',
    )
    expect(arange(1001, undefined, 1, { dtype: 'float64' }).toString()).toBe(
      'array([   0.,    1.,    2., ...,  998.,  999., 1000.], shape=(1001,))',
    )
  })
})

describe('formatData (shared with the torch facade)', () => {
  it('torch style keeps fixed precision and never wraps by default', () => {
    const opts = { prefix: 'tensor(', precision: 4, floatStyle: 'torch', threshold: 1000, edgeItems: 3 } as const
    const x = array([
      [1.5, 2],
      [3, 4.25],
    ])
    expect(formatData(x.shape, x.dtype, x._data, opts)).toBe('[[1.5000, 2.0000],\n        [3.0000, 4.2500]]')
    const ints = array([1, 2])
    expect(formatData(ints.shape, ints.dtype, ints._data, opts)).toBe('[1., 2.]')
    const b = array([true, true])
    expect(formatData(b.shape, b.dtype, b._data, opts)).toBe('[True, True]')
  })

  it('lineWidth wraps torch-style rows too', () => {
    const x = arange(30)
    const s = formatData(x.shape, x.dtype, x._data, {
      prefix: 'tensor(',
      precision: 4,
      floatStyle: 'torch',
      threshold: 1000,
      edgeItems: 3,
      lineWidth: 80,
    })
    for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(79)
    expect(s.split('\n').length).toBeGreaterThan(1)
  })
})
