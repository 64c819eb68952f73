/**
 * Buffer reuse never changes a value the user still holds (src/ndarray/bufferPool.ts and its
 * users: the linear-algebra kernels' working storage, the backward sweep, jit programs). Each test
 * fills the pool with NaN-filled buffers of the sizes in play first ("poisoned": a kernel that
 * reads a pooled buffer before writing it, or a reused buffer that something still sees, shows up
 * as NaN or as a changed value), keeps what the user holds — arrays, views, jit outputs, the
 * typed arrays read from them, a kept pullback's saved residuals — and checks them after many
 * later calls that take pooled buffers.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  array,
  grad,
  jit,
  linalg,
  log,
  matmul,
  mul,
  reshape,
  sub,
  sum,
  tanh,
  transpose,
  valueAndGrad,
  vjp,
  type NdArray,
} from '../../src'
import { triangularSolve } from '../../src/ndarray/kernels/linalg/triangular'
import { clearBufferPool, pooledBufferBytes, recycleBuffer } from '../../src/ndarray/bufferPool'

afterEach(() => clearBufferPool())

const seeded = (n: number, seed: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5)
const f32 = (shape: number[], seed: number): NdArray =>
  array(
    seeded(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    { shape, dtype: 'float32' },
  )
const copy = (x: NdArray): number[] => Array.from(x.toTypedArray() as Float32Array | Float64Array)

/** Puts `count` NaN-filled buffers of each byte size into the pool. */
const poison = (sizes: number[], count = 4): void => {
  for (const bytes of sizes)
    for (let i = 0; i < count; i++) {
      const b = new ArrayBuffer(bytes)
      new Uint8Array(b).fill(0xff) // all-ones bytes: NaN as float32 and float64
      recycleBuffer(b)
    }
}

/** An SPD n×n float64 matrix (A·Aᵀ/n + I) and a vector, as the GP workload builds them. */
const spd = (n: number): [NdArray, NdArray] => {
  const a = seeded(n * n, 7)
  const k = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let p = 0; p < n; p++) s += (a[i * n + p] as number) * (a[j * n + p] as number)
      k[i * n + j] = s / n + (i === j ? 1 : 0)
    }
  return [
    array(k, { shape: [n, n], dtype: 'float64' }),
    array(Float64Array.from(seeded(n, 8)), { shape: [n, 1], dtype: 'float64' }),
  ]
}

describe('a reused buffer never changes a value the user holds', () => {
  // 128×128 float64 = 128 KB, 32×128 float64 = 32 KB (the blocked solve's products, unpooled)
  const n = 128
  const [K, Y] = spd(n)
  const ll = (k: NdArray): NdArray => {
    const L = linalg.cholesky(k)
    const z = linalg.solveTriangular(L, Y, { lower: true })
    const alpha = linalg.solveTriangular(L, z, { lower: true, trans: 'T' })
    return sub(mul(sum(mul(Y, alpha)), -0.5), sum(log(linalg.diagonal(L))))
  }

  it('linear-algebra kernels give the same bits from poisoned pooled storage as from fresh storage', () => {
    const B = array(Float64Array.from(seeded(n * n, 9)), { shape: [n, n], dtype: 'float64' })
    // X·L = B (the kernel's transposed path, with its own working storage)
    const right = { leftSide: false, lower: true, transposeA: false, unitDiagonal: false }
    clearBufferPool()
    const L0 = copy(linalg.cholesky(K))
    const X0 = copy(linalg.solveTriangular(linalg.cholesky(K), B, { lower: true }))
    const R0 = copy(triangularSolve(linalg.cholesky(K), B, right))
    clearBufferPool()
    poison([n * n * 8], 1)
    const L = linalg.cholesky(K)
    expect(copy(L)).toEqual(L0)
    // later kernels take pooled storage (the factor's scratch, poisoned buffers) and leave L alone
    for (let i = 0; i < 3; i++) {
      poison([n * n * 8], 1)
      expect(copy(linalg.solveTriangular(L, B, { lower: true }))).toEqual(X0)
      poison([n * n * 8], 1)
      expect(copy(triangularSolve(L, B, right))).toEqual(R0)
      linalg.cholesky(K)
    }
    expect(copy(L)).toEqual(L0)
    // the working storage went back: at least the factor's scratch sits in the pool
    expect(pooledBufferBytes()).toBeGreaterThanOrEqual(n * n * 8)
  })

  it('keeps held arrays, views, typed arrays and both values of a jit output over later calls', () => {
    const run = (f: (k: NdArray) => [NdArray, NdArray]): void => {
      clearBufferPool()
      poison([n * n * 8])
      const [v, g] = f(K)
      const view = reshape(transpose(g), [n * n])
      const typed = g.toTypedArray()
      const held = [copy(v), copy(g), copy(view)]
      const typedCopy = Array.from(typed)
      expect(held[1]?.some((x) => Number.isNaN(x))).toBe(false)
      // a second call returns new arrays; the first call's stay as they were
      const [v2, g2] = f(K)
      expect(g2).not.toBe(g)
      for (let i = 0; i < 6; i++) f(i % 2 === 0 ? K : mul(K, 1.5))
      expect([copy(v), copy(g), copy(view)]).toEqual(held)
      expect(Array.from(typed)).toEqual(typedCopy)
      expect(copy(g2)).toEqual(held[1])
      expect(copy(v2)).toEqual(held[0])
      expect(copy(K)).toEqual(copy(spd(n)[0]))
    }
    const vg = valueAndGrad(ll)
    run((k) => vg(k) as [NdArray, NdArray])
    const vgj = jit(vg)
    run((k) => vgj(k) as [NdArray, NdArray])
  })

  it("keeps a kept pullback's saved residuals and its results over later calls that take pooled buffers", () => {
    const x = f32([1000, 100], 3) // 400 KB float32
    const f = (t: NdArray): NdArray => sum(mul(tanh(t), t))
    const [y, back] = vjp(f, x)
    const one = array(1, { dtype: 'float32' })
    const g1 = back(one)[0] as NdArray
    const want = copy(g1)
    const yv = copy(y)
    const g = grad(f)
    const gj = jit(g)
    for (let i = 0; i < 4; i++) {
      poison([1000 * 100 * 4], 2)
      g(f32([1000, 100], 10 + i))
      gj(f32([1000, 100], 20 + i))
    }
    expect(copy(back(one)[0] as NdArray)).toEqual(want)
    expect(copy(g1)).toEqual(want)
    expect(copy(y)).toEqual(yv)
  })

  it('keeps eager results and jit outputs that share nothing with later calls (matmul, forward only)', () => {
    const A = f32([256, 256], 4)
    const Bm = f32([256, 256], 5)
    const mm = jit((a: NdArray, b: NdArray) => matmul(a, b))
    poison([256 * 256 * 4])
    const e1 = matmul(A, Bm)
    const j1 = mm(A, Bm)
    const j2 = mm(A, Bm)
    const want = copy(e1)
    expect(copy(j1)).toEqual(want)
    expect(j2).not.toBe(j1)
    for (let i = 0; i < 5; i++) {
      poison([256 * 256 * 4], 1)
      matmul(Bm, A)
      mm(Bm, A)
    }
    expect(copy(e1)).toEqual(want)
    expect(copy(j1)).toEqual(want)
    expect(copy(j2)).toEqual(want)
  })
})
