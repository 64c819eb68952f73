import { describe, expect, it } from 'vitest'
import { at } from '../../src/internal/at'
import { InternalError } from '../../src/ndarray/errors'

describe('at', () => {
  it('reads an element of an array or a typed array', () => {
    expect(at([3, 4, 5], 2)).toBe(5)
    expect(at(new Float32Array([0.5, 1.5]), 1)).toBe(1.5)
    expect(at([undefined, 1], 0)).toBeUndefined() // an element that is undefined is still an element
  })

  it.each([-1, 3, 1.5, NaN, 2 ** 32])('throws an InternalError naming index %s and the length', (i) => {
    expect(() => at([3, 4, 5], i, 'transpose: perm')).toThrow(InternalError)
    expect(() => at([3, 4, 5], i, 'transpose: perm')).toThrow(
      `internal: transpose: perm: index ${i} out of bounds for length 3`,
    )
  })
})
