/**
 * linalg.tensorsolve and linalg.tensorinv (src/ops/linalg/tensor.ts) against NumPy
 * (test/ops/fixtures/linalgTensor.py → linalgTensor.json), with float64 gradient checks and
 * vmap; linalg.eig/eigvals raise the not-supported DTypeError (no complex dtype).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, DTypeError, linalg, type NdArray, type NestedArray, stack, vmap } from 'wengert'
import { expectClose } from '../transforms/helpers'

const fx = JSON.parse(readFileSync(new URL('./fixtures/linalgTensor.json', import.meta.url), 'utf8')) as Record<
  string,
  NestedArray
>
const d64 = (k: string): NdArray => array(fx[k] as NestedArray, { dtype: 'float64' })

describe('linalg.tensorsolve and linalg.tensorinv', () => {
  it('match NumPy', () => {
    expectClose(linalg.tensorsolve(d64('a'), d64('b')), fx['solve'] as NestedArray, { rtol: 1e-10, atol: 1e-12 })
    expectClose(linalg.tensorsolve(d64('a2'), d64('b2'), { axes: [1] }), fx['solve_axes'] as NestedArray, {
      rtol: 1e-10,
      atol: 1e-12,
    })
    const inv = linalg.tensorinv(d64('c'))
    expect(inv.shape).toEqual([8, 3, 4, 6])
    expectClose(inv, fx['inv'] as NestedArray, { rtol: 1e-10, atol: 1e-12 })
  })
  it('are differentiable and vmap like a loop', () => {
    checkGrads((a: NdArray, b: NdArray) => linalg.tensorsolve(a, b), [d64('a'), d64('b')], { order: 1 })
    checkGrads((a: NdArray) => linalg.tensorinv(a, 1), [d64('a').reshape([6, 2, 3])], { order: 1 })
    const b = d64('b')
    const bs = stack([b, b.mul(2)])
    const f = (y: NdArray): NdArray => linalg.tensorsolve(d64('a'), y)
    expectClose(vmap(f)(bs), stack([f(b), f(b.mul(2))]).toArray() as NestedArray, { rtol: 1e-12 })
  })
  it('reject mismatched shapes', () => {
    expect(() => linalg.tensorsolve(d64('a'), d64('b').reshape([3, 2]))).toThrow(
      "linalg.tensorsolve: a's shape (2, 3, 6) must start with b's shape (3, 2) and end with dimensions whose product is 6",
    )
    expect(() => linalg.tensorinv(d64('c'), 1)).toThrow(/first 1 dimensions must equal that of the others/)
    expect(() => linalg.tensorinv(d64('c'), 0)).toThrow('linalg.tensorinv: ind must be a positive integer, got 0')
  })
})

describe('linalg.eig and linalg.eigvals', () => {
  it('raise a DTypeError: complex results are not supported', () => {
    const a = array([
      [0, 1],
      [-1, 0],
    ])
    expect(() => linalg.eig(a)).toThrow(DTypeError)
    expect(() => linalg.eigvals(a)).toThrow(
      'linalg.eigvals: the eigenvalues of a general (2, 2) matrix may be complex, and complex dtypes are not supported; use linalg.eigh or linalg.eigvalsh for symmetric matrices',
    )
  })
})
