/**
 * trunc, fix, rint, around (src/ops/numpyExtra/rounding.ts) against NumPy
 * (test/ops/fixtures/rounding.py → rounding.json), integer dtypes kept; zero gradients.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { around, array, fix, grad, type NdArray, rint, sum, trunc } from 'wengert'
import { expectClose } from '../transforms/helpers'

const fx = JSON.parse(readFileSync(new URL('./fixtures/rounding.json', import.meta.url), 'utf8')) as Record<
  string,
  number[]
>
const x = array(fx['x'] as number[], { dtype: 'float64' })
const i = array(fx['i'] as number[], { dtype: 'int32' })

describe('rounding names', () => {
  it('match NumPy', () => {
    expect(trunc(x).toArray()).toEqual(fx['trunc'])
    expect(fix(x).toArray()).toEqual(fx['fix'])
    expect(rint(x).toArray()).toEqual(fx['rint'])
    expectClose(around(x, 1), fx['around1'] as number[], { rtol: 1e-15, atol: 0 })
    expect(around(x, -1).toArray()).toEqual(fx['around_neg1'])
    const r = around(i, -2)
    expect([r.dtype, r.toArray()]).toEqual(['int32', fx['around_int_neg2']])
    expect(around(i, 2).toArray()).toEqual(fx['around_int_2'])
    expect(trunc(i).toArray()).toEqual(fx['i'])
  })
  it('have zero derivative; bad decimals', () => {
    expect(grad((a: NdArray) => sum(trunc(a)))(x).toArray()).toEqual((fx['x'] as number[]).map(() => 0))
    expect(grad((a: NdArray) => sum(around(a, 2)))(x).toArray()).toEqual((fx['x'] as number[]).map(() => 0))
    expect(() => around(x, 0.5)).toThrow('around: decimals must be an integer, got 0.5')
  })
})
