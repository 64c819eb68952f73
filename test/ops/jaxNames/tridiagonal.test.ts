/**
 * lax.linalg.tridiagonalSolve by the Thomas algorithm: agrees with the dense solve, scales to long
 * systems (O(m)), batches diagonals, differentiates in both modes and at second order against
 * float64 finite differences (checkGrads), and runs under jit; lax.linalg.svd's algorithm option.
 */
import { describe, expect, it } from 'vitest'
import { array, checkGrads, jit, lax, linalg, sum, mul, ValueError, type NdArray } from '../../../src/index'

const f64 = (v: unknown): NdArray => array(v as number[], { dtype: 'float64' })
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)

/** The dense matrix of three diagonals. */
const dense = (dl: number[], d: number[], du: number[]): number[][] =>
  d.map((di, i) =>
    d.map((_, j) => (j === i ? di : j === i - 1 ? (dl[i] as number) : j === i + 1 ? (du[i] as number) : 0)),
  )

describe('tridiagonalSolve (Thomas)', () => {
  it('agrees with the dense solve, batched diagonals included', () => {
    const dl = [
      [0, 1, -2, 0.5],
      [0, 2, 1, 1],
    ]
    const d = [
      [4, 5, 6, 3],
      [5, 6, 7, 8],
    ]
    const du = [
      [0.5, 1, 0.25, 0],
      [1, -1, 2, 0],
    ]
    const b = f64([
      [
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ],
      [
        [1, 0],
        [0, 1],
        [1, 1],
        [2, 2],
      ],
    ])
    const x = lax.linalg.tridiagonalSolve(f64(dl), f64(d), f64(du), b)
    const ref = linalg.solve(f64([0, 1].map((k) => dense(dl[k] as number[], d[k] as number[], du[k] as number[]))), b)
    vals(x).forEach((v, i) => expect(v).toBeCloseTo(vals(ref)[i] as number, 12))
  })

  it('solves a long system (m = 20000) in linear time', () => {
    const m = 20000
    const d = f64(Array.from({ length: m }, () => 4))
    const off = f64(Array.from({ length: m }, () => 1))
    // b = T·1, so x = 1
    const b = f64(Array.from({ length: m }, (_, i) => [i === 0 || i === m - 1 ? 5 : 6]))
    const t0 = performance.now()
    const x = vals(lax.linalg.tridiagonalSolve(off, d, off, b))
    expect(performance.now() - t0).toBeLessThan(20000)
    expect(Math.max(...x.map((v) => Math.abs(v - 1)))).toBeLessThan(1e-12)
  })

  it('differentiates in both modes and at second order, and runs under jit', () => {
    const args: [NdArray, NdArray, NdArray, NdArray] = [
      f64([0, 1, -2]),
      f64([4, 5, 6]),
      f64([0.5, 1, 0]),
      f64([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    ]
    const f = (a: NdArray, b: NdArray, c: NdArray, r: NdArray): NdArray =>
      sum(
        mul(
          lax.linalg.tridiagonalSolve(a, b, c, r),
          f64([
            [1, -1],
            [2, 0.5],
            [3, 1],
          ]),
        ),
      )
    checkGrads(f, args, { order: 2, modes: ['fwd', 'rev'] })
    const g = jit((a: NdArray, b: NdArray, c: NdArray, r: NdArray) => lax.linalg.tridiagonalSolve(a, b, c, r))
    const [a, b, c, r] = args as [NdArray, NdArray, NdArray, NdArray]
    vals(g(a, b, c, r)).forEach((v, i) =>
      expect(v).toBeCloseTo(vals(lax.linalg.tridiagonalSolve(a, b, c, r))[i] as number, 12),
    )
  })
})

describe('svd algorithm', () => {
  it("runs 'default' and 'jacobi' (wengert's one-sided Jacobi) and refuses 'qr' and 'polar'", () => {
    const a = f64([
      [3, 0],
      [0, 4],
    ])
    expect(vals(lax.linalg.svd(a, { computeUv: false, algorithm: 'jacobi' }))).toEqual([4, 3])
    expect(vals(lax.linalg.svd(a, { computeUv: false, algorithm: 'default' }))).toEqual([4, 3])
    expect(() => lax.linalg.svd(a, { algorithm: 'qr' })).toThrow(
      new ValueError(
        "svd: algorithm 'qr' is not supported: wengert's SVD is one-sided Jacobi (use 'default' or 'jacobi')",
      ),
    )
    expect(() => lax.linalg.svd(a, { algorithm: 'polar' })).toThrow(ValueError)
  })
})
