/**
 * Layout and indexing ops: reshape, flatten, squeeze, expandDims, broadcastTo, concat, stack,
 * split, slice, take, pad, flip, tile, repeat, astype — values by hand, errors by NumPy's rules.
 */
import { describe, expect, it } from 'vitest'
import {
  arange,
  array,
  astype,
  broadcastTo,
  concat,
  expandDims,
  flatten,
  flip,
  ones,
  pad,
  repeat,
  reshape,
  slice,
  split,
  squeeze,
  stack,
  take,
  tile,
  zeros,
  ShapeError,
  ValueError,
  DTypeError,
} from '../../src/index'
import { expectArray } from '../ndarray/expect'

const m = reshape(arange(6), [2, 3]) // [[0,1,2],[3,4,5]]

describe('reshape and friends', () => {
  it('reshape keeps row-major order; one -1 is inferred', () => {
    expectArray(
      reshape(arange(6), [3, 2]),
      [
        [0, 1],
        [2, 3],
        [4, 5],
      ],
      'int32',
    )
    expect(reshape(arange(6), [2, -1]).shape).toEqual([2, 3])
    expect(reshape(arange(6), [-1]).shape).toEqual([6])
    expect(reshape(arange(6), [1, -1, 1]).shape).toEqual([1, 6, 1])
    expect(reshape(array(5), [1, 1]).shape).toEqual([1, 1])
    expect(reshape(zeros([0, 3]), [-1, 3]).shape).toEqual([0, 3])
  })

  it('reshape rejects sizes that do not match and uninferable -1', () => {
    expect(() => reshape(arange(6), [4])).toThrow(
      /reshape: cannot reshape array of shape \(6,\) \(size 6\) into shape \(4,\) \(size 4\)/,
    )
    expect(() => reshape(arange(6), [4, -1])).toThrow(
      /into shape \(4, -1\) because the product of specified axis sizes \(4\) does not evenly divide 6/,
    )
    expect(() => reshape(arange(6), [-1, -1])).toThrow(/can only specify one unknown dimension/)
    expect(() => reshape(zeros([0]), [0, -1])).toThrow(ShapeError)
  })

  it('flatten', () => {
    expectArray(flatten(m), [0, 1, 2, 3, 4, 5])
    expectArray(flatten(array(7)), [7])
  })

  it('squeeze removes size-1 axes, all or the named ones', () => {
    expect(squeeze(ones([1, 2, 1, 3])).shape).toEqual([2, 3])
    expect(squeeze(ones([1, 2, 1]), 0).shape).toEqual([2, 1])
    expect(squeeze(ones([1, 2, 1]), -1).shape).toEqual([1, 2])
    expect(squeeze(ones([1, 2, 1]), [0, 2]).shape).toEqual([2])
    expect(() => squeeze(ones([1, 2]), 1)).toThrow(
      /squeeze: cannot select an axis to squeeze out which has size not equal to one, got shape=\(1, 2\) and dimensions=\(1,\)/,
    )
  })

  it('expandDims inserts size-1 axes (negative counts in the result)', () => {
    expect(expandDims(ones([2, 3]), 0).shape).toEqual([1, 2, 3])
    expect(expandDims(ones([2, 3]), 1).shape).toEqual([2, 1, 3])
    expect(expandDims(ones([2, 3]), -1).shape).toEqual([2, 3, 1])
    expect(expandDims(ones([2, 3]), [0, 3]).shape).toEqual([1, 2, 3, 1])
    expect(() => expandDims(ones([2]), 3)).toThrow(ShapeError)
  })
})

describe('broadcastTo', () => {
  it('follows NumPy: prepend axes, stretch size-1 axes', () => {
    expectArray(broadcastTo(array([1, 2, 3]), [2, 3]), [
      [1, 2, 3],
      [1, 2, 3],
    ])
    expectArray(broadcastTo(array([[1], [2]]), [2, 3]), [
      [1, 1, 1],
      [2, 2, 2],
    ])
    expectArray(broadcastTo(array(7), [2]), [7, 7])
  })

  it('cannot shrink or stretch a non-1 axis', () => {
    expect(() => broadcastTo(array([1, 2, 3]), [4])).toThrow(
      /broadcastTo: Incompatible shapes for broadcasting: \(3,\) and requested shape \(4,\)/,
    )
    expect(() => broadcastTo(ones([2, 3]), [3])).toThrow(ShapeError)
    expect(() => broadcastTo(ones([2, 1]), [1, 1])).toThrow(ShapeError)
  })
})

describe('concat, stack, split', () => {
  it('concat along an axis, negative allowed; dtypes promote', () => {
    expectArray(
      concat([m, reshape(arange(3), [1, 3])]),
      [
        [0, 1, 2],
        [3, 4, 5],
        [0, 1, 2],
      ],
      'int32',
    )
    expectArray(concat([m, m], -1), [
      [0, 1, 2, 0, 1, 2],
      [3, 4, 5, 3, 4, 5],
    ])
    expectArray(concat([arange(2), array([0.5])]), [0, 1, 0.5], 'float32')
  })

  it('concat errors', () => {
    expect(() => concat([])).toThrow(ValueError)
    expect(() => concat([array(1), array(2)])).toThrow(/Zero-dimensional arrays cannot be concatenated/)
    expect(() => concat([ones([2, 3]), ones([2, 2])])).toThrow(
      /concat: Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension 0 for shapes \(2, 3\), \(2, 2\)/,
    )
    expect(() => concat([ones([2]), ones([2])], 1)).toThrow(ShapeError)
  })

  it('stack joins along a new axis', () => {
    const a = array([1, 2])
    const b = array([3, 4])
    expectArray(stack([a, b]), [
      [1, 2],
      [3, 4],
    ])
    expectArray(stack([a, b], 1), [
      [1, 3],
      [2, 4],
    ])
    expectArray(stack([a, b], -1), [
      [1, 3],
      [2, 4],
    ])
    expect(() => stack([a, array([1, 2, 3])])).toThrow(/stack: All input arrays must have the same shape/)
    expect(() => stack([a, b], 3)).toThrow(ShapeError)
  })

  it('split into equal sections or at indices', () => {
    expect(split(arange(6), 3).map((p) => p.toArray())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ])
    expect(split(arange(6), [2, 4]).map((p) => p.toArray())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ])
    // NumPy: indices past the end give empty pieces
    expect(split(arange(6), [2, 10]).map((p) => p.toArray())).toEqual([[0, 1], [2, 3, 4, 5], []])
    expect(split(m, 3, 1).map((p) => p.toArray())).toEqual([
      [[0], [3]],
      [[1], [4]],
      [[2], [5]],
    ])
    expect(() => split(arange(5), 2)).toThrow(
      /split: array split does not result in an equal division: an axis of size 5 cannot be split into 2 equal sections/,
    )
    // negative indices count from the end, as in Python slicing
    expect(split(arange(6), [-2]).map((p) => p.toArray())).toEqual([
      [0, 1, 2, 3],
      [4, 5],
    ])
    expect(() => split(arange(6), [1.5])).toThrow(/split: indices must be integers, got 1.5/)
  })
})

describe('slice', () => {
  const v = arange(10)
  it('start, stop, step with Python semantics', () => {
    expectArray(slice(v, [[2, 5]]), [2, 3, 4])
    expectArray(slice(v, [[1, 7, 2]]), [1, 3, 5])
    expectArray(slice(v, [[-3, null]]), [7, 8, 9])
    expectArray(slice(v, [[null, -7]]), [0, 1, 2])
    expectArray(slice(v, [[-100, 100]]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expectArray(slice(v, [[5, 2]]), [])
  })

  it('negative steps walk backwards', () => {
    expectArray(slice(v, [[null, null, -1]]), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    expectArray(slice(v, [[7, 2, -2]]), [7, 5, 3])
    expectArray(slice(v, [[-1, -4, -1]]), [9, 8, 7])
    expectArray(slice(v, [[2, null, -1]]), [2, 1, 0])
    expectArray(slice(v, [[20, 7, -1]]), [9, 8])
  })

  it('an integer selects and drops an axis; missing axes are whole', () => {
    expectArray(slice(m, [1]), [3, 4, 5])
    expectArray(slice(m, [-1, [0, 2]]), [3, 4])
    expectArray(slice(m, [null, 2]), [2, 5])
    expectArray(slice(m, [[null, null, -1]]), [
      [3, 4, 5],
      [0, 1, 2],
    ])
  })

  it('errors: index out of range, zero step, too many axes', () => {
    expect(() => slice(m, [2])).toThrow(/slice: index 2 is out of bounds for axis 0 with size 2/)
    expect(() => slice(v, [[0, 5, 0]])).toThrow(/slice: step must be a non-zero integer/)
    expect(() => slice(v, [0, 0])).toThrow(/slice: 2 axes indexed but the array has rank 1/)
    expect(() => slice(v, [[1.5, 3]])).toThrow(/slice: start and stop must be integers or null, got 1.5 for axis 0/)
    expect(() => slice(v, [0.5])).toThrow(ShapeError)
  })
})

describe('take', () => {
  it('from the flattened array by default, negative indices from the end', () => {
    expectArray(take(m, [0, 5, -1]), [0, 5, 5])
  })

  it('along an axis; the index shape replaces that axis', () => {
    expectArray(take(m, [2, 0], 1), [
      [2, 0],
      [5, 3],
    ])
    expectArray(take(m, array([1], { dtype: 'int32' }), 0), [[3, 4, 5]])
    expect(
      take(
        m,
        [
          [0, 1],
          [1, 0],
        ],
        1,
      ).shape,
    ).toEqual([2, 2, 2])
    expectArray(take(arange(5), 3), 3)
  })

  it("fills out-of-range indices (JAX's default mode 'fill') and rejects non-integer ones", () => {
    // int32: the fill is the dtype's minimum
    expect(take(m, [6, 0]).toArray()).toEqual([-(2 ** 31), 0])
    expect(take(m, [-3], 0).toArray()).toEqual([[-(2 ** 31), -(2 ** 31), -(2 ** 31)]])
    expect(() => take(m, [1.5])).toThrow(DTypeError)
    expect(() => take(m, array([true]))).toThrow(DTypeError)
  })
})

describe('pad, flip, tile, repeat', () => {
  it('pad with zeros or a constant', () => {
    expectArray(pad(array([1, 2]), [1, 2]), [0, 1, 2, 0, 0])
    expectArray(
      pad(array([[1]]), [
        [1, 0],
        [0, 2],
      ]),
      [
        [0, 0, 0],
        [1, 0, 0],
      ],
    )
    expectArray(pad(array([1]), 1, { constantValue: 9 }), [9, 1, 9])
    expect(() => pad(array([1]), [-1, 0])).toThrow(/pad: index can't contain negative values/)
    expect(() => pad(array([[1]]), [[1, 1]])).toThrow(/pad: got 1 pad widths for an array of rank 2/)
  })

  it('flip all or some axes', () => {
    expectArray(flip(m), [
      [5, 4, 3],
      [2, 1, 0],
    ])
    expectArray(flip(m, 0), [
      [3, 4, 5],
      [0, 1, 2],
    ])
    expectArray(flip(m, -1), [
      [2, 1, 0],
      [5, 4, 3],
    ])
  })

  it('tile repeats the whole array (NumPy)', () => {
    expectArray(tile(array([1, 2]), 2), [1, 2, 1, 2])
    expectArray(tile(array([1, 2]), [2, 1]), [
      [1, 2],
      [1, 2],
    ])
    expectArray(
      tile(
        array([
          [1, 2],
          [3, 4],
        ]),
        [1, 2],
      ),
      [
        [1, 2, 1, 2],
        [3, 4, 3, 4],
      ],
    )
    expect(tile(array([1]), [2, 3, 0]).shape).toEqual([2, 3, 0])
    expect(() => tile(array([1]), [-1])).toThrow(/tile: reps must be non-negative integers, got -1/)
    expect(() => tile(array([1]), 1.5)).toThrow(ValueError)
  })

  it('repeat repeats each element (NumPy)', () => {
    expectArray(
      repeat(
        array([
          [1, 2],
          [3, 4],
        ]),
        2,
      ),
      [1, 1, 2, 2, 3, 3, 4, 4],
    )
    expectArray(
      repeat(
        array([
          [1, 2],
          [3, 4],
        ]),
        2,
        0,
      ),
      [
        [1, 2],
        [1, 2],
        [3, 4],
        [3, 4],
      ],
    )
    expectArray(
      repeat(
        array([
          [1, 2],
          [3, 4],
        ]),
        3,
        1,
      ),
      [
        [1, 1, 1, 2, 2, 2],
        [3, 3, 3, 4, 4, 4],
      ],
    )
    expect(() => repeat(array([1]), -1)).toThrow(ValueError)
  })
})

describe('astype', () => {
  it('float to int32 truncates toward zero; anything to bool is non-zero', () => {
    expectArray(astype(array([1.7, -1.7, 2]), 'int32'), [1, -1, 2], 'int32')
    expectArray(astype(array([0, 2, -0.5]), 'bool'), [false, true, true], 'bool')
    expectArray(astype(array([true, false]), 'float32'), [1, 0], 'float32')
    expectArray(astype(arange(2), 'float64'), [0, 1], 'float64')
  })

  it('float64 to float32 rounds', () => {
    expect(astype(array([0.1], { dtype: 'float64' }), 'float32').item()).toBe(Math.fround(0.1))
  })

  it('unknown dtypes are DTypeErrors', () => {
    // @ts-expect-error uint16 is not a dtype
    expect(() => astype(array([1]), 'uint16')).toThrow(/astype: Dtype uint16 is not a valid JAX array type/)
  })
})
