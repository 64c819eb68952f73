/**
 * The small integer dtypes (uint8, int8, int16): stored in their own typed arrays, arithmetic
 * wraps as in NumPy/JAX/PyTorch, promotion follows the lattice (uint8 with int8 → int16), sums
 * widen to int32. Expected values are modular arithmetic worked by hand.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  astype,
  concat,
  cumsum,
  DTypeError,
  floorDivide,
  jit,
  matmul,
  mul,
  neg,
  prod,
  sub,
  sum,
  stack,
  ValueError,
  ZeroDivisionError,
  type NdArray,
} from '../../src'

const u8 = (xs: number[]): NdArray => array(xs, { dtype: 'uint8' })
const i8 = (xs: number[]): NdArray => array(xs, { dtype: 'int8' })

describe('small integer dtypes', () => {
  it('arithmetic wraps modulo 2^bits, eagerly and under jit', () => {
    const a = u8([100, 200, 250])
    const b = u8([100, 100, 10])
    expect(add(a, b).toArray()).toEqual([200, 44, 4])
    expect(sub(b, a).toArray()).toEqual([0, 156, 16])
    expect(mul(a, b).toArray()).toEqual([16, 32, 196])
    expect(add(a, 10).dtype).toBe('uint8')
    expect(neg(i8([-128, 5])).toArray()).toEqual([-128, -5])
    expect(add(array([32767], { dtype: 'int16' }), 1).toArray()).toEqual([-32768])
    const f = jit((x: NdArray, y: NdArray) => add(mul(x, y), x))
    expect(f(a, b).toArray()).toEqual([116, 232, 190])
    expect(matmul(i8([1, 2]), i8([100, 100])).toArray()).toEqual(44)
  })

  it('promotion: uint8 with int8 is int16; with wider types the wider one', () => {
    expect(add(u8([1]), i8([-1])).dtype).toBe('int16')
    expect(add(u8([1]), array([1], { dtype: 'int32' })).dtype).toBe('int32')
    expect(add(i8([1]), array([0.5])).dtype).toBe('float32')
  })

  it('sums and products widen to int32', () => {
    expect(sum(u8([200, 200])).dtype).toBe('int32')
    expect(sum(u8([200, 200])).item()).toBe(400)
    expect(prod(i8([100, 100])).item()).toBe(10000)
    expect(cumsum(u8([200, 200])).toArray()).toEqual([200, 400])
  })

  it('integer division is exact and refuses a zero divisor', () => {
    expect(floorDivide(i8([-7, 7]), i8([2, 2])).toArray()).toEqual([-4, 3])
    expect(floorDivide(i8([-7, 7]), 2).dtype).toBe('int8')
    expect(() => floorDivide(u8([1]), u8([0]))).toThrow(ZeroDivisionError)
  })

  it('construction checks the range; astype saturates; typed arrays keep their type', () => {
    expect(() => u8([256])).toThrow(ValueError)
    expect(() => i8([-129])).toThrow(/cannot be stored as int8 \(its range is \[-128, 127\]\)/)
    expect(astype(array([300.5, -3, 1.5]), 'uint8').toArray()).toEqual([255, 0, 1])
    expect(array(new Int8Array([-1])).dtype).toBe('int8')
    expect(array(new Int16Array([-1])).dtype).toBe('int16')
    expect(array(new Uint8ClampedArray([255])).dtype).toBe('uint8')
    expect(array(new Uint8Array([0, 1])).dtype).toBe('bool')
    expect(array(new Uint8Array([7]), { dtype: 'uint8' }).toArray()).toEqual([7])
    expect(() => array(new Uint8Array([7]))).toThrow(/pass \{ dtype: 'uint8' \}/)
    // @ts-expect-error uint16 is not a dtype
    expect(() => array([1], { dtype: 'uint16' })).toThrow(DTypeError)
  })

  it('concat and stack keep integer dtypes (regression: int64 and the small ints became bool)', () => {
    const big = array([2 ** 40, -3], { dtype: 'int64' })
    expect(concat([big, big]).dtype).toBe('int64')
    expect(concat([big, big]).toArray()).toEqual([2 ** 40, -3, 2 ** 40, -3])
    expect(concat([u8([200]), i8([-1])]).toArray()).toEqual([200, -1])
    expect(concat([u8([200]), i8([-1])]).dtype).toBe('int16')
    expect(stack([i8([5]), i8([-5])]).toArray()).toEqual([[5], [-5]])
  })

  it('prints its dtype as NumPy does', () => {
    expect(String(u8([1, 2]))).toBe('array([1, 2], dtype=uint8)')
    expect(String(array([1], { dtype: 'int16' }))).toBe('array([1], dtype=int16)')
  })
})
