/**
 * Broadcasting has one home (issue 9): `broadcastShapesOrMismatch` gives the shape or the
 * mismatch that ops (ShapeError) and the facade (PyTorch's RuntimeError) word in their terms.
 */
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { broadcastShapesOrMismatch } from '../../src/ndarray/shape'

describe('broadcastShapesOrMismatch', () => {
  it('gives NumPy’s broadcast shape', () => {
    expect(broadcastShapesOrMismatch([2, 1, 3], [4, 1])).toEqual(E.right([2, 4, 3]))
    expect(broadcastShapesOrMismatch([], [0, 2])).toEqual(E.right([0, 2]))
    expect(broadcastShapesOrMismatch([1], [0])).toEqual(E.right([0]))
  })
  it('names the last mismatching axis of the result, as PyTorch 1.13 reports it', () => {
    // torch.zeros(2, 3) + torch.zeros(4, 5): "The size of tensor a (3) must match the size of
    // tensor b (5) at non-singleton dimension 1"
    expect(broadcastShapesOrMismatch([2, 3], [4, 5])).toEqual(E.left({ dim: 1, sizeA: 3, sizeB: 5 }))
    // torch.zeros(3) + torch.zeros(4, 2): "… tensor a (3) … tensor b (2) at non-singleton dimension 1"
    expect(broadcastShapesOrMismatch([3], [4, 2])).toEqual(E.left({ dim: 1, sizeA: 3, sizeB: 2 }))
    expect(broadcastShapesOrMismatch([2, 1], [3, 1])).toEqual(E.left({ dim: 0, sizeA: 2, sizeB: 3 }))
  })
})
