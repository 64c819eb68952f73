/**
 * lax's forms of the special functions, `split` and `optimizationBarrier` (src/ops/laxSpecial.ts):
 * values from closed forms, JAX's dtype refusals and error texts, gradients by finite differences.
 */
import { describe, expect, it } from 'vitest'
import { arange, array, checkGrads, DTypeError, grad, jit, lax, mul, sum, ValueError, type NdArray } from '../../src'

const f64 = (v: number[] | number): NdArray => array(v, { dtype: 'float64' })
const close = (t: NdArray, want: number[], tol = 1e-10): void =>
  (t.toArray() as number[]).forEach((v, i) => expect(Math.abs(v - (want[i] as number))).toBeLessThan(tol))

describe('lax special functions', () => {
  it('compute the closed forms', () => {
    const x = [0.5, 2, 7]
    close(
      lax.igamma(f64([1, 1, 1]), f64(x)),
      x.map((v) => 1 - Math.exp(-v)),
    )
    close(
      lax.igammac(1, f64(x)),
      x.map((v) => Math.exp(-v)),
    )
    close(lax.polygamma(1, f64([1])), [Math.PI ** 2 / 6])
    close(lax.polygamma(0, f64([1])), [-0.5772156649015329])
    close(lax.zeta(f64([2, 4]), 1), [Math.PI ** 2 / 6, Math.PI ** 4 / 90])
    close(lax.besselI0e(f64([0, 1])), [1, 1.2660658777520082 * Math.exp(-1)])
    close(lax.besselI1e(f64([0, -1])), [0, -0.5651591039924851 * Math.exp(-1)])
    close(lax.betainc(1, 3, f64([0.5, 0.25])), [0.875, 1 - 0.75 ** 3])
    close(lax.betainc(f64([2]), f64([2]), f64([0.5])), [0.5])
    expect(lax.igamma(array([1], { dtype: 'float32' }), 2).dtype).toBe('float32')
  })

  it('refuse integers, mixed dtypes and bad orders in JAX’s words', () => {
    const i = array([1, 2], { dtype: 'int32' })
    expect(() => lax.igamma(i, i)).toThrow(
      new DTypeError('igamma does not accept dtype int32. Accepted dtypes are subtypes of floating.'),
    )
    expect(() => lax.zeta(f64([2]), array([1], { dtype: 'float32' }))).toThrow(
      new DTypeError('lax.zeta requires arguments to have the same dtypes, got float64, float32'),
    )
    expect(() => lax.besselI0e(i)).toThrow(/bessel_i0e does not accept dtype int32/)
    expect(() => lax.betainc(f64([1]), array([1], { dtype: 'float32' }), f64([0.5]))).toThrow(
      /requires arguments to have the same dtypes, got float64, float32/,
    )
    expect(() => lax.polygamma(-1, f64([1]))).toThrow(ValueError)
    expect(() => lax.polygamma(1.5, f64([1]))).toThrow(/non-negative integer/)
    expect(() => lax.polygamma(f64([1]) as unknown as number, f64([1]))).toThrow(/not supported/)
  })

  it('differentiate as their primitives', () => {
    checkGrads((x: NdArray) => lax.igamma(f64([2, 3]), x), [f64([0.7, 2.5])], { order: 1 })
    checkGrads((q: NdArray) => lax.zeta(f64([3, 3]), q), [f64([1.5, 2])], { order: 1 })
    checkGrads((x: NdArray) => lax.besselI1e(x), [f64([0.3, -1.2])], { order: 1 })
    checkGrads((x: NdArray) => lax.betainc(2, 3, x), [f64([0.2, 0.6])], { order: 1 })
  })
})

describe('lax.split and lax.optimizationBarrier', () => {
  it('split cuts by sizes along an axis, with JAX’s errors', () => {
    const x = arange(12).reshape([3, 4])
    const parts = lax.split(x, [1, 0, 3], 1)
    expect(parts.map((p) => p.shape)).toEqual([
      [3, 1],
      [3, 0],
      [3, 3],
    ])
    expect(parts[2]!.toArray()).toEqual([
      [1, 2, 3],
      [5, 6, 7],
      [9, 10, 11],
    ])
    expect(lax.split(x, [2, 1]).map((p) => p.toArray())).toEqual([
      [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
      ],
      [[8, 9, 10, 11]],
    ])
    expect(jit((a: NdArray) => lax.split(a, [1, 2], -2)[1]!)(x).shape).toEqual([2, 4])
    expect(() => lax.split(x, [1, 1])).toThrow(
      new ValueError('Sum of sizes 2 must be equal to dimension 0 of the operand shape [3, 4]'),
    )
    expect(() => lax.split(x, [4, -1])).toThrow(
      new ValueError('Sizes passed to split must be nonnegative, got [4, -1]'),
    )
    checkGrads((a: NdArray) => mul(lax.split(a, [1, 2])[1]!, f64([2, 3])), [f64([1, 2, 3])], { order: 1 })
  })

  it('optimizationBarrier returns its pytree, with identity gradients', () => {
    const t = { a: f64([1, 2]), n: 3 }
    expect(lax.optimizationBarrier(t)).toBe(t)
    const g = grad((x: NdArray) => sum(mul(lax.optimizationBarrier(x), x)))(f64([1, 2]))
    expect(g.toArray()).toEqual([2, 4])
    expect(() => lax.optimizationBarrier({ s: 'text' })).toThrow(DTypeError)
  })
})
