/**
 * polyadd, polysub, polymul, polydiv, polyder, polyint, roots (src/ops/numpyExtra/polynomial.ts)
 * and bartlett, blackman, hamming, hanning, kaiser (src/ops/numpyExtra/windows.ts) against NumPy
 * (test/ops/fixtures/polynomialWindows.py → polynomialWindows.json); gradients in the coefficients
 * and in kaiser's β against float64 central differences; bad inputs.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  array,
  bartlett,
  blackman,
  checkGrads,
  hamming,
  hanning,
  jit,
  kaiser,
  polyadd,
  polyder,
  polydiv,
  polyint,
  polymul,
  polysub,
  roots,
  type NdArray,
  type NestedArray,
} from 'wengert'
import { expectClose } from '../transforms/helpers'

const fx = JSON.parse(readFileSync(new URL('./fixtures/polynomialWindows.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>
const d64 = (k: string): NdArray => array(fx[k] as NestedArray, { dtype: 'float64' })
const tol = { rtol: 1e-12, atol: 1e-12 }
const want = (k: string): NestedArray => fx[k] as NestedArray

describe('polynomial arithmetic', () => {
  it('matches NumPy', () => {
    // Arrange
    const [a, b] = [d64('a'), d64('b')]
    // Act / Assert
    expectClose(polyadd(a, b), want('polyadd'), tol)
    expectClose(polysub(b, a), want('polysub'), tol)
    expectClose(polymul(a, b), want('polymul'), tol)
    const [q, r] = polydiv(a, b)
    expectClose(q, want('polydiv_q'), tol)
    expectClose(r, want('polydiv_r'), tol)
    expectClose(polyder(a), want('polyder_1'), tol)
    expectClose(polyder(a, 3), want('polyder_3'), tol)
    expectClose(polyint(a), want('polyint_1'), tol)
    expectClose(polyint(a, 2, [0.5, -1.5]), want('polyint_2_k'), tol)
    expectClose(polyint(b, 3, 2), want('polyint_3_k'), tol)
  })
  it('is differentiable in the coefficients and stages under jit', () => {
    const [a, b] = [d64('a'), d64('b')]
    checkGrads((x: NdArray, y: NdArray) => polymul(x, y), [a, b], { order: 2 })
    checkGrads((x: NdArray, y: NdArray) => polydiv(x, y)[0], [a, b], { order: 1 })
    checkGrads((x: NdArray, y: NdArray) => polydiv(x, y)[1], [a, b], { order: 1 })
    checkGrads((x: NdArray, y: NdArray) => polyint(polysub(polyder(x, 2), y), 2), [a, b], { order: 2 })
    expectClose(jit((x: NdArray, y: NdArray) => polydiv(x, y)[1])(a, b), want('polydiv_r'), tol)
  })
  it('handles integer input, trimming and short operands as NumPy/JAX', () => {
    expect(polyadd(array([1, 2], { dtype: 'int32' }), array([5], { dtype: 'int32' })).toArray()).toEqual([1, 7])
    expect(polyder(array([1, 2, 3], { dtype: 'int32' })).dtype).toBe('int32')
    expect(polyder(array([1, 2]), 5).toArray()).toEqual([])
    expect(polymul(array([0, 0, 1, 2]), array([0, 1, 1]), { trimLeadingZeros: true }).toArray()).toEqual([1, 3, 2])
    const [q, r] = polydiv(array([1, 2]), array([1, 0, 1]))
    expect([q.toArray(), r.toArray()]).toEqual([[0], [1, 2]])
    const [, rt] = polydiv(array([1, 0, -4, 1], { dtype: 'float64' }), array([1, -2], { dtype: 'float64' }), {
      trimLeadingZeros: true,
    })
    expect(rt.toArray()).toEqual([1])
  })
  it('rejects bad input', () => {
    expect(() => polyadd(array([[1, 2]]), array([1]))).toThrow(/polyadd: expected a 1-D array/)
    expect(() => polyder(array([1, 2]), -1)).toThrow(/non-negative/)
    expect(() => polyint(array([1, 2]), 2, [1, 2, 3])).toThrow(/polyint: k must be a scalar or have length m = 2/)
    expect(() => polydiv(array([1, 2]), array([]))).toThrow(/divisor v is empty/)
    expect(() => roots(array([1, 0, 1]))).toThrow(/complex dtypes are not supported/)
  })
})

describe('window functions', () => {
  const windows = fx['windows'] as Record<string, Record<string, number[]>>
  it.each(['0', '1', '2', '7', '16'])('match NumPy for M = %s (float32)', (m) => {
    const M = Number(m)
    const w = windows[m] as Record<string, number[]>
    const f32 = { rtol: 2e-6, atol: 2e-7 }
    const got = {
      bartlett: bartlett(M),
      blackman: blackman(M),
      hamming: hamming(M),
      hanning: hanning(M),
      kaiser: kaiser(M, 6.5),
    }
    for (const [name, arr] of Object.entries(got)) {
      expect(arr.dtype).toBe('float32')
      expectClose(arr, w[name] as number[], f32)
    }
  })
  it('kaiser is differentiable in beta and keeps a float64 beta', () => {
    const beta = array(6.5, { dtype: 'float64' })
    expectClose(kaiser(16, beta), (windows['16'] as Record<string, number[]>)['kaiser'] as number[], tol)
    checkGrads((bb: NdArray) => kaiser(7, bb), [beta], { order: 2 })
    expect(() => kaiser(3.5, 1)).toThrow(/M must be an integer/)
    expect(() => kaiser(3, array([1, 2]))).toThrow(/beta must be a scalar/)
  })
})
