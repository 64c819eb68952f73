/**
 * The `linalg` namespace: values against NumPy/SciPy (test/ops/fixtures/linalgReference.py →
 * linalgReference.json), derivatives of the composites against float64 finite differences
 * (checkGrads, orders 1 and 2, forward and reverse), batching, jit, and argument errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  array,
  diag,
  kron,
  outer,
  slice,
  checkGrads,
  grad,
  jit,
  linalg,
  matmul,
  mul,
  type NdArray,
  type NestedArray,
  ShapeError,
  sum,
  transpose,
  tril,
  triu,
  vmap,
} from 'wengert'
import { expectClose, f64 } from '../transforms/helpers'

type Nested = number | ReadonlyArray<Nested>
const ref = JSON.parse(readFileSync(new URL('./fixtures/linalgReference.json', import.meta.url), 'utf8')) as Record<
  string,
  Nested
> & { inputs: Record<string, Nested> }
const input = (name: string): NdArray => f64(ref.inputs[name] as ReadonlyArray<ReadonlyArray<number>>)
const want = (name: string): NestedArray => ref[name] as NestedArray
const absOf = (x: NdArray): NestedArray => Array.from(x.toTypedArray(), (v) => Math.abs(Number(v)))
const flatAbs = (name: string): number[] => (want(name) as unknown as Nested[]).flat(4).map((v) => Math.abs(Number(v)))

describe('linalg values against NumPy/SciPy (float64)', () => {
  // Arrange
  const [spd, a, b, rect, wide, tri, v] = ['spd', 'a', 'b', 'rect', 'wide', 'tri', 'v'].map(input) as [
    NdArray,
    NdArray,
    NdArray,
    NdArray,
    NdArray,
    NdArray,
    NdArray,
  ]

  it('cholesky, solve, inv, det, slogdet (batched)', () => {
    expectClose(linalg.cholesky(spd), want('cholesky'))
    expectClose(linalg.solve(a, b), want('solve'))
    expectClose(linalg.inv(a), want('inv'))
    expectClose(linalg.det(a), want('det'))
    const { sign, logabsdet } = linalg.slogdet(a)
    expectClose(sign, want('slogdet_sign'))
    expectClose(logabsdet, want('slogdet_logabsdet'))
  })

  it('a vector right-hand side (JAX: b.ndim == 1)', () => {
    const a0 = f64((ref.inputs['a'] as ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>)[0] as number[][])
    expectClose(linalg.solve(a0, v), want('solve_vector'))
  })

  it('eigh, qr, svd, svdvals (up to the signs LAPACK leaves open)', () => {
    const { eigenvalues, eigenvectors } = linalg.eigh(spd)
    expectClose(eigenvalues, want('eigh_w'))
    expectClose(f64(absOf(eigenvectors) as number[]), flatAbs('eigh_abs_v'))
    const [q, r] = linalg.qr(rect)
    expectClose(f64(absOf(r) as number[]), flatAbs('qr_abs_r'))
    expectClose(matmul(q, r), ref.inputs['rect'] as NestedArray)
    expect(linalg.qr(rect, { mode: 'complete' })[1].shape).toEqual(want('qr_complete_r_shape'))
    expect(linalg.qr(rect, { mode: 'r' }).shape).toEqual([3, 3])
    const [u, s, vh] = linalg.svd(rect, { fullMatrices: false })
    expectClose(s, want('svd_s'))
    expectClose(matmul(mul(u, s), vh), ref.inputs['rect'] as NestedArray)
    const full = linalg.svd(wide)
    expect([full.U.shape, full.Vh.shape]).toEqual([want('svd_wide_full_u_shape'), want('svd_wide_full_vh_shape')])
    expectClose(linalg.svdvals(wide), want('svdvals_wide'))
  })

  it("scipy.linalg's solveTriangular, choFactor/choSolve", () => {
    expectClose(linalg.solveTriangular(tri, v, { lower: true }), want('solve_triangular_lower'))
    expectClose(linalg.solveTriangular(tri, v, { lower: true, trans: 'T' }), want('solve_triangular_lower_T'))
    expectClose(linalg.solveTriangular(tri, v, { lower: true, unitDiagonal: true }), want('solve_triangular_unit'))
    const spd0 = f64((ref.inputs['spd'] as ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>)[0] as number[][])
    expectClose(linalg.choSolve(linalg.choFactor(spd0), v), want('cho_solve'))
    expectClose(linalg.choSolve(linalg.choFactor(spd0, { lower: true }), v), want('cho_solve_lower'))
  })

  it('matrixPower, trace, diagonal, tril, triu', () => {
    const a0 = f64((ref.inputs['a'] as ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>)[0] as number[][])
    expectClose(linalg.matrixPower(a0, 3), want('matrix_power_3'))
    expectClose(linalg.matrixPower(a0, -2), want('matrix_power_m2'), { rtol: 1e-8 })
    expectClose(linalg.trace(a), want('trace'))
    expectClose(linalg.diagonal(rect), want('diagonal_rect'))
    expectClose(tril(rect, 1), want('tril_1'))
    expectClose(triu(rect, -1), want('triu_m1'))
  })
})

describe('products and SVD-based functions against NumPy', () => {
  it('pinv, matrixRank, cond, kron, diag, multiDot', () => {
    // Arrange
    const [rect, wide, tri, v, a] = ['rect', 'wide', 'tri', 'v', 'a'].map(input) as [
      NdArray,
      NdArray,
      NdArray,
      NdArray,
      NdArray,
    ]
    const a3 = ref.inputs['a'] as ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>
    // Act + Assert
    expectClose(linalg.pinv(rect), want('pinv_rect'), { rtol: 1e-8, atol: 1e-12 })
    expectClose(linalg.pinv(wide), want('pinv_wide'), { rtol: 1e-8, atol: 1e-12 })
    expect(linalg.matrixRank(outer(v, v)).item()).toBe(want('matrix_rank_lowrank'))
    expectClose(linalg.cond(a), want('cond'), { rtol: 1e-8 })
    expectClose(
      kron(
        wide,
        slice(tri, [
          [0, 2],
          [0, 2],
        ]),
      ),
      want('kron'),
    )
    expectClose(kron(v, slice(v, [[0, 2]])), want('kron_vec'))
    expectClose(diag(v), want('diag_vec'))
    expectClose(linalg.multiDot([v, f64(a3[0] as number[][]), f64(a3[1] as number[][]), v]), want('multi_dot'))
  })

  it('pinv and kron differentiate (order 2)', () => {
    checkGrads((m: NdArray) => linalg.pinv(m), [input('rect')])
    checkGrads((m: NdArray, n: NdArray) => kron(m, n), [input('wide'), input('wide')])
  })
})

describe('linalg derivatives (float64 finite differences, orders 1 and 2)', () => {
  const spd = f64([
    [4, 1, 0.5],
    [1, 3, 0.2],
    [0.5, 0.2, 2],
  ])
  const a = f64([
    [1.5, -0.3, 0.8],
    [0.2, 2.1, -0.5],
    [-0.7, 0.4, 1.2],
  ])
  const y = f64([0.3, -1.2, 0.8])

  it('the Gaussian-process log-likelihood through cholesky, solveTriangular and the log-determinant', () => {
    // −½ yᵀK⁻¹y − ½ log|K|, K = LLᵀ: α = L⁻¹y, log|K| = 2 Σ log L_ii
    const nll = (k: NdArray): NdArray => {
      const l = linalg.cholesky(k)
      const alpha = linalg.solveTriangular(l, y, { lower: true })
      return mul(-0.5, sum(mul(alpha, alpha)))
    }
    checkGrads(nll, [spd])
    checkGrads((k: NdArray) => linalg.slogdet(k).logabsdet, [spd])
  })

  it('det, inv, solve, eigvalsh, svdvals, qr, matrixPower', () => {
    checkGrads(linalg.det, [a])
    checkGrads(linalg.inv, [a])
    checkGrads((m: NdArray, r: NdArray) => linalg.solve(m, r), [a, y])
    checkGrads((m: NdArray) => linalg.eigvalsh(m), [spd])
    checkGrads((m: NdArray) => linalg.svdvals(m), [a])
    checkGrads((m: NdArray) => linalg.qr(m)[1], [a])
    checkGrads((m: NdArray) => linalg.matrixPower(m, -2), [a], { order: 1 })
  })

  it('d log|det A| / dA = A⁻ᵀ', () => {
    const g = grad((m: NdArray) => linalg.slogdet(m).logabsdet)(a)
    expectClose(g, transpose(linalg.inv(a)).toArray() as NestedArray, { rtol: 1e-10 })
  })
})

describe('linalg under vmap and jit', () => {
  it('vmap over a batch equals the batched op; jit replays', () => {
    const ms = array(
      [
        [
          [2, 1],
          [1, 3],
        ],
        [
          [5, 2],
          [2, 2],
        ],
      ],
      { dtype: 'float64' },
    )
    expectClose(vmap((m: NdArray) => linalg.det(m))(ms), linalg.det(ms).toArray() as NestedArray)
    expectClose(vmap((m: NdArray) => linalg.cholesky(m))(ms), linalg.cholesky(ms).toArray() as NestedArray)
    const f = jit((m: NdArray) => linalg.eigvalsh(m))
    f(ms)
    expectClose(f(ms), linalg.eigvalsh(ms).toArray() as NestedArray)
  })
})

describe('linalg argument errors', () => {
  it('non-square and low-rank inputs raise ShapeError naming the op and shape', () => {
    expect(() => linalg.cholesky(f64([1, 2]))).toThrow(ShapeError)
    expect(() => linalg.det(f64([[1, 2, 3]]))).toThrow(
      /det: Argument to det must have shape \[\.\.\., n, n\], got \(1, 3\)/,
    )
    expect(() => linalg.solve(f64([[1]]), f64([1, 2]))).toThrow(/solve: b must be/)
    expect(() => linalg.qr(f64([[1]]), { mode: 'economic' as 'r' })).toThrow(/qr: mode must be/)
  })

  it('a matrix that is not positive definite gives NaN (JAX)', () => {
    const l = linalg.cholesky(
      f64([
        [1, 2],
        [2, 1],
      ]),
    )
    expect(Array.from(l.toTypedArray()).every((x) => Number.isNaN(Number(x)))).toBe(true)
  })
})
