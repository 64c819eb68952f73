/**
 * The WebAssembly SIMD element-wise and reduction kernels against the JS loops they stand in for:
 * same results (bitwise for arithmetic, select, max and tanh; within rounding for sums) on random
 * data with NaN, ±Inf, ±0 and subnormals, odd lengths, views at an offset, every broadcasting
 * layout, and chunk boundaries (tiny chunks); module sizes; and the fallback without WebAssembly.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { DType, TypedArray } from '../../src/ndarray/dtype'
import { NdArray } from '../../src/ndarray/NdArray'
import {
  binary,
  select,
  setElementwiseBackend,
  unary,
  type ElementwiseBackend,
} from '../../src/ndarray/kernels/elementwise'
import { tanh32, type BinaryOp, type UnaryOp } from '../../src/ndarray/kernels/expressions'
import { reduce } from '../../src/ndarray/kernels/reduce'
import {
  buildBinaryModule,
  buildCompareModule,
  buildUnaryModule,
  buildMathModule,
  setWasmChunk,
  wasmElementwiseAvailable,
} from '../../src/ndarray/kernels/wasm/simdElementwise'
import { buildReduceModule, setReduceChunk, wasmReduceAvailable } from '../../src/ndarray/kernels/wasm/simdReduce'

type FloatDType = 'float32' | 'float64'

/** Deterministic uniform values in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const SPECIALS = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e-40, -3e-39, 5e-324, 1e300]

/** Random floats in [-4, 4) with ~5 % specials (NaN, ±Inf, ±0, subnormals, huge). */
function data(dtype: FloatDType, n: number, seed: number, specials = true): TypedArray {
  const r = rng(seed)
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const u = r()
    out[i] = specials && u < 0.05 ? (SPECIALS[Math.floor(r() * SPECIALS.length)] as number) : r() * 8 - 4
  }
  return out
}

/** An array over `data`, stored as a view at a non-zero offset into a larger buffer when `offset`. */
function arr(shape: number[], dtype: FloatDType, seed: number, offset = false, specials = true): NdArray {
  const n = shape.reduce((a, b) => a * b, 1)
  const d = data(dtype, n + (offset ? 3 : 0), seed, specials)
  return new NdArray(shape, dtype, offset ? d.subarray(3) : d)
}

/** The same array with values rounded to integers (NaN, ±Inf kept): comparisons meet ties. */
function roundTo(x: NdArray): NdArray {
  const d = x._data.slice()
  for (let i = 0; i < d.length; i++) d[i] = Math.round(d[i] as number)
  return new NdArray(x.shape, x.dtype, d)
}

function withBackend<T>(b: ElementwiseBackend, f: () => T): T {
  setElementwiseBackend(b)
  try {
    return f()
  } finally {
    setElementwiseBackend('auto')
  }
}

/** Both results have one shape and dtype and identical elements (NaN = NaN, +0 ≠ −0). */
function expectSame(got: NdArray, want: NdArray, label: string): void {
  expect(got.shape, label).toEqual(want.shape)
  expect(got.dtype, label).toBe(want.dtype)
  const g = got._data
  const w = want._data
  for (let i = 0; i < w.length; i++) {
    if (!Object.is(g[i], w[i])) throw new Error(`${label}: element ${i} is ${g[i]}, expected ${w[i]}`)
  }
}

/** Both ways: the JS loops and the wasm kernels (forced), with the given chunk size. */
function compare(label: string, f: () => NdArray, exact = true, chunk = 16384): void {
  const want = withBackend('js', f)
  const prev = setWasmChunk(chunk)
  const prevR = setReduceChunk(chunk)
  try {
    const got = withBackend('wasm', f)
    if (exact) expectSame(got, want, label)
    else expectSumClose(got, want, label)
  } finally {
    setWasmChunk(prev)
    setReduceChunk(prevR)
  }
}

/** Sums may differ in rounding (another summation order): relative 1e-12 of the float64 sum. */
function expectSumClose(got: NdArray, want: NdArray, label: string): void {
  expect(got.shape, label).toEqual(want.shape)
  const g = got._data
  const w = want._data
  const f32 = got.dtype === 'float32'
  for (let i = 0; i < w.length; i++) {
    const a = g[i] as number
    const b = w[i] as number
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      if (!Object.is(a, b)) throw new Error(`${label}: element ${i} is ${a}, expected ${b}`)
      continue
    }
    // A float32 result is the float64 sum rounded once: at most one float32 ulp apart.
    const tol = f32 ? Math.abs(b) * 2 ** -23 + 1e-37 : Math.abs(b) * 1e-12 + 1e-300
    if (!(Math.abs(a - b) <= tol)) throw new Error(`${label}: element ${i} is ${a}, expected ${b}`)
  }
}

afterEach(() => {
  setElementwiseBackend('auto')
})

describe('wasm element-wise modules', () => {
  it('validate, instantiate and stay under the 4 KiB synchronous-compile limit', () => {
    const modules = [
      buildBinaryModule('f32'),
      buildBinaryModule('f64'),
      buildUnaryModule(),
      buildMathModule(),
      buildCompareModule('f32'),
      buildCompareModule('f64'),
      buildReduceModule(),
    ]
    for (const bytes of modules) {
      expect(WebAssembly.validate(bytes)).toBe(true)
      expect(bytes.length).toBeLessThan(4096)
    }
    expect(wasmElementwiseAvailable()).toBe(true)
    expect(wasmReduceAvailable()).toBe(true)
  })
})

const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 15, 17, 33, 1023, 4099]
const ARITH: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'max', 'min']
const COMPARE: BinaryOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge']
/** Each op with its output dtype. */
const OPS = (dtype: FloatDType): Array<[BinaryOp, DType]> => [
  ...ARITH.map((op): [BinaryOp, DType] => [op, dtype]),
  ...COMPARE.map((op): [BinaryOp, DType] => [op, 'bool']),
]
const DTYPES: FloatDType[] = ['float32', 'float64']

describe('binary on wasm', () => {
  for (const dtype of DTYPES) {
    it(`same shape, scalar operands, odd lengths and offsets (${dtype})`, () => {
      let seed = 1
      for (const n of LENGTHS) {
        for (const [op, out] of OPS(dtype)) {
          for (const chunk of [16384, 16]) {
            const x = arr([n], dtype, seed++, n % 2 === 1)
            // Small integers so that comparisons meet equal operands too.
            const y = COMPARE.includes(op)
              ? roundTo(arr([n], dtype, seed++, n % 3 === 0))
              : arr([n], dtype, seed++, n % 3 === 0)
            const s = arr([], dtype, seed++, false, false)
            const inf = new NdArray(
              [],
              dtype,
              dtype === 'float32' ? new Float32Array([-Infinity]) : new Float64Array([Number.NaN]),
            )
            compare(`${op} n=${n}`, () => binary(op, x, y, out), true, chunk)
            compare(`${op} n=${n} rounded`, () => binary(op, roundTo(x), y, out), true, chunk)
            compare(`${op} n=${n} scalar right`, () => binary(op, x, s, out), true, chunk)
            compare(`${op} n=${n} scalar left`, () => binary(op, s, x, out), true, chunk)
            compare(`${op} n=${n} special scalar`, () => binary(op, inf, y, out), true, chunk)
            compare(`${op} n=${n} x op x`, () => binary(op, x, x, out), true, chunk)
          }
        }
      }
    })

    it(`row, column and higher-rank broadcasting (${dtype})`, () => {
      let seed = 100
      const pairs: Array<[number[], number[]]> = [
        [[5, 7], [7]],
        [[7], [5, 7]],
        [
          [5, 7],
          [5, 1],
        ],
        [
          [5, 1],
          [5, 7],
        ],
        [
          [5, 1],
          [1, 7],
        ],
        [
          [1, 7],
          [5, 1],
        ],
        [
          [3, 5, 7],
          [5, 7],
        ],
        [
          [3, 5, 7],
          [3, 1, 1],
        ],
        [
          [3, 5, 7],
          [3, 5, 1],
        ],
        [
          [3, 1, 7],
          [3, 5, 7],
        ],
        [
          [2, 3, 4, 5],
          [4, 5],
        ],
        [[1, 9], [9]],
        [[33, 65], [65]],
        [
          [65, 33],
          [65, 1],
        ],
        [[1000, 3], [3]],
        [
          [3, 1000],
          [3, 1],
        ],
        [[0, 3], [3]],
        // Not a [rows, cols] layout: the JS loop handles it whatever the backend.
        [
          [3, 4, 5],
          [3, 1, 5],
        ],
        [
          [3, 4, 5],
          [1, 4, 1],
        ],
      ]
      for (const [xs, ys] of pairs) {
        for (const [op, out] of OPS(dtype)) {
          for (const chunk of [16384, 64, 16]) {
            const x = roundTo(arr(xs, dtype, seed++, seed % 2 === 0))
            const y = arr(ys, dtype, seed++)
            compare(`${op} [${xs}] [${ys}] chunk ${chunk}`, () => binary(op, x, roundTo(y), out), true, chunk)
          }
        }
      }
    })
  }

  it('leaves non-float dtypes and other ops to the JS loops', () => {
    const n = 5000
    const xi = new NdArray(
      [n],
      'int32',
      Int32Array.from({ length: n }, (_, i) => i - 2500),
    )
    const yi = new NdArray(
      [n],
      'int32',
      Int32Array.from({ length: n }, (_, i) => (i % 7) + 1),
    )
    compare('int32 add', () => binary('add', xi, yi, 'int32'))
    compare('int32 floordiv', () => binary('floordiv', xi, yi, 'int32'))
    const x = arr([n], 'float32', 7)
    const y = arr([n], 'float32', 8)
    compare('pow', () => binary('pow', x, y, 'float32'))
    compare('and', () => binary('and', x, y, 'bool'))
  })
})

describe('unary on wasm', () => {
  for (const dtype of DTYPES) {
    it(`neg, abs, sqrt, square (${dtype})`, () => {
      let seed = 200
      for (const n of LENGTHS) {
        for (const op of ['neg', 'abs', 'sqrt', 'square', 'exp', 'log'] as UnaryOp[]) {
          const x = arr([n], dtype, seed++, n % 2 === 0)
          compare(`${op} n=${n}`, () => unary(op, x), true, 16)
          compare(`${op} n=${n}`, () => unary(op, x))
        }
      }
    })
  }

  it('float32 tanh is bitwise the JS tanh32, on both sides of its split too', () => {
    let seed = 300
    for (const n of LENGTHS) {
      const x = arr([n], 'float32', seed++, n % 2 === 1)
      compare(`tanh n=${n}`, () => unary('tanh', x), true, 16)
    }
    // Around the split between its two formulas, saturated values, both signs, specials.
    const edge = Float32Array.from([
      0.75,
      -0.75,
      0.7499999,
      7.9,
      7.91,
      -7.91,
      8.5,
      9.1,
      -20,
      1000,
      Infinity,
      -Infinity,
      NaN,
      0,
      -0,
      1e-30,
      -1e-40,
    ])
    const wide = new Float32Array(5000)
    const r = rng(9)
    for (let i = 0; i < wide.length; i++) wide[i] = i < edge.length ? (edge[i] as number) : r() * 24 - 12
    const xw = new NdArray([wide.length], 'float32', wide)
    compare('tanh edges', () => unary('tanh', xw))
    compare('tanh edges, small chunks', () => unary('tanh', xw), true, 32)
    const got = withBackend('wasm', () => unary('tanh', xw))._data
    for (let i = 0; i < wide.length; i++) expect(Object.is(got[i], Math.fround(tanh32(wide[i] as number)))).toBe(true)
  })
})

describe('select on wasm', () => {
  for (const dtype of DTYPES)
    it(`${dtype} with full and scalar branches, odd lengths`, () => {
      let seed = 400
      for (const n of LENGTHS) {
        const r = rng(seed++)
        // Any non-zero byte counts as true.
        const cond = new NdArray(
          [n],
          'bool',
          Uint8Array.from({ length: n }, () => (r() < 0.5 ? (r() < 0.9 ? 1 : 255) : 0)),
        )
        const a = arr([n], dtype, seed++, true)
        const b = arr([n], dtype, seed++)
        const s = arr([], dtype, seed++, false, false)
        for (const chunk of [16384, 16]) {
          compare(`select n=${n}`, () => select(cond, a, b), true, chunk)
          compare(`select n=${n} scalar a`, () => select(cond, s, b), true, chunk)
          compare(`select n=${n} scalar b`, () => select(cond, a, s), true, chunk)
          compare(`select n=${n} both scalar`, () => select(cond, s, s), true, chunk)
        }
      }
    })

  it('leaves broadcast conditions and branches to the JS loop', () => {
    const cond = new NdArray([5, 1], 'bool', Uint8Array.from([1, 0, 1, 1, 0]))
    compare('cond [5,1]', () => select(cond, arr([5, 600], 'float32', 1), arr([5, 600], 'float32', 2)))
    const c2 = new NdArray([5, 600], 'bool', new Uint8Array(3000).fill(1))
    compare('branch [600]', () => select(c2, arr([600], 'float64', 3), arr([5, 600], 'float64', 4)))
  })
})

describe('reduce on wasm', () => {
  const shapes: Array<[number[], number[]]> = [
    [[100003], [0]],
    [[37, 1001], [1]],
    [[37, 1001], [0]],
    [[1001, 37], [0]],
    [[1001, 37], [1]],
    [[3, 5, 7], [1]],
    [[3, 50, 70], [1]],
    [[3, 50, 70], [2]],
    [
      [3, 50, 70],
      [1, 2],
    ],
    [
      [3, 50, 70],
      [0, 1],
    ],
    [
      [64, 33],
      [0, 1],
    ],
    [[2, 40000], [0]],
    [[5, 0, 40], [1]],
  ]
  for (const dtype of DTYPES) {
    it(`sum and max over rows and columns (${dtype})`, () => {
      let seed = 500
      for (const [shape, axes] of shapes) {
        for (const specials of [false, true]) {
          const x = arr(shape, dtype, seed++, seed % 2 === 0, specials)
          for (const chunk of [16384, 48]) {
            compare(`sum [${shape}] axes ${axes}`, () => reduce('sum', x, axes), false, chunk)
            compare(`max [${shape}] axes ${axes}`, () => reduce('max', x, axes), true, chunk)
          }
        }
      }
    })
  }

  it('sums float32 in float64 (no float32 accumulation error)', () => {
    // 1 + 2⁻²⁴ · 2²⁴ copies: a float32 accumulator would stay at 1.
    const n = 2 ** 20
    const d = new Float32Array(n + 1).fill(2 ** -20)
    d[0] = 1
    const got = withBackend('wasm', () => reduce('sum', new NdArray([n + 1], 'float32', d), [0]))
    expect(got._data[0]).toBe(2)
  })
})

describe('without WebAssembly', () => {
  it('every kernel falls back to the JS loops', async () => {
    vi.resetModules()
    vi.stubGlobal('WebAssembly', undefined)
    try {
      const E = await import('../../src/ndarray/kernels/elementwise')
      const R = await import('../../src/ndarray/kernels/reduce')
      const G = await import('../../src/ndarray/kernels/gemm')
      const N = await import('../../src/ndarray/NdArray')
      E.setElementwiseBackend('wasm')
      const n = 5000
      const x = new N.NdArray([n], 'float32', data('float32', n, 1))
      const y = new N.NdArray([n], 'float32', data('float32', n, 2))
      const dt: DType = 'float32'
      const got = E.binary('mul', x, y, dt)._data
      for (let i = 0; i < n; i++)
        expect(Object.is(got[i], Math.fround((x._data[i] as number) * (y._data[i] as number)))).toBe(true)
      expect(E.unary('tanh', x)._data[0]).toBe(Math.fround(tanh32(x._data[0] as number)))
      expect(R.reduce('sum', new N.NdArray([n], 'float32', new Float32Array(n).fill(1)), [0])._data[0]).toBe(n)
      expect(G.wasmGemmAvailable()).toBe(false)
      const c = new Float32Array(300)
      G.gemm(false, false, 300, 1, 300, new Float32Array(90000).fill(1), 0, new Float32Array(300).fill(2), 0, c, 0, 0)
      expect(c[299]).toBe(600)
    } finally {
      vi.unstubAllGlobals()
      vi.resetModules()
    }
  })
})
