/**
 * JAX's positional form of vmap's axes, `vmap(f, in_axes, out_axes)`: the same as the options
 * object; an object second argument stays the options. Expected values: the loops they replace.
 */
import { describe, expect, it } from 'vitest'
import { array, mul, sum, vmap, type NdArray } from 'wengert'

const a = array([
  [1, 2],
  [3, 4],
  [5, 6],
])
const w = array([10, 100])

describe('vmap(f, in_axes, out_axes)', () => {
  it('takes in_axes as a number, null-entry array, and out_axes third', () => {
    const dot = (w: NdArray, x: NdArray): NdArray => sum(mul(w, x))
    expect(vmap(dot, [null, 0])(w, a).toArray()).toEqual([210, 430, 650])
    expect(vmap(dot, [null, 1])(w, a.T).toArray()).toEqual([210, 430, 650])
    expect(vmap((x: NdArray) => mul(x, 2), 1, 1)(a).toArray()).toEqual([
      [2, 4],
      [6, 8],
      [10, 12],
    ])
    expect(vmap((x: NdArray) => mul(x, 2), 0, 1)(a).toArray()).toEqual([
      [2, 6, 10],
      [4, 8, 12],
    ])
  })

  it('an options object with a positional out_axes raises', () => {
    expect(() => vmap((x: NdArray) => x, { inAxes: 0 }, 1)).toThrow(/out_axes given positionally/)
  })
})
