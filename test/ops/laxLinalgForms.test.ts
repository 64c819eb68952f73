/**
 * lax.linalg's LAPACK-form functions against LAPACK through SciPy (test/fixtures/lax/linalg_forms.json,
 * made by scripts/fixtures/lax_linalg_forms.py), their properties (reconstruction, orthogonality,
 * the shape of the Schur form), vmap/jit, JAX's refusal to differentiate them, and bad input; qdwh
 * against the SVD's polar factors with float64 finite-difference gradients.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, grad, jit, jvp, matmul, mul, sum, transpose, vmap, type NdArray } from '../../src'
import * as lax from '../../src/ops/lax'
import { DTypeError, NotDifferentiableError, ShapeError, ValueError } from '../../src/ndarray/errors'

type Num = number | string
interface Fixture {
  hessenberg: { a: Num[][]; h: Num[][]; taus: Num[] }[]
  householder_product: { a: Num[][]; taus: Num[]; q: Num[][] }[]
  tridiagonal: { a: Num[][]; lower: boolean; packed: Num[][]; d: Num[]; e: Num[]; taus: Num[] }[]
  schur: { a: Num[][]; re: Num[]; im: Num[] }[]
  cholesky_update: { r: Num[][]; w: Num[]; expected: Num[][] }[]
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/lax/linalg_forms.json', import.meta.url), 'utf8')) as Fixture
const dec = (v: Num): number => (typeof v === 'number' ? v : Number(v))
const f64 = (x: Num[] | Num[][]): NdArray =>
  array((x as unknown[]).map((r) => (Array.isArray(r) ? r.map(dec) : dec(r as Num))) as number[], { dtype: 'float64' })
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as Float64Array)
const close = (got: NdArray, want: NdArray, tol = 1e-12): void => {
  expect(got.shape).toEqual(want.shape)
  const w = vals(want)
  vals(got).forEach((v, i) =>
    expect(Math.abs(v - (w[i] as number))).toBeLessThanOrEqual(tol * (1 + Math.abs(w[i] as number))),
  )
}
const eyeOf = (n: number): NdArray =>
  array(
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))),
    { dtype: 'float64' },
  )
const L = lax.linalg

describe('lax.linalg LAPACK forms match LAPACK (SciPy)', () => {
  it('hessenberg: packed a and taus as dgehrd', () => {
    for (const c of fx.hessenberg) {
      const [h, taus] = L.hessenberg(f64(c.a))
      close(h, f64(c.h))
      expect(vals(taus)).toEqual(c.taus.map((v) => expect.closeTo(dec(v), 12)))
    }
  })
  it('householder_product: dorgqr of dgeqrf reflectors, all or fewer taus', () => {
    for (const c of fx.householder_product) {
      const t = c.taus.length === 0 ? array([], { dtype: 'float64' }) : f64(c.taus)
      close(L.householderProduct(f64(c.a), t), f64(c.q))
    }
  })
  it('tridiagonal: packed a, d, e, taus as dsytrd, lower and upper', () => {
    for (const c of fx.tridiagonal) {
      const [p, d, e, taus] = L.tridiagonal(f64(c.a), { lower: c.lower })
      close(p, f64(c.packed))
      expect(vals(d)).toEqual(c.d.map((v) => expect.closeTo(dec(v), 12)))
      expect(vals(e)).toEqual(c.e.map((v) => expect.closeTo(dec(v), 12)))
      expect(vals(taus)).toEqual(c.taus.map((v) => expect.closeTo(dec(v), 12)))
    }
  })
  it('cholesky_update: the upper factor of RᵀR + wwᵀ', () => {
    for (const c of fx.cholesky_update) close(L.choleskyUpdate(f64(c.r), f64(c.w)), f64(c.expected), 1e-12)
  })
})

/** The eigenvalues read off a real Schur form (1×1 and standardised 2×2 blocks), sorted as NumPy's sort_complex. */
const schurEigenvalues = (t: NdArray): [number, number][] => {
  const m = t.toArray() as number[][]
  const n = m.length
  const out: [number, number][] = []
  for (let i = 0; i < n; i++) {
    const sub = i + 1 < n ? (m[i + 1]?.[i] as number) : 0
    if (sub === 0) out.push([m[i]?.[i] as number, 0])
    else {
      const [a, b, c, d] = [m[i]?.[i] as number, m[i]?.[i + 1] as number, sub, m[i + 1]?.[i + 1] as number]
      expect(a).toBe(d) // standardised: equal diagonal entries
      expect(b * c).toBeLessThan(0) // and a complex pair
      const im = Math.sqrt(-b * c)
      out.push([a, -im], [a, im])
      i++
    }
  }
  return out.sort((x, y) => x[0] - y[0] || x[1] - y[1])
}

describe('lax.linalg.schur (real Schur form)', () => {
  it('A = Q·T·Qᵀ, Q orthogonal, T quasi-triangular with the eigenvalues NumPy finds', () => {
    for (const c of fx.schur) {
      const a = f64(c.a)
      const n = a.shape[0] as number
      const [t, q] = L.schur(a)
      close(matmul(matmul(q, t), transpose(q)), a, 1e-12)
      close(matmul(transpose(q), q), eyeOf(n), 1e-12)
      const tm = t.toArray() as number[][]
      for (let i = 0; i < n; i++) for (let j = 0; j + 1 < i; j++) expect(tm[i]?.[j]).toBe(0)
      const eig = schurEigenvalues(t)
      eig.forEach(([re, im], k) => {
        expect(re).toBeCloseTo(dec(c.re[k] as Num), 10)
        expect(Math.abs(im)).toBeCloseTo(Math.abs(dec(c.im[k] as Num)), 10)
      })
    }
  })
  it('computeSchurVectors: false gives [t] alone; sortEigVals raises; int input raises', () => {
    const a = f64(fx.schur[2]?.a as Num[][])
    const only = L.schur(a, { computeSchurVectors: false })
    expect(only.length).toBe(1)
    close(only[0], L.schur(a)[0])
    expect(() => L.schur(a, { sortEigVals: true })).toThrow(ValueError)
    expect(() =>
      L.schur(
        array(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'int32' },
        ),
      ),
    ).toThrow(DTypeError)
    expect(() => L.schur(array([[1, 2, 3]], { dtype: 'float64' }))).toThrow(/shape \[\.\.\., n, n\]/)
  })
  it('a non-finite input gives NaNs; vmap and jit agree with the loop', () => {
    const [t] = L.schur(
      f64([
        [NaN, 1],
        [0, 1],
      ]),
    )
    expect(vals(t).every(Number.isNaN)).toBe(true)
    const stack = array(
      fx.schur.slice(2, 4).map((c) => c.a.slice(0, 3).map((r) => r.slice(0, 3).map(dec))),
      { dtype: 'float64' },
    )
    const batched = vmap((x: NdArray) => L.schur(x)[0])(stack)
    close(batched, L.schur(stack)[0], 0)
    close(jit((x: NdArray) => L.schur(x)[1])(stack), L.schur(stack)[1], 0)
  })
})

describe('no derivative rules, as JAX', () => {
  const a = f64([
    [1, 2, 0.5],
    [0.3, 1, 2],
    [2, 0.1, 1],
  ])
  it.each([
    ['householder_product', (x: NdArray) => L.householderProduct(x, array([1.2, 0.5], { dtype: 'float64' }))],
    ['hessenberg', (x: NdArray) => L.hessenberg(x)[0]],
    ['tridiagonal', (x: NdArray) => L.tridiagonal(x)[1]],
    ['symmetric_product', (x: NdArray) => L.symmetricProduct(x, x)],
    ['cholesky_update', (x: NdArray) => L.choleskyUpdate(x, array([1, 0, 1], { dtype: 'float64' }))],
    ['schur', (x: NdArray) => L.schur(x)[0]],
  ] as const)('%s: grad and jvp raise; an untraced call passes', (name, f) => {
    const msg = `Differentiation rule for '${name}' not implemented`
    expect(() => grad((x: NdArray) => sum(f(x)))(a)).toThrow(NotDifferentiableError)
    expect(() => grad((x: NdArray) => sum(f(x)))(a)).toThrow(msg)
    expect(() => jvp(f, [a], [a])).toThrow(msg)
    expect(grad((x: NdArray) => mul(sum(x), sum(f(a))))(a).shape).toEqual([3, 3])
  })
})

describe('symmetric_product, householder_product, tridiagonal, cholesky_update: options, batching, bad input', () => {
  const a = f64([
    [1, 2],
    [3, 4],
    [5, 6],
  ])
  const c = f64([
    [1, 0.5, 0],
    [0.5, 2, 0],
    [0, 0, 3],
  ])
  it('symmetric_product: α·A·Aᵀ + β·C; symmetrizeOutput mirrors the lower triangle', () => {
    close(
      L.symmetricProduct(a, c, { alpha: 2, beta: -1 }),
      f64([
        [9, 21.5, 34],
        [21.5, 48, 78],
        [34, 78, 119],
      ]),
    )
    close(L.symmetricProduct(a, c, { symmetrizeOutput: true }), L.symmetricProduct(a, c))
    expect(() =>
      L.symmetricProduct(
        a,
        f64([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow(ShapeError)
    expect(() => L.symmetricProduct(a, array([[1]], { dtype: 'float32' }))).toThrow(DTypeError)
  })
  it('vmap over the leading axis equals the batched call', () => {
    const stack = array(
      [
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [
          [0, 1],
          [1, 0],
          [2, 2],
        ],
      ],
      { dtype: 'float64' },
    )
    const taus = array(
      [
        [1.5, 0.2],
        [1.1, 0],
      ],
      { dtype: 'float64' },
    )
    close(
      vmap((x: NdArray, t: NdArray) => L.householderProduct(x, t))(stack, taus),
      L.householderProduct(stack, taus),
      0,
    )
    const sq = array(
      [
        [
          [2, 1, 0],
          [1, 2, 1],
          [0, 1, 2],
        ],
        [
          [1, 5, 2],
          [5, 1, 3],
          [2, 3, 1],
        ],
      ],
      { dtype: 'float64' },
    )
    close(vmap((x: NdArray) => L.tridiagonal(x)[1])(sq), L.tridiagonal(sq)[1], 0)
    close(vmap((x: NdArray) => L.hessenberg(x)[0])(sq), L.hessenberg(sq)[0], 0)
  })
  it('bad input names the op, the shapes and what was expected', () => {
    expect(() => L.householderProduct(f64([[1, 2, 3]]), f64([1]))).toThrow(/at least as many rows as columns/)
    expect(() => L.householderProduct(a, f64([1, 2, 3]))).toThrow(/must not have more rows/)
    expect(() => L.householderProduct(a, array([1], { dtype: 'float32' }))).toThrow(DTypeError)
    expect(() => L.hessenberg(a)).toThrow(/Hessenberg reduction must have shape \[\.\.\., n, n\], got shape \(3, 2\)/)
    expect(() => L.tridiagonal(f64([1, 2]))).toThrow(/Input 0 to tridiagonal must have rank at least 2/)
    expect(() =>
      L.choleskyUpdate(
        f64([
          [2, 1],
          [0, 1],
        ]),
        f64([1, 2, 3]),
      ),
    ).toThrow(/Rank-1 update to Cholesky/)
    expect(() => L.choleskyUpdate(array([[[2]]], { dtype: 'float64' }), f64([1]))).toThrow(/rank of exactly 2/)
  })
})

describe('lax.linalg.qdwh', () => {
  const x = f64([
    [2, 1, 0.5],
    [1, 3, 0.2],
    [0, 1, 1],
    [0.4, -1, 2],
  ])
  it('u·h = x, u = U·Vᵀ of the SVD, h symmetric; converges within the default 10 steps', () => {
    const [u, h, iters, ok] = L.qdwh(x)
    expect(ok.item()).toBe(true)
    expect(iters.dtype).toBe('int32')
    expect(iters.item() as number).toBeGreaterThan(0)
    expect(iters.item() as number).toBeLessThanOrEqual(10)
    close(matmul(u, h), x, 1e-12)
    const [uu, , vh] = L.svd(x, { fullMatrices: false })
    close(u, matmul(uu, vh), 1e-12)
    close(h, transpose(h), 0)
  })
  it('isHermitian, maxIterations, float32; under jit and vmap', () => {
    const s = f64([
      [2, 1],
      [1, 3],
    ])
    const [u] = L.qdwh(s, { isHermitian: true })
    close(u, eyeOf(2), 1e-12)
    const [, , it1, ok1] = L.qdwh(x, { maxIterations: 1 })
    expect([it1.item(), ok1.item()]).toEqual([1, false])
    const [u32] = L.qdwh(
      array(
        [
          [2, 1],
          [1, 3],
          [0, 1],
        ],
        { dtype: 'float32' },
      ),
    )
    expect(u32.dtype).toBe('float32')
    close(jit((y: NdArray) => L.qdwh(y)[0])(x), L.qdwh(x)[0], 1e-14)
    const stack = array(
      [
        [
          [2, 1],
          [1, 3],
          [0, 1],
        ],
        [
          [1, 0],
          [0, 2],
          [1, 1],
        ],
      ],
      { dtype: 'float64' },
    )
    const vm = vmap((y: NdArray) => L.qdwh(y)[0])(stack)
    close(
      vm,
      array(
        [
          vals(
            L.qdwh(
              f64([
                [2, 1],
                [1, 3],
                [0, 1],
              ]),
            )[0],
          ),
          vals(
            L.qdwh(
              f64([
                [1, 0],
                [0, 2],
                [1, 1],
              ]),
            )[0],
          ),
        ],
        { dtype: 'float64' },
      ).reshape([2, 3, 2]),
      1e-13,
    )
  })
  it('gradients of u and h agree with float64 finite differences', () => {
    checkGrads((y: NdArray) => sum(L.qdwh(y)[0]), [x], { modes: ['rev', 'fwd'] })
    checkGrads((y: NdArray) => sum(L.qdwh(y)[1]), [x], { modes: ['rev'] })
  })
  it('bad input', () => {
    expect(() => L.qdwh(f64([[1, 2, 3]]))).toThrow(/must have M >= N/)
    expect(() => L.qdwh(array([[[1]]], { dtype: 'float64' }))).toThrow(ShapeError)
    expect(() => L.qdwh(x, { dynamicShape: [2, 2] })).toThrow(/dynamic_shape .* not supported/)
    expect(() => L.qdwh(array([[1], [2]], { dtype: 'int32' }))).toThrow(DTypeError)
  })
})
