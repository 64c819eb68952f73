/**
 * Creation (`array, zeros, ones, full, arange, linspace, eye, zerosLike, onesLike`) and reading
 * (`shape, dtype, size, ndim, toArray, item, toTypedArray`), and immutability of values.
 */
import { describe, expect, it } from 'vitest'
import {
  arange,
  array,
  broadcastTo,
  eye,
  full,
  linspace,
  ones,
  onesLike,
  random,
  reshape,
  zeros,
  zerosLike,
  DTypeError,
  ValueError,
  NdArray,
  isNdArray,
} from '../../src/index'
import { expectArray, expectClose } from './expect'

describe('array', () => {
  it('infers shape from nesting and defaults numbers to float32', () => {
    const x = array([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(x.shape).toEqual([2, 3])
    expect(x.dtype).toBe('float32')
    expect(x.size).toBe(6)
    expect(x.ndim).toBe(2)
    expect(x.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ])
  })

  it('a number is a 0-d array; booleans are bool', () => {
    const s = array(2.5)
    expect(s.shape).toEqual([])
    expect(s.ndim).toBe(0)
    expect(s.size).toBe(1)
    expect(s.toArray()).toBe(2.5)
    expectArray(array([true, false]), [true, false], 'bool')
    expect(array(true).item()).toBe(true)
  })

  it('mixing booleans and numbers is numeric', () => {
    expectArray(array([true, 2]), [1, 2], 'float32')
  })

  it('typed arrays keep their dtype and are copied', () => {
    const buf = new Float64Array([1, 2, 3, 4])
    const x = array(buf, { shape: [2, 2] })
    expect(x.dtype).toBe('float64')
    expect(x.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ])
    buf[0] = 99
    expect(x.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(array(new Int32Array([1, 2])).dtype).toBe('int32')
    expect(array(new Float32Array([1])).dtype).toBe('float32')
  })

  it('dtype option converts; floats to int32 truncate', () => {
    expectArray(array([1.7, -1.7], { dtype: 'int32' }), [1, -1], 'int32')
    expectArray(array([0.1], { dtype: 'float64' }), [0.1], 'float64')
    expect(array([0.1]).item()).toBe(Math.fround(0.1))
  })

  it('empty lists', () => {
    expect(array([]).shape).toEqual([0])
    expect(array([[], []]).shape).toEqual([2, 0])
  })

  it('lists of arrays stack; an array input is copied (optionally cast)', () => {
    expectArray(array([array([1, 2]), array([3, 4])]), [
      [1, 2],
      [3, 4],
    ])
    const a = array([1.5, 2.5])
    expectArray(array(a, { dtype: 'int32' }), [1, 2], 'int32')
    expect(array(a)).not.toBe(a)
  })

  it('rejects ragged input, odd elements and mismatched shapes', () => {
    expect(() => array([[1, 2], [3]])).toThrow(ValueError)
    expect(() => array([[1, 2], [3]])).toThrow(
      /array: ragged nested input: element \[1\] has shape \[1\] but \[0\] has shape \[2\]/,
    )
    expect(() => array([1, [2]])).toThrow(/ragged/)
    expect(() => array([[[1], [2]], [[3]]])).toThrow(/element \[1\]\[1\]|element \[1\]/)
    // @ts-expect-error strings are not array input
    expect(() => array(['a'])).toThrow(/array: unsupported element a at \[0\]/)
    expect(() => array([1, 2, 3], { shape: [2, 2] })).toThrow(/array: data of size 3 cannot take shape \[2,2\]/)
    expect(() => array(Infinity, { dtype: 'int32' })).toThrow(ValueError)
  })
})

describe('constant constructors', () => {
  it('zeros, ones and full with shapes and dtypes', () => {
    expectArray(
      zeros([2, 2]),
      [
        [0, 0],
        [0, 0],
      ],
      'float32',
    )
    expectArray(ones([3], { dtype: 'int32' }), [1, 1, 1], 'int32')
    expectArray(full([2], 7, { dtype: 'float64' }), [7, 7], 'float64')
    expectArray(full([2], true), [true, true], 'bool')
    expectArray(full([2], 3, { dtype: 'bool' }), [true, true], 'bool')
    expectArray(zeros([]), 0)
    expect(zeros([3, 0]).size).toBe(0)
  })

  it('zerosLike and onesLike copy shape and dtype', () => {
    const x = array([[1, 2]], { dtype: 'float64' })
    expectArray(zerosLike(x), [[0, 0]], 'float64')
    expectArray(onesLike(x), [[1, 1]], 'float64')
    expectArray(onesLike(x, { dtype: 'int32' }), [[1, 1]], 'int32')
  })

  it('invalid shapes and dtypes', () => {
    expect(() => zeros([2.5])).toThrow(ValueError)
    expect(() => zeros([NaN])).toThrow(/zeros: shape \[NaN\] is invalid; expected non-negative integers, got NaN/)
    expect(() => ones([2, -1])).toThrow(ValueError)
    // @ts-expect-error uint16 is not a dtype
    expect(() => zeros([2], { dtype: 'uint16' })).toThrow(DTypeError)
  })
})

describe('ranges', () => {
  it('arange counts from 0 with integer arguments as int32', () => {
    expectArray(arange(5), [0, 1, 2, 3, 4], 'int32')
    expectArray(arange(2, 5), [2, 3, 4], 'int32')
    expectArray(arange(5, 0, -2), [5, 3, 1], 'int32')
    expectArray(arange(0), [], 'int32')
    expectArray(arange(3, 1), [])
  })

  it('arange with a fractional step is float32; dtype option', () => {
    expectArray(arange(1, 2, 0.25), [1, 1.25, 1.5, 1.75], 'float32')
    expectArray(arange(3, undefined, 1, { dtype: 'float64' }), [0, 1, 2], 'float64')
    // NumPy: ceil((stop − start)/step) elements
    expect(arange(0, 1, 0.3).size).toBe(4)
  })

  it('arange rejects a zero step and non-finite bounds', () => {
    expect(() => arange(0, 5, 0)).toThrow(/arange: step must not be zero/)
    expect(() => arange(Infinity)).toThrow(ValueError)
    expect(() => arange(0, 1e12)).toThrow(/arange: 1000000000000 elements are too many/)
  })

  it('linspace includes the endpoint unless told not to', () => {
    expectArray(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1], 'float32')
    expectClose(linspace(2, 3, 5, { endpoint: false, dtype: 'float64' }), [2, 2.2, 2.4, 2.6, 2.8], {
      rtol: 1e-15,
      dtype: 'float64',
    })
    expectArray(linspace(3, 9, 1), [3])
    expectArray(linspace(3, 9, 0), [])
    expect(linspace(0, 1).size).toBe(50)
    expect(() => linspace(0, 1, -1)).toThrow(ValueError)
  })

  it('eye: identity, rectangular, off-diagonal', () => {
    expectArray(
      eye(3),
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      'float32',
    )
    expectArray(eye(2, 3, { k: 1 }), [
      [0, 1, 0],
      [0, 0, 1],
    ])
    expectArray(
      eye(3, 2, { k: -1, dtype: 'int32' }),
      [
        [0, 0],
        [1, 0],
        [0, 1],
      ],
      'int32',
    )
    expect(() => eye(2.5)).toThrow(ValueError)
  })
})

describe('reading values', () => {
  it('item returns the one element; bool gives a boolean', () => {
    expect(array([[3]]).item()).toBe(3)
    expect(array([false]).item()).toBe(false)
    expect(() => array([1, 2]).item()).toThrow(
      /item: can only convert an array of size 1 to a scalar, got shape \[2\] \(size 2\)/,
    )
  })

  it('toTypedArray is a copy: writing it does not change the array', () => {
    const x = array([1, 2, 3])
    const t = x.toTypedArray()
    expect(t).toBeInstanceOf(Float32Array)
    t[0] = 100
    expect(x.toArray()).toEqual([1, 2, 3])
    expect(array([true]).toTypedArray()).toBeInstanceOf(Uint8Array)
  })

  it('toTypedArray of large float storage (copied by the constructor, not slice) is a copy of its dtype', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = arange(40000, { dtype })
      const t = x.toTypedArray()
      expect(t).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array)
      expect(t.length).toBe(40000)
      expect([t[0], t[1], t[39999]]).toEqual([0, 1, 39999])
      t[1] = -5
      expect(x.toTypedArray()[1]).toBe(1)
      expect(t.buffer).not.toBe(x._data.buffer)
    }
  })

  it('toArray of a 3-d array nests three deep', () => {
    expect(arange(8).toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(array([[[1, 2]], [[3, 4]]]).toArray()).toEqual([[[1, 2]], [[3, 4]]])
  })

  it("an array never shares its shape with the caller's list", () => {
    const shape = [2, 3]
    const made = [
      zeros(shape),
      full(shape, 1),
      array(new Float32Array(6), { shape }),
      broadcastTo(array(1), shape),
      random.normal(random.key(0), shape),
      reshape(arange(6), shape),
    ]
    shape[0] = 7
    for (const x of made) expect(x.shape).toEqual([2, 3])
  })

  it('isNdArray', () => {
    expect(isNdArray(zeros([1]))).toBe(true)
    expect(isNdArray([1])).toBe(false)
    expect(zeros([1])).toBeInstanceOf(NdArray)
  })
})
