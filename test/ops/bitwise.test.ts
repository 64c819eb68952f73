import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as W from '../../src'
import { array, DTypeError, jit, vmap, type DType, type NdArray } from '../../src'

type Row = Record<string, number[]>
const fx = JSON.parse(readFileSync(new URL('./fixtures/bitwise.json', import.meta.url), 'utf8')) as Record<
  string,
  Row & number[]
>
const a = fx['a'] as number[]
const b = fx['b'] as number[]
const shifts = [0, 1, 3, 2, 7, 4]

describe('bit operations against NumPy (fixtures/bitwise.py)', () => {
  it.each(['int8', 'int16', 'int32', 'int64'] as const)('%s', (dt) => {
    // Arrange
    const want = fx[dt] as Row
    const x = array(a, { dtype: dt as DType })
    const y = array(b, { dtype: dt as DType })
    const s = array(shifts, { dtype: dt as DType })
    // Act, Assert
    expect(W.bitwiseAnd(x, y).toArray()).toEqual(want['and'])
    expect(W.bitwiseOr(x, y).toArray()).toEqual(want['or'])
    expect(W.bitwiseXor(x, y).toArray()).toEqual(want['xor'])
    expect(W.invert(x).toArray()).toEqual(want['invert'])
    expect(W.bitwiseNot(x).dtype).toBe(dt)
    expect(W.leftShift(x, s).toArray()).toEqual(want['left_shift'])
    expect(W.rightShift(x, s).toArray()).toEqual(want['right_shift'])
    expect(W.bitwiseCount(x).toArray()).toEqual(want['count'])
  })

  it('uint8 inverts and shifts logically', () => {
    const want = fx['uint8'] as Row
    const u = array([0, 1, 200, 255], { dtype: 'uint8' })
    expect(W.invert(u).toArray()).toEqual(want['invert'])
    expect(W.rightShift(u, array([0, 1, 3, 7], { dtype: 'uint8' })).toArray()).toEqual(want['right_shift'])
  })
})

describe('bit operations: JAX semantics', () => {
  it('bool operands give the logical operations; shifts promote bool to int32', () => {
    const t = array([true, true, false, false])
    const f = array([true, false, true, false])
    expect(W.bitwiseAnd(t, f).toArray()).toEqual([true, false, false, false])
    expect(W.bitwiseOr(t, f).toArray()).toEqual([true, true, true, false])
    expect(W.bitwiseXor(t, f).toArray()).toEqual([false, true, true, false])
    expect(W.invert(t).toArray()).toEqual([false, false, true, true])
    expect(W.leftShift(t, f).dtype).toBe('int32')
  })

  it('shifts outside [0, bits) give 0, or -1 for negative values shifted right (XLA)', () => {
    const x = array([5, -5, 5, -5], { dtype: 'int32' })
    const s = array([32, 32, -1, 40], { dtype: 'int32' })
    expect(W.lax.shiftLeft(x, s).toArray()).toEqual([0, 0, 0, 0])
    expect(W.lax.shiftRightArithmetic(x, s).toArray()).toEqual([0, -1, 0, -1])
    expect(W.lax.shiftRightLogical(x, s).toArray()).toEqual([0, 0, 0, 0])
    // -8 >>> 1 in 32 bits
    expect(W.lax.shiftRightLogical(array([-8], { dtype: 'int32' }), array([1], { dtype: 'int32' })).toArray()).toEqual([
      2 ** 31 - 4,
    ])
    expect(W.lax.populationCount(array([-1], { dtype: 'int8' })).toArray()).toEqual([8])
  })

  it('int64 beyond 32 bits is exact', () => {
    const x = array([2 ** 40 + 5, -(2 ** 40) - 1], { dtype: 'int64' })
    expect(W.bitwiseAnd(x, array([2 ** 40 + 4, -1], { dtype: 'int64' })).toArray()).toEqual([
      2 ** 40 + 4,
      -(2 ** 40) - 1,
    ])
    expect(W.invert(x).toArray()).toEqual([-(2 ** 40) - 6, 2 ** 40])
    expect(W.leftShift(array([3], { dtype: 'int64' }), 40).toArray()).toEqual([3 * 2 ** 40])
  })

  it('floats raise JAX DTypeError text', () => {
    expect(() => W.bitwiseAnd(array([1.5]), array([1]))).toThrow(DTypeError)
    expect(() => W.bitwiseAnd(array([1.5]), array([1]))).toThrow(
      'and does not accept dtype float32 at position 0. Accepted dtypes at position 0 are subtypes of integer, bool.',
    )
    expect(() => W.invert(array([1.5]))).toThrow(
      'not does not accept dtype float32. Accepted dtypes are subtypes of integer, bool.',
    )
    expect(() => W.lax.bitwiseOr(array([1], { dtype: 'int32' }), array([1], { dtype: 'int8' }))).toThrow(DTypeError)
  })

  it('stages under jit and batches under vmap with the same values', () => {
    const f = (x: NdArray, y: NdArray): NdArray => W.bitwiseXor(W.leftShift(x, 1), y)
    const x = array([1, 2, -3], { dtype: 'int32' })
    const y = array([7, 7, 7], { dtype: 'int32' })
    const eager = f(x, y).toArray()
    expect(jit(f)(x, y).toArray()).toEqual(eager)
    expect(vmap(f)(x, y).toArray()).toEqual(eager)
    // (1<<1)^7 = 5, (2<<1)^7 = 3, (-3<<1)^7 = …11111010 ^ 00000111 = −3
    expect(eager).toEqual([5, 3, -3])
  })
})
