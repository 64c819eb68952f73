/**
 * Ops with parameters are dual (STYLE C10): data-first `sum(x, opts)` and data-last
 * `pipe(x, sum(opts))` give the same result.
 */
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import { array, expandDims, logSoftmax, mean, reshape, softmax, sum, transpose, type NdArray } from '../../src/index'

describe('dual ops', () => {
  const x = array(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    { dtype: 'float64' },
  )

  it('sum, mean: data-last equals data-first', () => {
    // Arrange / Act
    const piped = pipe(x, sum({ axis: 0 }))
    // Assert: column sums by hand
    expect(piped.toArray()).toEqual([5, 7, 9])
    expect(pipe(x, mean({ axis: 1, keepdims: true })).toArray()).toEqual([[2], [5]])
    expect(pipe(x, sum()).item()).toBe(21)
  })

  it('layout ops compose in a pipe', () => {
    const y: NdArray = pipe(x, transpose(), reshape([3, 2]), expandDims(0))
    expect(y.shape).toEqual([1, 3, 2])
    expect(y.toArray()).toEqual([
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    ])
  })

  it('softmax family in a pipe matches the direct call', () => {
    expect(pipe(x, softmax({ axis: 1 })).toArray()).toEqual(softmax(x, { axis: 1 }).toArray())
    expect(pipe(x, logSoftmax()).toArray()).toEqual(logSoftmax(x).toArray())
  })
})
