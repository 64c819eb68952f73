/**
 * The gemm's helper threads: a product split across threads equals the single-thread product bit
 * for bit (each output element is computed by one thread with the same operations in the same
 * order), for both dtypes, every transpose, beta 0 and 1, ragged tiles and offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gemm, type FloatBuffer } from '../../src/ndarray/kernels/gemm'
import { gemmHelpersReady } from '../../src/ndarray/kernels/wasm/gemmDriver'
import { getNumThreads, setNumThreads } from '../../src/ndarray/kernels/wasm/threads'
import { ValueError, array, matmul, grad, sum, tanh, type NdArray, type TypedArray } from '../../src'

const rng = (seed: number): (() => number) => {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 31 - 1
  }
}

const filled = <T extends FloatBuffer>(x: T, seed: number): T => {
  const r = rng(seed)
  for (let i = 0; i < x.length; i++) x[i] = r()
  return x
}

/** Waits (polling the event loop) until the helpers have booted. */
const helpersReady = async (): Promise<number> => {
  for (let i = 0; i < 200; i++) {
    const n = gemmHelpersReady()
    if (n > 0) return n
    await new Promise((r) => setTimeout(r, 25))
  }
  return 0
}

let before = 1
beforeAll(() => {
  before = getNumThreads()
})
afterAll(() => setNumThreads(before))

describe('setNumThreads', () => {
  it('rejects counts that are not positive integers, naming the function', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => setNumThreads(bad)).toThrow(ValueError)
    expect(() => setNumThreads(0)).toThrow(/setNumThreads: expected a positive integer, got 0/)
  })

  it('with one thread starts no helpers', () => {
    setNumThreads(1)
    expect(getNumThreads()).toBe(1)
    expect(gemmHelpersReady()).toBe(0)
  })
})

describe('threaded gemm', () => {
  it('equals the single-thread result bit for bit', async () => {
    const r = rng(7)
    const cases = Array.from({ length: 24 }, (_, trial) => {
      const f64 = trial % 2 === 1
      const Ctor = f64 ? Float64Array : Float32Array
      const m = 40 + Math.floor((r() + 1) * 120)
      const n = 24 + Math.floor((r() + 1) * 150)
      const k = 64 + Math.floor((r() + 1) * 300)
      const tA = r() > 0,
        tB = r() > 0
      const beta: 0 | 1 = trial % 3 === 0 ? 1 : 0
      const aOff = trial % 4,
        bOff = (trial * 3) % 5,
        cOff = trial % 3
      const a = filled(new Ctor(aOff + m * k), trial)
      const b = filled(new Ctor(bOff + k * n), 100 + trial)
      const c0 = filled(new Ctor(cOff + m * n), 200 + trial)
      const run = (): FloatBuffer => {
        const c = c0.slice()
        gemm(tA, tB, m, n, k, a, aOff, b, bOff, c, cOff, beta)
        return c
      }
      return run
    })
    setNumThreads(1)
    const one = cases.map((run) => run())
    setNumThreads(2)
    expect(await helpersReady()).toBe(1)
    const two = cases.map((run) => run())
    expect(gemmHelpersReady()).toBe(1)
    expect(two).toEqual(one)
  })

  it('gives the same gradients through matmul', async () => {
    setNumThreads(2)
    expect(await helpersReady()).toBe(1)
    const x = array(filled(new Float32Array(192 * 160), 1), { shape: [192, 160] })
    const w = array(filled(new Float32Array(160 * 200), 2), { shape: [160, 200] })
    const g = (): TypedArray => (grad((w0: NdArray) => sum(tanh(matmul(x, w0))))(w) as NdArray).toTypedArray()
    const two = g()
    setNumThreads(1)
    expect(g()).toEqual(two)
  })
})
