/**
 * broadcast_in_dim refuses params that do not describe a broadcast (a regression: broadcasting
 * [1, 2] to [1, 3] silently gave NaN), eagerly, under jit and under vmap.
 */
import { describe, expect, it } from 'vitest'
import { array, jit, lax, vmap, ShapeError } from '../../src'
import { broadcastInDim } from '../../src/core/primitives/movement'

describe('broadcast_in_dim checks its params', () => {
  const x = array([[1, 2]])
  it('a size that is neither 1 nor the target size raises', () => {
    expect(() => lax.broadcastInDim(x, [1, 3], [0, 1])).toThrow(ShapeError)
    // the primitive itself, as the library's own rules call it
    expect(() => broadcastInDim(x, [1, 3], [0, 1])).toThrow(
      /broadcast_in_dim: .*operand of shape \[1,2\], target broadcast shape \[1,3\], broadcast_dimensions \[0,1\]/,
    )
    expect(() => jit((a: typeof x) => broadcastInDim(a, [1, 3], [0, 1]))(x)).toThrow(ShapeError)
    expect(() => broadcastInDim(array([[1], [2]]), [2, 2, 1], [2, 0])).toThrow(ShapeError)
  })
  it('dims out of range, not increasing, or of the wrong length raise', () => {
    expect(() => lax.broadcastInDim(x, [4, 1, 2], [0, 3])).toThrow(ShapeError)
    expect(() => lax.broadcastInDim(array([1, 2]), [2, 2], [1, 0].slice(1))).not.toThrow()
    expect(() => lax.broadcastInDim(array([[1], [2]]), [2, 2, 1], [2, 0])).toThrow(ShapeError)
    expect(() => lax.broadcastInDim(x, [3, 1, 2], [1])).toThrow(ShapeError)
  })
  it('valid broadcasts still work, also batched', () => {
    expect(lax.broadcastInDim(x, [3, 1, 2], [1, 2]).tolist()).toEqual([[[1, 2]], [[1, 2]], [[1, 2]]])
    expect(lax.broadcastInDim(array([5]), [2, 3], [1]).tolist()).toEqual([
      [5, 5, 5],
      [5, 5, 5],
    ])
    const f = vmap((r: typeof x) => lax.broadcastInDim(r, [2, 2], [1]))
    expect(
      f(
        array([
          [1, 2],
          [3, 4],
        ]),
      ).tolist(),
    ).toEqual([
      [
        [1, 2],
        [1, 2],
      ],
      [
        [3, 4],
        [3, 4],
      ],
    ])
  })
})
