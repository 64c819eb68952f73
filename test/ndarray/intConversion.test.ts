/**
 * Integer conversion never wraps silently (issue 10 item 8): building an array from JS data
 * raises on values an integer dtype cannot hold (NumPy's rule), `astype`/`cast` saturate as
 * JAX's does (NaN → 0, out-of-range → the range's ends), and every kind of typed array maps to a
 * dtype that keeps its values, or raises.
 */
import { describe, expect, it } from 'vitest'
import { array, astype, jit, DTypeError, ValueError, type NdArray } from '../../src'

const I32_MAX = 2 ** 31 - 1
const I32_MIN = -(2 ** 31)

describe('array(JS data, { dtype: int32 }) checks every value', () => {
  it('a scalar and a list behave the same way on NaN, Infinity and out-of-range values', () => {
    for (const bad of [NaN, Infinity, -Infinity, 3e9, -3e9]) {
      expect(() => array(bad, { dtype: 'int32' })).toThrow(ValueError)
      expect(() => array([1, bad], { dtype: 'int32' })).toThrow(ValueError)
      expect(() => array([[1], [bad]], { dtype: 'int32' })).toThrow(ValueError)
    }
    expect(() => array([NaN, Infinity, 3e9], { dtype: 'int32' })).toThrow(/value NaN at flat index 0 .*int32/)
    expect(() => array([1, 2, 3e9], { dtype: 'int32' })).toThrow(/value 3000000000 at flat index 2/)
  })
  it('fractions truncate toward zero and the range ends are kept (NumPy)', () => {
    expect(array([1.7, -1.7, I32_MAX, I32_MIN], { dtype: 'int32' }).toArray()).toEqual([1, -1, I32_MAX, I32_MIN])
  })
  it('bool stores non-zero as true', () => {
    expect(array([0, 3, -2, NaN], { dtype: 'bool' }).toArray()).toEqual([false, true, true, true])
  })
})

describe('astype saturates float → int as JAX does', () => {
  it('NaN → 0, ±Infinity and out-of-range → the int32 range ends, fractions truncate', () => {
    const x = array([NaN, Infinity, -Infinity, 1e10, -1e10, 2.9, -2.9], { dtype: 'float64' })
    expect(astype(x, 'int32').toArray()).toEqual([0, I32_MAX, I32_MIN, I32_MAX, I32_MIN, 2, -2])
    expect(astype(1e10, 'int32').item()).toBe(I32_MAX)
  })
  it('array(ndarray, { dtype }) converts like astype, and jit gives the same', () => {
    const x = array([NaN, 3e9], { dtype: 'float64' })
    expect(array(x, { dtype: 'int32' }).toArray()).toEqual([0, I32_MAX])
    const f = jit((v: NdArray) => astype(v, 'int32'))
    expect(f(x).toArray()).toEqual([0, I32_MAX])
    expect(f(x).toArray()).toEqual([0, I32_MAX])
  })
})

describe('typed arrays map to the dtype that keeps their values, or raise', () => {
  it('narrow integer buffers keep their width or widen to int32, with their values', () => {
    const cases: ReadonlyArray<[ArrayBufferView & ArrayLike<number>, string, number[]]> = [
      [new Int16Array([300, -5]), 'int16', [300, -5]],
      [new Int8Array([-128, 127]), 'int8', [-128, 127]],
      [new Uint16Array([65535, 1]), 'int32', [65535, 1]],
      [new Uint8ClampedArray([255, 0]), 'uint8', [255, 0]],
      [new Uint32Array([7, I32_MAX]), 'int32', [7, I32_MAX]],
    ]
    for (const [buf, dtype, values] of cases) {
      const a = array(buf as Int16Array)
      expect([buf.constructor.name, a.dtype, a.toArray()]).toEqual([buf.constructor.name, dtype, values])
    }
  })
  it('float and int32 buffers keep their dtype', () => {
    expect(array(new Float64Array([0.1])).dtype).toBe('float64')
    expect(array(new Float32Array([0.5])).dtype).toBe('float32')
    expect(array(new Int32Array([-1])).dtype).toBe('int32')
  })
  it('Uint32Array values past int32 raise instead of wrapping', () => {
    expect(() => array(new Uint32Array([2 ** 32 - 1]))).toThrow(/4294967295.*int32/)
  })
  it('a Uint8Array is bool only when it holds 0/1; other bytes need a dtype', () => {
    expect(array(new Uint8Array([0, 1])).toArray()).toEqual([false, true])
    expect(() => array(new Uint8Array([0, 200]))).toThrow(/element 1 is 200/)
    expect(array(new Uint8Array([0, 200]), { dtype: 'int32' }).toArray()).toEqual([0, 200])
  })
  it('BigInt64Array needs an explicit dtype; with one its values are checked', () => {
    expect(() => array(new BigInt64Array([1n]))).toThrow(DTypeError)
    expect(array(new BigInt64Array([5n, -2n]), { dtype: 'int32' }).toArray()).toEqual([5, -2])
    expect(() => array(new BigInt64Array([2n ** 40n]), { dtype: 'int32' })).toThrow(ValueError)
  })
})
