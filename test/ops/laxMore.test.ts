/**
 * The jax.lax names added in session 16 (src/ops/laxMore.ts): values from mathematics and
 * NumPy's integer bit patterns, JAX's dtype refusals, and derivatives where lax has them.
 */
import { describe, expect, it } from 'vitest'
import { array, checkGrads, DTypeError, grad, jit, lax, sum, ValueError, type NdArray } from '../../src'

const f64 = (v: number[] | number): NdArray => array(v, { dtype: 'float64' })

describe('lax element-wise additions', () => {
  it('clz counts leading zeros in every integer width', () => {
    expect(lax.clz(array([0, 1, 255, -1, 2 ** 30], { dtype: 'int32' })).toArray()).toEqual([32, 31, 24, 0, 1])
    expect(lax.clz(array([0, 1, 128, 127], { dtype: 'uint8' })).toArray()).toEqual([8, 7, 0, 1])
    expect(lax.clz(array([1, -5, 2 ** 40], { dtype: 'int64' })).toArray()).toEqual([63, 0, 23])
    expect(lax.clz(array([1, 3], { dtype: 'int16' })).toArray()).toEqual([15, 14])
    expect(jit(lax.clz)(array([16], { dtype: 'int32' })).toArray()).toEqual([27])
    expect(() => lax.clz(f64([1]))).toThrow(
      new DTypeError('clz does not accept dtype float64. Accepted dtypes are subtypes of integer.'),
    )
  })

  it('float-only functions refuse integers in JAX words and differentiate', () => {
    const ints = array([1, 2], { dtype: 'int32' })
    for (const [name, f] of [
      ['exp2', lax.exp2],
      ['cbrt', lax.cbrt],
      ['is_finite', lax.isFinite],
      ['asin', lax.asin],
      ['erfc', lax.erfc],
    ] as const)
      expect(() => f(ints)).toThrow(
        `${name} does not accept dtype int32. Accepted dtypes are subtypes of floating, complexfloating.`,
      )
    const x = f64([0.3, -0.6, 0.8])
    for (const f of [
      lax.exp2,
      lax.cbrt,
      lax.asin,
      lax.acos,
      lax.atan,
      lax.sinh,
      lax.cosh,
      lax.asinh,
      lax.atanh,
      lax.erfc,
      lax.erfInv,
    ])
      checkGrads(f, [x], { modes: ['rev'], order: 1 })
    checkGrads(lax.acosh, [f64([1.5, 3])], { modes: ['rev'], order: 1 })
    expect(lax.exp2(f64([10, -2])).toArray()).toEqual([1024, 0.25])
    expect(lax.isFinite(f64([1, -Infinity, NaN])).toArray()).toEqual([true, false, false])
  })

  it('round: away from zero by default, to even on request; zero derivative', () => {
    const x = f64([0.5, 1.5, 2.5, -0.5, -1.5, 0.49999999999999994, -2.7, 3])
    expect(lax.round(x).toArray()).toEqual([1, 2, 3, -1, -2, 0, -3, 3])
    expect(lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN).toArray()).toEqual([0, 2, 2, -0, -2, 0, -3, 3])
    expect(() => lax.round(x, 2 as never)).toThrow(ValueError)
    expect(grad((v: NdArray) => sum(lax.round(v)))(x).toArray()).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
  })

  it('reduceXor: parity on bool, bitwise on integers, like a fold of ^', () => {
    const m = [
      [5, -3, 12],
      [9, 7, -128],
      [1, 0, 100],
    ]
    const want0 = m[0]!.map((_, j) => m.reduce((acc, r) => acc ^ r[j]!, 0))
    expect(lax.reduceXor(array(m, { dtype: 'int32' }), [0]).toArray()).toEqual(want0)
    expect(lax.reduceXor(array(m, { dtype: 'int8' }), [0, 1]).toArray()).toEqual(want0.reduce((p, q) => p ^ q, 0))
    expect(
      lax
        .reduceXor(
          array([
            [true, false],
            [true, true],
          ]),
          [1],
        )
        .toArray(),
    ).toEqual([true, false])
    expect(() => lax.reduceXor(f64([1]), [0])).toThrow(DTypeError)
  })

  it('full and fullLike', () => {
    expect(lax.full([2, 1], 4, 'int8').toArray()).toEqual([[4], [4]])
    expect(lax.fullLike(f64([1, 2, 3]), 2, undefined, [2]).toArray()).toEqual([2, 2])
    expect(() => lax.full([2], f64([1, 2]))).toThrow('full must be called with scalar fill_value')
    expect(grad((v: NdArray) => sum(lax.full([3], v)))(f64(2)).item()).toBe(3)
  })
})
