/**
 * matmul (NumPy's rules: 1-D promotion, batched broadcasting), dot, outer, transpose and
 * two-operand einsum, with hand-computed products.
 */
import { describe, expect, it } from 'vitest'
import {
  arange,
  array,
  dot,
  einsum,
  grad,
  matmul,
  ones,
  outer,
  reshape,
  transpose,
  ShapeError,
  ValueError,
  type NdArray,
  type NestedArray,
} from '../../src/index'
import { expectArray } from '../ndarray/expect'

const f64 = (x: NestedArray) => array(x as number[], { dtype: 'float64' })
const A = f64([
  [1, 2, 3],
  [4, 5, 6],
]) // [2,3]
const B = f64([
  [7, 8],
  [9, 10],
  [11, 12],
]) // [3,2]

describe('matmul', () => {
  it('2-D @ 2-D by hand', () => {
    // [1·7+2·9+3·11, 1·8+2·10+3·12] = [58, 64]; [4·7+5·9+6·11, 4·8+5·10+6·12] = [139, 154]
    expectArray(
      matmul(A, B),
      [
        [58, 64],
        [139, 154],
      ],
      'float64',
    )
    expectArray(matmul(B, A), [
      [39, 54, 69],
      [49, 68, 87],
      [59, 82, 105],
    ])
  })

  it('1-D @ 1-D is the inner product, a 0-d array', () => {
    expectArray(matmul(f64([1, 2, 3]), f64([4, 5, 6])), 32)
  })

  it('1-D on the left is a row vector whose axis is then removed', () => {
    expectArray(matmul(f64([1, 2]), A), [9, 12, 15])
  })

  it('1-D on the right is a column vector whose axis is then removed', () => {
    expectArray(matmul(A, f64([1, 0, -1])), [-2, -2])
  })

  it('a batch times a matrix applies the matrix to every batch element', () => {
    const batch = f64([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [2, 0],
        [0, 2],
      ],
    ]) // [2,2,2]
    const m = f64([
      [1, 2],
      [3, 4],
    ])
    expectArray(matmul(batch, m), [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [2, 4],
        [6, 8],
      ],
    ])
    expectArray(matmul(m, batch), [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [2, 4],
        [6, 8],
      ],
    ])
  })

  it('batch axes broadcast: [2,1,2,2] @ [3,2,2] -> [2,3,2,2]', () => {
    const a = reshape(arange(8, undefined, 1, { dtype: 'float64' }), [2, 1, 2, 2])
    const b = f64([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [0, 1],
        [1, 0],
      ],
      [
        [1, 1],
        [1, 1],
      ],
    ])
    const c = matmul(a, b)
    expect(c.shape).toEqual([2, 3, 2, 2])
    // a[0,0] = [[0,1],[2,3]]: times I, times the swap (columns swapped), times ones (row sums)
    expectArray(c, [
      [
        [
          [0, 1],
          [2, 3],
        ],
        [
          [1, 0],
          [3, 2],
        ],
        [
          [1, 1],
          [5, 5],
        ],
      ],
      [
        [
          [4, 5],
          [6, 7],
        ],
        [
          [5, 4],
          [7, 6],
        ],
        [
          [9, 9],
          [13, 13],
        ],
      ],
    ])
  })

  it('1-D with a batch: [2] @ [4,2,3] -> [4,3] and [4,2,3] @ [3] -> [4,2]', () => {
    expect(matmul(ones([2]), ones([4, 2, 3])).shape).toEqual([4, 3])
    expect(matmul(ones([4, 2, 3]), ones([3])).shape).toEqual([4, 2])
    expectArray(
      matmul(
        f64([1, 1]),
        f64([
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
        ]),
      ),
      [[5, 7, 9]],
    )
  })

  it('int32 operands give an exact int32 product', () => {
    const m = array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32' },
    )
    expectArray(
      matmul(m, m),
      [
        [7, 10],
        [15, 22],
      ],
      'int32',
    )
  })

  it('bool operands give "any of the ands" (NumPy), also with 256 terms', () => {
    expectArray(
      matmul(
        array([
          [true, false],
          [false, false],
        ]),
        array([
          [true, true],
          [true, false],
        ]),
      ),
      [
        [true, true],
        [false, false],
      ],
      'bool',
    )
    // a byte count would wrap 256 to 0
    expectArray(matmul(ones([1, 256], { dtype: 'bool' }), ones([256, 1], { dtype: 'bool' })), [[true]], 'bool')
  })

  it('float32 with float64 promotes', () => {
    expect(matmul(array([[1]]), f64([[1]])).dtype).toBe('float64')
  })

  it('misaligned and 0-d operands are errors naming the shapes', () => {
    expect(() => matmul(ones([2, 3]), ones([4, 5]))).toThrow(ShapeError)
    expect(() => matmul(ones([2, 3]), ones([4, 5]))).toThrow(
      /matmul: dot_general requires contracting dimensions to have the same shape, got \(3,\) and \(4,\): shapes \[2,3\] and \[4,5\] are not aligned/,
    )
    expect(() => matmul(ones([3]), ones([4]))).toThrow(/matmul: .*shapes \[3\] and \[4\]/)
    expect(() => matmul(ones([2, 2, 3]), ones([3, 3, 2]))).toThrow(
      /matmul: Incompatible shapes for broadcasting: shapes=\[\(2,\), \(3,\)\]/,
    )
    expect(() => matmul(array(2), ones([2]))).toThrow(ValueError)
  })
})

describe('dot, outer', () => {
  it('dot of vectors, matrices, and with a scalar', () => {
    expectArray(dot(f64([1, 2, 3]), f64([4, 5, 6])), 32)
    expectArray(dot(A, B), [
      [58, 64],
      [139, 154],
    ])
    expectArray(dot(2, f64([1, 2])), [2, 4])
    // N-D operands follow NumPy (last axis × second-to-last): values in test/ops/innerProducts.test.ts
    expect(dot(ones([2, 2, 2]), ones([2, 2])).shape).toEqual([2, 2, 2])
    expect(() => dot(ones([2, 2, 3]), ones([2, 2]))).toThrow(
      /dot: dot_general requires contracting dimensions to have the same shape, got \(3,\) and \(2,\): shapes \[2,2,3\] and \[2,2\] are not aligned/,
    )
  })

  it('outer of two vectors, flattening higher-rank input', () => {
    expectArray(outer(f64([1, 2]), f64([3, 4, 5])), [
      [3, 4, 5],
      [6, 8, 10],
    ])
    expect(outer(ones([2, 2]), ones([3])).shape).toEqual([4, 3])
  })
})

describe('transpose', () => {
  it('reverses the axes by default', () => {
    expectArray(transpose(A), [
      [1, 4],
      [2, 5],
      [3, 6],
    ])
    expect(transpose(ones([2, 3, 4])).shape).toEqual([4, 3, 2])
  })

  it('permutes by perm, negative entries allowed', () => {
    // y[i][j][k] = 12i + 4j + k; transpose [2,0,1]: out[k][i][j] = y[i][j][k]
    const y = reshape(arange(24), [2, 3, 4])
    const t = transpose(y, [2, 0, 1])
    expect(t.shape).toEqual([4, 2, 3])
    expectArray(transpose(y, [-1, 0, 1]), t.toArray())
    const out = t.toArray() as number[][][]
    expect(out[3]?.[1]?.[2]).toBe(12 * 1 + 4 * 2 + 3)
  })

  it('rejects a perm that is not a permutation', () => {
    expect(() => transpose(A, [0, 0])).toThrow(/transpose: perm \[0,0\] is not a permutation/)
    expect(() => transpose(A, [0])).toThrow(ValueError)
    expect(() => transpose(A, [0, 2])).toThrow(ShapeError)
  })
})

describe('einsum', () => {
  const M = f64([
    [1, 2],
    [3, 4],
  ])
  it('matrix product, explicit and implicit output', () => {
    expectArray(einsum('ij,jk->ik', M, M), [
      [7, 10],
      [15, 22],
    ])
    expectArray(einsum('ij,jk', M, M), [
      [7, 10],
      [15, 22],
    ])
  })

  it('inner, outer and Hadamard products', () => {
    expectArray(einsum('i,i->', f64([1, 2, 3]), f64([4, 5, 6])), 32)
    expectArray(einsum('i,j->ij', f64([1, 2]), f64([3, 4, 5])), [
      [3, 4, 5],
      [6, 8, 10],
    ])
    expectArray(einsum('ij,ij->ij', M, M), [
      [1, 4],
      [9, 16],
    ])
    expectArray(einsum('ij,ij->', M, M), 30)
  })

  it('matrix-vector and A·Bᵀ', () => {
    expectArray(einsum('ij,j->i', M, f64([1, -1])), [-1, -1])
    // rows of M dotted with rows of M
    expectArray(einsum('ij,kj->ik', M, M), [
      [5, 11],
      [11, 25],
    ])
  })

  it('batched matrix product and a permuted output', () => {
    const a = f64([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [1, 2],
        [3, 4],
      ],
    ])
    expectArray(einsum('bij,bjk->bik', a, a), [
      [
        [1, 0],
        [0, 1],
      ],
      [
        [7, 10],
        [15, 22],
      ],
    ])
    expectArray(einsum('bij,bjk->bki', a, a), [
      [
        [1, 0],
        [0, 1],
      ],
      [
        [7, 15],
        [10, 22],
      ],
    ])
  })

  it('indices summed inside one operand only', () => {
    // Σ_j M[i,j] · v[k]
    expectArray(einsum('ij,k->ik', M, f64([1, 10])), [
      [3, 30],
      [7, 70],
    ])
  })

  it('one operand: transpose and sums', () => {
    expectArray(einsum('ij->ji', M), [
      [1, 3],
      [2, 4],
    ])
    expectArray(einsum('ij->', M), 10)
    expectArray(einsum('ij->j', M), [4, 6])
  })

  it('an index repeated within one operand takes the diagonal (NumPy)', () => {
    expectArray(einsum('ii->i', M), [1, 4])
    expectArray(einsum('ii', M), 5)
    expectArray(einsum('ii->', M), 5)
    expectArray(einsum('ii,i->i', M, f64([1, 10])), [1, 40])
    // T[i, i, j] for a 2×2×2 block: the diagonals of the first two axes, per j, summed over i
    const T = f64([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ])
    expectArray(einsum('iij->j', T), [1 + 7, 2 + 8])
    expectArray(einsum('nmaa->nm', reshape(f64([1, 2, 3, 4, 5, 6, 7, 8]), [1, 2, 2, 2])), [[1 + 4, 5 + 8]])
    // the trace's gradient is the identity
    expectArray(grad((x: NdArray) => einsum('ii', x))(M), [
      [1, 0],
      [0, 1],
    ])
    expect(() => einsum('ii->i', ones([2, 3]))).toThrow(/einsum: index 'i' has size 2 in one operand and 3/)
  })

  it('bad specs are errors', () => {
    expect(() => einsum('ij,jk->ik', M)).toThrow(/einsum: 'ij,jk->ik' names 2 operands but 1 were given/)
    expect(() => einsum('ij,jk,kl->il', M, M, M)).toThrow(/einsum: one or two operands are supported, got 3/)
    expect(() => einsum('...ij,...jk->...ik', M, M)).toThrow(/ellipsis \(\.\.\.\) is not supported/)
    expect(() => einsum('i1,1k->ik', M, M)).toThrow(/is not a valid spec/)
    expect(() => einsum('ij,jk->ik', ones([2, 3]), ones([2, 2]))).toThrow(
      /einsum: index 'j' has size 3 in one operand and 2 in another/,
    )
    expect(() => einsum('ijk,jk->i', M, M)).toThrow(/einsum: operand 0 has rank 2 but 'ijk' names 3 axes/)
    expect(() => einsum('ij,jk->iz', M, M)).toThrow(/einsum: output index 'z' does not appear/)
  })
})
