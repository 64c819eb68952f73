import { describe, expect, it } from 'vitest'
import { array, checkGrads, matmul, sum, mul, transpose, vmap, type NdArray } from '../../src'
import * as lax from '../../src/ops/lax'
import { DTypeError, ShapeError, ValueError } from '../../src/ndarray/errors'

const f64 = (x: number[] | number[][] | number[][][]): NdArray => array(x, { dtype: 'float64' })
const close = (got: NdArray, want: NdArray, digits = 12): void => {
  const w = Array.from(want.toTypedArray() as Float64Array)
  expect(got.shape).toEqual(want.shape)
  expect(Array.from(got.toTypedArray() as Float64Array)).toEqual(w.map((v) => expect.closeTo(v, digits)))
}
const spd = f64([
  [4, 1, 0.5],
  [1, 3, 0.2],
  [0.5, 0.2, 2],
])
const tri = f64([
  [2, 0, 0],
  [1, 3, 0],
  [-1, 0.5, 4],
])
const B = f64([
  [1, 2],
  [3, 4],
  [5, 6],
])

describe('lax.linalg', () => {
  it('cholesky: L·Lᵀ = x; symmetrizeInput false reads only the lower triangle', () => {
    const l = lax.linalg.cholesky(spd)
    close(matmul(l, transpose(l)), spd)
    const junkUpper = f64([
      [4, 99, 99],
      [1, 3, 99],
      [0.5, 0.2, 2],
    ])
    close(lax.linalg.cholesky(junkUpper, { symmetrizeInput: false }), l)
    expect(() =>
      lax.linalg.cholesky(
        array(
          [
            [1, 0],
            [0, 1],
          ],
          { dtype: 'int32' },
        ),
      ),
    ).toThrow(DTypeError)
    expect(() => lax.linalg.cholesky(f64([[1, 2, 3]]))).toThrow(ShapeError)
  })
  it('eigh returns [eigenvectors, eigenvalues] (JAX order) and subsets by index', () => {
    const [v, w] = lax.linalg.eigh(spd)
    close(matmul(spd, v), mul(v, w))
    const [v1, w1] = lax.linalg.eigh(spd, { subsetByIndex: [1, 3] })
    close(w1, f64(Array.from(w.toTypedArray()).slice(1) as number[]))
    expect(v1.shape).toEqual([3, 2])
    expect(() => lax.linalg.eigh(spd, { subsetByIndex: [2, 1] })).toThrow(ValueError)
  })
  it('lu: x[permutation] = L·U; qr and svd are complete by default with JAX result order', () => {
    const [packed, pivots, perm] = lax.linalg.lu(
      f64([
        [1, 2],
        [3, 4],
      ]),
    )
    expect(perm.toArray()).toEqual([1, 0])
    expect(pivots.dtype).toBe('int32')
    close(
      packed,
      f64([
        [3, 4],
        [1 / 3, 2 / 3],
      ]),
    )
    close(lax.linalg.luPivotsToPermutation(pivots, 2), perm, 0)
    const [q, r] = lax.linalg.qr(B)
    expect([q.shape, r.shape]).toEqual([
      [3, 3],
      [3, 2],
    ])
    close(matmul(q, r), B)
    expect(() => lax.linalg.qr(B, { pivoting: true })).toThrow(/not supported/)
    const [u, s, vh] = lax.linalg.svd(B)
    expect([u.shape, s.shape, vh.shape]).toEqual([[3, 3], [2], [2, 2]])
    const [u2, s2, vh2] = lax.linalg.svd(B, { fullMatrices: false })
    close(matmul(mul(u2, s2), vh2), B)
    expect(lax.linalg.svd(B, { computeUv: false, subsetByIndex: [0, 1] }).shape).toEqual([1])
    expect(() => lax.linalg.svd(B, { subsetByIndex: [0, 1] })).toThrow(/full_matrices=False/)
  })
  it('triangularSolve: every leftSide/lower/transposeA/unitDiagonal case solves its equation', () => {
    for (const leftSide of [true, false])
      for (const lower of [true, false])
        for (const transposeA of [true, false])
          for (const unitDiagonal of [true, false]) {
            const a = lower ? tri : transpose(tri)
            const read = f64(
              (a.toArray() as number[][]).map((row, i) =>
                row.map((v, j) => (i === j ? (unitDiagonal ? 1 : v) : (lower ? j < i : j > i) ? v : 0)),
              ),
            )
            const opA = transposeA ? transpose(read) : read
            const b = leftSide ? B : transpose(B)
            const x = lax.linalg.triangularSolve(a, b, { leftSide, lower, transposeA, unitDiagonal })
            close(leftSide ? matmul(opA, x) : matmul(x, opA), b)
          }
    // a vector b (one rank less than a), as JAX
    const xv = lax.linalg.triangularSolve(tri, f64([2, 4, 3]), { leftSide: true, lower: true })
    close(matmul(tri, xv), f64([2, 4, 3]))
    expect(() => lax.linalg.triangularSolve(tri, f64([[1, 2]]), { leftSide: true })).toThrow(ShapeError)
    checkGrads(
      (a: NdArray, b: NdArray) => lax.linalg.triangularSolve(a, b, { lower: true, transposeA: true }),
      [tri, transpose(B)],
      { order: 1 },
    )
  })
  it('tridiagonalSolve: T·x = b, its gradient in all four arguments, vmap', () => {
    const dl = f64([0, 1, -2])
    const d = f64([4, 5, 6])
    const du = f64([0.5, 1, 0])
    const x = lax.linalg.tridiagonalSolve(dl, d, du, B)
    const t = f64([
      [4, 0.5, 0],
      [1, 5, 1],
      [0, -2, 6],
    ])
    close(matmul(t, x), B)
    // dl[0] and du[m-1] are not read
    close(lax.linalg.tridiagonalSolve(f64([7, 1, -2]), d, f64([0.5, 1, 9]), B), x)
    checkGrads(
      (a: NdArray, b: NdArray, c: NdArray, r: NdArray) => sum(lax.linalg.tridiagonalSolve(a, b, c, r)),
      [dl, d, du, B],
      { order: 1 },
    )
    const xs = vmap((r: NdArray) => lax.linalg.tridiagonalSolve(dl, d, du, r))(
      f64([
        [[1], [2], [3]],
        [[3], [4], [5]],
      ]),
    )
    close(
      matmul(t, xs),
      f64([
        [[1], [2], [3]],
        [[3], [4], [5]],
      ]),
    )
    expect(() => lax.linalg.tridiagonalSolve(dl, d, du, f64([1, 2, 3]))).toThrow(ShapeError)
  })
})
