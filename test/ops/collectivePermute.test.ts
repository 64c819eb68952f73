/**
 * ppermute, pshuffle, psumScatter, allToAll and pswapaxes over a named vmap axis: results against
 * the exchange written out by hand over the batch, gradients (float64 finite differences of the
 * vmapped function: the transposed exchange), nested vmaps and JAX's errors.
 */
import { describe, expect, it } from 'vitest'
import { array, checkGrads, mul, sum, vmap, type NdArray } from '../../src'
import * as lax from '../../src/ops/lax'
import { ShapeError, ValueError } from '../../src/ndarray/errors'

const f64 = (x: number[] | number[][] | number[][][]): NdArray => array(x, { dtype: 'float64' })
const seq = (shape: number[]): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  return array(
    Array.from({ length: n }, (_, i) => i + 1),
    { dtype: 'float64', shape },
  )
}
const named = <A extends NdArray[]>(f: (...a: A) => NdArray) => vmap(f, { axisName: 'i' })

describe('ppermute and pshuffle', () => {
  it('element d receives the source paired with it; unpaired destinations get zeros', () => {
    const x = f64([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ])
    const y = named((v: NdArray) =>
      lax.ppermute(v, 'i', [
        [0, 2],
        [3, 0],
      ]),
    )(x)
    expect(y.toArray()).toEqual([
      [7, 8],
      [0, 0],
      [1, 2],
      [0, 0],
    ])
    expect(named((v: NdArray) => lax.pshuffle(v, 'i', [1, 2, 3, 0]))(x).toArray()).toEqual([
      [3, 4],
      [5, 6],
      [7, 8],
      [1, 2],
    ])
    expect(
      named((v: NdArray) =>
        lax.ppermute(v, 'i', [
          [0, 1],
          [1, 0],
        ]),
      )(array([true, false, true])).toArray(),
    ).toEqual([false, true, false])
  })
  it('gradient: the cotangent travels back along the inverse permutation', () => {
    const w = f64([
      [1, -2],
      [0.5, 3],
      [2, 1],
    ])
    const f = (x: NdArray): NdArray =>
      sum(
        mul(
          named((v: NdArray) =>
            lax.ppermute(lax.mul(v, v), 'i', [
              [0, 1],
              [1, 2],
              [2, 0],
            ]),
          )(x),
          w,
        ),
      )
    checkGrads(f, [
      f64([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    ])
  })
  it('bad perms raise', () => {
    const x = f64([1, 2, 3])
    expect(() =>
      named((v: NdArray) =>
        lax.ppermute(v, 'i', [
          [0, 1],
          [2, 1],
        ]),
      )(x),
    ).toThrow(ValueError)
    expect(() => named((v: NdArray) => lax.ppermute(v, 'i', [[0, 3]]))(x)).toThrow(
      /unique sources and unique destinations/,
    )
    expect(() => named((v: NdArray) => lax.pshuffle(v, 'i', [0, 0, 1]))(x)).toThrow(
      '`perm` does not represent a permutation',
    )
  })
})

describe('psumScatter', () => {
  it('element i receives chunk i of the sum; tiled keeps the axis', () => {
    const x = seq([2, 2, 3]) // two elements of [2, 3]
    const s = [
      [1 + 7, 2 + 8, 3 + 9],
      [4 + 10, 5 + 11, 6 + 12],
    ]
    expect(named((v: NdArray) => lax.psumScatter(v, 'i'))(x).toArray()).toEqual(s)
    const t = named((v: NdArray) => lax.psumScatter(v, 'i', { scatterDimension: 1, tiled: true }))(seq([2, 2, 4]))
    // sums [[10, 12, 14, 16], [18, 20, 22, 24]]; element 0 gets columns 0–1, element 1 columns 2–3
    expect(t.toArray()).toEqual([
      [
        [10, 12],
        [18, 20],
      ],
      [
        [14, 16],
        [22, 24],
      ],
    ])
    expect(() => named((v: NdArray) => lax.psumScatter(v, 'i'))(seq([2, 3]))).toThrow(ShapeError)
    expect(() => named((v: NdArray) => lax.psumScatter(v, 'i', { tiled: true }))(seq([2, 3]))).toThrow(/divisible/)
  })
  it('gradient by float64 finite differences', () => {
    const w = f64([
      [1, 2, -1],
      [0.5, -3, 2],
    ])
    checkGrads(
      (x: NdArray) => sum(mul(named((v: NdArray) => lax.psumScatter(lax.mul(v, v), 'i'))(x), w)),
      [seq([2, 2, 3])],
    )
  })
})

describe('allToAll and pswapaxes', () => {
  it('untiled: the named axis and split axis trade places; the received axis lands at concat_axis', () => {
    const x = seq([3, 3, 2]) // element j holds x_j of shape [3, 2]
    const xs = x.toArray() as number[][][]
    const y = named((v: NdArray) => lax.allToAll(v, 'i', 0, 1))(x).toArray() as number[][][]
    // element i: x_j[i, :] for every j, stacked at axis 1 → [2, 3]: y[i][c][j] = x_j[i][c]
    for (let i = 0; i < 3; i++)
      for (let c = 0; c < 2; c++) for (let j = 0; j < 3; j++) expect(y[i]?.[c]?.[j]).toBe(xs[j]?.[i]?.[c])
    const s = named((v: NdArray) => lax.pswapaxes(v, 'i', 0))(x).toArray() as number[][][]
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) for (let c = 0; c < 2; c++) expect(s[i]?.[j]?.[c]).toBe(xs[j]?.[i]?.[c])
  })
  it('tiled: chunk j of the split axis goes to element j, concatenated in sender order', () => {
    const x = seq([2, 4, 3]) // two elements of [4, 3]
    const xs = x.toArray() as number[][][]
    const y = named((v: NdArray) => lax.allToAll(v, 'i', 0, 1, { tiled: true }))(x).toArray() as number[][][]
    // element i: rows 2i..2i+1 of every x_j, concatenated along axis 1 → [2, 6]
    for (let i = 0; i < 2; i++)
      for (let r = 0; r < 2; r++)
        for (let j = 0; j < 2; j++)
          for (let c = 0; c < 3; c++) expect(y[i]?.[r]?.[j * 3 + c]).toBe(xs[j]?.[2 * i + r]?.[c])
  })
  it('gradient by float64 finite differences; errors', () => {
    const w = seq([2, 2, 2])
    checkGrads(
      (x: NdArray) => sum(mul(named((v: NdArray) => lax.allToAll(lax.mul(v, v), 'i', 1, 0))(x), w)),
      [seq([2, 2, 2])],
    )
    expect(() => named((v: NdArray) => lax.allToAll(v, 'i', 0, 0))(seq([2, 3]))).toThrow(
      'all_to_all requires the size of the mapped axis axis_name to equal x.shape[split_axis], but they are 2 and 3 respectively.',
    )
    expect(() => named((v: NdArray) => lax.allToAll(v, 'i', 0, 0, { tiled: true }))(seq([2, 3]))).toThrow(
      /has to be divisible/,
    )
    expect(() => named((v: NdArray) => lax.allToAll(v, 'i', 2, 0))(seq([2, 2]))).toThrow(ShapeError)
  })
})
