/**
 * takeAlongAxis/putAlongAxis (against NumPy 1.24 values computed by hand from its definition),
 * segment reductions against np.add.at-style loops, oneHot, bincount (np.bincount), the lax
 * dynamic slices (JAX's clamping of starts), with derivatives by finite differences and traced
 * indices/starts under jit and vmap.
 */
import { describe, expect, it } from 'vitest'
import {
  array,
  bincount,
  checkGrads,
  jit,
  lax,
  oneHot,
  putAlongAxis,
  segmentMax,
  segmentMin,
  segmentProd,
  segmentSum,
  takeAlongAxis,
  vmap,
  DTypeError,
  ShapeError,
  ValueError,
  type NdArray,
} from '../../src/index'

type Data = Parameters<typeof array>[0]
const f64 = (v: Data): NdArray => array(v, { dtype: 'float64' })
const i32 = (v: Data): NdArray => array(v, { dtype: 'int32' })

describe('takeAlongAxis / putAlongAxis', () => {
  const x = f64([
    [10, 30, 20],
    [60, 40, 50],
  ])
  it('matches numpy.take_along_axis / put_along_axis (argsort-style indices, broadcasting)', () => {
    // np.take_along_axis(x, np.argsort(x, 1), 1)
    expect(
      takeAlongAxis(
        x,
        i32([
          [0, 2, 1],
          [1, 2, 0],
        ]),
        1,
      ).toArray(),
    ).toEqual([
      [10, 20, 30],
      [40, 50, 60],
    ])
    // broadcast of a [1, 3] index along axis 0
    expect(takeAlongAxis(x, i32([[1, 0, 1]]), 0).toArray()).toEqual([[60, 30, 50]])
    expect(putAlongAxis(x, i32([[2], [0]]), f64([[-1], [-2]]), 1).toArray()).toEqual([
      [10, 30, -1],
      [-2, 40, 50],
    ])
    expect(putAlongAxis(x, i32([5]), 0, null).toArray()).toEqual([
      [10, 30, 20],
      [60, 40, 0],
    ])
  })
  it("out of bounds: 'fill' (NaN) by default, 'clip' on request", () => {
    const r = takeAlongAxis(x, i32([[3], [0]]), 1).toArray() as number[][]
    expect(Number.isNaN(r[0]?.[0])).toBe(true)
    expect(takeAlongAxis(x, i32([[3], [0]]), 1, { mode: 'clip' }).toArray()).toEqual([[20], [60]])
  })
  it('gradients and vmap', () => {
    const idx = i32([
      [2, 2],
      [0, 1],
    ])
    checkGrads((a: NdArray) => takeAlongAxis(a, idx, 1), [x])
    checkGrads((a: NdArray, v: NdArray) => putAlongAxis(a, i32([[2], [0]]), v, 1), [x, f64([[1], [2]])])
    const got = vmap((i: NdArray) => takeAlongAxis(x, i, 1))(
      i32([
        [[0], [1]],
        [[2], [2]],
      ]),
    )
    expect(got.toArray()).toEqual([
      [[10], [40]],
      [[20], [50]],
    ])
  })
  it('bad input', () => {
    expect(() => takeAlongAxis(x, f64([[0]]), 1)).toThrow(DTypeError)
    expect(() => takeAlongAxis(x, i32([0]), 1)).toThrow(/same number of dimensions/)
    expect(() => putAlongAxis(x, i32([[0]]), 1, 1, { inplace: true })).toThrow(/inplace: false/)
  })
})

describe('segment reductions', () => {
  const data = f64([
    [1, 2],
    [3, -4],
    [5, 6],
    [7, 8],
  ])
  const ids = i32([0, 2, 0, 2])
  const loop = (init: number, f: (a: number, b: number) => number, n: number): number[][] => {
    const out = Array.from({ length: n }, () => [init, init])
    const d = data.toArray() as number[][]
    ;(ids.toArray() as number[]).forEach((s, r) => {
      if (s < n) for (let c = 0; c < 2; c++) out[s]![c] = f(out[s]![c]!, d[r]![c]!)
    })
    return out
  }
  it('equal the unbuffered loop (np.add.at semantics); empty segments hold the identity', () => {
    expect(segmentSum(data, ids).toArray()).toEqual(loop(0, (a, b) => a + b, 3))
    expect(segmentProd(data, ids).toArray()).toEqual(loop(1, (a, b) => a * b, 3))
    expect(segmentMax(data, ids).toArray()).toEqual(loop(-Infinity, Math.max, 3))
    expect(segmentMin(data, ids, { numSegments: 4 }).toArray()).toEqual(loop(Infinity, Math.min, 4))
    expect(segmentSum(data, ids, { numSegments: 2, indicesAreSorted: false, bucketSize: 2 }).toArray()).toEqual(
      loop(0, (a, b) => a + b, 2),
    )
  })
  it('gradients; jit with numSegments and traced ids', () => {
    checkGrads((d: NdArray) => segmentSum(d, ids), [data])
    checkGrads((d: NdArray) => segmentMax(d, i32([0, 1, 0, 1])), [data]) // no empty (−inf) segment
    checkGrads((d: NdArray) => segmentProd(d, i32([0, 1, 2, 3]), { uniqueIndices: true }), [data])
    const f = jit((d: NdArray, s: NdArray) => segmentSum(d, s, { numSegments: 3 }))
    expect(f(data, ids).toArray()).toEqual(segmentSum(data, ids).toArray())
    expect(() => jit((d: NdArray, s: NdArray) => segmentSum(d, s))(data, ids)).toThrow(/numSegments/)
  })
  it('bad input', () => {
    expect(() => segmentSum(data, i32([0, 1]))).toThrow(ShapeError)
    expect(() => segmentSum(data, f64([0, 1, 0, 1]))).toThrow(DTypeError)
    expect(() => segmentSum(data, ids, { num_segments: 2 } as never)).toThrow(/did you mean 'numSegments'/)
  })
})

describe('oneHot and bincount', () => {
  it('oneHot', () => {
    const x = i32([
      [1, 0],
      [3, 2],
    ])
    const h = oneHot(x, 3)
    expect(h.dtype).toBe('float32')
    expect(h.toArray()).toEqual([
      [
        [0, 1, 0],
        [1, 0, 0],
      ],
      [
        [0, 0, 0],
        [0, 0, 1],
      ],
    ])
    expect(oneHot(i32([1, 0]), 2, { axis: 0, dtype: 'int32' }).toArray()).toEqual([
      [0, 1],
      [1, 0],
    ])
  })
  it('bincount matches np.bincount; length is static; negatives count as 0 (JAX)', () => {
    // np.bincount([1, 1, 4, 0, 1]) = [1, 3, 0, 0, 1]
    const x = i32([1, 1, 4, 0, 1])
    expect(bincount(x).toArray()).toEqual([1, 3, 0, 0, 1])
    expect(bincount(x, { minlength: 7 }).toArray()).toEqual([1, 3, 0, 0, 1, 0, 0])
    expect(bincount(x, { weights: f64([0.5, 1.5, 2, -1, 0.25]) }).toArray()).toEqual([-1, 2.25, 0, 0, 2])
    expect(bincount(i32([-2, 1]), { length: 2 }).toArray()).toEqual([1, 1])
    expect(jit((v: NdArray) => bincount(v, { length: 3 }))(x).toArray()).toEqual([1, 3, 0])
    expect(() => bincount(f64([1]))).toThrow(DTypeError)
    expect(() => bincount(i32([[1]]))).toThrow(ShapeError)
  })
})

describe('lax.dynamicSlice / dynamicUpdateSlice / dynamicIndexInDim', () => {
  const m = f64([
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ])
  it('starts wrap when negative and clamp so the block fits (JAX)', () => {
    expect(lax.dynamicSlice(m, [1, 1], [2, 2]).toArray()).toEqual([
      [5, 6],
      [8, 9],
    ])
    expect(lax.dynamicSlice(m, [2, 5], [2, 2]).toArray()).toEqual([
      [5, 6],
      [8, 9],
    ])
    expect(lax.dynamicSlice(m, [-1, 0], [1, 3]).toArray()).toEqual([[7, 8, 9]])
    expect(lax.dynamicUpdateSlice(m, f64([[0, 0]]), [0, 2]).toArray()).toEqual([
      [1, 0, 0],
      [4, 5, 6],
      [7, 8, 9],
    ])
    expect(lax.dynamicIndexInDim(m, 2, 1, false).toArray()).toEqual([3, 6, 9])
  })
  it('traced starts under jit and vmap; gradients', () => {
    const f = jit((x: NdArray, s: NdArray) => lax.dynamicSlice(x, [s, 0], [1, 2]))
    expect(f(m, i32(2)).toArray()).toEqual([[7, 8]])
    const rows = vmap((s: NdArray) => lax.dynamicIndexInDim(m, s, 0, false))(i32([2, 0]))
    expect(rows.toArray()).toEqual([
      [7, 8, 9],
      [1, 2, 3],
    ])
    checkGrads((x: NdArray) => lax.dynamicSlice(x, [1, 0], [2, 2]), [m])
    checkGrads((x: NdArray, u: NdArray) => lax.dynamicUpdateSlice(x, u, [1, 1]), [m, f64([[1, 2]])])
  })
  it('bad input', () => {
    expect(() => lax.dynamicSlice(m, [0], [1, 1])).toThrow(ValueError)
    expect(() => lax.dynamicSlice(m, [0, 0], [4, 1])).toThrow(ShapeError)
    expect(() => lax.dynamicSlice(m, [f64(0), 0], [1, 1])).toThrow(DTypeError)
    expect(() => lax.dynamicUpdateSlice(m, f64([1]), [0, 0])).toThrow(ShapeError)
  })
})
