/**
 * scipy.linalg.toeplitz / hilbert / pascal / expmFrechet / eighTridiagonal / polar /
 * solveSylvester / hessenberg against SciPy 1.10 (test/fixtures/scipy/linalgMore.json, made by
 * scripts/fixtures/scipy_linalg_more.py); JAX's refusals; derivatives against finite differences.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, DTypeError, scipy, stack, sum, ValueError, type NdArray } from '../../../src/index'

type M = number[][]
interface Fixture {
  readonly toeplitz: { c: number[]; r: number[]; cr: M; c_only: M }
  readonly hilbert5: M
  readonly pascal: Record<'symmetric' | 'lower' | 'upper', M>
  readonly expm_frechet: { A: M; E: M; expm: M; frechet: M }
  readonly eigh_tridiagonal: { d: number[]; e: number[]; all: number[]; i13: number[] }
  readonly polar: { a: M; right_u: M; right_p: M; left_u: M; left_p: M }
  readonly solve_sylvester: { a: M; b: M; q: M; x: M }
  readonly hessenberg: { a: M; h: M; q: M }
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/scipy/linalgMore.json', import.meta.url), 'utf8')) as Fixture
const f64 = (v: number[] | M): NdArray => array(v, { dtype: 'float64' })
const close = (got: NdArray, want: number[] | M, tol = 1e-12): void => {
  const g = Array.from(got.toTypedArray() as ArrayLike<number>)
  const w = (want as number[]).flat() as number[]
  expect(got.size).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - (w[i] as number))).toBeLessThan(tol * Math.max(1, Math.abs(w[i] as number))))
}
const L = scipy.linalg

describe('special matrices', () => {
  it('toeplitz matches SciPy, with and without r, and batches leading axes', () => {
    close(L.toeplitz(f64(fx.toeplitz.c), f64(fx.toeplitz.r)), fx.toeplitz.cr)
    close(L.toeplitz(f64(fx.toeplitz.c)), fx.toeplitz.c_only)
    expect(
      L.toeplitz(
        f64([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        f64([1, 0, 0]),
      ).shape,
    ).toEqual([3, 2, 3])
  })
  it('hilbert and pascal match SciPy', () => {
    close(L.hilbert(5), fx.hilbert5, 1e-7)
    expect(L.hilbert(5).dtype).toBe('float32')
    for (const k of ['symmetric', 'lower', 'upper'] as const) close(L.pascal(6, k), fx.pascal[k])
    expect(() => L.pascal(3, 'diag' as 'lower')).toThrow(ValueError)
  })
})

describe('expmFrechet', () => {
  const { A, E } = fx.expm_frechet
  it('matches SciPy, with and without e^A', () => {
    const [ea, l] = L.expmFrechet(f64(A), f64(E))
    close(ea, fx.expm_frechet.expm, 1e-12)
    close(l, fx.expm_frechet.frechet, 1e-12)
    close(L.expmFrechet(f64(A), f64(E), { computeExpm: false }), fx.expm_frechet.frechet, 1e-12)
  })
  it('refuses non-square or mismatched input and other methods', () => {
    expect(() => L.expmFrechet(f64([[1, 2]]), f64([[1, 2]]))).toThrow(/square matrix/)
    expect(() => L.expmFrechet(f64(A), f64([[1]]))).toThrow(/same shape/)
    expect(() => L.expmFrechet(f64(A), f64(E), { method: 'blockEnlarge' as 'SPS' })).toThrow(ValueError)
  })
  it('differentiates in E (linear) and A', () => {
    checkGrads((a: NdArray, e: NdArray) => sum(L.expmFrechet(a, e, { computeExpm: false })), [f64(A), f64(E)], {
      order: 1,
    })
  })
})

describe('eighTridiagonal', () => {
  const { d, e } = fx.eigh_tridiagonal
  it('matches SciPy for select a and i', () => {
    close(L.eighTridiagonal(f64(d), f64(e), { eigvalsOnly: true }), fx.eigh_tridiagonal.all)
    close(
      L.eighTridiagonal(f64(d), f64(e), { eigvalsOnly: true, select: 'i', selectRange: [1, 3] }),
      fx.eigh_tridiagonal.i13,
    )
  })
  it('refuses what JAX refuses', () => {
    expect(() => L.eighTridiagonal(f64(d), f64(e))).toThrow(/eigenvectors is not implemented/)
    expect(() => L.eighTridiagonal(f64(d), f64(e), { eigvalsOnly: true, select: 'v' })).toThrow(/not implemented/)
    expect(() => L.eighTridiagonal(f64(d), f64(e), { eigvalsOnly: true, select: 'i' })).toThrow(
      /selectRange must be specified/,
    )
    expect(() => L.eighTridiagonal(f64(d), array(e), { eigvalsOnly: true })).toThrow(DTypeError)
  })
})

describe('polar', () => {
  const a = f64(fx.polar.a)
  it('matches SciPy on both sides and with both methods', () => {
    const [u, p] = L.polar(a)
    close(u, fx.polar.right_u, 1e-11)
    close(p, fx.polar.right_p, 1e-11)
    const [ul, pl] = L.polar(a.T, 'left', { method: 'svd' })
    close(ul, fx.polar.left_u, 1e-11)
    close(pl, fx.polar.left_p, 1e-11)
  })
  it("keeps qdwh's shape restriction and refuses bad side/method", () => {
    expect(() => L.polar(a.T)).toThrow(/method='qdwh' only supports/)
    expect(() => L.polar(a, 'up' as 'left')).toThrow(ValueError)
    expect(() => L.polar(a, 'right', { method: 'eig' as 'svd' })).toThrow(/unknown polar decomposition method/)
  })
})

describe('solveSylvester and the complex-only refusals', () => {
  const { a, b, q, x } = fx.solve_sylvester
  it('matches SciPy and differentiates', () => {
    close(L.solveSylvester(f64(a), f64(b), f64(q)), x, 1e-12)
    checkGrads((A: NdArray, Q: NdArray) => sum(L.solveSylvester(A, f64(b), Q)), [f64(a), f64(q)], { order: 1 })
    expect(() => L.solveSylvester(f64(a), f64(b), f64(b))).toThrow(/expected A \[m, m\]/)
  })
  it('sqrtm, funm and rsf2csf refuse with a DTypeError naming why', () => {
    const m = f64([
      [4, 0],
      [0, 9],
    ])
    expect(() => L.sqrtm(m)).toThrow(DTypeError)
    expect(() => L.funm(m, (v) => v)).toThrow(/complex/)
    expect(() => L.rsf2csf(m, m)).toThrow(/no complex dtype/)
  })
})

describe('hessenberg', () => {
  const { a, h, q } = fx.hessenberg
  it('matches SciPy (H and Q, LAPACK signs), batches, and differentiates', () => {
    close(L.hessenberg(f64(a)), h, 1e-12)
    const [hh, qq] = L.hessenberg(f64(a), { calcQ: true })
    close(hh, h, 1e-12)
    close(qq, q, 1e-12)
    const batch = L.hessenberg(stack([f64(a), f64(a)]))
    close(batch, [...h, ...h], 1e-12)
    checkGrads((x: NdArray) => sum(L.hessenberg(x)), [f64(a)], { order: 1 })
    expect(() => L.hessenberg(f64([[1, 2, 3]]))).toThrow(/square matrix/)
  })
})
