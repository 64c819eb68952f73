/**
 * `svd` with singular vectors exported to ONNX (the kernel's Jacobi with accumulated rotations,
 * its selection sort, its completion of U/Vᴴ from the standard basis and its sign rule) and run
 * in ONNX Runtime against wengert eager: U, S, Vᴴ reduced and full, tall, wide and square,
 * rank-deficient and non-finite, float32 and float64, batched; and the gradient of programs
 * through svd. Also `expm` (every Padé degree and squarings chosen per matrix) and its gradient.
 */
import { describe, expect, it } from 'vitest'
import { array, astype, grad, matmul, mul, sub, sum, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import * as lax from '../../src/core/lax'
import { expectClose, grid, runOrt } from '../helpers/ort'

/**
 * Float64: the summation order differs (the graph projects with matrix products where the
 * kernel sums sequentially), so agreement to ~1e-13 relative on well-separated singular values;
 * float32: one rounding of a float64 result on each side.
 */
const TOL = { float64: 1e-11, float32: 2e-5 } as const
type F = 'float32' | 'float64'

const svd3 = (x: NdArray, fullMatrices: boolean): NdArray[] => lax.svd(x, { fullMatrices, computeUv: true }).slice()

/** Runs svd exported on `x`; returns s, u, vh from ONNX Runtime. */
const ortSvd = async (x: NdArray, fullMatrices: boolean): Promise<Record<string, number[]>> =>
  runOrt(
    exportOnnx((y: NdArray) => svd3(y, fullMatrices), [x], { inputNames: ['x'], outputNames: ['s', 'u', 'vh'] }),
    {
      x,
    },
  )

const data = (shape: ReadonlyArray<number>, dtype: F): NdArray =>
  astype(
    grid(shape, (i) => Math.sin(0.57 * i + 0.3) + 0.5 * Math.cos(2.9 * i)),
    dtype,
  )

const expectSvd = async (x: NdArray, fullMatrices: boolean, tol: number): Promise<void> => {
  const [s, u, vh] = svd3(x, fullMatrices) as [NdArray, NdArray, NdArray]
  const got = await ortSvd(x, fullMatrices)
  expectClose(got.s, s, tol)
  expectClose(got.u, u, tol)
  expectClose(got.vh, vh, tol)
}

describe('svd with singular vectors exported', () => {
  const shapes: ReadonlyArray<readonly [number, number]> = [
    [4, 4],
    [5, 3],
    [3, 5],
    [1, 4],
    [4, 1],
  ]
  for (const fullMatrices of [false, true])
    for (const dtype of ['float64', 'float32'] as const)
      it.each(shapes)(`%i × %i, batch [2, 3], ${fullMatrices ? 'full' : 'reduced'}, ${dtype}`, async (m, n) => {
        await expectSvd(data([2, 3, m, n], dtype), fullMatrices, TOL[dtype])
      })

  it('rank-deficient (completion of U from the standard basis), zero and non-finite matrices, as the kernel', async () => {
    const cases = [
      [1, 2, 3, 2, 4, 6, 0, 0, 0, 0, 0, 0], // rank 1
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], // zero columns: exact zero singular values
      [1, NaN, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0],
      [1, 0, 0, 0, -Infinity, 0, 0, 0, 1, 0, 0, 0],
    ]
    for (const [m, n] of [
      [4, 3],
      [3, 4],
    ] as const) {
      const x = astype(
        grid([5, m, n], (i) => cases.flat()[i] as number),
        'float64',
      )
      for (const full of [false, true]) await expectSvd(x, full, TOL.float64)
    }
  })

  it("equal singular values keep the kernel's selection-sort order of their vectors (not a stable sort's)", async () => {
    // column norms 1, 1, 2: the selection sort swaps columns 0 and 2, giving e₃, e₂, e₁ (a stable sort: e₃, e₁, e₂)
    const x = astype(
      grid([2, 3, 3], (i) => [1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 3, 0, 3, 0, 1, 0, 0][i] as number),
      'float64',
    )
    const [, u] = svd3(x, false) as [NdArray, NdArray]
    expect(Array.from(u.toTypedArray()).slice(0, 9)).toEqual([0, 0, 1, 0, 1, 0, 1, 0, 0])
    await expectSvd(x, false, 0)
    await expectSvd(x, true, 0)
  })

  it('an empty matrix (k = 0) gives empty factors, identities when full', async () => {
    const x = astype(
      grid([2, 3, 0], () => 0),
      'float64',
    )
    for (const full of [false, true]) {
      const [s, u, vh] = svd3(x, full) as [NdArray, NdArray, NdArray]
      const got = await ortSvd(x, full)
      expect(got.s).toEqual([])
      expectClose(got.u, u, 0)
      expectClose(got.vh, vh, 0)
      expect(s.shape).toEqual([2, 0])
    }
  })
})

describe('gradients through svd exported', () => {
  it.each(['float64', 'float32'] as const)('nuclear norm and a rank-1 reconstruction loss (%s)', async (dtype) => {
    const x = data([2, 4, 3], dtype)
    const nuclear = (y: NdArray): NdArray => sum(lax.svd(y, { fullMatrices: false, computeUv: false })[0] as NdArray)
    const keep = astype(array([1, 0, 0]), dtype) // the rank-1 part: u·diag(s ⊙ keep)·vh
    const rank1 = (y: NdArray): NdArray => {
      const [s, u, vh] = svd3(y, false) as [NdArray, NdArray, NdArray]
      const approx = matmul(mul(u, mul(s, keep).reshape([2, 1, 3])), vh)
      const d = sub(y, approx)
      return sum(mul(d, d))
    }
    for (const f of [nuclear, rank1]) {
      const g = grad(f)
      const out = await runOrt(exportOnnx(g, [x], { inputNames: ['x'], outputNames: ['g'] }), { x })
      expectClose(out.g, g(x), dtype === 'float64' ? 1e-10 : 1e-4)
    }
  })
})

describe('expm exported (Padé degree and squarings chosen per matrix, as the kernel)', () => {
  /** Matrices whose 1-norms (0.0018 … 357) select every degree 3, 5, 7, 9, 13 and 0, 4 or 7 squarings, in one batch. */
  const SCALES = [0.002, 0.05, 0.2, 0.6, 1.3, 3, 25, 180]
  const batch = (dtype: F): NdArray => {
    const n = 4
    const vals = SCALES.flatMap((c, b) =>
      Array.from({ length: n * n }, (_, i) => {
        const [row, col] = [Math.floor(i / n), i % n]
        const g = (u: number, v: number): number => Math.sin(1.7 * u + 0.9 * v + b) + 0.3 * Math.cos(u * v + b)
        // a large skew-symmetric part keeps e^A moderate while the norm (and s) grows
        return c * (b >= 6 ? g(row, col) - g(col, row) : g(row, col) / n)
      }),
    )
    return astype(
      grid([2, 4, n, n], (i) => vals[i] as number),
      dtype,
    )
  }
  const expm = (y: NdArray): NdArray => lax.expm(y)

  it.each(['float64', 'float32'] as const)(
    'a batch [2, 4, 4, 4] spanning every degree and squarings (%s)',
    async (dtype) => {
      const x = batch(dtype)
      const out = await runOrt(exportOnnx(expm, [x], { inputNames: ['x'], outputNames: ['y'] }), { x })
      expectClose(out.y, expm(x), dtype === 'float64' ? 1e-10 : 2e-5)
    },
  )

  it('NaN and ±∞ give an all-NaN result for that matrix only; an empty matrix exports', async () => {
    const x = astype(
      grid([3, 2, 2], (i) => [0.1, 0.2, -0.3, 0.4, NaN, 0, 0, 1, 1, Infinity, 0, 1][i] as number),
      'float64',
    )
    const out = await runOrt(exportOnnx(expm, [x], { inputNames: ['x'], outputNames: ['y'] }), { x })
    expect(out.y?.slice(4).every(Number.isNaN)).toBe(true)
    expectClose(out.y, expm(x), 1e-12)
    const empty = astype(
      grid([2, 0, 0], () => 0),
      'float64',
    )
    const none = await runOrt(exportOnnx(expm, [empty], { inputNames: ['x'], outputNames: ['y'] }), { x: empty })
    expect(none.y).toEqual([])
  })

  it.each(['float64', 'float32'] as const)('the gradient of a loss through expm (%s)', async (dtype) => {
    const x = batch(dtype)
    const g = grad((y: NdArray) => sum(mul(expm(y), expm(y))))
    const out = await runOrt(exportOnnx(g, [x], { inputNames: ['x'], outputNames: ['g'] }), { x })
    expectClose(out.g, g(x), dtype === 'float64' ? 1e-9 : 1e-4)
  })
})
