import { describe, expect, it } from 'vitest'
import {
  gemm,
  gemmTs,
  gemmWasm,
  getGemmBackend,
  setGemmBackend,
  wasmGemmAvailable,
  type FloatBuffer,
  type GemmBackend,
} from '../../src/ndarray/kernels/gemm'
import { buildGemmModule } from '../../src/ndarray/kernels/wasm/simdGemm'
import { setWasmRawLimit } from '../../src/ndarray/kernels/wasm/gemmDriver'
import { buildGemvModule, setGemvBlockBytes } from '../../src/ndarray/kernels/wasm/simdGemv'
import { ByteWriter } from '../../src/ndarray/kernels/wasm/assembler'

type GemmFn = typeof gemm
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor

/** Deterministic uniform values in [-1, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 31 - 1
  }
}

function fillRandom(x: FloatBuffer, seed: number): void {
  const r = rng(seed)
  for (let i = 0; i < x.length; i++) x[i] = r()
}

function at(x: FloatBuffer, i: number): number {
  const v = x[i]
  if (v === undefined) throw new RangeError(`index ${i} out of range`)
  return v
}

interface Case {
  tA: boolean
  tB: boolean
  m: number
  n: number
  k: number
  beta: 0 | 1
  aOff: number
  bOff: number
  cOff: number
}

interface Prepared {
  a: FloatBuffer
  b: FloatBuffer
  c: FloatBuffer
  c0: Float64Array
  expected: Float64Array
  /** Per-element error allowance scaled by Σ|a||b| (+ |c0|). */
  tol: Float64Array
}

const PAD = 5
const SENTINEL = 12345.5

function prepare(T: Ctor, cs: Case, seed: number): Prepared {
  const { tA, tB, m, n, k, beta, aOff, bOff, cOff } = cs
  const a = new T(aOff + m * k + PAD)
  const b = new T(bOff + k * n + PAD)
  const c = new T(cOff + m * n + PAD)
  fillRandom(a, seed)
  fillRandom(b, seed + 1)
  fillRandom(c, seed + 2)
  c.fill(SENTINEL, 0, cOff)
  c.fill(SENTINEL, cOff + m * n)
  // beta = 0 must overwrite whatever is in C, NaN included.
  if (beta === 0) c.fill(Number.NaN, cOff, cOff + m * n)
  const c0 = Float64Array.from(c)
  const eps = T === Float32Array ? 2 ** -24 : 2 ** -53
  const expected = new Float64Array(m * n)
  const tol = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      let abs = 0
      for (let p = 0; p < k; p++) {
        const av = at(a, aOff + (tA ? p * m + i : i * k + p))
        const bv = at(b, bOff + (tB ? j * k + p : p * n + j))
        s += av * bv
        abs += Math.abs(av * bv)
      }
      const prev = beta === 1 ? at(c0, cOff + i * n + j) : 0
      expected[i * n + j] = s + prev
      tol[i * n + j] = 4 * (k + 2) * eps * (abs + Math.abs(prev)) + 1e-300
    }
  }
  return { a, b, c, c0, expected, tol }
}

/** Throws on the first element outside tolerance or any write outside C's m×n window. */
function check(p: Prepared, cs: Case, label: string): void {
  const { m, n, cOff } = cs
  for (let i = 0; i < m * n; i++) {
    const got = at(p.c, cOff + i)
    const want = at(p.expected, i)
    if (!(Math.abs(got - want) <= at(p.tol, i))) {
      throw new Error(`${label}: C[${Math.floor(i / n)},${i % n}] = ${got}, expected ${want} (tol ${at(p.tol, i)})`)
    }
  }
  for (let i = 0; i < cOff; i++) if (at(p.c, i) !== SENTINEL) throw new Error(`${label}: wrote before C at ${i}`)
  for (let i = cOff + m * n; i < p.c.length; i++) {
    if (at(p.c, i) !== SENTINEL) throw new Error(`${label}: wrote after C at ${i}`)
  }
}

function run(fn: GemmFn, T: Ctor, cs: Case, seed: number): void {
  const p = prepare(T, cs, seed)
  fn(cs.tA, cs.tB, cs.m, cs.n, cs.k, p.a, cs.aOff, p.b, cs.bOff, p.c, cs.cOff, cs.beta)
  const label = `${T.name} tA=${cs.tA} tB=${cs.tB} ${cs.m}x${cs.n}x${cs.k} beta=${cs.beta} off=${cs.aOff},${cs.bOff},${cs.cOff}`
  check(p, cs, label)
}

const SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1],
  [1, 1, 7],
  [1, 7, 1],
  [7, 1, 1],
  [2, 3, 4],
  [7, 7, 7],
  [13, 7, 31],
  [7, 13, 31],
  [31, 67, 13],
  [67, 31, 67],
  [67, 67, 67],
  [8, 8, 8],
  [16, 24, 40],
  [64, 64, 64],
  [1, 300, 300],
  [300, 1, 300],
  [5, 200, 3],
  [129, 257, 65],
  [37, 41, 600],
  [9, 1100, 20],
]

const TRANSPOSES: ReadonlyArray<readonly [boolean, boolean]> = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
]

function cases(): Case[] {
  const out: Case[] = []
  let v = 0
  for (const [m, n, k] of SHAPES) {
    for (const [tA, tB] of TRANSPOSES) {
      for (const beta of [0, 1] as const) {
        v++
        // Vary offsets so every shape meets both aligned and unaligned starts.
        const offs = v % 3 === 0 ? [0, 0, 0] : v % 3 === 1 ? [3, 1, 2] : [1, 4, 7]
        out.push({ tA, tB, m, n, k, beta, aOff: offs[0] ?? 0, bOff: offs[1] ?? 0, cOff: offs[2] ?? 0 })
      }
    }
  }
  return out
}

describe('gemm checker', () => {
  it('rejects a wrong answer and a stray write', () => {
    const cs: Case = { tA: false, tB: false, m: 3, n: 4, k: 5, beta: 0, aOff: 1, bOff: 0, cOff: 2 }
    const p = prepare(Float32Array, cs, 7)
    gemmTs(false, false, 3, 4, 5, p.a, 1, p.b, 0, p.c, 2, 0)
    expect(() => check(p, cs, 'ok')).not.toThrow()
    p.c[2 + 5] = at(p.c, 2 + 5) * (1 + 1e-4)
    expect(() => check(p, cs, 'perturbed')).toThrow(/C\[1,1\]/)
    p.c[2 + 5] = at(p.expected, 5)
    p.c[0] = 0
    expect(() => check(p, cs, 'stray')).toThrow(/before C/)
  })
})

describe('gemmTs', () => {
  for (const T of [Float64Array, Float32Array] as const) {
    it(`matches a float64 triple loop (${T.name})`, () => {
      let seed = 1
      for (const cs of cases()) run(gemmTs, T, cs, seed++)
    })
  }

  it('k = 0 overwrites with zeros for beta 0 and leaves C for beta 1', () => {
    const c = new Float32Array([1, 2, 3, 4])
    gemmTs(false, false, 2, 2, 0, new Float32Array(0), 0, new Float32Array(0), 0, c, 0, 1)
    expect(Array.from(c)).toEqual([1, 2, 3, 4])
    gemmTs(false, false, 2, 2, 0, new Float32Array(0), 0, new Float32Array(0), 0, c, 0, 0)
    expect(Array.from(c)).toEqual([0, 0, 0, 0])
  })

  it('propagates NaN and Infinity from the operands', () => {
    for (const [m, n, k] of [
      [1, 1, 2],
      [40, 40, 40],
    ] as const) {
      const a = new Float64Array(m * k)
      const b = new Float64Array(k * n).fill(1)
      b[0] = Number.POSITIVE_INFINITY // 0 · ∞ = NaN must reach C[0, 0]
      const c = new Float64Array(m * n)
      gemmTs(false, false, m, n, k, a, 0, b, 0, c, 0, 0)
      expect(c[0]).toBeNaN()
      if (m * n > 1) expect(c[1]).toBe(0)
    }
  })
})

describe('wasm assembler', () => {
  it('encodes LEB128 like the spec examples', () => {
    const u = (v: number): number[] => Array.from(new ByteWriter().u32(v).toBytes())
    const s = (v: number): number[] => Array.from(new ByteWriter().s32(v).toBytes())
    expect(u(0)).toEqual([0])
    expect(u(127)).toEqual([0x7f])
    expect(u(128)).toEqual([0x80, 0x01])
    expect(u(624485)).toEqual([0xe5, 0x8e, 0x26])
    expect(u(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f])
    expect(s(0)).toEqual([0])
    expect(s(-1)).toEqual([0x7f])
    expect(s(63)).toEqual([0x3f])
    expect(s(64)).toEqual([0xc0, 0x00])
    expect(s(-64)).toEqual([0x40])
    expect(s(-65)).toEqual([0xbf, 0x7f])
    expect(s(-123456)).toEqual([0xc0, 0xbb, 0x78])
  })

  it('emits a module that validates and stays under the 4 KiB synchronous-compile limit', () => {
    const bytes = buildGemmModule()
    expect(WebAssembly.validate(bytes)).toBe(true)
    expect(bytes.length).toBeLessThan(4096)
  })
})

describe('gemmWasm', () => {
  it('is available in Node 20', () => {
    expect(wasmGemmAvailable()).toBe(true)
  })

  for (const T of [Float32Array, Float64Array] as const) {
    it(`matches a float64 triple loop (${T.name})`, () => {
      let seed = 1000
      for (const cs of cases()) run(gemmWasm, T, cs, seed++)
    })
  }

  it('handles C split into row and column chunks', () => {
    let seed = 3000
    // m > 1024 rows or n > 2048 columns are staged in several chunks.
    const shapes = [
      [1030, 16, 5],
      [1030, 9, 5],
      [5, 2050, 3],
      [1030, 8, 260],
      [3, 2050, 260],
    ] as const
    for (const T of [Float32Array, Float64Array] as const) {
      for (const [m, n, k] of shapes) {
        for (const [tA, tB] of TRANSPOSES) {
          for (const beta of [0, 1] as const) {
            run(gemmWasm, T, { tA, tB, m, n, k, beta, aOff: 1, bOff: 2, cOff: 3 }, seed++)
          }
        }
      }
      run(gemmWasm, T, { tA: false, tB: false, m: 1030, n: 2050, k: 2, beta: 1, aOff: 0, bOff: 0, cOff: 0 }, seed++)
    }
  })

  it('matches with operands packed in TypeScript (raw copy disabled)', () => {
    const prev = setWasmRawLimit(0)
    try {
      let seed = 4000
      for (const T of [Float32Array, Float64Array] as const) for (const cs of cases()) run(gemmWasm, T, cs, seed++)
    } finally {
      setWasmRawLimit(prev)
    }
  })

  for (const [T, tol] of [
    [Float32Array, 1e-3],
    [Float64Array, 1e-11],
  ] as const) {
    it(`agrees with gemmTs on a large product (${T.name})`, () => {
      const m = 200
      const n = 300
      const k = 700
      const a = new T(k * m)
      const b = new T(n * k)
      fillRandom(a, 5)
      fillRandom(b, 6)
      const c1 = new T(m * n)
      const c2 = new T(m * n)
      gemmTs(true, true, m, n, k, a, 0, b, 0, c1, 0, 0)
      gemmWasm(true, true, m, n, k, a, 0, b, 0, c2, 0, 0)
      let maxDiff = 0
      for (let i = 0; i < m * n; i++) maxDiff = Math.max(maxDiff, Math.abs(at(c1, i) - at(c2, i)))
      expect(maxDiff).toBeLessThan(tol)
    })
  }

  it("sums each float32 element in order over k, bit for bit, whatever the operands' layout", () => {
    // The f32x4 kernel adds the rounded products a·b to its accumulator in order of p, one k-slice
    // after another: a float32 loop in that order gives the same bits. Covers every pack loop
    // (v128 copies, 4×4 transposes of row-major A and transposed B, depth % 4 tails, scalar
    // copies) and the k-slices of W2's 128×784·784×256.
    let seed = 6000
    const f = Math.fround
    const shapes = [
      [9, 13, 1],
      [8, 16, 3],
      [7, 10, 5],
      [12, 24, 17],
      [13, 9, 259],
      [128, 24, 784],
    ] as const
    for (const [m, n, k] of shapes) {
      for (const [tA, tB] of TRANSPOSES) {
        const a = new Float32Array(m * k + 1)
        const b = new Float32Array(k * n + 2)
        fillRandom(a, seed++)
        fillRandom(b, seed++)
        const c = new Float32Array(m * n)
        gemmWasm(tA, tB, m, n, k, a, 1, b, 2, c, 0, 0)
        let wrong = 0
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0
            for (let p = 0; p < k; p++) {
              const av = at(a, 1 + (tA ? p * m + i : i * k + p))
              const bv = at(b, 2 + (tB ? j * k + p : p * n + j))
              s = f(s + f(av * bv))
            }
            if (!Object.is(at(c, i * n + j), s)) wrong++
          }
        }
        expect(wrong, `m=${m} n=${n} k=${k} tA=${tA} tB=${tB}`).toBe(0)
      }
    }
  })

  it('computes matrix-vector products (m = 1 or n = 1) for every transpose and a ragged tail', () => {
    let seed = 6000
    // Lengths around multiples of the vector width (4 f32, 2 f64) and of the 4-row blocks.
    const dims = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 256, 261]
    for (const T of [Float32Array, Float64Array] as const) {
      for (const d of dims) {
        for (const k of [1, 3, 4, 6, 17, 64, 131]) {
          for (const [tA, tB] of TRANSPOSES) {
            const beta: 0 | 1 = seed % 2 === 0 ? 0 : 1
            const offs = seed % 3 === 0 ? [0, 0, 0] : [3, 1, 2]
            const [aOff, bOff, cOff] = [offs[0] ?? 0, offs[1] ?? 0, offs[2] ?? 0]
            run(gemmWasm, T, { tA, tB, m: d, n: 1, k, beta, aOff, bOff, cOff }, seed++)
            run(gemmWasm, T, { tA, tB, m: 1, n: d, k, beta, aOff, bOff, cOff }, seed++)
          }
        }
      }
      run(gemmWasm, T, { tA: false, tB: false, m: 784, n: 1, k: 256, beta: 0, aOff: 1, bOff: 0, cOff: 0 }, seed++)
      run(gemmWasm, T, { tA: true, tB: false, m: 256, n: 1, k: 784, beta: 1, aOff: 0, bOff: 1, cOff: 1 }, seed++)
      run(gemmWasm, T, { tA: false, tB: true, m: 1, n: 256, k: 784, beta: 0, aOff: 2, bOff: 0, cOff: 0 }, seed++)
    }
  })

  it('computes matrix-vector products with the matrix staged in blocks of rows', () => {
    const prev = setGemvBlockBytes(1000)
    try {
      let seed = 6500
      for (const T of [Float32Array, Float64Array] as const) {
        for (const [tA, tB] of TRANSPOSES) {
          for (const beta of [0, 1] as const) {
            run(gemmWasm, T, { tA, tB, m: 67, n: 1, k: 45, beta, aOff: 1, bOff: 2, cOff: 3 }, seed++)
            run(gemmWasm, T, { tA, tB, m: 1, n: 67, k: 45, beta, aOff: 1, bOff: 2, cOff: 3 }, seed++)
            // Rows longer than a block: one row per block.
            run(gemmWasm, T, { tA, tB, m: 5, n: 1, k: 300, beta, aOff: 0, bOff: 0, cOff: 0 }, seed++)
            run(gemmWasm, T, { tA, tB, m: 1, n: 300, k: 5, beta, aOff: 0, bOff: 0, cOff: 0 }, seed++)
          }
        }
      }
    } finally {
      setGemvBlockBytes(prev)
    }
  })

  it('propagates NaN and Infinity through matrix-vector products', () => {
    for (const T of [Float32Array, Float64Array] as const) {
      for (const [tA, m, n] of [
        [false, 9, 1],
        [true, 9, 1],
        [false, 1, 9],
        [true, 1, 9],
      ] as const) {
        const k = 7
        const a = new T(m * k).fill(1)
        const b = new T(k * n).fill(1)
        a[0] = Number.NaN
        b[k * n - 1] = Number.POSITIVE_INFINITY
        const c = new T(m * n)
        gemmWasm(tA, false, m, n, k, a, 0, b, 0, c, 0, 0)
        const ref = new Float64Array(m * n)
        gemmTs(tA, false, m, n, k, Float64Array.from(a), 0, Float64Array.from(b), 0, ref, 0, 0)
        for (let i = 0; i < m * n; i++) expect(c[i]).toBe(ref[i])
      }
    }
  })

  it('emits a gemv module that validates and stays under 4 KiB', () => {
    const bytes = buildGemvModule()
    expect(WebAssembly.validate(bytes)).toBe(true)
    expect(bytes.length).toBeLessThan(4096)
  })

  it('rejects mixed dtypes', () => {
    const x = new Float64Array(4)
    const y = new Float32Array(4)
    expect(() => gemmWasm(false, false, 2, 2, 1, x, 0, x, 0, y, 0, 0)).toThrow(TypeError)
    expect(() => gemmWasm(false, false, 2, 2, 1, y, 0, x, 0, y, 0, 0)).toThrow(TypeError)
  })
})

describe('argument checks', () => {
  it('rejects operands that do not fit their buffers and bad sizes', () => {
    const x = new Float32Array(12)
    for (const f of [gemm, gemmTs, gemmWasm]) {
      expect(() => f(false, false, 3, 4, 1, x, 0, x, 0, x, 0, 0)).not.toThrow()
      expect(() => f(false, false, 3, 5, 1, x, 0, x, 0, x, 0, 0)).toThrow(RangeError) // C needs 15
      expect(() => f(false, false, 3, 4, 1, x, 0, x, 0, x, 1, 0)).toThrow(RangeError) // C ends at 13
      expect(() => f(true, false, 12, 1, 2, x, 0, x, 0, x, 0, 0)).toThrow(RangeError) // A needs 24
      expect(() => f(false, true, 1, 1, 12, x, 0, x, 1, x, 0, 0)).toThrow(RangeError) // B ends at 13
      expect(() => f(false, false, -1, 4, 1, x, 0, x, 0, x, 0, 0)).toThrow(RangeError)
      expect(() => f(false, false, 2, 2, 1.5, x, 0, x, 0, x, 0, 0)).toThrow(RangeError)
      expect(() => f(false, false, 2, 2, 1, x, 0.5, x, 0, x, 0, 0)).toThrow(RangeError)
    }
  })
})

describe('gemm dispatch', () => {
  const backends: GemmBackend[] = ['auto', 'ts', 'wasm']
  for (const be of backends) {
    it(`backend '${be}' gives correct results for both dtypes`, () => {
      const prev = getGemmBackend()
      setGemmBackend(be)
      try {
        expect(getGemmBackend()).toBe(be)
        let seed = 5000
        for (const T of [Float32Array, Float64Array] as const) {
          for (const cs of cases()) if (cs.m * cs.n * cs.k <= 70000) run(gemm, T, cs, seed++)
          run(gemm, T, { tA: true, tB: false, m: 129, n: 257, k: 65, beta: 1, aOff: 2, bOff: 3, cOff: 1 }, seed++)
        }
      } finally {
        setGemmBackend(prev)
      }
    })
  }
})
