/**
 * lax.bitcastConvertType against IEEE-754 bit patterns (1.0f = 0x3f800000, 1.0 = 0x3ff0…0, the
 * smallest subnormal = int64 1), the shape rule of size-changing casts, zero derivative, vmap and
 * JAX's errors.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, sum, vmap, type NdArray } from '../../src'
import * as lax from '../../src/ops/lax'
import { DTypeError, OverflowError, ShapeError } from '../../src/ndarray/errors'

describe('lax.bitcastConvertType', () => {
  it('same size: float32 ↔ int32, float64 ↔ int64 (where int64 is exact)', () => {
    const f = array([1, -2, 0.5, -0], { dtype: 'float32' })
    const bits = lax.bitcastConvertType(f, 'int32')
    expect(bits.toArray()).toEqual([0x3f800000, -0x40000000, 0x3f000000, -0x80000000])
    expect(Object.is((lax.bitcastConvertType(bits, 'float32').toArray() as number[])[3], -0)).toBe(true)
    expect(lax.bitcastConvertType(array([1, 0], { dtype: 'int64' }), 'float64').toArray()).toEqual([5e-324, 0])
    expect(() => lax.bitcastConvertType(array([1], { dtype: 'float64' }), 'int64')).toThrow(OverflowError)
  })
  it('size-changing casts add or remove a trailing axis (little-endian)', () => {
    const pair = lax.bitcastConvertType(array([[1, -1]], { dtype: 'float64' }), 'int32')
    expect(pair.shape).toEqual([1, 2, 2])
    expect(pair.toArray()).toEqual([
      [
        [0, 0x3ff00000],
        [0, -0x40100000],
      ],
    ])
    const back = lax.bitcastConvertType(pair, 'float64')
    expect(back.shape).toEqual([1, 2])
    expect(back.toArray()).toEqual([[1, -1]])
    expect(lax.bitcastConvertType(array([1], { dtype: 'float32' }), 'uint8').toArray()).toEqual([[0, 0, 0x80, 0x3f]])
    expect(() => lax.bitcastConvertType(array([1, 2, 3], { dtype: 'int32' }), 'float64')).toThrow(ShapeError)
    expect(() => lax.bitcastConvertType(array([1, 2, 3], { dtype: 'int32' }), 'float64')).toThrow('but 3 * 4 != 8')
    expect(() => lax.bitcastConvertType(array([true]), 'uint8')).toThrow(DTypeError)
    expect(() => lax.bitcastConvertType(array([1]), 'complex64' as never)).toThrow(DTypeError)
  })
  it('zero derivative; vmap equals the batched call', () => {
    const x = array([1.5, -3], { dtype: 'float64' })
    const g = grad((y: NdArray) =>
      lax.add(sum(lax.convertElementType(lax.bitcastConvertType(y, 'int32'), 'float64')), sum(lax.mul(y, y))),
    )(x)
    expect(g.toArray()).toEqual([3, -6])
    const xs = array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64' },
    )
    expect(vmap((y: NdArray) => lax.bitcastConvertType(y, 'int32'))(xs).toArray()).toEqual(
      lax.bitcastConvertType(xs, 'int32').toArray(),
    )
  })
})
