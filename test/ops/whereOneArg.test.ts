/**
 * JAX's one-argument `where(condition)`: the indices of the nonzero entries per axis (as
 * `nonzero`), with `size`/`fillValue` for a static length under `jit`; one of x and y alone
 * raises JAX's ValueError.
 */
import { describe, expect, it } from 'vitest'
import { array, jit, where } from '../../src'
import { ValueError } from '../../src/ndarray/errors'

describe('where(condition)', () => {
  it('gives the row-major indices of the nonzero entries, one array per axis', () => {
    // Arrange
    const m = array([
      [0, 2, 0],
      [1, 0, 3],
    ])
    // Act
    const [r, c] = where(m)
    // Assert: entries (0,1), (1,0), (1,2)
    expect(r?.toArray()).toEqual([0, 1, 1])
    expect(c?.toArray()).toEqual([1, 0, 2])
    expect(r?.dtype).toBe('int32')
  })

  it('takes size and fillValue, also under jit', () => {
    const f = jit((x: ReturnType<typeof array>) => where(x, { size: 4, fillValue: -1 })[0]!)
    expect(where(array([0, 5, 0, 7]), { size: 3, fillValue: -1 })[0]?.toArray()).toEqual([1, 3, -1])
    expect(f(array([true, false, true])).toArray()).toEqual([0, 2, -1, -1])
    expect(where(array([1, 0, 1, 1]), { size: 2 })[0]?.toArray()).toEqual([0, 2])
  })

  it('the three-argument form still selects', () => {
    expect(where(array([true, false]), array([1, 2]), array([3, 4])).toArray()).toEqual([1, 4])
  })

  it('x without y raises JAX’s ValueError', () => {
    const call = (): unknown => (where as (c: unknown, x: unknown) => unknown)(array([true]), 3)
    expect(call).toThrow(ValueError)
    expect(call).toThrow(
      'Either both or neither of the x and y arguments should be provided to jax.numpy.where, got 3 and None.',
    )
  })
})
