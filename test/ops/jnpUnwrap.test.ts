/**
 * jnp.unwrap (src/ops/numpyExtra/unwrap.ts) against NumPy (fixtures/jnpUnwrap.py), with
 * gradients by finite differences and the bad-input refusals.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, jit, unwrap, ValueError, type NdArray } from '../../src'

type Nested = number[] | number[][]
const F = JSON.parse(readFileSync(new URL('./fixtures/jnpUnwrap.json', import.meta.url), 'utf8')) as Record<
  string,
  Nested
>
const f64 = (v: Nested): NdArray => array(v, { dtype: 'float64' })
const close = (got: NdArray, want: Nested): void => {
  const g = (got.toArray() as Nested).flat()
  const w = want.flat()
  expect(g.length).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - (w[i] as number))).toBeLessThan(1e-12))
}

describe('unwrap', () => {
  it('matches NumPy for its options', () => {
    const p = f64(F.p!)
    close(unwrap(p), F.default!)
    close(unwrap(p, { axis: 0 }), F.axis0!)
    close(unwrap(p, { discont: 4 }), F.discont!)
    close(unwrap(p, { discont: 1 }), F.discontSmall!)
    close(unwrap(f64(F.wrapped!)), F.wrappedOut!)
    close(unwrap(f64(F.deg!), { period: 360 }), F.degOut!)
    close(unwrap(f64(F.edge!)), F.edgeOut!)
    close(jit((x: NdArray) => unwrap(x, { axis: 0 }))(p), F.axis0!)
  })

  it('computes integers in float32 and differentiates', () => {
    const u = unwrap(array([0, 7, 14], { dtype: 'int32' }))
    expect(u.dtype).toBe('float32')
    checkGrads((x: NdArray) => unwrap(x), [f64([0.1, 3.5, 6.9, 0.4])], { order: 1 })
  })

  it('refuses 0-d input and unknown options', () => {
    expect(() => unwrap(f64(F.deg!).sum())).toThrow(ValueError)
    expect(() => unwrap(f64([1, 2]), { axis: 3 })).toThrow(/unwrap/)
    expect(() => unwrap(f64([1, 2]), { perod: 3 } as never)).toThrow(/perod/)
  })
})
