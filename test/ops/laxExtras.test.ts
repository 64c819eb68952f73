/**
 * lax.reduce (monoids and a general associative callable, with derivatives by finite differences
 * and under jit), broadcastedIota, indexInDim, indexTake, reciprocal, broadcastToRank,
 * zerosLikeArray, approxMaxK/approxMinK (exact top-k), against values worked out by hand.
 */
import { describe, expect, it } from 'vitest'
import {
  arange,
  array,
  checkGrads,
  DTypeError,
  grad,
  jit,
  lax,
  ShapeError,
  ValueError,
  type NdArray,
} from '../../src/index'

const x = array(
  [
    [1, 5, -2],
    [7, 2, 0.5],
  ],
  { dtype: 'float64' },
)

describe('lax.reduce', () => {
  it('recognises the lax monoids and folds the init value in', () => {
    expect(lax.reduce(x, 0, lax.add, [1]).toArray()).toEqual([4, 9.5])
    expect(lax.reduce(x, 10, lax.add, [0, 1]).item()).toBe(23.5)
    expect(lax.reduce(x, 1, lax.mul, [0]).toArray()).toEqual([7, 10, -1])
    expect(lax.reduce(x, -Infinity, lax.max, [1]).toArray()).toEqual([5, 7])
    expect(lax.reduce(x, 0, lax.min, [1]).toArray()).toEqual([-2, 0])
    const b = array([6, 3, 5], { dtype: 'int32' })
    expect(lax.reduce(b, -1, lax.bitwiseAnd, [0]).item()).toBe(6 & 3 & 5)
    expect(lax.reduce(b, 0, lax.bitwiseXor, [0]).item()).toBe(6 ^ 3 ^ 5)
    expect(lax.reduce(zerosOf([2, 0]), 3, lax.add, [1]).toArray()).toEqual([3, 3])
  })
  it('applies any other associative callable as a tree of pairs; derivatives through its ops', () => {
    const logaddexp = (a: NdArray, b: NdArray): NdArray => lax.log(lax.add(lax.exp(a), lax.exp(b)))
    const r = lax.reduce(x, -Infinity, logaddexp, [1])
    const want = [
      Math.log(Math.exp(1) + Math.exp(5) + Math.exp(-2)),
      Math.log(Math.exp(7) + Math.exp(2) + Math.exp(0.5)),
    ]
    ;(r.toArray() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 12))
    checkGrads((a: NdArray) => lax.reduce(a, -Infinity, logaddexp, [1]), [x], { order: 1 })
    checkGrads((a: NdArray) => lax.reduce(a, 1, lax.mul, [0, 1]), [x])
    expect(jit((a: NdArray) => lax.reduce(a, 0, lax.max, [0]))(x).toArray()).toEqual([7, 5, 0.5])
    const g = grad((a: NdArray) => lax.reduce(a, 0, lax.add, [0, 1]))(x)
    expect(g.toArray()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ])
  })
  it('refuses a bad init value or dimensions', () => {
    expect(() => lax.reduce(x, array([0, 0], { dtype: 'float64' }), lax.add, [0])).toThrow(ShapeError)
    expect(() => lax.reduce(x, 0, lax.add, [2])).toThrow(/dimensions \(2,\) must be distinct integers in \[0, 2\)/)
  })
})

const zerosOf = (shape: number[]): NdArray => lax.full(shape, 0, 'float64')

describe('small lax helpers', () => {
  it('broadcastedIota, indexInDim, indexTake', () => {
    expect(lax.broadcastedIota('float32', [2, 2], 0).toArray()).toEqual([
      [0, 0],
      [1, 1],
    ])
    expect(() => lax.broadcastedIota('int32', [2], 1)).toThrow(ShapeError)
    const a = arange(6).reshape([2, 3])
    expect(lax.indexInDim(a, 1).toArray()).toEqual([[3, 4, 5]])
    expect(lax.indexInDim(a, -3, 1, false).toArray()).toEqual([0, 3])
    expect(() => lax.indexInDim(a, 2)).toThrow(/index 2 is out of bounds for axis 0 with size 2/)
    const t = lax.indexTake(arange(24).reshape([2, 3, 4]), [array([1, 0], { dtype: 'int32' })], [0])
    expect(t.shape).toEqual([2, 3, 4])
    expect((t.toArray() as number[][][])[0]?.[0]).toEqual([12, 13, 14, 15])
    const u = lax.indexTake(
      arange(24).reshape([2, 3, 4]),
      [array([2], { dtype: 'int32' }), array([1], { dtype: 'int32' })],
      [2, 0],
    )
    expect(u.toArray()).toEqual([[14, 18, 22]])
  })
  it('reciprocal, broadcastToRank, zerosLikeArray', () => {
    expect(lax.reciprocal(array([4], { dtype: 'float64' })).toArray()).toEqual([0.25])
    expect(() => lax.reciprocal(array([4], { dtype: 'int32' }))).toThrow(DTypeError)
    checkGrads((a: NdArray) => lax.reciprocal(a), [array([0.5, -2], { dtype: 'float64' })])
    expect(lax.broadcastToRank(array([1, 2]), 2).shape).toEqual([1, 2])
    expect(() => lax.broadcastToRank(array([[1]]), 1)).toThrow(ShapeError)
    const z = lax.zerosLikeArray(array([1, 2], { dtype: 'int32' }))
    expect([z.dtype, z.toArray()]).toEqual(['int32', [0, 0]])
  })
  it('approxMaxK / approxMinK are the exact top-k along reductionDimension', () => {
    const m = array(
      [
        [3, 1],
        [0, 8],
        [5, 2],
      ],
      { dtype: 'float64' },
    )
    const [v, i] = lax.approxMaxK(m, 2, { reductionDimension: 0, recallTarget: 0.9 })
    expect([v.toArray(), i.toArray()]).toEqual([
      [
        [5, 8],
        [3, 2],
      ],
      [
        [2, 1],
        [0, 2],
      ],
    ])
    const [w] = lax.approxMinK(m, 1)
    expect(w.toArray()).toEqual([[1], [0], [2]])
    expect(() => lax.approxMaxK(m, 1, { aggregateToTopk: false })).toThrow(ValueError)
    expect(() => lax.approxMaxK(m, 1, { recall: 1 } as never)).toThrow(ValueError)
  })
})
