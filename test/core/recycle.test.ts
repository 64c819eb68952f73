/**
 * Buffer recycling in the backward sweep (src/core/recycle.ts, src/ndarray/bufferPool.ts): large
 * cotangents the sweep has consumed go back to a pool that later large outputs reuse. The tests
 * check that it happens where it may, and that no value anyone can still see is ever reused:
 * returned gradients, values and aux outputs, a custom rule's saved cotangents, and the values
 * of nested transforms keep their contents after later calls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setDeferral } from '../../src/core/deferred'
import { array, customVjp, grad, jit, mul, sum, tanh, valueAndGrad, vmap, exp, add } from '../../src'
import type { NdArray } from '../../src'
import { clearBufferPool, pooledBufferBytes, takeBuffer } from '../../src/ndarray/bufferPool'
import { allocate, allocateUninit } from '../../src/ndarray/dtype'

const N = 70_001 // large (≥ 2^16 elements: 280 KB of float32) and odd

const data = (n: number, seed: number, dtype: 'float32' | 'float64' = 'float32'): NdArray =>
  array(
    Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 2),
    { dtype },
  )

const copy = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)

/** d/dx Σ tanh(x)·x = tanh(x) + x·(1 − tanh²(x)), in float64. */
const wantGrad = (x: NdArray): number[] =>
  copy(x).map((v) => {
    const t = Math.tanh(v)
    return t + v * (1 - t * t)
  })

/** Bitwise equality of two long lists (a failure prints no diff of 70k elements). */
const same = (a: ReadonlyArray<number> | undefined, b: ReadonlyArray<number> | undefined): boolean =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => Object.is(v, b[i]))

const close = (got: ReadonlyArray<number>, want: ReadonlyArray<number>, tol: number): void => {
  expect(got.length).toBe(want.length)
  let worst = 0
  for (let i = 0; i < got.length; i++)
    worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)) / (1 + Math.abs(want[i] as number)))
  expect(worst).toBeLessThan(tol)
}

const f = (t: NdArray): NdArray => sum(mul(tanh(t), t))

/**
 * A step that leaves a recycled buffer in the pool: f's sweep reuses the one buffer it frees (the
 * sum's broadcast cotangent) for tanh's cotangent, which becomes the gradient, so its pool ends
 * empty; here exp's cotangent is also freed once added into tanh's.
 */
const f2 = (t: NdArray): NdArray => sum(mul(exp(t), tanh(t)))
/** d/dx Σ eˣ·tanh(x) = eˣ·(tanh(x) + 1 − tanh²(x)), in float64. */
const wantGrad2 = (x: NdArray): number[] =>
  copy(x).map((v) => {
    const t = Math.tanh(v)
    return Math.exp(v) * (t + 1 - t * t)
  })

afterEach(() => clearBufferPool())

// these tests check the recycling of computed forward values: deferral (src/core/deferred) leaves
// W4's forward uncomputed, so it is off here (test/core/deferred.test.ts compares both)
let deferral = true
beforeAll(() => {
  deferral = setDeferral(false)
})
afterAll(() => {
  setDeferral(deferral)
})

describe('buffer recycling in the backward sweep', () => {
  it('recycles consumed large cotangents, and later steps reuse them', () => {
    clearBufferPool()
    const x = data(N, 1)
    const g = grad(f2)
    const first = g(x)
    expect(pooledBufferBytes()).toBeGreaterThan(0)
    const second = g(x)
    expect(same(copy(second), copy(first))).toBe(true)
    close(copy(first), wantGrad2(x), 1e-5)
  })

  it('never reuses a buffer a caller can see: every earlier gradient, value and aux keeps its contents', () => {
    const xs = [data(N, 2), data(N, 3), data(N, 4)]
    const vg = valueAndGrad((t: NdArray) => [f(t), tanh(t)] as const, { hasAux: true })
    const kept = xs.map((x) => vg(x))
    const snapshot = kept.map(([[v, aux], gr]) => [copy(v), copy(aux), copy(gr)])
    for (let k = 0; k < 3; k++) for (const x of xs) vg(x) // churn the pool
    kept.forEach(([[v, aux], gr], i) => {
      expect(same(copy(v), snapshot[i]?.[0])).toBe(true)
      expect(same(copy(aux), snapshot[i]?.[1])).toBe(true)
      expect(same(copy(gr), snapshot[i]?.[2])).toBe(true)
      close(copy(gr), wantGrad(xs[i] as NdArray), 1e-5)
    })
  })

  it('float64 gradients are recycled and correct too', () => {
    const x = data(N, 5, 'float64')
    const g = grad(f)
    const a = g(x)
    const snap = copy(a)
    g(x)
    g(data(N, 6, 'float64'))
    expect(same(copy(a), snap)).toBe(true)
    close(snap, wantGrad(x), 1e-12)
  })

  it('does not recycle past a custom rule: a cotangent the rule made and kept keeps its contents', () => {
    const saved: NdArray[] = []
    const scaled = customVjp(
      (t: NdArray) => mul(t, 3),
      (t: NdArray) => [mul(t, 3), null] as const,
      (_res: unknown, ct: NdArray) => {
        const back = mul(ct, 3)
        saved.push(back)
        return [back]
      },
    )
    const g = grad((t: NdArray) => sum(mul(scaled(tanh(t)), t)))
    const x = data(N, 7)
    g(x)
    const snap = copy(saved[0] as NdArray)
    for (let k = 0; k < 3; k++) g(data(N, 8 + k))
    expect(same(copy(saved[0] as NdArray), snap)).toBe(true)
  })

  it('stays off under other transforms (jit, vmap, grad of grad), whose results stay right', () => {
    const x = data(N, 11)
    const want = copy(grad(f)(x))
    expect(same(copy(jit(grad(f))(x)), want)).toBe(true)
    const xb = array(copy(x).concat(copy(x)), { shape: [2, N], dtype: 'float32' })
    const gb = vmap(grad(f))(xb)
    expect(same(copy(gb), want.concat(want))).toBe(true)
    // second derivative of Σ exp(x)·x along x: Σ exp(x)·(x + 2) summed by the outer sum
    const h = grad((t: NdArray) => sum(grad((u: NdArray) => sum(mul(exp(u), u)))(t)))(x)
    close(
      copy(h),
      copy(x).map((v) => Math.exp(v) * (v + 2)),
      1e-5,
    )
  })

  it('a sum of cotangents that share one buffer is not recycled while one of them is held', () => {
    // t is used twice: add's rule hands the same cotangent to both uses
    const g = grad((t: NdArray) => sum(mul(add(tanh(t), tanh(t)), t)))
    const x = data(N, 12)
    const got = copy(g(x))
    close(
      got,
      wantGrad(x).map((v) => 2 * v),
      1e-5,
    )
  })
})

describe('in-place accumulation in the recycling sweep', () => {
  const bits = (x: NdArray): number[] => copy(x)
  /** The same gradients computed without recycling (under jit: one program, no pool). */
  const reference = <A extends NdArray[]>(f: (...a: A) => NdArray, args: A, argnums: number[]): number[][] =>
    (jit(grad(f, { argnums })) as (...a: A) => NdArray[])(...args).map(bits)

  it('adds a cotangent into the entry it accumulates into: the same bits as into a new array', () => {
    const x = data(N, 20)
    clearBufferPool()
    const g = grad(f)
    g(x) // fills the pool
    const want = copy(jit(grad(f))(x))
    expect(same(copy(g(x)), want)).toBe(true)
    expect(same(copy(g(x)), want)).toBe(true)
  })

  it('never adds into a buffer the current equation still hands out (its output cotangent, shared)', () => {
    // o = (a + c) + a: add's rule gives o's cotangent Y to both of its inputs, so a and b = a + c
    // hold the same buffer; b's rule then hands Y to a and to c. Adding Y into a's entry in place
    // would change what c receives (c would get 2w instead of w).
    const w = data(N, 21)
    const h = (a: NdArray, c: NdArray): NdArray => sum(mul(add(add(a, c), a), w))
    const a = data(N, 22)
    const c = data(N, 23)
    const [ga, gc] = grad(h, { argnums: [0, 1] })(a, c) as NdArray[]
    const [wa, wc] = reference(h, [a, c], [0, 1])
    expect(same(bits(ga as NdArray), wa)).toBe(true)
    expect(same(bits(gc as NdArray), wc)).toBe(true)
    expect(same(bits(gc as NdArray), copy(w))).toBe(true)
    expect(
      same(
        bits(ga as NdArray),
        copy(w).map((v) => 2 * v),
      ),
    ).toBe(true)
  })

  it('a variable used many times sums every use in place, exactly', () => {
    const h = (t: NdArray): NdArray => sum(mul(add(add(mul(t, t), tanh(t)), mul(exp(t), t)), t))
    const x = data(N, 24)
    const g = grad(h)
    g(x)
    const [want] = reference(h, [x], [0])
    expect(same(copy(g(x)), want)).toBe(true)
  })
})

describe('the buffer pool', () => {
  it('hands a recycled buffer to the next allocation of its size, zeroed by allocate', () => {
    clearBufferPool()
    grad(f2)(data(N, 13))
    const before = pooledBufferBytes()
    expect(before).toBeGreaterThanOrEqual(4 * N)
    const z = allocate('float32', N)
    expect(pooledBufferBytes()).toBe(before - 4 * N)
    expect(z.every((v) => v === 0)).toBe(true)
    expect(allocateUninit('float32', N).length).toBe(N)
  })

  it('takes only exact sizes and pools nothing small', () => {
    clearBufferPool()
    expect(takeBuffer(4 * N)).toBeUndefined()
    grad(f)(data(1000, 14))
    expect(pooledBufferBytes()).toBe(0)
  })
})
