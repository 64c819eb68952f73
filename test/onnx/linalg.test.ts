/**
 * The matrix decompositions exported to ONNX (Loops over columns, computed in float64 as the
 * kernels do) and run in ONNX Runtime, against wengert eager: forward values, failure values
 * (NaN factors, infinite solutions) and gradients, in float32 and float64, batched.
 */
import { describe, expect, it } from 'vitest'
import { add, astype, grad, linalg, log, matmul, mul, sum, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import * as lax from '../../src/core/lax'
import { expectClose, flat, grid, runOrt } from '../helpers/ort'

/** Float64 agreement (the summation order differs) and float32 (one rounding each side). */
const TOL = { float64: 1e-12, float32: 2e-6 } as const
type F = 'float32' | 'float64'

/** A well-conditioned SPD batch `[..., n, n]`: B·Bᵀ/n + I, B of smooth deterministic entries. */
const spd = (batch: ReadonlyArray<number>, n: number, dtype: F): NdArray => {
  const b = astype(
    grid([...batch, n, n], (i) => Math.sin(0.37 * i + 0.2) + 0.3 * Math.cos(1.3 * i)),
    'float64',
  )
  const k = add(mul(matmul(b, b.swapaxes(-1, -2)), 1 / n), eye(n))
  return astype(k, dtype)
}

const eye = (n: number): NdArray =>
  astype(
    grid([n, n], (i) => (i % (n + 1) === 0 ? 1 : 0)),
    'float64',
  )

/** Runs `f` exported on `args` in ONNX Runtime; returns output `y`'s values. */
const ortRun = async (f: (...xs: NdArray[]) => NdArray, args: NdArray[]): Promise<number[]> => {
  const names = args.map((_, i) => `x${i}`)
  const out = await runOrt(
    exportOnnx(f, args, { inputNames: names, outputNames: ['y'] }),
    Object.fromEntries(args.map((a, i) => [names[i] as string, a])),
  )
  return out.y as number[]
}

const LEFT_LOWER = { leftSide: true, lower: true, transposeA: false, unitDiagonal: false }

describe('cholesky and triangular_solve exported', () => {
  it.each(['float64', 'float32'] as const)('cholesky of a batch [2, 3, 5, 5] (%s)', async (dtype) => {
    const k = spd([2, 3], 5, dtype)
    expectClose(await ortRun((x) => lax.cholesky(x), [k]), lax.cholesky(k), TOL[dtype])
  })

  it('cholesky factors the symmetric part of a non-symmetric input, as wengert', async () => {
    const k = add(
      spd([2], 4, 'float64'),
      astype(
        grid([2, 4, 4], (i) => 0.05 * Math.sin(i)),
        'float64',
      ),
    )
    expectClose(await ortRun((x) => lax.cholesky(x), [k]), lax.cholesky(k), TOL.float64)
  })

  it('a matrix that is not positive definite (or NaN) gives an all-NaN factor; the others are unaffected', async () => {
    const good = flat(spd([], 3, 'float64'))
    const indefinite = [1, 2, 0, 2, 1, 0, 0, 0, 1]
    const singular = [1, 1, 0, 1, 1, 0, 0, 0, 1] // pivot exactly 0
    const nan = [1, 0, 0, 0, NaN, 0, 0, 0, 1]
    const k = astype(
      grid([4, 3, 3], (i) => [...good, ...indefinite, ...singular, ...nan][i] as number),
      'float64',
    )
    const want = lax.cholesky(k)
    expect(flat(want).slice(9).every(Number.isNaN)).toBe(true)
    expectClose(await ortRun((x) => lax.cholesky(x), [k]), want, TOL.float64)
  })

  const flags = [false, true]
  const combos = flags.flatMap((leftSide) =>
    flags.flatMap((lower) =>
      flags.flatMap((transposeA) => flags.map((unitDiagonal) => ({ leftSide, lower, transposeA, unitDiagonal }))),
    ),
  )
  it.each(combos)('triangular_solve %o, batched, float64 and float32', async (p) => {
    for (const dtype of ['float64', 'float32'] as const) {
      // A full (both triangles): only the selected one may be read
      const a = astype(
        add(
          mul(eye(4), 3),
          grid([2, 4, 4], (i) => Math.cos(0.7 * i)),
        ),
        dtype,
      )
      const b = astype(
        grid(p.leftSide ? [2, 4, 3] : [2, 3, 4], (i) => Math.sin(0.5 * i) - 0.2),
        dtype,
      )
      const f = (x: NdArray, y: NdArray): NdArray => lax.triangularSolve(x, y, p)
      expectClose(await ortRun(f, [a, b]), f(a, b), TOL[dtype])
    }
  })

  it('triangular_solve with a zero pivot: the rows before it equal, the rest non-finite as in wengert', async () => {
    const a = astype(
      grid([3, 3], (i) => [2, 0, 0, 1, 0, 0, 1, 1, 4][i] as number),
      'float64',
    )
    const b = astype(
      grid([3, 2], (i) => [2, 4, 1, 1, 3, 3][i] as number),
      'float64',
    )
    const f = (x: NdArray, y: NdArray): NdArray => lax.triangularSolve(x, y, LEFT_LOWER)
    const got = await ortRun(f, [a, b])
    const want = flat(f(a, b))
    expect(got.slice(0, 2)).toEqual(want.slice(0, 2))
    expect(got.slice(2).every((v) => !Number.isFinite(v))).toBe(true)
    expect(want.slice(2).every((v) => !Number.isFinite(v))).toBe(true)
  })

  /** The GP log marginal likelihood as bench W7: ℓ = −½ yᵀK⁻¹y − Σ log Lᵢᵢ, L = cholesky(K). */
  const gp = (k: NdArray, y: NdArray): NdArray => {
    const l = lax.cholesky(k)
    const z = lax.triangularSolve(l, y, LEFT_LOWER)
    const alpha = lax.triangularSolve(l, z, { ...LEFT_LOWER, transposeA: true })
    return add(mul(sum(mul(y, alpha)), -0.5), mul(sum(log(linalg.diagonal(l))), -1))
  }

  it.each(['float64', 'float32'] as const)('a GP log marginal likelihood and its gradient (%s)', async (dtype) => {
    const k = spd([], 12, dtype)
    const y = astype(
      grid([12, 1], (i) => Math.sin(1.1 * i)),
      dtype,
    )
    expectClose(await ortRun(gp, [k, y]), gp(k, y), TOL[dtype] * 10)
    const g = grad(gp, { argnums: [0, 1] })
    const bytes = exportOnnx(g, [k, y], { inputNames: ['k', 'y'], outputNames: ['dk', 'dy'] })
    const out = await runOrt(bytes, { k, y })
    const [dk, dy] = g(k, y)
    // float32: the gradient's steps round to float32 between primitives on both sides
    const tol = dtype === 'float64' ? 1e-11 : 2e-5
    expectClose(out.dk, dk, tol)
    expectClose(out.dy, dy, tol)
  })
})

describe('lu and lu_pivots_to_permutation exported', () => {
  const luAll = (x: NdArray): NdArray[] => lax.lu(x).slice()
  const check = async (x: NdArray, tol: number): Promise<void> => {
    const bytes = exportOnnx(luAll, [x], { inputNames: ['a'], outputNames: ['lu', 'pivots', 'perm'] })
    const out = await runOrt(bytes, { a: x })
    const [packed, pivots, perm] = luAll(x) as [NdArray, NdArray, NdArray]
    expectClose(out.lu, packed, tol)
    expect(out.pivots).toEqual(flat(pivots))
    expect(out.perm).toEqual(flat(perm))
  }

  it.each(['float64', 'float32'] as const)('a batch [2, 3, 5, 5] (%s)', async (dtype) => {
    await check(
      astype(
        grid([2, 3, 5, 5], (i) => Math.sin(0.91 * i) + 0.2 * Math.cos(3.1 * i)),
        dtype,
      ),
      TOL[dtype],
    )
  })

  it.each([
    [3, 5],
    [5, 3],
  ])('a rectangular %i × %i batch', async (m, n) => {
    await check(
      astype(
        grid([2, m, n], (i) => Math.cos(1.7 * i) - 0.1),
        'float64',
      ),
      TOL.float64,
    )
  })

  it('singular matrices (a zero column, equal rows) and ties in magnitude pick the first row, as wengert', async () => {
    const cases = [
      [0, 1, 2, 0, 3, 4, 0, 5, 6], // zero first column: pivot 0, column left as it is
      [1, 2, 3, 1, 2, 3, 2, 1, 0], // two equal rows: a zero pivot later
      [1, 2, 0, -1, 3, 1, 1, -2, 5], // |1| = |−1| = |1|: row 0 stays
      [1, NaN, 0, 2, 1, 1, 0, 3, 1], // NaN in a later column
    ]
    await check(
      astype(
        grid([4, 3, 3], (i) => cases.flat()[i] as number),
        'float64',
      ),
      TOL.float64,
    )
  })

  it('lu_pivots_to_permutation of a batch of pivots', async () => {
    const pivots = astype(
      grid([2, 3], (i) => [2, 2, 3, 0, 3, 2][i] as number),
      'int32',
    )
    const f = (p: NdArray): NdArray => lax.luPivotsToPermutation(p, 5)
    const out = await runOrt(exportOnnx(f, [pivots], { inputNames: ['p'], outputNames: ['y'] }), { p: pivots })
    expect(out.y).toEqual(flat(f(pivots)))
  })

  it.each(['float64', 'float32'] as const)('the gradient through lu, and luSolve (%s)', async (dtype) => {
    const a = astype(
      add(
        mul(eye(4), 2),
        grid([4, 4], (i) => Math.sin(1.3 * i)),
      ),
      dtype,
    )
    const b = astype(
      grid([4, 2], (i) => Math.cos(0.4 * i)),
      dtype,
    )
    const loss = (x: NdArray, y: NdArray): NdArray => {
      const [packed] = lax.lu(x)
      const sol = linalg.luSolve(linalg.luFactor(x), y)
      return add(sum(mul(packed, packed)), sum(mul(sol, y)))
    }
    const g = grad(loss, { argnums: [0, 1] })
    const out = await runOrt(exportOnnx(g, [a, b], { inputNames: ['a', 'b'], outputNames: ['da', 'db'] }), { a, b })
    const [da, db] = g(a, b)
    const tol = dtype === 'float64' ? 1e-11 : 2e-5
    expectClose(out.da, da, tol)
    expectClose(out.db, db, tol)
  })
})

describe('qr exported', () => {
  const both =
    (fullMatrices: boolean) =>
    (x: NdArray): NdArray[] =>
      lax.qr(x, { fullMatrices }).slice()
  const check = async (x: NdArray, fullMatrices: boolean, tol: number): Promise<void> => {
    const f = both(fullMatrices)
    const out = await runOrt(exportOnnx(f, [x], { inputNames: ['a'], outputNames: ['q', 'r'] }), { a: x })
    const [q, r] = f(x) as [NdArray, NdArray]
    expectClose(out.q, q, tol)
    expectClose(out.r, r, tol)
  }
  const shapes = [
    [4, 4],
    [5, 3],
    [3, 5],
  ]
  it.each(shapes)('%i × %i, reduced and complete, batched, float64 and float32 (LAPACK signs)', async (m, n) => {
    for (const dtype of ['float64', 'float32'] as const)
      for (const full of [false, true])
        await check(
          astype(
            grid([2, 3, m, n], (i) => Math.sin(0.83 * i) - 0.3 * Math.cos(2.2 * i)),
            dtype,
          ),
          full,
          TOL[dtype],
        )
  })

  it('a zero column, a column already reduced and negative diagonal entries, as the kernel', async () => {
    const cases = [
      [0, 1, 2, 0, 3, 4, 0, 5, 6], // zero first column: no reflection
      [2, 1, 0, 0, 3, 1, 0, 0, -4], // upper triangular already
      [-1, 2, 3, -2, 1, 0, 2, 2, 1],
    ]
    await check(
      astype(
        grid([3, 3, 3], (i) => cases.flat()[i] as number),
        'float64',
      ),
      false,
      TOL.float64,
    )
  })

  it.each(['float64', 'float32'] as const)('the gradient through a tall qr (%s)', async (dtype) => {
    const a = astype(
      grid([5, 3], (i) => Math.cos(0.9 * i) + (i % 4 === 0 ? 1 : 0)),
      dtype,
    )
    const c = astype(
      grid([5, 3], (i) => Math.sin(0.3 * i)),
      dtype,
    )
    const loss = (x: NdArray): NdArray => {
      const [q, r] = lax.qr(x, { fullMatrices: false })
      return add(sum(mul(q, c)), sum(mul(r, r)))
    }
    const g = grad(loss)
    const out = await runOrt(exportOnnx(g, [a], { inputNames: ['a'], outputNames: ['da'] }), { a })
    expectClose(out.da, g(a), dtype === 'float64' ? 1e-11 : 2e-5)
  })
})

describe('eigh exported (Jacobi sweeps, the kernel conventions)', () => {
  const both = (x: NdArray): NdArray[] => lax.eigh(x).slice()
  const check = async (x: NdArray, tol: number): Promise<void> => {
    const out = await runOrt(exportOnnx(both, [x], { inputNames: ['a'], outputNames: ['w', 'v'] }), { a: x })
    const [w, v] = both(x) as [NdArray, NdArray]
    expectClose(out.w, w, tol)
    expectClose(out.v, v, tol)
  }
  it.each(['float64', 'float32'] as const)('a batch [2, 3, 6, 6], non-symmetric input (%s)', async (dtype) => {
    await check(
      astype(
        grid([2, 3, 6, 6], (i) => Math.sin(0.77 * i) + 0.4 * Math.cos(1.9 * i)),
        dtype,
      ),
      TOL[dtype] * 10,
    )
  })

  it('diagonal and 1 × 1 matrices; NaN or ∞ input gives NaN, the other matrices unaffected', async () => {
    await check(
      astype(
        grid([2, 1, 1], (i) => i - 0.5),
        'float64',
      ),
      TOL.float64,
    )
    const cases = [
      [3, 0, 0, 0, -1, 0, 0, 0, 2], // diagonal: sorted, columns permuted
      [2, 1, 0, 1, 2, 1, 0, 1, 2],
      [1, NaN, 0, 0, 1, 0, 0, 0, 1],
      [1, 0, 0, 0, Infinity, 0, 0, 0, 1],
    ]
    await check(
      astype(
        grid([4, 3, 3], (i) => cases.flat()[i] as number),
        'float64',
      ),
      TOL.float64,
    )
  })

  it.each(['float64', 'float32'] as const)('the gradient through eigh (%s)', async (dtype) => {
    const a = astype(
      grid([5, 5], (i) => Math.cos(0.6 * i) + (i % 6 === 0 ? i / 6 : 0)),
      dtype,
    )
    const c = astype(
      grid([5, 5], (i) => Math.sin(0.45 * i)),
      dtype,
    )
    const loss = (x: NdArray): NdArray => {
      const [w, v] = lax.eigh(x)
      return add(sum(mul(w, w)), sum(mul(mul(v, v), c)))
    }
    const g = grad(loss)
    const out = await runOrt(exportOnnx(g, [a], { inputNames: ['a'], outputNames: ['da'] }), { a })
    expectClose(out.da, g(a), dtype === 'float64' ? 1e-10 : 1e-4)
  })
})

describe('svd exported (singular values: one-sided Jacobi as the kernel; vectors in linalgVectors.test.ts)', () => {
  const vals = (x: NdArray): NdArray => linalg.svdvals(x)
  it.each([
    [4, 4],
    [6, 3],
    [3, 6],
  ])('%i × %i, batched, float64 and float32', async (m, n) => {
    for (const dtype of ['float64', 'float32'] as const) {
      const x = astype(
        grid([2, 3, m, n], (i) => Math.sin(0.57 * i) + 0.5 * Math.cos(2.9 * i)),
        dtype,
      )
      expectClose(await ortRun(vals, [x]), vals(x), TOL[dtype] * 10)
    }
  })

  it('rank-deficient and non-finite input, as the kernel', async () => {
    const cases = [
      [1, 2, 3, 2, 4, 6, 0, 0, 0], // rank 1
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
      [1, NaN, 0, 0, 1, 0, 0, 0, 1],
      [1, 0, 0, 0, -Infinity, 0, 0, 0, 1],
    ]
    const x = astype(
      grid([4, 3, 3], (i) => cases.flat()[i] as number),
      'float64',
    )
    expectClose(await ortRun(vals, [x]), vals(x), TOL.float64 * 10)
  })
})

describe('decompositions of empty matrices exported', () => {
  it('qr of [2, 3, 0] and [2, 0, 3], reduced and complete, as wengert', async () => {
    for (const shape of [
      [2, 3, 0],
      [2, 0, 3],
    ])
      for (const fullMatrices of [false, true]) {
        const x = astype(
          grid(shape, () => 0),
          'float64',
        )
        const f = (y: NdArray): NdArray[] => lax.qr(y, { fullMatrices }).slice()
        const out = await runOrt(exportOnnx(f, [x], { inputNames: ['x'], outputNames: ['q', 'r'] }), { x })
        const [q, r] = f(x) as [NdArray, NdArray]
        expectClose(out.q, q, 0)
        expectClose(out.r, r, 0)
      }
  })
})

describe('the decompositions with a dynamic batch axis', () => {
  const batch = (b: number): NdArray =>
    astype(
      grid([b, 3, 3], (i) => (i % 9 === 0 || i % 9 === 4 || i % 9 === 8 ? 4 + (i % 5) : 0.3 * Math.sin(i))),
      'float64',
    )
  const fs: ReadonlyArray<readonly [string, (x: NdArray) => NdArray]> = [
    ['cholesky', (x) => lax.cholesky(x)],
    ['triangular_solve', (x) => lax.triangularSolve(x, x, LEFT_LOWER)],
    ['lu', (x) => lax.lu(x)[0]],
    ['qr', (x) => lax.qr(x, { fullMatrices: false })[0]],
    ['eigh', (x) => lax.eigh(x)[1]],
    ['svd', (x) => linalg.svdvals(x)],
    ['svd (U, full)', (x) => lax.svd(x, { fullMatrices: true, computeUv: true })[1] as NdArray],
    ['expm', (x) => lax.expm(x)],
  ]
  it.each(fs)('%s exported at batch 4 runs at batches 7 and 1', async (_, f) => {
    const bytes = exportOnnx(f, [batch(4)], { inputNames: ['a'], outputNames: ['y'], dynamicAxes: { a: { 0: 'b' } } })
    for (const b of [7, 1]) expectClose((await runOrt(bytes, { a: batch(b) })).y, f(batch(b)), 1e-11)
  })
})
