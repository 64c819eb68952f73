/**
 * The linear-algebra kernels (src/ndarray/kernels/linalg): values against NumPy/SciPy reference
 * numbers (test/fixtures/ndarray/linalg_kernels.json, written by
 * scripts/fixtures/linalg_kernels.py), mathematical identities on random matrices (batched, both
 * float dtypes, sizes that exercise the blocked paths), and typed errors for bad input.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { array } from '../../src/ndarray/create'
import type { DType } from '../../src/ndarray/dtype'
import { DTypeError, ShapeError } from '../../src/ndarray/errors'
import type { NdArray, NestedArray } from '../../src/ndarray/NdArray'
import { cholesky } from '../../src/ndarray/kernels/linalg/cholesky'
import { det, slogdet } from '../../src/ndarray/kernels/linalg/det'
import { eigh } from '../../src/ndarray/kernels/linalg/eigh'
import { expm } from '../../src/ndarray/kernels/linalg/expm'
import { lu } from '../../src/ndarray/kernels/linalg/lu'
import { qr } from '../../src/ndarray/kernels/linalg/qr'
import { inv, luSolve, solve } from '../../src/ndarray/kernels/linalg/solve'
import { svd } from '../../src/ndarray/kernels/linalg/svd'
import { triangularSolve } from '../../src/ndarray/kernels/linalg/triangular'
import { expectArray, expectClose } from './expect'

type Mat = number[][]
const FX = JSON.parse(
  readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ndarray', 'linalg_kernels.json'),
    'utf8',
  ),
) as Record<string, unknown>
const fx = <T>(key: string): T => FX[key] as T

const f64 = (x: NestedArray): NdArray => array(x as number[], { dtype: 'float64' })
const f32 = (x: NestedArray): NdArray => array(x as number[], { dtype: 'float32' })

// -------------------------------------------------------------------------------------
// plain-JS matrix helpers (independent of the kernels under test)
// -------------------------------------------------------------------------------------

/** Deterministic uniform numbers in [-1, 1). */
const rng = (seed: number): (() => number) => {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 31 - 1
  }
}
const randMat = (r: () => number, m: number, n: number): Mat =>
  Array.from({ length: m }, () => Array.from({ length: n }, () => r()))
const mm = (a: Mat, b: Mat): Mat =>
  a.map((row) => (b[0] as number[]).map((_, j) => row.reduce((s, v, p) => s + v * (b[p] as number[])[j]!, 0)))
const tr = (a: Mat): Mat => (a[0] ?? []).map((_, j) => a.map((row) => row[j] as number))
const eye = (n: number): Mat =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))
const spd = (r: () => number, n: number): Mat => {
  const x = randMat(r, n, n)
  return mm(x, tr(x)).map((row, i) => row.map((v, j) => v + (i === j ? n : 0)))
}
const asMat = (x: NdArray): Mat => x.toArray() as Mat
const batchOf = (x: NdArray): Mat[] => {
  const n = x.shape[x.ndim - 2] as number
  const m = x.shape[x.ndim - 1] as number
  const d = Array.from(x.toTypedArray())
  const out: Mat[] = []
  for (let off = 0; off < d.length; off += n * m)
    out.push(Array.from({ length: n }, (_, i) => d.slice(off + i * m, off + (i + 1) * m)))
  return out
}
const maxAbsDiff = (a: Mat, b: Mat): number =>
  Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - (b[i] as number[])[j]!))))
/** Columns compared up to one sign per column. */
const expectColumnsUpToSign = (actual: Mat, expected: Mat, tol: number): void => {
  const n = (expected[0] ?? []).length
  for (let j = 0; j < n; j++) {
    const dotSign =
      actual.reduce((s, row, i) => s + (row[j] as number) * (expected[i] as number[])[j]!, 0) >= 0 ? 1 : -1
    actual.forEach((row, i) =>
      expect(Math.abs((row[j] as number) * dotSign - (expected[i] as number[])[j]!)).toBeLessThan(tol),
    )
  }
}

// -------------------------------------------------------------------------------------
// cholesky and triangular solve
// -------------------------------------------------------------------------------------

describe('cholesky', () => {
  it('matches NumPy on a [2,3,4,4] batch, in float64 and float32', () => {
    const c = fx<{ a: NestedArray; l: NestedArray }>('cholesky')
    expectClose(cholesky(f64(c.a)).factor, c.l, { dtype: 'float64', rtol: 1e-12, atol: 1e-12 })
    expectClose(cholesky(f32(c.a)).factor, c.l, { dtype: 'float32', rtol: 1e-5, atol: 1e-5 })
    expectArray(cholesky(f64(c.a)).info, [
      [0, 0, 0],
      [0, 0, 0],
    ])
  })

  it('reports the order of the first non-positive-definite leading minor and returns NaN (as JAX)', () => {
    for (const c of fx<Array<{ a: NestedArray; info: number }>>('cholesky_fail')) {
      const { factor, info } = cholesky(f64(c.a))
      expect(info.item()).toBe(c.info)
      expect(Array.from(factor.toTypedArray()).every(Number.isNaN)).toBe(true)
    }
  })

  it('only fails the failing matrix of a batch', () => {
    const { factor, info } = cholesky(
      f64([
        [
          [4, 2],
          [2, 3],
        ],
        [
          [1, 2],
          [2, 1],
        ],
      ]),
    )
    expectArray(info, [0, 2])
    expectClose(
      factor,
      [
        [
          [2, 0],
          [1, Math.SQRT2],
        ],
        [
          [NaN, NaN],
          [NaN, NaN],
        ],
      ],
      { atol: 1e-15 },
    )
  })

  it.each([1, 31, 32, 33, 70, 130])(
    'L·Lᵀ = A for a random SPD matrix of order %i (blocked path), lower triangular',
    (n) => {
      const a = spd(rng(n), n)
      const l = asMat(cholesky(f64(a)).factor)
      expect(maxAbsDiff(mm(l, tr(l)), a)).toBeLessThan(1e-12 * n * n)
      l.forEach((row, i) => row.forEach((v, j) => j > i && expect(v).toBe(0)))
    },
  )

  it('reads only the lower triangle', () => {
    expectClose(
      cholesky(
        f64([
          [4, 99],
          [2, 3],
        ]),
      ).factor,
      [
        [2, 0],
        [1, Math.SQRT2],
      ],
      { atol: 1e-15 },
    )
  })
})

describe('triangularSolve', () => {
  interface Case {
    a: Mat
    b: Mat
    lower: boolean
    transposeA: boolean
    unitDiagonal: boolean
    leftSide: boolean
    x: Mat
  }
  it('matches SciPy/NumPy for every combination of lower, transposeA, unitDiagonal and leftSide', () => {
    const cases = fx<Case[]>('triangular')
    expect(cases).toHaveLength(16)
    for (const c of cases) {
      const { x, a, b, ...params } = c
      expectClose(triangularSolve(f64(a), f64(b), params), x, { rtol: 1e-12, atol: 1e-12 })
      expectClose(triangularSolve(f32(a), f32(b), params), x, { rtol: 1e-4, atol: 1e-5 })
    }
  })

  it.each([
    [true, false],
    [true, true],
    [false, false],
    [false, true],
  ])('blocked path (100×100, 7 right-hand sides): lower=%s transposeA=%s', (lower, transposeA) => {
    const r = rng(7)
    const n = 100
    const t = randMat(r, n, n).map((row, i) =>
      row.map((v, j) => (i === j ? 4 + v : (lower ? j < i : j > i) ? v / 8 : 0)),
    )
    const b = randMat(r, n, 7)
    const x = asMat(triangularSolve(f64(t), f64(b), { leftSide: true, lower, transposeA, unitDiagonal: false }))
    expect(maxAbsDiff(mm(transposeA ? tr(t) : t, x), b)).toBeLessThan(1e-12)
  })

  it('solves a batch, and raises typed errors naming the op and shapes', () => {
    const a = f64([
      [
        [2, 0],
        [1, 1],
      ],
      [
        [1, 0],
        [0, 4],
      ],
    ])
    const b = f64([
      [[2], [3]],
      [[1], [8]],
    ])
    const p = { leftSide: true, lower: true, transposeA: false, unitDiagonal: false }
    expectClose(
      triangularSolve(a, b, p),
      [
        [[1], [2]],
        [[1], [2]],
      ],
      { atol: 1e-15 },
    )
    expect(() => triangularSolve(f64([[1, 2, 3]]), f64([[1]]), p)).toThrow(ShapeError)
    expect(() =>
      triangularSolve(
        a,
        f64([
          [[1], [2], [3]],
          [[1], [2], [3]],
        ]),
        p,
      ),
    ).toThrow(/triangular_solve: b must have 2 rows to match a, got shapes \[2,2,2\] and \[2,3,1\]/)
    expect(() =>
      triangularSolve(
        a,
        f32([
          [[1], [2]],
          [[1], [2]],
        ]),
        p,
      ),
    ).toThrow(DTypeError)
  })
})

// -------------------------------------------------------------------------------------
// LU, solve, inverse, determinants
// -------------------------------------------------------------------------------------

describe('lu', () => {
  it('matches SciPy (packed LU, pivots, permutation) on square and rectangular matrices', () => {
    for (const c of fx<Array<{ a: Mat; lu: Mat; permutation: number[]; pivots: number[] | null }>>('lu')) {
      const r = lu(f64(c.a))
      expectClose(r.lu, c.lu, { rtol: 1e-12, atol: 1e-12 })
      expectArray(r.permutation, c.permutation, 'int32')
      if (c.pivots !== null) expectArray(r.pivots, c.pivots, 'int32')
      expect(r.info.item()).toBe(0)
    }
  })

  it.each([
    [70, 70],
    [90, 40],
    [40, 90],
  ])('a[perm] = L·U for a random %i×%i (blocked path)', (m, n) => {
    const a = randMat(rng(m + n), m, n)
    const r = lu(f64(a))
    const packed = asMat(r.lu)
    const k = Math.min(m, n)
    const l = packed.map((row, i) => row.slice(0, k).map((v, j) => (j < i ? v : i === j ? 1 : 0)))
    const u = packed.slice(0, k).map((row, i) => row.map((v, j) => (j >= i ? v : 0)))
    const perm = r.permutation.toArray() as number[]
    expect(
      maxAbsDiff(
        mm(l, u),
        perm.map((p) => a[p] as number[]),
      ),
    ).toBeLessThan(1e-12)
  })

  it('flags a singular matrix with info = 1 + the first zero pivot', () => {
    expect(
      lu(
        f64([
          [1, 2],
          [2, 4],
        ]),
      ).info.item(),
    ).toBe(2)
  })
})

describe('solve, luSolve, inv', () => {
  it('matches NumPy', () => {
    const c = fx<{ a: NestedArray; b: NestedArray; x: NestedArray; inv: NestedArray }>('solve')
    expectClose(solve(f64(c.a), f64(c.b)).x, c.x, { rtol: 1e-12, atol: 1e-12 })
    expectClose(inv(f64(c.a)).x, c.inv, { rtol: 1e-12, atol: 1e-12 })
    expectClose(solve(f32(c.a), f32(c.b)).x, c.x, { dtype: 'float32', rtol: 1e-5, atol: 1e-5 })
    const d = fx<{ a: Mat; b: Mat; x: Mat; xT: Mat }>('lu_solve')
    const f = lu(f64(d.a))
    expectClose(luSolve(f.lu, f.permutation, f64(d.b), false), d.x, { rtol: 1e-12, atol: 1e-12 })
    expectClose(luSolve(f.lu, f.permutation, f64(d.b), true), d.xT, { rtol: 1e-12, atol: 1e-12 })
  })

  it('A·inv(A) = I for a batch of random 80×80 matrices, float64 and float32', () => {
    const r = rng(3)
    const mats = [0, 1].map(() => randMat(r, 80, 80).map((row, i) => row.map((v, j) => v + (i === j ? 10 : 0))))
    for (const [dt, tol] of [
      ['float64', 1e-12],
      ['float32', 1e-5],
    ] as Array<[DType, number]>) {
      const res = inv(array(mats, { dtype: dt }))
      batchOf(res.x).forEach((x, t) => expect(maxAbsDiff(mm(mats[t] as Mat, x), eye(80))).toBeLessThan(tol))
      expectArray(res.info, [0, 0])
    }
  })

  it('reports singular matrices through info (values are inf/NaN, as JAX)', () => {
    const r = solve(
      f64([
        [1, 2],
        [2, 4],
      ]),
      f64([[1], [1]]),
    )
    expect(r.info.item()).toBe(2)
    expect(Array.from(r.x.toTypedArray()).some((v) => !Number.isFinite(v))).toBe(true)
  })

  it('raises typed errors', () => {
    expect(() => solve(f64([[1, 2]]), f64([[1]]))).toThrow(/solve: expected a to be a batch of square matrices/)
    expect(() =>
      solve(
        f64([
          [1, 0],
          [0, 1],
        ]),
        f64([[1], [2], [3]]),
      ),
    ).toThrow(ShapeError)
    expect(() =>
      inv(
        array(
          [
            [1, 0],
            [0, 1],
          ],
          { dtype: 'int32' },
        ),
      ),
    ).toThrow(/inv: expected a of dtype float32 or float64, got int32/)
    expect(() => inv(f64([1, 2]))).toThrow(/inv: expected a to have at least 2 dimensions/)
  })
})

describe('det and slogdet', () => {
  it('match NumPy on a batch, and a singular matrix gives 0 / (0, -inf)', () => {
    const c = fx<{ a: NestedArray; det: number[]; sign: number[]; logabsdet: number[] }>('det')
    expectClose(det(f64(c.a)), c.det, { rtol: 1e-12, atol: 1e-12 })
    const s = slogdet(f64(c.a))
    expectClose(s.sign, c.sign, { atol: 0 })
    expectClose(s.logabsdet, c.logabsdet, { rtol: 1e-12, atol: 1e-12 })
    expectClose(det(f32(c.a)), c.det, { dtype: 'float32', rtol: 1e-5, atol: 1e-5 })
    const sing = fx<{ a: Mat }>('det_singular')
    expect(Math.abs(det(f64(sing.a)).item() as number)).toBe(0)
    const ss = slogdet(f64(sing.a))
    expect([ss.sign.item(), ss.logabsdet.item()]).toEqual([0, -Infinity])
  })

  it('slogdet does not overflow where det does', () => {
    const big = eye(200).map((row) => row.map((v) => v * 1e4))
    expect(det(f64(big)).item()).toBe(Infinity)
    expect(slogdet(f64(big)).logabsdet.item()).toBeCloseTo(200 * Math.log(1e4), 9)
  })
})

// -------------------------------------------------------------------------------------
// QR, eigh, SVD, expm
// -------------------------------------------------------------------------------------

describe('qr', () => {
  it('matches NumPy (reduced and complete; LAPACK sign convention)', () => {
    for (const c of fx<Array<{ a: Mat; q: Mat; r: Mat; qFull: Mat; rFull: Mat }>>('qr')) {
      const red = qr(f64(c.a), 'reduced')
      expectClose(red.q as NdArray, c.q, { rtol: 1e-12, atol: 1e-12 })
      expectClose(red.r, c.r, { rtol: 1e-12, atol: 1e-12 })
      const full = qr(f64(c.a), 'complete')
      expectClose(full.r, c.rFull, { rtol: 1e-12, atol: 1e-12 })
      // The extra columns of a complete Q are fixed by the reflectors, so they match too.
      expectClose(full.q as NdArray, c.qFull, { rtol: 1e-12, atol: 1e-12 })
      expect(qr(f64(c.a), 'r').q).toBeUndefined()
    }
  })

  it('Q is orthonormal and Q·R = A on a float32 batch', () => {
    const r = rng(11)
    const mats = [0, 1, 2].map(() => randMat(r, 30, 12))
    const res = qr(f32(mats), 'complete')
    const qs = batchOf(res.q as NdArray)
    const rs = batchOf(res.r)
    qs.forEach((q, t) => {
      expect(maxAbsDiff(mm(tr(q), q), eye(30))).toBeLessThan(1e-5)
      expect(maxAbsDiff(mm(q, rs[t] as Mat), mats[t] as Mat)).toBeLessThan(1e-5)
    })
  })
})

describe('eigh', () => {
  it('matches NumPy (values ascending; vectors up to sign, largest entry positive)', () => {
    const c = fx<{ a: NestedArray; w: NestedArray; v: Mat[] }>('eigh')
    const r = eigh(f64(c.a), true)
    expectClose(r.eigenvalues, c.w, { rtol: 1e-12, atol: 1e-12 })
    batchOf(r.eigenvectors).forEach((v, t) => {
      expectColumnsUpToSign(v, c.v[t] as Mat, 1e-10)
      tr(v).forEach((col) => {
        const big = col.reduce((b, x) => (Math.abs(x) > Math.abs(b) ? x : b), 0)
        expect(big).toBeGreaterThan(0)
      })
    })
    const u = fx<{ a: Mat; w: number[] }>('eigh_upper')
    expectClose(eigh(f64(u.a), false).eigenvalues, u.w, { rtol: 1e-12, atol: 1e-12 })
  })

  it.each([1, 2, 40, 100])('V·diag(w)·Vᵀ = A and VᵀV = I for a random symmetric matrix of order %i', (n) => {
    const x = randMat(rng(n), n, n)
    const a = x.map((row, i) => row.map((v, j) => v + (x[j] as number[])[i]!))
    const r = eigh(f64(a), true)
    const w = r.eigenvalues.toArray() as number[]
    const v = asMat(r.eigenvectors)
    w.slice(1).forEach((x, i) => expect(x).toBeGreaterThanOrEqual(w[i] as number))
    expect(maxAbsDiff(mm(tr(v), v), eye(n))).toBeLessThan(1e-12 * n)
    expect(
      maxAbsDiff(
        mm(
          mm(
            v,
            w.map((wi, i) => eye(n)[i]!.map((e) => e * wi)),
          ),
          tr(v),
        ),
        a,
      ),
    ).toBeLessThan(1e-12 * n)
  })

  it('float32 batch: eigenvalues rounded from the float64 ones, orthonormal vectors', () => {
    const c = fx<{ a: NestedArray; w: NestedArray }>('eigh')
    const r = eigh(f32(c.a), true)
    expectClose(r.eigenvalues, c.w, { dtype: 'float32', rtol: 1e-6, atol: 1e-6 })
    batchOf(r.eigenvectors).forEach((v) => expect(maxAbsDiff(mm(tr(v), v), eye(5))).toBeLessThan(1e-6))
  })

  it('handles repeated eigenvalues (identity) and NaN input', () => {
    const r = eigh(f64(eye(4)), true)
    expectClose(r.eigenvalues, [1, 1, 1, 1], { atol: 0 })
    expect(maxAbsDiff(asMat(r.eigenvectors), eye(4))).toBe(0)
    expect(
      Array.from(
        eigh(
          f64([
            [NaN, 0],
            [0, 1],
          ]),
          true,
        ).eigenvalues.toTypedArray(),
      ).every(Number.isNaN),
    ).toBe(true)
  })
})

describe('svd', () => {
  interface Case {
    a: Mat
    s: number[]
    u: Mat | null
    vh: Mat | null
  }
  it('matches NumPy (values descending; vectors up to sign pairs)', () => {
    for (const c of fx<Case[]>('svd')) {
      const r = svd(f64(c.a), { fullMatrices: true, computeUv: true })
      expectClose(r.s, c.s, { rtol: 1e-12, atol: 1e-12 })
      expectClose(svd(f32(c.a), { fullMatrices: false, computeUv: false }).s, c.s, { rtol: 1e-5, atol: 1e-5 })
      if (c.u === null || c.vh === null) continue
      const k = c.s.length
      const u = asMat(r.u as NdArray)
      const vh = asMat(r.vh as NdArray)
      expectColumnsUpToSign(
        u.map((row) => row.slice(0, k)),
        c.u.map((row) => row.slice(0, k)),
        1e-10,
      )
      expectColumnsUpToSign(tr(vh.slice(0, k)), tr(c.vh.slice(0, k)), 1e-10)
    }
  })

  it.each([
    [5, 5],
    [12, 4],
    [4, 12],
    [40, 40],
  ])('U·S·Vᴴ = A with orthonormal U, V for a random %i×%i (full and reduced)', (m, n) => {
    const a = randMat(rng(m * n), m, n)
    const k = Math.min(m, n)
    for (const full of [true, false]) {
      const r = svd(f64(a), { fullMatrices: full, computeUv: true })
      const u = asMat(r.u as NdArray)
      const vh = asMat(r.vh as NdArray)
      const s = r.s.toArray() as number[]
      expect(u.length).toBe(m)
      expect((u[0] as number[]).length).toBe(full ? m : k)
      expect(vh.length).toBe(full ? n : k)
      expect(maxAbsDiff(mm(tr(u), u), eye(full ? m : k))).toBeLessThan(1e-12)
      expect(maxAbsDiff(mm(vh, tr(vh)), eye(full ? n : k))).toBeLessThan(1e-12)
      const us = u.map((row) => s.map((si, j) => si * (row[j] as number)))
      expect(maxAbsDiff(mm(us, vh.slice(0, k)), a)).toBeLessThan(1e-12)
      s.slice(1).forEach((x, i) => expect(x).toBeLessThanOrEqual(s[i] as number))
    }
  })

  it('completes U for a rank-deficient matrix and for a zero matrix', () => {
    for (const a of [
      fx<Case[]>('svd')[3]!.a,
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    ]) {
      const r = svd(f64(a), { fullMatrices: true, computeUv: true })
      const u = asMat(r.u as NdArray)
      expect(maxAbsDiff(mm(tr(u), u), eye(u.length))).toBeLessThan(1e-12)
    }
  })
})

describe('expm', () => {
  it('matches SciPy across the Padé degrees and with scaling and squaring', () => {
    for (const c of fx<Array<{ a: Mat; expm: Mat }>>('expm')) {
      expectClose(expm(f64(c.a)), c.expm, { rtol: 1e-12, atol: 1e-13 })
      expectClose(expm(f32(c.a)), c.expm, { dtype: 'float32', rtol: 1e-5, atol: 1e-6 })
    }
  })

  it('exp of a diagonal matrix is elementwise, in a batch', () => {
    expectClose(
      expm(
        f64([
          [
            [1, 0],
            [0, -2],
          ],
          [
            [0, 0],
            [0, 0],
          ],
        ]),
      ),
      [
        [
          [Math.E, 0],
          [0, Math.exp(-2)],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ],
      {
        rtol: 1e-14,
        atol: 1e-15,
      },
    )
  })
})
