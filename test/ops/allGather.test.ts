import { describe, expect, it } from 'vitest'
import { array, grad, jit, mul, sum, vmap, type NdArray } from '../../src'
import * as lax from '../../src/ops/lax'
import { NameError, ShapeError, ValueError } from '../../src/ndarray/errors'

const f64 = (x: number[] | number[][]): NdArray => array(x, { dtype: 'float64' })

describe('lax.allGather', () => {
  it('stacks (or tiles) every element of the named axis, the same for each element', () => {
    const xs = f64([
      [1, 2],
      [3, 4],
      [5, 6],
    ])
    const g = vmap((x: NdArray) => lax.allGather(x, 'i'), { axisName: 'i' })(xs)
    expect(g.shape).toEqual([3, 3, 2])
    expect((g.toArray() as number[][][])[2]).toEqual(xs.toArray())
    const g1 = vmap((x: NdArray) => lax.allGather(x, 'i', { axis: 1 }), { axisName: 'i' })(xs)
    expect((g1.toArray() as number[][][])[0]).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ])
    const t = vmap((x: NdArray) => lax.allGather(x, 'i', { tiled: true }), { axisName: 'i' })(xs)
    expect((t.toArray() as number[][])[1]).toEqual([1, 2, 3, 4, 5, 6])
    const b = vmap((x: NdArray) => lax.allGather(x, 'i'), { axisName: 'i' })(array([true, false]))
    expect(b.toArray()).toEqual([
      [true, false],
      [true, false],
    ])
  })
  it('differentiates (the transpose sums the copies) and works under jit and an inner vmap', () => {
    const w = f64([1, 10, 100])
    const loss = (x: NdArray): NdArray =>
      sum(vmap((xi: NdArray) => sum(mul(lax.allGather(xi, 'i'), w)), { axisName: 'i' })(x))
    // every one of the 3 elements sees Σⱼ xⱼ wⱼ: the gradient is 3·w
    expect(grad(loss)(f64([0.5, -1, 2])).toArray()).toEqual([3, 30, 300])
    expect(jit(grad(loss))(f64([0.5, -1, 2])).toArray()).toEqual([3, 30, 300])
    const nested = vmap((row: NdArray) => vmap((x: NdArray) => lax.allGather(x, 'outer'), { axisName: 'inner' })(row), {
      axisName: 'outer',
    })(
      f64([
        [1, 2],
        [3, 4],
      ]),
    )
    // element [r, c] gathers column c over the outer axis
    expect((nested.toArray() as number[][][])[0]).toEqual([
      [1, 3],
      [2, 4],
    ])
  })
  it('refuses an unbound name, a bad axis and axis_index_groups', () => {
    expect(() => lax.allGather(f64([1]), 'nope')).toThrow(NameError)
    expect(() => vmap((x: NdArray) => lax.allGather(x, 'i', { axis: 2 }), { axisName: 'i' })(f64([1, 2]))).toThrow(
      ShapeError,
    )
    expect(() =>
      vmap((x: NdArray) => lax.allGather(x, 'i', { axisIndexGroups: [[0]] as never }), { axisName: 'i' })(f64([1])),
    ).toThrow(ValueError)
  })
})
