import { describe, expect, it } from 'vitest'
import { gemm, gemmWasm, setGemmBackend, wasmGemmAvailable } from '../../src/ndarray/kernels/gemm'
import { skinnySwapPays } from '../../src/ndarray/kernels/gemmSkinny'

/** Deterministic uniform values in [-1, 1). */
const fill = (x: Float32Array, seed: number): void => {
  let s = seed >>> 0
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    x[i] = s / 2 ** 31 - 1
  }
}

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const

const SENTINEL = 12345.5

/** Elements of `x` and `y` whose bits differ (NaN equals NaN, +0 differs from −0). */
const differing = (x: Float32Array, y: Float32Array): number => {
  let n = 0
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) n++
  return n
}

/** C of `gemm` (the dispatch under test) and of the direct WebAssembly product, same operands. */
const both = (
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  seed: number,
  special = false,
): [Float32Array, Float32Array] => {
  const a = new Float32Array(3 + m * k)
  const b = new Float32Array(1 + k * n)
  fill(a, seed)
  fill(b, seed + 1)
  if (special) {
    a[3] = NaN
    a[3 + k] = Infinity
    b[1 + n] = -Infinity
    a[3 + 2 * k] = -0
    b[1] = -0
  }
  const c1 = new Float32Array(2 + m * n + 2).fill(SENTINEL)
  const c2 = new Float32Array(2 + m * n + 2).fill(SENTINEL)
  gemm(tA, tB, m, n, k, a, 3, b, 1, c1, 2, 0)
  gemmWasm(tA, tB, m, n, k, a, 3, b, 1, c2, 2, 0)
  return [c1, c2]
}

describe('skinny float32 products computed as their transpose', () => {
  it('swaps only narrow products whose transpose pads less', () => {
    expect(skinnySwapPays(128, 10)).toBe(true) // W2's h·W2
    expect(skinnySwapPays(256, 10)).toBe(true) // W2's hᵀ·bc
    expect(skinnySwapPays(128, 256)).toBe(false) // bc·W2ᵀ (k = 10, n wide)
    expect(skinnySwapPays(128, 8)).toBe(false) // one whole panel
    expect(skinnySwapPays(128, 16)).toBe(false)
    expect(skinnySwapPays(128, 2)).toBe(false)
    expect(skinnySwapPays(12, 10)).toBe(false) // m short too
    expect(skinnySwapPays(64, 7)).toBe(false) // 7 and 8 columns pad alike
    expect(skinnySwapPays(100, 15)).toBe(false)
  })

  it('gives the bits of the direct WebAssembly product for every layout and depth', () => {
    expect(wasmGemmAvailable()).toBe(true)
    let seed = 100
    for (const [m, n] of [
      [128, 10],
      [256, 10],
      [17, 3],
      [33, 4],
      [19, 9],
      [40, 12],
      [64, 11],
      [100, 10],
    ] as const) {
      for (const k of [1, 6, 259, 600]) {
        for (const [tA, tB] of TRANSPOSES) {
          expect(skinnySwapPays(m, n)).toBe(true)
          // 'auto' takes the WebAssembly gemm from 14³ multiply-adds and n ≥ 6; 'wasm' always
          for (const backend of m * n * k >= 14 ** 3 && n >= 6 ? (['auto', 'wasm'] as const) : (['wasm'] as const)) {
            setGemmBackend(backend)
            try {
              const [c1, c2] = both(tA, tB, m, n, k, seed++)
              expect(differing(c1, c2), `m=${m} n=${n} k=${k} tA=${tA} tB=${tB} ${backend}`).toBe(0)
              // nothing written outside C
              expect([c1[0], c1[1], c1[c1.length - 2], c1[c1.length - 1]]).toEqual(Array(4).fill(SENTINEL))
            } finally {
              setGemmBackend('auto')
            }
          }
        }
      }
    }
  })

  it('sums each element in order over k (a float32 loop gives the same bits)', () => {
    const [m, n, k] = [128, 10, 300]
    const f = Math.fround
    for (const [tA, tB] of TRANSPOSES) {
      const a = new Float32Array(m * k)
      const b = new Float32Array(k * n)
      fill(a, 7)
      fill(b, 8)
      const c = new Float32Array(m * n)
      gemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, 0)
      let wrong = 0
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0
          for (let p = 0; p < k; p++)
            s = f(s + f((a[tA ? p * m + i : i * k + p] as number) * (b[tB ? j * k + p : p * n + j] as number)))
          if (!Object.is(c[i * n + j], s)) wrong++
        }
      expect(wrong, `tA=${tA} tB=${tB}`).toBe(0)
    }
  })

  it('propagates NaN, infinities and signed zeros as the direct product does', () => {
    for (const [tA, tB] of TRANSPOSES) {
      const [c1, c2] = both(tA, tB, 64, 10, 9, 31, true)
      expect(c1.some(Number.isNaN)).toBe(true)
      expect(differing(c1, c2)).toBe(0)
    }
  })

  it('handles products larger than the kept scratch, and the forced WebAssembly backend', () => {
    const [c1, c2] = both(false, true, 9000, 10, 20, 41)
    expect(differing(c1, c2)).toBe(0)
    setGemmBackend('wasm')
    try {
      const [d1, d2] = both(true, false, 48, 6, 4, 43)
      expect(differing(d1, d2)).toBe(0)
    } finally {
      setGemmBackend('auto')
    }
  })

  it('leaves accumulating products (beta 1) to the direct kernel', () => {
    const [m, n, k] = [128, 10, 40]
    const a = new Float32Array(m * k)
    const b = new Float32Array(k * n)
    fill(a, 51)
    fill(b, 52)
    const c1 = new Float32Array(m * n)
    fill(c1, 53)
    const c2 = c1.slice()
    gemm(false, false, m, n, k, a, 0, b, 0, c1, 0, 1)
    gemmWasm(false, false, m, n, k, a, 0, b, 0, c2, 0, 1)
    expect(differing(c1, c2)).toBe(0)
  })
})
