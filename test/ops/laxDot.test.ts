import { describe, expect, it } from 'vitest'
import { array, checkGrads, matmul, type NdArray } from '../../src'
import * as lax from '../../src/ops/lax'
import { ShapeError } from '../../src/ndarray/errors'

const f64 = (x: number[] | number[][] | number[][][]): NdArray => array(x, { dtype: 'float64' })

describe('lax.dot and lax.batchMatmul', () => {
  it('contract as JAX, with its shape errors', () => {
    const m = f64([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(lax.dot(f64([1, 2, 3]), f64([1, 0, -1])).item()).toBe(-2)
    expect(lax.dot(m, f64([1, 1, 1])).toArray()).toEqual([6, 15])
    expect(lax.dot(f64([1, 1]), m).toArray()).toEqual([5, 7, 9])
    expect(lax.dot(m, lax.transpose(m, [1, 0])).toArray()).toEqual([
      [14, 32],
      [32, 77],
    ])
    expect(() => lax.dot(m, m)).toThrow(/Incompatible shapes for dot: got \(2, 3\) and \(2, 3\)\./)
    expect(() => lax.dot(f64([[[1]]]), f64([1]))).toThrow(ShapeError)
    const a = f64([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [0, 1],
        [1, 0],
      ],
    ])
    expect(lax.batchMatmul(a, a).toArray()).toEqual(matmul(a, a).toArray())
    expect(() => lax.batchMatmul(a, m)).toThrow('Arguments to batch_matmul must have same ndim, got 3, 2')
    expect(() => lax.batchMatmul(f64([1]), f64([1]))).toThrow('Arguments to batch_matmul must be at least 2D, got 1, 1')
    checkGrads((x: NdArray, y: NdArray) => lax.batchMatmul(x, y), [a, a], { order: 1 })
  })
})
