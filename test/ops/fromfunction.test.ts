/** jnp.fromfunction: fn mapped over every axis with vmap (0-d coordinates), any dtype, pytree results. */
import { describe, expect, it } from 'vitest'
import { add, fromfunction, mul, ValueError, type NdArray } from '../../src/index'

describe('fromfunction', () => {
  it('builds the array from the coordinates (values by hand), float32 by default', () => {
    const t = fromfunction((i: NdArray, j: NdArray) => add(mul(i, 10), j), [2, 3]) as NdArray
    expect(t.dtype).toBe('float32')
    expect(t.toArray()).toEqual([
      [0, 1, 2],
      [10, 11, 12],
    ])
    const seen: number[][] = []
    fromfunction(
      (i: NdArray, j: NdArray, k: NdArray) => {
        seen.push([i.ndim, j.ndim, k.ndim])
        return i
      },
      [2, 1, 2],
    )
    expect(seen).toEqual([[0, 0, 0]])
  })
  it('takes a dtype and returns pytrees', () => {
    const r = fromfunction((i: NdArray) => ({ a: i, b: mul(i, i) }), [3], { dtype: 'int32' }) as {
      a: NdArray
      b: NdArray
    }
    expect([r.a.dtype, r.a.toArray(), r.b.toArray()]).toEqual(['int32', [0, 1, 2], [0, 1, 4]])
    expect(() => fromfunction((i: NdArray) => i, [-1])).toThrow(ValueError)
  })
})
