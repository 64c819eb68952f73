/**
 * Regressions of silent wrong answers found while building the layers: tril/triu multiplied by a
 * 0/1 mask, so an infinite entry outside the band became NaN (0·∞) instead of 0.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, sum, tril, triu, type NdArray } from '../../src'
import * as torch from 'wengert/torch'

describe('tril/triu keep zeros outside the band whatever the entries', () => {
  it('infinities and NaN outside the band become 0 (NumPy gives 0)', () => {
    const x = array([
      [-Infinity, -Infinity],
      [NaN, Infinity],
    ])
    expect(triu(x, 1).toArray()).toEqual([
      [0, -Infinity],
      [0, 0],
    ])
    expect(tril(x).toArray()).toEqual([
      [-Infinity, 0],
      [NaN, Infinity],
    ])
    expect(torch.triu(torch.full([2, 2], -Infinity), 1).tolist()).toEqual([
      [0, -Infinity],
      [0, 0],
    ])
  })
  it('the gradient is the band mask', () => {
    expect(
      grad((a: NdArray) => sum(tril(a, -1)))(
        array([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([
      [0, 0],
      [1, 0],
    ])
  })
})
